"""Rota rows: rotas and their settings, pools (history kept after leaving), away windows, turns, swaps.

A member's `last_held_at` and `turns_held` are a cache of their turns (`held` and `handed_on` rows),
refreshed by `refresh_history` whenever a turn is given or taken back, so a pass never leaves a
member credited with a turn they did not hold.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from bot.domain.records import PoolMember, Rota, Swap, TurnRecord
from bot.domain.rota import AwayWindow, RotaMember
from bot.domain.states import OfferStatus
from bot.store.database import Database, Row, Tx

Reader = Database | Tx

#: Turns that count as held (the holder did the duty, perhaps only part of it).


def _dt(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _sec(when: datetime) -> int:
    return int(when.timestamp())


def _rota(row: Row) -> Rota:
    hours, minutes = (int(part) for part in row["anchor_time"].split(":"))
    return Rota(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        turn_length_days=row["turn_length_days"],
        anchor_weekday=row["anchor_weekday"],
        anchor_time=time(hours, minutes),
        role_id=row["role_id"],
        next_handover_at=None if row["next_handover_at"] is None else _dt(row["next_handover_at"]),
    )


def _member(row: Row) -> PoolMember:
    return PoolMember(
        user_id=row["user_id"],
        name=row["user_name"],
        joined_at=_dt(row["joined_at"]),
        left_at=None if row["left_at"] is None else _dt(row["left_at"]),
        last_held_at=None if row["last_held_at"] is None else _dt(row["last_held_at"]),
        turns_held=row["turns_held"],
    )


def _turn(row: Row) -> TurnRecord:
    return TurnRecord(
        row["id"], row["rota_id"], _dt(row["starts"]), _dt(row["ends"]), row["user_id"], row["status"], row["reason"]
    )


def _swap(row: Row) -> Swap:
    return Swap(
        id=row["id"],
        rota_id=row["rota_id"],
        requester_id=row["requester_id"],
        requester_name=row["requester_name"],
        requester_turn=_dt(row["requester_turn"]),
        other_id=row["other_id"],
        other_name=row["other_name"],
        other_turn=_dt(row["other_turn"]),
        status=OfferStatus(row["status"]),
    )


# --- rotas -------------------------------------------------------------------------------------


async def get(db: Reader, guild_id: int, name: str) -> Rota | None:
    row = await db.fetchone("SELECT * FROM rotas WHERE guild_id = ? AND name = ?", (guild_id, name))
    return None if row is None else _rota(row)


async def get_by_id(db: Reader, rota_id: int) -> Rota | None:
    row = await db.fetchone("SELECT * FROM rotas WHERE id = ?", (rota_id,))
    return None if row is None else _rota(row)


async def names(db: Reader, guild_id: int) -> list[str]:
    rows = await db.fetchall("SELECT name FROM rotas WHERE guild_id = ? ORDER BY name", (guild_id,))
    return [row["name"] for row in rows]


async def create(tx: Tx, guild_id: int, name: str, *, now: float) -> Rota:
    rota_id = await tx.insert("INSERT INTO rotas (guild_id, name, created_at) VALUES (?, ?, ?)", (guild_id, name, now))
    rota = await get_by_id(tx, rota_id)
    assert rota is not None
    return rota


async def update(tx: Tx, rota_id: int, changes: dict[str, Any]) -> None:
    allowed = {"turn_length_days", "anchor_weekday", "anchor_time", "role_id"}
    if set(changes) - allowed:
        raise ValueError(f"unknown rota settings {sorted(set(changes) - allowed)}")
    if changes:
        assignments = ", ".join(f"{name} = :{name}" for name in changes)
        await tx.execute(f"UPDATE rotas SET {assignments} WHERE id = :id", {**changes, "id": rota_id})


async def set_next_handover(tx: Tx, rota_id: int, at: datetime | None) -> None:
    await tx.execute("UPDATE rotas SET next_handover_at = ? WHERE id = ?", (None if at is None else _sec(at), rota_id))


# --- pool --------------------------------------------------------------------------------------


async def pool(db: Reader, rota_id: int) -> list[PoolMember]:
    """Active members, in joining order."""
    rows = await db.fetchall(
        "SELECT * FROM rota_members WHERE rota_id = ? AND left_at IS NULL ORDER BY joined_at, user_id", (rota_id,)
    )
    return [_member(row) for row in rows]


async def member(db: Reader, rota_id: int, user_id: int) -> PoolMember | None:
    """A member's row, including one who has left (their history)."""
    row = await db.fetchone("SELECT * FROM rota_members WHERE rota_id = ? AND user_id = ?", (rota_id, user_id))
    return None if row is None else _member(row)


async def names_of(db: Reader, rota_id: int) -> dict[int, str]:
    """Everyone who was ever in the pool, for rendering turns and history."""
    rows = await db.fetchall("SELECT user_id, user_name FROM rota_members WHERE rota_id = ?", (rota_id,))
    return {row["user_id"]: row["user_name"] for row in rows}


async def join(tx: Tx, rota_id: int, entry: RotaMember, name: str) -> None:
    await tx.execute(
        "INSERT INTO rota_members (rota_id, user_id, user_name, joined_at, last_held_at, turns_held)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (rota_id, user_id) DO UPDATE SET user_name = excluded.user_name,"
        " joined_at = excluded.joined_at, left_at = NULL",
        (
            rota_id,
            entry.user_id,
            name,
            entry.joined_at.timestamp(),
            None if entry.last_held_at is None else _sec(entry.last_held_at),
            entry.turns_held,
        ),
    )


async def leave(tx: Tx, rota_id: int, user_id: int, *, now: float) -> None:
    await tx.execute("UPDATE rota_members SET left_at = ? WHERE rota_id = ? AND user_id = ?", (now, rota_id, user_id))


async def rename(tx: Tx, rota_id: int, user_id: int, name: str) -> None:
    await tx.execute(
        "UPDATE rota_members SET user_name = ? WHERE rota_id = ? AND user_id = ?", (name, rota_id, user_id)
    )


async def refresh_history(tx: Tx, rota_id: int, user_id: int) -> None:
    """Recount a member's turns from the turns table (after a turn is given, handed on or passed)."""
    await tx.execute(
        "UPDATE rota_members SET"
        " last_held_at = (SELECT MAX(starts) FROM rota_turns t WHERE t.rota_id = :rota AND t.user_id = :user"
        "   AND t.status IN ('held', 'handed_on')),"
        " turns_held = (SELECT COUNT(*) FROM rota_turns t WHERE t.rota_id = :rota AND t.user_id = :user"
        "   AND t.status IN ('held', 'handed_on'))"
        " WHERE rota_id = :rota AND user_id = :user",
        {"rota": rota_id, "user": user_id},
    )


# --- away --------------------------------------------------------------------------------------


async def add_away(tx: Tx, rota_id: int, window: AwayWindow, *, now: float) -> None:
    await tx.execute(
        "INSERT INTO rota_away (rota_id, user_id, starts, ends, created_at) VALUES (?, ?, ?, ?, ?)",
        (rota_id, window.user_id, _sec(window.starts), _sec(window.ends), now),
    )


async def away_windows(db: Reader, rota_id: int, *, after: datetime) -> list[AwayWindow]:
    """Windows of active members that have not ended by `after`, soonest first."""
    rows = await db.fetchall(
        "SELECT a.user_id, a.starts, a.ends FROM rota_away a JOIN rota_members m"
        " ON m.rota_id = a.rota_id AND m.user_id = a.user_id AND m.left_at IS NULL"
        " WHERE a.rota_id = ? AND a.ends > ? ORDER BY a.starts, a.user_id",
        (rota_id, _sec(after)),
    )
    return [AwayWindow(row["user_id"], _dt(row["starts"]), _dt(row["ends"])) for row in rows]


async def end_away(tx: Tx, rota_id: int, user_id: int, *, now: datetime) -> int:
    """Cancel a member's windows from `now` on: future ones go, a current one ends now. Returns how many."""
    stamp = _sec(now)
    gone = await tx.execute(
        "DELETE FROM rota_away WHERE rota_id = ? AND user_id = ? AND starts >= ?", (rota_id, user_id, stamp)
    )
    cut = await tx.execute(
        "UPDATE rota_away SET ends = ? WHERE rota_id = ? AND user_id = ? AND starts < ? AND ends > ?",
        (stamp, rota_id, user_id, stamp, stamp),
    )
    return gone + cut


# --- turns -------------------------------------------------------------------------------------


async def current_turn(db: Reader, rota_id: int, at: datetime) -> TurnRecord | None:
    """The held (or vacant) turn running at `at`."""
    stamp = _sec(at)
    row = await db.fetchone(
        "SELECT * FROM rota_turns WHERE rota_id = ? AND status IN ('held', 'vacant') AND starts <= ? AND ends > ?"
        " ORDER BY starts DESC LIMIT 1",
        (rota_id, stamp, stamp),
    )
    return None if row is None else _turn(row)


async def last_holder(db: Reader, rota_id: int, before: datetime) -> int | None:
    """Who held the latest turn starting before `before` (whose role to take back at a hand-over)."""
    row = await db.fetchone(
        "SELECT user_id FROM rota_turns WHERE rota_id = ? AND status IN ('held', 'handed_on', 'vacant')"
        " AND starts < ? ORDER BY starts DESC, id DESC LIMIT 1",
        (rota_id, _sec(before)),
    )
    return None if row is None else row["user_id"]


async def past_turns(db: Reader, rota_id: int, *, before: datetime, limit: int) -> list[TurnRecord]:
    """Turns that ended by `before`, latest first (the record `/rota show` lists)."""
    rows = await db.fetchall(
        "SELECT * FROM rota_turns WHERE rota_id = ? AND status IN ('held', 'handed_on', 'vacant') AND ends <= ?"
        " ORDER BY starts DESC, id DESC LIMIT ?",
        (rota_id, _sec(before), limit),
    )
    return [_turn(row) for row in rows]


async def assigned(db: Reader, rota_id: int, *, since: datetime) -> dict[datetime, int]:
    """Future turns fixed by swaps and passes: start -> holder."""
    rows = await db.fetchall(
        "SELECT starts, user_id FROM rota_turns WHERE rota_id = ? AND status = 'assigned' AND starts >= ?",
        (rota_id, _sec(since)),
    )
    return {_dt(row["starts"]): row["user_id"] for row in rows}


async def insert_turn(
    tx: Tx,
    rota_id: int,
    starts: datetime,
    ends: datetime,
    user_id: int | None,
    status: str,
    *,
    reason: str | None = None,
    now: float,
) -> int:
    return await tx.insert(
        "INSERT INTO rota_turns (rota_id, starts, ends, user_id, status, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (rota_id, _sec(starts), _sec(ends), user_id, status, reason, now),
    )


async def assign(
    tx: Tx, rota_id: int, starts: datetime, ends: datetime, user_id: int, reason: str, *, now: float
) -> None:
    """Fix the holder of a future turn (replacing an earlier fix of the same turn)."""
    await tx.execute(
        "DELETE FROM rota_turns WHERE rota_id = ? AND status = 'assigned' AND starts = ?", (rota_id, _sec(starts))
    )
    await insert_turn(tx, rota_id, starts, ends, user_id, "assigned", reason=reason, now=now)


async def close_turn(tx: Tx, turn_id: int, status: str, ends: datetime) -> None:
    """End a running turn early as `handed_on` or `passed` (or drop a vacant one that never ran)."""
    row = await tx.fetchone("SELECT starts FROM rota_turns WHERE id = ?", (turn_id,))
    assert row is not None
    if _sec(ends) <= row["starts"]:
        if status in ("handed_on", "vacant"):
            await tx.execute("DELETE FROM rota_turns WHERE id = ?", (turn_id,))
            return
        await tx.execute("UPDATE rota_turns SET status = ?, ends = starts + 1 WHERE id = ?", (status, turn_id))
        return
    await tx.execute("UPDATE rota_turns SET status = ?, ends = ? WHERE id = ?", (status, _sec(ends), turn_id))


async def drop_assignments(
    tx: Tx, rota_id: int, *, since: datetime, user_id: int | None = None, until: datetime | None = None
) -> int:
    """Forget fixed future turns from `since` (of one member, overlapping `[since, until)` if given)."""
    sql = "DELETE FROM rota_turns WHERE rota_id = ? AND status = 'assigned' AND ends > ?"
    params: list[Any] = [rota_id, _sec(since)]
    if user_id is not None:
        sql += " AND user_id = ?"
        params.append(user_id)
    if until is not None:
        sql += " AND starts < ?"
        params.append(_sec(until))
    return await tx.execute(sql, params)


async def drop_past_assignments(tx: Tx, rota_id: int, *, before: datetime) -> None:
    await tx.execute(
        "DELETE FROM rota_turns WHERE rota_id = ? AND status = 'assigned' AND starts < ?", (rota_id, _sec(before))
    )


async def set_turn_end(tx: Tx, turn_id: int, ends: datetime) -> None:
    """End a running turn early at `ends` (never before it starts)."""
    end = _sec(ends)
    await tx.execute(
        "UPDATE rota_turns SET ends = CASE WHEN starts + 1 > ? THEN starts + 1 ELSE ? END WHERE id = ?",
        (end, end, turn_id),
    )


# --- swaps -------------------------------------------------------------------------------------


async def create_swap(
    tx: Tx,
    rota_id: int,
    *,
    requester: tuple[int, str],
    requester_turn: datetime,
    other: tuple[int, str],
    other_turn: datetime,
    now: float,
) -> int:
    return await tx.insert(
        "INSERT INTO rota_swaps (rota_id, requester_id, requester_name, requester_turn, other_id, other_name,"
        " other_turn, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (rota_id, requester[0], requester[1], _sec(requester_turn), other[0], other[1], _sec(other_turn), now),
    )


async def get_swap(db: Reader, swap_id: int) -> Swap | None:
    row = await db.fetchone("SELECT * FROM rota_swaps WHERE id = ?", (swap_id,))
    return None if row is None else _swap(row)


async def pending_swaps(db: Reader, rota_id: int, user_id: int | None = None) -> list[Swap]:
    """Open offers in a rota (made by or to `user_id`, if given)."""
    sql = "SELECT * FROM rota_swaps WHERE rota_id = ? AND status = 'pending'"
    params: list[Any] = [rota_id]
    if user_id is not None:
        sql += " AND (requester_id = ? OR other_id = ?)"
        params += [user_id, user_id]
    return [_swap(row) for row in await db.fetchall(sql + " ORDER BY id", params)]
