"""Two Rota processes, shards 0 and 1 of 2, on one PostgreSQL database, against a sharded fake.

What a deployment past one machine must keep: each process answers its own servers; a DM button
(which Discord delivers to shard 0) works for a server on shard 1; every due reminder is sent
exactly once though both schedulers look at the same jobs; and the two took turns to identify.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakediscord import BotProcess, Driver, FakeDiscord, World
from tests.reliability.helpers import card_of

WHEN = "in 3h"


@pytest.fixture
def two_shards(fake: FakeDiscord, bot_pool: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDiscord]:
    """The fake as a bot of two shards; the shared bot (one shard) is paused meanwhile."""
    bot_pool.pause_all()
    monkeypatch.setattr(fake.gateway, "recommended_shards", 2)
    time.sleep(fake.gateway.identify_wait())  # the paused bot's last IDENTIFY does not count against ours
    yield fake


@pytest.fixture
def processes(two_shards: FakeDiscord, postgres_url: str, tmp_path: Path) -> Iterator[list[BotProcess]]:
    made = [
        BotProcess(
            two_shards,
            tmp_path / f"shard{shard}",
            extra_env={
                "ROTA_DATABASE": postgres_url,
                "ROTA_SHARD_COUNT": "2",
                "ROTA_SHARD_IDS": str(shard),
                "ROTA_INSTANCE": f"rota-{shard}",
            },
        )
        for shard in (0, 1)
    ]
    try:
        yield made
    finally:
        for proc in made:
            if proc.running:
                proc.stop()


def offer(driver: Driver, user: Any, **options: Any) -> int:
    answer = driver.command("shift offer", user=user, when=WHEN, where="Market Square", **options)
    assert answer.ephemeral and "Posted" in answer.text, answer.text
    found = re.search(r"#(\d+)", answer.text)
    assert found is not None
    return int(found.group(1))


def test_two_processes_share_the_servers_the_jobs_and_the_dm_buttons(
    processes: list[BotProcess], world: World, driver: Driver, two_shards: FakeDiscord
) -> None:
    refused_before = two_shards.identify_too_fast
    for proc in processes:  # the fake counts the bot connected once both shards are
        proc.start(wait=False)
    for proc in processes:
        proc.wait_ready()
    assert two_shards.identify_too_fast == refused_before  # they took turns through the database

    near, far = world.add_guild_on_shard("Near", 0, 2), world.add_guild_on_shard("Far", 1, 2)
    people = {}
    for guild in (near, far):
        people[guild.id] = (guild.add_member("alice"), guild.add_member("bob"))
    # Each server's commands reach only the process of its shard; both answer.
    shifts = {guild.id: offer(driver, people[guild.id][0], places=2) for guild in (near, far)}
    first = processes[0]

    # A DM button for the far server reaches shard 0's process, which answers it from the database.
    alice, bob = people[far.id]
    asked = driver.command("shift handoff", user=alice, shift=shifts[far.id], to=bob)
    assert "asked" in asked.text, asked.text
    request = world.wait_until(lambda: [m for m in world.dms(bob) if m.buttons], what="the handoff DM")[-1]
    accepted = driver.click(request, "Accept the place", user=bob)
    assert "is yours" in accepted.text, accepted.text
    assert first.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shifts[far.id]) == [(bob.id,)]
    world.wait_until(lambda: [m for m in world.dms(alice) if "accepted" in m.text], what="the giver told")
    # The card is shard 1's to edit: shard 0's process told it through the database.
    world.wait_until(
        lambda: (card := card_of(world, far.general, shifts[far.id])) is not None and "Bob" in card.text,
        what="the far server's card to show Bob",
    )

    # Every reminder is sent once, though both schedulers look at the same jobs.
    processes[0].advance_clock(2 * 3600 + 60)
    processes[1].sync_clock()
    holders = [people[near.id][0], bob]
    for member in holders:
        world.wait_until(lambda m=member: [d for d in world.dms(m) if "Reminder" in d.text], what="a reminder")
    world.wait_until(
        lambda: first.rows("SELECT COUNT(*) FROM jobs WHERE kind = 'shift_reminder' AND state = 'done'") == [(2,)],
        what="both reminder jobs done",
    )
    for member in holders:
        assert len([d for d in world.dms(member) if "Reminder" in d.text]) == 1
    owners = {row[0] for row in first.rows("SELECT owner FROM jobs WHERE kind = 'shift_reminder'")}
    assert owners <= {"rota-0", "rota-1"}


def test_a_killed_process_leaves_its_running_job_to_the_other_once_the_lease_runs_out(
    processes: list[BotProcess], world: World, driver: Driver
) -> None:
    for proc in processes:
        proc.start(wait=False)
    for proc in processes:
        proc.wait_ready()
    first, second = processes
    guild = world.add_guild_on_shard("Lease", 1, 2)
    alice = guild.add_member("alice")
    shift_id = offer(driver, alice, places=2)  # alice holds a place: her 1 h reminder is due in 2 h
    reminder = f"remind:{shift_id}:{alice.id}:60"
    assert len(first.rows("SELECT id FROM jobs WHERE key = ?", reminder)) == 1

    # Shard 1's process took the reminder when it fell due, then died before finishing it: its
    # lease runs to a minute after the due time.
    second.kill()
    due = first.rows("SELECT due_at FROM jobs WHERE key = ?", reminder)[0][0]
    first.rows("UPDATE jobs SET state = 'running', owner = 'rota-1', lease_until = ? WHERE key = ?", due + 60, reminder)
    first.advance_clock(2 * 3600 + 1)  # due, but still leased to the dead process
    assert first.rows("SELECT state, owner FROM jobs WHERE key = ?", reminder) == [("running", "rota-1")]

    first.advance_clock(61)  # the dead process's lease runs out: shard 0's process takes the job
    dm = world.wait_until(lambda: [m for m in world.dms(alice) if "Reminder" in m.text], what="the reminder")
    assert f"#{shift_id}" in dm[0].text
    world.wait_until(
        lambda: first.rows("SELECT state, owner FROM jobs WHERE key = ?", reminder) == [("done", "rota-0")],
        what="the job done by the living process",
    )
    assert len([m for m in world.dms(alice) if "Reminder" in m.text]) == 1


def test_without_settings_one_process_runs_every_shard_discord_recommends(
    two_shards: FakeDiscord, world: World, driver: Driver, tmp_path: Path
) -> None:
    proc = BotProcess(two_shards, tmp_path / "all-shards")
    try:
        proc.start()  # the fake counts it connected only once both recommended shards are
        for shard in (0, 1):
            guild = world.add_guild_on_shard(f"Shard {shard}", shard, 2)
            assert (
                "Posted"
                in driver.command("shift offer", user=guild.add_member("alice"), when=WHEN, where="Hall", places=2).text
            )
    finally:
        proc.stop()


def test_a_dm_answer_on_one_process_and_claims_on_the_other_never_overbook(
    processes: list[BotProcess], world: World, driver: Driver
) -> None:
    """Shard 0's process answers a handoff (a DM button) while shard 1's takes claims and a leave
    on the same shift: both decide on the same rows, and exactly the places there are get filled."""
    for proc in processes:
        proc.start(wait=False)
    for proc in processes:
        proc.wait_ready()
    first = processes[0]
    guild = world.add_guild_on_shard("Race", 1, 2)
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    others = [guild.add_member(f"m{i}") for i in range(6)]
    shift_id = offer(driver, alice, places=3)  # alice holds one of three places
    asked = driver.command("shift handoff", user=alice, shift=shift_id, to=bob)
    assert "asked" in asked.text, asked.text
    request = world.wait_until(lambda: [m for m in world.dms(bob) if m.buttons], what="the handoff DM")[-1]
    card = card_of(world, guild.general, shift_id)

    calls = [
        lambda: driver.click(request, "Accept the place", user=bob),  # shard 0's process
        lambda: driver.click(card, "Leave", user=alice),  # shard 1's process, like every claim
        *[lambda m=m: driver.click(card, "Claim a place", user=m) for m in others],
    ]
    accepted, left, *claims = driver.concurrently(calls)
    assert all(answer.ephemeral for answer in [left, *claims])

    holders = {row[0] for row in first.rows("SELECT user_id FROM shift_places WHERE shift_id = ?", shift_id)}
    assert len(holders) == 3
    refused = [answer for answer in claims if "Every place" in answer.text]
    assert len(refused) == len(others) - (3 - (bob.id in holders)), [answer.text for answer in claims]
    assert first.rows("SELECT taken FROM shifts WHERE id = ?", shift_id) == [(3,)]
    assert alice.id not in holders  # she left one way or the other: her place went to bob, or she let it go
    assert (bob.id in holders) == ("is yours" in accepted.text), accepted.text
    # The card, edited only by shard 1's process, ends showing exactly who holds the places.
    names = {alice.id: "Alice", bob.id: "Bob", **{m.id: m.name.capitalize() for m in others}}
    world.wait_until(
        lambda: (
            (now := card_of(world, guild.general, shift_id)) is not None
            and "3/3 taken" in now.text
            and all(names[h] in now.text for h in holders)
        ),
        what="the card to show the three holders",
    )


def test_a_card_changed_while_its_owner_is_down_is_refreshed_when_it_starts(
    processes: list[BotProcess], world: World, driver: Driver
) -> None:
    for proc in processes:
        proc.start(wait=False)
    for proc in processes:
        proc.wait_ready()
    first, second = processes
    guild = world.add_guild_on_shard("Restart", 1, 2)
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, places=2)
    assert "asked" in driver.command("shift handoff", user=alice, shift=shift_id, to=bob).text
    request = world.wait_until(lambda: [m for m in world.dms(bob) if m.buttons], what="the handoff DM")[-1]

    second.stop()  # the process that edits this server's cards is down ...
    accepted = driver.click(request, "Accept the place", user=bob)  # ... while shard 0's changes the shift
    assert "is yours" in accepted.text, accepted.text
    world.wait_until(
        lambda: first.rows("SELECT kind, card_id FROM stale_cards") == [("shift", shift_id)], what="the ask kept"
    )
    assert "Bob" not in card_of(world, guild.general, shift_id).text

    second.start()
    world.wait_until(
        lambda: "Bob" in card_of(world, guild.general, shift_id).text, what="the card refreshed by its owner"
    )
    world.wait_until(lambda: first.rows("SELECT COUNT(*) FROM stale_cards") == [(0,)], what="the ask settled")
