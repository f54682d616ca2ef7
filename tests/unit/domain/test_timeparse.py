"""Time parsing, durations, weekly series across DST, and time zone lookup."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import BadDuration, BadRepeatCount, TimeInPast, UnparseableTime
from bot.domain.timeparse import (
    is_valid_timezone,
    parse_closes_in,
    parse_duration,
    parse_when,
    timezone_suggestions,
    to_utc,
    weekly_series,
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
        "sat 10",
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


def test_weekly_series_keeps_local_time_across_spring_forward():
    first = utc(2027, 3, 20, 10)  # Saturday 10:00 GMT
    series = weekly_series(first, LONDON, 3)
    assert series == [utc(2027, 3, 20, 10), utc(2027, 3, 27, 10), utc(2027, 4, 3, 9)]
    assert all(when.astimezone(LONDON).hour == 10 for when in series)


def test_weekly_series_keeps_local_time_across_fall_back():
    first = utc(2026, 10, 17, 9)  # Saturday 10:00 BST
    series = weekly_series(first, LONDON, 3)
    assert series == [utc(2026, 10, 17, 9), utc(2026, 10, 24, 9), utc(2026, 10, 31, 10)]
    assert [when.astimezone(LONDON).hour for when in series] == [10, 10, 10]


def test_weekly_series_moves_a_gap_time_forward():
    first = utc(2027, 3, 21, 1, 30)  # Sunday 01:30 GMT; next Sunday 01:30 does not exist
    assert weekly_series(first, LONDON, 2) == [first, utc(2027, 3, 28, 1)]


@pytest.mark.parametrize("count", [1, 12])
def test_weekly_series_count_limits(count):
    assert len(weekly_series(utc(2026, 12, 5, 10), LONDON, count)) == count


@pytest.mark.parametrize("count", [0, 13, -1])
def test_weekly_series_bad_count(count):
    with pytest.raises(BadRepeatCount) as caught:
        weekly_series(utc(2026, 12, 5, 10), LONDON, count)
    assert caught.value == BadRepeatCount(count, 1, 12)


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
