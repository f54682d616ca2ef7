"""How evenly the work is shared, for `/stats`: a group without bosses wants to see it spread.

Inputs are per-member counts (shifts done, turns facilitated, proposals written), one value per
member including those who did nothing, since idle members are part of the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _check(values: Sequence[int]) -> None:
    if any(value < 0 for value in values):
        raise ValueError("counts cannot be negative")


def gini(values: Sequence[int]) -> float:
    """Gini coefficient of the counts: 0 when all are equal (or all zero), (n-1)/n when one does all.

    Mean absolute difference over all ordered pairs divided by twice the mean, computed exactly on
    integers from the sorted values: G = (2 * sum(i * x_i) - (n + 1) * total) / (n * total), i from 1.
    """
    _check(values)
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum(rank * value for rank, value in enumerate(sorted(values), start=1))
    return (2 * weighted - (n + 1) * total) / (n * total)


def busiest_fifth_share(values: Sequence[int]) -> float:
    """Share of all the work done by the busiest fifth of members (the top ceil(n/5)); 0 if none."""
    _check(values)
    total = sum(values)
    if total == 0:
        return 0.0
    top = sorted(values, reverse=True)[: math.ceil(len(values) / 5)]
    return sum(top) / total


def idle_count(values: Sequence[int]) -> int:
    """How many members did none of this work."""
    _check(values)
    return sum(1 for value in values if value == 0)
