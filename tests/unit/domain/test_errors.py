"""Errors carry values, compare by value, stay hashable and log readably."""

from datetime import timedelta

import pytest

from bot.domain import errors as e


def test_errors_compare_by_value_and_are_rota_errors():
    assert e.TextTooLong("where", 100, 120) == e.TextTooLong(field="where", limit=100, length=120)
    assert e.TextTooLong("where", 100, 120) != e.TextTooLong("where", 100, 121)
    assert e.ShiftNotFound(1) != e.ShiftCancelled(1)
    assert isinstance(e.PlacesBelowTaken(requested=2, taken=3), e.RotaError)


def test_equal_errors_hash_alike_and_work_as_set_members_and_keys():
    first = e.BadDuration("x", timedelta(minutes=15), timedelta(hours=24))
    second = e.BadDuration(text="x", low=timedelta(minutes=15), high=timedelta(hours=24))
    assert first is not second and first == second
    assert hash(first) == hash(second)
    assert {first, second} == {first} and len({first, second}) == 1
    assert second in {first}
    assert {first: "seen"}[second] == "seen"
    assert e.NobodyToTakeTurn() == e.NobodyToTakeTurn() and len({e.NobodyToTakeTurn(), e.NobodyToTakeTurn()}) == 1


def test_errors_with_different_values_or_types_are_different():
    error = e.BadDuration("x", timedelta(minutes=15), timedelta(hours=24))
    assert error != e.BadDuration("y", timedelta(minutes=15), timedelta(hours=24))
    assert error != e.BadDuration("x", timedelta(minutes=15), timedelta(hours=25))
    assert e.ShiftNotFound(1) != e.ShiftNotFound(2)
    assert e.ShiftNotFound(1) != e.ShiftCancelled(1)  # same values, another type
    kinds = {e.ShiftNotFound(1), e.ShiftNotFound(2), e.ShiftCancelled(1), e.ShiftStarted(1)}
    assert len(kinds) == 4
    assert e.ShiftNotFound(2) not in {e.ShiftNotFound(1): 1}


def test_an_unhashable_field_value_does_not_break_hashing():
    # A field typed str given a list by mistake must not turn a log line or a set into a crash.
    first, second = e.UnknownRota(["a", "b"]), e.UnknownRota(["a", "b"])  # type: ignore[arg-type]
    assert first == second and hash(first) == hash(second)
    assert len({first, second}) == 1
    assert e.UnknownRota(["c"]) not in {first}  # type: ignore[arg-type]
    # Equal values with different reprs still hash alike (a repr-based hash would not).
    assert e.UnknownRota({1: 0, 2: 0}) == e.UnknownRota({2: 0, 1: 0})  # type: ignore[arg-type]
    assert hash(e.UnknownRota({1: 0, 2: 0})) == hash(e.UnknownRota({2: 0, 1: 0}))  # type: ignore[arg-type]


def test_errors_are_readable():
    error = e.BadDuration("x", timedelta(minutes=15), timedelta(hours=24))
    assert str(error).startswith("BadDuration(text='x'")
    with pytest.raises(e.RotaError) as caught:
        raise e.PlacesBelowTaken(requested=2, taken=3)
    assert caught.value.taken == 3


def test_base_error_compares_and_hashes_by_identity():
    first, other = e.RotaError(), e.RotaError()
    assert first == first
    assert first != other
    assert len({first, other}) == 2 and first in {first}
