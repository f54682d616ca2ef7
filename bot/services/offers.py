"""Answering an offer and letting it lapse: one flow for shift handoffs and rota swaps.

An offer moves a place or a turn only with the yes of the member it was made to. The flow is the
same whatever it moves: check that the one answering is that member, move the offer on by the
state machine in `bot.domain.offers`, do what an accept means (the one part each use supplies),
end the offer, drop its lapse job and write the audit row, all in one transaction. A lapse (the
shift or the earlier turn started unanswered) runs as a durable job and ends the offer the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.domain.errors import OfferNotYours
from bot.domain.members import Actor
from bot.domain.offers import (
    OfferEvent,
    answer_event,
    ensure_not_asked_already,
    ensure_recipient,
    next_offer_status,
)
from bot.domain.records import Handoff, Rota, Shift, Swap
from bot.domain.states import OfferKind, OfferStatus
from bot.store import jobs
from bot.store import offers as offer_rows
from bot.store.database import Database, Tx

#: The job that ends an unanswered offer, per kind (names kept from before the two were one flow).
LAPSE_JOBS = {OfferKind.HANDOFF: "handoff_lapse", OfferKind.SWAP: "rota_swap_lapse"}
_LAPSE_KEYS = {OfferKind.HANDOFF: "handoff:{}", OfferKind.SWAP: "rota:swap:{}"}
#: The payload field of a lapse job that holds the offer's id, per kind.
LAPSE_ID_FIELDS = {OfferKind.HANDOFF: "handoff_id", OfferKind.SWAP: "swap_id"}


def lapse_key(kind: OfferKind, offer_id: int) -> str:
    """The key of an offer's one lapse job."""
    return _LAPSE_KEYS[kind].format(offer_id)


async def schedule_lapse(tx: Tx, kind: OfferKind, offer_id: int, at: datetime, *, now: float) -> None:
    """(Re)schedule the moment an unanswered offer ends."""
    payload = {LAPSE_ID_FIELDS[kind]: offer_id}
    await jobs.schedule(tx, LAPSE_JOBS[kind], at.timestamp(), payload, key=lapse_key(kind, offer_id), now=now)


async def refuse_repeat(
    tx: Tx, kind: OfferKind, about_id: int, *, offerer_id: int, recipient_id: int, recipient_name: str
) -> None:
    """One open question per pair (see `bot.domain.offers`), decided in the transaction that creates
    the offer, before anything is withdrawn or sent (`AlreadyAsked`)."""
    open_id = await offer_rows.open_offer_between(tx, kind, about_id, offerer_id=offerer_id, recipient_id=recipient_id)
    ensure_not_asked_already(kind, open_id, recipient_name=recipient_name)


async def withdraw(tx: Tx, kind: OfferKind, offer_id: int, *, now: float) -> bool:
    """The offerer's offer ends without an answer (they offered again, left, or it was cancelled)."""
    ended = await offer_rows.end(tx, kind, offer_id, OfferStatus.WITHDRAWN, now=now)
    await jobs.cancel(tx, lapse_key(kind, offer_id))
    return ended


async def lock_server_of(tx: Tx, kind: OfferKind, offer_id: int) -> None:
    """Take the write lock of the server an offer belongs to (before reading the offer)."""
    guild_id = await offer_rows.guild_of(tx, kind, offer_id)
    if guild_id is not None:
        await tx.lock_guild(guild_id)


@dataclass(frozen=True, slots=True)
class OfferEnded:
    """An offer that was answered or lapsed, as it now stands, and what it was about."""

    kind: OfferKind
    status: OfferStatus
    offer: Handoff | Swap
    shift: Shift | None = None  # for a handoff
    rota: Rota | None = None  # for a swap

    @property
    def offerer_id(self) -> int:
        """The member who made the offer."""
        return self.offer.offerer_id

    @property
    def recipient_id(self) -> int:
        """The member the offer was made to."""
        return self.offer.recipient_id


class OfferUse(Protocol):
    """What one kind of offer supplies to the shared flow."""

    async def load(self, tx: Tx, offer_id: int) -> Handoff | Swap | None:
        """The offer, or None if there is no such offer."""
        ...

    async def accept(self, tx: Tx, offer: Handoff | Swap, actor: Actor, now: datetime) -> None:
        """Move the place or the turns (raise a RotaError if that is no longer possible)."""
        ...

    async def ended(self, tx: Tx, offer_id: int, event: OfferEvent, actor: Actor | None) -> OfferEnded:
        """Write the audit row of the offer's end and return it as it now stands."""
        ...


@dataclass
class OfferService:
    """The shared answer and lapse flow; each kind of offer registers its `OfferUse`."""

    db: Database
    clock: Clock
    uses: dict[OfferKind, OfferUse]

    async def answer(self, kind: OfferKind, offer_id: int, actor: Actor, *, accept: bool) -> OfferEnded:
        """The member the offer was made to accepts or declines; only an accept moves anything."""
        now = self.clock.now()
        use = self.uses[kind]
        async with self.db.transaction() as tx:
            await lock_server_of(tx, kind, offer_id)
            offer = await use.load(tx, offer_id)
            if offer is None:
                raise OfferNotYours(kind, offer_id)
            ensure_recipient(kind, offer_id, recipient_id=offer.recipient_id, user_id=actor.user_id)
            event = answer_event(accept)
            status = next_offer_status(kind, offer.status, event)
            if event is OfferEvent.ACCEPT:
                await use.accept(tx, offer, actor, now)
            await offer_rows.end(tx, kind, offer_id, status, now=now.timestamp())
            await jobs.cancel(tx, lapse_key(kind, offer_id))
            return await use.ended(tx, offer_id, event, actor)

    async def lapse(self, kind: OfferKind, offer_id: int, finish: Callable[[Tx], Awaitable[bool]]) -> OfferEnded | None:
        """The lapse job: end the offer if it is still open (else nothing to say), exactly once."""
        use = self.uses[kind]
        async with self.db.transaction() as tx:
            await lock_server_of(tx, kind, offer_id)
            offer = await use.load(tx, offer_id)
            lapsed = offer is not None and await offer_rows.end(
                tx, kind, offer_id, OfferStatus.LAPSED, now=self.clock.timestamp()
            )
            ended = await use.ended(tx, offer_id, OfferEvent.LAPSE, None) if lapsed else None
            await finish(tx)
            return ended
