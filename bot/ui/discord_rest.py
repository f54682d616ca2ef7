"""The few Discord REST calls Rota makes below discord.py's public objects, all in one place.

discord.py offers these actions only as methods of objects (a `Thread`, a `Member`) that Rota often
does not hold: building one would cost an extra request per action, for a call that needs nothing
but ids. Where the object is already in discord.py's cache the public method is used; otherwise the
same request goes through `Client.http`. Each function raises what the request raises
(`discord.Forbidden`, `discord.NotFound`, `discord.HTTPException`), as the public methods do.
"""

from __future__ import annotations

import discord


async def add_thread_member(bot: discord.Client, thread_id: int, user_id: int) -> None:
    """Add a member to a thread (PUT /channels/{thread}/thread-members/{user})."""
    thread = bot.get_channel(thread_id)
    if isinstance(thread, discord.Thread):
        await thread.add_user(discord.Object(user_id))
        return
    # `Thread.add_user` needs a Thread: discord.py caches only the active threads it has seen (an
    # archived one drops out of the cache), and `fetch_channel` would cost a request first.
    await bot.http.add_user_to_thread(thread_id, user_id)


async def remove_thread_member(bot: discord.Client, thread_id: int, user_id: int) -> None:
    """Remove a member from a thread (DELETE /channels/{thread}/thread-members/{user})."""
    thread = bot.get_channel(thread_id)
    if isinstance(thread, discord.Thread):
        await thread.remove_user(discord.Object(user_id))
        return
    # As in `add_thread_member`: without a cached Thread, the public method would need a fetch first.
    await bot.http.remove_user_from_thread(thread_id, user_id)


async def unarchive_thread(bot: discord.Client, thread_id: int) -> None:
    """Reopen an archived thread (PATCH /channels/{thread} {"archived": false}); a locked one stays
    shut to a bot without Manage Threads (Discord answers 160005)."""
    thread = bot.get_channel(thread_id)
    if isinstance(thread, discord.Thread):
        await thread.edit(archived=False)
        return
    # discord.py drops a thread from its cache when it archives, so an archived thread is rarely a
    # Thread here, and `fetch_channel` would cost a request before the one that matters.
    await bot.http.edit_channel(thread_id, archived=False)


async def add_role(bot: discord.Client, guild_id: int, user_id: int, role_id: int, *, reason: str | None) -> None:
    """Give a member a role (PUT /guilds/{guild}/members/{user}/roles/{role})."""
    # `Member.add_roles` needs a Member. Rota runs without the members intent, so `Guild.get_member`
    # finds nobody but the bot itself, and `Guild.fetch_member` would cost a request per hand-over.
    await bot.http.add_role(guild_id, user_id, role_id, reason=reason)


async def remove_role(bot: discord.Client, guild_id: int, user_id: int, role_id: int, *, reason: str | None) -> None:
    """Take a role from a member (DELETE /guilds/{guild}/members/{user}/roles/{role})."""
    # As in `add_role`: `Member.remove_roles` needs a Member, which only a fetch would give us.
    await bot.http.remove_role(guild_id, user_id, role_id, reason=reason)


#: Discord's JSON error code for someone who is not (or no longer) a member of the server.
UNKNOWN_MEMBER = 10007


async def is_member(bot: discord.Client, guild_id: int, user_id: int) -> bool:
    """Whether the person is in the server (GET /guilds/{guild}/members/{user}); False only on
    Discord's "Unknown Member". Other failures raise, as `Guild.fetch_member` does."""
    guild = bot.get_guild(guild_id)
    try:
        if guild is not None:
            await guild.fetch_member(user_id)
        else:
            # Just after a start, jobs that fell due while Rota was down run before Discord has
            # sent the server, so there is no Guild to ask through yet; the ids are all it takes.
            await bot.http.get_member(guild_id, user_id)
    except discord.NotFound as exc:
        if exc.code == UNKNOWN_MEMBER:
            return False
        raise
    return True
