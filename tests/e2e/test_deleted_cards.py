"""A moderator deletes a card: the next change posts it again, once, with the same thread and working
buttons; a deleted channel, or one the bot may no longer post in, is left alone after one try.

Rota runs without the message intents, so it hears of a deletion only when the next edit answers
10008 (Unknown Message), as on Discord.
"""

from __future__ import annotations

import re
from typing import Any

from fakediscord import BotProcess, Driver, Message, World
from fakediscord.constants import BOT_DEFAULT, SEND_MESSAGES
from tests.reliability.helpers import card_of, offer


def cards(world: World, channel: Any, title: str) -> list[Message]:
    return [m for m in world.messages(channel) if m.embed and m.embed.get("title", "").startswith(title)]


def new_card(world: World, channel: Any, title: str, old: Message, needle: str) -> Message:
    """The card posted again in place of `old`, once it says `needle`."""

    def find() -> Message | None:
        found = [m for m in cards(world, channel, title) if m.id != old.id]
        return found[0] if found and needle in found[0].text else None

    return world.wait_until(find, what=f"the card posted again saying {needle!r}")


def posts_to(world: World, channel: Any, since: int) -> list[str]:
    """Message creates and edits the bot sent in a channel since request number `since`."""
    pattern = re.compile(rf"^(POST|PATCH) /channels/{channel.id}/messages(/\d+)?$")
    with world.lock:
        return [r for r in world.requests[since:] if pattern.match(r)]


def test_a_deleted_shift_card_is_posted_again_once_with_its_thread(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Deleted Shift Card")
    alice, bob, cara, mod = (guild.add_member(n) for n in ("alice", "bob", "cara", "mod"))
    channel = guild.general
    shift_id = offer(driver, alice, places=4)
    old = card_of(world, channel, shift_id)
    thread = old.thread
    assert thread is not None

    world.delete_message(old)  # a moderator tidies the channel
    since = len(world.requests)
    claimed = driver.command("shift claim", user=bob, shift=shift_id)
    assert claimed.ephemeral and "You have a place" in claimed.text

    card = new_card(world, channel, f"Shift #{shift_id} ", old, "Bob")
    assert "Alice" in card.text and [b["label"] for b in card.buttons] == ["Claim a place", "Leave"]
    stored = [(card.id, thread.id)]
    world.wait_until(
        lambda: bot.rows("SELECT message_id, thread_id FROM shifts WHERE id = ?", shift_id) == stored,
        what="the new card's message to be stored, with the old thread",
    )
    assert thread.id in world.channels  # the thread outlived its card and is still the shift's thread
    world.wait_until(lambda: bob.id in [u.id for u in thread.thread_members], what="bob in the shift's thread")

    clicked = driver.click(card, "Claim a place", user=cara)  # the new card's buttons work
    assert clicked.ephemeral and "You have a place" in clicked.text
    world.wait_until(lambda: "Cara" in card.text, what="the new card to show cara")
    world.wait_until(lambda: cara.id in [u.id for u in thread.thread_members], what="cara in the shift's thread")
    assert [m.id for m in cards(world, channel, f"Shift #{shift_id} ")] == [card.id]  # posted once
    assert len([r for r in posts_to(world, channel, since) if r.startswith("POST")]) == 1
    assert mod.id not in [u.id for u in thread.thread_members]


def test_a_deleted_proposal_card_is_posted_again_and_counts_positions(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Deleted Proposal Card")
    alice, dan, eve = (guild.add_member(n) for n in ("alice", "dan", "eve"))
    channel = guild.general
    opened = driver.command("propose", user=alice, rule="consent", closes_in="2d")
    answer = driver.submit_modal(opened, {"Title": "Paint the door", "Proposal": "Green."}, user=alice)
    found = re.search(r"#(\d+)", answer.text)
    assert answer.ephemeral and found, answer.text
    pid = int(found.group(1))
    title = f"Proposal #{pid}:"
    old = world.wait_until(lambda: next(iter(cards(world, channel, title)), None), what="the proposal's card")
    thread = old.thread
    assert thread is not None

    asked = driver.click(old, "Block", user=dan)  # dan is writing his reason ...
    world.delete_message(old)  # ... when a moderator deletes the card
    blocked = driver.submit_modal(asked, {"Why do you block it?": "Red is our colour"}, user=dan)
    assert blocked.ephemeral and "you block" in blocked.text

    card = new_card(world, channel, title, old, "Dan")
    assert [b["label"] for b in card.buttons] == ["Agree", "Abstain", "Disagree", "Block"]
    stored = [(card.id, thread.id)]
    world.wait_until(
        lambda: bot.rows("SELECT message_id, thread_id FROM proposals WHERE id = ?", pid) == stored,
        what="the new card's message to be stored, with the old thread",
    )
    world.wait_until(
        lambda: any("Red is our colour" in m.text for m in world.messages(thread)), what="the reason in the thread"
    )

    agreed = driver.click(card, "Agree", user=eve)
    assert agreed.ephemeral and "you agree" in agreed.text
    world.wait_until(lambda: "Eve" in card.text, what="the new card to show eve")
    assert [m.id for m in cards(world, channel, title)] == [card.id]


def test_a_deleted_channel_is_tried_once_and_left(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Deleted Channel")
    alice, bob, cara = (guild.add_member(n) for n in ("alice", "bob", "cara"))
    shifts = guild.add_text_channel("shifts")
    shift_id = offer(driver, alice, channel=shifts, places=4)
    card_of(world, shifts, shift_id)

    world.delete_channel(shifts)  # with the card and its thread
    since = len(world.requests)
    first = driver.command("shift claim", user=bob, shift=shift_id)
    assert first.ephemeral and "You have a place" in first.text
    gone = f"channel {shifts.id} is gone"
    bot.wait_for_log(gone)
    second = driver.command("shift claim", user=cara, shift=shift_id)
    assert second.ephemeral and "You have a place" in second.text
    bot.wait_for_log(f"shift card {shift_id} is left as it is")  # the card worker's turn for cara's claim
    assert [r.split()[0] for r in posts_to(world, shifts, since)] == ["PATCH"]  # one edit, no re-post
    assert bot.log_text(since_start=True).count(gone) == 1
    assert bot.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(3,)]


def test_a_card_deleted_where_the_bot_may_no_longer_post_is_left(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("No Longer Posting")
    alice, bob, cara = (guild.add_member(n) for n in ("alice", "bob", "cara"))
    channel = guild.general
    shift_id = offer(driver, alice, places=4)
    old = card_of(world, channel, shift_id)

    world.delete_message(old)
    guild.set_bot_permissions(BOT_DEFAULT & ~SEND_MESSAGES)
    since = len(world.requests)
    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id).text
    refused = f"shift card {shift_id} was deleted and cannot be posted again"
    bot.wait_for_log(refused)
    assert "You have a place" in driver.command("shift claim", user=cara, shift=shift_id).text
    bot.wait_for_log(f"shift card {shift_id} is left as it is")  # the card worker's turn for cara's claim
    assert [r.split()[0] for r in posts_to(world, channel, since)] == ["PATCH", "POST"]  # tried once
    assert bot.log_text(since_start=True).count(refused) == 1
    assert not cards(world, channel, f"Shift #{shift_id} ")
