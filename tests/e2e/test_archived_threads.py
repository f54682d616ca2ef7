"""A card's thread archives itself after a week, while the shift may be months ahead: a later
claimer still ends up in the thread (Rota unarchives it and tries again); a locked thread, which a
bot without Manage Threads cannot reopen, costs nobody their place."""

from __future__ import annotations

from fakediscord import BotProcess, Channel, Driver, World
from fakediscord.constants import BOT_DEFAULT, MANAGE_THREADS
from tests.reliability.helpers import card_of, offer


def members_of(thread: Channel) -> list[int]:
    return [u.id for u in thread.thread_members]


def test_a_claimer_joins_an_archived_thread(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Archived Thread")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, places=3)
    thread = card_of(world, guild.general, shift_id).thread
    assert thread is not None and alice.id in members_of(thread)

    world.archive_thread(thread)  # a week without a word
    claimed = driver.command("shift claim", user=bob, shift=shift_id)
    assert claimed.ephemeral and "You have a place" in claimed.text
    world.wait_until(lambda: bob.id in members_of(thread), what="bob in the unarchived thread")
    assert not thread.archived

    world.archive_thread(thread)  # and another week: leaving takes bob out of it too
    left = driver.command("shift leave", user=bob, shift=shift_id)
    assert left.ephemeral
    world.wait_until(lambda: bob.id not in members_of(thread), what="bob out of the thread")


def test_a_locked_thread_costs_nobody_their_place(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Locked Thread")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    channel = guild.general
    shift_id = offer(driver, alice, places=3)
    thread = card_of(world, channel, shift_id).thread
    assert thread is not None

    log_from = len(bot.log_text(since_start=True))
    guild.set_bot_permissions(BOT_DEFAULT & ~MANAGE_THREADS)
    world.archive_thread(thread, locked=True)  # a moderator closed the discussion
    claimed = driver.command("shift claim", user=bob, shift=shift_id)
    assert claimed.ephemeral and "You have a place" in claimed.text
    bot.wait_for_log(f"thread {thread.id} is archived and stays so")
    world.wait_until(lambda: "Bob" in card_of(world, channel, shift_id).text, what="the card to show bob")
    assert bob.id not in members_of(thread) and thread.archived and thread.locked
    assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(2,)]
    assert "Traceback" not in bot.log_text(since_start=True)[log_from:]  # logged as a fact, not a crash
