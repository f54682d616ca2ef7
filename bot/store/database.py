"""The one door to the database, whichever it is: SQLite (the default) or PostgreSQL (at scale).

`open_database(target)` picks the backend from the target: a `postgresql://` URL means PostgreSQL
through an asyncpg pool, anything else is a SQLite file through aiosqlite. Both give the same
`Database` and `Tx`; nothing above `bot/store/` knows which one it talks to. SQL is written once, in
the dialect both share, with `?` (or `:name`) placeholders; the PostgreSQL backend numbers them.

**Every rule that needs a consistent view runs inside one transaction.** A write transaction starts
by taking its server's write lock (`transaction(guild_id=...)` or `Tx.lock_guild`), so two changes
to the same server never interleave: SQLite serialises every write anyway (BEGIN IMMEDIATE), and
PostgreSQL holds a transaction-scoped advisory lock per server, so servers write in parallel while
each server's changes stay in one order. Nothing reads, awaits something else, then writes.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bot.domain.records import AuditEntry

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
AuditListener = Callable[[list[AuditEntry]], None]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(target: str) -> bool:
    """Whether a `ROTA_DATABASE` value names a PostgreSQL server (else it is a SQLite file)."""
    return target.startswith(POSTGRES_SCHEMES)


class Row(Protocol):
    """A result row: by column name or position (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class DatabaseError(Exception):
    """The database refused or failed (either backend's error, with its message)."""


class Tx(ABC):
    """An open write transaction: run statements, record audit rows, ask for a scheduler wake-up."""

    dialect: str

    def __init__(self) -> None:
        self.audit_entries: list[AuditEntry] = []
        #: The earliest due time of any job this transaction scheduled (the scheduler may need to wake).
        self.earliest_job: float | None = None

    def scheduled(self, due_at: float) -> None:
        """Note that a job falls due at `due_at` (after the commit, the scheduler may wake sooner)."""
        self.earliest_job = due_at if self.earliest_job is None else min(self.earliest_job, due_at)

    @abstractmethod
    async def lock_guild(self, guild_id: int) -> None:
        """Take this server's write lock until the transaction ends (before reading what you decide on)."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it changed."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query."""

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query, or None."""
        return next(iter(await self.fetchall(sql, params)), None)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` key and return the new row's id."""


class Database(ABC):
    """Connections, transactions and plain reads; the same API on both backends."""

    dialect: str

    def __init__(self) -> None:
        self._audit_listeners: list[AuditListener] = []
        self._after_commit: list[Callable[[Tx], None]] = []

    @property
    @abstractmethod
    def where(self) -> str:
        """What the database is, for messages (a file path, or a server without its password)."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and apply pending migrations (safe when several processes start at once)."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    def transaction(self, *, guild_id: int | None = None) -> AbstractAsyncContextManager[Tx]:
        """BEGIN ... COMMIT, rolled back on any exception (nothing is ever half written). With
        `guild_id`, the server's write lock is taken first."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a read-only query, outside any transaction."""

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a read-only query, or None."""
        return next(iter(await self.fetchall(sql, params)), None)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def on_audit(self, listener: AuditListener) -> None:
        """Call `listener` with the audit rows of each committed transaction (the log-channel mirror)."""
        self._audit_listeners.append(listener)

    def after_commit(self, hook: Callable[[Tx], None]) -> None:
        """Call `hook` with each committed transaction (the scheduler's wake-up)."""
        self._after_commit.append(hook)

    def _committed(self, tx: Tx) -> None:
        for hook in self._after_commit:
            hook(tx)
        if tx.audit_entries:
            for listener in self._audit_listeners:
                try:
                    listener(tx.audit_entries)
                except Exception:
                    log.exception("audit listener failed")


def open_database(target: str) -> Database:
    """The database `ROTA_DATABASE` names: a `postgresql://` URL, or else a SQLite file path.

    The backends are imported here, not at the top, so a SQLite deployment never loads asyncpg.
    """
    if is_postgres(target):
        from bot.store.postgres import PostgresDatabase

        return PostgresDatabase(target)
    from bot.store.sqlite import SqliteDatabase

    return SqliteDatabase(target)
