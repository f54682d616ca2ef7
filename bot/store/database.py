"""The one door to the database, whichever it is: SQLite (the default) or PostgreSQL (at scale).

`open_database(target)` picks the backend from the target: a `postgresql://` URL means PostgreSQL
through an asyncpg pool, anything else is a SQLite file (`bot/store/sqlite.py`). Both give the same
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
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol, TypeVar

from bot.domain.records import AuditEntry

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")
AuditListener = Callable[[list[AuditEntry]], None]
NoticeListener = Callable[[str], None]

#: Notices between processes: a job was scheduled (payload: its due time), a card should be edited
#: by the process that owns its server (payload: `kind:card:channel:guild`).
JOBS_CHANNEL = "rota_jobs"
CARDS_CHANNEL = "rota_cards"

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


class Reads(ABC):
    """Queries, inside a transaction (`Tx`) or outside one (`Database`): all rest on `fetchall`."""

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


class Tx(Reads):
    """An open write transaction: run statements, record audit rows, ask for a scheduler wake-up."""

    dialect: str

    def __init__(self) -> None:
        self.audit_entries: list[AuditEntry] = []
        #: The earliest due time of any job this transaction scheduled (the scheduler may need to wake).
        self.earliest_job: float | None = None
        #: Notices to other processes, sent if and when this transaction commits.
        self.notices: list[tuple[str, str]] = []
        #: When it began (monotonic seconds): its duration is watched (see bot/metrics.py).
        self.began = time.monotonic()
        self._parts = 0

    def scheduled(self, due_at: float) -> None:
        """Note that a job falls due at `due_at` (after the commit, schedulers may wake sooner)."""
        if self.earliest_job is None or due_at < self.earliest_job:
            self.earliest_job = due_at

    def notice(self, channel: str, payload: str) -> None:
        """Tell the other processes on this database, once this transaction has committed."""
        self.notices.append((channel, payload))

    @asynccontextmanager
    async def part(self) -> AsyncIterator[None]:
        """A part of the transaction that happens whole or is undone alone (a savepoint), so that
        several members' changes can share one commit without one's error undoing another's."""
        name = f"part_{self._parts}"
        self._parts += 1
        audited, noticed = len(self.audit_entries), len(self.notices)
        await self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.execute(f"ROLLBACK TO SAVEPOINT {name}")
            await self.execute(f"RELEASE SAVEPOINT {name}")
            del self.audit_entries[audited:]
            del self.notices[noticed:]
            raise
        await self.execute(f"RELEASE SAVEPOINT {name}")

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
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` key and return the new row's id."""


class Database(Reads):
    """Connections, transactions and plain reads; the same API on both backends."""

    dialect: str

    #: Whether notices reach other processes (PostgreSQL); on SQLite there is one process.
    shares_notices = False

    def __init__(self) -> None:
        self._audit_listeners: list[AuditListener] = []
        self._after_commit: list[Callable[[Tx], None]] = []
        self._notice_listeners: dict[str, list[NoticeListener]] = {}

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

    def on_audit(self, listener: AuditListener) -> None:
        """Call `listener` with the audit rows of each committed transaction (the log-channel mirror)."""
        self._audit_listeners.append(listener)

    def after_commit(self, hook: Callable[[Tx], None]) -> None:
        """Call `hook` with each committed transaction (the scheduler's wake-up)."""
        self._after_commit.append(hook)

    async def transaction_in_one_trip(self, work: Callable[[Tx], Awaitable[T]], *, guild_id: int | None = None) -> T:
        """`work(tx)` as one transaction, in a single trip to the database where the backend can
        (SQLite: its writer's thread). `work` must await nothing but `tx`: it is the hot path's."""
        async with self.transaction(guild_id=guild_id) as tx:
            return await work(tx)

    @abstractmethod
    def exclusively(self, chore: str) -> AbstractAsyncContextManager[bool]:
        """For a chore only one process should do at a time (syncing commands): True inside the
        block if this process holds the chore's lock, False if another process is doing it."""

    def on_notice(self, channel: str, listener: NoticeListener) -> None:
        """Call `listener` with the payload of each notice another process sends on `channel`."""
        self._notice_listeners.setdefault(channel, []).append(listener)

    @abstractmethod
    async def notify(self, channel: str, payload: str) -> None:
        """Send a notice to the other processes now (outside a transaction)."""

    def _heard(self, channel: str, payload: str) -> None:
        for listener in self._notice_listeners.get(channel, []):
            try:
                listener(payload)
            except Exception:
                log.exception("notice listener failed")

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
