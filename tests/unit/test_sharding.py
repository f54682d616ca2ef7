"""Shards: which shard a server is on, the settings, and turns at identifying on both databases."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.config import ConfigError, load_config
from bot.sharding import parse_shard_ids, shard_of
from bot.store import identify
from bot.store.database import open_database


def test_a_server_is_on_the_shard_discord_computes() -> None:
    assert shard_of(0, 4) == 0
    assert shard_of(5 << 22, 4) == 1
    assert shard_of(1576845982878925862, 1) == 0
    assert {shard_of(n << 22, 3) for n in range(9)} == {0, 1, 2}


@pytest.mark.parametrize(("text", "ids"), [("0-3", (0, 1, 2, 3)), ("0,2", (0, 2)), ("4, 0-1", (0, 1, 4)), ("3", (3,))])
def test_shard_ids_are_ranges_or_lists(text: str, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize("text", ["", "a", "3-1", "1-", "-1", "0,,x"])
def test_bad_shard_ids_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_shard_ids(text)


def test_shard_settings() -> None:
    base = {"DISCORD_TOKEN": "t", "ROTA_DATABASE": "postgresql://db.example/rota"}
    assert load_config(base).shard_count is None
    config = load_config({**base, "ROTA_SHARD_COUNT": "4", "ROTA_SHARD_IDS": "2-3"})
    assert (config.shard_count, config.shard_ids) == (4, (2, 3))
    assert config.instance.endswith(":shards-2-3")  # two processes on one machine get two names
    for bad in ({"ROTA_SHARD_IDS": "0"}, {"ROTA_SHARD_COUNT": "0"}, {"ROTA_SHARD_COUNT": "2", "ROTA_SHARD_IDS": "1-2"}):
        with pytest.raises(ConfigError) as caught:
            load_config({**base, **bad})
        assert "ROTA_SHARD" in str(caught.value)


async def test_only_one_process_wins_each_identify_turn(database_url: str) -> None:
    first, second = open_database(database_url), open_database(database_url)
    await first.open()
    await second.open()
    try:
        now = time.time()
        waits = await asyncio.gather(
            *(identify.take_slot(db, 0, now=now, window=5.0) for db in (first, second, first, second))
        )
        assert sorted(waits)[0] == 0.0 and all(4.9 < w <= 5.0 for w in sorted(waits)[1:])  # one turn
        assert await identify.take_slot(first, 1, now=now, window=5.0) == 0.0  # another bucket: its own turn
        assert await identify.take_slot(second, 0, now=now + 5.0, window=5.0) == 0.0  # the window has passed
    finally:
        await first.close()
        await second.close()
