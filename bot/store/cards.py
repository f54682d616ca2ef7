"""Card refreshes asked of the process that owns a card's server, kept until it has done them.

A notice alone would be lost while that process is down; the row makes the ask durable, and the
owner takes every row of its servers when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import CARDS_CHANNEL, Database


@dataclass(frozen=True, slots=True)
class StaleCard:
    kind: str
    card_id: int
    channel_id: int
    guild_id: int
    version: int

    @property
    def notice(self) -> str:
        return f"{self.kind}:{self.card_id}:{self.channel_id}:{self.guild_id}:{self.version}"

    @classmethod
    def from_notice(cls, payload: str) -> StaleCard:
        kind, *numbers = payload.split(":")
        card_id, channel_id, guild_id, version = map(int, numbers)
        return cls(kind, card_id, channel_id, guild_id, version)


async def ask_refresh(db: Database, kind: str, card_id: int, channel_id: int, guild_id: int) -> None:
    """Record that the card changed, then tell the other processes (the owner refreshes it)."""
    async with db.transaction() as tx:
        version = await tx.fetchval(
            "INSERT INTO stale_cards (kind, card_id, channel_id, guild_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, card_id) DO UPDATE"
            " SET version = stale_cards.version + 1, channel_id = excluded.channel_id"
            " RETURNING version",
            (kind, card_id, channel_id, guild_id),
        )
    await db.notify(CARDS_CHANNEL, StaleCard(kind, card_id, channel_id, guild_id, int(version)).notice)


async def stale_cards(db: Database) -> list[StaleCard]:
    """Every refresh still to be done."""
    rows = await db.fetchall("SELECT kind, card_id, channel_id, guild_id, version FROM stale_cards")
    return [StaleCard(str(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4])) for row in rows]


async def refreshed(db: Database, kind: str, card_id: int, version: int) -> None:
    """The owner edited the card as it was at `version`; a newer ask keeps the row."""
    async with db.transaction() as tx:
        await tx.execute(
            "DELETE FROM stale_cards WHERE kind = ? AND card_id = ? AND version = ?", (kind, card_id, version)
        )
