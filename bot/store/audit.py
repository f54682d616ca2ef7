"""The audit log: every change that affects others, written in the same transaction as the change."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.members import Actor
from bot.domain.records import AuditEntry
from bot.store.database import Database, Row, Tx

KINDS = ("shifts", "rota", "proposals", "settings", "data")


#: How the record names Rota itself, for what the scheduler does (hand-overs, lapses, outcomes).
ROTA_ITSELF = "Rota"


async def record(
    tx: Tx,
    *,
    guild_id: int,
    actor: Actor | None,
    kind: str,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
    at: float,
) -> AuditEntry:
    """Write one audit row inside `tx` and remember it for the log-channel mirror; `actor` None is
    Rota itself."""
    detail = detail or {}
    actor_id, actor_name = (actor.user_id, actor.name) if actor is not None else (None, ROTA_ITSELF)
    entry_id = await tx.insert(
        "INSERT INTO audit_log (guild_id, actor_id, actor_name, kind, action, subject, detail, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (guild_id, actor_id, actor_name, kind, action, subject, json.dumps(detail, sort_keys=True), at),
    )
    entry = AuditEntry(entry_id, guild_id, actor_id, actor_name, kind, action, subject, detail, at)
    tx.audit_entries.append(entry)
    return entry


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        row["id"],
        row["guild_id"],
        row["actor_id"],
        row["actor_name"],
        row["kind"],
        row["action"],
        row["subject"],
        json.loads(row["detail"]),
        row["created_at"],
    )


async def recent(
    db: Database,
    guild_id: int,
    *,
    since: float,
    kind: str | None = None,
    actor_id: int | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    sql = "SELECT * FROM audit_log WHERE guild_id = ? AND created_at >= ?"
    params: list[Any] = [guild_id, since]
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    if actor_id is not None:
        sql += " AND actor_id = ?"
        params.append(actor_id)
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
    params.append(limit)
    return [_entry(row) for row in await db.fetchall(sql, params)]
