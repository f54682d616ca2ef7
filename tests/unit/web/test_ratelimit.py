"""Token buckets: a burst, then a steady rate, and an honest wait."""

from __future__ import annotations

from bot.web.ratelimit import RateLimiter, retry_after


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_steady_rate_per_key() -> None:
    clock = Ticks()
    limiter = RateLimiter(3, 0.5, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("a")
    assert wait == 2.0 and retry_after(wait) == "2"
    assert limiter.take("b") == 0.0  # another client is not held up
    clock.now = 2.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0


def test_forgets_idle_clients_without_losing_limits() -> None:
    clock = Ticks()
    limiter = RateLimiter(2, 1.0, clock=clock, max_keys=10)
    for n in range(10):
        limiter.take(f"idle-{n}")
    limiter.take("busy")
    limiter.take("busy")
    clock.now = 5.0
    limiter.take("new")  # over the limit of keys: the idle ones (full again) are forgotten
    assert limiter.take("busy") == 0.0 and len(limiter._buckets) <= 3
