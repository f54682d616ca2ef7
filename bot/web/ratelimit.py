"""Token buckets: a client may burst, then gets a steady rate; past it, a wait in seconds (429)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """`capacity` requests at once, then one more every `1 / per_second` seconds, per key."""

    capacity: float
    per_second: float
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000  # beyond it, keys back at full capacity are forgotten (they lose nothing)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key: (tokens, when)

    def take(self, key: str) -> float:
        """0 if the request may go ahead (one token taken), else the seconds until it may."""
        now = self.clock()
        tokens, then = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.per_second
        self._buckets[key] = (tokens - 1, now)
        if len(self._buckets) > self.max_keys:
            self._forget_full(now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        full = [k for k, (t, w) in self._buckets.items() if t + (now - w) * self.per_second >= self.capacity]
        for key in full:
            del self._buckets[key]


def retry_after(wait: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))
