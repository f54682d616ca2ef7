"""The language each member last used with Rota, kept for the DMs Rota sends them later."""

from __future__ import annotations

from bot.store.database import Database


async def remember_all(db: Database, languages: dict[int, str], *, at: float) -> None:
    """Several members' languages in one transaction."""
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO member_languages (user_id, language, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at",
            [(user_id, language, at) for user_id, language in languages.items()],
        )


async def of_member(db: Database, user_id: int) -> str | None:
    value = await db.fetchval("SELECT language FROM member_languages WHERE user_id = ?", (user_id,))
    return None if value is None else str(value)
