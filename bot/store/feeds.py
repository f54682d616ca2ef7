"""Calendar subscription links: only each token's SHA-256 is stored (see migration 0017)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Reads, Tx


@dataclass(frozen=True, slots=True)
class FeedRow:
    """Whose link a token hash is: one member's, in one server, of one kind ('mine' or 'group')."""

    guild_id: int
    user_id: int
    kind: str
    token_hash: str
    created_at: float


async def replace(tx: Tx, guild_id: int, user_id: int, kind: str, token_hash: str, *, at: float) -> None:
    """Make `token_hash` the member's link of this kind; the one it replaces stops working with the commit."""
    await tx.execute(
        "INSERT INTO calendar_feeds (guild_id, user_id, kind, token_hash, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id, user_id, kind) DO UPDATE SET token_hash = excluded.token_hash,"
        " created_at = excluded.created_at",
        (guild_id, user_id, kind, token_hash, at),
    )


async def made_at(db: Reads, guild_id: int, user_id: int, kind: str) -> float | None:
    """When the member's link of this kind was made; None when they have none."""
    value = await db.fetchval(
        "SELECT created_at FROM calendar_feeds WHERE guild_id = ? AND user_id = ? AND kind = ?",
        (guild_id, user_id, kind),
    )
    return None if value is None else float(value)


async def by_hash(db: Reads, token_hash: str) -> FeedRow | None:
    row = await db.fetchone(
        "SELECT guild_id, user_id, kind, token_hash, created_at FROM calendar_feeds WHERE token_hash = ?",
        (token_hash,),
    )
    if row is None:
        return None
    return FeedRow(
        int(row["guild_id"]), int(row["user_id"]), str(row["kind"]), str(row["token_hash"]), float(row["created_at"])
    )


async def forget_member(tx: Tx, guild_id: int, user_id: int) -> None:
    """Kill every link of a member in a server (they left it)."""
    await tx.execute("DELETE FROM calendar_feeds WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
