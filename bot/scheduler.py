"""Durable jobs: reminders, deadlines and hand-overs that survive restarts.

Jobs live in the `jobs` table. One sleeper task waits for the earliest due job and is woken early
whenever a transaction schedules something. A handler that changes the database finishes its job
inside the same transaction (`run.finish(tx)`), so a restart can never repeat that effect. A handler
that raises is logged and retried with back-off; after MAX_ATTEMPTS the job is kept as `failed`
(visible in the database), never dropped silently.

Several processes may share the jobs: a process takes a due job with a lease in its own name and
renews it while the job runs; a job whose lease runs out (its process died) is taken again by any
process, and a process that restarts under the same name takes back its own at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot import metrics
from bot.clock import Clock
from bot.store import jobs as job_rows
from bot.store.database import JOBS_CHANNEL, Database, Tx
from bot.store.jobs import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE_SECONDS = 60.0
RENEW_EVERY_SECONDS = LEASE_SECONDS / 3
BATCH = 50
CONCURRENCY = 8
KEEP_FINISHED_DAYS = 90  # finished jobs are a record of what was delivered; after that they go


def backoff_seconds(attempts: int) -> float:
    """5 s, 10 s, 20 s ... capped at one hour."""
    return float(min(5 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class JobRun:
    job: Job
    clock: Clock
    owner: str
    finished: bool = False

    @property
    def nonce(self) -> str:
        """The same for every run of this job: Discord drops a message whose nonce it has just seen,
        so a DM sent just before a crash is not sent again when the job runs after the restart."""
        return f"rota-{self.job.id}"

    def nonce_for(self, part: str) -> str:
        """A second message of the same run (`part`: a few letters naming it): Discord compares an
        author's nonces across all channels, so two messages of one run need two nonces."""
        return f"{self.nonce}-{part}"

    async def finish(self, tx: Tx) -> bool:
        """Mark the job done inside `tx`; False means someone cancelled it meanwhile (do nothing)."""
        self.finished = await job_rows.mark_done(tx, self.job.id, owner=self.owner, now=self.clock.timestamp())
        return self.finished


Handler = Callable[[JobRun], Awaitable[None]]


@dataclass
class Scheduler:
    db: Database
    clock: Clock
    #: This process's stable name: the same after a restart, different from every other process.
    owner: str = "rota"
    handlers: dict[str, Handler] = field(default_factory=dict)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _renewer: asyncio.Task[None] | None = None
    _holding: set[int] = field(default_factory=set)
    _running: set[asyncio.Task[None]] = field(default_factory=set)
    _limit: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENCY))
    _sleeping_until: float = -math.inf

    def register(self, kind: str, handler: Handler) -> None:
        self.handlers[kind] = handler

    def wake(self) -> None:
        """Look again at the next due time."""
        self._wake.set()

    def _after_commit(self, tx: Tx) -> None:
        # Only a job due before the one we sleep towards needs a wake-up: most reminders are hours
        # away, and waking for each would cost every claim a scheduler round trip.
        if tx.earliest_job is not None and tx.earliest_job < self._sleeping_until:
            self.wake()

    def _scheduled_elsewhere(self, payload: str) -> None:
        """Another process scheduled a job (its due time): wake if it is due before ours."""
        try:
            due_at = float(payload)
        except ValueError:
            return
        if due_at < self._sleeping_until:
            self.wake()

    async def start(self) -> None:
        if self._task is not None:
            return
        purged = await job_rows.purge_finished(self.db, self.clock.timestamp() - KEEP_FINISHED_DAYS * 86400)
        if purged:
            log.info("forgot %d jobs finished more than %d days ago", purged, KEEP_FINISHED_DAYS)
        requeued = await job_rows.requeue_interrupted(self.db, owner=self.owner)
        if requeued:
            log.info("re-queued %d jobs interrupted by the last shutdown", requeued)
        self.db.after_commit(self._after_commit)
        self.db.on_notice(JOBS_CHANNEL, self._scheduled_elsewhere)
        self._task = asyncio.create_task(self._sleeper(), name="rota-scheduler")
        self._renewer = asyncio.create_task(self._renew_leases(), name="rota-scheduler-leases")

    async def stop(self) -> None:
        for task in (self._task, self._renewer):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._task = self._renewer = None
        if self._running:
            await asyncio.wait(self._running, timeout=5)

    async def _sleeper(self) -> None:
        while True:
            try:
                await self._run_due()
                await self._sleep_until_next()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler loop failed; retrying in 5 s")
                await asyncio.sleep(5)

    async def _sleep_until_next(self) -> None:
        self._wake.clear()
        self._sleeping_until = math.inf  # while we look, any new job wakes us (it is due before "never")
        next_due = await job_rows.next_due_at(self.db)
        self._sleeping_until = math.inf if next_due is None else next_due
        log.debug("scheduler looked at its jobs; next due at %s", next_due)  # tests wait for this line
        if next_due is None:
            timeout = self.clock.poll_interval
        else:
            timeout = max(0.0, next_due - self.clock.timestamp())
            if self.clock.poll_interval is not None:
                timeout = min(timeout, self.clock.poll_interval)
        if timeout == 0.0:
            return
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that arrives as the
        # event is set, and stop() would hang.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    async def _run_due(self) -> None:
        while True:
            now = self.clock.timestamp()
            due = await job_rows.take_due(self.db, now, BATCH, owner=self.owner, lease_until=now + LEASE_SECONDS)
            if not due:
                return
            for job in due:
                metrics.JOBS_STARTED.labels(job.kind).inc()
                if now - job.due_at > metrics.LATE_SECONDS:
                    metrics.JOBS_LATE.labels(job.kind).inc()
            await asyncio.gather(*(self._run_limited(job) for job in due))

    async def _run_limited(self, job: Job) -> None:
        async with self._limit:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await self.run_job(job)
            finally:
                if task is not None:
                    self._running.discard(task)

    async def run_job(self, job: Job) -> None:
        self._holding.add(job.id)
        try:
            await self._run(job)
        finally:
            self._holding.discard(job.id)

    async def _run(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        if handler is None:
            await self._failed(job, f"no handler for job kind {job.kind!r}")
            return
        run = JobRun(job, self.clock, self.owner)
        try:
            await handler(run)
        except Exception as exc:
            log.exception("job %s (%s) failed on attempt %d", job.id, job.kind, job.attempts)
            await self._failed(job, f"{type(exc).__name__}: {exc}")
            return
        if not run.finished:
            async with self.db.transaction() as tx:
                await run.finish(tx)

    async def _renew_leases(self) -> None:
        """Keep the leases of the jobs running here from running out while they run."""
        while True:
            await asyncio.sleep(RENEW_EVERY_SECONDS)
            try:
                until = self.clock.timestamp() + LEASE_SECONDS
                await job_rows.renew_leases(self.db, sorted(self._holding), owner=self.owner, lease_until=until)
            except Exception:
                log.exception("could not renew job leases; retrying")

    async def _failed(self, job: Job, error: str) -> None:
        give_up = job.attempts >= MAX_ATTEMPTS
        now = self.clock.timestamp()
        metrics.JOBS_FAILED.labels(job.kind, "true" if give_up else "false").inc()
        if give_up:
            log.error("job %s (%s) gave up after %d attempts: %s", job.id, job.kind, job.attempts, error)
        await job_rows.retry_later(
            self.db, job.id, now + backoff_seconds(job.attempts), error, give_up=give_up, owner=self.owner, now=now
        )
