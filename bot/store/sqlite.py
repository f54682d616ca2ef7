"""SQLite: the zero-setup default, one file, one process.

Two connections: a writer used only inside transactions (BEGIN IMMEDIATE, serialised by an asyncio
lock so two coroutines never share a transaction), on a thread of its own, and a reader for plain
queries through aiosqlite, which WAL lets run beside a write. Since every write is serialised, a
server's write lock is implied.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.store.database import Database, DatabaseError, Params, Row, Tx
from bot.store.migrations import apply_sqlite_migrations

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0
BUSY_TIMEOUT_MS = 5000
PRAGMAS = (f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")
T = TypeVar("T")


Hop = Callable[[Callable[[], Any]], Awaitable[Any]]


async def _here(work: Callable[[], Any]) -> Any:
    """Run a statement where we are (inside a one-trip transaction, on the writer's thread)."""
    return work()


def _run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """Drive a coroutine that only awaits `_here` statements: it never suspends, so it finishes in
    one `send` without an event loop (on the writer's own thread)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    coroutine.close()
    raise RuntimeError("a one-trip transaction may await nothing but its own statements")


class SqliteTx(Tx):
    """A write transaction on the writer connection. Each statement is one hop to the writer's
    thread, or, inside `transaction_in_one_trip`, runs right there (the whole transaction is one hop)."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, hop: Hop) -> None:
        super().__init__()
        self.conn = conn
        self._hop = hop

    async def lock_guild(self, guild_id: int) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the only write lock there is."""

    async def _do(self, work: Callable[[], Any]) -> Any:
        try:
            return await self._hop(work)
        except sqlite3.Error as exc:
            raise DatabaseError(str(exc)) from exc

    async def execute(self, sql: str, params: Params = ()) -> int:
        return int(await self._do(lambda: self.conn.execute(sql, params).rowcount))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        await self._do(lambda: self.conn.executemany(sql, batch))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return cast(list[Row], await self._do(lambda: self.conn.execute(sql, params).fetchall()))

    async def insert(self, sql: str, params: Params = ()) -> int:
        return int(await self._do(lambda: self.conn.execute(sql, params).lastrowid))


class SqliteDatabase(Database):
    """One SQLite file in WAL mode, with foreign keys and a busy timeout."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        # The writer is a plain sqlite3 connection on a thread of our own, so that a whole short
        # transaction can run there in one hop (aiosqlite offers no public way to run a function
        # on its thread). Reads go through aiosqlite.
        self._writer: sqlite3.Connection | None = None
        self._thread: ThreadPoolExecutor | None = None
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
            migrating = await self._connect()
            try:
                await migrating.execute("PRAGMA journal_mode=WAL")
                await apply_sqlite_migrations(migrating)
            finally:
                await migrating.close()
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rota-sqlite-writer")
            self._writer = await self._on_writer(self._connect_writer)
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

    def _connect_writer(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            conn.execute(pragma)
        # Commits never copy the WAL back into the database file themselves (that made every
        # hundredth claim wait milliseconds); the reader's thread does it in the background.
        conn.execute("PRAGMA wal_autocheckpoint=0")
        return conn

    async def _on_writer(self, work: Callable[[], T]) -> T:
        """Run `work` on the writer's thread (one hop)."""
        assert self._thread is not None, "database is not open"
        return await asyncio.get_running_loop().run_in_executor(self._thread, work)

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            await asyncio.gather(self._checkpointer, return_exceptions=True)
            self._checkpointer = None
        reader, self._reader = self._reader, None
        if reader is not None:
            await reader.close()
        writer, self._writer = self._writer, None
        if writer is not None:
            await self._on_writer(writer.close)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.shutdown(wait=True)

    @asynccontextmanager
    async def transaction(self, *, guild_id: int | None = None) -> AsyncIterator[Tx]:
        assert self._writer is not None, "database is not open"
        writer = self._writer
        async with self._write_lock:
            await self._on_writer(lambda: writer.execute("BEGIN IMMEDIATE"))
            tx = SqliteTx(writer, self._on_writer)
            try:
                yield tx
            except BaseException:
                await self._on_writer(lambda: writer.execute("ROLLBACK"))
                raise
            await self._on_writer(lambda: writer.execute("COMMIT"))
        self._commits += 1
        self._committed(tx)

    async def transaction_in_one_trip(self, work: Callable[[Tx], Awaitable[T]], *, guild_id: int | None = None) -> T:
        """The whole transaction in one hop to the writer's thread: BEGIN IMMEDIATE, `work`, COMMIT
        (ROLLBACK if it raises). `work` is ordinary async store code that awaits only `tx`."""
        assert self._writer is not None, "database is not open"
        writer = self._writer
        tx = SqliteTx(writer, _here)

        def whole() -> T:
            writer.execute("BEGIN IMMEDIATE")
            try:
                result = _run_to_end(cast(Coroutine[Any, Any, T], work(tx)))
            except BaseException:
                writer.execute("ROLLBACK")
                raise
            writer.execute("COMMIT")
            return result

        async with self._write_lock:
            result = await self._on_writer(whole)
        self._commits += 1
        self._committed(tx)
        return result

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
