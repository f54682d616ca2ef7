"""Small helpers shared by the reliability tests."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.copying import TABLES
from fakediscord import BotProcess, Driver, Member, World


def future(world: World, days: int = 3, at: str = "10:00") -> str:
    """A start time a few days ahead of the fake's clock, in the server's (UTC) zone. Never a fixed
    date: the clock is shared by the whole run, and tests move it on by days."""
    return (datetime.fromtimestamp(world.now(), UTC) + timedelta(days=days)).strftime(f"%Y-%m-%d {at}")


def offer(driver: Driver, user: Member, **options: Any) -> int:
    options.setdefault("when", future(driver.world))
    options.setdefault("where", "Market Square")
    answer = driver.command("shift offer", user=user, **options)
    found = re.search(r"Posted shift #(\d+)", answer.text)
    assert answer.ephemeral and found, answer.text
    return int(found.group(1))


def card_of(world: World, channel: Any, shift_id: int) -> Any:
    def find() -> Any:
        return next((m for m in world.messages(channel) if m.embed and f"Shift #{shift_id} " in m.embed["title"]), None)

    return world.wait_until(find, what=f"the card of shift #{shift_id}")


def overbooked(bot: BotProcess) -> list[tuple[Any, ...]]:
    """Shifts with more people than places, or whose counter disagrees with their place rows."""
    return bot.rows(
        "SELECT id, places, taken, (SELECT COUNT(*) FROM shift_places p WHERE p.shift_id = s.id) FROM shifts s"
        " WHERE taken > places OR taken != (SELECT COUNT(*) FROM shift_places p WHERE p.shift_id = s.id)",
    )


def fingerprint(bot: BotProcess) -> str:
    """A digest of every stored row (jobs by what they are, not their run state), on either database."""
    digest = hashlib.sha256()
    for table in sorted(TABLES):
        # Bookkeeping, not what members did: the language each member last used is noted at any
        # interaction, refused or not (it only decides the language of later DMs).
        if table in ("meta", "identify_slots", "stale_cards", "member_languages"):
            continue
        sql = f"SELECT * FROM {table}"
        if table == "jobs":
            sql = "SELECT id, kind, key, payload, due_at FROM jobs"
        rows = sorted(repr(tuple(row)) for row in bot.rows(sql))
        digest.update(f"{table}:{len(rows)}:{''.join(rows)}".encode())
    return digest.hexdigest()
