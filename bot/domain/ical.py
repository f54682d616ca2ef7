"""iCalendar (RFC 5545) files of shifts, written by hand: the format we need is small and a library
would cost start-up time for a few dozen lines of text.

Times are UTC (`...Z`), each shift has a stable UID so re-importing updates rather than duplicates,
SEQUENCE and LAST-MODIFIED move whenever the shift changes so calendar apps take the newer version,
and cancelled shifts carry STATUS:CANCELLED so calendar apps strike them out. Member text goes in
exactly as typed (a calendar app shows no Markdown), only escaped as RFC 5545 requires; control
characters, which the format forbids, are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.records import Shift

PRODID = "-//Rota//Shifts//EN"
#: Line breaks as members type them: CRLF, a lone CR or LF (each becomes one escaped `\n`).
_NEWLINE = re.compile(r"\r\n|\r|\n")
#: The control characters RFC 5545 forbids in a TEXT value (CONTROL: C0 but tab, and DEL), and the
#: C1 ones, which no one types and some readers take for line breaks (U+0085); line breaks are
#: taken out before.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    starts: datetime
    ends: datetime
    summary: str
    location: str
    description: str
    cancelled: bool
    stamp: datetime
    #: How often the event has changed (SEQUENCE); a higher one replaces the copy a calendar has.
    sequence: int = 0
    #: When it last changed (LAST-MODIFIED); None leaves the property out.
    modified: datetime | None = None
    #: Where to see it (URL): the shift's thread or card in Discord.
    url: str | None = None
    #: Not certain yet (STATUS:TENTATIVE): the member waits for a place.
    tentative: bool = False


def shift_uid(shift: Shift) -> str:
    """A shift's UID: the same for every version of it, so a new file updates the event in place."""
    return f"shift-{shift.id}-{shift.guild_id}@rota"


def shift_event(
    shift: Shift,
    *,
    summary: str,
    stamp: datetime | None,
    description: str | None = None,
    url: str | None = None,
    tentative: bool = False,
) -> CalendarEvent:
    """A shift as a calendar event; `summary` is its title (plain text), `description` its text (the
    notes unless given) and `stamp` the file's time. A feed passes `stamp=None`: the shift's last
    change is used, so the same shifts always give the same bytes (and the same ETag)."""
    modified = None if shift.updated_at is None else datetime.fromtimestamp(shift.updated_at, UTC)
    return CalendarEvent(
        uid=shift_uid(shift),
        starts=shift.starts_at,
        ends=shift.ends_at,
        summary=summary,
        location=shift.location,
        description=shift.notes if description is None else description,
        cancelled=shift.cancelled,
        stamp=stamp or modified or shift.starts_at,
        sequence=shift.revision,
        modified=modified,
        url=url,
        tentative=tentative,
    )


def _status(event: CalendarEvent) -> str:
    if event.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if event.tentative else "CONFIRMED"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, each line break (CRLF,
    CR or LF) written as `\\n`, and the control characters the format forbids left out (tab stays)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _NEWLINE.sub("\\\\n", escaped))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never splitting a UTF-8 character (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _duration(value: timedelta) -> str:
    """A DURATION value (RFC 5545 3.3.6) in whole minutes, e.g. PT30M."""
    return f"PT{max(int(value.total_seconds() // 60), 1)}M"


def calendar(events: Iterable[CalendarEvent], *, name: str, refresh: timedelta | None = None) -> str:
    """A whole calendar. With `refresh` (a subscribed feed), how often calendar apps should fetch it
    again: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL, the older name many apps still read."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    if refresh is not None:
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(refresh)}", f"X-PUBLISHED-TTL:{_duration(refresh)}"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_utc(event.stamp)}",
            *([f"LAST-MODIFIED:{_utc(event.modified)}"] if event.modified is not None else []),
            f"SEQUENCE:{max(event.sequence, 0)}",
            f"DTSTART:{_utc(event.starts)}",
            f"DTEND:{_utc(event.ends)}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"LOCATION:{escape_text(event.location)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            f"STATUS:{_status(event)}",
            *([f"URL:{_CONTROL.sub('', _NEWLINE.sub('', event.url))}"] if event.url else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
