"""Rows of the durable scheduler: what is due, when, and whether it ran."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, Row, Tx


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
    " payload = excluded.payload, state = 'pending', attempts = 0, last_error = NULL, finished_at = NULL"
)


def _job(row: Row) -> Job:
    return Job(row["id"], row["kind"], row["due_at"], json.loads(row["payload"]), row["attempts"], row["key"])


async def schedule(
    tx: Tx, kind: str, due_at: float, payload: dict[str, Any], *, key: str | None = None, now: float
) -> None:
    """Add a job; a job with the same key is replaced (so moving a reminder is one call)."""
    await tx.execute(UPSERT, (kind, due_at, json.dumps(payload, sort_keys=True), key, now))
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
    changed = await tx.execute("DELETE FROM jobs WHERE key = ? AND state IN ('pending', 'running')", (key,))
    return changed


async def cancel_prefix(tx: Tx, prefix: str) -> int:
    """Drop every pending job whose key starts with `prefix` (e.g. all reminders of one shift)."""
    changed = await tx.execute(
        "DELETE FROM jobs WHERE key >= ? AND key < ? AND state IN ('pending', 'running')",
        (prefix, prefix + "\uffff"),
    )
    return changed


async def next_due_at(db: Database) -> float | None:
    value = await db.fetchval("SELECT MIN(due_at) FROM jobs WHERE state = 'pending'")
    return None if value is None else float(value)


async def take_due(db: Database, now: float, limit: int) -> list[Job]:
    """Mark up to `limit` due jobs as running and return them (one transaction, so none is taken twice)."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1"
            " WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= ?"
            " ORDER BY due_at LIMIT ?)"
            " RETURNING *",
            (now, limit),
        )
    return sorted((_job(row) for row in rows), key=lambda job: job.due_at)


async def mark_done(tx: Tx, job_id: int, *, now: float) -> bool:
    """Finish a job inside the caller's transaction; False if it was already finished or cancelled."""
    changed = await tx.execute(
        "UPDATE jobs SET state = 'done', finished_at = ? WHERE id = ? AND state = 'running'", (now, job_id)
    )
    return changed == 1


async def retry_later(db: Database, job_id: int, due_at: float, error: str, *, give_up: bool, now: float) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE jobs SET state = ?, due_at = ?, last_error = ?, finished_at = ? WHERE id = ? AND state = 'running'",
            ("failed" if give_up else "pending", due_at, error[:2000], now if give_up else None, job_id),
        )


async def requeue_interrupted(db: Database) -> int:
    """Jobs left running by a crash run again (their effect was never committed)."""
    async with db.transaction() as tx:
        changed = await tx.execute("UPDATE jobs SET state = 'pending' WHERE state = 'running'")
    return changed


async def purge_finished(db: Database, before: float) -> int:
    async with db.transaction() as tx:
        changed = await tx.execute("DELETE FROM jobs WHERE state = 'done' AND finished_at < ?", (before,))
    return changed
