"""How rotas read: `/rota show`, hand-over announcements, DMs, and the settings reply.

Member names come from the store already escaped (`display_name`), so they go in as they are.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord

from bot.domain.records import Rota
from bot.domain.rota import Turn
from bot.services.rota import RotaChange, RotaConfigured, RotaOverview
from bot.services.rota_turns import Handover
from bot.ui.format import ts

#: The published fairness rule, as members read it (README and `/rota show`).
FAIRNESS_RULE = (
    "The next turn goes to the available member who held it least recently (those who never held it go first, "
    "in order of joining); ties go to whoever has held it fewer times, then to whoever joined first."
)
NO_POWER = "A turn is a duty, not a rank: it gives no extra say or permission in this bot."
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHOW_AWAY = 10


def _name(names: dict[int, str], user_id: int | None) -> str:
    if user_id is None:
        return "nobody available"
    return names.get(user_id) or f"<@{user_id}>"


def schedule_text(rota: Rota, tz: ZoneInfo) -> str:
    days = rota.turn_length_days
    length = "weekly" if days == 7 else ("daily" if days == 1 else f"every {days} days")
    return f"turns change {length}, {WEEKDAYS[rota.anchor_weekday]} {rota.anchor_time:%H:%M} ({tz.key})"


def show_embed(view: RotaOverview, tz: ZoneInfo) -> discord.Embed:
    rota, names = view.rota, view.names
    embed = discord.Embed(
        title=f"The {rota.name} rota",
        description=f"**Fairness rule:** {FAIRNESS_RULE}\n{NO_POWER}",
        colour=discord.Colour.teal(),
    )
    current = view.current
    if current is not None and current.user_id is not None:
        now_text = (
            f"**{_name(names, current.user_id)}**, since {ts(current.starts, 'f')} "
            f"until {ts(current.ends, 'f')} ({ts(current.ends, 'R')})"
        )
    elif current is not None:
        now_text = f"Nobody is available this turn (until {ts(current.ends, 'f')})."
    elif view.members:
        now_text = "Nobody holds a turn right now."
    else:
        now_text = f"Nobody yet: `/rota join rota:{rota.name}` to volunteer."
    embed.add_field(name="Now", value=now_text, inline=False)
    upcoming = [f"{ts(t.starts, 'f')} · {_name(names, t.user_id)}" for t in view.upcoming]
    embed.add_field(name="Next in line", value="\n".join(upcoming) or "Nobody in the rota yet.", inline=False)
    away = [
        f"{_name(names, w.user_id)}: "
        + (f"from {ts(w.starts, 'd')} " if w.starts > (current.starts if current else w.starts) else "")
        + f"until {ts(w.ends, 'f')}"
        for w in view.away[:SHOW_AWAY]
    ]
    if len(view.away) > SHOW_AWAY:
        away.append(f"…and {len(view.away) - SHOW_AWAY} more")
    embed.add_field(name="Away", value="\n".join(away) or "Nobody.", inline=False)
    past = [f"{ts(t.starts, 'd')} – {ts(t.ends, 'd')} · {_name(names, t.user_id)}" for t in view.past]
    embed.add_field(name="Last turns", value="\n".join(past) or "None yet.", inline=False)
    embed.set_footer(text=f"{len(view.members)} in the rota · {schedule_text(rota, tz)}")
    return embed


def announcement(handover: Handover, *, role_failed: bool) -> str:
    """The channel message at a hand-over; it pings only the new holder."""
    rota = handover.rota
    if handover.holder_id is None:
        text = (
            f"Nobody in the **{rota}** rota is available for the turn until {ts(handover.ends, 'f')}. "
            f"`/rota join rota:{rota}` to volunteer."
        )
    else:
        text = f"<@{handover.holder_id}> is the **{rota}** until {ts(handover.ends, 'f')} ({ts(handover.ends, 'R')})."
        if handover.reason != "turn":
            text += " They take over the rest of this turn."
        text += " Thank you!"
    if role_failed and handover.role_id is not None:
        text += (
            f"\nI couldn't move the <@&{handover.role_id}> role: I need the **Manage Roles** permission, and my own "
            "role must sit above it. The rota works without it."
        )
    return text


def handover_dm(handover: Handover) -> str:
    """For the new holder when the server has no announcement channel."""
    return (
        f"Your turn as **{handover.rota}** has started; it runs until {ts(handover.ends, 'f')}. "
        "If you can't do it, `/rota pass` hands it on."
    )


def change_reply(action: str, change: RotaChange) -> str:
    rota = change.rota.name
    handover = change.handover
    if action == "join":
        text = f"You're in the **{rota}** rota. "
        if handover is not None and handover.holder_id is not None:
            text += f"Your first turn is now, until {ts(handover.ends, 'f')}."
        else:
            text += "`/rota show` shows when your turn comes."
        return text
    if action == "leave":
        text = f"You've left the **{rota}** rota. Your history is kept, so rejoining later is fair to everyone."
        if handover is not None:
            who = handover.holder_name or "nobody (no one else is available)"
            text += f" The turn you held now goes to {who}."
        return text
    if action == "pass":
        if handover is not None:
            return f"Done: {handover.holder_name} takes the rest of the current **{rota}** turn. Thanks for saying."
        taken = change.taken
        assert taken is not None
        taker = _name(change.names, taken.user_id)
        return f"Done: {taker} takes your **{rota}** turn of {ts(taken.starts, 'f')}. Thanks for saying."
    if action == "away":
        window = change.away
        assert window is not None
        text = f"Noted: no **{rota}** turns for you from {ts(window.starts, 'f')} until {ts(window.ends, 'f')}."
        if change.holds_current:
            text += " You still hold the current turn; `/rota pass` hands it on."
        return text
    return f"Welcome back: you're available for **{rota}** turns again."


def next_dm(rota: str, turn: Turn) -> str:
    return (
        f"Heads-up: you're now next in the **{rota}** rota. Your turn starts {ts(turn.starts, 'F')} "
        f"({ts(turn.starts, 'R')}). If that doesn't suit, `/rota away` or `/rota pass`."
    )


def taken_dm(rota: str, turn: Turn) -> str:
    return (
        f"The **{rota}** turn from {ts(turn.starts, 'F')} to {ts(turn.ends, 'F')} is now yours (it was passed on). "
        "If you can't take it, `/rota pass` hands it on."
    )


def configured_text(done: RotaConfigured, tz: ZoneInfo) -> str:
    rota = done.rota
    role = f"<@&{rota.role_id}>" if rota.role_id else "no role"
    state = "Added" if done.created else ("Saved" if done.changes else "No change to")
    return (
        f"{state} the **{rota.name}** rota: {schedule_text(rota, tz)}; role moved each turn: {role}. "
        "The change is in the public log."
    )


def role_reason(handover: Handover) -> str:
    """The reason Discord's audit log shows for moving a rota's role at a hand-over."""
    return f"{handover.rota} rota hand-over"
