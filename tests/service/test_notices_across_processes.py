"""What several processes tell each other through PostgreSQL: a job was scheduled (so a sleeping
scheduler elsewhere wakes), and a once-only chore is done by one of them. SQLite serves one process."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.clock import SystemClock
from bot.scheduler import JobRun, Scheduler
from bot.store import jobs
from bot.store.database import open_database


async def until(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_sqlite_serves_one_process_and_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(str(tmp_path / "rota.sqlite3"))
    await db.open()
    try:
        assert not db.shares_notices
        async with db.exclusively("anything") as mine, db.exclusively("anything") as again:
            assert mine and again
    finally:
        await db.close()


async def test_a_job_scheduled_elsewhere_wakes_a_sleeping_scheduler(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.scheduler")

    def looks() -> int:
        return sum("scheduler looked at its jobs" in r.getMessage() for r in caplog.records)

    clock = SystemClock()  # real time: the sleeper must be woken by the notice, not by polling
    here, elsewhere = open_database(postgres_url), open_database(postgres_url)
    await here.open()
    await elsewhere.open()
    seen: list[str] = []
    scheduler = Scheduler(here, clock, owner="here")

    async def note(run: JobRun) -> None:
        seen.append(str(run.job.payload["name"]))

    scheduler.register("note", note)
    try:
        async with here.transaction() as tx:
            await jobs.schedule(tx, "note", clock.timestamp() + 3600, {"name": "later"}, now=clock.timestamp())
        await scheduler.start()
        await until(lambda: looks() >= 1)  # it has looked, and now sleeps towards "later", an hour away
        async with elsewhere.transaction() as tx:  # another process, whose scheduler is not running
            await jobs.schedule(tx, "note", clock.timestamp(), {"name": "now"}, now=clock.timestamp())
        await until(lambda: seen == ["now"])
    finally:
        await scheduler.stop()
        await here.close()
        await elsewhere.close()


async def test_only_one_process_does_a_chore_at_a_time(postgres_url: str) -> None:
    first, second = open_database(postgres_url), open_database(postgres_url)
    await first.open()
    await second.open()
    try:
        async with first.exclusively("command-sync") as mine:
            assert mine
            async with second.exclusively("command-sync") as theirs:
                assert not theirs
            async with second.exclusively("another chore") as other:
                assert other
        async with second.exclusively("command-sync") as later:
            assert later  # released when the first was done
    finally:
        await first.close()
        await second.close()
