"""Keeping less: anonymise what is older than a server's retention (`/setup retention`).

Finished shifts (their offerer, holders, waitlist and handoffs), closed proposals (their author and
positions) and log entries (their actor and the names in their details) lose who it was: ids become
0 or a random negative number, names "a member". The counts stay, so `/stats` keeps its totals and
Gini for what is left. Every statement only touches rows not yet anonymised, so a run repeated after
a crash changes nothing twice. `bot/store/member_data.anonymise` is the per-member twin (a deletion).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.governance import ANONYMISED_NAME
from bot.store.database import Database, Tx
from bot.store.dialects import RANDOM_NEGATIVE_ID

A_MEMBER = ANONYMISED_NAME
#: Details of a log entry that hold another member's name (see bot/ui/audit_text.py).
NAME_KEYS = ("to", "from", "with")


@dataclass(frozen=True, slots=True)
class Anonymised:
    shifts: int
    proposals: int
    log_entries: int


async def servers(db: Database) -> list[int]:
    """Every server Rota keeps records for (a server that never ran `/setup` has the default)."""
    rows = await db.fetchall(
        "SELECT guild_id FROM shifts UNION SELECT guild_id FROM proposals UNION SELECT guild_id FROM audit_log"
    )
    return sorted(int(row[0]) for row in rows)


async def anonymise_before(tx: Tx, guild_id: int, before: float, *, at: float) -> Anonymised:
    pseudo = RANDOM_NEGATIVE_ID[tx.dialect]
    cutoff = int(before)
    finished = "SELECT id FROM shifts WHERE guild_id = ? AND ends_at < ?"
    closed = "SELECT id FROM proposals WHERE guild_id = ? AND status <> 'open' AND closed_at < ?"
    shifts = await tx.execute(
        "UPDATE shifts SET offerer_id = 0, offerer_name = ? WHERE guild_id = ? AND ends_at < ? AND offerer_id <> 0",
        (A_MEMBER, guild_id, cutoff),
    )
    statements: list[tuple[str, tuple[Any, ...]]] = [
        (
            f"UPDATE shift_places SET user_id = {pseudo}, user_name = ? WHERE user_id > 0 AND shift_id IN ({finished})",
            (A_MEMBER, guild_id, cutoff),
        ),
        (f"DELETE FROM shift_waitlist WHERE shift_id IN ({finished})", (guild_id, cutoff)),
        (
            f"UPDATE shift_handoffs SET giver_id = 0, giver_name = ? WHERE giver_id <> 0 AND shift_id IN ({finished})",
            (A_MEMBER, guild_id, cutoff),
        ),
        (
            f"UPDATE shift_handoffs SET recipient_id = 0, recipient_name = ?"
            f" WHERE recipient_id <> 0 AND shift_id IN ({finished})",
            (A_MEMBER, guild_id, cutoff),
        ),
        (
            f"UPDATE proposal_positions SET user_id = {pseudo}, user_name = ?, reason = NULL"
            f" WHERE user_id > 0 AND proposal_id IN ({closed})",
            (A_MEMBER, guild_id, before),
        ),
    ]
    for sql, params in statements:
        await tx.execute(sql, params)
    proposals = await tx.execute(
        "UPDATE proposals SET author_id = 0, author_name = ? WHERE guild_id = ? AND status <> 'open'"
        " AND closed_at < ? AND author_id <> 0",
        (A_MEMBER, guild_id, before),
    )
    entries = await tx.fetchall(
        "SELECT id, actor_id, detail FROM audit_log WHERE guild_id = ? AND created_at < ? AND anonymised_at IS NULL",
        (guild_id, before),
    )
    updates = []
    for entry in entries:
        detail = json.loads(entry["detail"])
        for key in NAME_KEYS:
            if key in detail and isinstance(detail[key], str):
                detail[key] = A_MEMBER
        named = entry["actor_id"] is not None  # Rota's own entries keep saying "Rota"
        updates.append((json.dumps(detail, sort_keys=True), at, named, A_MEMBER, entry["id"]))
    if updates:
        await tx.executemany(
            "UPDATE audit_log SET detail = ?, anonymised_at = ?,"
            " actor_name = CASE WHEN ? THEN ? ELSE actor_name END, actor_id = NULL WHERE id = ?",
            updates,
        )
    return Anonymised(shifts, proposals, len(updates))
