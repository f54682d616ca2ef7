"""`rota --check`: prove the set-up works before going live, and print the invite link."""

from __future__ import annotations

import sys
from typing import TextIO

import aiohttp
import discord

from bot.app import INVITE_SCOPES, OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS, intents
from bot.config import Config
from bot.store.database import DatabaseError, open_database


def invite_url(application_id: int) -> str:
    permissions = discord.Permissions(REQUIRED_PERMISSIONS.value | OPTIONAL_PERMISSIONS.value)
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=INVITE_SCOPES)


def missing_permissions(granted: discord.Permissions) -> list[str]:
    if granted.administrator:
        return []
    wanted = discord.Permissions(REQUIRED_PERMISSIONS.value | OPTIONAL_PERMISSIONS.value)
    return sorted(name for name, on in wanted if on and not getattr(granted, name))


def _guild_permissions(member: discord.Member) -> discord.Permissions:
    """What the bot's roles grant server-wide: @everyone's permissions and those of each of its roles.

    `member.roles` resolves a fetched member's role ids in the guild it was fetched from (roles it
    cannot find are skipped) and includes @everyone. `Member.guild_permissions` is not used: it
    would also count server ownership and a timeout, which `--check` has never reported on.
    """
    value = 0
    for role in member.roles:
        value |= role.permissions.value
    return discord.Permissions(value)


async def run_check(config: Config) -> int:
    out = sys.stdout
    database = open_database(config.database)
    try:
        await database.open()
    except DatabaseError as exc:
        print(f"rota: cannot use the database ROTA_DATABASE={database.where!r}: {exc}", file=sys.stderr)
        return 2
    finally:
        await database.close()
    print(f"database: {database.where} (ok)", file=out)

    # `--check` only calls the REST API and never opens the gateway, so intents are never sent to
    # Discord. They still matter to discord.py: a Client without the Guilds intent logs "Guilds
    # intent seems to be disabled" (discord/state.py, ConnectionState.__init__), a false alarm here.
    # The bot's own intents (Guilds, not privileged) keep it quiet and ask for nothing more.
    client = discord.Client(intents=intents())
    try:
        try:
            await client.login(config.token)
        except discord.LoginFailure:
            print(
                "rota: Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal.",
                file=sys.stderr,
            )
            return 2
        return await _report(client, out)
    except discord.HTTPException as exc:
        print(f"rota: Discord answered {exc.status} while checking ({exc.text or 'no detail'}).", file=sys.stderr)
        return 1
    except (OSError, aiohttp.ClientError) as exc:  # no network, DNS, refused, timed out (TimeoutError)
        print(f"rota: could not connect to Discord ({type(exc).__name__}: {exc}); check the network.", file=sys.stderr)
        return 1
    finally:
        await client.close()  # also when login failed: it closes the HTTP session login opened


async def _report(client: discord.Client, out: TextIO) -> int:
    """Name, invite link, and each server with any permission the bot lacks there."""
    app = await client.application_info()
    assert client.user is not None
    print(f"bot: {client.user} (application {app.id})", file=out)
    print(f"invite: {invite_url(app.id)}", file=out)
    problems = 0
    guilds = [guild async for guild in client.fetch_guilds(limit=None)]  # every page, not the first 200
    print(f"servers: {len(guilds)}", file=out)
    for partial in guilds:
        guild = await client.fetch_guild(partial.id)
        member = await guild.fetch_member(client.user.id)  # its roles resolve in `guild`, fetched with them
        missing = missing_permissions(_guild_permissions(member))
        status = "ok" if not missing else "missing " + ", ".join(missing)
        problems += bool(missing)
        print(f"  - {guild.name} ({guild.id}): {status}", file=out)
    if not guilds:
        print("  (none yet: open the invite link above to add the bot to a server)", file=out)
    if problems:
        print("note: manage_roles is only needed to move a facilitator role; the rest are required.", file=out)
    return 0
