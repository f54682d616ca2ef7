"""Proposal rows: the proposal itself and each member's one (changeable) position on it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.domain.records import Proposal, Stance
from bot.store.database import Database, Row, Tx

Reader = Database | Tx


def _dt(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _proposal(row: Row) -> Proposal:
    return Proposal(
        id=row["id"],
        guild_id=row["guild_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        title=row["title"],
        body=row["body"],
        rule=row["rule"],
        quorum=row["quorum"],
        opened_at=_dt(row["opened_at"]),
        closes_at=_dt(row["closes_at"]),
        status=row["status"],
        outcome_reason=row["outcome_reason"],
        closed_at=None if row["closed_at"] is None else _dt(row["closed_at"]),
        action_starts_at=None if row["action_starts_at"] is None else _dt(row["action_starts_at"]),
        action_where=row["action_where"],
        action_places=row["action_places"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        settings_change=None if row["settings_change"] is None else json.loads(row["settings_change"]),
    )


async def insert(
    tx: Tx,
    *,
    guild_id: int,
    author_id: int,
    author_name: str,
    title: str,
    body: str,
    rule: str,
    quorum: int,
    opened_at: datetime,
    closes_at: datetime,
    action_starts_at: datetime | None,
    action_where: str | None,
    action_places: int | None,
    settings_change: dict[str, Any] | None = None,
) -> int:
    return await tx.insert(
        "INSERT INTO proposals (guild_id, author_id, author_name, title, body, rule, quorum, opened_at, closes_at,"
        " action_starts_at, action_where, action_places, settings_change)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            author_id,
            author_name,
            title,
            body,
            rule,
            quorum,
            opened_at.timestamp(),
            int(closes_at.timestamp()),
            None if action_starts_at is None else int(action_starts_at.timestamp()),
            action_where,
            action_places,
            None if settings_change is None else json.dumps(settings_change, sort_keys=True),
        ),
    )


async def get(db: Reader, guild_id: int, proposal_id: int) -> Proposal | None:
    """A proposal of this server (another server's id is simply not found)."""
    row = await db.fetchone("SELECT * FROM proposals WHERE id = ? AND guild_id = ?", (proposal_id, guild_id))
    return None if row is None else _proposal(row)


async def get_any(db: Reader, proposal_id: int) -> Proposal | None:
    row = await db.fetchone("SELECT * FROM proposals WHERE id = ?", (proposal_id,))
    return None if row is None else _proposal(row)


async def set_card(tx: Tx, proposal_id: int, *, channel_id: int, message_id: int, thread_id: int | None) -> None:
    await tx.execute(
        "UPDATE proposals SET channel_id = ?, message_id = ?, thread_id = ? WHERE id = ?",
        (channel_id, message_id, thread_id, proposal_id),
    )


async def close(tx: Tx, proposal_id: int, *, status: str, reason: str | None, at: float) -> bool:
    """Close an open proposal; False when it was already closed or withdrawn (so it closes once)."""
    changed = await tx.execute(
        "UPDATE proposals SET status = ?, outcome_reason = ?, closed_at = ? WHERE id = ? AND status = 'open'",
        (status, reason, at, proposal_id),
    )
    return changed == 1


async def listing(db: Reader, guild_id: int, *, status: str, limit: int = 200) -> list[Proposal]:
    """Open ones soonest-closing first; closed ones latest first."""
    if status == "open":
        sql = "SELECT * FROM proposals WHERE guild_id = ? AND status = 'open' ORDER BY closes_at, id LIMIT ?"
    elif status == "closed":
        sql = "SELECT * FROM proposals WHERE guild_id = ? AND status != 'open' ORDER BY closed_at DESC, id DESC LIMIT ?"
    else:
        sql = "SELECT * FROM proposals WHERE guild_id = ? ORDER BY status != 'open', id DESC LIMIT ?"
    return [_proposal(r) for r in await db.fetchall(sql, (guild_id, limit))]


async def stances(db: Reader, proposal_id: int) -> list[Stance]:
    rows = await db.fetchall(
        "SELECT * FROM proposal_positions WHERE proposal_id = ? ORDER BY updated_at, user_id", (proposal_id,)
    )
    return [Stance(r["user_id"], r["user_name"], r["position"], r["reason"], _dt(r["updated_at"])) for r in rows]


async def stance_of(db: Reader, proposal_id: int, user_id: int) -> Stance | None:
    r = await db.fetchone(
        "SELECT * FROM proposal_positions WHERE proposal_id = ? AND user_id = ?", (proposal_id, user_id)
    )
    return None if r is None else Stance(r["user_id"], r["user_name"], r["position"], r["reason"], _dt(r["updated_at"]))


async def put_stance(
    tx: Tx, proposal_id: int, user_id: int, user_name: str, position: str, reason: str | None, *, at: float
) -> None:
    await tx.execute(
        "INSERT INTO proposal_positions (proposal_id, user_id, user_name, position, reason, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (proposal_id, user_id) DO UPDATE SET"
        " user_name = excluded.user_name, position = excluded.position, reason = excluded.reason,"
        " updated_at = excluded.updated_at",
        (proposal_id, user_id, user_name, position, reason, at),
    )


async def known_members(db: Reader, guild_id: int, *, since: float) -> dict[int, str]:
    """Members who used Rota in this server since `since` (their latest name): the people the bot knows.

    The bot has no member-list intent, so this is the honest "who could have taken a position".
    """
    rows = await db.fetchall(
        "SELECT actor_id, actor_name FROM audit_log WHERE guild_id = ? AND actor_id IS NOT NULL AND created_at >= ?"
        " ORDER BY created_at, id",
        (guild_id, since),
    )
    return {r["actor_id"]: r["actor_name"] for r in rows}


async def linked_shift_ids(db: Reader, proposal_id: int) -> list[int]:
    rows = await db.fetchall("SELECT id FROM shifts WHERE proposal_id = ? ORDER BY id", (proposal_id,))
    return [r["id"] for r in rows]
