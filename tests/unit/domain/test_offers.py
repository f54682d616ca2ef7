"""The offer state machine shared by shift handoffs and rota swaps."""

import pytest

from bot.domain.errors import OfferClosed, OfferNotYours
from bot.domain.offers import OfferEvent, answer_event, ensure_recipient, next_offer_status
from bot.domain.states import OfferKind, OfferStatus


@pytest.mark.parametrize("kind", list(OfferKind))
@pytest.mark.parametrize(
    ("event", "status"),
    [
        (OfferEvent.ACCEPT, OfferStatus.ACCEPTED),
        (OfferEvent.DECLINE, OfferStatus.DECLINED),
        (OfferEvent.LAPSE, OfferStatus.LAPSED),
        (OfferEvent.WITHDRAW, OfferStatus.WITHDRAWN),
    ],
)
def test_a_pending_offer_ends_in_the_state_its_event_names(kind, event, status):
    assert next_offer_status(kind, OfferStatus.PENDING, event) is status


@pytest.mark.parametrize("kind", list(OfferKind))
@pytest.mark.parametrize("ended", [s for s in OfferStatus if s is not OfferStatus.PENDING])
@pytest.mark.parametrize("event", list(OfferEvent))
def test_an_ended_offer_cannot_change_again(kind, ended, event):
    with pytest.raises(OfferClosed) as caught:
        next_offer_status(kind, ended, event)
    assert caught.value == OfferClosed(kind, ended)


def test_accept_and_decline_are_the_recipients_two_answers():
    assert answer_event(True) is OfferEvent.ACCEPT
    assert answer_event(False) is OfferEvent.DECLINE


def test_only_the_recipient_may_answer():
    ensure_recipient(OfferKind.SWAP, 7, recipient_id=2, user_id=2)
    with pytest.raises(OfferNotYours) as caught:
        ensure_recipient(OfferKind.SWAP, 7, recipient_id=2, user_id=3)
    assert caught.value == OfferNotYours(OfferKind.SWAP, 7)
