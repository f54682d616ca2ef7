"""How offers to one member read: the question, the answers, and the end of an unanswered offer.

A handoff offers a place on a shift; a swap offers to exchange two rota turns. Both are asked the
same way (a DM with Accept and Decline) and end the same ways; only the words differ.
"""

from __future__ import annotations

from bot.domain.records import Handoff, Rota, Shift, Swap
from bot.domain.states import OfferKind, OfferStatus
from bot.services.offers import OfferEnded
from bot.ui.format import safe, ts
from bot.ui.i18n import _


def answer_label(kind: OfferKind, *, accept: bool) -> str:
    """The label of the Accept or Decline button under an offer."""
    if not accept:
        return _("Decline")
    return _("Accept the place") if kind is OfferKind.HANDOFF else _("Accept the swap")


def handoff_ask(handoff: Handoff, shift: Shift) -> str:
    """The question to the member a place is offered to."""
    return _(
        "{member} offers you their place on shift #{shift} at **{where}**, {when}. Nothing changes unless you "
        "accept; the offer ends when the shift starts.",
        member=handoff.giver_name,
        shift=shift.id,
        where=safe(shift.location),
        when=ts(shift.starts_at, "F"),
    )


def swap_ask(swap: Swap, rota: Rota) -> str:
    """The question to the member asked to swap turns."""
    earlier = min(swap.requester_turn, swap.other_turn)
    return _(
        "{member} would like to swap **{rota}** turns with you: you'd take theirs ({theirs}) and they'd take "
        "yours ({yours}). Nothing changes unless you accept; the offer ends {ends}, when the earlier turn starts.",
        member=swap.requester_name,
        rota=rota.name,
        theirs=ts(swap.requester_turn, "F"),
        yours=ts(swap.other_turn, "F"),
        ends=ts(earlier, "R"),
    )


def cannot_ask_here(recipient_name: str) -> str:
    """Their DMs are closed, and this server shows no names in public (`/setup privacy`)."""
    return _(
        "{member} doesn't accept DMs, and this server shows names only to those on the same shift, so I can't "
        "ask them in the channel either. The offer stays open until it lapses; ask them to allow DMs from "
        "server members.",
        member=recipient_name,
    )


def asked(kind: OfferKind, recipient_name: str, *, by_dm: bool) -> str:
    """The private answer to the member who made the offer."""
    if not by_dm:
        return _("{member} doesn't accept DMs, so I'm asking them here.", member=recipient_name)
    if kind is OfferKind.HANDOFF:
        return _(
            "I've asked {member} by DM. You keep your place unless they accept; I'll tell you their answer.",
            member=recipient_name,
        )
    return _("I've asked {member} by DM. Nothing changes unless they accept.", member=recipient_name)


def answered(ended: OfferEnded) -> tuple[str, str]:
    """(what the member who answered now reads, the DM to the member who made the offer)."""
    accepted = ended.status is OfferStatus.ACCEPTED
    offer = ended.offer
    if isinstance(offer, Handoff):
        shift = ended.shift
        assert shift is not None
        if accepted:
            return (
                _(
                    "Done: the place on shift #{shift} at {where}, {when}, is yours.",
                    shift=shift.id,
                    where=safe(shift.location),
                    when=ts(shift.starts_at, "F"),
                ),
                _(
                    "{member} accepted your place on shift #{shift}. It's theirs now; thank you.",
                    member=offer.recipient_name,
                    shift=shift.id,
                ),
            )
        return (
            _("You declined the place on shift #{shift}. Nothing changed.", shift=shift.id),
            _(
                "{member} declined your place on shift #{shift}; you still hold it.",
                member=offer.recipient_name,
                shift=shift.id,
            ),
        )
    assert ended.rota is not None
    rota = ended.rota.name
    if accepted:
        return (
            _("Swapped: your **{rota}** turn is now {when}.", rota=rota, when=ts(offer.requester_turn, "F")),
            _(
                "{member} accepted: your **{rota}** turn is now {when}.",
                member=offer.other_name,
                rota=rota,
                when=ts(offer.other_turn, "F"),
            ),
        )
    return (
        _("You declined the swap. Nothing changed."),
        _(
            "{member} declined the swap of **{rota}** turns; your turns stay as they were.",
            member=offer.other_name,
            rota=rota,
        ),
    )


def lapsed(ended: OfferEnded) -> dict[int, str]:
    """The DM to each side of an offer that ended unanswered."""
    offer = ended.offer
    if isinstance(offer, Handoff):
        shift = ended.shift
        assert shift is not None
        return {
            offer.giver_id: _(
                "Your offer of a place on shift #{shift} to {member} ended unanswered when the shift started; "
                "you kept the place.",
                shift=shift.id,
                member=offer.recipient_name,
            ),
            offer.recipient_id: _(
                "The offer of a place on shift #{shift} has ended (the shift started).", shift=shift.id
            ),
        }
    assert ended.rota is not None
    text = _(
        "The offer to swap **{rota}** turns ({member} and {other}) ended unanswered when the earlier turn started. "
        "Nothing changed.",
        rota=ended.rota.name,
        member=offer.requester_name,
        other=offer.other_name,
    )
    return {offer.requester_id: text, offer.other_id: text}
