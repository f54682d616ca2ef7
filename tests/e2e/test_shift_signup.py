"""Sign-up closes (`/shift offer closes:`): after it, claims are refused with the reason and the
card's Claim is closed; leaving and handing on still work."""

from __future__ import annotations

from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer


def claim_button(card: Any) -> dict[str, Any]:
    return next(b for b in card.buttons if b["label"] == "Claim a place")


def test_claims_stop_when_sign_up_closes_and_leaving_goes_on(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Stall")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    shift_id = offer(driver, alice, when="in 3h", places=3, closes="1h before")
    card = card_of(world, guild.general, shift_id)
    assert "Sign-up" in card.text and not claim_button(card).get("disabled")
    assert "You have a place" in driver.click(card, "Claim a place", user=bob).text

    bot.advance_clock(2 * 3600 + 60)  # past the close, before the start
    world.wait_until(
        lambda: claim_button(next(m for m in world.messages(guild.general) if m.id == card.id)).get("disabled"),
        what="the card's Claim to close",
    )
    refused = driver.command("shift claim", user=cara, shift=shift_id)
    assert refused.ephemeral and f"Sign-up for shift #{shift_id} closed" in refused.text, refused.text
    assert bot.rows("SELECT COUNT(*) FROM shift_places WHERE shift_id = ? AND user_id = ?", shift_id, cara.id) == [(0,)]
    left = driver.command("shift leave", user=bob, shift=shift_id)
    assert "You've left shift" in left.text, left.text
    assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(1,)]


def test_a_close_after_the_start_is_refused_and_nothing_is_stored(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Stall 2")
    alice = guild.add_member("alice")
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    answer = driver.command("shift offer", user=alice, when="in 3h", where="Market", closes="5h before")
    assert answer.ephemeral and "as the time sign-up closes" in answer.text, answer.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before


def test_the_offerer_can_close_sign_up_later(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Stall 3")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, when="in 3h", places=3)
    edited = driver.command("shift edit", user=alice, shift=shift_id, closes="2h before")
    assert "Saved shift" in edited.text, edited.text
    starts, closes = bot.rows("SELECT starts_at, closes_at FROM shifts WHERE id = ?", shift_id)[0]
    assert starts - closes == 2 * 3600
    bot.advance_clock(3600 + 60)  # past the new close
    refused = driver.command("shift claim", user=bob, shift=shift_id)
    assert f"Sign-up for shift #{shift_id} closed" in refused.text, refused.text
