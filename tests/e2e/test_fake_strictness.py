"""The fake really catches what Discord would refuse: each misbehaviour of the minibot is recorded."""

from __future__ import annotations

import pytest

from fakediscord import BotProcess, Driver, NoAnswer, RefusedByClient, World
from fakediscord.constants import MANAGE_THREADS, PRIVATE_THREAD
from fakediscord.entities import Channel


def kinds(world: World) -> list[str]:
    return [v.kind for v in world.drain_violations()]


def test_a_late_answer_is_refused_with_10062(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Late").add_member("alice")
    with pytest.raises(NoAnswer):
        driver.command("late", user=alice)
    minibot.wait_for_log("late answer refused: 10062")
    assert kinds(world) == ["late_response"]


def test_a_second_answer_is_refused_with_40060(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Twice").add_member("alice")
    assert driver.command("twice", user=alice).content == "one"
    minibot.wait_for_log("second answer refused: 40060")
    assert kinds(world) == ["double_response"]


def test_content_over_2000_characters(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Long").add_member("alice")
    driver.command("long", user=alice)
    found = {v.kind: v for v in world.drain_violations()}
    assert set(found) == {"message_limit", "openapi"}  # the spec knows this one too
    assert "2001" in found["message_limit"].detail


def test_everyone_without_allowed_mentions_pings(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Loud")
    alice = guild.add_member("alice")
    driver.command("everyone", user=alice)
    found = world.drain_violations()
    assert [v.kind for v in found] == ["ping"]
    assert "@everyone" in found[0].detail
    assert world.pings[-1]["everyone"] is True


def test_pings_may_be_expected(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Expected pings").add_member("alice")
    world.allow_pings()
    driver.command("everyone", user=alice)
    assert world.violations == []
    assert world.pings[-1]["everyone"] is True


def test_a_shape_only_the_openapi_schema_knows(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Schema").add_member("alice")
    driver.command("badselect", user=alice)
    found = world.drain_violations()
    assert [v.kind for v in found] == ["openapi"]
    assert "/data/components/0/components/0/placeholder" in found[0].detail
    assert "too long" in found[0].detail


def test_too_many_autocomplete_choices(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Greedy").add_member("alice")
    choices = driver.autocomplete("greedy", "name", "", user=alice)
    assert len(choices) == 26
    found = kinds(world)
    assert "autocomplete_limit" in found and "openapi" in found


def test_flooding_a_channel_is_paced_by_the_headers(world: World, driver: Driver, minibot: BotProcess) -> None:
    """discord.py reads X-RateLimit-* and waits itself: 7 messages, no 429 served."""
    guild = world.add_guild("Flood")
    alice = guild.add_member("alice")
    before = len(world.rate_limited)
    world.fail_on_429 = True
    driver.command("flood", user=alice, n=7)
    world.wait_until(lambda: len(world.messages(guild.general)) == 7, timeout=15, what="7 messages")
    assert world.rate_limited[before:] == []


def test_an_injected_429_is_retried_after_retry_after(world: World, driver: Driver, minibot: BotProcess) -> None:
    """A 429 carries Via, so discord.py sleeps retry_after and retries instead of raising."""
    guild = world.add_guild("Injected")
    alice = guild.add_member("alice")
    world.inject_429("POST", "/channels/{channel_id}/messages", times=2, retry_after=0.2)
    driver.command("flood", user=alice, n=1)
    world.wait_until(lambda: world.messages(guild.general), timeout=10, what="the message")
    assert sum("(injected)" in r for r in world.rate_limited) >= 2
    assert [m.content for m in world.messages(guild.general)] == ["message 0"]


def test_a_private_thread_is_seen_only_by_its_members_and_moderators(
    world: World, driver: Driver, minibot: BotProcess
) -> None:
    """Discord: a private thread (type 12) shows nothing to a member who was not added to it, unless
    they have Manage Threads; the driver refuses what their client could not do there."""
    guild = world.add_guild("Hidden Rooms")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    moderator = guild.add_member("mod", roles=[guild.add_role("Mods", permissions=MANAGE_THREADS)])
    with world.lock:
        thread = Channel(  # as Discord sends it (discord.py reads owner_id from every thread it is told of)
            world,
            world.snowflake(),
            PRIVATE_THREAD,
            name="t",
            guild_id=guild.id,
            parent_id=guild.general.id,
            owner_id=alice.id,
            created_at=world.now(),
        )
        thread.thread_member_ids.append(alice.id)
        world.channels[thread.id] = thread
    world.post(thread, alice, "just us")
    assert [m.content for m in world.messages_seen_by(thread, alice)] == ["just us"]
    assert world.messages_seen_by(thread, bob) == []
    assert [m.content for m in world.messages_seen_by(thread, moderator)] == ["just us"]
    assert all(m.channel_id != thread.id for m in world.public_messages(guild))
    with pytest.raises(RefusedByClient):
        driver.command("ping", user=bob, channel=thread)
