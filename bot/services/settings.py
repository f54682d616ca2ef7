"""Server settings: anyone can read them; who changes them is itself a setting (`governance`).

Under `organisers` a member with Manage Server changes them at once; everyone else, and everyone
under `group`, opens a proposal (ProposalService.open with `settings_change`), and the scheduler
applies the change in the transaction that closes the proposal as passed. Every change is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.domain.governance import Route, ensure_may_apply, settings_route
from bot.domain.members import Actor
from bot.domain.records import GuildSettings
from bot.domain.settings import NothingToChange
from bot.store import audit
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx


@dataclass(frozen=True, slots=True)
class SettingChange:
    name: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class SettingsPlan:
    """What a `/setup` change would do now: apply at once, or become a proposal, and which settings
    really differ from what the server has."""

    route: Route
    changes: list[SettingChange]
    current: GuildSettings


def differences(before: GuildSettings, changes: dict[str, Any]) -> list[SettingChange]:
    return [
        SettingChange(name, getattr(before, name), value)
        for name, value in changes.items()
        if getattr(before, name) != value
    ]


async def apply_changes(
    tx: Tx, guild_id: int, changes: dict[str, Any], *, actor: Actor | None, at: float, proposal_id: int | None = None
) -> list[SettingChange]:
    """Write the settings that really change and one audit row each, inside `tx`. `actor` None with
    a `proposal_id`: the group decided it in that proposal."""
    before = await settings_rows.load(tx, guild_id)
    real = differences(before, changes)
    await settings_rows.save(tx, guild_id, {c.name: c.new for c in real}, at=at)
    for change in real:
        detail: dict[str, Any] = {"old": change.old, "new": change.new}
        if proposal_id is not None:
            detail["proposal"] = proposal_id
        await audit.record(
            tx,
            guild_id=guild_id,
            actor=actor,
            kind="settings",
            action="setting_changed",
            subject=change.name,
            detail=detail,
            at=at,
        )
    return real


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

    async def plan(self, guild_id: int, actor: Actor, changes: dict[str, Any]) -> SettingsPlan:
        """Whether this member's change applies now or becomes a proposal (`settings_route`)."""
        if not changes:
            raise NothingToChange()
        current = await self.get(guild_id)
        return SettingsPlan(settings_route(current.governance, actor), differences(current, changes), current)

    async def route(self, guild_id: int, actor: Actor) -> tuple[Route, GuildSettings]:
        """For a change that is not one of `SETTING_NAMES` (a rota): apply now or propose."""
        current = await self.get(guild_id)
        return settings_route(current.governance, actor), current

    async def change(self, guild_id: int, actor: Actor, changes: dict[str, Any]) -> list[SettingChange]:
        """Apply validated `changes` at once, when the governance rule lets this member (checked
        again inside the transaction, so a switch to `group` meanwhile is honoured)."""
        if not changes:
            raise NothingToChange()
        now = self.clock.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            before = await settings_rows.load(tx, guild_id)
            ensure_may_apply(before.governance, actor, next(iter(changes)))
            return await apply_changes(tx, guild_id, changes, actor=actor, at=now)
