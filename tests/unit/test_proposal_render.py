"""How proposals read: every outcome reason worded, audit lines for every proposal action."""

from __future__ import annotations

import pytest

from bot.domain.decisions import OutcomeReason, Rule, Tally, decide
from bot.domain.records import AuditEntry
from bot.ui import proposal_render as render
from bot.ui.audit_text import describe


@pytest.mark.parametrize(
    ("rule", "tally", "quorum", "expected"),
    [
        (Rule.CONSENT, Tally(agree=2), 0, "passes"),
        (Rule.CONSENT, Tally(agree=1), 3, "only 1 of the 3 members needed"),
        (Rule.CONSENT, Tally(agree=4, block=2), 0, "fails: 2 blocks"),
        (Rule.CONSENSUS, Tally(agree=4, disagree=1), 0, "consensus needs nobody disagreeing"),
        (Rule.MAJORITY, Tally(agree=1, disagree=1, block=1), 0, "1 agree against 2 disagree or block"),
        (Rule.MAJORITY, Tally(agree=2, block=2), 0, "a tie, 2 agree against 2"),
    ],
)
def test_every_reason_is_worded(rule: Rule, tally: Tally, quorum: int, expected: str) -> None:
    assert expected in render.reason_text(decide(rule, tally, quorum), tally, quorum)


def test_every_reason_has_words() -> None:
    tally = Tally()
    for reason in OutcomeReason:
        outcome = type(decide(Rule.CONSENT, tally, 0))(False, True, reason)
        assert render.reason_text(outcome, tally, 0)


def test_each_rule_is_one_sentence() -> None:
    for rule in Rule:
        sentence = render.rule_sentence(rule.value)
        assert sentence.endswith(".") and sentence.count(". ") == 0


@pytest.mark.parametrize(
    ("action", "detail", "expected"),
    [
        ("proposal_opened", {"title": "Buy a *megaphone*"}, "proposed proposal #7 (Buy a \\*megaphone\\*)"),
        ("position_taken", {"position": "block", "previous": "agree"}, "took a position on proposal #7: block (was"),
        ("proposal_withdrawn", {}, "withdrew proposal #7"),
        ("proposal_closed", {"status": "failed"}, "closed proposal #7: it did not pass"),
    ],
)
def test_audit_lines(action: str, detail: dict, expected: str) -> None:
    entry = AuditEntry(1, 1, 2, "Alice", "proposals", action, "7", detail, 0.0)
    assert expected in describe(entry)
