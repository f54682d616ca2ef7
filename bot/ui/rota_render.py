"""How rotas read: `/rota show`, hand-over announcements, DMs, and the settings reply.

Member names come from the store already escaped (`display_name`), so they go in as they are.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from babel.dates import get_day_names

from bot.domain.records import Rota
from bot.domain.rota import Turn
from bot.services.rota import RotaChange, RotaConfigured, RotaOverview
from bot.services.rota_turns import Handover
from bot.ui.audience import anonymous, may_see, names_hidden
from bot.ui.format import clip, ts
from bot.ui.i18n import N_, _, babel_locale, n_, slash

#: The published fairness rule, as members read it (README and `/rota show`).
FAIRNESS_RULE = N_(
    "The next turn goes to the available member who held it least recently (those who never held it go first, "
    "in order of joining); ties go to whoever has held it fewer times, then to whoever joined first."
)
NO_POWER = N_("A turn is a duty, not a rank: it gives no extra say or permission in this bot.")
SHOW_AWAY = 10


def _name(names: dict[int, str], user_id: int | None) -> str:
    if user_id is None:
        return _("nobody available")
    if not may_see(user_id):
        return anonymous()
    return names.get(user_id) or f"<@{user_id}>"


def weekday_name(weekday: int) -> str:
    """A weekday (0 is Monday) in the current language."""
    return str(get_day_names("wide", locale=babel_locale())[weekday])


def schedule_text(rota: Rota, tz: ZoneInfo) -> str:
    days = rota.turn_length_days
    values = {"day": weekday_name(rota.anchor_weekday), "time": f"{rota.anchor_time:%H:%M}", "timezone": tz.key}
    if days == 7:
        return _("turns change weekly, {day} {time} ({timezone})", **values)
    if days == 1:
        return _("turns change daily, {day} {time} ({timezone})", **values)
    return n_(
        "turns change every {count} day, {day} {time} ({timezone})",
        "turns change every {count} days, {day} {time} ({timezone})",
        days,
        **values,
    )


def announcements_missing_title() -> str:
    return _("Hand-overs aren't announced")


def announcements_missing() -> str:
    """In `/rota show` when the announcement channel is gone or closed to the bot."""
    return _(
        "I can't post in the announcement channel any more, so each new holder is told by DM instead. "
        "Someone with Manage Server can choose a channel with {fix}; {show} says what is wrong.",
        fix=slash("setup channels"),
        show=slash("setup show"),
    )


def show_embed(view: RotaOverview, tz: ZoneInfo) -> discord.Embed:
    rota, names = view.rota, view.names
    embed = discord.Embed(
        title=_("The {rota} rota", rota=rota.name),
        description=_("**Fairness rule:** {rule}", rule=_(FAIRNESS_RULE)) + "\n" + _(NO_POWER),
        colour=discord.Colour.teal(),
    )
    current = view.current
    if current is not None and current.user_id is not None:
        now_text = _(
            "**{member}**, since {start} until {end} ({relative})",
            member=_name(names, current.user_id),
            start=ts(current.starts, "f"),
            end=ts(current.ends, "f"),
            relative=ts(current.ends, "R"),
        )
    elif current is not None:
        now_text = _("Nobody is available this turn (until {end}).", end=ts(current.ends, "f"))
    elif view.members:
        now_text = _("Nobody holds a turn right now.")
    else:
        now_text = _(
            "Nobody yet: `{command} rota:{rota}` to volunteer.", command=slash("rota join", code=False), rota=rota.name
        )
    embed.add_field(name=_("Now"), value=now_text, inline=False)
    upcoming = [f"{ts(t.starts, 'f')} · {_name(names, t.user_id)}" for t in view.upcoming]
    embed.add_field(name=_("Next in line"), value="\n".join(upcoming) or _("Nobody in the rota yet."), inline=False)
    away = []
    for w in view.away[:SHOW_AWAY]:
        member, end = _name(names, w.user_id), ts(w.ends, "f")
        if w.starts > (current.starts if current else w.starts):
            away.append(_("{member}: from {start} until {end}", member=member, start=ts(w.starts, "d"), end=end))
        else:
            away.append(_("{member}: until {end}", member=member, end=end))
    if len(view.away) > SHOW_AWAY:
        away.append(n_("…and {count} more", "…and {count} more", len(view.away) - SHOW_AWAY))
    embed.add_field(name=_("Away"), value=clip("\n".join(away), 1024) or _("Nobody."), inline=False)
    past = [f"{ts(t.starts, 'd')} – {ts(t.ends, 'd')} · {_name(names, t.user_id)}" for t in view.past]
    embed.add_field(name=_("Last turns"), value="\n".join(past) or _("None yet."), inline=False)
    members = n_("{count} in the rota", "{count} in the rota", len(view.members))
    embed.set_footer(text=f"{members} · {schedule_text(rota, tz)}")
    return embed


def announcement(handover: Handover, *, role_failed: bool, role_gone: bool = False) -> str:
    """The channel message at a hand-over; it pings only the new holder."""
    rota = handover.rota
    if handover.holder_id is None:
        text = _(
            "Nobody in the **{rota}** rota is available for the turn until {end}. "
            "`{command} rota:{rota}` to volunteer.",
            rota=rota,
            end=ts(handover.ends, "f"),
            command=slash("rota join", code=False),
        )
    elif names_hidden():  # names:holders: the turn moved, and its holder was told by DM
        text = _(
            "The **{rota}** turn has moved on, until {end} ({relative}); whoever holds it has been told privately.",
            rota=rota,
            end=ts(handover.ends, "f"),
            relative=ts(handover.ends, "R"),
        )
    else:
        text = _(
            "<@{member}> is the **{rota}** until {end} ({relative}).",
            member=handover.holder_id,
            rota=rota,
            end=ts(handover.ends, "f"),
            relative=ts(handover.ends, "R"),
        )
        if handover.reason != "turn":
            text += " " + _("They take over the rest of this turn.")
        text += " " + _("Thank you!")
    if role_gone and handover.role_id is not None:
        # Never <@&id> here: Discord shows a deleted role as "@deleted-role".
        text += "\n" + _(
            "The role this rota moves each turn was deleted, so nobody holds it now. The rota works without it; "
            "someone with Manage Server can choose another with {command}.",
            command=slash("setup rota"),
        )
    elif role_failed and handover.role_id is not None:
        text += "\n" + _(
            "I couldn't move the <@&{role}> role: I need the **Manage Roles** permission, and my own role must sit "
            "above it. The rota works without it.",
            role=handover.role_id,
        )
    return text


def handover_dm(handover: Handover) -> str:
    """For the new holder when the server has no announcement channel."""
    return _(
        "Your turn as **{rota}** has started; it runs until {end}. If you can't do it, {command} hands it on.",
        rota=handover.rota,
        end=ts(handover.ends, "f"),
        command=slash("rota pass"),
    )


def change_reply(action: str, change: RotaChange) -> str:
    rota = change.rota.name
    handover = change.handover
    if action == "join":
        text = _("You're in the **{rota}** rota.", rota=rota) + " "
        if handover is not None and handover.holder_id is not None:
            text += _("Your first turn is now, until {end}.", end=ts(handover.ends, "f"))
        else:
            text += _("{command} shows when your turn comes.", command=slash("rota show"))
        return text
    if action == "leave":
        text = _(
            "You've left the **{rota}** rota. Your history is kept, so rejoining later is fair to everyone.", rota=rota
        )
        if handover is not None and handover.holder_name:
            text += " " + _("The turn you held now goes to {member}.", member=handover.holder_name)
        elif handover is not None:
            text += " " + _("The turn you held now goes to nobody (no one else is available).")
        return text
    if action == "pass":
        if handover is not None:
            return _(
                "Done: {member} takes the rest of the current **{rota}** turn. Thanks for saying.",
                member=handover.holder_name,
                rota=rota,
            )
        taken = change.taken
        assert taken is not None
        return _(
            "Done: {member} takes your **{rota}** turn of {start}. Thanks for saying.",
            member=_name(change.names, taken.user_id),
            rota=rota,
            start=ts(taken.starts, "f"),
        )
    if action == "away":
        window = change.away
        assert window is not None
        text = _(
            "Noted: no **{rota}** turns for you from {start} until {end}.",
            rota=rota,
            start=ts(window.starts, "f"),
            end=ts(window.ends, "f"),
        )
        if change.holds_current:
            text += " " + _("You still hold the current turn; {command} hands it on.", command=slash("rota pass"))
        return text
    return _("Welcome back: you're available for **{rota}** turns again.", rota=rota)


def next_dm(rota: str, turn: Turn) -> str:
    return _(
        "Heads-up: you're now next in the **{rota}** rota. Your turn starts {start} ({relative}). "
        "If that doesn't suit, {away} or {hand_on}.",
        rota=rota,
        start=ts(turn.starts, "F"),
        relative=ts(turn.starts, "R"),
        away=slash("rota away"),
        hand_on=slash("rota pass"),
    )


def taken_dm(rota: str, turn: Turn) -> str:
    return _(
        "The **{rota}** turn from {start} to {end} is now yours (it was passed on). "
        "If you can't take it, {command} hands it on.",
        rota=rota,
        start=ts(turn.starts, "F"),
        end=ts(turn.ends, "F"),
        command=slash("rota pass"),
    )


def configured_text(done: RotaConfigured, tz: ZoneInfo) -> str:
    rota = done.rota
    values = {
        "rota": rota.name,
        "schedule": schedule_text(rota, tz),
        "role": f"<@&{rota.role_id}>" if rota.role_id else _("no role"),
    }
    if done.created:
        text = _("Added the **{rota}** rota: {schedule}; role moved each turn: {role}.", **values)
    elif done.changes:
        text = _("Saved the **{rota}** rota: {schedule}; role moved each turn: {role}.", **values)
    else:
        text = _("No change to the **{rota}** rota: {schedule}; role moved each turn: {role}.", **values)
    return text + " " + _("The change is in the public log.")


def role_reason(handover: Handover) -> str:
    """The reason Discord's audit log shows for moving a rota's role at a hand-over."""
    return _("{rota} rota hand-over", rota=handover.rota)
