"""Shifts as calendar events: the .ics file `/shift calendar` sends and the subscribed feeds.

Calendar apps show plain text, so nothing here is Markdown; the .ics writer (bot/domain/ical.py)
escapes for RFC 5545. The group feed carries counts only, never a member's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.ical import CalendarEvent, calendar, shift_event
from bot.domain.records import Shift
from bot.domain.roles import Role
from bot.ui import shift_replies as replies
from bot.ui.i18n import _, n_

#: How often calendar apps are asked to fetch a feed again.
FEED_REFRESH = timedelta(minutes=30)
#: Where the web endpoint (bot/web) serves a feed.
FEED_PATH = "/calendar/{token}.ics"


def feed_urls(public_url: str, token: str) -> tuple[str, str]:
    """A feed's https:// address and the webcal:// form that calendar apps open as a subscription."""
    https = public_url + FEED_PATH.format(token=token)
    return https, "webcal://" + https.split("://", 1)[1]


def discord_link(shift: Shift) -> str | None:
    """Where the shift lives in Discord: its thread, else its card."""
    if shift.thread_id:
        return f"https://discord.com/channels/{shift.guild_id}/{shift.thread_id}"
    if shift.channel_id and shift.message_id:
        return f"https://discord.com/channels/{shift.guild_id}/{shift.channel_id}/{shift.message_id}"
    return None


def _summary(shift: Shift, held: dict[int, str], waiting: set[int]) -> str:
    return replies.calendar_summary(shift, held.get(shift.id), waiting=shift.id in waiting)


def calendar_file(shifts: Sequence[Shift], held: dict[int, str], waiting: set[int], *, now: datetime) -> bytes:
    """The .ics file of a member's (or all) shifts, stamped now; those they wait for are tentative."""
    events = [
        shift_event(s, summary=_summary(s, held, waiting), stamp=now, url=discord_link(s), tentative=s.id in waiting)
        for s in shifts
    ]
    return calendar(events, name=replies.calendar_name()).encode("utf-8")


def _with_link(text: str, shift: Shift) -> str:
    link = discord_link(shift)
    return "\n\n".join(part for part in (text, link and _("In Discord: {link}", link=link)) if part)


def _feed_name(name: str, server: str | None) -> str:
    """A feed's name in the calendar app, with the server's so feeds of several servers differ."""
    return _("{calendar} · {server}", calendar=name, server=server) if server else name


def member_feed(
    shifts: Sequence[Shift], held: dict[int, str], waiting: set[int], *, server: str | None = None
) -> bytes:
    """A member's subscribed feed: their shifts with their role, place, notes and thread link; the
    same shifts always give the same bytes (each event is stamped with its last change)."""
    events = [
        shift_event(
            s,
            summary=_summary(s, held, waiting),
            stamp=None,
            description=_with_link(s.notes, s),
            url=discord_link(s),
            tentative=s.id in waiting,
        )
        for s in shifts
    ]
    return calendar(events, name=_feed_name(replies.calendar_name(), server), refresh=FEED_REFRESH).encode("utf-8")


def _open_places(shift: Shift, roles: tuple[Role, ...]) -> str:
    lines = [
        n_(
            "{role}: {free} of {places} place open",
            "{role}: {free} of {places} places open",
            r.places,
            role=r.name,
            free=r.free,
            places=r.places,
        )
        for r in roles
    ]
    return "\n".join(lines)


def group_summary(shift: Shift) -> str:
    """A group feed event's title: the place and how many places are open, no names."""
    return n_(
        "Shift #{shift}: {place} ({free} of {places} place open)",
        "Shift #{shift}: {place} ({free} of {places} places open)",
        shift.places,
        shift=shift.id,
        place=shift.location,
        free=shift.free,
        places=shift.places,
    )


def group_feed(shifts: Sequence[Shift], roles: dict[int, tuple[Role, ...]], *, server: str | None = None) -> bytes:
    """The server's shifts with open places, counts only (no notes: they may name people)."""
    events: list[CalendarEvent] = [
        shift_event(
            s,
            summary=group_summary(s),
            stamp=None,
            description=_with_link(_open_places(s, roles.get(s.id, ())), s),
            url=discord_link(s),
        )
        for s in shifts
    ]
    return calendar(events, name=_feed_name(_("Open shifts"), server), refresh=FEED_REFRESH).encode("utf-8")
