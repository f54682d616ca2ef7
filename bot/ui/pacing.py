"""Keep message writes under Discord's per-channel limit (about 5 creates or edits per 5 s).

Every channel write the bot makes outside an interaction response goes through `ChannelPacer.slot`.
Waiting here, rather than being answered 429, lets card refreshes coalesce while they wait.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque

WRITES = 5
WINDOW = 5.2  # a little over Discord's 5 s so a sliding window never overruns its fixed one


class ChannelPacer:
    def __init__(self, writes: int = WRITES, window: float = WINDOW) -> None:
        self._writes = writes
        self._window = window
        self._recent: dict[int, deque[float]] = defaultdict(deque)
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def slot(self, channel_id: int) -> None:
        """Wait until one more write to `channel_id` stays within the limit, then count it."""
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
