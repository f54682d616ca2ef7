"""Telling individual members things: DMs (which may be closed) and thread membership."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.ui import discord_rest
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)

DMS_CLOSED = 50007


async def send_dm(bot: discord.Client, user_id: int, content: str, **kwargs: Any) -> bool:
    """DM a member; False (logged, never raised) when their DMs are closed or Discord refuses."""
    try:
        channel = await bot.create_dm(discord.Object(user_id))
        await channel.send(content, allowed_mentions=NO_PINGS, **kwargs)
    except discord.Forbidden as exc:
        if exc.code == DMS_CLOSED:
            log.info("member %s does not accept DMs; skipped", user_id)
        else:
            log.warning("DM to member %s refused: %s", user_id, exc)
        return False
    except discord.HTTPException as exc:
        log.warning("DM to member %s failed: %s", user_id, exc)
        return False
    return True


async def add_to_thread(bot: discord.Client, thread_id: int | None, user_id: int) -> None:
    if thread_id is None:
        return
    try:
        await discord_rest.add_thread_member(bot, thread_id, user_id)
    except discord.HTTPException as exc:
        log.info("could not add member %s to thread %s: %s", user_id, thread_id, exc)


async def remove_from_thread(bot: discord.Client, thread_id: int | None, user_id: int) -> None:
    if thread_id is None:
        return
    try:
        await discord_rest.remove_thread_member(bot, thread_id, user_id)
    except discord.HTTPException as exc:
        log.info("could not remove member %s from thread %s: %s", user_id, thread_id, exc)
