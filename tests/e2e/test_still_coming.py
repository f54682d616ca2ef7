""" "Still coming?": a DM to each holder a day before (or when the server chose). "I'll be there"
changes nothing; "Can't make it" frees the place at once and the waitlist moves up; silence is
never recorded or shown."""

from __future__ import annotations

from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer

HOUR = 3600


def question(world: World, member: Any) -> Any:
    return world.wait_until(
        lambda: [m for m in world.dms(member) if "Still coming" in m.text and m.buttons], what="the question"
    )[-1]


def test_ill_be_there_changes_nothing_and_cant_make_it_frees_the_place(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Assembly")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    shift_id = offer(driver, alice, places=2, when="in 30h")  # alice holds the first place
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id).text
    card = card_of(world, guild.general, shift_id)
    assert "Every place" in driver.click(card, "Claim a place", user=cara).text
    waiting = driver.command("shift claim", user=cara, shift=shift_id)  # full: she joins the waitlist
    assert "Every place" in waiting.text
    joined = driver.click(waiting, "Join the waitlist", user=cara)
    assert "waitlist" in joined.text, joined.text

    bot.advance_clock(6 * HOUR + 60)  # a day before the shift: both holders are asked
    answer = driver.click(question(world, alice), "I'll be there", user=alice)
    assert "see you" in answer.text.lower() and not answer.buttons
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ? ORDER BY user_id", shift_id) == sorted(
        [(alice.id,), (bob.id,)]
    )

    released = driver.click(question(world, bob), "Can't make it", user=bob)
    assert "You've left shift" in released.text and not released.buttons, released.text
    holders = {row[0] for row in bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id)}
    assert holders == {alice.id, cara.id}  # the waitlist moved up
    world.wait_until(lambda: [m for m in world.dms(cara) if f"#{shift_id}" in m.text], what="cara told by DM")
    world.wait_until(lambda: "Cara" in card_of(world, guild.general, shift_id).text, what="the card to show Cara")


def test_a_server_can_turn_the_question_off(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Quiet")
    olive = guild.add_member("olive", manage_guild=True)
    changed = driver.command("setup still-coming", user=olive, before="off")
    assert changed.ephemeral and "still coming" in changed.text.lower(), changed.text
    assert bot.rows("SELECT still_coming_minutes FROM guild_settings WHERE guild_id = ?", guild.id) == [(0,)]
    shift_id = offer(driver, olive, places=2)
    assert bot.rows(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'shift_still_coming' AND key LIKE ?", f"remind:{shift_id}:%"
    ) == [(0,)]
    assert bot.rows(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'shift_reminder' AND key LIKE ?", f"remind:{shift_id}:%"
    ) != [(0,)]
    refused = driver.command("setup still-coming", user=olive, before="10m")
    assert refused.ephemeral and bot.rows(
        "SELECT still_coming_minutes FROM guild_settings WHERE guild_id = ?", guild.id
    ) == [(0,)]
