"""Proposals end to end: the real bot process, the fake Discord, what members see and the database holds."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fakediscord import BotProcess, Driver, RefusedByClient, World

CLOSE = 10 * 60 + 30  # just past the shortest deadline (10 minutes)


def number(text: str) -> int:
    match = re.search(r"#(\d+)", text)
    assert match, text
    return int(match.group(1))


def card_of(world: World, channel: Any, proposal_id: int) -> Any:
    def find() -> Any:
        return next(
            (m for m in world.messages(channel) if m.embed and f"Proposal #{proposal_id}:" in m.embed["title"]), None
        )

    return world.wait_until(find, what=f"the card of proposal #{proposal_id}")


def card_says(world: World, channel: Any, proposal_id: int, needle: str) -> Any:
    return world.wait_until(
        lambda: (m := card_of(world, channel, proposal_id)) is not None and needle in m.text and m,
        what=f"card #{proposal_id} to say {needle!r}",
    )


def posts(world: World, channel: Any, needle: str) -> list[Any]:
    return [m for m in world.messages(channel) if needle in m.text]


def propose(driver: Driver, user: Any, title: str = "Buy a megaphone", action: dict | None = None, **options) -> Any:
    opened = driver.command("propose", user=user, action=action is not None, **options)
    assert opened.modal is not None, opened
    values = {"Title": title, "Proposal": "For the march on Saturday. It costs 40."} | (action or {})
    return driver.submit_modal(opened, values, user=user)


@pytest.fixture
def group(world: World) -> dict[str, Any]:
    guild = world.add_guild("Tenants Union")
    return {
        "guild": guild,
        "channel": guild.general,
        **{name: guild.add_member(name) for name in ("alice", "bob", "cara", "dan", "eve")},
    }


def test_propose_positions_reasons_and_changes(bot: BotProcess, world: World, driver: Driver, group) -> None:
    alice, bob, cara, dan = group["alice"], group["bob"], group["cara"], group["dan"]
    answer = propose(driver, alice, rule="consent", closes_in="2d", quorum=3)
    assert answer.ephemeral and "is open" in answer.text, answer
    pid = number(answer.text)
    card = card_of(world, group["channel"], pid)
    assert card.embed["title"] == f"Proposal #{pid}: Buy a megaphone"
    assert "Consent: it passes unless someone blocks" in card.text and "<t:" in card.text
    assert [b["label"] for b in card.buttons] == ["Agree", "Abstain", "Disagree", "Block"]
    assert card.thread is not None and alice.id in [u.id for u in card.thread.thread_members]
    assert bot.rows("SELECT title, rule, quorum, status FROM proposals WHERE id = ?", pid) == [
        ("Buy a megaphone", "consent", 3, "open")
    ]

    assert "you agree" in driver.click(card, "Agree", user=bob).text
    assert "you abstain" in driver.click(card, "Abstain", user=cara).text
    card_says(world, group["channel"], pid, "If it closed now, it fails: only 2 of the 3 members needed")

    asked = driver.click(card, "Block", user=dan)
    assert asked.modal is not None and asked.modal["custom_id"].startswith(f"proposal:reason:block:{pid}:")
    with pytest.raises(RefusedByClient):  # a block's reason is required
        driver.submit_modal(asked, {"Why do you block it?": ""}, user=dan)
    refused = driver.submit_modal(asked, {"Why do you block it?": "@everyone can borrow ours"}, user=dan)
    assert refused.ephemeral and "can't contain mentions" in refused.text
    asked = driver.click(card, "Block", user=dan)
    blocked = driver.submit_modal(asked, {"Why do you block it?": "We have one **already**"}, user=dan)
    assert blocked.ephemeral and "you block" in blocked.text
    card = card_says(world, group["channel"], pid, "fails: 1 block")
    assert "Dan" in card.text and "3 of 3 needed took a position (met)" in card.text
    reason = world.wait_until(lambda: posts(world, card.thread, "blocks"), what="the block's reason in the thread")
    assert "We have one \\*\\*already\\*\\*" in reason[0].text  # member text is escaped, never restyles

    changed = driver.click(card, "Agree", user=dan)
    assert "now agree" in changed.text and "before: block" in changed.text
    card_says(world, group["channel"], pid, "If it closed now, it passes")
    assert "Nothing changed" in driver.click(card, "Agree", user=dan).text

    optional = driver.click(card, "Disagree", user=bob)
    assert "you now disagree" in driver.submit_modal(optional, {}, user=bob).text
    optional = driver.click(card, "Disagree", user=cara)
    assert (
        "you now disagree"
        in driver.submit_modal(optional, {"Why do you disagree? (optional)": "Too loud"}, user=cara).text
    )

    shown = driver.command("proposal show", user=group["eve"], proposal=pid)
    assert shown.ephemeral and "Too loud" in shown.text
    assert "Not yet taken a position (1)" in shown.text and "Alice" in shown.text  # the bot knows alice
    choices = driver.autocomplete("proposal show", "proposal", "megaphone", user=bob)
    assert [c["value"] for c in choices] == [pid]
    listed = driver.command("proposal list", user=bob, status="open")
    assert f"#{pid}" in listed.text
    actions = [
        r[0]
        for r in bot.rows("SELECT action FROM audit_log WHERE subject = ? AND kind = 'proposals' ORDER BY id", str(pid))
    ]
    assert actions == ["proposal_opened"] + ["position_taken"] * 6


def test_a_block_and_a_withdrawal_at_once_are_both_posted(bot: BotProcess, world: World, driver: Driver) -> None:
    """Two posts in a row in one thread: each is its own message (they once shared a nonce, and
    Discord answers a repeated nonce with the first message instead of posting)."""
    guild = world.add_guild("Quick succession")
    alice, dan = guild.add_member("alice"), guild.add_member("dan")
    pid = number(propose(driver, alice, title="Paint the banner").text)
    card = card_of(world, guild.general, pid)
    asked = driver.click(card, "Block", user=dan)
    driver.submit_modal(asked, {"Why do you block it?": "Not this week"}, user=dan)
    driver.command("proposal withdraw", user=alice, proposal=pid)
    world.wait_until(lambda: posts(world, card.thread, "was withdrawn"), what="the withdrawal in the thread")
    assert posts(world, card.thread, "blocks: Not this week")


def test_withdrawal_by_the_author_only(bot: BotProcess, world: World, driver: Driver, group) -> None:
    alice, bob = group["alice"], group["bob"]
    pid = number(propose(driver, alice, title="Move the meeting").text)
    refused = driver.command("proposal withdraw", user=bob, proposal=pid)
    assert refused.ephemeral and "Only the member who proposed" in refused.text
    assert bot.rows("SELECT status FROM proposals WHERE id = ?", pid) == [("open",)]
    done = driver.command("proposal withdraw", user=alice, proposal=pid)
    assert done.ephemeral and "withdrawn" in done.text
    card = card_says(world, group["channel"], pid, "Withdrawn")
    assert all(b.get("disabled") for b in card.buttons)
    world.wait_until(lambda: posts(world, card.thread, "was withdrawn"), what="the withdrawal in the thread")
    again = driver.command("proposal withdraw", user=alice, proposal=pid)
    assert "was withdrawn by its author" in again.text
    assert bot.rows("SELECT COUNT(*) FROM jobs WHERE key LIKE ?", f"proposal:{pid}:%") == [(0,)]
    actions = [
        r[0]
        for r in bot.rows("SELECT action FROM audit_log WHERE subject = ? AND kind = 'proposals' ORDER BY id", str(pid))
    ]
    assert actions == ["proposal_opened", "proposal_withdrawn"]


@pytest.mark.parametrize(
    ("options", "fields", "expected"),
    [
        ({}, {"Title": "   "}, "fill in the title"),
        ({"closes_in": "9m"}, None, "from 10 min to 60 days"),
        ({"closes_in": "61d"}, None, "from 10 min to 60 days"),
        ({"quorum": -1}, None, "quorum must be between 0 and 1000"),
        ({}, {"When (server time)": "2020-01-05 10:00"}, "already passed"),
        ({}, {"When (server time)": "in 5m"}, "before the proposal closes"),
    ],
)
def test_bad_input_is_answered_privately_and_stores_nothing(
    bot: BotProcess, world: World, driver: Driver, group, options, fields, expected
) -> None:
    alice = group["alice"]
    before = bot.rows("SELECT COUNT(*) FROM proposals")
    action = fields is not None and any(k != "Title" for k in fields)
    opened = driver.command("propose", user=alice, action=action, **({"closes_in": "10m"} | options))
    if fields is None:
        answer = opened
    else:
        values = {"Title": "A title", "Proposal": "Text"}
        if action:
            values |= {"Where": "Hall", "Places (1-50)": "3"}
        answer = driver.submit_modal(opened, values | fields, user=alice)
    assert answer.modal is None and answer.ephemeral and expected in answer.text, answer
    assert bot.rows("SELECT COUNT(*) FROM proposals") == before


def test_the_client_never_sends_an_overlong_title(bot: BotProcess, world: World, driver: Driver, group) -> None:
    opened = driver.command("propose", user=group["alice"])
    with pytest.raises(RefusedByClient):
        driver.submit_modal(opened, {"Title": "t" * 101, "Proposal": "x"}, user=group["alice"])


def test_close_at_the_deadline_opens_the_passed_action_shift(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Garden Group")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    action = {"When (server time)": "in 3h", "Where": "Community Garden", "Places (1-50)": "4"}
    pid = number(propose(driver, alice, title="Weed the beds", action=action, closes_in="10m", rule="majority").text)
    card = card_of(world, guild.general, pid)
    assert "Community Garden" in card.text
    driver.click(card, "Agree", user=alice)
    driver.click(card, "Agree", user=bob)
    driver.submit_modal(driver.click(card, "Disagree", user=cara), {}, user=cara)
    bot.advance_clock(6 * 60)  # halfway: the closing-soon line
    soon = world.wait_until(lambda: posts(world, card.thread, "Closing soon"), what="the closing-soon line")
    assert f"#{pid}" in soon[0].text
    bot.advance_clock(CLOSE - 6 * 60)
    outcome = world.wait_until(lambda: posts(world, guild.general, "closed. **Passed**"), what="the outcome post")
    assert "2 agree · 0 abstain · 1 disagree · 0 block" in outcome[0].text
    assert "https://discord.com/channels/" in outcome[0].text  # links the new shift card
    world.wait_until(lambda: posts(world, card.thread, "closed. **Passed**"), what="the outcome in the thread")
    closed = card_says(world, guild.general, pid, "Passed · ")
    assert all(b.get("disabled") for b in closed.buttons)
    shifts = bot.rows("SELECT id, location, places, proposal_id, message_id IS NOT NULL FROM shifts")
    assert [s[1:] for s in shifts] == [("Community Garden", 4, pid, 1)]
    shift_card = world.wait_until(
        lambda: [m for m in world.messages(guild.general) if m.embed and f"Shift #{shifts[0][0]}" in m.embed["title"]],
        what="the new shift's card",
    )
    assert "Claim a place" in [b["label"] for b in shift_card[0].buttons]
    with pytest.raises(RefusedByClient):
        driver.click(closed, "Agree", user=cara)
    assert bot.rows("SELECT action FROM audit_log WHERE subject = ? AND action = 'proposal_closed'", str(pid))


def test_a_close_due_while_the_bot_is_down_happens_once_after_start(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Night Shift")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    pid = number(propose(driver, alice, title="Repaint the door", closes_in="10m", quorum=1).text)
    card = card_of(world, guild.general, pid)
    assert (
        "you block"
        in driver.submit_modal(
            driver.click(card, "Block", user=bob), {"Why do you block it?": "Landlord's job"}, user=bob
        ).text
    )
    bot.stop()
    bot.advance_clock(CLOSE)
    bot.start()
    outcome = world.wait_until(lambda: posts(world, guild.general, "closed. **Did not pass**"), what="the outcome")
    assert "1 block" in outcome[0].text
    card_says(world, guild.general, pid, "Not passed · ")
    bot.restart()
    assert len(posts(world, guild.general, "closed.")) == 1
    assert bot.rows("SELECT status, outcome_reason FROM proposals WHERE id = ?", pid) == [("failed", "blocked")]
    closes = bot.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'proposal_closed' AND subject = ?", str(pid))
    assert closes == [(1,)]


def test_a_reason_form_open_across_a_restart_still_counts(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Restart Union")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    pid = number(propose(driver, alice, rule="consent", closes_in="2d").text)
    card = card_of(world, guild.general, pid)
    form = driver.click(card, "Block", user=bob)
    assert form.modal is not None
    bot.restart()  # the open form is no longer in the bot's memory
    answer = driver.submit_modal(form, {"Why do you block it?": "It breaks our budget rule"}, user=bob)
    assert answer.ephemeral and "block" in answer.text.lower(), answer
    assert bot.rows("SELECT position, reason FROM proposal_positions WHERE proposal_id = ?", pid) == [
        ("block", "It breaks our budget rule")
    ]
