"""Per-server settings rows."""

from __future__ import annotations

from typing import Any

from bot.domain.records import SETTING_NAMES, GuildSettings
from bot.store.database import Database, Tx


async def load(db: Database | Tx, guild_id: int) -> GuildSettings:
    row = await db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
    if row is None:
        return GuildSettings(guild_id)
    return GuildSettings(guild_id, **{name: row[name] for name in SETTING_NAMES})


async def save(tx: Tx, guild_id: int, changes: dict[str, Any], *, at: float) -> None:
    unknown = set(changes) - set(SETTING_NAMES)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    await tx.execute(
        "INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?) ON CONFLICT (guild_id) DO NOTHING",
        (guild_id, at),
    )
    if changes:
        assignments = ", ".join(f"{name} = :{name}" for name in changes)
        await tx.execute(
            f"UPDATE guild_settings SET {assignments}, updated_at = :at WHERE guild_id = :guild_id",
            {**changes, "at": at, "guild_id": guild_id},
        )
