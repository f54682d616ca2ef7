"""Reading the times and durations members type, in their server's time zone and their language.

Members write "sat 10am", "Sa 10 Uhr", "sáb 10:00" or "in 2h", not ISO timestamps. Everything is
parsed against a `now` that the caller passes in (the domain never reads the clock) and comes back
as an aware UTC datetime, because the store keeps UTC and Discord renders `<t:...>` in each reader's
own zone.

Each language's words (weekdays, months, "tomorrow", "at", units, ...) live in `time_words`; one
shared parser here reads them all.

What is truly ambiguous is refused with a typed error that says why, never guessed: an English date
in digits that reads both ways round (`5/12`: `AmbiguousDate`), an English hour alone (`sat 10`:
`AmbiguousHour`), a weekday that disagrees with its date (`WeekdayMismatch`). A time past the end of
the calendar (`in 999999w`) is `TooFarAhead`.

Daylight-saving rules, applied everywhere a local wall-clock time becomes an instant:
- a local time that does not exist (skipped by a spring-forward change) moves forward to the first
  valid instant, i.e. the moment the clocks jump (01:30 on a 01:00->02:00 night becomes 02:00);
- a local time that happens twice (fall-back) means the first occurrence (fold=0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache, partial
from zoneinfo import ZoneInfo, available_timezones

from bot.domain import time_words
from bot.domain.errors import (
    AmbiguousDate,
    AmbiguousHour,
    BadDuration,
    TimeInPast,
    TooFarAhead,
    UnparseableTime,
    WeekdayMismatch,
)
from bot.domain.time_words import TIME_LANGUAGES as TIME_LANGUAGES  # re-exported for existing imports
from bot.domain.time_words import time_examples as time_examples

#: Nothing is planned further ahead than this (shifts, repeats, proposals' actions).
MAX_DAYS_AHEAD = 365


_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
# An ISO time that names its own offset, after normalising: "2026-12-05 10:00:00z", "... 10:00+01:00".
_ISO_INSTANT = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2}) (?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,6})?)?"
    r"\s*(?:(?P<utc>z|utc)|(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2}))?)$"
)
# A Discord timestamp as typed or pasted, with any style letter or none: <t:1796464800:F>.
_DISCORD_TIMESTAMP = re.compile(r"^<t:(?P<seconds>-?\d{1,20})(?::[a-z])?>$", re.IGNORECASE)
# A date in digits where no rule says which comes first (English): 5/12, 12/5/2026.
_SLASHED = re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?$")
# Before this, a time after "tonight" is in the night after today: "tonight at midnight", "tonight 1am".
_SMALL_HOURS_END = time(5)


def _normalise(text: str, *, fold: bool) -> str:
    """Lower-case, fold whitespace and drop commas so the patterns stay small.

    Folding languages also lose accents and abbreviation dots, and keep a decimal comma ("1,5 h")."""
    if not fold:
        return re.sub(r"\s+", " ", text.replace(",", " ")).strip().lower()
    return re.sub(r"\s+", " ", re.sub(r"(?<!\d),|,(?!\d)", " ", time_words.fold(text))).strip()


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


def _time_of_day(match: re.Match[str], language: time_words.Language, *, evening: bool) -> time | None:
    """Read the time groups of a time pattern; None if the numbers are not a real time."""
    groups = match.groupdict()
    named = groups["named"]
    if named is not None:
        return time(language.named_times[named], 0)
    if groups["h12"] is not None:
        hour, minute, second = int(groups["h12"]), int(groups["m12"] or 0), int(groups["s12"] or 0)
        if not 1 <= hour <= 12 or minute > 59 or second > 59:
            return None
        hour %= 12
        if groups["ampm"].startswith("p"):
            hour += 12
        return time(hour, minute, second)
    hour, minute = int(groups["h24"]), int(groups["m24"] or groups.get("m24b") or 0)
    second = int(groups["s24"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    if evening and 1 <= hour <= 11:
        hour += 12
    return time(hour, minute, second)


def _may_be_a_date(match: re.Match[str], language: time_words.Language) -> bool:
    """Whether a time such as German `5.12` (no "Uhr") could also be the language's date in digits."""
    groups = match.groupdict()
    if groups.get("dot") is None or groups.get("mark") is not None or language.numeric_date is None:
        return False
    day, month = groups["h24"], groups["m24"]
    return bool(language.numeric_date.match(f"{day}.{month}")) and _safe_date(2000, int(month), int(day)) is not None


def _split_time(text: str, language: time_words.Language) -> tuple[str, time] | None:
    """Separate the time of day from the date words, whichever side it is on."""
    evening = text.startswith(language.evenings)
    for pattern in (language.time_at_end, language.time_at_start):
        match = pattern.match(text)
        if match is not None:
            at = _time_of_day(match, language, evening=evening)
            rest = match.group("rest").strip()
            if at is None:
                return None
            # "Sa 5.12" or "5.12" alone: 5 December with the time left out, or 05:12? Refuse.
            if _may_be_a_date(match, language) and (rest == "" or language.weekday.match(language.on.sub("", rest))):
                return None
            return rest, at
    if evening:
        # "tonight 7" / "tonight at 7": an hour alone means the evening.
        match = language.bare_hour.match(text)
        if match is not None and match.group("rest") in language.evenings:
            hour = int(match.group("hour"))
            if 1 <= hour <= 11:
                return match.group("rest"), time(hour + 12, 0)
            if 12 <= hour <= 23:
                return match.group("rest"), time(hour, 0)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _one_reading(match: re.Match[str], language: time_words.Language, text: str) -> tuple[int, int]:
    """The (day, month) of a date in digits such as `13/12` or `12/13` where no rule says which comes
    first: the one way round that is a real date. Raises `AmbiguousDate` when both are (`5/12`)."""
    first, second = int(match.group("a")), int(match.group("b"))
    year = 2000 if match.group("y") is None else int(match.group("y"))  # 2000: 29/2 may be meant
    year += 2000 if year < 100 else 0
    readings = {(d, m) for d, m in ((first, second), (second, first)) if _safe_date(year, m, d) is not None}
    if len(readings) > 1:
        months = language.short_months
        raise AmbiguousDate(text, f"{first} {months[second - 1]}", f"{months[first - 1]} {second}")
    if not readings:
        raise UnparseableTime(text)
    return readings.pop()


def _calendar_day(
    words: str, language: time_words.Language, today: date, ahead: Callable[[date], bool], text: str
) -> date | None:
    """The day a date names (ISO, `5 dec`, `dec 5`, `5.12.`, `5/12/2026`); None if `words` is no date.

    A date without a year is the next time it comes round (`ahead`; 29 Feb may be up to 8 years away);
    a two-digit year is in this century. Raises `UnparseableTime(text)` for a date that does not exist,
    and `AmbiguousDate` for digits that read both ways round in English (`5/12`).
    """
    match = _ISO_DATE.match(words)
    if match is not None:
        day = _safe_date(int(match.group("y")), int(match.group("mo")), int(match.group("d")))
        if day is None:
            raise UnparseableTime(text)
        return day
    match = language.day_month.match(words) or language.month_day.match(words)
    if match is not None:
        month, day_number = language.months[match.group("mon")], int(match.group("d"))
    elif language.numeric_date is not None and (match := language.numeric_date.match(words)) is not None:
        month, day_number = int(match.group("mo")), int(match.group("d"))
    elif language.numeric_date is None and (match := _SLASHED.match(words)) is not None:
        day_number, month = _one_reading(match, language, text)
    else:
        return None
    if match.group("y") is not None:
        year = int(match.group("y"))
        day = _safe_date(year + 2000 if year < 100 else year, month, day_number)
        if day is None:
            raise UnparseableTime(text)
        return day
    for year in range(today.year, today.year + 9):
        day = _safe_date(year, month, day_number)
        if day is not None and ahead(day):
            return day
    raise UnparseableTime(text)


def _beyond_the_calendar() -> TooFarAhead:
    """The refusal for a time past the end of the calendar (year 9999): too far ahead to plan."""
    return TooFarAhead(datetime.max.replace(microsecond=0, tzinfo=UTC), MAX_DAYS_AHEAD)


def _days_later(today: date, duration: str, language: time_words.Language, text: str) -> date:
    """The day `duration` after today, for "in 3 days at 5pm"; only whole days (or weeks) fit."""
    try:
        offset = parse_duration(duration, language=language.code)
    except BadDuration:
        raise UnparseableTime(text) from None
    if offset % timedelta(days=1):
        raise UnparseableTime(text)
    try:
        return today + offset
    except OverflowError:
        raise _beyond_the_calendar() from None


def _resolve(
    words: str, at: time, now_local: datetime, tz: ZoneInfo, text: str, language: time_words.Language
) -> datetime:
    """Pick the calendar day that the date words mean and return the UTC instant."""
    today = now_local.date()
    now_utc = now_local.astimezone(UTC)

    def instant(day: date) -> datetime:
        return to_utc(datetime.combine(day, at), tz)

    def ahead(day: date) -> bool:
        return instant(day) > now_utc

    bare = language.on.sub("", words)  # "on sat", "am Samstag", "le 5 décembre"
    day_words = bare if language.loose_on else words
    if day_words == "":
        return instant(today) if ahead(today) else instant(today + timedelta(days=1))
    if day_words in language.days_ahead:
        named = today + timedelta(days=language.days_ahead[day_words])
        if day_words in language.evenings and at < _SMALL_HOURS_END:
            named += timedelta(days=1)  # "tonight at midnight": the coming midnight, not the one gone
        return instant(named)
    relative = language.relative.match(day_words)
    if relative is not None:  # "in 3 days at 5pm": whole days or weeks from today
        return instant(_days_later(today, relative.group("duration"), language, text))

    match = language.weekday.match(bare)
    if match is not None:
        days = (language.weekdays[match.group("wd")] - today.weekday()) % 7
        is_next = match.group("next") is not None or match.group("after") is not None
        if days == 0 and (is_next or not ahead(today)):
            days = 7
        return instant(today + timedelta(days=days))

    day = _calendar_day(bare, language, today, ahead, text)
    if day is not None:
        return instant(day)

    # "sat 5 dec", "Saturday, December 5, 2026", "samedi 5 décembre", "Sa., den 5.12.": the date
    # decides and the weekday must agree with it.
    match = language.weekday_then_date.match(bare)
    if match is not None:
        day = _calendar_day(language.on.sub("", match.group("date")), language, today, ahead, text)
        if day is not None:
            if day.weekday() != language.weekdays[match.group("wd")]:
                raise WeekdayMismatch(text, instant(day))
            return instant(day)

    raise UnparseableTime(text)


def _phrase_time(match: re.Match[str], *, minutes: int, language: time_words.Language) -> str:
    """A clock phrase ("half past ten", "quarter to 6pm", "halb 11") as `HH:MM`; as it was if no time."""
    hour_text, ampm = match.group("h"), match.group("ampm")
    if hour_text.isdigit():
        hour = int(hour_text)
    elif hour_text in language.hour_words:
        hour = language.hour_words[hour_text]
    else:
        hour = language.named_times[hour_text]
        if ampm is not None:  # "half past noon pm"
            return match.group(0)
    if ampm is not None:
        if not 1 <= hour <= 12:
            return match.group(0)
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    total = hour * 60 + minutes
    if hour > 23 or not 0 <= total < 24 * 60:  # "quarter to midnight" would be the day before
        return match.group(0)
    return f"{total // 60:02d}:{total % 60:02d}"


def _spoken_clock(words: str, language: time_words.Language) -> str:
    """The text with its clock phrases written as `HH:MM`: "sat half past ten" -> "sat 10:30"."""
    for pattern, minutes in language.clock_phrases:
        words = pattern.sub(partial(_phrase_time, minutes=minutes, language=language), words)
    return words


def _from_epoch(seconds: int, text: str) -> datetime:
    """The instant of a pasted Discord timestamp (`<t:1796464800:F>`)."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        if seconds > 0:
            raise _beyond_the_calendar() from None
        raise UnparseableTime(text) from None


def _iso_instant(match: re.Match[str], text: str) -> datetime:
    """An ISO time with its own offset (`...Z`, `...+01:00`): that instant, whatever the server's zone."""
    day = _safe_date(int(match.group("y")), int(match.group("mo")), int(match.group("d")))
    hour, minute, second = int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0)
    if day is None or hour > 23 or minute > 59 or second > 59:
        raise UnparseableTime(text)
    zone = UTC
    if match.group("utc") is None:
        hours, minutes = int(match.group("oh")), int(match.group("om") or 0)
        if hours > 23 or minutes > 59:
            raise UnparseableTime(text)
        offset = timedelta(hours=hours, minutes=minutes)
        zone = timezone(-offset if match.group("sign") == "-" else offset)
    try:
        return datetime.combine(day, time(hour, minute, second), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        raise UnparseableTime(text) from None


def _refuse_an_hour_alone(
    words: str, reading: time_words.Language, now_local: datetime, tz: ZoneInfo, text: str
) -> None:
    """English `sat 10`, `tomorrow at 10`, `10`: morning or evening (or the 10th)? Refuse, saying so.

    Only when the rest is a day we can read, so "in 2" stays simply unreadable; after "tonight" an hour
    alone is the evening (see `_split_time`), and other languages write "10 Uhr", "10h".
    """
    match = reading.hour_alone.match(words) if reading.code == "en" else None
    if match is None:
        return
    hour, rest = int(match.group("hour")), match.group("rest") or ""
    if hour > 23 or rest in reading.evenings:
        return
    _resolve(rest, time(0), now_local, tz, text, reading)  # raises if the rest is no day
    raise AmbiguousHour(text, hour)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo, language: str = "en") -> datetime:
    """Read a member's start time ("sat 10am", "5 dec 14:30", "in 2h", ...) as an aware UTC instant.

    English (case-insensitive): ISO `2026-12-05 10:00` / `2026-12-05T10:00:00` in the server's zone,
    and with `Z` or an offset (`2026-12-05T10:00:00Z`, `... 10:00+01:00`) that very instant; a pasted
    Discord timestamp `<t:1796464800:F>` (any style or none), also that instant; `5 dec 10am`,
    `dec 5 10:00`, `5 december 2026 14:30`, `13/12` or `12/13` (only where one way round is a date);
    a weekday with a date, which must agree (`sat 5 dec 10am`, and Discord's renderings such as
    `Saturday, December 5, 2026 10:00 AM` or `Saturday, 5 December 2026 at 10:00`); `sat 10am`,
    `next sat 10am`; `today 18:00`; `tonight 7pm` (an hour alone after "tonight" is pm, and the small
    hours are the night after: `tonight at midnight` is the coming midnight); `tomorrow 2pm`; a time
    alone (`10am`, `6.30pm`, `18h30`, `noon`, `10:00:00 AM`); clock phrases read as a clock would
    (`half past ten` is 10:30, `quarter to 6pm` 17:45); `in 2h`, `in 90m`, `in an hour`,
    `in 3 days`, and whole days with a time (`in 3 days at 5pm`). The time may also come first
    ("10am sat", "noon saturday"), and "at" or "@" may stand before it ("@ 18:00", "sat @ 10am").

    `language` ("en", "de", "es", "fr", "pt_BR") adds that language's words, with or without accents
    and abbreviation dots, and English's where they do not clash: weekdays and months ("Sa", "sáb",
    "samedi", "qua", "Dez", "déc", "março"), today/tomorrow/the day after ("heute", "morgen",
    "übermorgen", "mañana", "pasado mañana", "demain", "après-demain", "amanhã", "depois de amanhã"),
    "tonight" ("heute abend", "esta noche", "ce soir", "hoje à noite"), next ("nächsten Sa",
    "samedi prochain", "próximo sábado"), 24-hour times (`14:00`, `14.00`, `14h`, `14h30`, `10 Uhr`,
    `14 Uhr 30`, `midi`), day-first dates (`5. Dezember`, `5.12.`, `5.12.2026` in German;
    `5 de diciembre`, `5 décembre`, `5/12`, `05/12/2026` in the others), a weekday before a date that
    must agree with it ("samedi 5 décembre"), clock phrases ("halb 11" is 10:30, "diez y media",
    "dix heures et demie", "quinze para as 6"), and durations ("in 2 Stunden", "en 2 horas",
    "dans 2h", "em 2 horas", "daqui a 2 horas", "in einer Stunde", "dans une demi-heure").

    Day rules: a time alone is today if still ahead, else tomorrow. A weekday is today if today is
    that day and the time is still ahead, else the next such day; `next <weekday>` is never today.
    A date without a year is its next occurrence. Raises `UnparseableTime(text)`; in English
    `AmbiguousDate` for `5/12` and `AmbiguousHour` for an hour alone (`sat 10`); `WeekdayMismatch`
    when a weekday and its date disagree; `TooFarAhead` past the end of the calendar; `TimeInPast(when)`
    when the result is not after `now`; `ValueError` for an unknown language.
    """
    _require_aware(now)
    reading = time_words.words_for(language)
    now_utc = now.astimezone(UTC)
    stamp = _DISCORD_TIMESTAMP.match(text.strip())
    if stamp is not None:
        return _ahead(_from_epoch(int(stamp.group("seconds")), text), now_utc)

    words = _normalise(text.replace("@", " at "), fold=reading.fold)
    words = words.replace("t", " ", 1) if re.match(r"^\d{4}-\d{1,2}-\d{1,2}t\d", words) else words
    iso = _ISO_INSTANT.match(words)
    if iso is not None:
        return _ahead(_iso_instant(iso, text), now_utc)

    relative = reading.relative.match(words)
    if relative is not None:
        try:
            offset = parse_duration(relative.group("duration"), language=language)
        except BadDuration:
            pass  # perhaps "in 3 days at 5pm", read below
        else:
            try:
                return now_utc + offset
            except OverflowError:
                raise _beyond_the_calendar() from None

    words = _spoken_clock(words, reading)
    now_local = now.astimezone(tz)
    split = _split_time(words, reading)
    if split is None:
        _refuse_an_hour_alone(words, reading, now_local, tz, text)
        raise UnparseableTime(text)
    date_words, at = split
    try:
        when = _resolve(date_words, at, now_local, tz, text, reading)
    except OverflowError:
        raise UnparseableTime(text) from None
    return _ahead(when, now_utc)


def _ahead(when: datetime, now_utc: datetime) -> datetime:
    if when <= now_utc:
        raise TimeInPast(when)
    return when


def parse_day_or_when(
    text: str, *, now: datetime, tz: ZoneInfo, end_of_day: bool = False, language: str = "en"
) -> datetime:
    """A date and time, or a date alone: the start of that day (`end_of_day`: the start of the next,
    so "until 14 Jan" includes the 14th)."""
    try:
        return parse_when(text, now=now, tz=tz, language=language)
    except UnparseableTime:
        try:
            late = parse_when(f"{text} 23:59", now=now, tz=tz, language=language)
        except UnparseableTime:
            raise UnparseableTime(text) from None
    day = late.astimezone(tz).date() + timedelta(days=1 if end_of_day else 0)
    return to_utc(datetime.combine(day, time(0)), tz).astimezone(UTC)


def parse_duration(text: str, *, language: str = "en") -> timedelta:
    """Read a duration such as `2h`, `90m`, `1h30m`, `1.5h`, `45 min`, `2 hours`, `3d`, `2w`, `an hour`
    or `half an hour`.

    Each unit may appear once; a bare number is refused because its unit would be a guess. The result
    is rounded to whole seconds and must be positive. `language` adds its unit words ("2 Stunden",
    "3 días", "2 heures", "1 hora e 30 minutos") to English's. Raises `BadDuration(text)`, and
    `ValueError` for an unknown language.
    """
    reading = time_words.words_for(language)
    words = time_words.fold(text).strip() if reading.fold else text.strip().lower()
    total = timedelta(0)
    seen: set[timedelta] = set()
    position = 0
    for part in reading.duration_part.finditer(words):
        if not reading.duration_glue.match(words[position : part.start()]):
            raise BadDuration(text)
        unit = reading.units[part.group("unit")]
        if unit in seen:
            raise BadDuration(text)
        seen.add(unit)
        number = part.group("number")
        total += unit * (reading.one_words[part.group("word")] if number is None else float(number.replace(",", ".")))
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
