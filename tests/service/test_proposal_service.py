"""Proposal use cases on a real database: open, positions, withdrawal, durable close, passed actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.domain.decisions import OutcomeReason
from bot.domain.errors import (
    ActionBeforeClose,
    BadDeadline,
    BadDuration,
    BadPlaces,
    BadQuorum,
    NotProposalAuthor,
    ProposalClosed,
    ProposalNotFound,
    ReasonRequired,
    TextRequired,
    TextTooLong,
    TimeInPast,
)
from bot.domain.states import Position
from bot.scheduler import JobRun
from bot.services import Services
from bot.services.proposals import CLOSE_JOB, CLOSING_SOON_JOB, OUTCOME_JOB, ActionInput
from bot.store import jobs as job_rows

from .conftest import GUILD, OTHER_GUILD, member


async def audit_actions(services: Services) -> list[str]:
    rows = await services.db.fetchall("SELECT action FROM audit_log WHERE kind = 'proposals' ORDER BY id")
    return [r[0] for r in rows]


async def propose(services: Services, **kwargs) -> int:
    options = {"title": "Buy a megaphone", "body": "For the march.", "closes_in": "2d"} | kwargs
    return (await services.proposals.open(GUILD, member(0), **options)).id


async def run_due_jobs(services: Services) -> list[str]:
    """Run what is due with handlers like the cog's; return the kinds that ran."""
    ran: list[str] = []

    async def close(run: JobRun) -> None:
        await services.proposals.close(int(run.job.payload["proposal_id"]), run.finish)

    async def nothing(run: JobRun) -> None:
        return None

    services.scheduler.register(CLOSE_JOB, close)
    services.scheduler.register(CLOSING_SOON_JOB, nothing)
    services.scheduler.register(OUTCOME_JOB, nothing)
    while due := await job_rows.take_due(
        services.db,
        services.clock.timestamp(),
        50,
        owner=services.scheduler.owner,
        lease_until=services.clock.timestamp() + 60,
    ):
        for job in due:
            ran.append(job.kind)
            await services.scheduler.run_job(job)
    return ran


async def test_open_stores_it_schedules_close_and_closing_soon_and_audits(services: Services) -> None:
    proposal_id = await propose(services)
    details = await services.proposals.details(GUILD, proposal_id)
    p = details.proposal
    assert (p.title, p.rule, p.quorum, p.status) == ("Buy a megaphone", "consent", 0, "open")
    assert p.closes_at - p.opened_at == timedelta(days=2)
    jobs = await services.db.fetchall("SELECT kind, due_at FROM jobs ORDER BY due_at")
    assert [(j[0], j[1] - p.opened_at.timestamp()) for j in jobs] == [
        (CLOSING_SOON_JOB, 86400.0),
        (CLOSE_JOB, 172800.0),
    ]
    assert await audit_actions(services) == ["proposal_opened"]


async def test_defaults_come_from_the_server_settings(services: Services) -> None:
    await services.settings.change(GUILD, member(9, admin=True), {"decision_rule": "majority", "decision_minutes": 90})
    p = await services.proposals.open(GUILD, member(0), title="t", body="b")
    assert p.rule == "majority" and p.closes_at - p.opened_at == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"title": " \u200b "}, TextRequired("title")),
        ({"title": "t" * 101}, TextTooLong("title", 100, 101)),
        ({"closes_in": "9m"}, BadDeadline(timedelta(minutes=9), timedelta(minutes=10), timedelta(days=60))),
        ({"closes_in": "61d"}, BadDeadline(timedelta(days=61), timedelta(minutes=10), timedelta(days=60))),
        ({"closes_in": "soon"}, BadDuration("soon")),
        ({"quorum": -1}, BadQuorum(-1, 0, 1000)),
        ({"action": ActionInput("2026-11-30 10:00", "Square", "3")}, None),
        ({"action": ActionInput("2026-12-02 10:00", "Square", "3")}, None),
        ({"action": ActionInput("2026-12-10 10:00", "Square", "x")}, BadPlaces(0, 1, 50)),
    ],
)
async def test_bad_input_changes_nothing(services: Services, kwargs, error) -> None:
    with pytest.raises(Exception) as caught:
        await propose(services, **kwargs)
    if error is not None:
        assert caught.value == error
    else:
        assert isinstance(caught.value, TimeInPast | ActionBeforeClose)
    assert await services.db.fetchval("SELECT COUNT(*) FROM proposals") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs") == 0
    assert await audit_actions(services) == []


async def test_one_position_per_member_changeable_with_audit(services: Services) -> None:
    proposal_id = await propose(services)
    a = await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    assert a.changed and a.previous is None
    same = await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    assert not same.changed
    moved = await services.proposals.take_position(GUILD, member(1), proposal_id, Position.DISAGREE, "too loud")
    assert moved.changed and moved.previous is not None and moved.previous.position == "agree"
    await services.proposals.take_position(GUILD, member(2), proposal_id, Position.ABSTAIN)
    details = moved.details
    assert [(s.name, s.position, s.reason) for s in details.stances] == [("member1", "disagree", "too loud")]
    details = await services.proposals.details(GUILD, proposal_id)
    assert (details.tally.disagree, details.tally.abstain, details.tally.agree) == (1, 1, 0)
    assert await audit_actions(services) == ["proposal_opened", "position_taken", "position_taken", "position_taken"]


async def test_a_block_needs_a_reason_and_shows_on_the_outcome_now(services: Services) -> None:
    proposal_id = await propose(services)
    with pytest.raises(ReasonRequired):
        await services.proposals.take_position(GUILD, member(1), proposal_id, Position.BLOCK, "  ")
    await services.proposals.take_position(GUILD, member(2), proposal_id, Position.AGREE)
    assert (await services.proposals.details(GUILD, proposal_id)).outcome.passed
    change = await services.proposals.take_position(GUILD, member(1), proposal_id, Position.BLOCK, "unsafe")
    assert change.details.outcome.reason is OutcomeReason.BLOCKED


async def test_withdraw_only_by_the_author_and_only_while_open(services: Services) -> None:
    proposal_id = await propose(services)
    with pytest.raises(NotProposalAuthor):
        await services.proposals.withdraw(GUILD, member(1), proposal_id)
    with pytest.raises(ProposalNotFound):
        await services.proposals.withdraw(OTHER_GUILD, member(0), proposal_id)
    details = await services.proposals.withdraw(GUILD, member(0), proposal_id)
    assert details.proposal.status == "withdrawn"
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs") == 0
    with pytest.raises(ProposalClosed):
        await services.proposals.withdraw(GUILD, member(0), proposal_id)
    with pytest.raises(ProposalClosed):
        await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    assert await audit_actions(services) == ["proposal_opened", "proposal_withdrawn"]


async def test_close_at_the_deadline_once(services: Services, clock: ManualClock) -> None:
    proposal_id = await propose(services, rule="consensus", quorum=2)
    await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    await services.proposals.take_position(GUILD, member(2), proposal_id, Position.ABSTAIN)
    clock.advance(86400)
    assert await run_due_jobs(services) == [CLOSING_SOON_JOB]
    clock.advance(86400)
    with pytest.raises(ProposalClosed) as caught:
        await services.proposals.take_position(GUILD, member(3), proposal_id, Position.BLOCK, "late")
    assert caught.value.status == "closing"
    assert await run_due_jobs(services) == [CLOSE_JOB, OUTCOME_JOB]
    details = await services.proposals.details(GUILD, proposal_id)
    assert (details.proposal.status, details.proposal.outcome_reason) == ("passed", "passed")
    assert await run_due_jobs(services) == []
    assert await audit_actions(services) == ["proposal_opened", "position_taken", "position_taken", "proposal_closed"]


async def test_close_applies_the_quorum(services: Services, clock: ManualClock) -> None:
    proposal_id = await propose(services, quorum=3)
    await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    clock.advance(2 * 86400)
    await run_due_jobs(services)
    details = await services.proposals.details(GUILD, proposal_id)
    assert (details.proposal.status, details.proposal.outcome_reason) == ("failed", "quorum_not_met")


async def test_a_passed_action_opens_its_shift_once(services: Services, clock: ManualClock) -> None:
    action = ActionInput("2026-12-10 10:00", "Town Hall", "4")
    proposal_id = await propose(services, action=action)
    clock.advance(2 * 86400)
    await run_due_jobs(services)
    done = await services.proposals.carry_out(proposal_id)
    assert done is not None and done.problem is None and len(done.shifts) == 1
    shift = done.shifts[0]
    assert (shift.location, shift.places, shift.taken, shift.proposal_id) == ("Town Hall", 4, 0, proposal_id)
    assert shift.starts_at.isoformat() == "2026-12-10T10:00:00+00:00"
    again = await services.proposals.carry_out(proposal_id)
    assert again is not None and [s.id for s in again.shifts] == [shift.id]
    assert await services.db.fetchval("SELECT COUNT(*) FROM shifts") == 1


async def test_a_failed_action_opens_nothing(services: Services, clock: ManualClock) -> None:
    proposal_id = await propose(services, action=ActionInput("2026-12-10 10:00", "Town Hall", "4"))
    await services.proposals.take_position(GUILD, member(1), proposal_id, Position.BLOCK, "no")
    clock.advance(2 * 86400)
    await run_due_jobs(services)
    done = await services.proposals.carry_out(proposal_id)
    assert done is not None and done.shifts == [] and done.details.proposal.status == "failed"
    assert await services.db.fetchval("SELECT COUNT(*) FROM shifts") == 0


async def test_not_yet_lists_members_the_bot_knows(services: Services) -> None:
    proposal_id = await propose(services)
    await services.shifts.offer(GUILD, member(5), when="2026-12-05 10:00", where="x", places=2, duration="2h")
    await services.proposals.take_position(GUILD, member(1), proposal_id, Position.AGREE)
    details = await services.proposals.details(GUILD, proposal_id)
    assert await services.proposals.not_yet(details) == ["member0", "member5"]
    soon = await services.proposals.closing_soon(proposal_id)
    assert soon is not None and soon.not_yet == 2


async def test_autocomplete_by_title_or_number(services: Services) -> None:
    first = await propose(services, title="Buy a megaphone")
    second = await propose(services, title="Paint the banner")
    found = await services.proposals.suggestions(GUILD, "banner")
    assert [p.id for p in found] == [second]
    assert {p.id for p in await services.proposals.suggestions(GUILD, "")} == {first, second}
    assert [p.id for p in await services.proposals.suggestions(GUILD, f"#{first}")] == [first]
