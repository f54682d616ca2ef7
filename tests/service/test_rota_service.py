"""Rota use cases on a real database: pool, fair order, hand-over jobs, away, pass, swap, settings."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.domain.errors import (
    AlreadyInRota,
    AwayReversed,
    BadRotaName,
    BadTurnTime,
    NobodyToTakeTurn,
    NotAway,
    NotInRota,
    OfferClosed,
    OfferNotYours,
    SwapNotInRota,
    SwapWithSelf,
    TimeInPast,
    UnknownRota,
)
from bot.domain.settings import MissingPermission
from bot.domain.states import OfferKind, OfferStatus
from bot.scheduler import JobRun
from bot.services import Services
from bot.services.offers import LAPSE_JOBS
from bot.services.rota_turns import HANDOVER_JOB
from bot.store import jobs as job_rows

from .conftest import GUILD, OTHER_GUILD, START, member

# START is Tuesday 2026-12-01 09:00 UTC; the default turn runs Monday 18:00 to Monday 18:00.
TURN_END = datetime(2026, 12, 7, 18, tzinfo=UTC)
WEEK = timedelta(weeks=1)


def uid(n: int) -> int:
    return member(n).user_id


@pytest.fixture
def rota_jobs(services: Services) -> Services:
    """Wire the rota's job handlers as the cog does."""

    async def hand_over(run: JobRun) -> None:
        await services.rota_turns.hand_over(int(run.job.payload["rota_id"]), int(run.job.payload["at"]), run.finish)

    async def lapse(run: JobRun) -> None:
        await services.offers.lapse(OfferKind.SWAP, int(run.job.payload["swap_id"]), run.finish)

    services.scheduler.register(HANDOVER_JOB, hand_over)
    services.scheduler.register(LAPSE_JOBS[OfferKind.SWAP], lapse)
    return services


async def run_due(services: Services, clock: ManualClock) -> int:
    ran = 0
    while due := await job_rows.take_due(
        services.db, clock.timestamp(), 50, owner=services.scheduler.owner, lease_until=clock.timestamp() + 60
    ):
        for job in due:
            await services.scheduler.run_job(job)
            ran += 1
    return ran


async def travel(services: Services, clock: ManualClock, until: datetime) -> None:
    clock.advance((until - clock.now()).total_seconds())
    await run_due(services, clock)


async def actions(services: Services) -> list[str]:
    return [r[0] for r in await services.db.fetchall("SELECT action FROM audit_log ORDER BY id")]


async def holder(services: Services) -> int | None:
    view = await services.rota.overview(GUILD, None)
    return view.current.user_id if view.current else None


async def upcoming(services: Services, name: str | None = None) -> list[int | None]:
    return [t.user_id for t in (await services.rota.overview(GUILD, name)).upcoming]


async def join(services: Services, *ns: int) -> None:
    for n in ns:
        await services.rota.join(GUILD, member(n), None)


async def test_first_joiner_holds_the_running_turn_and_others_follow_in_joining_order(services: Services) -> None:
    first = await services.rota.join(GUILD, member(1), None)
    assert first.handover is not None and first.handover.holder_id == uid(1) and first.handover.reason == "joined"
    assert first.handover.ends == TURN_END
    await join(services, 2, 3)
    assert await holder(services) == uid(1)
    assert await upcoming(services) == [uid(2), uid(3), uid(1), uid(2), uid(3)]
    assert await actions(services) == ["rota_joined", "rota_handover", "rota_joined", "rota_joined"]
    pending = await services.db.fetchall("SELECT key, due_at FROM jobs WHERE state = 'pending'")
    assert [(r[0], r[1]) for r in pending] == [(f"rota:1:handover:{int(TURN_END.timestamp())}", TURN_END.timestamp())]
    assert (await services.rota.overview(OTHER_GUILD, None)).members == []


async def test_joining_twice_leaving_unjoined_and_unknown_rotas_are_refused(services: Services) -> None:
    await join(services, 1)
    with pytest.raises(AlreadyInRota):
        await services.rota.join(GUILD, member(1), "facilitator")
    with pytest.raises(NotInRota):
        await services.rota.leave(GUILD, member(2), None)
    with pytest.raises(UnknownRota):
        await services.rota.join(GUILD, member(2), "tech")
    assert await actions(services) == ["rota_joined", "rota_handover"]


async def test_hand_over_at_the_boundary_schedules_exactly_the_next_one(
    rota_jobs: Services, clock: ManualClock
) -> None:
    await join(rota_jobs, 1, 2, 3)
    await travel(rota_jobs, clock, TURN_END)
    assert await holder(rota_jobs) == uid(2)
    pending = await rota_jobs.db.fetchall("SELECT due_at FROM jobs WHERE state = 'pending'")
    assert [r[0] for r in pending] == [(TURN_END + WEEK).timestamp()]
    await travel(rota_jobs, clock, TURN_END + WEEK)
    assert await holder(rota_jobs) == uid(3)
    assert (await actions(rota_jobs)).count("rota_handover") == 3


async def test_a_hand_over_missed_while_down_happens_once_for_the_running_turn(
    rota_jobs: Services, clock: ManualClock
) -> None:
    await join(rota_jobs, 1, 2, 3)
    clock.advance((TURN_END + 2 * WEEK + timedelta(days=1) - clock.now()).total_seconds())
    assert await run_due(rota_jobs, clock) == 1
    view = await rota_jobs.rota.overview(GUILD, None)
    assert view.current is not None and view.current.user_id == uid(2)
    assert view.current.starts == TURN_END + 2 * WEEK
    assert (await actions(rota_jobs)).count("rota_handover") == 2
    assert await run_due(rota_jobs, clock) == 0


async def test_over_many_turns_counts_differ_by_at_most_one(rota_jobs: Services, clock: ManualClock) -> None:
    await join(rota_jobs, 1, 2, 3, 4)
    for week in range(10):
        await travel(rota_jobs, clock, TURN_END + week * WEEK)
    counts = Counter(r[0] for r in await rota_jobs.db.fetchall("SELECT user_id FROM rota_turns WHERE status = 'held'"))
    assert max(counts.values()) - min(counts.values()) <= 1 and len(counts) == 4


async def test_away_skips_the_next_holder_tells_the_new_one_and_back_restores(
    services: Services, clock: ManualClock
) -> None:
    await join(services, 1, 2, 3)
    change = await services.rota.away(GUILD, member(2), None, starts=None, until="2026-12-10 12:00")
    assert change.tell_next is not None and change.tell_next.user_id == uid(3)
    assert await upcoming(services) == [uid(3), uid(2), uid(1), uid(3), uid(2)]
    back = await services.rota.back(GUILD, member(2), None)
    assert back.tell_next is None  # member 2 is next again, and was the one acting
    assert await upcoming(services) == [uid(2), uid(3), uid(1), uid(2), uid(3)]
    with pytest.raises(NotAway):
        await services.rota.back(GUILD, member(2), None)
    assert (await actions(services))[-2:] == ["rota_away", "rota_back"]


async def test_away_input_is_checked_and_changes_nothing(services: Services) -> None:
    await join(services, 1, 2)
    before = await actions(services)
    with pytest.raises(AwayReversed):
        await services.rota.away(GUILD, member(2), None, starts="2026-12-10 10:00", until="2026-12-09 10:00")
    with pytest.raises(TimeInPast):
        await services.rota.away(GUILD, member(2), None, starts=None, until="2026-11-20 10:00")
    with pytest.raises(NotInRota):
        await services.rota.away(GUILD, member(5), None, starts=None, until="2026-12-20 10:00")
    assert await actions(services) == before
    assert await services.db.fetchval("SELECT COUNT(*) FROM rota_away") == 0


async def test_a_date_alone_means_whole_days(services: Services) -> None:
    await join(services, 1)
    change = await services.rota.away(GUILD, member(1), None, starts="2026-12-10", until="2026-12-12")
    assert change.away is not None
    assert change.away.starts == datetime(2026, 12, 10, tzinfo=UTC)
    assert change.away.ends == datetime(2026, 12, 13, tzinfo=UTC)


async def test_passing_the_running_turn_hands_it_on_now_without_credit(services: Services, clock: ManualClock) -> None:
    await join(services, 1, 2, 3)
    clock.advance(3600)
    change = await services.rota.pass_turn(GUILD, member(1), None)
    assert change.handover is not None and change.handover.holder_id == uid(2)
    assert change.handover.previous_id == uid(1) and change.handover.reason == "passed"
    assert await holder(services) == uid(2)
    # Member 1 did not hold the turn: still never-held and the earliest joiner, they are next.
    assert await upcoming(services) == [uid(1), uid(3), uid(2), uid(1), uid(3)]
    history = await services.db.fetchone(
        "SELECT turns_held, last_held_at FROM rota_members WHERE user_id = ?", (uid(1),)
    )
    assert tuple(history) == (0, None)


async def test_passing_an_upcoming_turn_gives_it_to_the_next_fair_member(services: Services) -> None:
    await join(services, 1, 2, 3)
    change = await services.rota.pass_turn(GUILD, member(2), None)
    assert change.taken is not None and change.taken.user_id == uid(3) and change.taken.starts == TURN_END
    assert change.tell_next is not None and change.tell_next.user_id == uid(3)
    assert await upcoming(services) == [uid(3), uid(2), uid(1), uid(3), uid(2)]
    assert (await actions(services))[-1] == "rota_passed"


async def test_a_pass_with_nobody_else_available_is_refused(services: Services) -> None:
    await join(services, 1)
    with pytest.raises(NobodyToTakeTurn):
        await services.rota.pass_turn(GUILD, member(1), None)
    assert await holder(services) == uid(1)


async def test_swap_accepted_exchanges_the_two_turns_only(services: Services) -> None:
    await join(services, 1, 2, 3, 4)
    assert await upcoming(services) == [uid(2), uid(3), uid(4), uid(1), uid(2)]
    offer = await services.swaps.offer(GUILD, member(2), None, other_id=uid(4), other_name="member4")
    assert offer.swap.requester_turn == TURN_END and offer.swap.other_turn == TURN_END + 2 * WEEK
    assert await upcoming(services) == [uid(2), uid(3), uid(4), uid(1), uid(2)]  # nothing yet
    with pytest.raises(OfferNotYours):
        await services.offers.answer(OfferKind.SWAP, offer.swap.id, member(3), accept=True)
    done = await services.offers.answer(OfferKind.SWAP, offer.swap.id, member(4), accept=True)
    assert done.status is OfferStatus.ACCEPTED and done.offer.status is OfferStatus.ACCEPTED
    assert await upcoming(services) == [uid(4), uid(3), uid(2), uid(1), uid(4)]
    with pytest.raises(OfferClosed):
        await services.offers.answer(OfferKind.SWAP, offer.swap.id, member(4), accept=False)
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs WHERE key LIKE 'rota:swap:%'") == 0


async def test_swap_declined_changes_nothing(services: Services) -> None:
    await join(services, 1, 2, 3)
    offer = await services.swaps.offer(GUILD, member(2), None, other_id=uid(3), other_name="member3")
    done = await services.offers.answer(OfferKind.SWAP, offer.swap.id, member(3), accept=False)
    assert done.status is OfferStatus.DECLINED
    assert await upcoming(services) == [uid(2), uid(3), uid(1), uid(2), uid(3)]
    assert (await actions(services))[-2:] == ["rota_swap_offered", "rota_swap_declined"]


async def test_bad_swaps_are_refused(services: Services) -> None:
    await join(services, 1, 2)
    with pytest.raises(SwapWithSelf):
        await services.swaps.offer(GUILD, member(2), None, other_id=uid(2), other_name="member2")
    with pytest.raises(SwapNotInRota):
        await services.swaps.offer(GUILD, member(2), None, other_id=uid(9), other_name="member9")
    with pytest.raises(NotInRota):
        await services.swaps.offer(GUILD, member(9), None, other_id=uid(2), other_name="member2")
    assert await services.db.fetchval("SELECT COUNT(*) FROM rota_swaps") == 0


async def test_an_unanswered_swap_lapses_when_the_earlier_turn_starts(rota_jobs: Services, clock: ManualClock) -> None:
    await join(rota_jobs, 1, 2, 3)
    offer = await rota_jobs.swaps.offer(GUILD, member(2), None, other_id=uid(3), other_name="member3")
    await travel(rota_jobs, clock, TURN_END)
    assert await holder(rota_jobs) == uid(2)
    with pytest.raises(OfferClosed):
        await rota_jobs.offers.answer(OfferKind.SWAP, offer.swap.id, member(3), accept=True)
    assert "rota_swap_lapsed" in await actions(rota_jobs)


async def test_leaving_while_holding_hands_on_and_rejoining_does_not_jump_the_queue(
    rota_jobs: Services, clock: ManualClock
) -> None:
    await join(rota_jobs, 1, 2, 3)
    await travel(rota_jobs, clock, TURN_END)  # member 2 holds
    clock.advance(3600)
    change = await rota_jobs.rota.leave(GUILD, member(2), None)
    assert change.handover is not None and change.handover.holder_id == uid(3)
    assert change.handover.previous_id == uid(2) and change.handover.reason == "left"
    assert await holder(rota_jobs) == uid(3)
    await rota_jobs.rota.join(GUILD, member(2), None)
    # Member 2 keeps their history (they held part of a turn), so member 1 goes first.
    assert await upcoming(rota_jobs) == [uid(1), uid(2), uid(3), uid(1), uid(2)]


async def test_the_last_member_leaving_stops_the_hand_overs(rota_jobs: Services) -> None:
    await join(rota_jobs, 1)
    change = await rota_jobs.rota.leave(GUILD, member(1), None)
    assert change.handover is not None and change.handover.holder_id is None
    assert await rota_jobs.db.fetchval("SELECT COUNT(*) FROM jobs WHERE state = 'pending'") == 0
    assert await holder(rota_jobs) is None


async def test_configure_needs_manage_server_adds_rotas_and_moves_the_next_hand_over(services: Services) -> None:
    with pytest.raises(MissingPermission):
        await services.rota.configure(GUILD, member(1), "note-taker")
    with pytest.raises(BadRotaName):
        await services.rota.configure(GUILD, member(0, admin=True), "Note Taker!")
    with pytest.raises(BadTurnTime):
        await services.rota.configure(GUILD, member(0, admin=True), "facilitator", at="25:00")
    added = await services.rota.configure(GUILD, member(0, admin=True), "note-taker", length_days=1, at="09:30")
    assert added.created and added.rota.turn_length_days == 1
    assert await services.rota.names(GUILD) == ["facilitator", "note-taker"]
    await services.rota.join(GUILD, member(1), "note-taker")
    view = await services.rota.overview(GUILD, "note-taker")
    assert view.rota.next_handover_at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    changed = await services.rota.configure(GUILD, member(0, admin=True), "note-taker", length_days=7, weekday=4)
    assert changed.changes == {"turn_length_days": 7, "anchor_weekday": 4}
    view = await services.rota.overview(GUILD, "note-taker")
    friday = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    assert view.rota.next_handover_at == friday and view.current is not None and view.current.ends == friday
    keys = [r[0] for r in await services.db.fetchall("SELECT key FROM jobs WHERE state = 'pending'")]
    assert keys == [f"rota:{view.rota.id}:handover:{int(friday.timestamp())}"]
    assert (await actions(services))[-1] == "rota_configured"
    assert friday > START
