"""`rota migrate --to`: a SQLite deployment moves to PostgreSQL with its history, ids and all."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ManualClock
from bot.domain.members import Actor
from bot.services import Services
from bot.store.copying import TABLES, row_counts
from bot.store.database import open_database
from bot.store.sqlite import SqliteDatabase

REPO = Path(__file__).resolve().parents[2]
GUILD = 77


def run_rota(*args: str, database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**env, "ROTA_DATABASE": str(database), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def some_history(path: Path) -> dict[str, int]:
    db = SqliteDatabase(path)
    await db.open()
    try:
        services = Services(db, ManualClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
        alice, bob = Actor(1, "alice"), Actor(2, "bob")
        [shift] = await services.shifts.offer(
            GUILD, alice, when="2026-12-05 10:00", where="Hall", places=1, duration="2h"
        )
        await services.shifts.claim(GUILD, bob, shift.id, join_waitlist=True)
        await services.handoffs.offer(
            GUILD, alice, shift.id, recipient_id=2, recipient_name="bob", recipient_is_bot=False
        )
        await services.rota.join(GUILD, alice, None)
        await services.rota.join(GUILD, bob, None)
        return await row_counts(db)
    finally:
        await db.close()


async def test_a_deployment_moves_with_its_ids_and_refuses_to_overwrite(tmp_path: Path, postgres_url: str) -> None:
    source = tmp_path / "rota.sqlite3"
    counts = await some_history(source)
    assert counts["shifts"] == 1 and counts["audit_log"] >= 4

    moved = run_rota("migrate", "--to", postgres_url, database=source, cwd=tmp_path)
    assert moved.returncode == 0, moved.stderr
    assert "every table matches" in moved.stdout
    target = open_database(postgres_url)
    await target.open()
    try:
        assert await row_counts(target) == counts
        old = SqliteDatabase(source)
        await old.open()
        try:
            for table in ("audit_log", "shifts", "shift_handoffs", "rota_turns"):
                ids = f"SELECT id FROM {table} ORDER BY id"
                assert [r[0] for r in await target.fetchall(ids)] == [r[0] for r in await old.fetchall(ids)]
        finally:
            await old.close()
        # New rows are numbered after the copied ones (the group keeps going where it was).
        services = Services(target, ManualClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)))
        [later] = await services.shifts.offer(
            GUILD, Actor(3, "cara"), when="2026-12-06 10:00", where="Park", places=2, duration="2h"
        )
        assert later.id == 2
    finally:
        await target.close()

    again = run_rota("migrate", "--to", postgres_url, database=source, cwd=tmp_path)
    assert again.returncode == 2 and "already holds data" in again.stderr and "nothing was copied" in again.stderr
    assert (
        "@" not in again.stderr.split("already holds")[0].split("postgresql://")[1].split("/")[0]
        or ":" not in (again.stderr.split("postgresql://")[1].split("@")[0])
    )  # no password in the message


async def test_every_table_is_copied(tmp_path: Path) -> None:
    db = SqliteDatabase(tmp_path / "rota.sqlite3")
    await db.open()
    try:
        names = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        await db.close()
    assert names - {"sqlite_sequence"} == set(TABLES)


def test_migrate_needs_a_postgresql_target(tmp_path: Path) -> None:
    for args in (["migrate"], ["migrate", "--to", str(tmp_path / "other.sqlite3")]):
        result = run_rota(*args, database=tmp_path / "rota.sqlite3", cwd=tmp_path)
        assert result.returncode == 2 and "postgresql://" in result.stderr
