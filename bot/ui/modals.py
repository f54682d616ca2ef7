"""Forms (modals) that outlive a restart.

discord.py keeps an open modal only in memory, so a form submitted after the bot restarted would be
silently dropped and the member would see "interaction failed". Cogs listen to every interaction and,
when a submission of theirs found no live modal, handle it from the custom_id and the submitted
values instead (or explain that the form expired).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord

#: How long the live modal has to answer before the fallback takes over (well inside Discord's 3 s).
GRACE_SECONDS = 0.8


def submitted_values(interaction: discord.Interaction) -> list[str]:
    """The text a member typed into a submitted modal, in order (rows or labels alike)."""
    values: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "value" in item and isinstance(item["value"], str):
                values.append(item["value"])
            walk(item.get("components", []) or [])
            if isinstance(item.get("component"), dict):
                walk([item["component"]])

    walk(list((interaction.data or {}).get("components", []) or []))
    return values


def _live(interaction: discord.Interaction, custom_id: str) -> bool:
    store = getattr(getattr(interaction.client, "_connection", None), "_view_store", None)
    modals = getattr(store, "_modals", {})
    return custom_id in modals


async def unless_answered(interaction: discord.Interaction, handle: Callable[[], Awaitable[None]]) -> None:
    """Run `handle` only if no live modal took this submission (after a short grace period)."""
    custom_id = str((interaction.data or {}).get("custom_id", ""))
    await asyncio.sleep(GRACE_SECONDS)
    if interaction.response.is_done() or _live(interaction, custom_id):
        return
    await handle()
