"""SIGKILL in the middle of a burst of claims, and across a reminder's due time.

What was acknowledged to a member must survive a crash; what was not may or may not have happened,
but never twice; cards posted before the crash keep working; a reminder is sent exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer, overbooked


def test_sigkill_mid_burst_keeps_every_acknowledged_claim(
    make_bot: Callable[..., BotProcess], world: World, driver: Driver
) -> None:
    bot = make_bot()
    guild = world.add_guild("Crash")
    alice = guild.add_member("alice")
    # Three shifts and 135 people, so the burst outlasts the kill.
    shift_ids = [offer(driver, alice, places=50, join=False, where=f"Stall {n}") for n in range(3)]
    people = [guild.add_member(f"p{i}") for i in range(135)]
    wanted = {person.id: shift_ids[i % 3] for i, person in enumerate(people)}

    # Claims arriving together commit together, so the kill must land between batches: a first
    # wave is answered, then a second is sent and the bot is killed at once, with it in flight.
    first, second = people[:45], people[45:90]
    pending = [driver.send_command("shift claim", user=p, shift=wanted[p.id]) for p in first]
    deadline = time.monotonic() + 10
    while sum(p.interaction.response_type is not None for p in pending) < 3:
        assert time.monotonic() < deadline, "the first claims were never answered"
        time.sleep(0.0005)
    pending += [driver.send_command("shift claim", user=p, shift=wanted[p.id]) for p in second]
    bot.kill()
    # Not a wait before asserting absence: it lets responses the bot sent just before dying reach
    # the fake, so they count as acknowledged below (one landing later only makes the check smaller).
    time.sleep(0.3)
    sent = first + second
    answered = [(person, p) for person, p in zip(sent, pending, strict=True) if p.interaction.response_type]
    assert 3 <= len(answered) < len(sent), "the kill should land while claims are in flight"
    acknowledged = [person.id for person, p in answered if "You have a place" in p.answer().text]

    bot.start()
    holders = {row[0] for row in bot.rows("SELECT user_id FROM shift_places")}
    assert set(acknowledged) <= holders
    assert not overbooked(bot)

    # Everyone tries again: those whose claim went through are told so, the others get a place now.
    for person in people:
        again = driver.command("shift claim", user=person, shift=wanted[person.id])
        expected = "already have a place" if person.id in holders else "You have a place"
        assert expected in again.text, (person, again.text)
    for shift_id in shift_ids:
        assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(45,)]
        claimed = "SELECT COUNT(*) FROM audit_log WHERE action = 'shift_claimed' AND subject = ?"
        assert bot.rows(claimed, str(shift_id)) == [(45,)]  # one audit row per place, none doubled

    # The card posted before the crash still works, and settles on the truth.
    late = guild.add_member("late")
    card = card_of(world, guild.general, shift_ids[0])
    assert "You have a place" in driver.click(card, "Claim a place", user=late).text
    world.wait_until(
        lambda: "46/50 taken" in card_of(world, guild.general, shift_ids[0]).text,
        what="the card to show every claim",
    )


def test_a_reminder_due_across_a_kill_is_sent_exactly_once(
    make_bot: Callable[..., BotProcess], world: World, driver: Driver, scheduler_looked_again: Callable[..., None]
) -> None:
    bot = make_bot(extra_env={"LOG_LEVEL": "DEBUG"})  # for scheduler_looked_again
    guild = world.add_guild("Crash reminders")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, when="in 3h", places=3)
    driver.command("shift claim", user=bob, shift=shift_id)
    bot.kill()
    bot.advance_clock(2 * 3600 + 60)  # the 1 h reminders fall due while the bot is dead
    bot.start()
    for member in (alice, bob):
        world.wait_until(lambda m=member: [d for d in world.dms(m) if "Reminder" in d.text], what="the reminder")
    reminders_done = "SELECT COUNT(*) FROM jobs WHERE key LIKE ? AND state = 'done'", f"remind:{shift_id}:%"
    world.wait_until(lambda: bot.rows(*reminders_done) == [(2,)], what="both reminder jobs to be done")
    bot.kill()  # and once more, right after delivery
    bot.start()
    scheduler_looked_again(bot)  # every job due after the restart has run: a repeat would be sent by now
    assert bot.rows(*reminders_done) == [(2,)]
    for member in (alice, bob):
        assert len([d for d in world.dms(member) if "Reminder" in d.text]) == 1
