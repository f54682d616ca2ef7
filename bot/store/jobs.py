"""Rows of the durable scheduler: what is due, when, and whether it ran."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, Row, Tx
from bot.store.dialects import SKIP_LOCKED


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    due_at: float
    payload: dict[str, Any]
    attempts: int
    key: str | None


UPSERT = (
    "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at,"
    " payload = excluded.payload, state = 'pending', attempts = 0, last_error = NULL, finished_at = NULL,"
    " owner = NULL, lease_until = NULL"
)


def _job(row: Row) -> Job:
    return Job(row["id"], row["kind"], row["due_at"], json.loads(row["payload"]), row["attempts"], row["key"])


async def schedule(
    tx: Tx, kind: str, due_at: float, payload: dict[str, Any], *, key: str | None = None, now: float
) -> None:
    """Add a job; a job with the same key is replaced (so moving a reminder is one call)."""
    await tx.execute(UPSERT, (kind, due_at, json.dumps(payload, sort_keys=True), key, now))
    tx.scheduled(due_at)


async def schedule_unless_there(
    tx: Tx, kind: str, due_at: float, payload: dict[str, Any], *, key: str, now: float
) -> None:
    """Add a keyed job unless one with that key exists, whatever its state (a recurring job that
    reschedules itself, started by every process at start-up)."""
    await tx.execute(
        "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (kind, due_at, json.dumps(payload, sort_keys=True), key, now),
    )
    tx.scheduled(due_at)


async def schedule_keyed(
    tx: Tx, kind: str, due: list[tuple[float, str]], payload: dict[str, Any], *, now: float
) -> None:
    """`schedule` for several (due_at, key) pairs sharing one payload, in one statement."""
    if not due:
        return
    await tx.executemany(UPSERT, [(kind, due_at, json.dumps(payload, sort_keys=True), key, now) for due_at, key in due])
    tx.scheduled(min(due_at for due_at, _ in due))


async def cancel(tx: Tx, key: str) -> int:
    return await tx.execute("DELETE FROM jobs WHERE key = ? AND state IN ('pending', 'running')", (key,))


async def cancel_prefix(tx: Tx, prefix: str) -> int:
    """Drop every pending job whose key starts with `prefix` (e.g. all reminders of one shift)."""
    return await tx.execute(
        "DELETE FROM jobs WHERE key >= ? AND key < ? AND state IN ('pending', 'running')",
        (prefix, prefix + "\uffff"),
    )


async def next_due_at(db: Database) -> float | None:
    """When the scheduler must look next: the earliest due job, or the earliest lease to run out."""
    value = await db.fetchval(
        "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM jobs WHERE state = 'pending'"
        " UNION ALL SELECT MIN(lease_until) AS t FROM jobs WHERE state = 'running') AS next_times"
    )
    return None if value is None else float(value)


async def take_due(db: Database, now: float, limit: int, *, owner: str, lease_until: float) -> list[Job]:
    """Lease up to `limit` due jobs to `owner` and return them; a job whose lease ran out (its
    process died) is due again. On PostgreSQL, rows another process is taking are skipped
    (`SKIP LOCKED`), so no job is taken twice and nobody waits."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, owner = ?, lease_until = ?"
            " WHERE id IN (SELECT id FROM jobs WHERE (state = 'pending' AND due_at <= ?)"
            " OR (state = 'running' AND lease_until < ?)"
            f" ORDER BY due_at LIMIT ?{SKIP_LOCKED[tx.dialect]})"
            " RETURNING *",
            (owner, lease_until, now, now, limit),
        )
    return sorted((_job(row) for row in rows), key=lambda job: job.due_at)


async def renew_leases(db: Database, job_ids: list[int], *, owner: str, lease_until: float) -> int:
    """Keep holding jobs that are still running here (a slow DM must not look like a dead process)."""
    if not job_ids:
        return 0
    marks = ", ".join("?" for _ in job_ids)
    async with db.transaction() as tx:
        return await tx.execute(
            f"UPDATE jobs SET lease_until = ? WHERE state = 'running' AND owner = ? AND id IN ({marks})",
            (lease_until, owner, *job_ids),
        )


async def mark_done(tx: Tx, job_id: int, *, owner: str, now: float) -> bool:
    """Finish a job inside the caller's transaction; False if it was finished, cancelled, moved, or
    taken over by another process meanwhile (the caller's guarded effect then does nothing twice)."""
    changed = await tx.execute(
        "UPDATE jobs SET state = 'done', finished_at = ?, lease_until = NULL"
        " WHERE id = ? AND state = 'running' AND owner = ?",
        (now, job_id, owner),
    )
    return changed == 1


async def retry_later(
    db: Database, job_id: int, due_at: float, error: str, *, give_up: bool, owner: str, now: float
) -> None:
    """A failed run: try again at `due_at`, or keep the job as failed (never dropped silently)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE jobs SET state = ?, due_at = ?, last_error = ?, finished_at = ?, lease_until = NULL"
            " WHERE id = ? AND state = 'running' AND owner = ?",
            ("failed" if give_up else "pending", due_at, error[:2000], now if give_up else None, job_id, owner),
        )


async def requeue_interrupted(db: Database, *, owner: str) -> int:
    """Jobs this process (by its stable name) left running when it died run again now, without
    waiting for their lease; other processes' running jobs are theirs until their lease runs out."""
    async with db.transaction() as tx:
        return await tx.execute(
            "UPDATE jobs SET state = 'pending', owner = NULL, lease_until = NULL"
            " WHERE state = 'running' AND (owner = ? OR owner IS NULL)",
            (owner,),
        )


async def purge_finished(db: Database, before: float) -> int:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM jobs WHERE state = 'done' AND finished_at < ?", (before,))


async def count_due(db: Database, now: float) -> int:
    """Jobs due by `now` and not run yet (a backlog operators watch)."""
    return int(await db.fetchval("SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND due_at <= ?", (now,)))
