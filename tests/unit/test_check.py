"""`rota --check`: the permissions a fetched bot member has, and the ones it lacks."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import discord

from bot.app import OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS
from bot.check import _guild_permissions, missing_permissions

GUILD_ID = 100
EVERYONE = discord.Permissions(view_channel=True)
POSTER = discord.Permissions(send_messages=True, embed_links=True)
ROLE_MANAGER = discord.Permissions(manage_roles=True)


def role(role_id: int, name: str, permissions: discord.Permissions, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions.value),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def fetched_member(role_ids: list[int], *, extra_roles: tuple[dict[str, Any], ...] = ()) -> discord.Member:
    """A member as `client.fetch_guild(...)` then `guild.fetch_member(...)` build it: role ids only,
    resolved in the fetched guild's role list."""
    state = MagicMock()
    roles = [
        role(GUILD_ID, "@everyone", EVERYONE, 0),
        role(200, "poster", POSTER, 1),
        role(300, "role manager", ROLE_MANAGER, 2),
        *extra_roles,
    ]
    guild = discord.Guild(
        data={"id": str(GUILD_ID), "name": "Club", "owner_id": "1", "roles": roles, "emojis": [], "features": []},
        state=state,
    )
    user = {"id": "5", "username": "Rota", "discriminator": "0", "avatar": None, "bot": True}
    data = {"user": user, "roles": [str(r) for r in role_ids], "joined_at": None, "deaf": False, "mute": False}
    return discord.Member(data={**data, "flags": 0}, guild=guild, state=state)


def test_everyone_and_each_role_of_the_member_count_and_no_other_role() -> None:
    granted = _guild_permissions(fetched_member([200]))
    assert granted == discord.Permissions(EVERYONE.value | POSTER.value)
    assert not granted.manage_roles  # the guild has that role, the member does not


def test_a_role_id_the_guild_does_not_list_is_skipped() -> None:
    assert _guild_permissions(fetched_member([200, 999])) == discord.Permissions(EVERYONE.value | POSTER.value)


def test_with_no_roles_only_everyone_counts() -> None:
    assert _guild_permissions(fetched_member([])) == EVERYONE


def test_missing_names_what_is_wanted_and_not_granted_sorted() -> None:
    wanted = discord.Permissions(REQUIRED_PERMISSIONS.value | OPTIONAL_PERMISSIONS.value)
    missing = missing_permissions(_guild_permissions(fetched_member([200])))
    expected = sorted(name for name, on in wanted if on and not getattr(EVERYONE | POSTER, name))
    assert missing == expected and "manage_roles" in missing and "send_messages" not in missing
    everything = fetched_member([200, 300, 400], extra_roles=(role(400, "all", wanted, 3),))
    assert missing_permissions(_guild_permissions(everything)) == []


def test_an_administrator_role_lacks_nothing() -> None:
    admin = fetched_member([400], extra_roles=(role(400, "admin", discord.Permissions(administrator=True), 3),))
    assert missing_permissions(_guild_permissions(admin)) == []
