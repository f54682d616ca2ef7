"""`rota --check`: the permissions a fetched bot member has, and the ones it lacks; without Discord,
`--check` and `rota` say so in one line, and neither prints discord.py's voice or intent warnings."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import discord
import pytest

from bot.__main__ import VOICE_WARNINGS, quiet_voice_warnings
from bot.app import OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS
from bot.check import _guild_permissions, missing_permissions

REPO = Path(__file__).resolve().parents[2]

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


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once, as when Discord is unreachable."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_without_discord(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The entry point in a clean environment and an empty folder (no `.env`), Discord unreachable.

    DISCORD_API_BASE points at a closed local port rather than at discord.com, so the test is the
    same on a machine with a network: nothing is ever sent anywhere.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_", "LOG_LEVEL"))}
    env.update(
        PYTHONPATH=str(REPO),
        DISCORD_TOKEN="MTIz.fake.token",
        ROTA_DATABASE=str(tmp_path / "rota.sqlite3"),
        DISCORD_API_BASE=f"http://127.0.0.1:{closed_port()}/api/v10",
        DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{closed_port()}/gateway",
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("args", [("--check",), ()], ids=["check", "run"])
def test_without_discord_one_line_exit_1_and_no_library_noise(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_without_discord(tmp_path, *args)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    problems = [line for line in lines if " INFO " not in line]  # INFO: the migrations of a new database
    assert len(problems) == 1, result.stderr
    assert problems[0].startswith("rota: could not connect to Discord (") and "check the network" in problems[0]
    for noise in ("Traceback", "Unclosed", "voice will NOT be supported", "Guilds intent", "WARNING", "ERROR"):
        assert noise not in result.stderr
    if args:
        assert result.stdout == f"database: {tmp_path / 'rota.sqlite3'} (ok)\n"


def test_only_the_two_voice_warnings_are_silenced(caplog: pytest.LogCaptureFixture) -> None:
    quiet_voice_warnings()
    quiet_voice_warnings()  # idempotent
    client_log = logging.getLogger("discord.client")
    assert len([f for f in client_log.filters if type(f).__name__ == "_NoVoiceWarnings"]) == 1
    with caplog.at_level(logging.WARNING):
        for message in sorted(VOICE_WARNINGS):
            client_log.warning(message)
        client_log.warning("Application has an interaction endpoint URL set")
        logging.getLogger("discord.state").warning("Guilds intent seems to be disabled.")
    assert [r.getMessage() for r in caplog.records] == [
        "Application has an interaction endpoint URL set",
        "Guilds intent seems to be disabled.",
    ]
