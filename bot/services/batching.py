"""Short transactions that arrive together share one transaction: one trip and one commit.

During a burst (fifty members pressing Claim at once) most of a claim's cost on the database is the
trip to it and the commit, not the claim. So claims that are waiting when the database is free run
as one transaction, each in a part of its own (a savepoint): a claim that fails (the shift was
cancelled, say) is undone alone and its member gets their own error, while the others commit.
Every rule holds as before: each part decides on what the parts before it wrote, under the locks
of all the servers in the batch (taken in order of their ids, so two batches never wait on each
other in a circle).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from bot.store.database import Database, Tx

T = TypeVar("T")


@dataclass
class _Request(Generic[T]):
    guild_id: int
    work: Callable[[Tx], Awaitable[T]]
    answer: asyncio.Future[T]


@dataclass
class Batcher:
    """Runs `run(guild_id, work)` requests that wait together as one transaction."""

    db: Database
    _waiting: list[_Request[Any]] = field(default_factory=list)
    _runner: asyncio.Task[None] | None = None

    async def run(self, guild_id: int, work: Callable[[Tx], Awaitable[T]]) -> T:
        """`work(tx)` in a part of the next batch; its result, or its own error."""
        answer: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Request(guild_id, work, answer))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.get_running_loop().create_task(self._run_batches())
        return await answer

    async def _run_batches(self) -> None:
        # A task starts on the loop's next round, after every request of this round has joined.
        while self._waiting:
            batch, self._waiting = self._waiting, []
            await self._run_batch(batch)  # requests arriving meanwhile make the next batch

    async def _run_batch(self, batch: list[_Request[Any]]) -> None:
        outcomes: list[tuple[_Request[Any], BaseException | None, Any]] = []

        async def all_parts(tx: Tx) -> None:
            for guild_id in sorted({request.guild_id for request in batch}):
                await tx.lock_guild(guild_id)
            if len(batch) == 1:  # alone: the transaction itself is the part (two statements fewer)
                request = batch[0]
                outcomes.append((request, None, await request.work(tx)))  # its error undoes it all
                return
            for request in batch:
                try:
                    async with tx.part():
                        outcomes.append((request, None, await request.work(tx)))
                except Exception as exc:  # this member's error, not the batch's
                    outcomes.append((request, exc, None))

        try:
            await self.db.transaction_in_one_trip(all_parts)
        except Exception as exc:  # a lone request's own error, or the commit failed: nothing happened
            self._fail(batch, exc)
            return
        except BaseException as exc:  # cancelled: nothing happened
            self._fail(batch, exc)
            raise
        for request, error, result in outcomes:
            if request.answer.done():  # its member's task was cancelled meanwhile
                continue
            if error is not None:
                request.answer.set_exception(error)
            else:
                request.answer.set_result(result)

    @staticmethod
    def _fail(batch: list[_Request[Any]], error: BaseException) -> None:
        """The transaction was rolled back (or cancelled): nobody's change happened."""
        for request in batch:
            if not request.answer.done():
                request.answer.set_exception(error)
