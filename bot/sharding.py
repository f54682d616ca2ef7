"""Which gateway shards this process runs, and taking turns at identifying with other processes.

Discord sends a server's events to shard `(guild_id >> 22) % shard_count` and every DM to shard 0.
A process runs all the shards Discord recommends (no settings), or `ROTA_SHARD_IDS` of a fixed
`ROTA_SHARD_COUNT`. Discord allows one IDENTIFY per rate-limit bucket (`shard_id % max_concurrency`)
per 5 seconds across the whole bot, so every process takes its turn through the shared database.
"""

from __future__ import annotations

import asyncio
import logging
import time

from bot.store import identify
from bot.store.database import Database

log = logging.getLogger(__name__)

#: Discord's window: one IDENTIFY per bucket per this many seconds.
IDENTIFY_WINDOW = 5.0
#: Added to the window: a turn is taken just before the IDENTIFY is sent, and two processes' messages
#: take different times to reach Discord, so turns a bare window apart could arrive too close.
IDENTIFY_MARGIN = 0.5


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a server's events to."""
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """`0-3`, `0,2` or `0-3,6` as sorted, distinct shard ids; ValueError if it is not that."""
    ids: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        low, dash, high = part.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ValueError(part)
        first, last = int(low), int(high) if dash else int(low)
        if last < first:
            raise ValueError(part)
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError(text)
    return tuple(sorted(ids))


async def wait_for_identify_turn(db: Database, shard_id: int, max_concurrency: int, *, window: float) -> None:
    """Wait until this shard's bucket may identify, then take the turn (wall-clock time: the limit
    is Discord's, and other processes on other machines count the same seconds)."""
    bucket = shard_id % max(1, max_concurrency)
    spacing = window + IDENTIFY_MARGIN
    while (wait := await identify.take_slot(db, bucket, now=time.time(), window=spacing)) > 0:
        log.info("shard %s waits %.1f s for its turn to identify (bucket %s)", shard_id, wait, bucket)
        await asyncio.sleep(wait)
