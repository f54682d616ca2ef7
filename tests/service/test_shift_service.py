"""Shift use cases on a real database: capacity under concurrency, waitlist, handoff, audit, reminders."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.domain.errors import (
    NotOfferer,
    NotOnShift,
    OfferClosed,
    OfferNotYours,
    PlacesBelowTaken,
    ShiftCancelled,
    ShiftNotFound,
    ShiftStarted,
    TimeInPast,
)
from bot.domain.shifts import ClaimKind
from bot.domain.states import OfferKind, OfferStatus
from bot.services import Services

from .conftest import GUILD, OTHER_GUILD, member


async def offer(services: Services, places: int = 2, join: bool = True, when: str = "2026-12-05 10:00") -> int:
    shifts = await services.shifts.offer(
        GUILD, member(0), when=when, where="Market Square", places=places, duration="2h", join=join
    )
    return shifts[0].id


async def audit_actions(services: Services) -> list[str]:
    return [r[0] for r in await services.db.fetchall("SELECT action FROM audit_log ORDER BY id")]


async def test_offer_takes_first_place_and_writes_audit(services: Services) -> None:
    shift_id = await offer(services, places=3)
    details = await services.shifts.details(GUILD, shift_id)
    assert details.shift.taken == 1 and [p.user_id for p in details.holders] == [member(0).user_id]
    assert await audit_actions(services) == ["shift_offered"]
    jobs = await services.db.fetchall("SELECT key FROM jobs ORDER BY due_at")
    assert [j[0] for j in jobs] == [
        f"remind:{shift_id}:{member(0).user_id}:1440",
        f"remind:{shift_id}:{member(0).user_id}:still-coming",  # a day before, like the first reminder
        f"remind:{shift_id}:{member(0).user_id}:60",
        f"shift-checkin:{shift_id}",  # the card's moments: check-in opens (its thread is told) ...
        f"shift-start:{shift_id}",  # ... places can no longer change ...
        f"shift-end:{shift_id}",  # ... check-in is over
    ]


async def test_two_hundred_concurrent_claims_fill_exactly_the_free_places(services: Services) -> None:
    shift_id = await offer(services, places=5, join=False)
    results = await asyncio.gather(
        *(services.shifts.claim(GUILD, member(i), shift_id) for i in range(1, 201)), return_exceptions=True
    )
    claimed = [r for r in results if not isinstance(r, BaseException) and r.result.kind is ClaimKind.CLAIMED]
    full = [r for r in results if not isinstance(r, BaseException) and r.result.kind is ClaimKind.FULL]
    assert len(claimed) == 5 and len(full) == 195
    assert await services.db.fetchval("SELECT COUNT(*) FROM shift_places WHERE shift_id = ?", (shift_id,)) == 5
    assert await services.db.fetchval("SELECT taken FROM shifts WHERE id = ?", (shift_id,)) == 5
    assert (await audit_actions(services)).count("shift_claimed") == 5


async def test_concurrent_waitlist_joins_get_distinct_positions(services: Services) -> None:
    shift_id = await offer(services, places=1)
    results = await asyncio.gather(
        *(services.shifts.claim(GUILD, member(i), shift_id, join_waitlist=True) for i in range(1, 51))
    )
    positions = sorted(r.result.waitlist_position for r in results)  # type: ignore[type-var]
    assert positions == list(range(1, 51))


async def test_claiming_twice_changes_nothing(services: Services) -> None:
    shift_id = await offer(services, places=3)
    await services.shifts.claim(GUILD, member(1), shift_id)
    again = await services.shifts.claim(GUILD, member(1), shift_id)
    assert again.result.kind is ClaimKind.ALREADY_ON and again.shift.taken == 2


async def test_leaving_promotes_the_first_on_the_waitlist(services: Services) -> None:
    shift_id = await offer(services, places=1)
    await services.shifts.claim(GUILD, member(1), shift_id, join_waitlist=True)
    await services.shifts.claim(GUILD, member(2), shift_id, join_waitlist=True)
    outcome = await services.shifts.leave(GUILD, member(0), shift_id)
    assert outcome.promoted is not None and outcome.promoted.user_id == member(1).user_id
    details = await services.shifts.details(GUILD, shift_id)
    assert [p.user_id for p in details.holders] == [member(1).user_id]
    assert [p.user_id for p in details.waiting] == [member(2).user_id]
    keys = [r[0] for r in await services.db.fetchall("SELECT key FROM jobs")]
    assert all(f":{member(0).user_id}:" not in k for k in keys)
    assert any(f":{member(1).user_id}:" in k for k in keys)
    assert (await audit_actions(services))[-2:] == ["shift_left", "shift_promoted"]


async def test_late_leave_without_waitlist_is_flagged_for_announcement(services: Services, clock: ManualClock) -> None:
    shift_id = await offer(services, places=2)
    clock.advance(timedelta(days=3, hours=12).total_seconds())  # 12.5 h before the start
    outcome = await services.shifts.leave(GUILD, member(0), shift_id)
    assert outcome.late and outcome.promoted is None


async def test_rules_refuse_what_they_should_and_change_nothing(services: Services, clock: ManualClock) -> None:
    shift_id = await offer(services, places=2)
    with pytest.raises(ShiftNotFound):
        await services.shifts.claim(OTHER_GUILD, member(1), shift_id)
    with pytest.raises(NotOnShift):
        await services.shifts.leave(GUILD, member(1), shift_id)
    with pytest.raises(NotOfferer):
        await services.shifts.cancel(GUILD, member(1), shift_id, "no")
    await services.shifts.claim(GUILD, member(1), shift_id)
    with pytest.raises(PlacesBelowTaken):
        await services.shifts.edit(GUILD, member(0), shift_id, places=1)
    with pytest.raises(TimeInPast):
        await services.shifts.offer(GUILD, member(0), when="2026-11-30 10:00", where="x", places=2, duration="2h")
    before = await audit_actions(services)
    await services.shifts.cancel(GUILD, member(0), shift_id, "rain")
    with pytest.raises(ShiftCancelled):
        await services.shifts.claim(GUILD, member(2), shift_id)
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs WHERE key LIKE ?", (f"remind:{shift_id}:%",)) == 0
    assert await audit_actions(services) == [*before, "shift_cancelled"]
    other = await offer(services)
    clock.advance(timedelta(days=5).total_seconds())
    with pytest.raises(ShiftStarted):
        await services.shifts.claim(GUILD, member(3), other)


async def test_edit_moves_reminders_and_lists_who_to_tell(services: Services) -> None:
    shift_id = await offer(services, places=2)
    await services.shifts.claim(GUILD, member(1), shift_id)
    await services.shifts.claim(GUILD, member(2), shift_id, join_waitlist=True)
    [outcome] = await services.shifts.edit(GUILD, member(0), shift_id, when="2026-12-06 11:00", where="Station")
    assert outcome.time_changed and outcome.place_changed
    assert outcome.tell == [member(1).user_id, member(2).user_id]  # the waitlist hears too
    due = await services.db.fetchval("SELECT MAX(due_at) FROM jobs WHERE key LIKE ?", (f"remind:{shift_id}:%",))
    assert due == outcome.shift.starts_at.timestamp() - 3600


async def test_raising_places_promotes_waiting_members(services: Services) -> None:
    shift_id = await offer(services, places=1)
    await services.shifts.claim(GUILD, member(1), shift_id, join_waitlist=True)
    await services.shifts.claim(GUILD, member(2), shift_id, join_waitlist=True)
    await services.shifts.edit(GUILD, member(0), shift_id, places=2)
    details = await services.shifts.details(GUILD, shift_id)
    assert [p.user_id for p in details.holders] == [member(0).user_id, member(1).user_id]


async def test_handoff_moves_the_place_only_on_accept(services: Services) -> None:
    shift_id = await offer(services, places=2)
    offered = await services.handoffs.offer(
        GUILD, member(0), shift_id, recipient_id=member(1).user_id, recipient_name="member1", recipient_is_bot=False
    )
    with pytest.raises(OfferNotYours):
        await services.offers.answer(OfferKind.HANDOFF, offered.handoff.id, member(2), accept=True)
    declined = await services.offers.answer(OfferKind.HANDOFF, offered.handoff.id, member(1), accept=False)
    assert declined.status is OfferStatus.DECLINED
    assert [p.user_id for p in (await services.shifts.details(GUILD, shift_id)).holders] == [member(0).user_id]
    again = await services.handoffs.offer(
        GUILD, member(0), shift_id, recipient_id=member(1).user_id, recipient_name="member1", recipient_is_bot=False
    )
    accepted = await services.offers.answer(OfferKind.HANDOFF, again.handoff.id, member(1), accept=True)
    assert accepted.status is OfferStatus.ACCEPTED
    assert [p.user_id for p in (await services.shifts.details(GUILD, shift_id)).holders] == [member(1).user_id]
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs WHERE key LIKE 'handoff:%'") == 0


async def test_weekly_series_creates_linked_shifts(services: Services) -> None:
    shifts = await services.shifts.offer(
        GUILD, member(0), when="2026-12-05 10:00", where="Market", places=2, duration="1h", repeat="weekly", count=4
    )
    assert len(shifts) == 4
    assert {s.series_id for s in shifts} == {shifts[0].id}
    assert [(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(shifts)] == [7, 7, 7]


async def test_member_reminder_choice_reschedules_their_jobs(services: Services) -> None:
    shift_id = await offer(services, places=2)
    await services.reminders.set_reminders(GUILD, member(0), "2h")
    mine = "SELECT key FROM jobs WHERE key LIKE 'remind:%' AND kind = 'shift_reminder'"
    assert [r[0] for r in await services.db.fetchall(mine)] == [f"remind:{shift_id}:{member(0).user_id}:120"]
    await services.reminders.set_reminders(GUILD, member(0), "off")
    assert await services.db.fetchall(mine) == []
    # The server's "still coming?" question is not one of the member's reminders: it stays.
    asked = "SELECT key FROM jobs WHERE kind = 'shift_still_coming'"
    assert [r[0] for r in await services.db.fetchall(asked)] == [f"remind:{shift_id}:{member(0).user_id}:still-coming"]


async def test_an_unanswered_handoff_lapses_when_the_shift_starts(services: Services, clock: ManualClock) -> None:
    shift_id = await offer(services, places=2)
    offered = await services.handoffs.offer(
        GUILD, member(0), shift_id, recipient_id=member(1).user_id, recipient_name="member1", recipient_is_bot=False
    )
    due = await services.db.fetchval("SELECT due_at FROM jobs WHERE key = ?", (f"handoff:{offered.handoff.id}",))
    assert due == offered.shift.starts_at.timestamp()
    clock.advance(due - clock.timestamp() + 1)
    finished: list[bool] = []

    async def finish(tx) -> bool:  # type: ignore[no-untyped-def]
        finished.append(True)
        return True

    lapsed = await services.offers.lapse(OfferKind.HANDOFF, offered.handoff.id, finish)
    assert lapsed is not None and lapsed.status is OfferStatus.LAPSED and finished == [True]
    with pytest.raises(OfferClosed):
        await services.offers.answer(OfferKind.HANDOFF, offered.handoff.id, member(1), accept=True)
    assert [p.user_id for p in (await services.shifts.details(GUILD, shift_id)).holders] == [member(0).user_id]


async def test_every_view_of_the_waitlist_follows_the_one_order(services: Services, clock: ManualClock) -> None:
    """First come, first served, the lower id breaking a tie: the listing, each member's position
    and who is promoted all agree (they share `WAITLIST_ORDER`)."""
    shift_id = await offer(services, places=1)
    for n in (5, 3, 9):  # the same instant: a tie, broken by user id
        await services.shifts.claim(GUILD, member(n), shift_id, join_waitlist=True)
    clock.advance(60)
    await services.shifts.claim(GUILD, member(1), shift_id, join_waitlist=True)  # later, despite the lowest id
    expected = [member(n).user_id for n in (3, 5, 9, 1)]
    details = await services.shifts.details(GUILD, shift_id)
    assert [p.user_id for p in details.waiting] == expected
    for position, n in enumerate((3, 5, 9, 1), start=1):
        again = await services.shifts.claim(GUILD, member(n), shift_id, join_waitlist=True)
        assert again.result.kind is ClaimKind.ALREADY_WAITLISTED and again.result.waitlist_position == position
    full = await services.shifts.claim(GUILD, member(20), shift_id)
    assert full.result.kind is ClaimKind.FULL and full.result.waitlist_position == 5
    outcome = await services.shifts.leave(GUILD, member(0), shift_id)
    assert outcome.promoted is not None and outcome.promoted.user_id == member(3).user_id


async def test_reminders_already_past_are_not_scheduled(services: Services, clock: ManualClock) -> None:
    shift_id = await offer(services, places=3, when="2026-12-01 11:00")  # two hours after START
    await services.shifts.claim(GUILD, member(1), shift_id)
    keys = {r[0] for r in await services.db.fetchall("SELECT key FROM jobs WHERE key LIKE 'remind:%'")}
    assert keys == {f"remind:{shift_id}:{member(n).user_id}:60" for n in (0, 1)}  # the 24 h one is past


async def test_claims_that_arrive_together_commit_together_and_fail_alone(
    services: Services, clock: ManualClock
) -> None:
    """A burst shares one transaction, but each claim is its own part: a claim on a cancelled shift
    or on another server's shift gets its own error, and the others are kept."""
    open_id = await offer(services, places=3, join=False)
    gone_id = await offer(services, places=3, join=False)
    await services.shifts.cancel(GUILD, member(0), gone_id, "rain")
    commits: list[object] = []
    services.db.after_commit(commits.append)
    results = await asyncio.gather(
        services.shifts.claim(GUILD, member(1), open_id),
        services.shifts.claim(GUILD, member(2), gone_id),
        services.shifts.claim(OTHER_GUILD, member(3), open_id),
        services.shifts.claim(GUILD, member(4), open_id),
        return_exceptions=True,
    )
    assert len(commits) == 1  # one transaction for the four
    assert [type(r).__name__ for r in results] == ["ClaimOutcome", "ShiftCancelled", "ShiftNotFound", "ClaimOutcome"]
    details = await services.shifts.details(GUILD, open_id)
    assert sorted(p.user_id for p in details.holders) == [member(1).user_id, member(4).user_id]
    assert details.shift.taken == 2
    assert (await audit_actions(services)).count("shift_claimed") == 2
