"""The pure rules of issue 16: apply now or propose, who may see a name, what retention anonymises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.governance import (
    BadRetention,
    DecidedByGroup,
    OthersNotShown,
    Route,
    ensure_may_apply,
    ensure_may_follow,
    may_see_name,
    retention_cutoff,
    settings_route,
    validate_retention_days,
)
from bot.domain.members import Actor
from bot.domain.settings import MissingPermission

ADMIN = Actor(1, "Admin", manage_guild=True)
MEMBER = Actor(2, "Member")


@pytest.mark.parametrize(
    ("governance", "actor", "route"),
    [
        ("organisers", ADMIN, Route.APPLY),  # as before: Manage Server changes at once
        ("organisers", MEMBER, Route.PROPOSE),  # a member proposes instead of being refused
        ("group", ADMIN, Route.PROPOSE),  # under group nobody changes alone, admins included
        ("group", MEMBER, Route.PROPOSE),
    ],
)
def test_one_rule_decides_apply_or_propose(governance: str, actor: Actor, route: Route) -> None:
    assert settings_route(governance, actor) is route


def test_power_flows_toward_the_group_easily_and_back_only_by_proposal() -> None:
    # organisers -> group: the admin's change is applied at once (the route is read under the
    # current governance, organisers); group -> organisers: read under group, always a proposal.
    assert settings_route("organisers", ADMIN) is Route.APPLY
    assert settings_route("group", ADMIN) is Route.PROPOSE


def test_changes_that_cannot_be_proposed_are_refused_with_the_reason() -> None:
    ensure_may_apply("organisers", ADMIN, "rota")
    with pytest.raises(MissingPermission):
        ensure_may_apply("organisers", MEMBER, "rota")
    with pytest.raises(DecidedByGroup):
        ensure_may_apply("group", ADMIN, "rota")
    with pytest.raises(ValueError):
        settings_route("anarchy", ADMIN)


def test_shown_names_are_seen_by_everyone_everywhere() -> None:
    assert may_see_name("shown", reader_id=None, subject_id=5, shares_with=frozenset())
    assert may_see_name("shown", reader_id=1, subject_id=5, shares_with=frozenset())


def test_holders_names_nobody_in_public_and_only_co_holders_privately() -> None:
    holders = frozenset({1, 2})
    assert not may_see_name("holders", reader_id=None, subject_id=1, shares_with=holders)  # a public message
    assert may_see_name("holders", reader_id=3, subject_id=3, shares_with=frozenset())  # oneself
    assert may_see_name("holders", reader_id=1, subject_id=2, shares_with=holders)  # a co-holder
    assert not may_see_name("holders", reader_id=3, subject_id=2, shares_with=holders)  # not on the shift
    assert not may_see_name("holders", reader_id=1, subject_id=5, shares_with=holders)  # not a holder
    assert not may_see_name("holders", reader_id=1, subject_id=None, shares_with=holders)


def test_following_another_member_in_the_record_is_refused_under_holders() -> None:
    ensure_may_follow("shown", 1, 2)
    ensure_may_follow("holders", 1, 1)
    with pytest.raises(OthersNotShown):
        ensure_may_follow("holders", 1, 2)


def test_retention_days_and_cutoff() -> None:
    assert validate_retention_days(1) == 1 and validate_retention_days(3650) == 3650
    for bad in (0, -1, 3651):
        with pytest.raises(BadRetention):
            validate_retention_days(bad)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert retention_cutoff(now, 180) == now - timedelta(days=180)
