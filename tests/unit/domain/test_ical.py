"""The .ics file of `/shift calendar`, read back by a real iCalendar parser (`icalendar`).

Member text must come back exactly as typed (no Markdown stripping), with only the control
characters RFC 5545 forbids left out; times are UTC; UIDs are stable; SEQUENCE and LAST-MODIFIED
move with each revision; lines end in CRLF and fold at 75 octets (UTF-8 bytes, not characters).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest

from bot.domain.ical import PRODID, CalendarEvent, calendar, escape_text, fold, shift_event, shift_uid
from bot.domain.records import Shift

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 1, 8, 15, 5, tzinfo=UTC)

HOSTILE_WHERE = r"St_Mary_Hall *upstairs* __x__ ~~y~~ `z` > q, C:\new; a\,b \n 🎪"
HOSTILE_NOTES = (
    "Bring **gloves**, _boots_; and a \\ backslash.\r\nSecond line\rthird\nfourth\x00\x0b\x1b\x7f end\t(tab) 🧤👍🏽"
)
NOTES_AS_READ = "Bring **gloves**, _boots_; and a \\ backslash.\nSecond line\nthird\nfourth end\t(tab) 🧤👍🏽"


def make_shift(**changes: object) -> Shift:
    shift = Shift(
        id=42,
        guild_id=1_234_567_890_123_456_789,
        series_id=None,
        offerer_id=7,
        offerer_name="alice",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        location="Market",
        notes="",
        places=3,
        taken=1,
        cancelled_at=None,
        cancel_reason=None,
        channel_id=None,
        message_id=None,
        thread_id=None,
        proposal_id=None,
        revision=0,
        updated_at=CREATED.timestamp(),
    )
    return dataclasses.replace(shift, **changes)  # type: ignore[arg-type]


def ics(*shifts: Shift, summary: str | None = None, name: str = "Rota shifts") -> str:
    events = [shift_event(s, summary=summary or f"Shift #{s.id}: {s.location}", stamp=NOW) for s in shifts]
    return calendar(events, name=name)


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text.encode("utf-8"))


def only_event(text: str) -> icalendar.Component:
    events = parse(text).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_structure_is_one_calendar_with_its_events() -> None:
    text = ics(make_shift(), make_shift(id=43, location="Square"))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    cal = parse(text)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]) == PRODID
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["X-WR-CALNAME"]) == "Rota shifts"
    events = cal.walk("VEVENT")
    assert [str(e["LOCATION"]) for e in events] == ["Market", "Square"]
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED", "STATUS"):
            assert prop in event, prop
    assert cal.walk("VEVENT")[0].subcomponents == []


def test_member_text_comes_back_exactly_as_typed() -> None:
    shift = make_shift(location=HOSTILE_WHERE, notes=HOSTILE_NOTES)
    event = only_event(ics(shift, summary=f"Shift #42: {HOSTILE_WHERE}"))
    assert str(event["SUMMARY"]) == f"Shift #42: {HOSTILE_WHERE}"
    assert str(event["LOCATION"]) == HOSTILE_WHERE
    assert str(event["DESCRIPTION"]) == NOTES_AS_READ


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("St_Mary_Hall *upstairs*", "St_Mary_Hall *upstairs*"),
        ("C:\\new", "C:\\new"),
        ("a;b,c", "a;b,c"),
        ("\\n is not a newline", "\\n is not a newline"),
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\ntwo", "one\ntwo"),
        ("one\n\ntwo", "one\n\ntwo"),
        ("tab\tkept", "tab\tkept"),
        ("".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f", ""),
        ("a\x00b\x08c\x0bd\x0ce\x1ff\x85g\x9fh", "abcdefgh"),
    ],
)
def test_each_kind_of_hostile_text(typed: str, read: str) -> None:
    event = only_event(ics(make_shift(notes=typed, location=typed or "x"), summary=typed or "x"))
    assert str(event["DESCRIPTION"]) == read
    if typed:
        assert str(event["SUMMARY"]) == read and str(event["LOCATION"]) == read


def test_no_control_character_is_written_raw() -> None:
    text = ics(make_shift(location="a\x01b", notes=HOSTILE_NOTES + "\x85"), name="cal\x07endar")
    for line in text.split("\r\n"):
        assert not any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in line), repr(line)
    assert str(parse(text)["X-WR-CALNAME"]) == "calendar"


def test_escaping_follows_rfc_5545() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    assert escape_text("x\r\ny\rz") == "x\\ny\\nz"
    assert escape_text("*bold* _it_ `code`") == "*bold* _it_ `code`"


def test_times_are_utc() -> None:
    paris = timezone(timedelta(hours=1))
    local_start = datetime(2026, 12, 2, 11, 0, tzinfo=paris)  # 10:00 UTC
    shift = make_shift(starts_at=local_start, ends_at=local_start + timedelta(minutes=90))
    text = ics(shift)
    assert "DTSTART:20261202T100000Z\r\n" in text and "DTEND:20261202T113000Z\r\n" in text
    event = only_event(text)
    assert event.decoded("DTSTART") == START and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == START + timedelta(minutes=90)
    assert event.decoded("DTSTAMP") == NOW


def test_uid_is_stable_per_shift_and_distinct_between_shifts() -> None:
    first = only_event(ics(make_shift()))
    moved = only_event(
        ics(make_shift(starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=1, hours=2), revision=3))
    )
    assert str(first["UID"]) == str(moved["UID"]) == shift_uid(make_shift())
    assert str(only_event(ics(make_shift(id=43)))["UID"]) != str(first["UID"])
    assert str(only_event(ics(make_shift(guild_id=5)))["UID"]) != str(first["UID"])


def test_sequence_and_last_modified_move_with_the_revision() -> None:
    first = only_event(ics(make_shift()))
    assert first.decoded("SEQUENCE") == 0
    assert first.decoded("LAST-MODIFIED") == CREATED
    changed_at = datetime(2026, 11, 15, 18, 0, 1, tzinfo=UTC)
    moved = only_event(ics(make_shift(revision=2, updated_at=changed_at.timestamp(), location="Hall")))
    assert moved.decoded("SEQUENCE") == 2
    assert moved.decoded("LAST-MODIFIED") == changed_at
    assert moved.decoded("LAST-MODIFIED").utcoffset() == timedelta(0)
    assert moved.decoded("DTSTAMP") == NOW  # the file's time, whatever the revision


def test_a_record_without_a_change_time_has_no_last_modified() -> None:
    event = only_event(ics(make_shift(updated_at=None)))
    assert "LAST-MODIFIED" not in event and event.decoded("SEQUENCE") == 0


def test_cancelled_shifts_are_cancelled_events() -> None:
    live = only_event(ics(make_shift()))
    assert str(live["STATUS"]) == "CONFIRMED"
    gone = only_event(ics(make_shift(cancelled_at=NOW.timestamp(), cancel_reason="rain", revision=1)))
    assert str(gone["STATUS"]) == "CANCELLED" and gone.decoded("SEQUENCE") == 1


def test_lines_end_in_crlf_and_fold_at_75_octets() -> None:
    long_where = "Ünïcödé 🎪 hall, " * 20 + "é" * 80
    text = ics(make_shift(location=long_where, notes="🧤" * 100 + "\n" + "a;" * 100))
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in data.replace(b"\r\n", b"")  # no bare CR
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(len(line) > 70 for line in lines)  # something was long enough to fold
    for line in lines:
        line.decode("utf-8")  # no character is split across a fold
    event = only_event(text)
    assert str(event["LOCATION"]) == long_where
    assert str(event["DESCRIPTION"]) == "🧤" * 100 + "\n" + "a;" * 100


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_fold_counts_octets(width: int) -> None:
    char = {1: "a", 2: "é", 3: "€", 4: "🎪"}[width]
    line = "DESCRIPTION:" + char * 200
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert len(parts[0].encode("utf-8")) > 75 - width  # each line is filled as far as it can be


def test_short_lines_are_not_folded() -> None:
    assert fold("SUMMARY:" + "x" * 67) == "SUMMARY:" + "x" * 67
    assert fold("SUMMARY:" + "x" * 68) == "SUMMARY:" + "x" * 67 + "\r\n x"


def test_a_calendar_event_written_directly() -> None:
    event = CalendarEvent(
        uid="u@rota",
        starts=START,
        ends=START + timedelta(hours=1),
        summary="s",
        location="l",
        description="",
        cancelled=False,
        stamp=NOW,
    )
    parsed = only_event(calendar([event], name="n"))
    assert parsed.decoded("SEQUENCE") == 0 and "LAST-MODIFIED" not in parsed
    assert str(parsed["DESCRIPTION"]) == ""
