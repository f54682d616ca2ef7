"""Fixtures every suite may use: a real PostgreSQL server (`postgres_template`, `database_url`).

`database_url` is parametrised over both backends: a test that takes it runs once on a fresh SQLite
file and once on a fresh PostgreSQL database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import postgres

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """The name of a migrated template database (skips, or fails under CI, without a server)."""
    url = postgres.server_url()
    reason = asyncio.run(postgres.unreachable_reason(url))
    if reason is not None:
        if postgres.required():
            pytest.fail(f"ROTA_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    name = asyncio.run(postgres.make_template(url))
    yield name
    asyncio.run(postgres.drop_database(url, name))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each backend: a SQLite path, or a postgresql:// URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "rota.sqlite3")
        return
    template = request.getfixturevalue("postgres_template")
    url = postgres.server_url()
    name = asyncio.run(postgres.copy_database(url, template))
    yield postgres.with_database(url, name)
    asyncio.run(postgres.drop_database(url, name))


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL does (notices between processes)."""
    url = postgres.server_url()
    name = asyncio.run(postgres.copy_database(url, postgres_template))
    yield postgres.with_database(url, name)
    asyncio.run(postgres.drop_database(url, name))
