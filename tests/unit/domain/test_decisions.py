"""Decision rules: an every-rule table of tallies, quorum edges, deadlines and validation."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.decisions import (
    Outcome,
    OutcomeReason,
    Position,
    Rule,
    Tally,
    closing_soon_at,
    decide,
    validate_position,
    validate_proposal,
)
from bot.domain.errors import BadDeadline, BadQuorum, ReasonRequired, TextRequired, TextTooLong

P = OutcomeReason.PASSED
Q = OutcomeReason.QUORUM_NOT_MET
B = OutcomeReason.BLOCKED
D = OutcomeReason.DISAGREEMENT
N = OutcomeReason.NOT_ENOUGH_AGREE
T = OutcomeReason.TIE

# (agree, abstain, disagree, block), quorum, expected reason for consent / consensus / majority
TABLE = [
    ((3, 0, 0, 0), 0, P, P, P),
    ((0, 0, 0, 0), 0, P, P, T),  # nobody spoke, no quorum asked: silence is consent; majority ties 0-0
    ((0, 0, 0, 0), 1, Q, Q, Q),
    ((2, 1, 0, 0), 3, P, P, P),  # quorum met exactly, abstentions count towards it
    ((2, 0, 0, 0), 3, Q, Q, Q),  # one short of quorum
    ((0, 3, 0, 0), 3, P, P, T),  # all standing aside
    ((3, 0, 1, 0), 0, P, D, P),  # disagreement fails consensus only
    ((3, 0, 0, 1), 0, B, B, P),  # a block stops consent and consensus; counts as a disagree in majority
    ((3, 0, 2, 1), 0, B, B, T),  # 3 agree vs 2 disagree + 1 block: tie
    ((2, 5, 2, 0), 0, P, D, T),  # majority tie fails
    ((1, 0, 2, 0), 0, P, D, N),
    ((1, 0, 0, 2), 0, B, B, N),
    ((4, 0, 3, 0), 7, P, D, P),
    ((4, 0, 3, 0), 8, Q, Q, Q),
    ((0, 0, 0, 1), 1, B, B, N),
    ((1, 0, 0, 0), 1, P, P, P),  # quorum of one met by one agree
    ((1, 0, 0, 0), 2, Q, Q, Q),
    ((0, 0, 1, 0), 1, P, D, N),  # a lone disagree: consent still passes (only a block stops it)
    ((1, 1, 1, 0), 3, P, D, T),  # quorum met exactly by a tie under majority
    ((1, 1, 1, 0), 4, Q, Q, Q),  # the same tally one short of quorum: quorum is checked first
    ((2, 0, 0, 1), 3, B, B, P),  # 2 agree beat 1 block under majority
    ((0, 1, 0, 0), 0, P, P, T),  # a lone abstention: majority ties 0-0
    ((5, 0, 4, 0), 0, P, D, P),  # majority by one
]


@pytest.mark.parametrize(("counts", "quorum", "consent", "consensus", "majority"), TABLE)
def test_every_rule(counts, quorum, consent, consensus, majority):
    tally = Tally(*counts)
    for rule, reason in ((Rule.CONSENT, consent), (Rule.CONSENSUS, consensus), (Rule.MAJORITY, majority)):
        outcome = decide(rule, tally, quorum)
        assert outcome == Outcome(reason is P, reason is not Q, reason), rule


def test_tally_from_positions_counts_each_position():
    tally = Tally.from_positions(
        [Position.AGREE, Position.AGREE, Position.BLOCK, Position.ABSTAIN, Position.DISAGREE, Position.AGREE]
    )
    assert tally == Tally(agree=3, abstain=1, disagree=1, block=1)
    assert tally.participants == 6
    assert Tally.from_positions([]) == Tally()


def test_enum_values_are_the_stored_names():
    assert [rule.value for rule in Rule] == ["consent", "consensus", "majority"]
    assert Rule("majority") is Rule.MAJORITY
    assert Position("block") is Position.BLOCK


def test_closing_soon_a_day_before_or_halfway():
    opened = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert closing_soon_at(opened, opened + timedelta(days=7)) == opened + timedelta(days=6)
    assert closing_soon_at(opened, opened + timedelta(days=2)) == opened + timedelta(days=1)
    assert closing_soon_at(opened, opened + timedelta(hours=47)) == opened + timedelta(hours=23, minutes=30)
    assert closing_soon_at(opened, opened + timedelta(minutes=10)) == opened + timedelta(minutes=5)


def test_validate_proposal_cleans_and_keeps_values():
    title, body = "  Buy a\nmegaphone\u200b ", " We need one.\n\nThoughts? "
    draft = validate_proposal(title, body, timedelta(days=3), 5)
    assert draft.title == "Buy a megaphone"
    assert draft.body == "We need one.\n\nThoughts?"
    assert draft.closes_in == timedelta(days=3)
    assert draft.quorum == 5


@pytest.mark.parametrize(
    ("title", "body", "error"),
    [
        ("", "body", TextRequired("title")),
        ("t" * 101, "body", TextTooLong("title", 100, 101)),
        ("title", " ", TextRequired("body")),
        ("title", "b" * 2001, TextTooLong("body", 2000, 2001)),
    ],
)
def test_validate_proposal_text_errors(title, body, error):
    with pytest.raises(type(error)) as caught:
        validate_proposal(title, body, timedelta(days=1), 0)
    assert caught.value == error


def test_validate_proposal_text_limits_are_inclusive():
    draft = validate_proposal("t" * 100, "b" * 2000, timedelta(minutes=10), 1000)
    assert len(draft.title) == 100
    assert validate_proposal("t", "b", timedelta(days=60), 0).quorum == 0


@pytest.mark.parametrize("closes_in", [timedelta(minutes=9, seconds=59), timedelta(days=60, seconds=1)])
def test_bad_deadline(closes_in):
    with pytest.raises(BadDeadline) as caught:
        validate_proposal("t", "b", closes_in, 0)
    assert caught.value == BadDeadline(closes_in, timedelta(minutes=10), timedelta(days=60))


@pytest.mark.parametrize("quorum", [-1, 1001])
def test_bad_quorum(quorum):
    with pytest.raises(BadQuorum) as caught:
        validate_proposal("t", "b", timedelta(days=1), quorum)
    assert caught.value == BadQuorum(quorum, 0, 1000)


def test_block_needs_a_reason():
    with pytest.raises(ReasonRequired) as caught:
        validate_position(Position.BLOCK, "  \u200b ")
    assert caught.value == ReasonRequired(Position.BLOCK)
    with pytest.raises(ReasonRequired):
        validate_position(Position.BLOCK, None)
    assert validate_position(Position.BLOCK, " unsafe for newcomers ") == "unsafe for newcomers"


def test_other_positions_take_an_optional_reason():
    assert validate_position(Position.AGREE, None) is None
    assert validate_position(Position.DISAGREE, "  ") is None
    assert validate_position(Position.ABSTAIN, "away that week") == "away that week"


def test_reason_length_limit():
    assert validate_position(Position.DISAGREE, "r" * 500) == "r" * 500
    with pytest.raises(TextTooLong) as caught:
        validate_position(Position.DISAGREE, "r" * 501)
    assert caught.value == TextTooLong("reason", 500, 501)
