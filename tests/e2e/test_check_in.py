"""Check-in ("I'm here"): from half an hour before the start until the end, a holder checks in only
themselves, on the card or in the shift's thread. It counts as done and as volunteer hours; not
checking in is never shown."""

from __future__ import annotations

import json
from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer

HOUR = 3600


def labels(message: Any) -> list[str]:
    return [b["label"] for b in message.buttons]


def test_holders_check_themselves_in_and_it_counts_as_hours(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Kitchen")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    shift_id = offer(driver, alice, when="in 3h", places=2, duration="2h")
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id).text
    card = card_of(world, guild.general, shift_id)
    assert "I'm here" not in labels(card)  # not yet: check-in opens half an hour before the start

    bot.advance_clock(2 * HOUR + 31 * 60)
    live = world.wait_until(
        lambda: (
            (m := next(m for m in world.messages(guild.general) if m.id == card.id)) and "I'm here" in labels(m) and m
        ),
        what="the card's I'm here",
    )
    thread = world.threads(card)[0]
    note = world.wait_until(
        lambda: [m for m in world.messages(thread) if "Check-in for shift" in m.text and m.buttons],
        what="check-in opened in the thread",
    )[-1]

    first = driver.click(live, "I'm here", user=alice)
    assert first.ephemeral and "You're checked in" in first.text, first.text
    again = driver.click(note, "I'm here", user=alice)
    assert again.ephemeral and "already checked in" in again.text
    stranger = driver.click(note, "I'm here", user=cara)  # not on the shift: nothing to check in
    assert stranger.ephemeral and "aren't on shift" in stranger.text, stranger.text
    checked = bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ? AND checked_in_at IS NOT NULL", shift_id)
    assert checked == [(alice.id,)]  # only her own; bob's silence is not recorded as anything

    bot.advance_clock(3 * HOUR)  # after the end: check-in is over and the button goes
    world.wait_until(
        lambda: "I'm here" not in labels(next(m for m in world.messages(guild.general) if m.id == card.id)),
        what="the card without I'm here",
    )
    export = driver.command("mydata export", user=alice)
    hours = json.loads(export.attachments[0].data)["volunteer_hours"]
    assert [(h["shifts"], h["hours"]) for h in hours] == [(1, 2.0)]
    assert "no-show" not in driver.command("stats", user=cara).text.lower()
