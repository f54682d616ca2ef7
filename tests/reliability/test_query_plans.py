"""The hot queries use indexes, so a claim costs the same with 100,000 stored shifts as with 10.

The plan of each statement on the claim, listing and scheduler paths must never scan a whole table
(a scan of a big table is what makes latency grow with the data). SQLite: `EXPLAIN QUERY PLAN` on
the bench's schema. PostgreSQL: `EXPLAIN` on a migrated database with sequential scans priced out,
so the planner picks an index wherever one serves the statement (on empty tables it would otherwise
rightly prefer a scan), and a `Seq Scan` left in the plan means no index does.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bench.run import create_schema

HOT = {
    "claim: what it decides on": (
        "SELECT s.*, EXISTS (SELECT 1 FROM shift_places p WHERE p.shift_id = s.id AND p.user_id = :user) AS is_on,"
        " (SELECT (SELECT COUNT(*) FROM shift_waitlist o WHERE o.shift_id = w.shift_id"
        "   AND (o.joined_at < w.joined_at OR (o.joined_at = w.joined_at AND o.user_id <= w.user_id)))"
        "  FROM shift_waitlist w WHERE w.shift_id = s.id AND w.user_id = :user) AS waitlist_position,"
        " (SELECT COUNT(*) FROM shift_waitlist w WHERE w.shift_id = s.id) AS waitlist_length,"
        " COALESCE((SELECT m.reminder_offsets FROM member_prefs m WHERE m.guild_id = s.guild_id AND m.user_id = :user),"
        "  (SELECT g.reminder_offsets FROM guild_settings g WHERE g.guild_id = s.guild_id)) AS chosen_offsets"
        " FROM shifts s WHERE s.id = :shift AND s.guild_id = :guild"
    ),
    "claim: take a place": "UPDATE shifts SET taken = taken + 1 WHERE id = :shift AND taken < places",
    "claim: schedule a reminder": (
        "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES ('k', 1, '{}', :key, 1)"
        " ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at"
    ),
    "leave: cancel reminders": "DELETE FROM jobs WHERE key >= :a AND key < :b AND state IN ('pending', 'running')",
    "list and autocomplete": (
        "SELECT s.* FROM shifts s WHERE s.guild_id = :guild AND s.starts_at >= 1 AND s.starts_at < 2"
        " AND s.cancelled_at IS NULL ORDER BY s.starts_at, s.id LIMIT 25"
    ),
    "list: mine": (
        "SELECT s.* FROM shifts s WHERE s.guild_id = :guild AND s.starts_at >= 1 AND s.starts_at < 2"
        " AND (EXISTS (SELECT 1 FROM shift_places p WHERE p.shift_id = s.id AND p.user_id = :user)"
        " OR EXISTS (SELECT 1 FROM shift_waitlist w WHERE w.shift_id = s.id AND w.user_id = :user))"
        " ORDER BY s.starts_at, s.id LIMIT 25"
    ),
    "card refresh": "SELECT user_id, user_name, claimed_at FROM shift_places WHERE shift_id = :shift",
    "scheduler: next due": (
        "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM jobs WHERE state = 'pending'"
        " UNION ALL SELECT MIN(lease_until) AS t FROM jobs WHERE state = 'running') AS next_times"
    ),
    "scheduler: take due": (
        "UPDATE jobs SET state = 'running', owner = 'a', lease_until = 9 WHERE id IN (SELECT id FROM jobs"
        " WHERE (state = 'pending' AND due_at <= 5) OR (state = 'running' AND lease_until < 5)"
        " ORDER BY due_at LIMIT 50{skip_locked}) RETURNING *"
    ),
    "audit log of a server": "SELECT * FROM audit_log WHERE guild_id = :guild ORDER BY created_at DESC LIMIT 20",
}
PARAMS = {"user": 1, "shift": 1, "guild": 1, "key": "remind:1:1:60", "a": "remind:1:", "b": "remind:1;"}


def on_sqlite(sql: str) -> str:
    return sql.replace("{skip_locked}", "")


def on_postgres(sql: str) -> str:
    """The statement as PostgreSQL runs it, with the parameters written in (EXPLAIN runs nothing)."""
    sql = sql.replace("{skip_locked}", " FOR UPDATE SKIP LOCKED")
    return re.sub(r":(\w+)", lambda m: repr(PARAMS[m.group(1)]), sql)


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = Path(tmp_path_factory.mktemp("plans")) / "rota.sqlite3"
    create_schema(path)
    return sqlite3.connect(path)


@pytest.mark.parametrize("name", sorted(HOT))
def test_hot_query_uses_an_index(conn: sqlite3.Connection, name: str) -> None:
    sql = on_sqlite(HOT[name])
    params = {k: v for k, v in PARAMS.items() if f":{k}" in sql}
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    print(f"{name}:\n  " + "\n  ".join(plan))
    scans = [step for step in plan if step.startswith("SCAN") and "USING" not in step and "CONSTANT" not in step]
    assert not scans, f"{name} scans a table: {plan}"


@pytest.fixture(scope="module")
def postgres_plans(postgres_template: str) -> dict[str, list[str]]:
    """Every hot statement's plan on a migrated PostgreSQL database."""
    from tests.support import postgres

    async def explain() -> dict[str, list[str]]:
        conn = await asyncpg.connect(postgres.with_database(postgres.server_url(), postgres_template))
        try:
            await conn.execute("SET enable_seqscan = off")
            return {
                name: [row[0] for row in await conn.fetch(f"EXPLAIN {on_postgres(sql)}")] for name, sql in HOT.items()
            }
        finally:
            await conn.close()

    return asyncio.run(explain())


@pytest.mark.parametrize("name", sorted(HOT))
def test_hot_query_uses_an_index_on_postgres(postgres_plans: dict[str, list[str]], name: str) -> None:
    plan = postgres_plans[name]
    print(f"{name}:\n  " + "\n  ".join(plan))
    assert not [step for step in plan if "Seq Scan" in step], f"{name} scans a table: {plan}"
