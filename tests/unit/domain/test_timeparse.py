"""Time parsing, durations, weekly series across DST, and time zone lookup."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import (
    AmbiguousDate,
    AmbiguousHour,
    BadDuration,
    TimeInPast,
    TooFarAhead,
    UnparseableTime,
    WeekdayMismatch,
)
from bot.domain.timeparse import (
    is_valid_timezone,
    parse_closes_in,
    parse_duration,
    parse_when,
    timezone_suggestions,
    to_utc,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Monday 30 Nov 2026, 12:00 in London (GMT, so local == UTC in winter).
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05 10:00", utc(2026, 12, 5, 10)),
        ("2026-12-05T10:00", utc(2026, 12, 5, 10)),
        ("2026-12-05 10am", utc(2026, 12, 5, 10)),
        ("5 dec 10am", utc(2026, 12, 5, 10)),
        ("5th Dec 10 AM", utc(2026, 12, 5, 10)),
        ("dec 5 10:00", utc(2026, 12, 5, 10)),
        ("Dec. 5, 9:15pm", utc(2026, 12, 5, 21, 15)),
        ("5 december 2026 14:30", utc(2026, 12, 5, 14, 30)),
        ("sat 10am", utc(2026, 12, 5, 10)),
        ("SAT 10AM", utc(2026, 12, 5, 10)),
        ("sat at 10am", utc(2026, 12, 5, 10)),
        ("10am sat", utc(2026, 12, 5, 10)),
        ("10am on sat", utc(2026, 12, 5, 10)),
        ("saturday 10:30", utc(2026, 12, 5, 10, 30)),
        ("next sat 10am", utc(2026, 12, 5, 10)),
        ("sun 9am", utc(2026, 12, 6, 9)),
        ("today 18:00", utc(2026, 11, 30, 18)),
        ("tonight 7pm", utc(2026, 11, 30, 19)),
        ("tonight 7", utc(2026, 11, 30, 19)),
        ("tonight at 7:30", utc(2026, 11, 30, 19, 30)),
        ("tonight 20", utc(2026, 11, 30, 20)),
        ("tomorrow 14:00", utc(2026, 12, 1, 14)),
        ("tomorrow 2pm", utc(2026, 12, 1, 14)),
        ("tomorrow at 2pm", utc(2026, 12, 1, 14)),
        ("tmrw 14h30", utc(2026, 12, 1, 14, 30)),
        ("12am tomorrow", utc(2026, 12, 1, 0)),
        ("in 2h", utc(2026, 11, 30, 14)),
        ("in 90m", utc(2026, 11, 30, 13, 30)),
        ("in 3 days", utc(2026, 12, 3, 12)),
        ("IN 1h30m", utc(2026, 11, 30, 13, 30)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_when(text, now=NOW, tz=LONDON) == expected


# What members actually type (issue 15), with NOW = Monday 30 Nov 2026 12:00 in London (GMT == UTC).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday with a date, which must agree with it
        ("sat 5 dec 10am", utc(2026, 12, 5, 10)),
        ("Sat, 5 Dec 10am", utc(2026, 12, 5, 10)),
        ("saturday december 5th 10:00", utc(2026, 12, 5, 10)),
        ("on sat 5 dec at 10am", utc(2026, 12, 5, 10)),
        # Discord's renderings of a timestamp, as copied off a card (en-US and en-GB, old and new)
        ("Saturday, December 5, 2026 10:00 AM", utc(2026, 12, 5, 10)),
        ("Saturday, December 5, 2026 at 10:00 AM", utc(2026, 12, 5, 10)),
        ("December 5, 2026 10:00 AM", utc(2026, 12, 5, 10)),
        ("December 5, 2026 at 10:00 AM", utc(2026, 12, 5, 10)),
        ("5 December 2026 10:00", utc(2026, 12, 5, 10)),
        ("5 December 2026 at 10:00", utc(2026, 12, 5, 10)),
        ("Saturday, 5 December 2026 10:00", utc(2026, 12, 5, 10)),
        ("Saturday, 5 December 2026 at 10:00", utc(2026, 12, 5, 10)),
        ("Saturday, December 5, 2026 10:00:00 AM", utc(2026, 12, 5, 10)),
        ("10:00:00 AM", utc(2026, 12, 1, 10)),
        ("6:30 PM", utc(2026, 11, 30, 18, 30)),
        # dot and h times
        ("6.30pm", utc(2026, 11, 30, 18, 30)),
        ("sat 6.30 p.m.", utc(2026, 12, 5, 18, 30)),
        ("18h30", utc(2026, 11, 30, 18, 30)),
        ("sat 18h30", utc(2026, 12, 5, 18, 30)),
        # a leading "at" or "@"
        ("at 10am", utc(2026, 12, 1, 10)),
        ("@ 18:00", utc(2026, 11, 30, 18)),
        ("@18:00", utc(2026, 11, 30, 18)),
        ("sat @ 10am", utc(2026, 12, 5, 10)),
        ("tomorrow @ 2pm", utc(2026, 12, 1, 14)),
        # ISO with seconds, Z or an offset: Z and offsets are that instant, not London's wall clock
        ("2026-12-05T10:00:00", utc(2026, 12, 5, 10)),
        ("2026-12-05 10:00:00", utc(2026, 12, 5, 10)),
        ("2026-12-05T10:00:00Z", utc(2026, 12, 5, 10)),
        ("2026-12-05T10:00:00.000Z", utc(2026, 12, 5, 10)),
        ("2026-12-05 10:00:00+01:00", utc(2026, 12, 5, 9)),
        ("2026-12-05T10:00-05:00", utc(2026, 12, 5, 15)),
        ("2026-12-05T10:00+0530", utc(2026, 12, 5, 4, 30)),
        ("2026-12-05 10:00 UTC", utc(2026, 12, 5, 10)),
        # a pasted Discord timestamp: exactly that instant, any style letter or none
        ("<t:1796464800:F>", utc(2026, 12, 5, 10)),
        ("<t:1796464800:f>", utc(2026, 12, 5, 10)),
        ("<t:1796464800:R>", utc(2026, 12, 5, 10)),
        ("<t:1796464800>", utc(2026, 12, 5, 10)),
        (" <t:1796464800:t> ", utc(2026, 12, 5, 10)),
        # in a(n) ..., and whole days with a time
        ("in an hour", utc(2026, 11, 30, 13)),
        ("in a day", utc(2026, 12, 1, 12)),
        ("in a week", utc(2026, 12, 7, 12)),
        ("in half an hour", utc(2026, 11, 30, 12, 30)),
        ("in 2 weeks", utc(2026, 12, 14, 12)),
        ("in 3 days at 5pm", utc(2026, 12, 3, 17)),
        ("in a day at 9:30", utc(2026, 12, 1, 9, 30)),
        ("in 2 weeks at 10am", utc(2026, 12, 14, 10)),
        ("5pm in 3 days", utc(2026, 12, 3, 17)),
        # clock phrases: read as a clock reads them, like `10:30`; am/pm as written
        ("half past ten", utc(2026, 12, 1, 10, 30)),
        ("quarter past 9", utc(2026, 12, 1, 9, 15)),
        ("a quarter past nine", utc(2026, 12, 1, 9, 15)),
        ("quarter to 6pm", utc(2026, 11, 30, 17, 45)),
        ("sat at half past 7pm", utc(2026, 12, 5, 19, 30)),
        ("half past twelve", utc(2026, 11, 30, 12, 30)),
        ("quarter past midnight", utc(2026, 12, 1, 0, 15)),
        ("tonight half past 7", utc(2026, 11, 30, 19, 30)),
        # noon and midnight with a weekday, either side
        ("noon saturday", utc(2026, 12, 5, 12)),
        ("saturday noon", utc(2026, 12, 5, 12)),
        ("saturday at noon", utc(2026, 12, 5, 12)),
        ("midnight friday", utc(2026, 12, 4, 0)),  # the midnight that starts Friday
        # tonight: an hour alone is the evening; the small hours are the night after today
        ("tonight 11", utc(2026, 11, 30, 23)),
        ("tonight at 11", utc(2026, 11, 30, 23)),
        ("tonight at midnight", utc(2026, 12, 1, 0)),
        ("tonight midnight", utc(2026, 12, 1, 0)),
        ("tonight 12am", utc(2026, 12, 1, 0)),
        ("tonight 1am", utc(2026, 12, 1, 1)),
        ("tonight 00:30", utc(2026, 12, 1, 0, 30)),
        # a date in digits that reads only one way round
        ("13/12 10:00", utc(2026, 12, 13, 10)),
        ("12/13 10:00", utc(2026, 12, 13, 10)),
        ("25/12/2026 6pm", utc(2026, 12, 25, 18)),
        ("5/5 10am", utc(2027, 5, 5, 9)),  # 10:00 BST
    ],
)
def test_what_members_type(text, expected):
    assert parse_when(text, now=NOW, tz=LONDON) == expected


def test_an_explicit_offset_ignores_the_server_zone():
    for text in ("2026-12-05T10:00:00Z", "<t:1796464800:F>"):
        assert parse_when(text, now=NOW, tz=NEW_YORK) == utc(2026, 12, 5, 10)
    assert parse_when("2026-12-05T10:00:00", now=NOW, tz=NEW_YORK) == utc(2026, 12, 5, 15)


# The end of the calendar: too far ahead for anything Rota plans (shifts.MAX_DAYS_AHEAD).
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # day or month first? The month as a word says which.
        ("5/12 10:00", AmbiguousDate("5/12 10:00", "5 dec", "may 12")),
        ("12/05/2026 10:00", AmbiguousDate("12/05/2026 10:00", "12 may", "dec 5")),
        ("sat 5/12 10am", AmbiguousDate("sat 5/12 10am", "5 dec", "may 12")),
        # an hour alone: morning, evening, or the day of the month?
        ("sat 10", AmbiguousHour("sat 10", 10)),
        ("sat at 10", AmbiguousHour("sat at 10", 10)),
        ("sat @ 10", AmbiguousHour("sat @ 10", 10)),
        ("tomorrow 9", AmbiguousHour("tomorrow 9", 9)),
        ("5 dec 10", AmbiguousHour("5 dec 10", 10)),
        ("at 10", AmbiguousHour("at 10", 10)),
        ("10", AmbiguousHour("10", 10)),
        ("sat 18", AmbiguousHour("sat 18", 18)),
        ("in 3 days 5", AmbiguousHour("in 3 days 5", 5)),
        # a weekday that disagrees with its date
        ("fri 5 dec 10am", WeekdayMismatch("fri 5 dec 10am", utc(2026, 12, 5, 10))),
        (
            "Friday, December 5, 2026 10:00 AM",
            WeekdayMismatch("Friday, December 5, 2026 10:00 AM", utc(2026, 12, 5, 10)),
        ),
        # past the end of the calendar
        ("in 999999w", TooFarAhead(LATEST, 365)),
        ("in 999999 weeks at 5pm", TooFarAhead(LATEST, 365)),
        ("<t:99999999999999:F>", TooFarAhead(LATEST, 365)),
        # already passed
        ("2026-11-30T11:59:59Z", TimeInPast(utc(2026, 11, 30, 11, 59, 59))),
        ("<t:1700000000:F>", TimeInPast(utc(2023, 11, 14, 22, 13, 20))),
        ("tonight 7am", TimeInPast(utc(2026, 11, 30, 7))),  # 7am is no small hour
        ("5/13/2026 10:00", TimeInPast(utc(2026, 5, 13, 9))),  # May 13th, the one way round
        # still simply unreadable
        ("in 1.5 days at 5pm", UnparseableTime("in 1.5 days at 5pm")),
        ("in 2 hours at 5pm", UnparseableTime("in 2 hours at 5pm")),
        ("quarter to midnight", UnparseableTime("quarter to midnight")),
        ("half past 13pm", UnparseableTime("half past 13pm")),
        ("half past 10:30", UnparseableTime("half past 10:30")),
        ("2026-12-05 10:00+25:00", UnparseableTime("2026-12-05 10:00+25:00")),
        ("2026-12-05T25:00:00Z", UnparseableTime("2026-12-05T25:00:00Z")),
        ("2026-02-30T10:00:00Z", UnparseableTime("2026-02-30T10:00:00Z")),
        ("<t:soon:F>", UnparseableTime("<t:soon:F>")),
        ("13/13 10:00", UnparseableTime("13/13 10:00")),
        ("sat 10:61", UnparseableTime("sat 10:61")),
        ("10:00:61", UnparseableTime("10:00:61")),
        ("in a", UnparseableTime("in a")),
        ("sat 25", UnparseableTime("sat 25")),
    ],
)
def test_refusals_say_why(text, error):
    with pytest.raises(type(error)) as caught:
        parse_when(text, now=NOW, tz=LONDON)
    assert caught.value == error


def test_result_is_aware_utc():
    when = parse_when("sat 10am", now=NOW, tz=LONDON)
    assert when.tzinfo is UTC


def test_time_alone_is_today_if_ahead_else_tomorrow():
    assert parse_when("1pm", now=NOW, tz=LONDON) == utc(2026, 11, 30, 13)
    assert parse_when("10am", now=NOW, tz=LONDON) == utc(2026, 12, 1, 10)
    assert parse_when("noon", now=NOW, tz=LONDON) == utc(2026, 12, 1, 12)  # exactly now is not ahead
    assert parse_when("midday", now=NOW - timedelta(minutes=1), tz=LONDON) == utc(2026, 11, 30, 12)
    assert parse_when("midnight", now=NOW, tz=LONDON) == utc(2026, 12, 1, 0)


def test_weekday_is_today_only_while_the_time_is_ahead():
    # NOW is a Monday at 12:00.
    assert parse_when("mon 1pm", now=NOW, tz=LONDON) == utc(2026, 11, 30, 13)
    assert parse_when("this mon 1pm", now=NOW, tz=LONDON) == utc(2026, 11, 30, 13)
    assert parse_when("mon 11am", now=NOW, tz=LONDON) == utc(2026, 12, 7, 11)
    assert parse_when("monday 12:00", now=NOW, tz=LONDON) == utc(2026, 12, 7, 12)
    assert parse_when("next mon 1pm", now=NOW, tz=LONDON) == utc(2026, 12, 7, 13)
    assert parse_when("tue 9am", now=NOW, tz=LONDON) == utc(2026, 12, 1, 9)


def test_year_omitted_means_next_occurrence():
    assert parse_when("1 jan 10am", now=NOW, tz=LONDON) == utc(2027, 1, 1, 10)
    assert parse_when("30 nov 1pm", now=NOW, tz=LONDON) == utc(2026, 11, 30, 13)
    assert parse_when("30 nov 11am", now=NOW, tz=LONDON) == utc(2027, 11, 30, 11)
    assert parse_when("29 feb 10am", now=NOW, tz=LONDON) == utc(2028, 2, 29, 10)


def test_local_day_comes_from_the_server_zone():
    # 22:00 on Monday 30 Nov in New York is already Tuesday in UTC.
    now = utc(2026, 12, 1, 3)
    assert parse_when("tomorrow 9am", now=now, tz=NEW_YORK) == utc(2026, 12, 1, 14)
    assert parse_when("today 11pm", now=now, tz=NEW_YORK) == utc(2026, 12, 1, 4)
    assert parse_when("9am", now=now, tz=NEW_YORK) == utc(2026, 12, 1, 14)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "someday",
        "sat",
        "tomorrow",
        "25:00",
        "10:75",
        "13pm",
        "0am",
        "31 feb 2027 10:00",
        "feb 30 10am",
        "2026-13-01 10:00",
        "in forever",
        "in 0m",
        "in 2",
        "blursday 10am",
        "tonight 0",
        "tonight 24",
    ],
)
def test_unparseable(text):
    with pytest.raises(UnparseableTime) as caught:
        parse_when(text, now=NOW, tz=LONDON)
    assert caught.value == UnparseableTime(text)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("today 9am", utc(2026, 11, 30, 9)),
        ("tonight 7am", utc(2026, 11, 30, 7)),
        ("2020-01-01 10:00", utc(2020, 1, 1, 10)),
        ("today 12:00", utc(2026, 11, 30, 12)),
    ],
)
def test_time_in_past(text, when):
    with pytest.raises(TimeInPast) as caught:
        parse_when(text, now=NOW, tz=LONDON)
    assert caught.value == TimeInPast(when)


def test_dates_beyond_the_calendar_are_unparseable():
    with pytest.raises(UnparseableTime):
        parse_when("9999-12-31 23:59", now=NOW, tz=NEW_YORK)


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        parse_when("sat 10am", now=datetime(2026, 11, 30, 12), tz=LONDON)


# --- daylight saving ---------------------------------------------------------------------------


def test_spring_forward_gap_moves_to_first_valid_instant():
    # London skips 01:00-02:00 local on 28 Mar 2027; 01:30 becomes 02:00 BST = 01:00 UTC.
    now = utc(2027, 3, 1)
    expected = utc(2027, 3, 28, 1)
    assert parse_when("2027-03-28 01:30", now=now, tz=LONDON) == expected
    assert parse_when("28 mar 1:30am", now=now, tz=LONDON) == expected
    assert expected.astimezone(LONDON).hour == 2


def test_fall_back_ambiguity_takes_first_occurrence():
    # 01:30 happens twice on 25 Oct 2026 in London: first in BST (00:30 UTC), then GMT (01:30 UTC).
    assert parse_when("2026-10-25 01:30", now=utc(2026, 10, 1), tz=LONDON) == utc(2026, 10, 25, 0, 30)


def test_to_utc_gaps_in_other_zones():
    assert to_utc(datetime(2027, 3, 14, 2, 30), NEW_YORK) == utc(2027, 3, 14, 7)
    lord_howe = ZoneInfo("Australia/Lord_Howe")  # half-hour change 02:00 -> 02:30
    moved = to_utc(datetime(2026, 10, 4, 2, 10), lord_howe)
    assert moved.astimezone(lord_howe).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 30)


ZONES = st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])


@given(
    naive=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    zone=ZONES,
)
def test_to_utc_is_the_first_instant_at_or_after_the_wall_time(naive, zone):
    tz = ZoneInfo(zone)
    naive = naive.replace(microsecond=0)
    result = to_utc(naive, tz)
    wall = result.astimezone(tz).replace(tzinfo=None)
    before = (result - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None)
    assert wall >= naive
    assert before < naive or wall == naive
    if wall == naive:
        assert result <= naive.replace(tzinfo=tz, fold=1).astimezone(UTC)


@given(
    text=st.sampled_from(["sat 10am", "10am", "tonight 7pm", "5 dec 10am", "in 3h", "next mon 9:00", "noon"]),
    now=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    zone=ZONES,
)
def test_parsed_times_are_in_the_future_or_refused(text, now, zone):
    try:
        when = parse_when(text, now=now, tz=ZoneInfo(zone))
    except TimeInPast as error:
        assert error.when <= now
    else:
        assert when > now
        assert when - now <= timedelta(days=366)


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("1 hour and 30 minutes", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        ("1,5h", timedelta(minutes=90)),
        ("45 min", timedelta(minutes=45)),
        ("2 hours", timedelta(hours=2)),
        ("2 HRS", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("3 days", timedelta(days=3)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(hours=36)),
        (" 48h ", timedelta(hours=48)),
        ("an hour", timedelta(hours=1)),
        ("a day", timedelta(days=1)),
        ("half an hour", timedelta(minutes=30)),
        ("an hour and 30 minutes", timedelta(minutes=90)),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "h", "0m", "0h 0m", "2h 2h", "2 dayz", "two hours", "-2h", "2h x", "x 2h"])
def test_bad_duration(text):
    with pytest.raises(BadDuration) as caught:
        parse_duration(text)
    assert caught.value == BadDuration(text)


def test_parse_closes_in_uses_duration_syntax():
    assert parse_closes_in("48h") == timedelta(hours=48)
    assert parse_closes_in("3d") == timedelta(days=3)
    assert parse_closes_in("90m") == timedelta(minutes=90)
    with pytest.raises(BadDuration):
        parse_closes_in("soon")


# --- time zones --------------------------------------------------------------------------------


def test_is_valid_timezone():
    assert is_valid_timezone("Europe/London")
    assert is_valid_timezone("UTC")
    assert not is_valid_timezone("europe/london")
    assert not is_valid_timezone("Mars/Olympus_Mons")
    assert not is_valid_timezone("")
    assert not is_valid_timezone("posix/Europe/London")


def test_timezone_suggestions_rank_full_prefix_then_city():
    assert timezone_suggestions("europe/lo") == ["Europe/London"]
    assert timezone_suggestions("LONDON") == ["Europe/London"]
    assert timezone_suggestions("new york") == ["America/New_York"]
    found = timezone_suggestions("lon")
    assert "Europe/London" in found
    assert found.index("Europe/London") < found.index("America/Blanc-Sablon")  # substring matches last
    assert timezone_suggestions("america/")[:2] == ["America/Adak", "America/Anchorage"]


def test_timezone_suggestions_limits_and_empty_prefix():
    assert len(timezone_suggestions("")) == 25
    assert timezone_suggestions("", limit=3) == sorted(timezone_suggestions("", limit=3))
    assert len(timezone_suggestions("a", limit=5)) == 5
    assert timezone_suggestions("europe", limit=0) == []
    assert timezone_suggestions("zzzz-nothing") == []
