"""Mirror audit entries into each server's log channel as they happen, so nothing changes unseen.

Entries are batched for about a second per server and sent as one message, which keeps the bot far
below Discord's per-channel write limit even during a burst of claims. The lines are written in the
server's language (`language_of`), never in that of the member whose action
started the batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable

import discord

from bot.domain.records import AuditEntry
from bot.ui.audience import public, reading
from bot.ui.audit_text import audit_line
from bot.ui.i18n import speaking
from bot.ui.pacing import ChannelPacer
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)

BATCH_SECONDS = 1.0
MESSAGE_LIMIT = 1900


class AuditMirror:
    def __init__(
        self,
        bot: discord.Client,
        channel_for: Callable[[int], Awaitable[int | None]],
        pacer: ChannelPacer,
        language_of: Callable[[int], Awaitable[str]],
        names_of: Callable[[int], Awaitable[str]] | None = None,
    ) -> None:
        """`names_of(guild_id)`: the server's `names` setting (the log channel is public)."""
        self._names_of = names_of
        self._pacer = pacer
        self._bot = bot
        self._channel_for = channel_for
        self._language_of = language_of
        self._pending: dict[int, list[AuditEntry]] = defaultdict(list)
        self._task: asyncio.Task[None] | None = None

    def __call__(self, entries: list[AuditEntry]) -> None:
        for entry in entries:
            self._pending[entry.guild_id].append(entry)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(BATCH_SECONDS)
        while self._pending:
            guild_id, entries = self._pending.popitem()
            try:
                await self._send(guild_id, entries)
            except Exception:
                log.exception("could not mirror %d audit entries for server %s", len(entries), guild_id)

    async def _send(self, guild_id: int, entries: list[AuditEntry]) -> None:
        channel_id = await self._channel_for(guild_id)
        if channel_id is None:
            return
        channel = self._bot.get_partial_messageable(channel_id)
        names = await self._names_of(guild_id) if self._names_of is not None else "shown"
        with speaking(await self._language_of(guild_id)), reading(public(names)):
            lines = [audit_line(entry) for entry in entries]
        for chunk in _chunks(lines):
            await self._pacer.slot(channel_id)
            try:
                await channel.send(chunk, allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                log.warning("log channel %s of server %s refused a message: %s", channel_id, guild_id, exc)
                return


def _chunks(lines: list[str]) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = line[:MESSAGE_LIMIT]
        if current and len(current) + 1 + len(line) > MESSAGE_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks
