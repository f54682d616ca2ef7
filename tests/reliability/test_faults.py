"""Discord misbehaving: the gateway drops, routes answer 429, a member's DMs are closed.

None of these may lose a member's action or stop other work: interactions sent while the socket was
down are replayed on RESUME and answered, rate-limited calls are retried, and a closed DM skips one
reminder, logged, without failing its job.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fakediscord import BotProcess, Driver, FakeDiscord, World
from tests.reliability.helpers import card_of, offer, overbooked


def test_interactions_sent_while_the_gateway_is_down_are_answered(
    bot: BotProcess, fake: FakeDiscord, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Dropped")
    alice = guild.add_member("alice")
    shift_id = offer(driver, alice, places=5)
    card = card_of(world, guild.general, shift_id)
    people = [guild.add_member(f"p{i}") for i in range(3)]
    resumes = fake.resumes
    fake.drop_gateway(hold_resume=1.0)
    pending = [driver.send_command("shift claim", user=p, shift=shift_id) for p in people[:2]]
    pending.append(driver.send_command("help", user=people[2]))
    answers = [p.answer() for p in pending]
    assert fake.resumes == resumes + 1
    assert ["You have a place" in a.text for a in answers[:2]] == [True, True]
    assert answers[2].embed is not None
    assert "You have a place" in driver.click(card, "Claim a place", user=people[2]).text  # and life goes on
    assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(4,)]


def test_work_completes_when_discord_answers_429(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Throttled")
    alice, bob, cara = (guild.add_member(n) for n in ("alice", "bob", "cara"))
    with world.lock:
        earlier = len(world.rate_limited)  # the session's fake keeps what earlier tests met
    for method, route, times in [
        ("POST", "/channels/{channel_id}/messages", 2),  # the card, then DMs
        ("POST", "/channels/{channel_id}/messages/{message_id}/threads", 1),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}", 2),  # card refreshes
        ("PUT", "/channels/{channel_id}/thread-members/{user_id}", 2),
        ("POST", "/users/@me/channels", 1),
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", 1),
    ]:
        world.inject_429(method, route, times=times)
    shift_id = offer(driver, alice, places=3)
    card = card_of(world, guild.general, shift_id)
    for member in (bob, cara):
        assert "You have a place" in driver.click(card, "Claim a place", user=member).text
    world.wait_until(lambda: "3/3 taken" in card_of(world, guild.general, shift_id).text, what="the card refresh")
    thread = card_of(world, guild.general, shift_id).thread
    assert thread is not None
    world.wait_until(lambda: {bob.id, cara.id} <= {u.id for u in thread.thread_members}, what="the thread members")
    cancelled = driver.command("shift cancel", user=alice, shift=shift_id, reason="Storm warning")
    assert "cancelled" in cancelled.text
    for member in (bob, cara):
        world.wait_until(lambda m=member: [d for d in world.dms(m) if "Storm warning" in d.text], what="the DM")
    world.wait_until(lambda: "Cancelled" in card_of(world, guild.general, shift_id).text, what="the cancelled card")
    with world.lock:
        assert not any(world.injected_429.values()), "every injected 429 was served"
        assert len([r for r in world.rate_limited[earlier:] if "(injected)" in r]) == 9


def test_a_burst_of_a_hundred_claims_settles_the_card_without_hitting_the_write_limit(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    world.fail_on_429 = True  # a 429 from the channel write limit becomes a violation
    guild = world.add_guild("Stampede")
    alice = guild.add_member("alice")
    shift_id = offer(driver, alice, places=50, join=False)
    card = card_of(world, guild.general, shift_id)
    people = [guild.add_member(f"p{i}") for i in range(100)]
    answers = driver.concurrently([lambda m=m: driver.click(card, "Claim a place", user=m) for m in people])
    answered = time.monotonic()
    assert sum("You have a place" in a.text for a in answers) == 50
    settled = world.wait_until(
        lambda: (m := card_of(world, guild.general, shift_id)) is not None and "50/50 taken" in m.text and m,
        timeout=10,
        what="the card to settle",
    )
    assert time.monotonic() - answered <= 5.0
    assert settled.edits <= 6  # coalesced
    assert not overbooked(bot)
    with world.lock:
        assert not [r for r in world.rate_limited if str(guild.general.id) in r]


def test_closed_dms_skip_one_reminder_and_nothing_else(
    make_bot: Callable[..., BotProcess], world: World, driver: Driver
) -> None:
    bot = make_bot()
    guild = world.add_guild("Shy")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shy = guild.add_member("shy", dms_closed=True)
    shift_id = offer(driver, alice, when="in 3h", places=4)
    for member in (shy, bob):
        assert "You have a place" in driver.command("shift claim", user=member, shift=shift_id).text
    bot.advance_clock(2 * 3600 + 60)
    for member in (alice, bob):
        world.wait_until(lambda m=member: [d for d in world.dms(m) if "Reminder" in d.text], what="a reminder")
    bot.wait_for_log(f"member {shy.id} does not accept DMs; skipped")
    world.wait_until(
        lambda: (
            bot.rows("SELECT state, COUNT(*) FROM jobs WHERE key LIKE ? GROUP BY state", f"remind:{shift_id}:%")
            == [("done", 3)]
        ),
        what="all three reminder jobs done (the skipped one too, not retried)",
    )
    assert world.dms(shy) == []
    assert "ERROR" not in bot.log_text(since_start=True)
    listing = driver.command("shift list", user=shy, show="mine")  # the member can still use Rota
    assert listing.ephemeral and f"#{shift_id}" in listing.text
