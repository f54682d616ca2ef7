"""Server settings: anyone can read them; changing them needs Manage Server and is always logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.domain.members import Actor
from bot.domain.records import GuildSettings
from bot.domain.settings import NothingToChange, require_manage_guild
from bot.store import audit
from bot.store import settings as settings_rows
from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class SettingChange:
    name: str
    old: Any
    new: Any


@dataclass
class SettingsService:
    db: Database
    clock: Clock

    async def get(self, guild_id: int) -> GuildSettings:
        return await settings_rows.load(self.db, guild_id)

    async def log_channel_id(self, guild_id: int) -> int | None:
        """Where the public record is mirrored: the log channel, else the announcement channel."""
        current = await self.get(guild_id)
        return current.log_channel_id or current.announce_channel_id

    async def change(self, guild_id: int, actor: Actor, changes: dict[str, Any]) -> list[SettingChange]:
        """Apply validated `changes`; one audit row per setting that really changed, same transaction."""
        require_manage_guild(actor)
        if not changes:
            raise NothingToChange()
        now = self.clock.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            before = await settings_rows.load(tx, guild_id)
            real = [
                SettingChange(name, getattr(before, name), value)
                for name, value in changes.items()
                if getattr(before, name) != value
            ]
            await settings_rows.save(tx, guild_id, {c.name: c.new for c in real}, at=now)
            for change in real:
                await audit.record(
                    tx,
                    guild_id=guild_id,
                    actor=actor,
                    kind="settings",
                    action="setting_changed",
                    subject=change.name,
                    detail={"old": change.old, "new": change.new},
                    at=now,
                )
        return real
