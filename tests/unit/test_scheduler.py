"""The scheduler: due jobs run, a sooner job wakes it early, restarts run a missed job exactly once,
and a failing handler is retried with back-off instead of being lost."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock, SystemClock
from bot.scheduler import LEASE_SECONDS, MAX_ATTEMPTS, JobRun, Scheduler, backoff_seconds
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
    """Wait until `condition()` (which may return an awaitable) is true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        met = condition()
        if inspect.isawaitable(met):
            met = await met
        if met:
            return
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def job_states(db: Database) -> list[str]:
    return [row[0] for row in await db.fetchall("SELECT state FROM jobs ORDER BY id")]


async def states_are(db: Database, *expected: str) -> bool:
    return await job_states(db) == list(expected)


async def job_is(db: Database, state: str, attempts: int) -> bool:
    """The only job is in `state` after `attempts` attempts."""
    rows = await db.fetchall("SELECT state, attempts FROM jobs")
    return [(row["state"], row["attempts"]) for row in rows] == [(state, attempts)]


LOOKED = "scheduler looked at its jobs"


class Looks:
    """Counts the scheduler's "looked at its jobs" log lines: one after each whole pass (every job
    that was due has run by then), just before it goes to sleep."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog
        caplog.set_level(logging.DEBUG, logger="bot.scheduler")

    def count(self) -> int:
        return sum(LOOKED in record.getMessage() for record in self._caplog.records)

    async def again(self) -> None:
        """Wait for a whole pass that began after this call. The first new line may end a pass
        already under way, so wait for two (with ManualClock the scheduler looks every 10 ms)."""
        target = self.count() + 2
        await eventually(lambda: self.count() >= target)


@pytest.fixture
def looks(caplog: pytest.LogCaptureFixture) -> Looks:
    return Looks(caplog)


async def test_runs_a_job_when_it_falls_due(db: Database, looks: Looks) -> None:
    clock = ManualClock(START)
    seen: list[dict[str, object]] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        seen.append(run.job.payload)

    scheduler.register("note", remember)
    await add_job(db, "note", clock.timestamp() + 60, text="hello")
    await scheduler.start()
    try:
        await looks.again()
        assert seen == []  # not due yet
        assert await job_states(db) == ["pending"]
        clock.advance(61)
        await eventually(lambda: seen == [{"text": "hello"}])
        await eventually(lambda: states_are(db, "done"))  # marked done after the handler returned
        await looks.again()
        assert seen == [{"text": "hello"}]  # and not run again
    finally:
        await scheduler.stop()


async def test_a_sooner_job_wakes_the_sleeper_early(db: Database, looks: Looks) -> None:
    clock = SystemClock()  # real time: the sleeper must be woken, not polled
    seen: list[str] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        seen.append(str(run.job.payload["name"]))

    scheduler.register("note", remember)
    await add_job(db, "note", clock.timestamp() + 3600, name="later")
    await scheduler.start()
    try:
        await eventually(lambda: looks.count() >= 1)  # it now sleeps towards "later", an hour away
        await add_job(db, "note", clock.timestamp() + 0.1, name="soon")
        await eventually(lambda: seen == ["soon"], timeout=2)
    finally:
        await scheduler.stop()


async def test_a_job_added_while_the_scheduler_looks_wakes_it(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job committed between "clear the wake-up" and "read the next due time" must not wait for
    the one the scheduler then sleeps towards (an hour away)."""
    clock = SystemClock()
    seen: list[str] = []
    scheduler = Scheduler(db, clock)

    async def remember(run: JobRun) -> None:
        seen.append(str(run.job.payload["name"]))

    scheduler.register("note", remember)
    await add_job(db, "note", clock.timestamp() + 3600, name="later")
    real_next_due_at = jobs.next_due_at
    looked = 0

    async def next_due_at_while_a_job_arrives(database: Database) -> float | None:
        nonlocal looked
        looked += 1
        found = await real_next_due_at(database)  # the hour-away job
        if looked == 1:  # the first look: a sooner job is committed before the answer arrives
            async with db.transaction() as tx:
                await jobs.schedule(tx, "note", clock.timestamp(), {"name": "soon"}, now=clock.timestamp())
        return found

    monkeypatch.setattr(jobs, "next_due_at", next_due_at_while_a_job_arrives)
    await scheduler.start()
    try:
        await eventually(lambda: seen == ["soon"], timeout=2)
    finally:
        await scheduler.stop()


async def test_a_job_missed_while_down_runs_once_after_restart(db: Database, looks: Looks) -> None:
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
        await looks.again()  # a whole pass over the jobs since this start
        await scheduler.stop()
    assert runs == [1]
    assert await job_states(db) == ["done"]


async def test_an_interrupted_job_runs_again_after_restart(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "note", clock.timestamp())
    # this process (by its name) took it and crashed right after
    taken = await jobs.take_due(db, clock.timestamp(), 10, owner="rota", lease_until=clock.timestamp() + 60)
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
    await eventually(lambda: states_are(db, "done"))
    await scheduler.stop()
    assert await db.fetchval("SELECT value FROM meta WHERE key = 'effect'") == "x"


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
        # Move the clock only once the failure has been recorded: its back-off counts from "now".
        await eventually(lambda: job_is(db, "pending", attempts=1))
        row = await db.fetchone("SELECT state, due_at, last_error FROM jobs")
        assert row is not None
        assert "Discord is down" in row["last_error"]
        assert row["due_at"] == pytest.approx(clock.timestamp() + backoff_seconds(1))
        assert attempts == [1]
        clock.advance(backoff_seconds(1))
        await eventually(lambda: job_is(db, "pending", attempts=2))
        clock.advance(backoff_seconds(2))
        await eventually(lambda: job_is(db, "done", attempts=3))
        assert attempts == [1, 2, 3]
    finally:
        await scheduler.stop()


async def test_a_job_that_keeps_failing_is_kept_as_failed_not_dropped(db: Database, looks: Looks) -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(db, clock)
    calls: list[int] = []

    async def broken(run: JobRun) -> None:
        calls.append(run.job.attempts)
        raise RuntimeError("always")

    scheduler.register("broken", broken)
    await add_job(db, "broken", clock.timestamp())
    await scheduler.start()
    try:
        for attempt in range(1, MAX_ATTEMPTS):
            await eventually(lambda attempt=attempt: job_is(db, "pending", attempts=attempt))
            clock.advance(3600)  # past any back-off (capped at an hour)
        await eventually(lambda: job_is(db, "failed", attempts=MAX_ATTEMPTS))
        assert calls == list(range(1, MAX_ATTEMPTS + 1))
        assert "always" in await db.fetchval("SELECT last_error FROM jobs")
        clock.advance(86400)
        await looks.again()
        assert await job_states(db) == ["failed"] and len(calls) == MAX_ATTEMPTS  # kept, and not tried again
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


async def test_a_later_job_does_not_wake_the_sleeper(
    db: Database, looks: Looks, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = SystemClock()
    scheduler = Scheduler(db, clock)
    scheduler.register("note", lambda run: asyncio.sleep(0))
    await add_job(db, "note", clock.timestamp() + 600)
    await scheduler.start()
    try:
        await eventually(lambda: looks.count() >= 1)  # it now sleeps towards the job due in 10 minutes
        takes: list[float] = []
        real = jobs.take_due

        async def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            takes.append(clock.timestamp())
            return await real(*args, **kwargs)

        monkeypatch.setattr(jobs, "take_due", counting)
        woken: list[None] = []
        real_wake = scheduler.wake

        def spying_wake() -> None:
            woken.append(None)
            real_wake()

        monkeypatch.setattr(scheduler, "wake", spying_wake)
        await add_job(db, "note", clock.timestamp() + 3600)  # later than the one it sleeps towards
        # Whether to wake is decided as the transaction commits, before add_job returns: nothing to wait for.
        after_later = (len(woken), len(takes))
        await add_job(db, "note", clock.timestamp() + 60)  # sooner: it must look again
        await eventually(lambda: len(takes) >= 1)
        # (Asserted only now, with the scheduler asleep again: stopping it the very moment it is woken
        # can lose the cancellation on Python 3.11, and a failing test would hang instead of failing.)
        assert after_later == (0, 0), "a job due after the one it sleeps towards woke the scheduler"
        assert len(woken) == 1 and len(takes) == 1
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


async def test_another_process_running_job_is_left_alone_until_its_lease_runs_out(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "note", clock.timestamp())
    lease = clock.timestamp() + LEASE_SECONDS
    assert len(await jobs.take_due(db, clock.timestamp(), 10, owner="other", lease_until=lease)) == 1
    runs: list[str] = []
    scheduler = Scheduler(db, clock, owner="me")

    async def remember(run: JobRun) -> None:
        runs.append(run.owner)

    scheduler.register("note", remember)
    await scheduler.start()
    try:
        assert await jobs.requeue_interrupted(db, owner="me") == 0  # not mine to take back
        assert await job_states(db) == ["running"]
        clock.advance(LEASE_SECONDS + 1)  # the other process died: its lease runs out
        scheduler.wake()
        await eventually(lambda: runs == ["me"])
        await eventually(lambda: states_are(db, "done"))
    finally:
        await scheduler.stop()


async def test_a_renewed_lease_keeps_the_job_and_only_its_owner_finishes_it(db: Database) -> None:
    clock = ManualClock(START)
    await add_job(db, "note", clock.timestamp())
    [job] = await jobs.take_due(db, clock.timestamp(), 10, owner="a", lease_until=clock.timestamp() + 60)
    assert await jobs.renew_leases(db, [job.id], owner="a", lease_until=clock.timestamp() + 120) == 1
    assert await jobs.renew_leases(db, [job.id], owner="b", lease_until=clock.timestamp() + 999) == 0
    clock.advance(90)  # past the first lease, inside the renewed one
    assert await jobs.take_due(db, clock.timestamp(), 10, owner="b", lease_until=clock.timestamp() + 60) == []
    async with db.transaction() as tx:
        assert not await jobs.mark_done(tx, job.id, owner="b", now=clock.timestamp())
        assert await jobs.mark_done(tx, job.id, owner="a", now=clock.timestamp())
    assert await job_states(db) == ["done"]
