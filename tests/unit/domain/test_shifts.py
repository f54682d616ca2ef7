"""Shift rules: offers, edits, claims, who may be handed a place, reminder times."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import (
    BadDuration,
    BadPlaces,
    BadReminderOffset,
    HandoffRecipientOnShift,
    HandoffToBot,
    HandoffToSelf,
    MentionNotAllowed,
    NotOfferer,
    PlacesBelowTaken,
    ShiftCancelled,
    ShiftStarted,
    TextRequired,
    TextTooLong,
    TimeInPast,
    TooFarAhead,
    TooManyReminders,
)
from bot.domain.shifts import (
    ClaimKind,
    ClaimResult,
    ShiftDraft,
    claim_outcome,
    ensure_offerer,
    ensure_open,
    parse_reminder_offsets,
    validate_handoff,
    validate_new_places,
    validate_offer,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
START = NOW + timedelta(days=5)


def offer(**changes):
    values = {
        "starts_at": START,
        "duration": timedelta(hours=2),
        "places": 4,
        "where": " Market square\u200b ",
        "notes": "",
        "now": NOW,
    }
    values.update(changes)
    return validate_offer(**values)


def test_valid_offer_is_cleaned():
    draft = offer(where="  Market\nsquare ", notes=" bring leaflets \n")
    assert draft == ShiftDraft(START, timedelta(hours=2), 4, "Market square", "bring leaflets")
    assert draft.ends_at == START + timedelta(hours=2)


@pytest.mark.parametrize("places", [1, 50])
def test_places_limits_inclusive(places):
    assert offer(places=places).places == places


@pytest.mark.parametrize("places", [0, 51, -3])
def test_bad_places(places):
    with pytest.raises(BadPlaces) as caught:
        offer(places=places)
    assert caught.value == BadPlaces(places, 1, 50)


@pytest.mark.parametrize("duration", [timedelta(minutes=15), timedelta(hours=24)])
def test_duration_limits_inclusive(duration):
    assert offer(duration=duration).duration == duration


@pytest.mark.parametrize(
    ("duration", "text"), [(timedelta(minutes=14), "14m"), (timedelta(hours=24, minutes=1), "1d1m")]
)
def test_bad_duration_carries_range(duration, text):
    with pytest.raises(BadDuration) as caught:
        offer(duration=duration)
    assert caught.value == BadDuration(text, timedelta(minutes=15), timedelta(hours=24))


@pytest.mark.parametrize("starts_at", [NOW, NOW - timedelta(minutes=1)])
def test_start_must_be_in_future(starts_at):
    with pytest.raises(TimeInPast) as caught:
        offer(starts_at=starts_at)
    assert caught.value == TimeInPast(starts_at)


def test_start_at_most_a_year_ahead():
    assert offer(starts_at=NOW + timedelta(days=365)).starts_at == NOW + timedelta(days=365)
    too_far = NOW + timedelta(days=365, seconds=1)
    with pytest.raises(TooFarAhead) as caught:
        offer(starts_at=too_far)
    assert caught.value == TooFarAhead(too_far, 365)


def test_where_and_notes_errors():
    with pytest.raises(TextRequired) as required:
        offer(where=" ")
    assert required.value == TextRequired("where")
    with pytest.raises(TextTooLong) as long_where:
        offer(where="w" * 101)
    assert long_where.value == TextTooLong("where", 100, 101)
    with pytest.raises(TextTooLong) as long_notes:
        offer(notes="n" * 501)
    assert long_notes.value == TextTooLong("notes", 500, 501)
    with pytest.raises(MentionNotAllowed):
        offer(notes="@everyone come")


def test_first_error_follows_form_order():
    with pytest.raises(TimeInPast):
        offer(starts_at=NOW, places=0, where="")
    with pytest.raises(BadDuration):
        offer(duration=timedelta(0), places=0)


def test_naive_times_are_a_programming_error():
    with pytest.raises(ValueError):
        offer(starts_at=datetime(2026, 12, 5, 10))


def test_new_places():
    assert validate_new_places(requested=3, taken=3) == 3
    with pytest.raises(PlacesBelowTaken) as caught:
        validate_new_places(requested=2, taken=3)
    assert caught.value == PlacesBelowTaken(2, 3)
    with pytest.raises(BadPlaces):
        validate_new_places(requested=0, taken=0)


def test_only_offerer_edits():
    ensure_offerer(shift_id=7, offerer_id=1, user_id=1)
    with pytest.raises(NotOfferer) as caught:
        ensure_offerer(shift_id=7, offerer_id=1, user_id=2)
    assert caught.value == NotOfferer(7)


def test_open_shift_checks():
    ensure_open(shift_id=7, cancelled=False, starts_at=START, now=NOW)
    with pytest.raises(ShiftCancelled) as cancelled:
        ensure_open(shift_id=7, cancelled=True, starts_at=START, now=NOW)
    assert cancelled.value == ShiftCancelled(7)
    with pytest.raises(ShiftStarted) as started:
        ensure_open(shift_id=7, cancelled=False, starts_at=NOW, now=NOW)
    assert started.value == ShiftStarted(7)


def claim(**changes):
    values = {
        "places": 3,
        "taken": 1,
        "is_on": False,
        "waitlist_position": None,
        "waitlist_length": 0,
        "join_waitlist": False,
    }
    values.update(changes)
    return claim_outcome(**values)


def test_claim_outcomes():
    assert claim() == ClaimResult.claimed() == ClaimResult(ClaimKind.CLAIMED)
    assert claim(is_on=True) == ClaimResult.already_on()
    assert claim(waitlist_position=2, taken=3) == ClaimResult.already_waitlisted(2)
    assert claim(taken=3, waitlist_length=2, join_waitlist=True) == ClaimResult(ClaimKind.WAITLISTED, 3)
    assert ClaimResult.waitlisted(3).waitlist_position == 3


def test_full_shift_is_an_outcome_with_the_position_the_member_would_get():
    assert claim(taken=3, waitlist_length=2) == ClaimResult.full(3)
    assert claim(taken=3, waitlist_length=2).kind is ClaimKind.FULL


def test_validate_handoff():
    validate_handoff(1, 2, False)
    with pytest.raises(HandoffToSelf) as self_error:
        validate_handoff(1, 1, False)
    assert self_error.value == HandoffToSelf(1)
    with pytest.raises(HandoffToBot) as bot_error:
        validate_handoff(1, 2, True)
    assert bot_error.value == HandoffToBot(2)
    with pytest.raises(HandoffRecipientOnShift) as on_error:
        validate_handoff(1, 2, False, recipient_on_shift=True)
    assert on_error.value == HandoffRecipientOnShift(2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h,1h", (timedelta(hours=24), timedelta(hours=1))),
        ("1h, 24h", (timedelta(hours=24), timedelta(hours=1))),
        ("2h;1d;30m", (timedelta(days=1), timedelta(hours=2), timedelta(minutes=30))),
        ("1h,60m", (timedelta(hours=1),)),
        ("5m", (timedelta(minutes=5),)),
        ("7d", (timedelta(days=7),)),
        ("off", ()),
        (" OFF ", ()),
        ("none", ()),
        ("", ()),
    ],
)
def test_reminder_offsets(text, expected):
    assert parse_reminder_offsets(text) == expected


@pytest.mark.parametrize("piece", ["4m", "7d1m"])
def test_reminder_offset_range(piece):
    with pytest.raises(BadReminderOffset) as caught:
        parse_reminder_offsets(f"1h,{piece}")
    assert caught.value == BadReminderOffset(piece, timedelta(minutes=5), timedelta(days=7))


def test_reminder_offsets_errors():
    with pytest.raises(TooManyReminders) as caught:
        parse_reminder_offsets("1h,2h,3h,4h")
    assert caught.value == TooManyReminders(4, 3)
    with pytest.raises(BadDuration) as bad:
        parse_reminder_offsets("1h,soon")
    assert bad.value == BadDuration("soon")
