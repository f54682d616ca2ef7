"""How offers to one member read: the question, the answers, and the end of an unanswered offer.

A handoff offers a place on a shift; a swap offers to exchange two rota turns. Both are asked the
same way (a DM with Accept and Decline) and end the same ways; only the words differ.
"""

from __future__ import annotations

from bot.domain.records import Handoff, Rota, Shift, Swap
from bot.domain.states import OfferKind, OfferStatus
from bot.services.offers import OfferEnded
from bot.ui.format import safe, ts

ACCEPT_LABELS = {OfferKind.HANDOFF: "Accept the place", OfferKind.SWAP: "Accept the swap"}
DECLINE_LABEL = "Decline"


def handoff_ask(handoff: Handoff, shift: Shift) -> str:
    """The question to the member a place is offered to."""
    return (
        f"{handoff.giver_name} offers you their place on shift #{shift.id} at **{safe(shift.location)}**, "
        f"{ts(shift.starts_at, 'F')}. Nothing changes unless you accept; the offer ends when the shift starts."
    )


def swap_ask(swap: Swap, rota: Rota) -> str:
    """The question to the member asked to swap turns."""
    earlier = min(swap.requester_turn, swap.other_turn)
    return (
        f"{swap.requester_name} would like to swap **{rota.name}** turns with you: you'd take theirs "
        f"({ts(swap.requester_turn, 'F')}) and they'd take yours ({ts(swap.other_turn, 'F')}). Nothing changes "
        f"unless you accept; the offer ends {ts(earlier, 'R')}, when the earlier turn starts."
    )


def asked(kind: OfferKind, recipient_name: str, *, by_dm: bool) -> str:
    """The private answer to the member who made the offer."""
    if not by_dm:
        return f"{recipient_name} doesn't accept DMs, so I'm asking them here."
    if kind is OfferKind.HANDOFF:
        return f"I've asked {recipient_name} by DM. You keep your place unless they accept; I'll tell you their answer."
    return f"I've asked {recipient_name} by DM. Nothing changes unless they accept."


def answered(ended: OfferEnded) -> tuple[str, str]:
    """(what the member who answered now reads, the DM to the member who made the offer)."""
    accepted = ended.status is OfferStatus.ACCEPTED
    offer = ended.offer
    if isinstance(offer, Handoff):
        shift = ended.shift
        assert shift is not None
        if accepted:
            where = f"{safe(shift.location)}, {ts(shift.starts_at, 'F')}"
            return (
                f"Done: the place on shift #{shift.id} at {where}, is yours.",
                f"{offer.recipient_name} accepted your place on shift #{shift.id}. It's theirs now; thank you.",
            )
        return (
            f"You declined the place on shift #{shift.id}. Nothing changed.",
            f"{offer.recipient_name} declined your place on shift #{shift.id}; you still hold it.",
        )
    assert ended.rota is not None
    rota = ended.rota.name
    if accepted:
        return (
            f"Swapped: your **{rota}** turn is now {ts(offer.requester_turn, 'F')}.",
            f"{offer.other_name} accepted: your **{rota}** turn is now {ts(offer.other_turn, 'F')}.",
        )
    return (
        "You declined the swap. Nothing changed.",
        f"{offer.other_name} declined the swap of **{rota}** turns; your turns stay as they were.",
    )


def lapsed(ended: OfferEnded) -> dict[int, str]:
    """The DM to each side of an offer that ended unanswered."""
    offer = ended.offer
    if isinstance(offer, Handoff):
        shift = ended.shift
        assert shift is not None
        return {
            offer.giver_id: f"Your offer of a place on shift #{shift.id} to {offer.recipient_name} ended "
            "unanswered when the shift started; you kept the place.",
            offer.recipient_id: f"The offer of a place on shift #{shift.id} has ended (the shift started).",
        }
    assert ended.rota is not None
    text = (
        f"The offer to swap **{ended.rota.name}** turns ({offer.requester_name} and {offer.other_name}) "
        "ended unanswered when the earlier turn started. Nothing changed."
    )
    return {offer.requester_id: text, offer.other_id: text}
