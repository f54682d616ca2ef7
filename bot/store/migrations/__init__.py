"""Numbered SQL migrations, one folder per dialect (`sqlite/0001_name.sql`, `postgres/0001_name.sql`).

Both folders carry the same numbers: version N is the same schema on either database, written in
each one's types. Each file runs in its own transaction together with the version bump, so a crash
mid-way leaves the database at the previous version, and running them again is a no-op. SQLite
tracks the version in `PRAGMA user_version`; PostgreSQL in `schema_version`, under an advisory lock
so that several processes starting at once apply each migration exactly once.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import aiosqlite

if TYPE_CHECKING:
    import asyncpg
    from asyncpg.pool import PoolConnectionProxy

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
#: The advisory lock key held while migrating PostgreSQL (any constant agreed by every process).
MIGRATION_LOCK = 0x524F5441  # "ROTA"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(dialect: str = "sqlite", folder: Path | None = None) -> list[Migration]:
    """The migrations of one dialect, checked to be numbered 1..n without gaps."""
    folder = MIGRATIONS_DIR / dialect if folder is None else folder
    found: list[Migration] = []
    for path in sorted(folder.iterdir()):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would commit behind our back)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement at end of migration: {buffer.strip()[:60]!r}")
    return statements


def _pending(version: int, migrations: list[Migration]) -> list[Migration]:
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        raise RuntimeError(f"database is at version {version}, newer than this code ({latest})")
    return [m for m in migrations if m.version > version]


async def current_version(conn: aiosqlite.Connection) -> int:
    """A SQLite database's schema version."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def apply_sqlite_migrations(conn: aiosqlite.Connection, migrations: list[Migration] | None = None) -> int:
    """Bring a SQLite database up to the newest version; return the version it ends at."""
    migrations = load_migrations("sqlite") if migrations is None else migrations
    version = await current_version(conn)
    for migration in _pending(version, migrations):
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(migration.sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version={migration.version}")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
        log.info("applied migration %s", migration.name)
        version = migration.version
    return version


async def apply_postgres_migrations(
    conn: PoolConnectionProxy[asyncpg.Record], migrations: list[Migration] | None = None
) -> int:
    """Bring a PostgreSQL database up to the newest version; return the version it ends at.

    The session-level advisory lock makes a second process wait, then find nothing left to do.
    """
    migrations = load_migrations("postgres") if migrations is None else migrations
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        version = int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        for migration in _pending(version, migrations):
            async with conn.transaction():
                for statement in split_statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", migration.version)
            log.info("applied migration %s", migration.name)
            version = migration.version
        return version
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
