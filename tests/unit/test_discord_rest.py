"""The raw REST adapter sends the same requests discord.py's public methods would, and raises alike."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.ui import discord_rest

GUILD_ID, THREAD_ID, USER_ID, ROLE_ID = 100, 300, 5, 700


def client(cached: Any = None) -> MagicMock:
    bot = MagicMock(spec=discord.Client)
    bot.http = MagicMock()
    for name in ("add_user_to_thread", "remove_user_from_thread", "add_role", "remove_role"):
        setattr(bot.http, name, AsyncMock(return_value=None))
    bot.get_channel = MagicMock(return_value=cached)
    return bot


def cached_thread(bot: MagicMock) -> discord.Thread:
    """A thread as discord.py caches it from THREAD_CREATE, sharing the client's HTTP."""
    state = MagicMock()
    state.http = bot.http
    guild = MagicMock(spec=discord.Guild)
    guild.id = GUILD_ID
    data = {
        "id": str(THREAD_ID),
        "guild_id": str(GUILD_ID),
        "parent_id": "200",
        "owner_id": "1",
        "name": "Shift #1",
        "type": 11,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 10080,
            "archive_timestamp": "2026-12-01T09:00:00+00:00",
            "locked": False,
        },
    }
    return discord.Thread(guild=guild, state=state, data=data)  # type: ignore[arg-type]


@pytest.mark.parametrize("cached", [False, True])
async def test_thread_membership_is_one_request_whether_or_not_the_thread_is_cached(cached: bool) -> None:
    bot = client()
    if cached:
        bot.get_channel.return_value = cached_thread(bot)
    await discord_rest.add_thread_member(bot, THREAD_ID, USER_ID)
    await discord_rest.remove_thread_member(bot, THREAD_ID, USER_ID)
    bot.get_channel.assert_called_with(THREAD_ID)
    bot.http.add_user_to_thread.assert_awaited_once_with(THREAD_ID, USER_ID)
    bot.http.remove_user_from_thread.assert_awaited_once_with(THREAD_ID, USER_ID)


async def test_a_channel_that_is_not_a_thread_goes_by_id() -> None:
    bot = client(cached=MagicMock(spec=discord.TextChannel))
    await discord_rest.add_thread_member(bot, THREAD_ID, USER_ID)
    bot.http.add_user_to_thread.assert_awaited_once_with(THREAD_ID, USER_ID)


async def test_roles_are_given_and_taken_by_id_with_the_reason() -> None:
    bot = client()
    await discord_rest.add_role(bot, GUILD_ID, USER_ID, ROLE_ID, reason="Weekly rota hand-over")
    await discord_rest.remove_role(bot, GUILD_ID, USER_ID + 1, ROLE_ID, reason=None)
    bot.http.add_role.assert_awaited_once_with(GUILD_ID, USER_ID, ROLE_ID, reason="Weekly rota hand-over")
    bot.http.remove_role.assert_awaited_once_with(GUILD_ID, USER_ID + 1, ROLE_ID, reason=None)


@pytest.mark.parametrize("name", ["add_role", "remove_role"])
async def test_a_refusal_is_raised_as_discord_raised_it(name: str) -> None:
    bot = client()
    refused = discord.Forbidden(MagicMock(status=403, reason="Forbidden"), {"code": 50013, "message": "Missing"})
    getattr(bot.http, name).side_effect = refused
    with pytest.raises(discord.Forbidden) as caught:
        await getattr(discord_rest, name)(bot, GUILD_ID, USER_ID, ROLE_ID, reason="r")
    assert caught.value is refused
