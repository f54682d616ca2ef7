"""PostgreSQL through an asyncpg pool: for deployments that outgrow one machine.

Several processes share one database. A write transaction takes its server's advisory lock
(`pg_advisory_xact_lock`, released at COMMIT or ROLLBACK), so the changes to one server happen in
one order, as they do on SQLite, while different servers write in parallel. Every statement reads
what was committed before it started (READ COMMITTED), and a server's previous writer has committed
before its lock is granted, so a transaction that locks first and reads after sees the truth.

The store writes SQL once with `?` or `:name` placeholders; `numbered` rewrites them to `$1..$n`.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.store.database import CARDS_CHANNEL, JOBS_CHANNEL, Database, DatabaseError, Params, Row, Tx
from bot.store.migrations import apply_postgres_migrations

log = logging.getLogger(__name__)

POOL_MIN = 1
POOL_MAX = 10
#: Advisory lock keys are two int4s: this namespace, then the server's id folded into 32 bits.
GUILD_LOCK_SPACE = 0x524F  # "RO"
#: ... and for once-only chores, keyed by the chore's name.
CHORE_LOCK_SPACE = 0x5243  # "RC"

# A quoted string, a quoted identifier, a `::` cast, a `?`, or a `:name` placeholder.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=1024)
def numbered(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """`sql` with `?` / `:name` placeholders as `$1..$n`; for named ones, the names in order.

    Text in quotes is left alone (`'rota:swap:'` is not a placeholder); one statement uses one kind.
    """
    names: list[str] = []
    positional = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token == "?":
            positional += 1
            return f"${positional}"
        name = match.group(1)
        if name is None:  # a string, an identifier or a cast
            return token
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    rewritten = _TOKENS.sub(replace, sql)
    if positional and names:
        raise ValueError("a statement uses either ? or :name placeholders, not both")
    return rewritten, (tuple(names) if names else None)


def _args(sql: str, params: Params) -> tuple[str, list[Any]]:
    text, names = numbered(sql)
    if names is None:
        return text, list(params.values()) if isinstance(params, dict) else list(params)
    assert isinstance(params, dict), "named placeholders need a dict of values"
    return text, [params[name] for name in names]


def _rowcount(status: str) -> int:
    """asyncpg reports 'UPDATE 3' / 'DELETE 0' / 'INSERT 0 1': the last number is the row count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def guild_lock_key(guild_id: int) -> int:
    """A server's advisory lock key (int4): ids that collide only share a lock, which is safe."""
    folded = (guild_id ^ (guild_id >> 32)) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


class PostgresTx(Tx):
    """A write transaction on one pooled connection."""

    dialect = "postgresql"

    def __init__(self, conn: PoolConnectionProxy[asyncpg.Record]) -> None:
        super().__init__()
        self.conn = conn
        self._locked: set[int] = set()

    async def lock_guild(self, guild_id: int) -> None:
        key = guild_lock_key(guild_id)
        if key not in self._locked:
            await self.conn.execute("SELECT pg_advisory_xact_lock($1, $2)", GUILD_LOCK_SPACE, key)
            self._locked.add(key)

    async def execute(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql, params)
        try:
            return _rowcount(await self.conn.execute(text, *args))
        except asyncpg.PostgresError as exc:
            raise DatabaseError(str(exc)) from exc

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        text, _ = numbered(sql)
        try:
            await self.conn.executemany(text, [list(row) for row in rows])
        except asyncpg.PostgresError as exc:
            raise DatabaseError(str(exc)) from exc

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        text, args = _args(sql, params)
        try:
            return list(await self.conn.fetch(text, *args))
        except asyncpg.PostgresError as exc:
            raise DatabaseError(str(exc)) from exc

    async def insert(self, sql: str, params: Params = ()) -> int:
        text, args = _args(sql + " RETURNING id", params)
        try:
            return int(await self.conn.fetchval(text, *args))
        except asyncpg.PostgresError as exc:
            raise DatabaseError(str(exc)) from exc


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database."""

    dialect = "postgresql"
    shares_notices = True

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._pool: asyncpg.Pool[asyncpg.Record] | None = None
        self._listener: asyncpg.Connection[asyncpg.Record] | None = None

    @property
    def where(self) -> str:
        """The server and database, without a password."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}" if parts.username else host
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    async def open(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(self.url, min_size=POOL_MIN, max_size=POOL_MAX)
            async with self._pool.acquire() as conn:
                await apply_postgres_migrations(conn)
            await self._listen()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self.close()
            raise DatabaseError(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.close()
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @asynccontextmanager
    async def transaction(self, *, guild_id: int | None = None) -> AsyncIterator[Tx]:
        assert self._pool is not None, "database is not open"
        async with self._pool.acquire() as conn, conn.transaction():
            tx = PostgresTx(conn)
            if guild_id is not None:
                await tx.lock_guild(guild_id)
            yield tx
            if tx.earliest_job is not None:  # other processes' schedulers may sleep towards later jobs
                tx.notice(JOBS_CHANNEL, repr(tx.earliest_job))
            for channel, payload in tx.notices:  # delivered by PostgreSQL only if the COMMIT succeeds
                await conn.execute("SELECT pg_notify($1, $2)", channel, payload)
        self._committed(tx)

    @asynccontextmanager
    async def exclusively(self, chore: str) -> AsyncIterator[bool]:
        assert self._pool is not None, "database is not open"
        key = guild_lock_key(zlib.crc32(chore.encode()))
        async with self._pool.acquire() as conn:
            held = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", CHORE_LOCK_SPACE, key))
            try:
                yield held
            finally:
                if held:
                    await conn.execute("SELECT pg_advisory_unlock($1, $2)", CHORE_LOCK_SPACE, key)

    async def notify(self, channel: str, payload: str) -> None:
        assert self._pool is not None, "database is not open"
        await self._pool.execute("SELECT pg_notify($1, $2)", channel, payload)

    async def _listen(self) -> None:
        """One connection of our own receives every process's notices (LISTEN needs a session)."""
        self._listener = await asyncpg.connect(self.url)
        for channel in (JOBS_CHANNEL, CARDS_CHANNEL):
            await self._listener.add_listener(channel, self._on_notification)

    def _on_notification(self, connection: object, pid: int, channel: str, payload: object) -> None:
        self._heard(channel, str(payload))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        assert self._pool is not None, "database is not open"
        text, args = _args(sql, params)
        try:
            return list(await self._pool.fetch(text, *args))
        except asyncpg.PostgresError as exc:
            raise DatabaseError(str(exc)) from exc
