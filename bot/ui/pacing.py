"""Keep writes under Discord's per-route limits: about 5 message creates or edits per 5 s in a
channel, and about as many thread-member changes per thread.

Every channel write the bot makes outside an interaction response goes through `ChannelPacer.slot`
(keyed by channel id), and every thread-member change too (keyed by `("thread-members", thread id)`).
Waiting here, rather than being answered 429, lets card refreshes coalesce while they wait; and a
burst of claims would otherwise send dozens of thread-member changes at once, which discord.py's own
bucket tracking lets overshoot when its event loop is busy.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Hashable

WRITES = 5
WINDOW = 5.2  # a little over Discord's 5 s so a sliding window never overruns its fixed one


class ChannelPacer:
    def __init__(self, writes: int = WRITES, window: float = WINDOW) -> None:
        self._writes = writes
        self._window = window
        self._recent: dict[Hashable, deque[float]] = defaultdict(deque)
        self._locks: dict[Hashable, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def slot(self, channel_id: Hashable) -> None:
        """Wait until one more write to `channel_id` (or another route's key) stays within the
        limit, then count it."""
        loop = asyncio.get_running_loop()
        async with self._locks[channel_id]:
            recent = self._recent[channel_id]
            while True:
                now = loop.time()
                while recent and now - recent[0] >= self._window:
                    recent.popleft()
                if len(recent) < self._writes:
                    recent.append(now)
                    return
                await asyncio.sleep(self._window - (now - recent[0]) + 0.01)
