"""Which language to speak to whom, when Rota starts the conversation (a DM, a public card).

A member's answers follow their Discord language at each interaction; for what Rota sends them
later, it remembers the language they last used. Remembering costs a write only when it changed
(or the process has not checked for a while, since another process may have written meanwhile),
and the writes of a second are made together in one transaction: a burst of 250 first claims must
not cost 250 extra transactions on the database's single writer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.store import languages as rows
from bot.store import settings as settings_rows
from bot.store.database import Database

log = logging.getLogger(__name__)

RECHECK_SECONDS = 600.0
GATHER_SECONDS = 1.0  # languages noted within this are written together


@dataclass
class LanguageService:
    db: Database
    clock: Clock
    _known: dict[int, tuple[str, float]] = field(default_factory=dict)  # member -> (language, when noted)
    _pending: dict[int, str] = field(default_factory=dict)  # noted, not written yet
    _writer: asyncio.Task[None] | None = None

    def _needs_noting(self, user_id: int, language: str) -> bool:
        known = self._known.get(user_id)
        return known is None or known[0] != language or time.monotonic() - known[1] > RECHECK_SECONDS

    def note(self, user_id: int, language: str) -> None:
        """The member used Rota in `language` just now (written with the others of the next second)."""
        if not self._needs_noting(user_id, language):
            return
        self._known[user_id] = (language, time.monotonic())
        self._pending[user_id] = language
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_soon())

    async def close(self) -> None:
        """At shutdown: stop the timer and write what is noted, in a bounded time."""
        if self._writer is not None:
            self._writer.cancel()
        try:
            await asyncio.wait_for(self.flush(), timeout=5)
        except Exception:  # a language is a convenience: never hold up a shutdown for it
            log.warning("could not remember members' languages at shutdown", exc_info=True)

    async def flush(self) -> None:
        """Write what is noted now (at shutdown, and in tests)."""
        pending, self._pending = self._pending, {}
        if pending:
            await rows.remember_all(self.db, pending, at=self.clock.timestamp())

    async def _write_soon(self) -> None:
        await asyncio.sleep(GATHER_SECONDS)
        try:
            await self.flush()
        except Exception:  # a language is a convenience: losing one must not disturb anything else
            log.exception("could not remember members' languages")

    def forget(self, user_id: int) -> None:
        """The member deleted their data (the row went with it): stop answering from memory."""
        self._known.pop(user_id, None)

    async def of_member(self, user_id: int) -> str | None:
        """The language the member last used with Rota (None: never seen)."""
        known = self._known.get(user_id)
        if known is not None and time.monotonic() - known[1] <= RECHECK_SECONDS:
            return known[0]
        return await rows.of_member(self.db, user_id)

    async def of_server(self, guild_id: int) -> str | None:
        """The language the server chose for what everyone reads (None: not chosen)."""
        return (await settings_rows.load(self.db, guild_id)).language
