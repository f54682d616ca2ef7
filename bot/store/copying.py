"""Copying a whole deployment from one database to another (`rota migrate --to`), ids kept.

Tables are copied parents first, so every foreign key finds its row, in one transaction on the
target: a failed copy leaves it as empty as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.store.database import Database
from bot.store.dialects import CONTINUE_NUMBERING

#: Every table Rota keeps, parents before children (a test checks that none is missing).
TABLES = (
    "guild_settings",
    "meta",
    "identify_slots",
    "stale_cards",
    "audit_log",
    "jobs",
    "shifts",
    "shift_roles",
    "shift_places",
    "shift_waitlist",
    "shift_handoffs",
    "member_prefs",
    "member_languages",
    "calendar_feeds",
    "rotas",
    "rota_members",
    "rota_away",
    "rota_turns",
    "rota_swaps",
    "proposals",
    "proposal_positions",
)
#: Tables whose `id` the database numbers itself: after copying, numbering continues after the copy.
NUMBERED = (
    "audit_log",
    "jobs",
    "shifts",
    "shift_handoffs",
    "rotas",
    "rota_away",
    "rota_turns",
    "rota_swaps",
    "proposals",
)
BATCH = 1000


async def row_counts(db: Database) -> dict[str, int]:
    """How many rows each table holds."""
    return {table: int(await db.fetchval(f"SELECT COUNT(*) FROM {table}")) for table in TABLES}


async def copy_everything(source: Database, target: Database) -> dict[str, int]:
    """Copy every row of `source` into `target` in one transaction; the rows copied per table."""
    copied: dict[str, int] = {}
    async with target.transaction() as tx:
        for table in TABLES:
            rows = await source.fetchall(f"SELECT * FROM {table}")
            copied[table] = len(rows)
            if not rows:
                continue
            columns: Sequence[str] = list(rows[0].keys())
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for start in range(0, len(rows), BATCH):
                await tx.executemany(sql, [tuple(row[c] for c in columns) for row in rows[start : start + BATCH]])
        restart = CONTINUE_NUMBERING[tx.dialect]
        if restart is not None:
            for table in NUMBERED:
                await tx.execute(restart.format(table=table))
    return copied
