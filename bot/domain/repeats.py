"""How a shift repeats: the patterns people type, read into a recurrence rule (python-dateutil's
`rrule`, exact and well kept), expanded in the server's local time.

`weekly`, `every 2 weeks`, `monthly`, `monthly on the first saturday`, `monthly on the last friday`,
`monthly on the 15th`, `mon, thu` (or `mondays and thursdays`), with a number of shifts or an end
date. Each occurrence keeps the local wall-clock time of the first across daylight-saving changes
(a Saturday 10:00 stays at 10:00). The occurrences are the rule's dates from the first shift's
start on, so `mon, thu` starting on a Saturday begins the Monday after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule

from bot.domain.errors import BadRepeatCount, UnknownRepeat
from bot.domain.timeparse import MAX_DAYS_AHEAD, to_utc

COUNT_MIN, COUNT_MAX = 2, 52
DEFAULT_COUNT = 4
HORIZON = timedelta(days=MAX_DAYS_AHEAD)

_DAYS = {
    "mo": rrule.MO,
    "tu": rrule.TU,
    "we": rrule.WE,
    "th": rrule.TH,
    "fr": rrule.FR,
    "sa": rrule.SA,
    "su": rrule.SU,
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_DAY_WORD = r"(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeat pattern as `rrule` arguments (frequency, interval, and which days)."""

    freq: Literal[0, 1, 2, 3, 4, 5, 6]  # dateutil's YEARLY..SECONDLY (WEEKLY and MONTHLY here)
    interval: int = 1
    byweekday: tuple[rrule.weekday, ...] | None = None
    bymonthday: int | None = None


def _day(word: str) -> rrule.weekday:
    return _DAYS[word[:2]]


def parse_repeat(text: str) -> Recurrence:
    """Read a repeat pattern; anything else is refused with examples (never guessed)."""
    words = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    if words in ("weekly", "every week"):
        return Recurrence(rrule.WEEKLY)
    if match := re.fullmatch(r"every (\d+) weeks?", words):
        interval = int(match.group(1))
        if not 1 <= interval <= 8:
            raise UnknownRepeat(text[:60])
        return Recurrence(rrule.WEEKLY, interval)
    if words in ("monthly", "every month"):
        return Recurrence(rrule.MONTHLY)
    if match := re.fullmatch(rf"(?:monthly|every month) on the (\w+) {_DAY_WORD}", words):
        ordinal = _ORDINALS.get(match.group(1))
        if ordinal is None:
            raise UnknownRepeat(text[:60])
        return Recurrence(rrule.MONTHLY, byweekday=(_day(match.group(2))(ordinal),))
    if match := re.fullmatch(r"(?:monthly|every month) on the (\d{1,2})(?:st|nd|rd|th)?", words):
        day = int(match.group(1))
        if not 1 <= day <= 31:
            raise UnknownRepeat(text[:60])
        return Recurrence(rrule.MONTHLY, bymonthday=day)
    days = [d for d in re.split(r"\s*(?:,|\band\b|&|\s)\s*", words) if d]
    if days and all(re.fullmatch(_DAY_WORD, d) for d in days):
        return Recurrence(rrule.WEEKLY, byweekday=tuple(dict.fromkeys(_day(d) for d in days)))
    raise UnknownRepeat(text[:60])


def series_starts(
    first: datetime, tz: ZoneInfo, repeat: str, *, count: int | None = None, until: datetime | None = None
) -> list[datetime]:
    """The start times (UTC) of every shift of a series: `count` shifts (default 4), or every one up
    to `until` (at most 52 and within a year)."""
    if first.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    if count is not None and not COUNT_MIN <= count <= COUNT_MAX:
        raise BadRepeatCount(count, COUNT_MIN, COUNT_MAX)
    pattern = parse_repeat(repeat)
    local_first = first.astimezone(tz).replace(tzinfo=None)
    horizon = local_first + HORIZON
    local_until = min(until.astimezone(tz).replace(tzinfo=None), horizon) if until is not None else horizon
    # RFC 5545 (and dateutil) take a count or an end, not both; the year's horizon caps either.
    bound: dict[str, object] = {"until": local_until} if until is not None else {"count": count or DEFAULT_COUNT}
    rule = rrule.rrule(
        pattern.freq,
        dtstart=local_first,
        interval=pattern.interval,
        byweekday=pattern.byweekday,
        bymonthday=pattern.bymonthday,
        **bound,  # type: ignore[arg-type]
    )
    starts = [to_utc(local, tz).astimezone(UTC) for local in rule if local <= horizon]
    if until is not None and len(starts) > COUNT_MAX:
        raise BadRepeatCount(len(starts), COUNT_MIN, COUNT_MAX)
    if len(starts) < COUNT_MIN:
        raise BadRepeatCount(len(starts), COUNT_MIN, COUNT_MAX)
    return starts
