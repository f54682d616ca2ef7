"""Which language to speak to whom, when Rota starts the conversation (a DM, a public card).

A member's answers follow their Discord language at each interaction; for what Rota sends them
later, it remembers the language they last used. Remembering costs a write only when it changed
(or the process has not checked for a while, since another process may have written meanwhile).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.store import languages as rows
from bot.store import settings as settings_rows
from bot.store.database import Database

RECHECK_SECONDS = 600.0


@dataclass
class LanguageService:
    db: Database
    clock: Clock
    _known: dict[int, tuple[str, float]] = field(default_factory=dict)  # member -> (language, when noted)

    def needs_noting(self, user_id: int, language: str) -> bool:
        known = self._known.get(user_id)
        return known is None or known[0] != language or time.monotonic() - known[1] > RECHECK_SECONDS

    async def note(self, user_id: int, language: str) -> None:
        """The member used Rota in `language` just now."""
        if not self.needs_noting(user_id, language):
            return
        self._known[user_id] = (language, time.monotonic())
        await rows.remember(self.db, user_id, language, at=self.clock.timestamp())

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
