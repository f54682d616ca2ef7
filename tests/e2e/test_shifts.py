"""Shifts end to end: the real bot process, the fake Discord, and what members see and the database holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest

from fakediscord import BotProcess, Driver, RefusedByClient, World
from tests.reliability.helpers import future


def shift_number(text: str) -> int:
    match = re.search(r"#(\d+)", text)
    assert match, text
    return int(match.group(1))


def card_of(world: World, channel: Any, shift_id: int) -> Any:
    def find() -> Any:
        return next((m for m in world.messages(channel) if m.embed and f"Shift #{shift_id}" in m.embed["title"]), None)

    return world.wait_until(find, what=f"the card of shift #{shift_id}")


def card_says(world: World, channel: Any, shift_id: int, needle: str) -> Any:
    return world.wait_until(
        lambda: (m := card_of(world, channel, shift_id)) is not None and needle in m.text and m,
        what=f"card #{shift_id} to say {needle!r}",
    )


@pytest.fixture
def group(world: World) -> dict[str, Any]:
    guild = world.add_guild("Leafleters")
    return {
        "guild": guild,
        "channel": guild.general,
        "alice": guild.add_member("alice"),
        "bob": guild.add_member("bob"),
        "cara": guild.add_member("cara"),
        "dan": guild.add_member("dan"),
    }


def offer(driver: Driver, user: Any, **options: Any) -> int:
    options.setdefault("when", future(driver.world))
    options.setdefault("where", "Market Square")
    answer = driver.command("shift offer", user=user, **options)
    assert answer.ephemeral, answer
    text = answer.text
    assert "Posted" in text, text
    return shift_number(text)


def test_offer_posts_a_card_with_buttons_and_a_thread(bot: BotProcess, world: World, driver: Driver, group) -> None:
    shift_id = offer(driver, group["alice"], places=3, notes="Bring **leaflets**, meet by the fountain")
    card = card_of(world, group["channel"], shift_id)
    assert card.embed["title"] == f"Shift #{shift_id} · Market Square"
    assert "1/3 taken" in card.text and "Alice" in card.text
    assert "<t:" in card.text  # Discord timestamps, so each reader sees local time
    assert [b["label"] for b in card.buttons] == ["Claim a place", "Leave"]
    assert card.thread is not None and group["alice"].id in [u.id for u in card.thread.thread_members]
    stored = bot.rows("SELECT places, taken, location FROM shifts WHERE id = ?", shift_id)
    assert stored == [(3, 1, "Market Square")]


def test_mentions_in_notes_are_refused_and_nothing_is_stored(bot: BotProcess, world: World, driver: Driver, group):
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    for notes in ("come along @everyone", "ask <@&123456789012345678>", "hi <@123456789012345678>"):
        answer = driver.command(
            "shift offer", user=group["alice"], when=future(driver.world), where="Market", notes=notes
        )
        text = answer.text
        assert answer.ephemeral and "mention" in text, text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before
    assert not [m for m in world.messages(group["channel"]) if m.embed]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"when": "2020-01-01 10:00"}, "already passed"),
        ({"when": "whenever suits"}, "couldn't read"),
        ({"duration": "forever"}, "couldn't read"),
        ({"duration": "5m"}, "between"),
        ({"when": "sat 10am", "repeat": "weekly", "count": 12, "where": "   "}, "can't be empty"),
    ],
)
def test_bad_offers_get_a_polite_private_answer(bot: BotProcess, driver: Driver, group, options, needle) -> None:
    options = {"when": future(driver.world), "where": "Market", **options}
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    answer = driver.command("shift offer", user=group["alice"], **options)
    text = answer.text
    assert answer.ephemeral and needle in text, text
    assert "Traceback" not in text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before


def test_the_client_refuses_impossible_values(bot: BotProcess, driver: Driver, group) -> None:
    with pytest.raises(RefusedByClient):
        driver.command("shift offer", user=group["alice"], when=future(driver.world), where="x", places=0)
    with pytest.raises(RefusedByClient):
        driver.command("shift offer", user=group["alice"], when=future(driver.world), where="x", notes="n" * 5000)


def test_claim_by_button_and_by_command_then_waitlist(bot: BotProcess, world: World, driver: Driver, group) -> None:
    shift_id = offer(driver, group["alice"], places=2)
    card = card_of(world, group["channel"], shift_id)
    claimed = driver.click(card, "Claim a place", user=group["bob"])
    assert claimed.ephemeral and "You have a place" in claimed.text
    card = card_says(world, group["channel"], shift_id, "2/2 taken")
    assert "Bob" in card.text

    full = driver.command("shift claim", user=group["cara"], shift=shift_id)
    assert full.ephemeral and "number 1" in full.text
    waited = driver.click(full, "Join the waitlist", user=group["cara"])
    assert "number 1 on the waitlist" in waited.text
    card_says(world, group["channel"], shift_id, "Waitlist\n1")
    again = driver.click(card, "Claim a place", user=group["bob"])
    assert "already have a place" in again.text
    assert bot.rows("SELECT COUNT(*) FROM shift_places WHERE shift_id = ?", shift_id) == [(2,)]


def test_leaving_promotes_the_waitlist_and_tells_them(bot: BotProcess, world: World, driver: Driver, group) -> None:
    shift_id = offer(driver, group["alice"], places=1)
    driver.command("shift claim", user=group["bob"], shift=shift_id)
    full = driver.command("shift claim", user=group["bob"], shift=shift_id)
    driver.click(full, "Join the waitlist", user=group["bob"])
    card = card_of(world, group["channel"], shift_id)
    left = driver.click(card, "Leave", user=group["alice"])
    assert left.ephemeral and "Bob" in left.text and "takes your place" in left.text
    dm = world.wait_until(lambda: [m for m in world.dms(group["bob"]) if "it's yours" in m.text], what="Bob's DM")
    assert f"#{shift_id}" in dm[0].text
    card = card_says(world, group["channel"], shift_id, "Bob")
    holders = bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id)
    assert holders == [(group["bob"].id,)]
    in_thread = world.wait_until(
        lambda: (ids := [u.id for u in card.thread.thread_members]) and group["alice"].id not in ids and ids,
        what="the thread to follow who is on the shift",
    )
    assert group["bob"].id in in_thread
    not_on = driver.command("shift leave", user=group["cara"], shift=shift_id)
    assert not_on.ephemeral and "aren't on" in not_on.text


def test_a_place_freed_within_a_day_is_announced_without_blame(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    shift_id = offer(driver, group["alice"], when="in 5h", places=2)
    driver.command("shift leave", user=group["alice"], shift=shift_id)
    notice = world.wait_until(
        lambda: [m for m in world.messages(group["channel"]) if "A place has opened" in m.content],
        what="the freed-place announcement",
    )
    assert f"#{shift_id}" in notice[0].content and "Alice" not in notice[0].content


def test_only_the_offerer_edits_or_cancels_and_everyone_on_it_is_told(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    shift_id = offer(driver, group["alice"], places=3)
    driver.command("shift claim", user=group["bob"], shift=shift_id)
    refused = driver.command("shift edit", user=group["bob"], shift=shift_id, where="Elsewhere")
    assert refused.ephemeral and "Only the member who offered" in refused.text
    lower = driver.command("shift edit", user=group["alice"], shift=shift_id, places=1)
    assert "can't have fewer than 2" in lower.text

    edited = driver.command(
        "shift edit", user=group["alice"], shift=shift_id, where="Station", when=future(world, 4, "11:00")
    )
    assert "Saved" in edited.text
    card_says(world, group["channel"], shift_id, "Station")
    world.wait_until(lambda: [m for m in world.dms(group["bob"]) if "has changed" in m.text], what="change DM")
    assert not [m for m in world.dms(group["alice"]) if "has changed" in m.text]

    cancelled = driver.command("shift cancel", user=group["alice"], shift=shift_id, reason="Rain forecast")
    assert "cancelled" in cancelled.text
    card = card_says(world, group["channel"], shift_id, "Cancelled")
    assert all(b.get("disabled") for b in card.buttons)
    world.wait_until(lambda: [m for m in world.dms(group["bob"]) if "Rain forecast" in m.text], what="cancel DM")
    after = driver.command("shift claim", user=group["cara"], shift=shift_id)
    assert "was cancelled" in after.text


def test_handoff_moves_the_place_only_when_accepted(bot: BotProcess, world: World, driver: Driver, group) -> None:
    shift_id = offer(driver, group["alice"], places=2)
    asked = driver.command("shift handoff", user=group["alice"], shift=shift_id, to=group["bob"])
    assert asked.ephemeral and "asked" in asked.text
    request = world.wait_until(lambda: [m for m in world.dms(group["bob"]) if m.buttons], what="the handoff DM")[-1]
    with pytest.raises(RefusedByClient):  # nobody else sees Bob's DMs, so nobody else can answer there
        driver.click(request, "Decline", user=group["cara"])
    assert request.buttons, "the offer must still be open for Bob"
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id) == [(group["alice"].id,)]
    declined = driver.click(request, "Decline", user=group["bob"])
    assert declined.type == 7 and "declined" in declined.text and not declined.buttons
    world.wait_until(lambda: [m for m in world.dms(group["alice"]) if "declined" in m.text], what="the giver told")
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id) == [(group["alice"].id,)]

    driver.command("shift handoff", user=group["alice"], shift=shift_id, to=group["bob"])
    request = world.wait_until(lambda: [m for m in world.dms(group["bob"]) if m.buttons], what="a new handoff DM")[-1]
    accepted = driver.click(request, "Accept the place", user=group["bob"])
    assert "is yours" in accepted.text
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id) == [(group["bob"].id,)]
    card_says(world, group["channel"], shift_id, "Bob")
    to_self = driver.command("shift handoff", user=group["bob"], shift=shift_id, to=group["bob"])
    assert "choose another member" in to_self.text


def test_handoff_to_someone_with_closed_dms_asks_in_the_channel(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    world.allow_pings()  # the one deliberate ping: the member being asked, and nobody else
    shy = group["guild"].add_member("shy", dms_closed=True)
    shift_id = offer(driver, group["alice"], places=2)
    asked = driver.command("shift handoff", user=group["alice"], shift=shift_id, to=shy)
    assert "doesn't accept DMs" in asked.text
    request = world.wait_until(
        lambda: [m for m in world.messages(group["channel"]) if m.buttons and "offers you" in m.content],
        what="the in-channel request",
    )[-1]
    assert request.mention_user_ids == [shy.id] and not request.mention_everyone and not request.mention_role_ids
    refused = driver.click(request, "Accept the place", user=group["cara"])
    assert refused.ephemeral and "Only the member" in refused.text
    driver.click(request, "Accept the place", user=shy)
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id) == [(shy.id,)]


def test_list_show_autocomplete_and_calendar(bot: BotProcess, world: World, driver: Driver, group) -> None:
    stalls = [group["guild"].add_text_channel(f"stalls-{n}") for n in range(3)]  # cards spread: no pacing wait
    # Days ahead of the fake's clock (other tests move it; a bot's clock never runs ahead of it).
    first = datetime.fromtimestamp(world.now(), UTC).date() + timedelta(days=2)
    days = [first + timedelta(days=n) for n in range(12)]
    ids = [
        offer(
            driver,
            group["alice"],
            when=f"{day:%Y-%m-%d} 10:00",
            where=f"Stall {n + 2}",
            places=2,
            channel=stalls[(n + 2) % 3],
        )
        for n, day in enumerate(days)
    ]
    listing = driver.command("shift list", user=group["bob"], show="all", days=30)
    assert listing.ephemeral and "Page 1 of 2" in listing.text
    page2 = driver.click(listing, "Later ▶", user=group["bob"])
    assert page2.type == 7 and "Page 2 of 2" in page2.text
    picked = driver.select(page2, "shift:pick", [str(ids[-1])], user=group["bob"])
    assert picked.ephemeral and f"You have a place on shift #{ids[-1]}" in picked.text
    assert bot.rows(
        "SELECT COUNT(*) FROM shift_places WHERE shift_id = ? AND user_id = ?", ids[-1], group["bob"].id
    ) == [(1,)]
    mine = driver.command("shift list", user=group["cara"], show="mine")
    assert "no shifts" in mine.text

    choices = driver.autocomplete("shift claim", "shift", "stall 1", user=group["bob"])
    assert choices and all("Stall 1" in c["name"] for c in choices)
    assert re.search(r"#\d+ \w{3} \d+ \w{3} 10:00 · Stall 1\d? · 1/2", choices[0]["name"])

    shown = driver.command("shift show", user=group["bob"], shift=ids[0])
    assert shown.ephemeral and "Stall 2" in shown.text
    missing = driver.command("shift show", user=group["bob"], shift=999_999)
    assert "can't find shift #999999" in missing.text

    ics = driver.command("shift calendar", user=group["alice"])
    assert ics.ephemeral and ics.attachments and ics.attachments[0].filename == "rota-shifts.ics"
    body = ics.attachments[0].text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == len(ids)
    assert f"UID:shift-{ids[0]}-" in body and f"DTSTART:{days[0]:%Y%m%d}T100000Z" in body


def test_calendar_keeps_text_as_typed_and_moves_the_sequence_on_changes(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    where = "St_Mary_Hall *upstairs*, C:\\new; door `B`"
    notes = "Bring **gloves**; a \\ backslash,\nsecond line 🧤"
    shift_id = offer(driver, group["alice"], where=where, notes=notes)

    def event() -> Any:
        answer = driver.command("shift calendar", user=group["alice"])
        data = answer.attachments[0].text.encode("utf-8")
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))
        found = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if f"shift-{shift_id}-" in e["UID"]]
        assert len(found) == 1
        return found[0]

    first = event()
    assert str(first["SUMMARY"]) == f"Shift #{shift_id}: {where}"
    assert str(first["LOCATION"]) == where and str(first["DESCRIPTION"]) == notes
    assert first.decoded("SEQUENCE") == 0 and str(first["STATUS"]) == "CONFIRMED"
    assert "LAST-MODIFIED" in first

    new_start = future(world, 4, "11:00")
    driver.command("shift edit", user=group["alice"], shift=shift_id, when=new_start)
    moved = event()
    assert str(moved["UID"]) == str(first["UID"]) and moved.decoded("SEQUENCE") == 1
    assert moved.decoded("DTSTART") == datetime.strptime(new_start, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert moved.decoded("LAST-MODIFIED") >= first.decoded("LAST-MODIFIED")

    driver.command("shift cancel", user=group["alice"], shift=shift_id, reason="Rain")
    gone = event()
    assert str(gone["UID"]) == str(first["UID"]) and gone.decoded("SEQUENCE") == 2
    assert str(gone["STATUS"]) == "CANCELLED"
    assert bot.rows("SELECT revision FROM shifts WHERE id = ?", shift_id) == [(2,)]


def test_another_servers_shift_is_not_found(bot: BotProcess, world: World, driver: Driver, group) -> None:
    shift_id = offer(driver, group["alice"])
    other = world.add_guild("Elsewhere")
    stranger = other.add_member("stranger")
    answer = driver.command("shift claim", user=stranger, shift=shift_id)
    assert answer.ephemeral and "can't find" in answer.text
    assert bot.rows("SELECT COUNT(*) FROM shift_places WHERE user_id = ?", stranger.id) == [(0,)]


def test_fifty_members_claiming_at_once_fill_exactly_the_places(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    shift_id = offer(driver, group["alice"], places=5, join=False)
    card = card_of(world, group["channel"], shift_id)
    members = [group["guild"].add_member(f"m{i}") for i in range(50)]
    answers = driver.concurrently([lambda m=m: driver.click(card, "Claim a place", user=m) for m in members])
    got = [a for a in answers if "You have a place" in a.text]
    full = [a for a in answers if "Every place" in a.text]
    assert len(got) == 5 and len(full) == 45
    assert all(a.ephemeral for a in answers)
    assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(5,)]
    settled = card_says(world, group["channel"], shift_id, "5/5 taken")
    assert settled.edits <= 6  # coalesced: a handful of edits, not fifty


def test_reminder_is_sent_when_due(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Reminders")
    alice = guild.add_member("alice")
    shift_id = offer(driver, alice, when="in 3h", places=2)
    rows = bot.rows("SELECT due_at FROM jobs WHERE key LIKE ?", f"remind:{shift_id}:%")
    assert len(rows) == 1  # 24 h before has already passed; only the 1 h reminder is left
    bot.advance_clock(2 * 3600 + 60)
    dm = world.wait_until(lambda: [m for m in world.dms(alice) if "Reminder" in m.text], what="the reminder DM")
    assert f"#{shift_id}" in dm[0].text
    # A crash between sending the DM and recording it: the job runs again after the restart, and
    # Discord drops the repeated DM because it carries the same nonce.
    bot.stop()
    bot.rows("UPDATE jobs SET state = 'running' WHERE key LIKE ?", f"remind:{shift_id}:%")
    bot.start()
    world.wait_until(
        lambda: bot.rows("SELECT state FROM jobs WHERE key LIKE ?", f"remind:{shift_id}:%") == [("done",)],
        what="the re-run reminder job to finish",
    )
    assert len([m for m in world.dms(alice) if "Reminder" in m.text]) == 1
    bot.advance_clock(3600)  # the shift starts: its card closes Claim and Leave (check-in stays open)
    card = world.wait_until(
        lambda: (
            (m := card_of(world, guild.general, shift_id))
            and all(b.get("disabled") for b in m.buttons if b["label"] != "I'm here")
            and "(started)" in m.embed["title"]
            and m
        ),
        what="the card's buttons to close at the start",
    )
    assert [b["label"] for b in card.buttons if not b.get("disabled")] == ["I'm here"]


def test_restart_keeps_buttons_working_and_sends_a_missed_reminder_once(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Restarts")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, when="in 3h", places=3)
    card = card_of(world, guild.general, shift_id)
    bot.stop()
    bot.advance_clock(2 * 3600 + 60)  # the 1 h reminder falls due while the bot is down
    bot.start()
    world.wait_until(lambda: [m for m in world.dms(alice) if "Reminder" in m.text], what="the missed reminder")
    claimed = driver.click(card, "Claim a place", user=bob)  # a card posted before the restart
    assert "You have a place" in claimed.text
    bot.restart()
    assert len([m for m in world.dms(alice) if "Reminder" in m.text]) == 1
    assert bot.rows("SELECT state FROM jobs WHERE key LIKE ?", f"remind:{shift_id}:{alice.id}:%") == [("done",)]


def test_reminder_choice_can_be_seen_changed_and_turned_off(bot: BotProcess, world: World, driver: Driver, group):
    alice = group["alice"]
    assert "1 day and 1 hr before each shift" in driver.command("shift reminders", user=alice).text
    shift_id = offer(driver, alice)
    changed = driver.command("shift reminders", user=alice, offsets="2h")
    assert "2 hr before each of your shifts" in changed.text
    assert bot.rows(
        "SELECT key FROM jobs WHERE key LIKE ? AND state = 'pending' AND kind = 'shift_reminder'",
        f"remind:{shift_id}:%",
    ) == [(f"remind:{shift_id}:{alice.id}:120",)]
    assert "off" in driver.command("shift reminders", user=alice, offsets="off").text
    assert bot.rows(
        "SELECT COUNT(*) FROM jobs WHERE key LIKE ? AND state = 'pending' AND kind = 'shift_reminder'",
        f"remind:{shift_id}:%",
    ) == [(0,)]
    bad = driver.command("shift reminders", user=alice, offsets="30d")
    assert bad.ephemeral and "Reminders can be set" in bad.text
