"""Asking a member to take a place (`/shift handoff`) or swap a turn (`/rota swap`), end to end.

A member whose DMs are closed is asked in the channel, and that post pings exactly them. One open
question per pair: asking the same member again about the same shift or rota while they haven't
answered is refused privately, and nothing is sent to anyone; asking someone else, or asking again
once the first question has ended, works.
"""

from __future__ import annotations

import re
from typing import Any

from fakediscord import BotProcess, Driver, Member, World
from tests.reliability.helpers import future

REPEAT = "You already asked {name} about this; they haven't answered yet. Nothing new was sent."


def offer_shift(driver: Driver, user: Member) -> int:
    answer = driver.command("shift offer", user=user, when=future(driver.world), where="Market Square", places=2)
    assert answer.ephemeral and "Posted" in answer.text, answer.text
    match = re.search(r"#(\d+)", answer.text)
    assert match, answer.text
    return int(match.group(1))


def join(driver: Driver, *members: Member) -> None:
    for member in members:
        answer = driver.command("rota join", user=member)
        assert answer.ephemeral and "You're in" in answer.text, answer.text


def pings_in(world: World, channel: Any) -> list[dict[str, Any]]:
    """Everyone the bot's messages in this channel notified, message by message."""
    ids = {m.id for m in world.messages(channel)}
    with world.lock:
        return [p for p in world.pings if p["message_id"] in ids]


def asked_here(world: World, answer: Any, channel: Any, them: Member) -> Any:
    """The public question to `them` (DMs closed): it pings them and nobody else."""
    assert answer.ephemeral and "doesn't accept DMs" in answer.text, answer.text
    post = answer.wait_followups(1)[-1]
    assert not post.ephemeral and post.channel_id == channel.id and post.buttons
    assert post.content.startswith(f"<@{them.id}>")
    assert post.mention_user_ids == [them.id] and not post.mention_role_ids and not post.mention_everyone
    mine = [p for p in pings_in(world, channel) if p["message_id"] == post.id]
    assert mine == [{"message_id": post.id, "users": [them.id], "roles": [], "everyone": False}]
    return post


def dm_attempts(world: World, them: Member) -> int:
    """The bot's requests to send `them` a DM (refused or not)."""
    with world.lock:
        dm = world.users[them.id].dm_channel_id
        return sum(1 for r in world.requests if dm is not None and r == f"POST /channels/{dm}/messages")


def refused_quietly(world: World, answer: Any, channel: Any, them: Member) -> None:
    """A repeat: a private refusal naming them, and nothing new in the channel or their DMs."""
    posts, pings, dms = len(world.messages(channel)), len(pings_in(world, channel)), dm_attempts(world, them)
    assert answer.ephemeral and answer.text == REPEAT.format(name=them.name.capitalize()), answer.text
    # The question is sent before the answer (`ask_to_accept`), so an answer with nothing sent means
    # nothing will be: no need to wait and see.
    assert not answer.followups
    assert (len(world.messages(channel)), len(pings_in(world, channel)), dm_attempts(world, them)) == (
        posts,
        pings,
        dms,
    )


def test_a_handoff_to_closed_dms_pings_only_them_and_a_repeat_sends_nothing(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    world.allow_pings()  # the deliberate ones: the member being asked, and nobody else
    guild = world.add_guild("Handoff questions")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shy = guild.add_member("shy", dms_closed=True)
    channel = guild.general
    shift_id = offer_shift(driver, alice)

    first = asked_here(world, driver.command("shift handoff", user=alice, shift=shift_id, to=shy), channel, shy)
    repeat = driver.command("shift handoff", user=alice, shift=shift_id, to=shy)
    refused_quietly(world, repeat, channel, shy)
    assert bot.rows("SELECT status FROM shift_handoffs WHERE shift_id = ?", shift_id) == [("pending",)]
    assert pings_in(world, channel) == [{"message_id": first.id, "users": [shy.id], "roles": [], "everyone": False}]

    # The question asked in the channel is seen by everyone there: the bot itself refuses anyone but
    # the member asked, privately, and changes nothing.
    stranger = driver.click(first, "Accept the place", user=bob)
    assert stranger.ephemeral and "Only the member this place was offered to" in stranger.text, stranger.text
    assert bot.rows("SELECT status FROM shift_handoffs WHERE shift_id = ?", shift_id) == [("pending",)]
    declined = driver.click(first, "Decline", user=shy)
    assert "declined" in declined.text and not declined.buttons
    again = asked_here(world, driver.command("shift handoff", user=alice, shift=shift_id, to=shy), channel, shy)
    assert [p["users"] for p in pings_in(world, channel)] == [[shy.id], [shy.id]]
    driver.click(again, "Accept the place", user=shy)
    assert bot.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id) == [(shy.id,)]
    assert alice.id not in {u for p in pings_in(world, channel) for u in p["users"]}
    assert bob.id not in {u for p in pings_in(world, channel) for u in p["users"]}


def test_a_repeated_handoff_by_dm_is_refused_until_the_first_question_ends(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Handoff repeats")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    channel = guild.general
    shift_id = offer_shift(driver, alice)

    def questions(member: Member) -> list[Any]:
        return [m for m in world.dms(member) if m.buttons and f"#{shift_id} " in m.text]

    # Three at once (a double click, an impatient retry): exactly one question goes out.
    answers = driver.concurrently(
        [lambda: driver.command("shift handoff", user=alice, shift=shift_id, to=bob) for _ in range(3)]
    )
    assert sorted("I've asked Bob by DM" in a.text for a in answers) == [False, False, True], answers
    for answer in answers:
        if "I've asked" not in answer.text:
            refused_quietly(world, answer, channel, bob)
    world.wait_until(lambda: len(questions(bob)) == 1, what="the one handoff DM")
    refused_quietly(world, driver.command("shift handoff", user=alice, shift=shift_id, to=bob), channel, bob)
    assert len(questions(bob)) == 1

    # Someone else may be asked (Bob's question is withdrawn), and then Bob again.
    assert "I've asked Cara by DM" in driver.command("shift handoff", user=alice, shift=shift_id, to=cara).text
    assert "I've asked Bob by DM" in driver.command("shift handoff", user=alice, shift=shift_id, to=bob).text
    request = world.wait_until(lambda: len(questions(bob)) == 2 and questions(bob)[-1], what="Bob asked again")
    driver.click(request, "Decline", user=bob)  # that DM loses its buttons
    assert "I've asked Bob by DM" in driver.command("shift handoff", user=alice, shift=shift_id, to=bob).text
    request = world.wait_until(
        lambda: len(questions(bob)) == 2 and questions(bob)[-1].id > request.id and questions(bob)[-1],
        what="Bob asked once more",
    )
    statuses = bot.rows("SELECT status FROM shift_handoffs WHERE shift_id = ? ORDER BY id", shift_id)
    assert statuses == [("withdrawn",), ("withdrawn",), ("declined",), ("pending",)]
    driver.click(request, "Decline", user=bob)


def test_a_swap_with_closed_dms_pings_only_them_and_a_repeat_sends_nothing(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    world.allow_pings()  # the deliberate ones: the member being asked, and nobody else
    guild = world.add_guild("Swap questions")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    cara = guild.add_member("cara", dms_closed=True)
    channel = guild.general
    join(driver, alice, bob, cara)

    first = asked_here(world, driver.command("rota swap", user=bob, **{"with": cara}), channel, cara)
    refused_quietly(world, driver.command("rota swap", user=bob, **{"with": cara}), channel, cara)
    assert pings_in(world, channel) == [{"message_id": first.id, "users": [cara.id], "roles": [], "everyone": False}]

    # Asking someone else withdraws the question to Cara; then Cara may be asked again.
    other = driver.command("rota swap", user=bob, **{"with": alice})
    assert other.ephemeral and "I've asked Alice by DM" in other.text, other.text
    late = driver.click(first, "Accept the swap", user=cara)
    assert late.ephemeral and "already withdrawn" in late.text, late.text
    second = asked_here(world, driver.command("rota swap", user=bob, **{"with": cara}), channel, cara)
    declined = driver.click(second, "Decline", user=cara)
    assert "declined" in declined.text and not declined.buttons
    third = asked_here(world, driver.command("rota swap", user=bob, **{"with": cara}), channel, cara)
    assert [p["users"] for p in pings_in(world, channel)] == [[cara.id], [cara.id], [cara.id]]
    statuses = bot.rows(
        "SELECT s.status FROM rota_swaps s JOIN rotas r ON r.id = s.rota_id WHERE r.guild_id = ? ORDER BY s.id",
        guild.id,
    )
    assert statuses == [("withdrawn",), ("withdrawn",), ("declined",), ("pending",)]
    driver.click(third, "Decline", user=cara)
