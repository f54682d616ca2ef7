"""Turns at identifying with Discord's gateway, shared by every process on the database."""

from __future__ import annotations

from bot.store.database import Database


async def take_slot(db: Database, bucket: int, *, now: float, window: float) -> float:
    """Take the bucket's turn if its last identify was at least `window` seconds ago: 0.0. Else the
    seconds to wait before asking again. One guarded statement, so two processes never both win."""
    async with db.transaction() as tx:
        won = await tx.fetchval(
            "INSERT INTO identify_slots (bucket, last_at) VALUES (?, ?)"
            " ON CONFLICT (bucket) DO UPDATE SET last_at = excluded.last_at WHERE identify_slots.last_at <= ?"
            " RETURNING last_at",
            (bucket, now, now - window),
        )
        if won is not None:
            return 0.0
        last = await tx.fetchval("SELECT last_at FROM identify_slots WHERE bucket = ?", (bucket,))
    return max(0.01, float(last) + window - now)
