"""How `/setup` reads: the settings embed, the answer to a change, and what the bot lacks in a channel."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from zoneinfo import ZoneInfo

import discord

from bot.domain.records import GuildSettings, Rota
from bot.services.settings import SettingChange
from bot.ui.audit_text import SETTING_LABELS, setting_label, setting_text
from bot.ui.channel_check import PERMISSION_NAMES, ChannelProblem
from bot.ui.format import clip, join
from bot.ui.i18n import _, slash
from bot.ui.proposal_render import listed
from bot.ui.rota_render import schedule_text

#: Discord's own names for the permissions the bot checks in a channel, as its settings screen shows them.


def settings_embed(
    current: GuildSettings,
    rotas: list[Rota],
    problems: Sequence[ChannelProblem] = (),
    deleted_roles: Collection[int] = (),
) -> discord.Embed:
    """`/setup show`: every setting and every rota, for anyone to see, and any chosen channel or
    role Rota can no longer work with, with how to fix it."""
    embed = discord.Embed(title=_("Rota settings for this server"), colour=discord.Colour.blurple())
    for name in SETTING_LABELS:
        value = getattr(current, name)
        shown = setting_text(name, value)
        if name == "shift_channel_id" and value is None:
            shown = _("not set (cards go to the channel where the shift is offered)")
        label = setting_label(name)
        embed.add_field(name=label[:1].upper() + label[1:], value=shown, inline=True)
    tz = ZoneInfo(current.timezone)
    lines = [rota_line(r, tz, deleted=r.role_id in deleted_roles) for r in rotas]
    embed.add_field(
        name=_("Rotas"), value="\n".join(lines)[:1024] or _("`facilitator` with the defaults (weekly)"), inline=False
    )
    if problems:
        embed.add_field(
            name=_("Needs attention"), value=clip("\n".join(problem_text(p) for p in problems), 1024), inline=False
        )
    embed.set_footer(text=_("Anyone can see these. Changing them needs Manage Server, and every change is logged."))
    return embed


def rota_line(rota: Rota, tz: ZoneInfo, *, deleted: bool) -> str:
    schedule = schedule_text(rota, tz)
    if rota.role_id is None:
        return _("`{rota}`: {schedule}", rota=rota.name, schedule=schedule)
    if deleted:  # never <@&id>: Discord shows a deleted role as "@deleted-role"
        return _(
            "`{rota}`: {schedule}; its role was deleted, choose another with {command}",
            rota=rota.name,
            schedule=schedule,
            command=slash("setup rota"),
        )
    return _("`{rota}`: {schedule}, role <@&{role}>", rota=rota.name, schedule=schedule, role=rota.role_id)


def problem_text(problem: ChannelProblem) -> str:
    """A chosen channel Rota can't use, and what fixes it."""
    what = setting_label(problem.setting)
    fix = slash("setup channels")
    if problem.gone:
        return _(
            "The {what} (<#{channel}>) no longer exists. Choose another with {fix}.",
            what=what,
            channel=problem.channel_id,
            fix=fix,
        )
    return _(
        "In the {what} (<#{channel}>) I'm missing {permissions}. Give me these there, or choose another "
        "channel with {fix}.",
        what=what,
        channel=problem.channel_id,
        permissions=join([_(PERMISSION_NAMES.get(name, name)) for name in problem.missing]),
        fix=fix,
    )


def changes_text(changes: list[SettingChange]) -> str:
    """The answer to a `/setup` change: each setting's old and new value, or that nothing changed."""
    if not changes:
        return _("Those were already the settings; nothing changed.")
    lines = [
        f"• {setting_label(c.name)}: {setting_text(c.name, c.old)} → {setting_text(c.name, c.new)}" for c in changes
    ]
    return _("Saved, and posted to the log channel:") + "\n" + "\n".join(lines)


def cannot_work_in(channel_mention: str, missing: Sequence[str]) -> str:
    """A warning line after the answer: a chosen channel lacks `missing` (permission attribute names)."""
    names = listed([_(PERMISSION_NAMES[name]) if name in PERMISSION_NAMES else name for name in missing])
    return "\n" + _(
        "⚠ I can't work in {channel} yet: please give me {permissions} there.",
        channel=channel_mention,
        permissions=names,
    )
