"""Reading the times and durations members type, in their server's time zone.

Members write "sat 10am" or "in 2h", not ISO timestamps. Everything is parsed against a `now` that
the caller passes in (the domain never reads the clock) and comes back as an aware UTC datetime,
because the store keeps UTC and Discord renders `<t:...>` in each reader's own zone.

Daylight-saving rules, applied everywhere a local wall-clock time becomes an instant:
- a local time that does not exist (skipped by a spring-forward change) moves forward to the first
  valid instant, i.e. the moment the clocks jump (01:30 on a 01:00->02:00 night becomes 02:00);
- a local time that happens twice (fall-back) means the first occurrence (fold=0).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.errors import BadDuration, BadRepeatCount, TimeInPast, UnparseableTime

REPEAT_MIN = 1
REPEAT_MAX = 12

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may",),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _number

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))

# Time of day, matched at the end (or the start) of the text.
_TIME = (
    r"(?P<named>noon|midday|midnight)"
    r"|(?P<h12>\d{1,2})(?::(?P<m12>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<h24>\d{1,2})[:h](?P<m24>\d{2})"
)
_TIME_AT_END = re.compile(rf"^(?P<rest>.*?)\s*(?:\bat\s+)?(?:{_TIME})$")
_TIME_AT_START = re.compile(rf"^(?:{_TIME})\s*(?:\bon\b)?\s*(?P<rest>.*)$")
_BARE_HOUR = re.compile(r"^(?P<rest>.*?)\s*(?:\bat\s+)?(?P<hour>\d{1,2})$")

_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
_DAY_MONTH = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<mon>{_MONTH_RE})\.?(?:\s+(?P<y>\d{{4}}))?$"
)
_MONTH_DAY = re.compile(rf"^(?P<mon>{_MONTH_RE})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?P<y>\d{{4}}))?$")
_WEEKDAY = re.compile(rf"^(?:(?P<which>next|this)\s+)?(?P<wd>{_WEEKDAY_RE})\.?$")
_RELATIVE = re.compile(r"^in\s+(?P<duration>.+)$")

_DURATION_UNITS: dict[str, timedelta] = {}
for _unit, _names in (
    (timedelta(weeks=1), ("w", "wk", "wks", "week", "weeks")),
    (timedelta(days=1), ("d", "day", "days")),
    (timedelta(hours=1), ("h", "hr", "hrs", "hour", "hours")),
    (timedelta(minutes=1), ("m", "min", "mins", "minute", "minutes")),
):
    for _name in _names:
        _DURATION_UNITS[_name] = _unit
_UNIT_RE = "|".join(sorted(_DURATION_UNITS, key=len, reverse=True))
_DURATION_PART = re.compile(rf"(?P<number>\d{{1,6}}(?:[.,]\d{{1,6}})?)\s*(?P<unit>{_UNIT_RE})(?![a-z])")
_DURATION_GLUE = re.compile(r"^(?:\s|,|and)*$")


def _normalise(text: str) -> str:
    """Lower-case, fold whitespace and drop commas so the patterns stay small."""
    return re.sub(r"\s+", " ", text.replace(",", " ")).strip().lower()


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """Turn a naive local wall-clock time into an aware UTC instant, applying the DST rules above."""
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first  # exists; for an ambiguous time fold=0 is the first occurrence
    # In a gap: fold=0 used the offset before the change and fold=1 the offset after, so the change
    # itself lies between the two readings. Find it (to the second) and return it.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)  # changes fall on whole seconds


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def _time_of_day(match: re.Match[str], *, evening: bool) -> time | None:
    """Read the time groups of `_TIME`; None if the numbers are not a real time."""
    named = match.group("named")
    if named is not None:
        return time(0, 0) if named == "midnight" else time(12, 0)
    if match.group("h12") is not None:
        hour, minute = int(match.group("h12")), int(match.group("m12") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour %= 12
        if match.group("ampm").startswith("p"):
            hour += 12
        return time(hour, minute)
    hour, minute = int(match.group("h24")), int(match.group("m24"))
    if hour > 23 or minute > 59:
        return None
    if evening and 1 <= hour <= 11:
        hour += 12
    return time(hour, minute)


def _split_time(text: str) -> tuple[str, time] | None:
    """Separate the time of day from the date words, whichever side it is on."""
    evening = text.startswith("tonight")
    for pattern in (_TIME_AT_END, _TIME_AT_START):
        match = pattern.match(text)
        if match is not None:
            at = _time_of_day(match, evening=evening)
            if at is None:
                return None
            return match.group("rest").strip(), at
    if evening:
        # "tonight 7" / "tonight at 7": an hour alone means the evening.
        match = _BARE_HOUR.match(text)
        if match is not None and match.group("rest") == "tonight":
            hour = int(match.group("hour"))
            if 1 <= hour <= 11:
                return "tonight", time(hour + 12, 0)
            if 12 <= hour <= 23:
                return "tonight", time(hour, 0)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(words: str, at: time, now_local: datetime, tz: ZoneInfo, text: str) -> datetime:
    """Pick the calendar day that the date words mean and return the UTC instant."""
    today = now_local.date()
    now_utc = now_local.astimezone(UTC)

    def instant(day: date) -> datetime:
        return to_utc(datetime.combine(day, at), tz)

    words = re.sub(r"^on\s+", "", words)
    if words in ("", "today", "tonight"):
        candidate = instant(today)
        if words or candidate > now_utc:
            return candidate
        return instant(today + timedelta(days=1))
    if words in ("tomorrow", "tmrw", "tmr"):
        return instant(today + timedelta(days=1))

    match = _WEEKDAY.match(words)
    if match is not None:
        ahead = (_WEEKDAYS[match.group("wd")] - today.weekday()) % 7
        if ahead == 0 and (match.group("which") == "next" or instant(today) <= now_utc):
            ahead = 7
        return instant(today + timedelta(days=ahead))

    match = _ISO_DATE.match(words)
    if match is not None:
        day = _safe_date(int(match.group("y")), int(match.group("mo")), int(match.group("d")))
        if day is None:
            raise UnparseableTime(text)
        return instant(day)

    match = _DAY_MONTH.match(words) or _MONTH_DAY.match(words)
    if match is not None:
        month, day_number = _MONTHS[match.group("mon")], int(match.group("d"))
        if match.group("y") is not None:
            day = _safe_date(int(match.group("y")), month, day_number)
            if day is None:
                raise UnparseableTime(text)
            return instant(day)
        # No year: the next time this date comes round (29 Feb may be up to 8 years away).
        for year in range(today.year, today.year + 9):
            day = _safe_date(year, month, day_number)
            if day is not None and instant(day) > now_utc:
                return instant(day)
        raise UnparseableTime(text)

    raise UnparseableTime(text)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """Read a member's start time ("sat 10am", "5 dec 14:30", "in 2h", ...) as an aware UTC instant.

    Accepted, case-insensitive: ISO `2026-12-05 10:00` / `2026-12-05T10:00`; `5 dec 10am`,
    `dec 5 10:00`, `5 december 2026 14:30`; `sat 10am`, `next sat 10am`; `today 18:00`,
    `tonight 7pm` (an hour alone after "tonight" is pm); `tomorrow 2pm`; a time alone (`10am`,
    `noon`); `in 2h`, `in 90m`, `in 3 days`. The time may also come first ("10am sat").

    Day rules: a time alone is today if still ahead, else tomorrow. A weekday is today if today is
    that day and the time is still ahead, else the next such day; `next <weekday>` is never today.
    A date without a year is its next occurrence. Raises `UnparseableTime(text)`, and
    `TimeInPast(when)` when the result is not after `now`.
    """
    _require_aware(now)
    words = _normalise(text)
    words = words.replace("t", " ", 1) if re.match(r"^\d{4}-\d{1,2}-\d{1,2}t\d", words) else words
    now_utc = now.astimezone(UTC)

    relative = _RELATIVE.match(words)
    if relative is not None:
        try:
            offset = parse_duration(relative.group("duration"))
        except BadDuration:
            raise UnparseableTime(text) from None
        return now_utc + offset

    split = _split_time(words)
    if split is None:
        raise UnparseableTime(text)
    date_words, at = split
    try:
        when = _resolve(date_words, at, now.astimezone(tz), tz, text)
    except OverflowError:
        raise UnparseableTime(text) from None
    if when <= now_utc:
        raise TimeInPast(when)
    return when


def parse_duration(text: str) -> timedelta:
    """Read a duration such as `2h`, `90m`, `1h30m`, `1.5h`, `45 min`, `2 hours`, `3d` or `2w`.

    Each unit may appear once; a bare number is refused because its unit would be a guess. The result
    is rounded to whole seconds and must be positive. Raises `BadDuration(text)`.
    """
    words = text.strip().lower()
    total = timedelta(0)
    seen: set[timedelta] = set()
    position = 0
    for part in _DURATION_PART.finditer(words):
        if not _DURATION_GLUE.match(words[position : part.start()]):
            raise BadDuration(text)
        unit = _DURATION_UNITS[part.group("unit")]
        if unit in seen:
            raise BadDuration(text)
        seen.add(unit)
        total += unit * float(part.group("number").replace(",", "."))
        position = part.end()
    if not seen or words[position:].strip():
        raise BadDuration(text)
    total = timedelta(seconds=round(total.total_seconds()))
    if total <= timedelta(0):
        raise BadDuration(text)
    return total


def parse_closes_in(text: str) -> timedelta:
    """Read how long a proposal stays open (`48h`, `3d`, `90m`, `1w`); same syntax as durations.

    Range checks belong to `decisions.validate_proposal`. Raises `BadDuration(text)`.
    """
    return parse_duration(text)


def weekly_series(first: datetime, tz: ZoneInfo, count: int) -> list[datetime]:
    """Start times (UTC) of a shift repeated weekly, keeping its local wall-clock time.

    A Saturday 10:00 shift stays at 10:00 local after the clocks change, so the UTC instants shift by
    the DST difference. `first` is included as the first element. Raises `BadRepeatCount` unless
    1 <= count <= 12.
    """
    _require_aware(first)
    if not REPEAT_MIN <= count <= REPEAT_MAX:
        raise BadRepeatCount(count, REPEAT_MIN, REPEAT_MAX)
    local = first.astimezone(tz).replace(tzinfo=None)
    return [first.astimezone(UTC)] + [to_utc(local + timedelta(weeks=week), tz) for week in range(1, count)]


@cache
def _zone_names() -> tuple[str, ...]:
    """Every IANA zone name we offer, sorted; the posix/ and right/ copies are left out."""
    return tuple(sorted(name for name in available_timezones() if not name.startswith(("posix/", "right/"))))


@cache
def _zone_name_set() -> frozenset[str]:
    return frozenset(_zone_names())


def is_valid_timezone(name: str) -> bool:
    """Whether `name` is an IANA time zone name we can use (exact spelling, e.g. `Europe/London`)."""
    return name in _zone_name_set()


def timezone_suggestions(prefix: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete, best first: full-name prefix, then city prefix, then substring.

    Case-insensitive; spaces count as underscores ("new york" finds `America/New_York`). Each group is
    alphabetical. An empty prefix lists the first names alphabetically.
    """
    if limit <= 0:
        return []
    wanted = prefix.strip().lower().replace(" ", "_")
    names = _zone_names()
    if not wanted:
        return list(names[:limit])
    full, city, inside = [], [], []
    for name in names:
        lowered = name.lower()
        if lowered.startswith(wanted):
            full.append(name)
        elif lowered.rsplit("/", 1)[-1].startswith(wanted):
            city.append(name)
        elif wanted in lowered:
            inside.append(name)
    return (full + city + inside)[:limit]
