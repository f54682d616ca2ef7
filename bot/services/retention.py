"""Keeping less (`/setup retention`): a daily durable job anonymises each server's old records.

One job for all servers, keyed so that every process starting up finds it already there. Each
server is anonymised in its own transaction (a repeat changes nothing, see bot/store/retention.py);
the job then finishes and schedules its next run in one transaction, so a restart neither skips a
day nor runs one twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.governance import retention_cutoff
from bot.store import jobs
from bot.store import retention as rows
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx

RETENTION_JOB = "retention"
RETENTION_KEY = "retention:daily"
EVERY_SECONDS = 86400.0


@dataclass
class RetentionService:
    db: Database
    clock: Clock

    async def ensure_scheduled(self) -> None:
        """The first run is due at once (a server upgraded to this version is tidied on start)."""
        now = self.clock.timestamp()
        async with self.db.transaction() as tx:
            await jobs.schedule_unless_there(tx, RETENTION_JOB, now, {}, key=RETENTION_KEY, now=now)

    async def run(self, finish: Callable[[Tx], Awaitable[bool]]) -> dict[int, rows.Anonymised]:
        """Anonymise, per server, what is older than its retention; then plan tomorrow's run."""
        now = self.clock.now()
        stamp = now.timestamp()
        done: dict[int, rows.Anonymised] = {}
        for guild_id in await rows.servers(self.db):
            async with self.db.transaction(guild_id=guild_id) as tx:
                days = (await settings_rows.load(tx, guild_id)).retention_days
                before = retention_cutoff(now, days).timestamp()
                done[guild_id] = await rows.anonymise_before(tx, guild_id, before, at=stamp)
        async with self.db.transaction() as tx:
            if await finish(tx):
                await jobs.schedule(tx, RETENTION_JOB, stamp + EVERY_SECONDS, {}, key=RETENTION_KEY, now=stamp)
        return done
