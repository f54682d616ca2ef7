"""A member who left the server: Rota gets no event for it (no members intent), so it asks Discord
before it reminds, asks or hands a turn to anyone. Their places go to the waitlist, the record says
"left the server" without blame, and the rota's turn passes on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import offer


def test_a_member_who_left_is_not_reminded_and_their_place_moves_up(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("People come and go")
    alice, bob, dave = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("dave")
    shift_id = offer(driver, alice, when="in 3h", places=2)
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id).text
    full = driver.command("shift claim", user=dave, shift=shift_id)
    assert "waitlist" in driver.click(full, "Join the waitlist", user=dave).text
    guild.remove_member(bob)  # no event reaches Rota

    bot.advance_clock(2 * 3600 + 60)  # the 1 h reminders fall due
    world.wait_until(lambda: [m for m in world.dms(alice) if "Reminder" in m.text], what="alice's reminder")
    world.wait_until(lambda: [m for m in world.dms(dave) if f"#{shift_id}" in m.text], what="dave moved up")
    holders = {row[0] for row in bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id)}
    assert holders == {alice.id, dave.id}
    assert not [m for m in world.dms(bob) if "Reminder" in m.text]  # dave's DM came after bob's turn was handled
    assert bot.rows("SELECT actor_id FROM audit_log WHERE action = 'member_left'") == [(bob.id,)]
    log = driver.command("log", user=alice)
    assert "left the server" in log.text


def test_a_turn_due_to_a_member_who_left_passes_to_the_next(make_bot: Any, world: World, driver: Driver) -> None:
    bot: BotProcess = make_bot()
    world.allow_pings()  # the deliberate one: the new holder of the turn
    guild = world.add_guild("Rota goes on")
    olive = guild.add_member("olive", manage_guild=True)
    announcements = guild.add_text_channel("announcements")
    driver.command("setup channels", user=olive, announcements=announcements)
    boundary = datetime.fromtimestamp(world.now() + 120, UTC).replace(second=0, microsecond=0)
    driver.command("setup rota", user=olive, rota="facilitator", turn_days=1, at=f"{boundary:%H:%M}")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    for member in (alice, bob):
        assert "You're in" in driver.command("rota join", user=member).text
    guild.remove_member(bob)  # bob is next in line, and has left

    bot.advance_clock(boundary.timestamp() - world.now() + 2)
    world.wait_until(
        lambda: bot.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'member_left'") == [(1,)],
        what="bob's departure noticed",
    )
    world.wait_until(
        lambda: (
            len([m for m in world.messages(announcements) if f"<@{alice.id}> is the **facilitator**" in m.text]) == 2
        ),
        what="the turn back to alice, announced",
    )
    assert bob.id not in {u for p in world.pings for u in p["users"]}  # never pinged
    assert bot.rows("SELECT COUNT(*) FROM rota_members WHERE user_id = ? AND left_at IS NULL", bob.id) == [(0,)]
