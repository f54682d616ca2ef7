"""Whether Rota can still work in the channels and roles a server chose: a channel or role may have
been deleted, or the bot's permissions changed there since `/setup channels` (Discord tells us all
of these through the guild events Rota receives, so the cache is current)."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.errors import CannotPostThere
from bot.domain.records import GuildSettings
from bot.ui.i18n import N_

#: What the bot must be allowed in a channel to do its job there (`discord.Permissions` attributes).
POST_NEEDS = ("view_channel", "send_messages", "embed_links")
CARD_NEEDS = (*POST_NEEDS, "create_public_threads")
#: Discord's names for those permissions, as members see them in Server Settings.
PERMISSION_NAMES = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
    "embed_links": N_("Embed Links"),
    "create_public_threads": N_("Create Public Threads"),
}
#: Each channel setting and what Rota does there.
CHANNEL_NEEDS = {"shift_channel_id": CARD_NEEDS, "announce_channel_id": POST_NEEDS, "log_channel_id": POST_NEEDS}


#: Discord's JSON error code for a role that no longer exists.
UNKNOWN_ROLE = 10011


def known_guild(bot: discord.Client, guild_id: int) -> discord.Guild | None:
    """The server as Discord has described it to this process, or None. Just after a start READY
    lists each server as unavailable, with no channels or roles, until its GUILD_CREATE arrives:
    jobs overdue from the downtime run then, and must not read "no channel" as "deleted"."""
    guild = bot.get_guild(guild_id)
    return None if guild is None or guild.unavailable else guild


def role_deleted(bot: discord.Client, guild_id: int, role_id: int) -> bool:
    """The role was deleted. Unknown (False) before Discord has told this process about the server."""
    guild = known_guild(bot, guild_id)
    return guild is not None and guild.get_role(role_id) is None


@dataclass(frozen=True, slots=True)
class ChannelProblem:
    setting: str  # a GuildSettings field, e.g. "announce_channel_id"
    channel_id: int
    missing: tuple[str, ...]  # permissions the bot lacks there; empty when the channel is gone

    @property
    def gone(self) -> bool:
        return not self.missing


def missing_in(channel: discord.abc.GuildChannel, needs: tuple[str, ...]) -> list[str]:
    """Permissions the bot lacks in `channel`, so a setting never points somewhere it cannot post."""
    me = channel.guild.me
    if me is None:
        return []
    granted = channel.permissions_for(me)
    return [name for name in needs if not getattr(granted, name)]


def require_card_channel(bot: discord.Client, channel_id: int, *, configured: bool) -> None:
    """Refuse before anything is created when the card could not be posted: the chosen channel is
    gone, or the bot lacks what a card needs there. A channel Rota has not seen (`configured` False:
    the one the command was used in) is tried as before."""
    channel = bot.get_channel(channel_id)
    if channel is None:
        if configured:
            raise CannotPostThere(channel_id)
        return
    if isinstance(channel, discord.Thread):
        needs: tuple[str, ...] = ("view_channel", "send_messages_in_threads", "embed_links")
    else:
        needs = CARD_NEEDS
    if isinstance(channel, discord.abc.GuildChannel) and (missing := missing_in(channel, needs)):
        raise CannotPostThere(channel_id, tuple(missing))


def channel_problems(bot: discord.Client, settings: GuildSettings) -> list[ChannelProblem]:
    """Every chosen channel that is gone, or where the bot lacks what it needs. Nothing is said
    before Discord has told this process about the server (just after a start), when its channels
    are not known yet."""
    if known_guild(bot, settings.guild_id) is None:
        return []
    problems = []
    for setting, needs in CHANNEL_NEEDS.items():
        channel_id = getattr(settings, setting)
        if channel_id is None:
            continue
        channel = bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel):
            problems.append(ChannelProblem(setting, channel_id, ()))
        elif missing := missing_in(channel, needs):
            problems.append(ChannelProblem(setting, channel_id, tuple(missing)))
    return problems
