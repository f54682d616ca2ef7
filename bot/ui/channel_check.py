"""Whether Rota can still work in the channels a server chose: a channel may have been deleted, or
the bot's permissions changed there since `/setup channels` (Discord tells us both through the
guild events Rota receives, so the cache is current)."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.records import GuildSettings

#: What the bot must be allowed in a channel to do its job there (`discord.Permissions` attributes).
POST_NEEDS = ("view_channel", "send_messages", "embed_links")
CARD_NEEDS = (*POST_NEEDS, "create_public_threads")
#: Each channel setting and what Rota does there.
CHANNEL_NEEDS = {"shift_channel_id": CARD_NEEDS, "announce_channel_id": POST_NEEDS, "log_channel_id": POST_NEEDS}


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


def channel_problems(bot: discord.Client, settings: GuildSettings) -> list[ChannelProblem]:
    """Every chosen channel that is gone, or where the bot lacks what it needs."""
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
