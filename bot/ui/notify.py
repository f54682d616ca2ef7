"""Telling individual members things: DMs (which may be closed) and thread membership.

Threads archive themselves after a week without activity, while cards can be months ahead: Discord
then refuses to change a thread's members (50083) until it is unarchived. Rota unarchives it and
tries once more, so a later claimer still ends up in the thread; a locked thread (which only those
with Manage Threads may reopen) or a refusal is logged and left: the member keeps their place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.ui import discord_rest
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from bot.app import RotaBot

log = logging.getLogger(__name__)

DMS_CLOSED = 50007
THREAD_ARCHIVED = 50083


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


async def add_to_thread(bot: RotaBot, thread_id: int | None, user_id: int) -> None:
    if thread_id is None:
        return
    await _change_membership(bot, thread_id, user_id, discord_rest.add_thread_member, "add")


async def remove_from_thread(bot: RotaBot, thread_id: int | None, user_id: int) -> None:
    if thread_id is None:
        return
    # Also through an archived thread: left in it, they would hear from it again once it reopens.
    await _change_membership(bot, thread_id, user_id, discord_rest.remove_thread_member, "remove")


async def _change_membership(
    bot: RotaBot,
    thread_id: int,
    user_id: int,
    change: Callable[[discord.Client, int, int], Awaitable[None]],
    verb: str,
) -> None:
    """Add or remove a thread member; an archived thread is unarchived and the change tried once more."""
    await bot.pacer.slot(("thread-members", thread_id))
    try:
        await change(bot, thread_id, user_id)
        return
    except discord.HTTPException as exc:
        if exc.code != THREAD_ARCHIVED:
            log.info("could not %s member %s in thread %s: %s", verb, user_id, thread_id, exc)
            return
    try:
        await discord_rest.unarchive_thread(bot, thread_id)
    except discord.HTTPException as exc:  # locked (160005), or no longer ours to reopen
        log.info("thread %s is archived and stays so (%s): could not %s member %s", thread_id, exc, verb, user_id)
        return
    await bot.pacer.slot(("thread-members", thread_id))
    try:
        await change(bot, thread_id, user_id)
    except discord.HTTPException as exc:
        log.info("could not %s member %s in reopened thread %s: %s", verb, user_id, thread_id, exc)
