"""The one place that talks to SQLite.

Two aiosqlite connections: a writer used only inside `transaction()` (BEGIN IMMEDIATE, serialised
by an asyncio lock so two coroutines never share a transaction) and a reader for plain queries,
which WAL lets run beside a write. Every rule that needs a consistent view of the data runs inside
one transaction; nothing reads, awaits something else, then writes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.domain.records import AuditEntry
from bot.store.migrations import apply_migrations

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0

Row = sqlite3.Row
AuditListener = Callable[[list[AuditEntry]], None]


class SyncTx:
    """The same open transaction, seen from the database thread: plain sqlite3 calls, no trips.

    Store code written against it runs in one trip however many statements it makes (`Tx.in_one_trip`,
    `Database.transaction_in_one_trip`); the claim path uses it because each trip costs a thread hand-off.
    """

    def __init__(self, conn: sqlite3.Connection, owner: Tx) -> None:
        self.conn = conn
        self.owner = owner

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, params)

    def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        return list(self.conn.execute(sql, params).fetchall())

    def insert(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        rowid = self.conn.execute(sql, params).lastrowid
        assert rowid is not None
        return rowid

    def scheduled(self, due_at: float) -> None:
        self.owner.scheduled(due_at)

    @property
    def audit_entries(self) -> list[AuditEntry]:
        return self.owner.audit_entries


T = TypeVar("T")


class Tx:
    """An open write transaction: run statements, record audit rows, ask for a scheduler wake-up."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.audit_entries: list[AuditEntry] = []
        #: The earliest due time of any job this transaction scheduled (the scheduler may need to wake).
        self.earliest_job: float | None = None

    def scheduled(self, due_at: float) -> None:
        self.earliest_job = due_at if self.earliest_job is None else min(self.earliest_job, due_at)

    async def in_one_trip(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run synchronous store code (taking a SyncTx first) inside this transaction, in one trip."""
        conn = self.conn
        # aiosqlite's private one-trip call; the scale-out work replaces it with a public way.
        result: T = await conn._execute(lambda: work(SyncTx(conn._conn, self), *args, **kwargs))  # type: ignore[no-untyped-call]
        return result

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> aiosqlite.Cursor:
        return await self.conn.execute(sql, params)

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> aiosqlite.Cursor:
        return await self.conn.executemany(sql, params)

    # Reads use execute_fetchall: one trip to aiosqlite's thread, where execute + fetch + close
    # would be three. A claim makes about ten queries, so this is most of its time in the store.
    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def insert(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        cur = await self.conn.execute(sql, params)
        assert cur.lastrowid is not None
        return cur.lastrowid


@dataclass
class Database:
    path: Path
    busy_timeout_ms: int = 5000
    _writer: aiosqlite.Connection | None = None
    _reader: aiosqlite.Connection | None = None
    _write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _audit_listeners: list[AuditListener] = field(default_factory=list)
    _after_commit: list[Callable[[Tx], None]] = field(default_factory=list)
    _checkpointer: asyncio.Task[None] | None = None
    _commits: int = 0

    async def open(self) -> None:
        """Open both connections, set the pragmas and apply pending migrations."""
        self._writer = await self._connect()
        await self._writer.execute("PRAGMA journal_mode=WAL")
        await apply_migrations(self._writer)
        # Commits never copy the WAL back into the database file themselves (that made every
        # hundredth claim wait milliseconds); the reader's thread does it in the background.
        await self._writer.execute("PRAGMA wal_autocheckpoint=0")
        self._reader = await self._connect()
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
        await conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
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

    def on_audit(self, listener: AuditListener) -> None:
        """Call `listener` with the audit rows of each committed transaction (the log-channel mirror)."""
        self._audit_listeners.append(listener)

    def after_commit(self, hook: Callable[[Tx], None]) -> None:
        self._after_commit.append(hook)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (nothing is ever half written)."""
        assert self._writer is not None, "database is not open"
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            tx = Tx(self._writer)
            try:
                yield tx
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")
        self._committed(tx)

    async def transaction_in_one_trip(self, work: Callable[[SyncTx], T]) -> T:
        """A whole short transaction in one trip to the database thread: BEGIN IMMEDIATE, `work`,
        COMMIT (ROLLBACK if it raises). For the hottest path; everything else uses `transaction()`."""
        assert self._writer is not None, "database is not open"
        writer = self._writer
        async with self._write_lock:
            tx = Tx(writer)

            def run() -> T:  # aiosqlite runs this on the connection's own thread, in one trip
                conn = writer._conn
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(SyncTx(conn, tx))
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                return result

            # aiosqlite's private one-trip call; the scale-out work replaces it with a public way.
            result: T = await writer._execute(run)  # type: ignore[no-untyped-call]
        self._committed(tx)
        return result

    def _committed(self, tx: Tx) -> None:
        self._commits += 1
        for hook in self._after_commit:
            hook(tx)
        if tx.audit_entries:
            for listener in self._audit_listeners:
                try:
                    listener(tx.audit_entries)
                except Exception:
                    log.exception("audit listener failed")

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        assert self._reader is not None, "database is not open"
        rows = await self._reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        assert self._reader is not None, "database is not open"
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
