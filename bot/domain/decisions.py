"""How a group decides: tallying positions on a proposal and applying the group's own rule.

The rule is chosen by the group, not by the bot: consent (no blocks), consensus (no blocks and no
disagreement; abstaining is standing aside) or majority. Quorum counts members who took any
position, abstentions included, so a quiet proposal cannot pass on two votes when the group asked
for more.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import BadDeadline, BadQuorum, NotProposalAuthor, ReasonRequired
from bot.domain.states import Position
from bot.domain.text import clean_text, one_line

TITLE_MAX = 100
BODY_MAX = 2000
REASON_MAX = 500
DEADLINE_MIN = timedelta(minutes=10)
DEADLINE_MAX = timedelta(days=60)
QUORUM_MIN = 0
QUORUM_MAX = 1000


class Rule(enum.Enum):
    """The decision rule a proposal is judged by."""

    CONSENT = "consent"
    CONSENSUS = "consensus"
    MAJORITY = "majority"


class OutcomeReason(enum.Enum):
    """Why a proposal passed or failed, so the result card can explain it."""

    PASSED = "passed"
    QUORUM_NOT_MET = "quorum_not_met"
    BLOCKED = "blocked"
    DISAGREEMENT = "disagreement"
    NOT_ENOUGH_AGREE = "not_enough_agree"
    TIE = "tie"


@dataclass(frozen=True, slots=True)
class Tally:
    """How many members took each position."""

    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0

    @classmethod
    def from_positions(cls, positions: Iterable[Position]) -> Tally:
        """Count one position per member (the caller passes each member's latest position)."""
        counts = Counter(positions)
        return cls(
            agree=counts[Position.AGREE],
            abstain=counts[Position.ABSTAIN],
            disagree=counts[Position.DISAGREE],
            block=counts[Position.BLOCK],
        )

    @property
    def participants(self) -> int:
        """Members who took any position; what quorum counts."""
        return self.agree + self.abstain + self.disagree + self.block


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a proposal under its rule."""

    passed: bool
    quorum_met: bool
    reason: OutcomeReason


def decide(rule: Rule, tally: Tally, quorum: int) -> Outcome:
    """Apply the group's rule to the tally at close.

    Quorum first (participants >= quorum; 0 means none needed). Consent passes unless someone blocks;
    consensus also fails on any disagreement; majority passes when agrees outnumber disagrees, a
    block counting as a disagree, and a tie fails. Nobody taking a position under quorum 0 passes
    consent and consensus (silence is consent) and ties under majority.
    """
    if tally.participants < quorum:
        return Outcome(False, False, OutcomeReason.QUORUM_NOT_MET)
    if rule is Rule.MAJORITY:
        against = tally.disagree + tally.block
        if tally.agree > against:
            return Outcome(True, True, OutcomeReason.PASSED)
        if tally.agree == against:
            return Outcome(False, True, OutcomeReason.TIE)
        return Outcome(False, True, OutcomeReason.NOT_ENOUGH_AGREE)
    if tally.block:
        return Outcome(False, True, OutcomeReason.BLOCKED)
    if rule is Rule.CONSENSUS and tally.disagree:
        return Outcome(False, True, OutcomeReason.DISAGREEMENT)
    return Outcome(True, True, OutcomeReason.PASSED)


def closing_soon_at(opened_at: datetime, closes_at: datetime) -> datetime:
    """When to post the "closing soon" nudge: a day before the close, or halfway if open < 2 days."""
    length = closes_at - opened_at
    if length >= timedelta(days=2):
        return closes_at - timedelta(days=1)
    return opened_at + length / 2


@dataclass(frozen=True, slots=True)
class ProposalDraft:
    """A validated proposal, ready for the store."""

    title: str
    body: str
    closes_in: timedelta
    quorum: int


def validate_deadline(closes_in: timedelta) -> timedelta:
    """A proposal stays open 10 minutes .. 60 days (`BadDeadline(value, low, high)`)."""
    if not DEADLINE_MIN <= closes_in <= DEADLINE_MAX:
        raise BadDeadline(closes_in, DEADLINE_MIN, DEADLINE_MAX)
    return closes_in


def validate_quorum(quorum: int) -> int:
    """A quorum is 0 .. 1000 members (`BadQuorum(value, low, high)`)."""
    if not QUORUM_MIN <= quorum <= QUORUM_MAX:
        raise BadQuorum(quorum, QUORUM_MIN, QUORUM_MAX)
    return quorum


def validate_proposal(title: str, body: str, closes_in: timedelta, quorum: int) -> ProposalDraft:
    """Check a new proposal in the order of the form; the title is folded onto one line."""
    clean_title = one_line(clean_text(title, field="title", max_len=TITLE_MAX))
    clean_body = clean_text(body, field="body", max_len=BODY_MAX)
    return ProposalDraft(clean_title, clean_body, validate_deadline(closes_in), validate_quorum(quorum))


def validate_position(position: Position, reason: str | None) -> str | None:
    """Check a member's stated reason: required for a block (`ReasonRequired`), at most 500 chars.

    Returns the cleaned reason, or None when none was given.
    """
    cleaned = clean_text(reason or "", field="reason", max_len=REASON_MAX, required=False)
    if position is Position.BLOCK and not cleaned:
        raise ReasonRequired(position)
    return cleaned or None


def ensure_author(*, proposal_id: int, author_id: int, user_id: int) -> None:
    """Only the member who made a proposal may withdraw it (no role grants more power)."""
    if user_id != author_id:
        raise NotProposalAuthor(proposal_id)
