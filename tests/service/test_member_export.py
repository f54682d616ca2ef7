"""`/mydata export` keeps its shape: the same keys, in order, with the same columns and row counts.

A member who has touched every table is exported; the expected shape is written out here so that a
change to the export queries (or a new table) shows up as a deliberate edit of this file.
"""

from __future__ import annotations

from typing import Any

from bot.domain.states import Position
from bot.services import Services
from bot.store.database import Database
from bot.store.member_data import EXPORTS

from .conftest import GUILD, OTHER_GUILD, member

#: key -> how many rows member 1 has there after `touch_every_table`.
EXPECTED_COUNTS = {
    "shifts_offered": 1,
    "shift_places": 2,
    "shift_waitlists": 1,
    "shift_handoffs": 2,
    "reminder_preferences": 1,
    "rota_memberships": 1,
    "rota_turns": 1,
    "rota_away": 1,
    "rota_swaps": 1,
    "proposals": 1,
    "proposal_positions": 1,
    "calendar_links": 2,
    "audit_log": 8,
}

#: key -> (table whose columns each row carries, columns the export adds from a joined table)
EXPECTED_COLUMNS = {
    "shifts_offered": ("shifts", []),
    "shift_places": ("shift_places", ["location", "starts_at"]),
    "shift_waitlists": ("shift_waitlist", []),
    "shift_handoffs": ("shift_handoffs", []),
    "reminder_preferences": ("member_prefs", []),
    "rota_memberships": ("rota_members", ["rota"]),
    "rota_turns": ("rota_turns", ["rota"]),
    "rota_away": ("rota_away", ["rota"]),
    "rota_swaps": ("rota_swaps", []),
    "proposals": ("proposals", []),
    "proposal_positions": ("proposal_positions", ["title"]),
    "audit_log": ("audit_log", []),
}

HEADER = ["about", "server_id", "member_id", "exported_at"]


async def columns(db: Database, table: str) -> list[str]:
    if db.dialect == "postgresql":
        sql = (
            "SELECT column_name AS name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position"
        )
        return [row["name"] for row in await db.fetchall(sql, (table,))]
    return [row["name"] for row in await db.fetchall(f"SELECT name FROM pragma_table_info('{table}')")]


async def table_names(db: Database) -> set[str]:
    if db.dialect == "postgresql":
        sql = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        return {row["name"] for row in await db.fetchall(sql)} - {"schema_version"}
    sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return {row["name"] for row in await db.fetchall(sql)}


async def touch_every_table(services: Services) -> None:
    """Member 1 offers, claims, waits, hands off and receives, sets reminders, joins a rota, goes away,
    offers a swap, proposes and takes a position; others do the same around them."""
    one, two, three = member(1), member(2), member(3)
    mine = await services.shifts.offer(GUILD, one, when="2026-12-05 10:00", where="Market", places=2, duration="2h")
    theirs = await services.shifts.offer(GUILD, two, when="2026-12-06 10:00", where="Square", places=3, duration="2h")
    full = await services.shifts.offer(GUILD, two, when="2026-12-07 10:00", where="Park", places=1, duration="2h")
    await services.shifts.claim(GUILD, one, theirs[0].id)
    await services.shifts.claim(GUILD, one, full[0].id, join_waitlist=True)
    later = await services.shifts.offer(GUILD, two, when="2026-12-08 10:00", where="Hall", places=3, duration="2h")
    await services.shifts.claim(GUILD, three, later[0].id)
    await services.handoffs.offer(
        GUILD, one, theirs[0].id, recipient_id=three.user_id, recipient_name=three.name, recipient_is_bot=False
    )
    await services.handoffs.offer(
        GUILD, three, later[0].id, recipient_id=one.user_id, recipient_name=one.name, recipient_is_bot=False
    )
    await services.reminders.set_reminders(GUILD, one, "2h")
    await services.rota.join(GUILD, one, None)
    await services.rota.join(GUILD, two, None)
    await services.rota.away(GUILD, one, None, starts="2026-12-20", until="2026-12-24")
    await services.swaps.offer(GUILD, two, None, other_id=one.user_id, other_name=one.name)
    proposal = await services.proposals.open(GUILD, one, title="Buy a kettle", body="For the stall")
    other = await services.proposals.open(GUILD, two, title="Paint the sign", body="Blue")
    await services.proposals.take_position(GUILD, one, other.id, Position.DISAGREE, "Red is better")
    await services.proposals.take_position(GUILD, two, proposal.id, Position.AGREE)
    await services.feeds.link(GUILD, one.user_id, "mine")
    await services.feeds.link(GUILD, one.user_id, "group")
    await services.feeds.link(GUILD, two.user_id, "mine")
    services.languages.note(one.user_id, "de")
    await services.languages.flush()
    assert mine


async def test_export_keys_columns_and_row_counts_are_pinned(services: Services) -> None:
    await touch_every_table(services)
    data = await services.transparency.export(GUILD, member(1).user_id)
    assert list(data) == [*HEADER, *EXPECTED_COUNTS, "volunteer_hours", "language"]
    assert data["language"] == "de"
    assert {key: len(data[key]) for key in EXPECTED_COUNTS} == EXPECTED_COUNTS
    for key, (table, extra) in EXPECTED_COLUMNS.items():
        expected = sorted(set(await columns(services.db, table)) | set(extra))
        assert all(sorted(row) == expected for row in data[key]), (key, data[key])
    # A link's hash is not the member's to keep: the export says which links exist and when made.
    assert sorted(data["calendar_links"], key=lambda row: row["kind"]) == [
        {"kind": "group", "created_at": data["calendar_links"][0]["created_at"]},
        {"kind": "mine", "created_at": data["calendar_links"][0]["created_at"]},
    ]
    assert all(isinstance(row["detail"], dict) for row in data["audit_log"])  # decoded, not a JSON string
    assert [row["id"] for row in data["audit_log"]] == sorted(row["id"] for row in data["audit_log"])


async def test_export_of_a_member_elsewhere_is_empty_but_keeps_every_key(services: Services) -> None:
    await touch_every_table(services)
    data: dict[str, Any] = await services.transparency.export(OTHER_GUILD, member(1).user_id)
    assert list(data) == [*HEADER, *EXPECTED_COUNTS, "volunteer_hours", "language"]
    assert all(data[key] == [] for key in EXPECTED_COUNTS)


#: Tables that hold nothing a member could ask for (each new table must be put here or in EXPORTS).
NOT_ABOUT_A_MEMBER = {
    "guild_settings": "the server's settings",
    "jobs": "scheduled work; a deleted member's reminders are cancelled, not exported",
    "meta": "the schema's bookkeeping",
    "identify_slots": "when each gateway bucket last identified with Discord",
    "rotas": "a rota's settings (its name is exported with each membership, turn and absence)",
    "stale_cards": "card refreshes one process asked another for",
    "shift_roles": "a shift's roles (the role of a member's place is exported with the place)",
    "member_languages": "kept across servers, so exported on its own as `language`",
}


async def test_every_table_is_exported_or_named_as_not_about_a_member(services: Services) -> None:
    tables = await table_names(services.db)
    exported = {export.table for export in EXPORTS}
    assert tables - set(NOT_ABOUT_A_MEMBER) == exported
