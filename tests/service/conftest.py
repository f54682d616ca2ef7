"""Service tests run the real use cases on a real SQLite file with a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.domain.members import Actor
from bot.services import Services
from bot.store.sqlite import SqliteDatabase as Database

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
GUILD = 1001
OTHER_GUILD = 2002


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def services(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Services]:
    db = Database(tmp_path / "rota.sqlite3")
    await db.open()
    yield Services(db, clock)
    await db.close()


def member(n: int, *, admin: bool = False) -> Actor:
    return Actor(user_id=10_000 + n, name=f"member{n}", manage_guild=admin)
