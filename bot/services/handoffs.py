"""Handing a place on a shift to another member, who must accept (an offer; see `offers.py`).

The giver keeps the place until the member they chose presses Accept; the offer lapses when the
shift starts. Accepting moves the place and its reminders in the same transaction as the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain import shifts as rules
from bot.domain.errors import HandoffGiverGone, HandoffRecipientOnShift, NotOnShift
from bot.domain.members import Actor
from bot.domain.offers import OfferEvent
from bot.domain.records import Handoff, Shift, Swap
from bot.domain.states import OfferKind
from bot.services import offers
from bot.services.offers import OfferEnded
from bot.services.reminders import Reminders
from bot.services.shifts import open_shift, write_shift_audit
from bot.store import shifts as rows
from bot.store.database import Database, Tx

KIND = OfferKind.HANDOFF


@dataclass(frozen=True, slots=True)
class HandoffOffered:
    """A new offer of a place, and the shift it is on."""

    handoff: Handoff
    shift: Shift


@dataclass
class HandoffService:
    """Offering a place (`offer`), and the handoff's part in the shared answer and lapse flow."""

    db: Database
    clock: Clock
    reminders: Reminders

    async def offer(
        self,
        guild_id: int,
        actor: Actor,
        shift_id: int,
        *,
        recipient_id: int,
        recipient_name: str,
        recipient_is_bot: bool,
    ) -> HandoffOffered:
        """Offer your place to a member; an earlier offer of yours on this shift to someone else is
        withdrawn, and asking the same member again while they haven't answered is refused."""
        now = self.clock.now()
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            shift = await open_shift(tx, guild_id, shift_id, now)
            if not await rows.holds_place(tx, shift_id, actor.user_id):
                raise NotOnShift(shift_id)
            rules.validate_handoff(
                actor.user_id,
                recipient_id,
                recipient_is_bot,
                recipient_on_shift=await rows.holds_place(tx, shift_id, recipient_id),
            )
            await offers.refuse_repeat(
                tx,
                KIND,
                shift_id,
                offerer_id=actor.user_id,
                recipient_id=recipient_id,
                recipient_name=recipient_name,
            )
            await self.withdraw_all(tx, shift_id, stamp, giver_id=actor.user_id)
            handoff_id = await rows.create_handoff(
                tx, shift_id, actor.user_id, actor.name, recipient_id, recipient_name, now=stamp
            )
            await offers.schedule_lapse(tx, KIND, handoff_id, shift.starts_at, now=stamp)
            await _audit(tx, shift, actor, "handoff_offered", {"to": recipient_name}, stamp)
            handoff = await rows.get_handoff(tx, handoff_id)
        assert handoff is not None
        return HandoffOffered(handoff, shift)

    async def withdraw_all(self, tx: Tx, shift_id: int, stamp: float, *, giver_id: int | None = None) -> None:
        """End the open offers on a shift (only `giver_id`'s, when given) without an answer."""
        for handoff in await rows.pending_handoffs(tx, shift_id):
            if giver_id is None or handoff.giver_id == giver_id:
                await offers.withdraw(tx, KIND, handoff.id, now=stamp)

    async def move_lapses(self, tx: Tx, shift_id: int, starts_at: datetime) -> None:
        """The shift moved: its open offers now lapse at the new start."""
        for handoff in await rows.pending_handoffs(tx, shift_id):
            await offers.schedule_lapse(tx, KIND, handoff.id, starts_at, now=self.clock.timestamp())

    # --- the handoff's part in the shared offer flow -------------------------------------------

    async def load(self, tx: Tx, offer_id: int) -> Handoff | Swap | None:
        """The handoff with this id."""
        return await rows.get_handoff(tx, offer_id)

    async def accept(self, tx: Tx, offer: Handoff | Swap, actor: Actor, now: datetime) -> None:
        """Move the place from the giver to the member who accepted, with their reminders."""
        assert isinstance(offer, Handoff)
        shift = await rows.get_any(tx, offer.shift_id)
        assert shift is not None
        await open_shift(tx, shift.guild_id, shift.id, now)
        if await rows.holds_place(tx, shift.id, actor.user_id):
            raise HandoffRecipientOnShift(actor.user_id)
        if not await rows.holds_place(tx, shift.id, offer.giver_id):
            raise HandoffGiverGone(offer.id)
        await rows.leave_waitlist(tx, shift.id, actor.user_id)
        await rows.move_place(tx, shift.id, offer.giver_id, actor.user_id, actor.name, now=now.timestamp())
        await self.reminders.drop(tx, shift.id, offer.giver_id)
        await self.reminders.schedule(tx, shift.guild_id, shift.id, shift.starts_at, actor.user_id)

    async def ended(self, tx: Tx, offer_id: int, event: OfferEvent, actor: Actor | None) -> OfferEnded:
        """Audit the end of the offer (`handoff_accepted`, `_declined`, `_lapsed`)."""
        handoff = await rows.get_handoff(tx, offer_id)
        assert handoff is not None
        shift = await rows.get_any(tx, handoff.shift_id)
        assert shift is not None
        action = f"handoff_{handoff.status.value}"
        await _audit(tx, shift, actor, action, {"from": handoff.giver_name}, self.clock.timestamp())
        return OfferEnded(KIND, handoff.status, handoff, shift=shift)


async def _audit(
    tx: Tx, shift: Shift, actor: Actor | None, action: str, detail: dict[str, object], stamp: float
) -> None:
    await write_shift_audit(tx, shift.guild_id, actor, action, shift.id, detail, at=stamp)
