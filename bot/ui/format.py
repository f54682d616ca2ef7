"""Small renderers for things members read: Discord timestamps, durations, lists, safe names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

import discord
from babel.dates import format_timedelta
from babel.lists import format_list

from bot.ui.i18n import babel_locale

ListStyle = Literal[
    "standard", "standard-short", "standard-narrow", "or", "or-short", "unit", "unit-short", "unit-narrow"
]


def ts(when: datetime | float, style: str = "f") -> str:
    """A Discord timestamp: each reader sees it in their own time zone and language."""
    seconds = int(when.timestamp() if isinstance(when, datetime) else when)
    return f"<t:{seconds}:{style}>"


def join(items: Sequence[str], style: ListStyle = "standard") -> str:
    """Items as a list in the current language: 'a and b', 'a, b and c' ('unit-narrow': 'a b c').

    Babel's data for a few languages lacks some list patterns (German's unit lists of three, say);
    those fall back to the plain "and" list, which every language has.
    """
    try:
        # Babel reads every CLDR list style but leaves "standard-narrow" out of its type hints.
        return format_list(list(items), style=style, locale=babel_locale())  # type: ignore[arg-type]
    except KeyError:
        return format_list(list(items), locale=babel_locale())


def _unit(amount: int, unit: Literal["day", "hour", "minute"]) -> str:
    """'3 days', '2 hr', '30 min': one exact unit, never rounded up to a larger one."""
    return format_timedelta(
        timedelta(**{f"{unit}s": amount}),
        granularity=unit,
        threshold=float("inf"),
        format="short",
        locale=babel_locale(),
    )


def span(delta: timedelta) -> str:
    """'2 hr 30 min', '3 days', '45 min' (exact, in the current language)."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(_unit(days, "day"))
    if hours:
        parts.append(_unit(hours, "hour"))
    if minutes or not parts:
        parts.append(_unit(minutes, "minute"))
    return join(parts, "unit-narrow")


def safe(text: str) -> str:
    """Member text shown inside our messages: markdown escaped so it cannot restyle the card."""
    return discord.utils.escape_markdown(text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
