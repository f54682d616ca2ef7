"""Transactions on both databases: all or nothing, and the claim's one-trip form."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.database import DatabaseError, Tx, open_database


async def keys(db) -> list[str]:  # type: ignore[no-untyped-def]
    return [r[0] for r in await db.fetchall("SELECT key FROM meta ORDER BY key")]


async def test_a_transaction_is_all_or_nothing(database_url: str) -> None:
    db = open_database(database_url)
    await db.open()
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                raise RuntimeError("boom")
        with pytest.raises(DatabaseError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '1')")
                await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")  # the key is taken
        assert await keys(db) == []
    finally:
        await db.close()


async def test_a_one_trip_transaction_commits_or_rolls_back_whole(database_url: str) -> None:
    db = open_database(database_url)
    await db.open()
    try:

        async def good(tx: Tx) -> int:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            return await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")

        assert await db.transaction_in_one_trip(good) == 1

        async def bad(tx: Tx) -> None:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('c', '3')")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await db.transaction_in_one_trip(bad)
        assert await keys(db) == ["a", "b"]
    finally:
        await db.close()


async def test_on_sqlite_a_one_trip_transaction_may_await_nothing_else(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(str(tmp_path / "rota.sqlite3"))
    await db.open()
    try:

        async def wanders(tx: Tx) -> None:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            await asyncio.sleep(0)  # would leave the writer's thread mid-transaction

        with pytest.raises(RuntimeError, match="nothing but its own statements"):
            await db.transaction_in_one_trip(wanders)
        assert await keys(db) == []
    finally:
        await db.close()
