"""Two processes share one database's jobs: every due job runs exactly once, and a process that
dies mid-job leaves it to the other once its lease runs out. Each "process" here has its own
connections (its own Database) and its own scheduler name, as two real processes would."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.scheduler import LEASE_SECONDS, JobRun, Scheduler
from bot.store import jobs
from bot.store.database import Database, open_database

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def schedule_notes(db: Database, clock: ManualClock, count: int) -> None:
    async with db.transaction() as tx:
        for n in range(count):
            await jobs.schedule(tx, "note", clock.timestamp(), {"n": n}, key=f"note:{n}", now=clock.timestamp())


async def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_two_processes_run_every_due_job_exactly_once(database_url: str) -> None:
    clock = ManualClock(START)
    first, second = open_database(database_url), open_database(database_url)
    await first.open()
    await second.open()
    ran: Counter[int] = Counter()
    by: Counter[str] = Counter()
    schedulers = [Scheduler(first, clock, owner="one"), Scheduler(second, clock, owner="two")]

    for scheduler in schedulers:

        async def note(run: JobRun, db: Database = scheduler.db) -> None:
            await asyncio.sleep(0)  # let the other process interleave
            async with db.transaction() as tx:  # the effect and `done` in one transaction
                if await run.finish(tx):
                    ran[int(run.job.payload["n"])] += 1
                    by[run.owner] += 1

        scheduler.register("note", note)
    try:
        await schedule_notes(first, clock, 300)
        await asyncio.gather(*(s.start() for s in schedulers))

        async def all_done() -> bool:
            return await first.fetchval("SELECT COUNT(*) FROM jobs WHERE state = 'done'") == 300

        await wait_for(all_done)
        assert sorted(ran) == list(range(300)) and set(ran.values()) == {1}
        assert sum(by.values()) == 300
    finally:
        for scheduler in schedulers:
            await scheduler.stop()
        await first.close()
        await second.close()


async def test_a_job_of_a_process_that_died_runs_once_its_lease_runs_out(database_url: str) -> None:
    clock = ManualClock(START)
    dead, alive = open_database(database_url), open_database(database_url)
    await dead.open()
    await alive.open()
    runs: list[str] = []
    scheduler = Scheduler(alive, clock, owner="alive")

    async def note(run: JobRun) -> None:
        runs.append(run.owner)

    scheduler.register("note", note)
    try:
        await schedule_notes(dead, clock, 1)
        now = clock.timestamp()
        taken = await jobs.take_due(dead, now, 10, owner="dead", lease_until=now + LEASE_SECONDS)
        assert len(taken) == 1  # ... and then the "dead" process never finishes it
        await scheduler.start()
        lease = now + LEASE_SECONDS
        assert await jobs.take_due(alive, now, 10, owner="alive", lease_until=lease) == []  # still held
        clock.advance(LEASE_SECONDS + 1)
        scheduler.wake()

        async def done() -> bool:
            return runs == ["alive"] and await alive.fetchval("SELECT state FROM jobs") == "done"

        await wait_for(done)
    finally:
        await scheduler.stop()
        await dead.close()
        await alive.close()
