"""A real PostgreSQL server for the tests, with a fresh database for each test that asks.

Where the server is: `ROTA_TEST_POSTGRES` (a URL to any database on it), else the local default
`postgresql://postgres@127.0.0.1:5432/postgres`. Without a reachable server the PostgreSQL
variants skip with one clear reason, unless `ROTA_REQUIRE_POSTGRES=1` (CI sets it): then they fail.

A template database with every migration applied is made once per run; each test gets a copy
(`CREATE DATABASE ... TEMPLATE`), which takes a fraction of a second, and it is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.store.postgres import PostgresDatabase

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEMPLATE_PREFIX = "rota_template_"
TEST_PREFIX = "rota_test_"


def server_url() -> str:
    """The admin URL the tests use to create and drop databases."""
    return os.environ.get("ROTA_TEST_POSTGRES", "").strip() or DEFAULT_URL


def required() -> bool:
    """Whether a missing server is a failure (CI) rather than a skip."""
    return os.environ.get("ROTA_REQUIRE_POSTGRES", "") == "1"


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def unreachable_reason(url: str) -> str | None:
    """None when the server answers; else why not, in one line."""
    try:
        conn = await asyncio.wait_for(asyncpg.connect(url), timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        return f"no PostgreSQL server at {urlsplit(url).hostname}:{urlsplit(url).port or 5432} ({exc})"
    await conn.close()
    return None


async def _admin(url: str, statement: str) -> None:
    """Run one statement that must not run in a transaction (CREATE or DROP DATABASE)."""
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


async def create_database(url: str, prefix: str, template: str | None = None) -> str:
    """A new database on the server (a copy of `template`, or empty); its name."""
    name = prefix + secrets.token_hex(6)
    copy = f' TEMPLATE "{template}"' if template else ""
    await _admin(url, f'CREATE DATABASE "{name}"{copy}')
    return name


async def make_template(url: str) -> str:
    """A database with every migration applied, to copy for each test; its name."""
    name = await create_database(url, TEMPLATE_PREFIX)
    db = PostgresDatabase(with_database(url, name))
    await db.open()
    await db.close()
    return name


async def copy_database(url: str, template: str) -> str:
    """A fresh database copied from `template`; its name."""
    return await create_database(url, TEST_PREFIX, template)


async def drop_database(url: str, name: str) -> None:
    """Drop a test database, closing anything still connected to it."""
    await _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
