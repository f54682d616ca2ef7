"""Small renderers for things members read: Discord timestamps, durations, safe names."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord


def ts(when: datetime | float, style: str = "f") -> str:
    """A Discord timestamp: each reader sees it in their own time zone and language."""
    seconds = int(when.timestamp() if isinstance(when, datetime) else when)
    return f"<t:{seconds}:{style}>"


def span(delta: timedelta) -> str:
    """'2 h 30 min', '3 days', '45 min'."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def safe(text: str) -> str:
    """Member text shown inside our messages: markdown escaped so it cannot restyle the card."""
    return discord.utils.escape_markdown(text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
