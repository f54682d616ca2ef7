"""Service tests run the real use cases with a manual clock on each backend: a fresh SQLite file and
a fresh PostgreSQL database (see `database_url` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.domain.members import Actor
from bot.services import Services
from bot.store.database import open_database

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
GUILD = 1001
OTHER_GUILD = 2002


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def services(database_url: str, clock: ManualClock) -> AsyncIterator[Services]:
    db = open_database(database_url)
    await db.open()
    yield Services(db, clock)
    await db.close()


def member(n: int, *, admin: bool = False) -> Actor:
    return Actor(user_id=10_000 + n, name=f"member{n}", manage_guild=admin)
