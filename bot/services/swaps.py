"""Swapping your next turn with another member's, who must accept (an offer; see `offers.py`).

Nothing changes until the member asked presses Accept; the offer lapses when the earlier of the
two turns starts. Accepting fixes the two turns, and the turns between them, so the rest of the
order stays as everyone saw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import RotaError, SwapStale
from bot.domain.members import Actor
from bot.domain.offers import OfferEvent
from bot.domain.records import Handoff, Rota, Swap
from bot.domain.rota import swap_turns
from bot.domain.states import OfferKind
from bot.services import offers
from bot.services.offers import OfferEnded
from bot.services.rota_turns import RotaTurns, plan_size
from bot.store import rota as rows
from bot.store.database import Database, Tx

KIND = OfferKind.SWAP
_ENDED_ACTIONS = {OfferEvent.ACCEPT: "rota_swapped", OfferEvent.DECLINE: "rota_swap_declined"}


@dataclass(frozen=True, slots=True)
class SwapOffered:
    """A new swap offer, and its rota."""

    swap: Swap
    rota: Rota


@dataclass
class SwapService:
    """Offering a swap (`offer`), and the swap's part in the shared answer and lapse flow."""

    db: Database
    clock: Clock
    turns: RotaTurns

    async def offer(
        self, guild_id: int, actor: Actor, name: str | None, *, other_id: int, other_name: str
    ) -> SwapOffered:
        """Propose swapping your next turn with `other`'s; an earlier offer of yours to someone else is
        withdrawn, and asking the same member again while they haven't answered is refused."""
        now = self.turns.now()
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            members = await rows.pool(tx, rota.id)
            ids = [m.user_id for m in members]
            turns = await self.turns.plan(tx, rota, tz, now, plan_size(members))
            swapped = swap_turns(turns, actor.user_id, other_id, ids)
            mine = next(t for t, s in zip(turns, swapped, strict=True) if t.user_id == actor.user_id != s.user_id)
            theirs = next(t for t, s in zip(turns, swapped, strict=True) if t.user_id == other_id != s.user_id)
            await offers.refuse_repeat(
                tx, KIND, rota.id, offerer_id=actor.user_id, recipient_id=other_id, recipient_name=other_name
            )
            await rows.rename(tx, rota.id, actor.user_id, actor.name)
            await self.withdraw_all(tx, rota.id, stamp, requester_id=actor.user_id)
            swap_id = await rows.create_swap(
                tx,
                rota.id,
                requester=(actor.user_id, actor.name),
                requester_turn=mine.starts,
                other=(other_id, other_name),
                other_turn=theirs.starts,
                now=stamp,
            )
            await offers.schedule_lapse(tx, KIND, swap_id, min(mine.starts, theirs.starts), now=stamp)
            detail = {
                "with": other_name,
                "mine": int(mine.starts.timestamp()),
                "theirs": int(theirs.starts.timestamp()),
            }
            await self.turns.audit(tx, rota, actor, "rota_swap_offered", detail)
            swap = await rows.get_swap(tx, swap_id)
        assert swap is not None
        return SwapOffered(swap, rota)

    async def withdraw_all(self, tx: Tx, rota_id: int, stamp: float, *, requester_id: int | None = None) -> None:
        """End a rota's open swaps without an answer: all of them, or those `requester_id` asked for."""
        for swap in await rows.pending_swaps(tx, rota_id, requester_id):
            if requester_id is None or swap.requester_id == requester_id:
                await offers.withdraw(tx, KIND, swap.id, now=stamp)

    async def withdraw_involving(self, tx: Tx, rota_id: int, user_id: int, stamp: float) -> None:
        """End the open swaps a member asked for or was asked (they left the rota)."""
        for swap in await rows.pending_swaps(tx, rota_id, user_id):
            await offers.withdraw(tx, KIND, swap.id, now=stamp)

    # --- the swap's part in the shared offer flow ----------------------------------------------

    async def load(self, tx: Tx, offer_id: int) -> Handoff | Swap | None:
        """The swap with this id."""
        return await rows.get_swap(tx, offer_id)

    async def accept(self, tx: Tx, offer: Handoff | Swap, actor: Actor, now: datetime) -> None:
        """Fix the two turns (and those between) if both are still the two members' next turns."""
        assert isinstance(offer, Swap)
        rota = await rows.get_by_id(tx, offer.rota_id)
        assert rota is not None
        now = self.turns.now()  # in whole seconds, like the turn boundaries it compares with
        tz = await self.turns.timezone(tx, rota.guild_id)
        members = await rows.pool(tx, rota.id)
        turns = await self.turns.plan(tx, rota, tz, now, plan_size(members))
        try:
            swapped = swap_turns(turns, offer.requester_id, offer.other_id, [m.user_id for m in members])
        except RotaError:
            raise SwapStale(offer.id) from None
        firsts = {t.user_id: t.starts for t in reversed(turns)}
        if firsts.get(offer.requester_id) != offer.requester_turn or firsts.get(offer.other_id) != offer.other_turn:
            raise SwapStale(offer.id)
        last = max(offer.requester_turn, offer.other_turn)
        for turn in swapped:
            if turn.starts > last:
                break
            if turn.user_id is not None:
                await rows.assign(tx, rota.id, turn.starts, turn.ends, turn.user_id, "swap", now=now.timestamp())

    async def ended(self, tx: Tx, offer_id: int, event: OfferEvent, actor: Actor | None) -> OfferEnded:
        """Audit the end of the offer (`rota_swapped`, `rota_swap_declined`, `rota_swap_lapsed`)."""
        swap = await rows.get_swap(tx, offer_id)
        assert swap is not None
        rota = await rows.get_by_id(tx, swap.rota_id)
        assert rota is not None
        if actor is None:
            await self.turns.audit(
                tx, rota, None, "rota_swap_lapsed", {"from": swap.requester_name, "with": swap.other_name}
            )
        else:
            await rows.rename(tx, rota.id, actor.user_id, actor.name)
            detail = {
                "with": swap.requester_name,
                "mine": int(swap.other_turn.timestamp()),
                "theirs": int(swap.requester_turn.timestamp()),
            }
            await self.turns.audit(tx, rota, actor, _ENDED_ACTIONS[event], detail)
        return OfferEnded(KIND, swap.status, swap, rota=rota)
