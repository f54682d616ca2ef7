"""Errors carry values, compare by value, stay hashable and log readably."""

from datetime import timedelta

import pytest

from bot.domain import errors as e


def test_errors_compare_by_value_and_are_rota_errors():
    assert e.TextTooLong("where", 100, 120) == e.TextTooLong(field="where", limit=100, length=120)
    assert e.TextTooLong("where", 100, 120) != e.TextTooLong("where", 100, 121)
    assert e.ShiftNotFound(1) != e.ShiftCancelled(1)
    assert isinstance(e.PlacesBelowTaken(requested=2, taken=3), e.RotaError)


def test_errors_are_hashable_and_readable():
    error = e.BadDuration("x", timedelta(minutes=15), timedelta(hours=24))
    assert hash(error) == hash(error)
    assert str(error).startswith("BadDuration(text='x'")
    with pytest.raises(e.RotaError) as caught:
        raise e.PlacesBelowTaken(requested=2, taken=3)
    assert caught.value.taken == 3


def test_base_error_compares_by_identity():
    first = e.RotaError()
    assert first == first
    assert first != e.RotaError()
