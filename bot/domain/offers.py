"""Offers to one member that change nothing until they say yes: shift handoffs and rota swaps.

A place or a turn moves only with its holder's and its taker's yes, so both are the same small
state machine: an offer is PENDING until the member it was made to accepts or declines, the offerer
withdraws it (by offering again, leaving, or the shift being cancelled), or it lapses when the
shift or the earlier turn starts. Every end is final.

One open question per pair: while the member asked hasn't answered, the same member asking them
again about the same shift (a handoff) or the same rota (a swap) is refused, and nothing is sent.
Once that offer has ended, or to ask someone else, they may ask again.
"""

from __future__ import annotations

import enum

from bot.domain.errors import AlreadyAsked, OfferClosed, OfferNotYours
from bot.domain.states import OfferKind, OfferStatus


class OfferEvent(enum.Enum):
    """What can happen to an open offer."""

    ACCEPT = "accept"
    DECLINE = "decline"
    LAPSE = "lapse"
    WITHDRAW = "withdraw"


_RESULT = {
    OfferEvent.ACCEPT: OfferStatus.ACCEPTED,
    OfferEvent.DECLINE: OfferStatus.DECLINED,
    OfferEvent.LAPSE: OfferStatus.LAPSED,
    OfferEvent.WITHDRAW: OfferStatus.WITHDRAWN,
}


def answer_event(accept: bool) -> OfferEvent:
    """The event of the recipient pressing Accept or Decline."""
    return OfferEvent.ACCEPT if accept else OfferEvent.DECLINE


def next_offer_status(kind: OfferKind, current: OfferStatus, event: OfferEvent) -> OfferStatus:
    """Move an offer on; one that has ended cannot change again (`OfferClosed`)."""
    if current is not OfferStatus.PENDING:
        raise OfferClosed(kind, current)
    return _RESULT[event]


def ensure_recipient(kind: OfferKind, offer_id: int, *, recipient_id: int, user_id: int) -> None:
    """Only the member the offer was made to may answer it (nobody answers for someone else)."""
    if user_id != recipient_id:
        raise OfferNotYours(kind, offer_id)


def ensure_not_asked_already(kind: OfferKind, open_offer_id: int | None, *, recipient_name: str) -> None:
    """Refuse a second question to the same member while the first (`open_offer_id`) is unanswered."""
    if open_offer_id is not None:
        raise AlreadyAsked(kind, recipient_name)
