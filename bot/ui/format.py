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


EMBED_TOTAL = 6000  # Discord refuses a message whose embed texts add up to more


def embed_length(embed: discord.Embed) -> int:
    """What Discord counts against an embed's 6,000 characters (title, description, fields, footer, author)."""
    texts = [embed.title, embed.description, embed.footer.text, embed.author.name]
    texts += [text for field in embed.fields for text in (field.name, field.value)]
    return sum(len(text) for text in texts if text)


def fit(embed: discord.Embed, limit: int = EMBED_TOTAL) -> discord.Embed:
    """Shorten the longest texts (the description, field values) until the embed fits Discord's
    total: a long proposal with many reasons loses its tail, never its card."""
    while (excess := embed_length(embed) - limit) > 0:
        before = embed_length(embed)
        values = [(len(field.value or ""), index) for index, field in enumerate(embed.fields)]
        longest, index = max(values, default=(0, -1))
        if len(embed.description or "") >= longest:
            text = embed.description or ""
            embed.description = clip(text, max(1, len(text) - excess))
        else:
            field = embed.fields[index]
            value = clip(field.value or "", max(1, longest - excess))
            embed.set_field_at(index, name=field.name, value=value, inline=bool(field.inline))
        if embed_length(embed) >= before:  # nothing long is left to shorten
            break
    return embed
