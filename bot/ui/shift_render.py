"""How shifts look: the card, the one-line label, the list pages, reminder and change messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.domain.records import Shift
from bot.services.shifts import ShiftDetails
from bot.ui.format import clip, safe, ts

OPEN_COLOUR = discord.Colour.green()
FULL_COLOUR = discord.Colour.dark_green()
CANCELLED_COLOUR = discord.Colour.red()
PAST_COLOUR = discord.Colour.light_grey()


def label(shift: Shift, tz: ZoneInfo) -> str:
    """Autocomplete label: 'Sat 5 Dec 10:00 · Market Square · 2/4' (max 100 characters)."""
    local = shift.starts_at.astimezone(tz)
    when = f"{local:%a} {local.day} {local:%b %H:%M}"
    state = "cancelled" if shift.cancelled else f"{shift.taken}/{shift.places}"
    return clip(f"#{shift.id} {when} · {shift.location} · {state}", 100)


def when_text(shift: Shift) -> str:
    return f"{ts(shift.starts_at, 'F')} – {ts(shift.ends_at, 't')} ({ts(shift.starts_at, 'R')})"


def names(people: list[str], empty: str, limit: int = 1000) -> str:
    text = ", ".join(people) if people else empty
    return clip(text, limit)


def card_embed(details: ShiftDetails, now: datetime) -> discord.Embed:
    shift = details.shift
    started = shift.starts_at <= now
    if shift.cancelled:
        title, colour = f"Cancelled · Shift #{shift.id} · {shift.location}", CANCELLED_COLOUR
    elif started:
        title, colour = f"Shift #{shift.id} · {shift.location} (started)", PAST_COLOUR
    else:
        title, colour = f"Shift #{shift.id} · {shift.location}", OPEN_COLOUR if shift.free else FULL_COLOUR
    embed = discord.Embed(title=clip(title, 256), colour=colour, description=safe(shift.notes) or None)
    embed.add_field(name="When", value=when_text(shift), inline=False)
    places = f"{shift.taken}/{shift.places} taken"
    if not shift.cancelled and not started:
        places += " · full: Claim adds you to the waitlist" if shift.free == 0 else f" · {shift.free} open"
    embed.add_field(name="Places", value=places, inline=True)
    embed.add_field(name="Waitlist", value=str(len(details.waiting)), inline=True)
    embed.add_field(
        name="On this shift", value=names([p.name for p in details.holders], "nobody yet: tap Claim"), inline=False
    )
    if shift.cancelled:
        embed.add_field(
            name="Cancelled", value=clip(safe(shift.cancel_reason or "no reason given"), 1000), inline=False
        )
    embed.set_footer(
        text=clip(f"Offered by {discord.utils.remove_markdown(shift.offerer_name)} · /shift show {shift.id}", 200)
    )
    return embed


def details_embed(details: ShiftDetails, now: datetime) -> discord.Embed:
    embed = card_embed(details, now)
    if details.waiting:
        embed.add_field(
            name="Waitlist, in order",
            value=names([f"{i}. {p.name}" for i, p in enumerate(details.waiting, 1)], ""),
            inline=False,
        )
    return embed


def list_lines(shifts: list[Shift], now: datetime) -> list[str]:
    lines = []
    for shift in shifts:
        state = "cancelled" if shift.cancelled else ("full" if shift.free == 0 else f"{shift.free} open")
        lines.append(
            f"**#{shift.id}** {ts(shift.starts_at, 'f')} · {safe(shift.location)} · "
            f"{shift.taken}/{shift.places} ({state})"
        )
    return lines


def reminder_text(shift: Shift) -> str:
    return (
        f"Reminder: you have a place on shift #{shift.id} at **{safe(shift.location)}**, "
        f"{ts(shift.starts_at, 'F')} ({ts(shift.starts_at, 'R')}). "
        f"If you can't make it, `/shift leave {shift.id}` frees your place for someone else."
    )


def change_text(old: Shift, new: Shift, *, time_changed: bool, place_changed: bool) -> str:
    parts = []
    if time_changed:
        parts.append(f"now starts {ts(new.starts_at, 'F')} (was {ts(old.starts_at, 'F')})")
    if place_changed:
        parts.append(f"now meets at **{safe(new.location)}** (was {safe(old.location)})")
    return f"Shift #{new.id} has changed: " + "; ".join(parts) + ". The card shows the details."


def cancel_text(shift: Shift) -> str:
    return (
        f"Shift #{shift.id} at {safe(shift.location)} on {ts(shift.starts_at, 'F')} was cancelled by its offerer. "
        f"Reason: {safe(shift.cancel_reason or 'none given')}"
    )


def promotion_text(shift: Shift) -> str:
    return (
        f"Good news: a place opened on shift #{shift.id} at **{safe(shift.location)}**, "
        f"{ts(shift.starts_at, 'F')}, and it's yours (you were first on the waitlist). "
        f"If you can't make it, `/shift leave {shift.id}` passes it on."
    )
