"""How `/setup` reads: the settings embed, the answer to a change, and what the bot lacks in a channel."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from zoneinfo import ZoneInfo

import discord

from bot.domain.records import GuildSettings, Proposal, Rota
from bot.services.settings import SettingChange
from bot.ui.audit_text import SETTING_LABELS, rota_settings_parts, setting_label, setting_text
from bot.ui.channel_check import PERMISSION_NAMES, ChannelProblem
from bot.ui.format import clip, join, ts
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
    if current.governance == "group":
        footer = _(
            "Anyone can see these. The group changes them: any change becomes a proposal. Every change is logged."
        )
    else:
        footer = _(
            "Anyone can see these. Manage Server changes them at once; anyone else's change becomes a proposal. "
            "Every change is logged."
        )
    embed.set_footer(text=footer)
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


def _plain(name: str, value: object) -> str:
    return discord.utils.remove_markdown(setting_text(name, value))


def proposal_title(changes: Sequence[SettingChange]) -> str:
    """A settings-change proposal's title, in the server's language: "Change the time zone from UTC
    to Europe/Berlin" (channels by name only: a title cannot show a channel link)."""
    if len(changes) == 1:
        c = changes[0]
        if not c.name.endswith("_channel_id"):
            title = _(
                "Change the {setting} from {old} to {new}",
                setting=setting_label(c.name),
                old=_plain(c.name, c.old),
                new=_plain(c.name, c.new),
            )
            return clip(title, 100)
    return clip(_("Change the {settings}", settings=join([setting_label(c.name) for c in changes])), 100)


def proposal_body(changes: Sequence[SettingChange]) -> str:
    """What the proposal's card says under its title (the change itself has a field of its own)."""
    lines = [f"{setting_label(c.name)}: {_plain(c.name, c.old)} → {_plain(c.name, c.new)}" for c in changes]
    intro = _(
        "Proposed with {command}. If it passes, Rota makes this change when it closes; otherwise nothing changes.",
        command=slash("setup", code=False),
    )
    return clip(intro + "\n" + "\n".join(lines), 2000)


def rota_proposal_title(change: dict[str, object]) -> str:
    """A rota change put to the group: "Change the facilitator rota: turns of 1 day, at 18:00"."""
    parts = rota_settings_parts({k: v for k, v in change.items() if k != "name"})
    if not parts:
        return clip(_("Add the {rota} rota", rota=change["name"]), 100)
    title = _("Change the {rota} rota: {settings}", rota=change["name"], settings=join(parts, "unit"))
    return clip(discord.utils.remove_markdown(title), 100)


def rota_proposal_body() -> str:
    return _(
        "Proposed with {command}. If it passes, Rota makes this change when it closes; otherwise nothing changes.",
        command=slash("setup rota", code=False),
    )


def proposed_text(route_reason: str, proposal: Proposal, jump_url: str | None) -> str:
    """The private answer when a `/setup` change became a proposal (`route_reason`: "group" when the
    group governs its settings, "permission" when the member lacks Manage Server)."""
    if route_reason == "group":
        why = _("This server's settings are changed by the group's decision, so I've opened a proposal.")
    else:
        why = _("Changing this needs Manage Server, so I've opened a proposal for the group to decide instead.")
    if jump_url is None:
        return (
            why
            + " "
            + _(
                "Proposal #{proposal} is open, but I couldn't post its card here (check my permissions).",
                proposal=proposal.id,
            )
        )
    return (
        why
        + " "
        + _(
            "Proposal #{proposal} is open until {when}: {link}",
            proposal=proposal.id,
            when=ts(proposal.closes_at, "F"),
            link=jump_url,
        )
    )
