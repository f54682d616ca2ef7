"""How shifts look: the card, the one-line label, the list pages, reminder and change messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from babel.dates import format_datetime

from bot.domain.records import Person, Shift
from bot.domain.roles import Role
from bot.services.shifts import ShiftDetails
from bot.ui.audience import member_name, visible_names
from bot.ui.format import clip, join, safe, ts
from bot.ui.i18n import _, babel_locale, n_, p_, slash

OPEN_COLOUR = discord.Colour.green()
FULL_COLOUR = discord.Colour.dark_green()
CANCELLED_COLOUR = discord.Colour.red()
PAST_COLOUR = discord.Colour.light_grey()


def label(shift: Shift, tz: ZoneInfo) -> str:
    """Autocomplete label: 'Sat 5 Dec 10:00 · Market Square · 2/4' (max 100 characters)."""
    # A Babel (CLDR) date pattern, so each language orders and abbreviates the day and month its way.
    pattern = p_("CLDR date pattern of a shift's start in a menu", "EEE d MMM HH:mm")
    when = format_datetime(shift.starts_at.astimezone(tz), pattern, locale=babel_locale())
    state = p_("shift", "cancelled") if shift.cancelled else f"{shift.taken}/{shift.places}"
    return clip(f"#{shift.id} {when} · {shift.location} · {state}", 100)


def when_text(shift: Shift) -> str:
    return f"{ts(shift.starts_at, 'F')} – {ts(shift.ends_at, 't')} ({ts(shift.starts_at, 'R')})"


def names(people: list[str], empty: str, limit: int = 1000) -> str:
    text = ", ".join(people) if people else empty
    return clip(text, limit)


def _places(shift: Shift, *, open_to_claims: bool) -> str:
    """The card's Places field: '2/4 taken · 2 open'."""
    if not open_to_claims:
        return _("{taken}/{places} taken", taken=shift.taken, places=shift.places)
    if shift.free == 0:
        return _(
            "{taken}/{places} taken · full: Claim adds you to the waitlist", taken=shift.taken, places=shift.places
        )
    return n_(
        "{taken}/{places} taken · {count} open",
        "{taken}/{places} taken · {count} open",
        shift.free,
        taken=shift.taken,
        places=shift.places,
    )


def notes_text(shift: Shift) -> str:
    """The shift's notes; a shift a proposal opened says so (its notes are the proposal's title)."""
    if shift.proposal_id is None:
        return safe(shift.notes)
    return _("Agreed in proposal #{proposal}: {title}", proposal=shift.proposal_id, title=safe(shift.notes))


def role_line(role: Role) -> str:
    """A role's places on the card: 'driver: 0/1'."""
    return _("{role}: {taken}/{places}", role=safe(role.name), taken=role.taken, places=role.places)


def holder_name(person: Person, roles: tuple[Role, ...]) -> str:
    """A holder on the card, with their role on a shift with roles: 'Alice (driver)'."""
    role = next((r for r in roles if r.position == person.role), None)
    return person.name if role is None else _("{member} ({role})", member=person.name, role=safe(role.name))


def card_embed(details: ShiftDetails, now: datetime) -> discord.Embed:
    shift = details.shift
    started = shift.starts_at <= now
    if shift.cancelled:
        title = _("Cancelled · Shift #{shift} · {place}", shift=shift.id, place=shift.location)
        colour = CANCELLED_COLOUR
    elif started:
        title, colour = _("Shift #{shift} · {place} (started)", shift=shift.id, place=shift.location), PAST_COLOUR
    else:
        title = _("Shift #{shift} · {place}", shift=shift.id, place=shift.location)
        colour = OPEN_COLOUR if shift.free else FULL_COLOUR
    embed = discord.Embed(title=clip(title, 256), colour=colour, description=notes_text(shift) or None)
    embed.add_field(name=_("When"), value=when_text(shift), inline=False)
    signup_closed = shift.closes_at is not None and shift.closes_at <= now
    if shift.closes_at is not None and not shift.cancelled and not started:
        closes = ts(shift.closes_at, "R")
        if signup_closed:
            signup = p_("sign-up", "closed {when}", when=closes)
        else:
            signup = p_("sign-up", "closes {when}", when=closes)
        embed.add_field(name=_("Sign-up"), value=signup, inline=True)
    open_to_claims = not shift.cancelled and not started and not signup_closed
    places = _places(shift, open_to_claims=open_to_claims)
    if details.roles:  # each role's places under the total
        places += "\n" + "\n".join(role_line(role) for role in details.roles)
    embed.add_field(name=_("Places"), value=clip(places, 1024), inline=True)
    embed.add_field(name=_("Waitlist"), value=str(len(details.waiting)), inline=True)
    embed.add_field(
        name=_("On this shift"),
        value=names(
            visible_names((holder_name(p, details.roles), p.user_id) for p in details.holders),
            _("nobody yet: tap Claim"),
        ),
        inline=False,
    )
    if shift.cancelled:
        embed.add_field(
            name=_("Cancelled"), value=clip(safe(shift.cancel_reason or _("no reason given")), 1000), inline=False
        )
    footer = _(
        "Offered by {member} · {show} {shift}",
        member=discord.utils.remove_markdown(member_name(shift.offerer_name, shift.offerer_id)),
        show=slash("shift show", code=False),
        shift=shift.id,
    )
    embed.set_footer(text=clip(footer, 200))
    return embed


def details_embed(details: ShiftDetails, now: datetime) -> discord.Embed:
    embed = card_embed(details, now)
    if details.waiting:
        embed.add_field(
            name=_("Waitlist, in order"),
            value=names([f"{i}. {member_name(p.name, p.user_id)}" for i, p in enumerate(details.waiting, 1)], ""),
            inline=False,
        )
    return embed


def list_lines(shifts: list[Shift], now: datetime, roles: dict[int, tuple[Role, ...]] | None = None) -> list[str]:
    """One line per shift; a shift with roles adds each role's places ('driver 0/1')."""
    lines = []
    for shift in shifts:
        values = {
            "shift": shift.id,
            "when": ts(shift.starts_at, "f"),
            "place": safe(shift.location),
            "taken": shift.taken,
            "places": shift.places,
        }
        if shift.cancelled:
            line = _("**#{shift}** {when} · {place} · {taken}/{places} (cancelled)", **values)
        elif shift.free == 0:
            line = _("**#{shift}** {when} · {place} · {taken}/{places} (full)", **values)
        else:
            line = n_(
                "**#{shift}** {when} · {place} · {taken}/{places} ({count} open)",
                "**#{shift}** {when} · {place} · {taken}/{places} ({count} open)",
                shift.free,
                **values,
            )
        if roles and roles.get(shift.id):
            line += " · " + join([role_line(role) for role in roles[shift.id]], "unit-narrow")
        lines.append(line)
    return lines


def reminder_text(shift: Shift, role: str | None = None) -> str:
    """The DM before a shift; on a shift with roles it says which one is theirs."""
    values = {
        "shift": shift.id,
        "place": safe(shift.location),
        "when": ts(shift.starts_at, "F"),
        "relative": ts(shift.starts_at, "R"),
        "leave": slash("shift leave", code=False),
    }
    if role is not None:
        return _(
            "Reminder: you have a place as **{role}** on shift #{shift} at **{place}**, {when} ({relative}). "
            "If you can't make it, `{leave} {shift}` frees your place for someone else.",
            role=safe(role),
            **values,
        )
    return _(
        "Reminder: you have a place on shift #{shift} at **{place}**, {when} ({relative}). "
        "If you can't make it, `{leave} {shift}` frees your place for someone else.",
        **values,
    )


def check_in_open_text(shift: Shift) -> str:
    """Posted in the shift's thread when check-in opens (only each holder can check themselves in)."""
    here = _("I'm here")
    return _(
        "Check-in for shift #{shift} is open. When you're there, tap **{here}**: only you can check yourself in.",
        shift=shift.id,
        here=here,
    )


def still_coming_text(shift: Shift) -> str:
    """The question a holder gets by DM before a shift; no answer is fine and changes nothing."""
    no = _("Can't make it")
    return _(
        "Still coming to shift #{shift} at **{place}**, {when}? If so, there's nothing to do. "
        "If you can't make it after all, tap **{no}** and your place goes to the next person waiting.",
        shift=shift.id,
        place=safe(shift.location),
        when=ts(shift.starts_at, "F"),
        no=no,
    )


def change_text(old: Shift, new: Shift, *, time_changed: bool, place_changed: bool) -> str:
    values = {
        "shift": new.id,
        "when": ts(new.starts_at, "F"),
        "was": ts(old.starts_at, "F"),
        "place": safe(new.location),
        "old_place": safe(old.location),
    }
    if time_changed and place_changed:
        return _(
            "Shift #{shift} has changed: now starts {when} (was {was}); now meets at **{place}** (was {old_place}). "
            "The card shows the details.",
            **values,
        )
    if time_changed:
        return _("Shift #{shift} has changed: now starts {when} (was {was}). The card shows the details.", **values)
    if place_changed:
        return _(
            "Shift #{shift} has changed: now meets at **{place}** (was {old_place}). The card shows the details.",
            **values,
        )
    return _("Shift #{shift} has changed. The card shows the details.", **values)


def cancel_text(shift: Shift) -> str:
    reason = shift.cancel_reason or _("none given")
    return _(
        "Shift #{shift} at {place} on {when} was cancelled by its offerer. Reason: {reason}",
        shift=shift.id,
        place=safe(shift.location),
        when=ts(shift.starts_at, "F"),
        reason=safe(reason),
    )


def promotion_text(shift: Shift) -> str:
    return _(
        "Good news: a place opened on shift #{shift} at **{place}**, {when}, and it's yours "
        "(you were first on the waitlist). If you can't make it, `{leave} {shift}` passes it on.",
        shift=shift.id,
        place=safe(shift.location),
        when=ts(shift.starts_at, "F"),
        leave=slash("shift leave", code=False),
    )
