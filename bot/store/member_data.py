"""Queries about one member across every table: their statistics, their export, their deletion.

Kept in one module so that a new table that stores something about a member is noticed here: add
it to `EXPORTS` (tests/service/test_member_export.py fails until every table is there or named as
not about a member), `anonymise` and, if it counts as work, `activity`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.records import Activity
from bot.store.database import Database, Reads, Row, Tx
from bot.store.dialects import RANDOM_NEGATIVE_ID, json_flag

FORMER_MEMBER = "former member"


def _dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


@dataclass
class _Collector:
    people: dict[int, Activity] = field(default_factory=dict)

    def add(self, user_id: int | None, name: str, attr: str, count: int) -> None:
        if user_id is None or user_id <= 0:
            return
        person = self.people.setdefault(user_id, Activity(user_id, name))
        setattr(person, attr, getattr(person, attr) + count)


async def activity(db: Database, guild_id: int, *, since: float, now: float) -> list[Activity]:
    """Per member: shifts taken and done, late leaves, turns held and passed, proposals, positions.

    A shift is done for a member who checked in, or, on a shift nobody checked in for (the group
    does not use check-in), once it has started. Not checking in is never counted on its own.

    The people counted are everyone Rota has a record of in this server (Rota cannot list a server's
    members without a privileged intent): anyone who offered, claimed, waited, joined a rota,
    proposed, took a position or appears in the log during the period.
    """
    out = _Collector()
    for row in await db.fetchall(
        "SELECT p.user_id, MAX(p.user_name) AS name, COUNT(*) AS taken,"
        " SUM(CASE WHEN p.checked_in_at IS NOT NULL THEN 1"
        "  WHEN s.starts_at <= ? AND NOT EXISTS (SELECT 1 FROM shift_places q"
        "   WHERE q.shift_id = s.id AND q.checked_in_at IS NOT NULL) THEN 1 ELSE 0 END) AS done"
        " FROM shift_places p JOIN shifts s ON s.id = p.shift_id"
        " WHERE s.guild_id = ? AND s.starts_at >= ? AND s.cancelled_at IS NULL GROUP BY p.user_id",
        (int(now), guild_id, int(since)),
    ):
        out.add(row["user_id"], row["name"], "shifts_taken", row["taken"])
        out.add(row["user_id"], row["name"], "shifts_done", row["done"])
    for row in await db.fetchall(
        "SELECT actor_id, MAX(actor_name) AS name, COUNT(*) AS n FROM audit_log WHERE guild_id = ?"
        f" AND created_at >= ? AND action = 'shift_left' AND {json_flag(db.dialect, 'detail', 'late')}"
        " GROUP BY actor_id",
        (guild_id, since),
    ):
        out.add(row["actor_id"], row["name"], "late_leaves", row["n"])
    for row in await db.fetchall(
        "SELECT t.user_id, MAX(m.user_name) AS name,"
        " SUM(CASE WHEN t.status IN ('held', 'handed_on') THEN 1 ELSE 0 END) AS held,"
        " SUM(CASE WHEN t.status = 'passed' THEN 1 ELSE 0 END) AS passed"
        " FROM rota_turns t JOIN rotas r ON r.id = t.rota_id"
        " LEFT JOIN rota_members m ON m.rota_id = t.rota_id AND m.user_id = t.user_id"
        " WHERE r.guild_id = ? AND t.starts >= ? AND t.starts <= ? AND t.user_id IS NOT NULL GROUP BY t.user_id",
        (guild_id, int(since), int(now)),
    ):
        out.add(row["user_id"], row["name"] or str(row["user_id"]), "turns_held", row["held"])
        out.add(row["user_id"], row["name"] or str(row["user_id"]), "turns_passed", row["passed"])
    for row in await db.fetchall(
        "SELECT author_id, MAX(author_name) AS name, COUNT(*) AS n FROM proposals"
        " WHERE guild_id = ? AND opened_at >= ? GROUP BY author_id",
        (guild_id, since),
    ):
        out.add(row["author_id"], row["name"], "proposals_made", row["n"])
    for row in await db.fetchall(
        "SELECT pp.user_id, MAX(pp.user_name) AS name, COUNT(*) AS n FROM proposal_positions pp"
        " JOIN proposals p ON p.id = pp.proposal_id WHERE p.guild_id = ? AND pp.updated_at >= ? GROUP BY pp.user_id",
        (guild_id, since),
    ):
        out.add(row["user_id"], row["name"], "positions_taken", row["n"])
    for row in await db.fetchall(
        "SELECT m.user_id, MAX(m.user_name) AS name FROM rota_members m JOIN rotas r ON r.id = m.rota_id"
        " WHERE r.guild_id = ? AND m.left_at IS NULL GROUP BY m.user_id",
        (guild_id,),
    ):
        out.add(row["user_id"], row["name"], "shifts_taken", 0)  # in a rota: known, even if idle
    for row in await db.fetchall(
        "SELECT actor_id, MAX(actor_name) AS name FROM audit_log WHERE guild_id = ? AND created_at >= ?"
        " AND actor_id IS NOT NULL GROUP BY actor_id",
        (guild_id, since),
    ):
        out.add(row["actor_id"], row["name"], "shifts_taken", 0)
    return sorted(out.people.values(), key=lambda a: (-a.total, a.name.lower(), a.user_id))


#: How a table's rows reach their server: their own guild_id, or that of the shift, rota or proposal.
_SERVER_OF = {
    "": ("", "t.guild_id"),
    "shift": (" JOIN shifts s ON s.id = t.shift_id", "s.guild_id"),
    "rota": (" JOIN rotas r ON r.id = t.rota_id", "r.guild_id"),
    "proposal": (" JOIN proposals p ON p.id = t.proposal_id", "p.guild_id"),
}


@dataclass(frozen=True, slots=True)
class _Export:
    """One key of a member's export: the rows of `table` (read as `t`) in which any of the `member`
    columns names them, in the server reached `via` a parent row ("" when the table has guild_id)."""

    key: str
    table: str
    member: tuple[str, ...]
    via: str = ""
    columns: str = "t.*"
    order: str = ""
    json_columns: tuple[str, ...] = ()

    def query(self, guild_id: int, user_id: int) -> tuple[str, tuple[int, ...]]:
        join, server = _SERVER_OF[self.via]
        who = " OR ".join(f"t.{column} = ?" for column in self.member)
        order = f" ORDER BY {self.order}" if self.order else ""
        sql = f"SELECT {self.columns} FROM {self.table} t{join} WHERE {server} = ? AND ({who}){order}"
        return sql, (guild_id, *(user_id for _ in self.member))


#: Every table that stores something about a member, in the order the export lists them.
EXPORTS: tuple[_Export, ...] = (
    _Export("shifts_offered", "shifts", ("offerer_id",)),
    _Export("shift_places", "shift_places", ("user_id",), via="shift", columns="t.*, s.location, s.starts_at"),
    _Export("shift_waitlists", "shift_waitlist", ("user_id",), via="shift"),
    _Export("shift_handoffs", "shift_handoffs", ("giver_id", "recipient_id"), via="shift"),
    _Export("reminder_preferences", "member_prefs", ("user_id",)),
    _Export("rota_memberships", "rota_members", ("user_id",), via="rota", columns="r.name AS rota, t.*"),
    _Export("rota_turns", "rota_turns", ("user_id",), via="rota", columns="r.name AS rota, t.*"),
    _Export("rota_away", "rota_away", ("user_id",), via="rota", columns="r.name AS rota, t.*"),
    _Export("rota_swaps", "rota_swaps", ("requester_id", "other_id"), via="rota"),
    _Export("proposals", "proposals", ("author_id",)),
    _Export("proposal_positions", "proposal_positions", ("user_id",), via="proposal", columns="t.*, p.title"),
    # A link's token itself is never kept (only its hash), so the export says which links exist.
    _Export("calendar_links", "calendar_feeds", ("user_id",), columns="t.kind, t.created_at"),
    _Export("audit_log", "audit_log", ("actor_id",), order="t.id", json_columns=("detail",)),
)


async def export_rows(db: Database, guild_id: int, user_id: int) -> dict[str, Any]:
    """Every row that is about this member in this server, as plain data."""
    out: dict[str, Any] = {}
    for export in EXPORTS:
        rows = _dicts(await db.fetchall(*export.query(guild_id, user_id)))
        for row in rows:
            for column in export.json_columns:
                row[column] = json.loads(row[column])
        out[export.key] = rows
    out["volunteer_hours"] = await volunteer_hours(db, guild_id, user_id)
    # Not kept per server: the language they last used with Rota anywhere (for the DMs it sends them).
    out["language"] = await db.fetchval("SELECT language FROM member_languages WHERE user_id = ?", (user_id,))
    return out


async def places_by_role(db: Reads, guild_id: int, *, since: float) -> list[tuple[str, int]]:
    """Places taken per role name in shifts since `since` (shifts with roles only), most first."""
    found = await db.fetchall(
        "SELECT MIN(r.name) AS name, COUNT(*) AS n FROM shift_places p"
        " JOIN shift_roles r ON r.shift_id = p.shift_id AND r.position = p.role"
        " JOIN shifts s ON s.id = p.shift_id"
        " WHERE s.guild_id = ? AND s.starts_at >= ? AND s.cancelled_at IS NULL"
        " GROUP BY LOWER(r.name) ORDER BY COUNT(*) DESC, MIN(r.name)",
        (guild_id, int(since)),
    )
    return [(str(row["name"]), int(row["n"])) for row in found]


async def volunteer_hours(db: Reads, guild_id: int, user_id: int) -> list[dict[str, Any]]:
    """Hours per month of the shifts the member checked in for here (months in the server's time
    zone), for a volunteering record."""
    zone = await db.fetchval("SELECT timezone FROM guild_settings WHERE guild_id = ?", (guild_id,))
    tz = ZoneInfo(str(zone or "UTC"))
    months: dict[str, dict[str, Any]] = {}
    for row in await db.fetchall(
        "SELECT s.starts_at, s.ends_at FROM shift_places p JOIN shifts s ON s.id = p.shift_id"
        " WHERE s.guild_id = ? AND p.user_id = ? AND p.checked_in_at IS NOT NULL ORDER BY s.starts_at",
        (guild_id, user_id),
    ):
        month = datetime.fromtimestamp(row["starts_at"], tz).strftime("%Y-%m")
        entry = months.setdefault(month, {"month": month, "shifts": 0, "hours": 0.0})
        entry["shifts"] += 1
        entry["hours"] = round(entry["hours"] + (row["ends_at"] - row["starts_at"]) / 3600, 2)
    return list(months.values())


async def anonymise(tx: Tx, guild_id: int, user_id: int, names: set[str]) -> None:
    """Replace the member by 'former member' everywhere a record must stay (history, other people's
    shifts, closed decisions). Ids are replaced by a random negative number so no row points back."""
    pseudo = RANDOM_NEGATIVE_ID[tx.dialect]
    fm = FORMER_MEMBER
    guild_shifts = "SELECT id FROM shifts WHERE guild_id = ?"
    guild_rotas = "SELECT id FROM rotas WHERE guild_id = ?"
    guild_proposals = "SELECT id FROM proposals WHERE guild_id = ?"
    statements: list[tuple[str, tuple[Any, ...]]] = [
        (
            "UPDATE shifts SET offerer_id = 0, offerer_name = ? WHERE guild_id = ? AND offerer_id = ?",
            (fm, guild_id, user_id),
        ),
        (
            f"UPDATE shift_places SET user_id = {pseudo}, user_name = ?"
            f" WHERE user_id = ? AND shift_id IN ({guild_shifts})",
            (fm, user_id, guild_id),
        ),
        (
            f"UPDATE shift_handoffs SET giver_id = 0, giver_name = ?"
            f" WHERE giver_id = ? AND shift_id IN ({guild_shifts})",
            (fm, user_id, guild_id),
        ),
        (
            f"UPDATE shift_handoffs SET recipient_id = 0, recipient_name = ? WHERE recipient_id = ?"
            f" AND shift_id IN ({guild_shifts})",
            (fm, user_id, guild_id),
        ),
        ("DELETE FROM member_prefs WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        ("DELETE FROM member_languages WHERE user_id = ?", (user_id,)),
        ("DELETE FROM calendar_feeds WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        (f"DELETE FROM rota_away WHERE user_id = ? AND rota_id IN ({guild_rotas})", (user_id, guild_id)),
        (
            f"UPDATE rota_turns SET user_id = {pseudo} WHERE user_id = ? AND rota_id IN ({guild_rotas})",
            (user_id, guild_id),
        ),
        (f"DELETE FROM rota_members WHERE user_id = ? AND rota_id IN ({guild_rotas})", (user_id, guild_id)),
        (
            f"UPDATE rota_swaps SET requester_id = 0, requester_name = ? WHERE requester_id = ?"
            f" AND rota_id IN ({guild_rotas})",
            (fm, user_id, guild_id),
        ),
        (
            f"UPDATE rota_swaps SET other_id = 0, other_name = ? WHERE other_id = ? AND rota_id IN ({guild_rotas})",
            (fm, user_id, guild_id),
        ),
        (
            "UPDATE proposals SET author_id = 0, author_name = ? WHERE guild_id = ? AND author_id = ?",
            (fm, guild_id, user_id),
        ),
        (
            f"UPDATE proposal_positions SET user_id = {pseudo}, user_name = ?, reason = NULL WHERE user_id = ?"
            f" AND proposal_id IN ({guild_proposals})",
            (fm, user_id, guild_id),
        ),
        (
            "UPDATE audit_log SET actor_id = NULL, actor_name = ? WHERE guild_id = ? AND actor_id = ?",
            (fm, guild_id, user_id),
        ),
    ]
    for sql, params in statements:
        await tx.execute(sql, params)
    for name in sorted(n for n in names if n and n != fm):
        # Names others' entries mention (a handoff "to", a promotion) are replaced as well.
        quoted = json.dumps(name)[1:-1]
        await tx.execute(  # `replace(...) <> detail`: "contains", in words both databases know
            "UPDATE audit_log SET detail = replace(detail, ?, ?)"
            " WHERE guild_id = ? AND replace(detail, ?, '') <> detail",
            (quoted, fm, guild_id, quoted),
        )


async def waitlisted_shift_ids(tx: Tx, guild_id: int, user_id: int) -> list[int]:
    """The shifts of this server on whose waitlist the member stands."""
    rows = await tx.fetchall(
        "SELECT w.shift_id FROM shift_waitlist w JOIN shifts s ON s.id = w.shift_id"
        " WHERE s.guild_id = ? AND w.user_id = ?",
        (guild_id, user_id),
    )
    return [row[0] for row in rows]


async def withdraw_pending_handoffs(tx: Tx, guild_id: int, user_id: int, *, at: float) -> None:
    """Handoffs the member offered or was offered in this server, still unanswered, are withdrawn."""
    await tx.execute(
        "UPDATE shift_handoffs SET status = 'withdrawn', settled_at = ? WHERE status = 'pending'"
        " AND (giver_id = ? OR recipient_id = ?) AND shift_id IN (SELECT id FROM shifts WHERE guild_id = ?)",
        (at, user_id, user_id, guild_id),
    )


async def open_proposals_with_position(tx: Tx, guild_id: int, user_id: int) -> list[int]:
    """The open proposals of this server on which the member has taken a position."""
    rows = await tx.fetchall(
        "SELECT pp.proposal_id FROM proposal_positions pp JOIN proposals p ON p.id = pp.proposal_id"
        " WHERE p.guild_id = ? AND p.status = 'open' AND pp.user_id = ?",
        (guild_id, user_id),
    )
    return [row[0] for row in rows]


async def withdraw_position(tx: Tx, proposal_id: int, user_id: int) -> None:
    await tx.execute("DELETE FROM proposal_positions WHERE proposal_id = ? AND user_id = ?", (proposal_id, user_id))


async def known_names(tx: Tx, guild_id: int, user_id: int) -> set[str]:
    rows = await tx.fetchall(
        "SELECT actor_name FROM audit_log WHERE guild_id = ? AND actor_id = ?"
        " UNION SELECT user_name FROM shift_places p JOIN shifts s ON s.id = p.shift_id"
        " WHERE s.guild_id = ? AND p.user_id = ?"
        " UNION SELECT user_name FROM shift_waitlist w JOIN shifts s ON s.id = w.shift_id"
        " WHERE s.guild_id = ? AND w.user_id = ?",
        (guild_id, user_id, guild_id, user_id, guild_id, user_id),
    )
    return {row[0] for row in rows}
