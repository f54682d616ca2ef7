"""Repeats: the patterns people type, read exactly (never guessed), expanded in local time across
daylight-saving changes; and the calendar file carries the series faithfully.

The calendar decision: one event per occurrence, each with its shift's stable UID (no RRULE). Each
occurrence is a shift of its own (its own places, holders, edits and cancellation), so a calendar
app updates exactly the one that changed. Checked by parsing with `icalendar` and expanding with
`recurring-ical-events`, as a calendar app would.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from bot.domain.errors import BadRepeatCount, UnknownRepeat
from bot.domain.ical import calendar, shift_event
from bot.domain.records import Shift
from bot.domain.repeats import COUNT_MAX, series_starts

BERLIN = ZoneInfo("Europe/Berlin")
SAT_17_OCT_10 = datetime(2026, 10, 17, 8, 0, tzinfo=UTC)  # Saturday 10:00 in Berlin (summer time)


def local(starts: list[datetime]) -> list[str]:
    return [s.astimezone(BERLIN).strftime("%a %Y-%m-%d %H:%M") for s in starts]


@pytest.mark.parametrize(
    ("pattern", "options", "expected"),
    [
        ("weekly", {}, ["Sat 2026-10-17 10:00", "Sat 2026-10-24 10:00", "Sat 2026-10-31 10:00",
                        "Sat 2026-11-07 10:00"]),
        ("Every week", {"count": 2}, ["Sat 2026-10-17 10:00", "Sat 2026-10-24 10:00"]),
        ("every 2 weeks", {"count": 3}, ["Sat 2026-10-17 10:00", "Sat 2026-10-31 10:00", "Sat 2026-11-14 10:00"]),
        ("monthly", {"count": 3}, ["Sat 2026-10-17 10:00", "Tue 2026-11-17 10:00", "Thu 2026-12-17 10:00"]),
        (
            "monthly on the first saturday",
            {"count": 3},
            ["Sat 2026-11-07 10:00", "Sat 2026-12-05 10:00", "Sat 2027-01-02 10:00"],
        ),
        ("monthly on the last friday", {"count": 2}, ["Fri 2026-10-30 10:00", "Fri 2026-11-27 10:00"]),
        ("monthly on the 15th", {"count": 2}, ["Sun 2026-11-15 10:00", "Tue 2026-12-15 10:00"]),
        ("mon, thu", {"count": 3}, ["Mon 2026-10-19 10:00", "Thu 2026-10-22 10:00", "Mon 2026-10-26 10:00"]),
        ("mondays and thursdays", {"count": 2}, ["Mon 2026-10-19 10:00", "Thu 2026-10-22 10:00"]),
        (
            "weekly",
            {"until": datetime(2026, 11, 14, 23, 0, tzinfo=UTC)},
            ["Sat 2026-10-17 10:00", "Sat 2026-10-24 10:00", "Sat 2026-10-31 10:00", "Sat 2026-11-07 10:00",
             "Sat 2026-11-14 10:00"],
        ),
    ],
)  # fmt: skip
def test_patterns_people_type(pattern: str, options: dict[str, object], expected: list[str]) -> None:
    assert local(series_starts(SAT_17_OCT_10, BERLIN, pattern, **options)) == expected  # type: ignore[arg-type]


def test_local_time_is_kept_across_the_clock_change() -> None:
    starts = series_starts(SAT_17_OCT_10, BERLIN, "weekly", count=4)
    assert [s.astimezone(BERLIN).hour for s in starts] == [10, 10, 10, 10]
    assert [s.hour for s in starts] == [8, 8, 9, 9]  # in UTC it moves with the clocks (back on 25 Oct)


@pytest.mark.parametrize("pattern", ["fortnightly-ish", "every 0 weeks", "every 9 weeks", "monthly on the 32nd",
                                     "monthly on the fifth monday", "sat and sometimes sun", ""])  # fmt: skip
def test_anything_else_is_refused_not_guessed(pattern: str) -> None:
    with pytest.raises(UnknownRepeat):
        series_starts(SAT_17_OCT_10, BERLIN, pattern, count=2)


def test_counts_and_ends_are_bounded() -> None:
    with pytest.raises(BadRepeatCount):
        series_starts(SAT_17_OCT_10, BERLIN, "weekly", count=COUNT_MAX + 1)
    with pytest.raises(BadRepeatCount):  # a year of Mondays and Thursdays is more than 52 shifts
        series_starts(SAT_17_OCT_10, BERLIN, "mon, thu", until=SAT_17_OCT_10 + timedelta(days=360))
    with pytest.raises(BadRepeatCount):  # an end before the second shift makes no series
        series_starts(SAT_17_OCT_10, BERLIN, "weekly", until=SAT_17_OCT_10 + timedelta(days=1))


def make_shift(shift_id: int, starts: datetime, **changes: object) -> Shift:
    shift = Shift(
        id=shift_id, guild_id=9, series_id=1, offerer_id=1, offerer_name="alice", starts_at=starts,
        ends_at=starts + timedelta(hours=2), location="Market Square", notes="", places=3, taken=0,
        cancelled_at=None, cancel_reason=None, channel_id=None, message_id=None, thread_id=None, proposal_id=None,
    )  # fmt: skip
    return dataclasses.replace(shift, **changes)  # type: ignore[arg-type]


def test_the_calendar_file_carries_the_series_with_one_cancelled_and_one_moved() -> None:
    starts = series_starts(SAT_17_OCT_10, BERLIN, "weekly", count=4)
    shifts = [make_shift(i + 1, s) for i, s in enumerate(starts)]
    shifts[1] = dataclasses.replace(shifts[1], cancelled_at=1.0, revision=1)  # one occurrence cancelled
    moved = starts[2] + timedelta(hours=2)
    shifts[2] = dataclasses.replace(shifts[2], starts_at=moved, ends_at=moved + timedelta(hours=2), revision=1)
    stamp = datetime(2026, 10, 1, tzinfo=UTC)
    text = calendar([shift_event(s, summary=f"Shift #{s.id}", stamp=stamp) for s in shifts], name="Rota")
    parsed = icalendar.Calendar.from_ical(text)
    seen = recurring_ical_events.of(parsed).between(datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    by_uid = {str(event["UID"]): event for event in seen}
    assert len(by_uid) == 4  # one event per occurrence, each with its own stable UID
    assert str(by_uid["shift-2-9@rota"]["STATUS"]) == "CANCELLED"
    assert by_uid["shift-3-9@rota"]["DTSTART"].dt == moved and int(by_uid["shift-3-9@rota"]["SEQUENCE"]) == 1
    untouched = [by_uid[f"shift-{i}-9@rota"]["DTSTART"].dt for i in (1, 4)]
    assert untouched == [starts[0], starts[3]]


LONDON = ZoneInfo("Europe/London")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_weekly_keeps_local_time_across_spring_forward() -> None:
    series = series_starts(utc(2027, 3, 20, 10), LONDON, "weekly", count=3)  # Saturday 10:00 GMT
    assert series == [utc(2027, 3, 20, 10), utc(2027, 3, 27, 10), utc(2027, 4, 3, 9)]


def test_weekly_keeps_local_time_across_fall_back() -> None:
    series = series_starts(utc(2026, 10, 17, 9), LONDON, "weekly", count=3)  # Saturday 10:00 BST
    assert series == [utc(2026, 10, 17, 9), utc(2026, 10, 24, 9), utc(2026, 10, 31, 10)]


def test_a_time_the_clocks_skip_moves_forward() -> None:
    first = utc(2027, 3, 21, 1, 30)  # Sunday 01:30 GMT; the next Sunday's 01:30 does not exist
    assert series_starts(first, LONDON, "weekly", count=2) == [first, utc(2027, 3, 28, 1)]
