"""SQLite through aiosqlite: the zero-setup default, one file, one process.

Two connections: a writer used only inside `transaction()` (BEGIN IMMEDIATE, serialised by an
asyncio lock so two coroutines never share a transaction) and a reader for plain queries, which
WAL lets run beside a write. Since every write is serialised, a server's write lock is implied.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.database import Database, DatabaseError, Params, Row, Tx
from bot.store.migrations import apply_sqlite_migrations

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0
BUSY_TIMEOUT_MS = 5000


class SqliteTx(Tx):
    """A write transaction on the writer connection."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        super().__init__()
        self.conn = conn

    async def lock_guild(self, guild_id: int) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the only write lock there is."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc
        return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            await self.conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc

    # Reads use execute_fetchall: one trip to aiosqlite's thread, where execute + fetch + close
    # would be three.
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            return list(await self.conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc

    async def insert(self, sql: str, params: Params = ()) -> int:
        try:
            cursor = await self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc
        assert cursor.lastrowid is not None
        return cursor.lastrowid


class SqliteDatabase(Database):
    """One SQLite file in WAL mode, with foreign keys and a busy timeout."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._checkpointer: asyncio.Task[None] | None = None
        self._commits = 0

    @property
    def where(self) -> str:
        return str(self.path)

    async def open(self) -> None:
        """Open both connections, set the pragmas and apply pending migrations."""
        try:
            self._writer = await self._connect()
            await self._writer.execute("PRAGMA journal_mode=WAL")
            await apply_sqlite_migrations(self._writer)
            # Commits never copy the WAL back into the database file themselves (that made every
            # hundredth claim wait milliseconds); the reader's thread does it in the background.
            await self._writer.execute("PRAGMA wal_autocheckpoint=0")
            self._reader = await self._connect()
        except sqlite3.Error as exc:
            await self.close()
            raise DatabaseError(str(exc)) from exc
        self._checkpointer = asyncio.get_running_loop().create_task(self._checkpoint_regularly())

    async def _checkpoint_regularly(self) -> None:
        seen = -1
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            if self._reader is None or self._commits == seen:
                continue
            seen = self._commits
            try:
                await self._reader.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:  # busy or closing: the next round tries again
                log.debug("checkpoint skipped: %s", exc)

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            await asyncio.gather(self._checkpointer, return_exceptions=True)
            self._checkpointer = None
        conns, self._reader, self._writer = (self._reader, self._writer), None, None
        for conn in conns:
            if conn is not None:
                await conn.close()

    @asynccontextmanager
    async def transaction(self, *, guild_id: int | None = None) -> AsyncIterator[Tx]:
        assert self._writer is not None, "database is not open"
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            tx = SqliteTx(self._writer)
            try:
                yield tx
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")
        self._commits += 1
        self._committed(tx)

    @asynccontextmanager
    async def exclusively(self, chore: str) -> AsyncIterator[bool]:
        """Always ours: a SQLite file serves one process."""
        yield True

    async def notify(self, channel: str, payload: str) -> None:
        """Nothing to do: a SQLite file serves one process, which already knows."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        assert self._reader is not None, "database is not open"
        try:
            return list(await self._reader.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc
