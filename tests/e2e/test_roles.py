"""Roles on a shift ("2 leafleters, 1 driver"): a button per role, each role with its own places
and waitlist, the card showing who holds which role, handoffs keeping the role."""

from __future__ import annotations

from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer


def roles_of(bot: BotProcess, shift_id: int) -> dict[int, int]:
    return dict(bot.rows("SELECT user_id, role FROM shift_places WHERE shift_id = ?", shift_id))


def test_each_role_has_its_own_places_and_waitlist(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Street stall")
    alice, bob, cara, dave, erin = (guild.add_member(n) for n in ("alice", "bob", "cara", "dave", "erin"))
    shift_id = offer(driver, alice, roles="2 leafleters, 1 driver", join=False)
    assert bot.rows("SELECT places, taken FROM shifts WHERE id = ?", shift_id) == [(3, 0)]  # the roles added up
    card = card_of(world, guild.general, shift_id)
    assert [b["label"] for b in card.buttons][:2] == ["Claim: leafleters", "Claim: driver"]

    assert "You have a place" in driver.click(card, "Claim: driver", user=bob).text
    full = driver.click(card, "Claim: driver", user=cara)  # the driver's place is taken; leafleters are not
    assert "Every place" in full.text, full.text
    assert "waitlist" in driver.click(full, "Join the waitlist", user=cara).text
    assert "You have a place" in driver.click(card, "Claim: leafleters", user=dave).text
    assert roles_of(bot, shift_id) == {bob.id: 2, dave.id: 1}

    # The driver steps back: the first waiting for the driver's place gets it, and is told.
    assert "You've left shift" in driver.command("shift leave", user=bob, shift=shift_id).text
    assert roles_of(bot, shift_id) == {cara.id: 2, dave.id: 1}
    world.wait_until(lambda: [m for m in world.dms(cara) if f"#{shift_id}" in m.text], what="cara told")
    world.wait_until(
        lambda: "Cara (driver)" in card_of(world, guild.general, shift_id).text, what="the card to show Cara's role"
    )

    # A handoff keeps the role.
    asked = driver.command("shift handoff", user=dave, shift=shift_id, to=erin)
    assert "asked" in asked.text, asked.text
    request = world.wait_until(lambda: [m for m in world.dms(erin) if m.buttons], what="the handoff DM")[-1]
    assert "is yours" in driver.click(request, "Accept the place", user=erin).text
    assert roles_of(bot, shift_id) == {cara.id: 2, erin.id: 1}

    # The list and /stats know the roles too.
    listed = driver.command("shift list", user=erin, show="all")
    assert f"**#{shift_id}**" in listed.text and "leafleters: 1/2" in listed.text and "driver: 1/1" in listed.text
    stats = driver.command("stats", user=erin, days=30)
    by_role = next(f["value"] for f in stats.embed["fields"] if f["name"] == "Places taken by role")
    assert "leafleters: 1 place" in by_role and "driver: 1 place" in by_role


def test_claiming_by_command_names_the_role(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Assembly hall")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, roles="1 chair, 1 note-taker", join=False)
    unsure = driver.command("shift claim", user=bob, shift=shift_id)
    assert unsure.ephemeral and "has roles" in unsure.text and "`note-taker`" in unsure.text, unsure.text
    assert roles_of(bot, shift_id) == {}
    choices = driver.autocomplete("shift claim", "role", "note", user=bob, shift=shift_id)
    assert [c["value"] for c in choices] == ["note-taker"]
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id, role="Note-Taker").text
    assert roles_of(bot, shift_id) == {bob.id: 2}
    refused = driver.command("shift edit", user=alice, shift=shift_id, places=5)
    assert refused.ephemeral and "has roles" in refused.text, refused.text


def test_roles_rota_cannot_read_are_refused(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Unclear roles")
    alice = guild.add_member("alice")
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    for text in ("some leafleters", "3 leafleters, 2 Leafleters", "40 a, 20 b"):
        answer = driver.command("shift offer", user=alice, when="in 3 days", where="Market", roles=text)
        assert answer.ephemeral and "as roles" in answer.text, (text, answer.text)
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before


def test_editing_adds_roles_and_places_but_never_drops_a_held_one(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Editing roles")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    shift_id = offer(driver, alice, roles="1 chair, 1 note-taker", join=False)
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id, role="note-taker").text
    full = driver.command("shift claim", user=cara, shift=shift_id, role="note-taker")
    assert "waitlist" in driver.click(full, "Join the waitlist", user=cara).text

    kept = driver.command("shift edit", user=alice, shift=shift_id, roles="1 chair")
    assert kept.ephemeral and "`note-taker`" in kept.text and "stays" in kept.text, kept.text
    grown = driver.command("shift edit", user=alice, shift=shift_id, roles="1 chair, 2 note-taker, 1 timekeeper")
    assert "Saved shift" in grown.text, grown.text
    assert bot.rows("SELECT name, places, taken FROM shift_roles WHERE shift_id = ? ORDER BY position", shift_id) == [
        ("chair", 1, 0), ("note-taker", 2, 2), ("timekeeper", 1, 0),
    ]  # fmt: skip
    assert roles_of(bot, shift_id) == {bob.id: 2, cara.id: 2}  # the new note-taker place went to cara, who waited
    assert bot.rows("SELECT places, taken FROM shifts WHERE id = ?", shift_id) == [(4, 2)]


def test_the_reminder_and_the_calendar_name_the_role(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Roles remembered")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, when="in 3h", roles="2 leafleters, 1 driver", join=False)
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id, role="driver").text
    calendar = driver.command("shift calendar", user=bob)
    assert f"SUMMARY:Shift #{shift_id}: Market Square (driver)" in calendar.attachments[0].text
    bot.advance_clock(2 * 3600 + 60)  # the 1 h reminder falls due
    world.wait_until(
        lambda: [m for m in world.dms(bob) if "a place as **driver** on shift" in m.text], what="the reminder"
    )


def test_more_roles_than_buttons_are_claimed_from_a_menu(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Big action")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, roles="2 stewards, 1 medic, 1 legal observer, 2 leafleters", join=False)
    card = card_of(world, guild.general, shift_id)
    assert not [b for b in card.buttons if b["label"].startswith("Claim")]  # four roles: a menu instead
    got = driver.select(card, f"shift:roles:{shift_id}", ["3"], user=bob)  # the third role: legal observer
    assert got.ephemeral and "You have a place" in got.text, got.text
    assert roles_of(bot, shift_id) == {bob.id: 3}
