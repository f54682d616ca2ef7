"""Where things stand: the enums that records, rules and errors all name.

They live apart, with no imports of their own, so that `errors.py` can name them without importing
the rule modules that raise those errors.
"""

from __future__ import annotations

import enum


class Position(enum.Enum):
    """A member's position on a proposal; a block is a principled objection that stops it."""

    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


class OfferKind(enum.Enum):
    """What an offer moves: a place on a shift (a handoff) or a rota turn (a swap)."""

    HANDOFF = "handoff"
    SWAP = "swap"


class OfferStatus(enum.Enum):
    """Where an offer to another member stands (a shift handoff or a rota swap).

    Only PENDING is open; every other state is final.
    """

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"
