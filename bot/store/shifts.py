"""Shift rows: the shift itself, who holds a place, who waits, handoffs, reminder choices.

Capacity is enforced by the database itself (`taken <= places` CHECK and the guarded UPDATE in
`take_place`), so even a bug above this layer cannot overbook a shift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.domain.records import Handoff, Person, Shift
from bot.domain.roles import Role, RoleSpec
from bot.domain.states import OfferStatus
from bot.store.database import Database, Row, Tx

Reader = Database | Tx

#: Whose reminder times apply, written once: the member's own choice here, else the server's.
_CHOSEN_OFFSETS = (
    "COALESCE((SELECT m.reminder_offsets FROM member_prefs m WHERE m.guild_id = {guild} AND m.user_id = {user}),"
    " (SELECT g.reminder_offsets FROM guild_settings g WHERE g.guild_id = {guild}))"
)
_STILL_COMING = "(SELECT g.still_coming_minutes FROM guild_settings g WHERE g.guild_id = {guild})"
#: The waitlist rule, written once: a freed place goes to whoever joined the waitlist first (the
#: lower user id breaks a tie). Every query that orders the waitlist or counts a position uses it.
_WAITLIST_KEY = ("joined_at", "user_id")
WAITLIST_ORDER = ", ".join(_WAITLIST_KEY)
#: A waiting member `w`'s 1-based position: how many on the same waitlist are at or before `w` in
#: that order (a row-value comparison is exactly the ORDER BY's order).
_POSITION_OF_W = (
    "(SELECT COUNT(*) FROM shift_waitlist o WHERE o.shift_id = w.shift_id AND o.role = w.role"
    f" AND ({', '.join('o.' + c for c in _WAITLIST_KEY)}) <= ({', '.join('w.' + c for c in _WAITLIST_KEY)}))"
)


def _dt(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _shift(row: Row) -> Shift:
    return Shift(
        id=row["id"],
        guild_id=row["guild_id"],
        series_id=row["series_id"],
        offerer_id=row["offerer_id"],
        offerer_name=row["offerer_name"],
        starts_at=_dt(row["starts_at"]),
        ends_at=_dt(row["ends_at"]),
        location=row["location"],
        notes=row["notes"],
        places=row["places"],
        taken=row["taken"],
        cancelled_at=row["cancelled_at"],
        cancel_reason=row["cancel_reason"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        proposal_id=row["proposal_id"],
        revision=row["revision"],
        updated_at=row["created_at"] if row["updated_at"] is None else row["updated_at"],
        closes_at=None if row["closes_at"] is None else _dt(row["closes_at"]),
    )


async def insert(
    tx: Tx,
    *,
    guild_id: int,
    offerer_id: int,
    offerer_name: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    notes: str,
    places: int,
    series_id: int | None,
    proposal_id: int | None,
    now: float,
    closes_at: datetime | None = None,
) -> int:
    return await tx.insert(
        "INSERT INTO shifts (guild_id, series_id, offerer_id, offerer_name, starts_at, ends_at, location, notes,"
        " places, proposal_id, created_at, updated_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            series_id,
            offerer_id,
            offerer_name,
            int(starts_at.timestamp()),
            int(ends_at.timestamp()),
            location,
            notes,
            places,
            proposal_id,
            now,
            now,
            None if closes_at is None else int(closes_at.timestamp()),
        ),
    )


async def get(db: Reader, guild_id: int, shift_id: int) -> Shift | None:
    """A shift of this server (another server's id is simply not found)."""
    row = await db.fetchone("SELECT * FROM shifts WHERE id = ? AND guild_id = ?", (shift_id, guild_id))
    return None if row is None else _shift(row)


async def get_any(db: Reader, shift_id: int) -> Shift | None:
    row = await db.fetchone("SELECT * FROM shifts WHERE id = ?", (shift_id,))
    return None if row is None else _shift(row)


async def set_card(tx: Tx, shift_id: int, *, channel_id: int, message_id: int, thread_id: int | None) -> None:
    await tx.execute(
        "UPDATE shifts SET channel_id = ?, message_id = ?, thread_id = ? WHERE id = ?",
        (channel_id, message_id, thread_id, shift_id),
    )


async def later_in_series(db: Reader, shift: Shift) -> list[Shift]:
    """The shifts of the same series after this one that are not cancelled, in order."""
    if shift.series_id is None:
        return []
    rows = await db.fetchall(
        "SELECT * FROM shifts WHERE series_id = ? AND starts_at > ? AND cancelled_at IS NULL ORDER BY starts_at, id",
        (shift.series_id, int(shift.starts_at.timestamp())),
    )
    return [_shift(row) for row in rows]


async def start_series(tx: Tx, first_id: int) -> None:
    """The first shift of a series names the series (its own id)."""
    await tx.execute("UPDATE shifts SET series_id = ? WHERE id = ?", (first_id, first_id))


async def update(tx: Tx, shift_id: int, *, at: float, **changes: Any) -> None:
    """Change what a shift shows (its time, place, notes, places, or cancel it) at time `at`.

    Every such change is a new calendar revision: `revision` goes up by one and `updated_at` moves
    to `at`; it never moves back, so a calendar's LAST-MODIFIED only grows.
    """
    allowed = {"starts_at", "ends_at", "location", "notes", "places", "cancelled_at", "cancel_reason", "closes_at"}
    assert set(changes) <= allowed, changes
    if not changes:
        return
    values = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in changes.items()}
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    await tx.execute(
        f"UPDATE shifts SET {assignments}, revision = revision + 1,"
        " updated_at = CASE WHEN updated_at > :updated_at THEN updated_at ELSE :updated_at END WHERE id = :id",
        {**values, "updated_at": float(at), "id": shift_id},
    )


def _person(row: Row, since: str) -> Person:
    return Person(row["user_id"], row["user_name"], _dt(row[since]), int(row["role"]))


async def holders(db: Reader, shift_id: int) -> list[Person]:
    rows = await db.fetchall(
        "SELECT user_id, user_name, claimed_at, role FROM shift_places WHERE shift_id = ? ORDER BY claimed_at, user_id",
        (shift_id,),
    )
    return [_person(r, "claimed_at") for r in rows]


async def waiting(db: Reader, shift_id: int) -> list[Person]:
    rows = await db.fetchall(
        f"SELECT user_id, user_name, joined_at, role FROM shift_waitlist WHERE shift_id = ? ORDER BY {WAITLIST_ORDER}",
        (shift_id,),
    )
    return [_person(r, "joined_at") for r in rows]


async def check_in(tx: Tx, shift_id: int, user_id: int, *, at: float) -> bool | None:
    """Mark the holder's own check-in: True if new, False if already checked in, None if they hold no place."""
    changed = await tx.execute(
        "UPDATE shift_places SET checked_in_at = ? WHERE shift_id = ? AND user_id = ? AND checked_in_at IS NULL",
        (at, shift_id, user_id),
    )
    if changed == 1:
        return True
    return False if await holds_place(tx, shift_id, user_id) else None


async def holds_place(db: Reader, shift_id: int, user_id: int) -> bool:
    row = await db.fetchone("SELECT 1 FROM shift_places WHERE shift_id = ? AND user_id = ?", (shift_id, user_id))
    return row is not None


@dataclass(frozen=True, slots=True)
class ClaimView:
    """Everything a claim decides on, read in one statement (the hot path)."""

    shift: Shift
    is_on: bool
    waitlist_position: int | None
    waitlist_length: int
    reminder_offsets: str | None  # the member's own choice here, else the server's; None: no settings row
    still_coming_minutes: int | None  # the server's; None: no settings row (the default applies)
    role_count: int  # 0: the shift has no roles
    role_places: int | None  # the asked role's places and taken (None: no such role)
    role_taken: int | None


async def claim_view(tx: Tx, guild_id: int, shift_id: int, user_id: int, role: int = 0) -> ClaimView | None:
    """Everything a claim decides on, in one statement; `role` is the role asked for (0: none)."""
    row = await tx.fetchone(
        "SELECT s.*,"
        " EXISTS (SELECT 1 FROM shift_places p WHERE p.shift_id = s.id AND p.user_id = :user) AS is_on,"
        f" (SELECT {_POSITION_OF_W} FROM shift_waitlist w WHERE w.shift_id = s.id AND w.user_id = :user)"
        " AS waitlist_position,"
        " (SELECT COUNT(*) FROM shift_waitlist w WHERE w.shift_id = s.id AND w.role = :role) AS waitlist_length,"
        f" {_CHOSEN_OFFSETS.format(guild='s.guild_id', user=':user')} AS chosen_offsets,"
        f" {_STILL_COMING.format(guild='s.guild_id')} AS still_coming_minutes,"
        " (SELECT COUNT(*) FROM shift_roles r WHERE r.shift_id = s.id) AS role_count,"
        " (SELECT r.places FROM shift_roles r WHERE r.shift_id = s.id AND r.position = :role) AS role_places,"
        " (SELECT r.taken FROM shift_roles r WHERE r.shift_id = s.id AND r.position = :role) AS role_taken"
        " FROM shifts s WHERE s.id = :shift AND s.guild_id = :guild",
        {"user": user_id, "shift": shift_id, "guild": guild_id, "role": role},
    )
    if row is None:
        return None
    position = row["waitlist_position"]
    return ClaimView(
        _shift(row),
        bool(row["is_on"]),
        None if position is None else int(position),
        int(row["waitlist_length"]),
        row["chosen_offsets"],
        row["still_coming_minutes"],
        int(row["role_count"]),
        row["role_places"],
        row["role_taken"],
    )


async def add_roles(tx: Tx, shift_id: int, roles: Sequence[RoleSpec]) -> None:
    await tx.executemany(
        "INSERT INTO shift_roles (shift_id, position, name, places) VALUES (?, ?, ?, ?)",
        [(shift_id, position, spec.name, spec.places) for position, spec in enumerate(roles, 1)],
    )


async def set_roles(tx: Tx, shift_id: int, roles: Sequence[Role]) -> None:
    """Make the shift's roles exactly `roles` (by position; one left out must have nobody on it)."""
    positions = [role.position for role in roles]
    marks = ", ".join("?" for _ in positions)
    await tx.execute(
        f"DELETE FROM shift_roles WHERE shift_id = ? AND position NOT IN ({marks})", (shift_id, *positions)
    )
    for role in roles:
        await tx.execute(
            "INSERT INTO shift_roles (shift_id, position, name, places) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (shift_id, position) DO UPDATE SET places = excluded.places",
            (shift_id, role.position, role.name, role.places),
        )


async def role_names(db: Reader, user_id: int, shift_ids: Sequence[int]) -> dict[int, str]:
    """The role a member holds on each of these shifts (shifts without roles are left out)."""
    if not shift_ids:
        return {}
    marks = ", ".join("?" for _ in shift_ids)
    found = await db.fetchall(
        "SELECT p.shift_id, r.name FROM shift_places p"
        " JOIN shift_roles r ON r.shift_id = p.shift_id AND r.position = p.role"
        f" WHERE p.user_id = ? AND p.shift_id IN ({marks})",
        (user_id, *shift_ids),
    )
    return {int(row[0]): str(row[1]) for row in found}


async def waiting_on(db: Reader, user_id: int, shift_ids: Sequence[int]) -> set[int]:
    """Which of these shifts the member is on the waitlist of."""
    if not shift_ids:
        return set()
    marks = ", ".join("?" for _ in shift_ids)
    found = await db.fetchall(
        f"SELECT shift_id FROM shift_waitlist WHERE user_id = ? AND shift_id IN ({marks})", (user_id, *shift_ids)
    )
    return {int(row[0]) for row in found}


async def busy_roles(db: Reader, shift_id: int) -> set[int]:
    """The roles somebody holds or waits for a place in (0: without a role)."""
    found = await db.fetchall(
        "SELECT role FROM shift_places WHERE shift_id = ? UNION SELECT role FROM shift_waitlist WHERE shift_id = ?",
        (shift_id, shift_id),
    )
    return {int(row[0]) for row in found}


def _role(row: Row) -> Role:
    return Role(int(row["position"]), str(row["name"]), int(row["places"]), int(row["taken"]))


async def roles_of(db: Reader, shift_ids: Sequence[int]) -> dict[int, tuple[Role, ...]]:
    """The roles of several shifts at once (shifts without roles are left out)."""
    if not shift_ids:
        return {}
    marks = ", ".join("?" for _ in shift_ids)
    found: dict[int, list[Role]] = {}
    for r in await db.fetchall(
        f"SELECT shift_id, position, name, places, taken FROM shift_roles WHERE shift_id IN ({marks})"
        " ORDER BY shift_id, position",
        tuple(shift_ids),
    ):
        found.setdefault(int(r["shift_id"]), []).append(
            Role(int(r["position"]), str(r["name"]), int(r["places"]), int(r["taken"]))
        )
    return {shift_id: tuple(roles) for shift_id, roles in found.items()}


async def roles(db: Reader, shift_id: int) -> tuple[Role, ...]:
    """A shift's roles in their order on the card (empty: the shift has none)."""
    return (await roles_of(db, [shift_id])).get(shift_id, ())


async def take_place(tx: Tx, shift_id: int, user_id: int, user_name: str, *, now: float, role: int = 0) -> bool:
    """Take a free place (of `role`); False when none is left. The guarded UPDATEs are the capacity
    check: the role's places first, then the shift's total."""
    if role:
        changed = await tx.execute(
            "UPDATE shift_roles SET taken = taken + 1 WHERE shift_id = ? AND position = ? AND taken < places",
            (shift_id, role),
        )
        if changed != 1:
            return False
    changed = await tx.execute("UPDATE shifts SET taken = taken + 1 WHERE id = ? AND taken < places", (shift_id,))
    if changed != 1:
        if role:
            raise AssertionError("a role had a place the shift had not")
        return False
    await tx.execute(
        "INSERT INTO shift_places (shift_id, user_id, user_name, claimed_at, role) VALUES (?, ?, ?, ?, ?)",
        (shift_id, user_id, user_name, now, role),
    )
    return True


async def release_place(tx: Tx, shift_id: int, user_id: int) -> int | None:
    """Give up a place: the role it was (0 without roles), or None if they held none."""
    role = await tx.fetchval(
        "DELETE FROM shift_places WHERE shift_id = ? AND user_id = ? RETURNING role", (shift_id, user_id)
    )
    if role is None:
        return None
    await tx.execute("UPDATE shifts SET taken = taken - 1 WHERE id = ?", (shift_id,))
    if role:
        await tx.execute(
            "UPDATE shift_roles SET taken = taken - 1 WHERE shift_id = ? AND position = ?", (shift_id, role)
        )
    return int(role)


async def move_place(tx: Tx, shift_id: int, from_user: int, to_user: int, to_name: str, *, now: float) -> bool:
    changed = await tx.execute(
        "UPDATE shift_places SET user_id = ?, user_name = ?, claimed_at = ? WHERE shift_id = ? AND user_id = ?",
        (to_user, to_name, now, shift_id, from_user),
    )
    return changed == 1


async def join_waitlist(tx: Tx, shift_id: int, user_id: int, user_name: str, *, now: float, role: int = 0) -> None:
    await tx.execute(
        "INSERT INTO shift_waitlist (shift_id, user_id, user_name, joined_at, role) VALUES (?, ?, ?, ?, ?)",
        (shift_id, user_id, user_name, now, role),
    )


async def leave_waitlist(tx: Tx, shift_id: int, user_id: int) -> bool:
    changed = await tx.execute("DELETE FROM shift_waitlist WHERE shift_id = ? AND user_id = ?", (shift_id, user_id))
    return changed == 1


async def first_waiting(tx: Tx, shift_id: int, role: int = 0) -> Person | None:
    """The first on the waitlist (of `role`): whoever the next free place goes to."""
    people = await tx.fetchall(
        "SELECT user_id, user_name, joined_at, role FROM shift_waitlist WHERE shift_id = ? AND role = ?"
        f" ORDER BY {WAITLIST_ORDER} LIMIT 1",
        (shift_id, role),
    )
    return _person(people[0], "joined_at") if people else None


async def upcoming(
    db: Reader,
    guild_id: int,
    *,
    start: datetime,
    end: datetime,
    user_id: int | None = None,
    include_cancelled: bool = False,
    limit: int = 500,
) -> list[Shift]:
    """Shifts starting in [start, end); with `user_id`, only those they hold a place on or wait for."""
    sql = "SELECT s.* FROM shifts s WHERE s.guild_id = ? AND s.starts_at >= ? AND s.starts_at < ?"
    params: list[Any] = [guild_id, int(start.timestamp()), int(end.timestamp())]
    if not include_cancelled:
        sql += " AND s.cancelled_at IS NULL"
    if user_id is not None:
        sql += (
            " AND (EXISTS (SELECT 1 FROM shift_places p WHERE p.shift_id = s.id AND p.user_id = ?)"
            " OR EXISTS (SELECT 1 FROM shift_waitlist w WHERE w.shift_id = s.id AND w.user_id = ?))"
        )
        params += [user_id, user_id]
    sql += " ORDER BY s.starts_at, s.id LIMIT ?"
    params.append(limit)
    return [_shift(row) for row in await db.fetchall(sql, params)]


async def people_to_tell(db: Reader, shift_id: int) -> list[int]:
    """Everyone on the shift or its waitlist (they hear about changes and cancellations)."""
    rows = await db.fetchall(
        "SELECT user_id FROM shift_places WHERE shift_id = ?"
        " UNION SELECT user_id FROM shift_waitlist WHERE shift_id = ?",
        (shift_id, shift_id),
    )
    return sorted(row[0] for row in rows)


async def create_handoff(
    tx: Tx,
    shift_id: int,
    giver_id: int,
    giver_name: str,
    recipient_id: int,
    recipient_name: str,
    *,
    now: float,
) -> int:
    return await tx.insert(
        "INSERT INTO shift_handoffs (shift_id, giver_id, giver_name, recipient_id, recipient_name, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (shift_id, giver_id, giver_name, recipient_id, recipient_name, now),
    )


async def get_handoff(db: Reader, handoff_id: int) -> Handoff | None:
    row = await db.fetchone("SELECT * FROM shift_handoffs WHERE id = ?", (handoff_id,))
    if row is None:
        return None
    return Handoff(
        row["id"],
        row["shift_id"],
        row["giver_id"],
        row["giver_name"],
        row["recipient_id"],
        row["recipient_name"],
        OfferStatus(row["status"]),
    )


async def pending_handoffs(db: Reader, shift_id: int) -> list[Handoff]:
    rows = await db.fetchall("SELECT id FROM shift_handoffs WHERE shift_id = ? AND status = 'pending'", (shift_id,))
    found = [await get_handoff(db, row[0]) for row in rows]
    return [h for h in found if h is not None]


async def reminder_choice(db: Reader, guild_id: int, user_id: int) -> str | None:
    """A member's reminder times here: their own choice, else the server's (None: neither is set)."""
    value = await db.fetchval(
        f"SELECT {_CHOSEN_OFFSETS.format(guild=':guild', user=':user')}", {"guild": guild_id, "user": user_id}
    )
    return None if value is None else str(value)


async def still_coming_minutes(db: Reader, guild_id: int) -> int | None:
    """How long before a shift the server asks its holders "still coming?" (None: no settings row)."""
    value = await db.fetchval(f"SELECT {_STILL_COMING.format(guild=':guild')}", {"guild": guild_id})
    return None if value is None else int(value)


async def set_reminder_choice(tx: Tx, guild_id: int, user_id: int, offsets: str) -> None:
    await tx.execute(
        "INSERT INTO member_prefs (guild_id, user_id, reminder_offsets) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id, user_id) DO UPDATE SET reminder_offsets = excluded.reminder_offsets",
        (guild_id, user_id, offsets),
    )


async def held_upcoming(db: Reader, guild_id: int, user_id: int, *, after: datetime) -> list[Shift]:
    rows = await db.fetchall(
        "SELECT s.* FROM shift_places p JOIN shifts s ON s.id = p.shift_id"
        " WHERE p.user_id = ? AND s.guild_id = ? AND s.starts_at > ? AND s.cancelled_at IS NULL",
        (user_id, guild_id, int(after.timestamp())),
    )
    return [_shift(row) for row in rows]
