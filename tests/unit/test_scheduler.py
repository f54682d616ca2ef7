"""The scheduler: due jobs run, a sooner job wakes it early, restarts run a missed job exactly once,
and a failing handler is retried with back-off instead of being lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock, SystemClock
from bot.scheduler import MAX_ATTEMPTS, JobRun, Scheduler, backoff_seconds
from bot.store import jobs
from bot.store.sqlite import SqliteDatabase as Database

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "rota.sqlite3")
    await database.open()
    yield database
    await database.close()


async def add_job(db: Database, kind: str, due_at: float, key: str | None = None, **payload: object) -> None:
    async with db.transaction() as tx:
        await jobs.schedule(tx, kind, due_at, dict(payload), key=key, now=due_at)


async def eventually(condition, timeout: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def job_states(db: Database) -> list[str]:
    return [row[0] for row in await db.fetchall("SELECT state FROM jobs ORDER BY id")]


async def test_runs_a_job_when_it_falls_due(db: Database) -> None:
    clock = ManualClock(START)
    seen: list[dict[str, object]] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        seen.append(run.job.payload)

    scheduler.register("note", remember)
    await add_job(db, "note", clock.timestamp() + 60, text="hello")
    await scheduler.start()
    try:
        await asyncio.sleep(0.1)
        assert seen == []  # not due yet
        clock.advance(61)
        await eventually(lambda: seen == [{"text": "hello"}])
        await eventually(lambda: True)
        assert await job_states(db) == ["done"]
    finally:
        await scheduler.stop()


async def test_a_sooner_job_wakes_the_sleeper_early(db: Database) -> None:
    clock = SystemClock()  # real time: the sleeper must be woken, not polled
    seen: list[str] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        seen.append(str(run.job.payload["name"]))

    scheduler.register("note", remember)
    await add_job(db, "note", clock.timestamp() + 3600, name="later")
    await scheduler.start()
    try:
        await asyncio.sleep(0.05)
        await add_job(db, "note", clock.timestamp() + 0.1, name="soon")
        await eventually(lambda: seen == ["soon"], timeout=2)
    finally:
        await scheduler.stop()


async def test_a_job_missed_while_down_runs_once_after_restart(db: Database) -> None:
    clock = ManualClock(START)
    runs: list[int] = []
    await add_job(db, "note", clock.timestamp() + 10, key="k1")
    clock.advance(3600)  # the bot was down when it fell due

    for _ in range(2):  # two restarts in a row
        scheduler = Scheduler(db, clock)

        async def remember(run: JobRun) -> None:
            runs.append(run.job.id)

        scheduler.register("note", remember)
        await scheduler.start()
        await asyncio.sleep(0.1)
        await scheduler.stop()
    assert runs == [1]
    assert await job_states(db) == ["done"]


async def test_an_interrupted_job_runs_again_after_restart(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "note", clock.timestamp())
    taken = await jobs.take_due(db, clock.timestamp(), 10)  # a crash right after taking it
    assert len(taken) == 1
    runs: list[int] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        runs.append(run.job.id)

    scheduler.register("note", remember)
    await scheduler.start()
    await eventually(lambda: runs == [1])
    await scheduler.stop()


async def test_effect_and_completion_share_one_transaction(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "effect", clock.timestamp())
    scheduler = Scheduler(db, clock)

    async def write_effect(run: JobRun) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('effect', 'x')")
            await run.finish(tx)

    scheduler.register("effect", write_effect)
    await scheduler.start()
    await eventually(lambda: True)
    await asyncio.sleep(0.1)
    await scheduler.stop()
    assert await db.fetchval("SELECT value FROM meta WHERE key = 'effect'") == "x"
    assert await job_states(db) == ["done"]


async def test_a_failing_handler_is_retried_with_backoff(db: Database) -> None:
    clock = ManualClock(START)
    attempts: list[int] = []
    scheduler = Scheduler(db, clock)

    async def flaky(run: JobRun) -> None:
        attempts.append(run.job.attempts)
        if len(attempts) < 3:
            raise RuntimeError("Discord is down")

    scheduler.register("flaky", flaky)
    await add_job(db, "flaky", clock.timestamp())
    await scheduler.start()
    try:
        await eventually(lambda: len(attempts) == 1)
        row = await db.fetchone("SELECT state, due_at, last_error FROM jobs")
        assert row is not None
        assert row["state"] == "pending" and "Discord is down" in row["last_error"]
        assert row["due_at"] == pytest.approx(clock.timestamp() + backoff_seconds(1))
        clock.advance(backoff_seconds(1))
        await eventually(lambda: len(attempts) == 2)
        clock.advance(backoff_seconds(2))
        await eventually(lambda: len(attempts) == 3)
        await asyncio.sleep(0.05)
        assert await job_states(db) == ["done"]
        assert attempts == [1, 2, 3]
    finally:
        await scheduler.stop()


async def test_a_job_that_keeps_failing_is_kept_as_failed_not_dropped(db: Database) -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(db, clock)

    async def broken(run: JobRun) -> None:
        raise RuntimeError("always")

    scheduler.register("broken", broken)
    await add_job(db, "broken", clock.timestamp())
    await scheduler.start()
    try:
        for _ in range(MAX_ATTEMPTS + 1):
            await asyncio.sleep(0.05)
            clock.advance(3600)
        await eventually(lambda: True)
        await asyncio.sleep(0.1)
        assert await job_states(db) == ["failed"]
    finally:
        await scheduler.stop()


async def test_rescheduling_by_key_moves_the_job(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "note", clock.timestamp() + 100, key="reminder:1")
    await add_job(db, "note", clock.timestamp() + 500, key="reminder:1")
    rows = await db.fetchall("SELECT due_at FROM jobs")
    assert [row[0] for row in rows] == [clock.timestamp() + 500]
    async with db.transaction() as tx:
        assert await jobs.cancel_prefix(tx, "reminder:") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM jobs") == 0


async def test_a_later_job_does_not_wake_the_sleeper(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = SystemClock()
    scheduler = Scheduler(db, clock)
    scheduler.register("note", lambda run: asyncio.sleep(0))
    await add_job(db, "note", clock.timestamp() + 600)
    await scheduler.start()
    try:
        await asyncio.sleep(0.05)
        looks: list[float] = []
        real = jobs.take_due

        async def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            looks.append(clock.timestamp())
            return await real(*args, **kwargs)

        monkeypatch.setattr(jobs, "take_due", counting)
        await add_job(db, "note", clock.timestamp() + 3600)  # later than the one it sleeps towards
        await asyncio.sleep(0.1)
        assert looks == []
        await add_job(db, "note", clock.timestamp() + 60)  # sooner: it must look again
        await eventually(lambda: len(looks) == 1)
    finally:
        await scheduler.stop()


async def test_finished_jobs_are_forgotten_after_ninety_days(db: Database) -> None:
    clock = ManualClock(START)
    now = clock.timestamp()
    async with db.transaction() as tx:
        for key, age_days in (("old", 100), ("recent", 10)):
            await jobs.schedule(tx, "note", now - age_days * 86400, {}, key=key, now=now)
            await tx.execute(
                "UPDATE jobs SET state = 'done', finished_at = ? WHERE key = ?", (now - age_days * 86400, key)
            )
    scheduler = Scheduler(db, clock)
    await scheduler.start()
    await scheduler.stop()
    assert [r[0] for r in await db.fetchall("SELECT key FROM jobs")] == ["recent"]
