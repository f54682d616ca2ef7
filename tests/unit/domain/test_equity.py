"""Equity measures against hand-computed values."""

import pytest

from bot.domain.equity import busiest_fifth_share, gini, idle_count


def test_gini_all_equal_or_all_zero_or_empty_is_zero():
    assert gini([3, 3, 3, 3]) == 0.0
    assert gini([0, 0, 0]) == 0.0
    assert gini([]) == 0.0
    assert gini([7]) == 0.0


def test_gini_one_does_everything():
    assert gini([10, 0, 0, 0, 0]) == pytest.approx(0.8)
    assert gini([0, 1]) == pytest.approx(0.5)


def test_gini_mixed_case_by_hand():
    # values 1, 2, 3, 4: sum |xi - xj| over ordered pairs = 2 * (1+2+3+1+2+1) = 20;
    # G = 20 / (2 * n^2 * mean) = 20 / (2 * 16 * 2.5) = 0.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    # values 0, 0, 2, 6: pairs 0-0:0, 0-2:2, 0-6:6 (x2 zeros), 2-6:4 -> 2+6+2+6+4 = 20, doubled 40;
    # G = 40 / (2 * 16 * 2) = 0.625
    assert gini([0, 6, 0, 2]) == pytest.approx(0.625)


def test_busiest_fifth_share():
    assert busiest_fifth_share([]) == 0.0
    assert busiest_fifth_share([0, 0]) == 0.0
    # n=5 -> top 1: 6 of 10
    assert busiest_fifth_share([6, 1, 1, 1, 1]) == pytest.approx(0.6)
    # n=6 -> top ceil(6/5)=2: (5+4) of 15
    assert busiest_fifth_share([1, 5, 2, 4, 1, 2]) == pytest.approx(0.6)
    assert busiest_fifth_share([3]) == 1.0


def test_idle_count():
    assert idle_count([0, 2, 0, 1]) == 2
    assert idle_count([]) == 0


@pytest.mark.parametrize("measure", [gini, busiest_fifth_share, idle_count])
def test_negative_counts_are_a_programming_error(measure):
    with pytest.raises(ValueError):
        measure([1, -1])
