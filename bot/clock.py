"""Injected time, so the scheduler and the rules can be tested by travelling in time.

Production uses `SystemClock`. End-to-end tests set ROTA_TEST_CLOCK_FILE to a file holding an
offset in seconds; the bot re-reads it so a test can move the bot's clock across a restart.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    #: Longest the scheduler may sleep before looking at the clock again (None: trust the sleep).
    poll_interval: float | None

    def now(self) -> datetime: ...

    def timestamp(self) -> float: ...


class SystemClock:
    poll_interval: float | None = None

    def timestamp(self) -> float:
        return time.time()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)


class OffsetFileClock(SystemClock):
    """Real time plus an offset read from a file (tests only)."""

    poll_interval: float | None = 0.2

    def __init__(self, path: Path) -> None:
        self._path = path
        self._mtime: int | None = None
        self._offset = 0.0

    def timestamp(self) -> float:
        try:
            mtime = self._path.stat().st_mtime_ns
            if mtime != self._mtime:
                self._mtime = mtime
                self._offset = float(self._path.read_text().strip() or 0)
        except (OSError, ValueError):
            self._offset = 0.0
        return time.time() + self._offset


class ManualClock:
    """A clock that only moves when told to (unit tests)."""

    poll_interval: float | None = 0.01

    def __init__(self, start: datetime) -> None:
        self._now = start.timestamp()

    def timestamp(self) -> float:
        return self._now

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._now, UTC)

    def advance(self, seconds: float) -> None:
        self._now += seconds
