"""Migrations: a fresh database reaches the newest version; re-running is a no-op; upgrades work."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from bot.store.migrations import (
    Migration,
    current_version,
    load_migrations,
    split_statements,
)
from bot.store.migrations import (
    apply_sqlite_migrations as apply_migrations,
)
from bot.store.sqlite import SqliteDatabase as Database


async def test_fresh_database_gets_every_table(tmp_path: Path) -> None:
    db = Database(tmp_path / "rota.sqlite3")
    await db.open()
    try:
        tables = {row[0] for row in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"guild_settings", "audit_log", "jobs", "meta"} <= tables
        assert await db.fetchval("PRAGMA user_version") == len(load_migrations())
        assert (await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


async def test_rerun_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "rota.sqlite3"
    for _ in range(2):
        db = Database(path)
        await db.open()
        await db.close()
    async with aiosqlite.connect(path) as conn:
        assert await current_version(conn) == len(load_migrations())
        assert await apply_migrations(conn) == len(load_migrations())


async def test_upgrade_from_an_older_version_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "rota.sqlite3"
    first = [Migration(1, "0001_a", "CREATE TABLE a (x INTEGER);")]
    both = [*first, Migration(2, "0002_b", "CREATE TABLE b (y INTEGER);\nALTER TABLE a ADD COLUMN z TEXT;")]
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        assert await apply_migrations(conn, first) == 1
        await conn.execute("INSERT INTO a (x) VALUES (7)")
        assert await apply_migrations(conn, both) == 2
        async with conn.execute("SELECT x, z FROM a") as cur:
            assert await cur.fetchall() == [(7, None)]


async def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "rota.sqlite3"
    good = [Migration(1, "0001_a", "CREATE TABLE a (x INTEGER);")]
    bad = [*good, Migration(2, "0002_bad", "CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);")]
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await apply_migrations(conn, good)
        with pytest.raises(aiosqlite.OperationalError):
            await apply_migrations(conn, bad)
        assert await current_version(conn) == 1
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 'b'") as cur:
            assert await cur.fetchall() == []


def test_statements_split_without_breaking_triggers() -> None:
    script = (
        "-- comment\nCREATE TABLE t (x);\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = 1;\nEND;\nSELECT 1;"
    )
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
