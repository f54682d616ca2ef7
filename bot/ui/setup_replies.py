"""How `/setup` reads: the settings embed, the answer to a change, and what the bot lacks in a channel."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import discord

from bot.domain.records import GuildSettings, Rota
from bot.services.settings import SettingChange
from bot.ui.audit_text import SETTING_LABELS, setting_text
from bot.ui.rota_render import schedule_text

#: Discord's own names for the permissions the bot checks in a channel, as its settings screen shows them.
PERMISSION_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "create_public_threads": "Create Public Threads",
}


def settings_embed(current: GuildSettings, rotas: list[Rota]) -> discord.Embed:
    """`/setup show`: every setting and every rota, for anyone to see."""
    embed = discord.Embed(title="Rota settings for this server", colour=discord.Colour.blurple())
    for name, label in SETTING_LABELS.items():
        value = getattr(current, name)
        shown = setting_text(name, value)
        if name == "shift_channel_id" and value is None:
            shown = "not set (cards go to the channel where the shift is offered)"
        embed.add_field(name=label.capitalize(), value=shown, inline=True)
    tz = ZoneInfo(current.timezone)
    lines = [f"`{r.name}`: {schedule_text(r, tz)}" + (f", role <@&{r.role_id}>" if r.role_id else "") for r in rotas]
    embed.add_field(
        name="Rotas", value="\n".join(lines)[:1024] or "`facilitator` with the defaults (weekly)", inline=False
    )
    embed.set_footer(text="Anyone can see these. Changing them needs Manage Server, and every change is logged.")
    return embed


def changes_text(changes: list[SettingChange]) -> str:
    """The answer to a `/setup` change: each setting's old and new value, or that nothing changed."""
    if not changes:
        return "Those were already the settings; nothing changed."
    lines = [
        f"• {SETTING_LABELS[c.name]}: {setting_text(c.name, c.old)} → {setting_text(c.name, c.new)}" for c in changes
    ]
    return "Saved, and posted to the log channel:\n" + "\n".join(lines)


def cannot_work_in(channel_mention: str, missing: Sequence[str]) -> str:
    """A warning line after the answer: a chosen channel lacks `missing` (permission attribute names)."""
    names = ", ".join(PERMISSION_NAMES.get(name, name) for name in missing)
    return f"\n⚠ I can't work in {channel_mention} yet: please give me {names} there."
