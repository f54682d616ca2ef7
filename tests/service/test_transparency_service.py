"""Stats, export and deletion on a real database."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.domain.states import Position
from bot.services import Services

from .conftest import GUILD, OTHER_GUILD, member


async def offer(services: Services, who: int = 0, places: int = 2, when: str = "2026-12-05 10:00") -> int:
    shifts = await services.shifts.offer(GUILD, member(who), when=when, where="Market", places=places, duration="2h")
    return shifts[0].id


async def test_stats_count_shifts_and_equity(services: Services, clock: ManualClock) -> None:
    first = await offer(services, 0, places=4)
    await services.shifts.claim(GUILD, member(1), first)
    second = await offer(services, 0, places=4, when="2026-12-06 10:00")
    clock.advance(6 * 86400)  # both shifts have happened
    stats = await services.transparency.stats(GUILD, 90)
    by_id = {p.user_id: p for p in stats.people}
    assert by_id[member(0).user_id].shifts_taken == 2 and by_id[member(0).user_id].shifts_done == 2
    assert by_id[member(1).user_id].shifts_taken == 1
    assert stats.shift_gini == pytest.approx(1 / 6)  # values [2, 1]: |2-1| * 2 / (2 * 2 * 3)
    assert stats.busiest_fifth_share == pytest.approx(2 / 3)
    assert second > first


async def test_export_holds_my_data_and_nothing_of_others(services: Services) -> None:
    mine = await offer(services, 1)
    theirs = await offer(services, 2)
    await services.shifts.claim(GUILD, member(1), theirs)
    await services.reminders.set_reminders(GUILD, member(1), "2h")
    data = await services.transparency.export(GUILD, member(1).user_id)
    assert {row["shift_id"] for row in data["shift_places"]} == {mine, theirs}
    assert [row["id"] for row in data["shifts_offered"]] == [mine]
    assert all(row["actor_id"] == member(1).user_id for row in data["audit_log"])
    assert data["reminder_preferences"][0]["reminder_offsets"] == "120m"
    elsewhere = await services.transparency.export(OTHER_GUILD, member(1).user_id)
    assert elsewhere["shift_places"] == [] and elsewhere["audit_log"] == []


async def test_delete_releases_places_promotes_and_anonymises(services: Services) -> None:
    shift_id = await offer(services, 0, places=2)
    await services.shifts.claim(GUILD, member(1), shift_id)
    await services.shifts.claim(GUILD, member(2), shift_id, join_waitlist=True)
    done = await services.transparency.delete_member(GUILD, member(1))
    assert [r.promoted.user_id for r in done.released if r.promoted] == [member(2).user_id]
    holders = [p.user_id for p in (await services.shifts.details(GUILD, shift_id)).holders]
    assert holders == [member(0).user_id, member(2).user_id]
    data = await services.transparency.export(GUILD, member(1).user_id)
    assert all(not rows for key, rows in data.items() if isinstance(rows, list)), data
    names = [r[0] for r in await services.db.fetchall("SELECT actor_name FROM audit_log")]
    assert "member1" not in names and "former member" in names
    jobs = [r[0] for r in await services.db.fetchall("SELECT key FROM jobs")]
    assert not any(f":{member(1).user_id}:" in key for key in jobs)


async def test_delete_leaves_waitlists_and_withdraws_pending_handoffs_and_open_positions(services: Services) -> None:
    full = await offer(services, 0, places=1)
    await services.shifts.claim(GUILD, member(1), full, join_waitlist=True)
    other = await offer(services, 0, places=3, when="2026-12-06 10:00")
    await services.shifts.claim(GUILD, member(2), other)
    await services.handoffs.offer(
        GUILD, member(2), other, recipient_id=member(1).user_id, recipient_name="member1", recipient_is_bot=False
    )
    still_open = await services.proposals.open(GUILD, member(0), title="Buy a kettle", body="For the stall")
    withdrawn = await services.proposals.open(GUILD, member(0), title="Paint the sign", body="Blue")
    for proposal in (still_open, withdrawn):
        await services.proposals.take_position(GUILD, member(1), proposal.id, Position.AGREE)
    await services.proposals.withdraw(GUILD, member(0), withdrawn.id)
    done = await services.transparency.delete_member(GUILD, member(1))
    assert done.waitlists_left == [full] and done.positions_withdrawn == [still_open.id]
    assert [p.user_id for p in (await services.shifts.details(GUILD, full)).waiting] == []
    handoffs = await services.db.fetchall("SELECT status, settled_at FROM shift_handoffs")
    assert [(row["status"], row["settled_at"] is not None) for row in handoffs] == [("withdrawn", True)]
    assert (await services.proposals.details(GUILD, still_open.id)).stances == []
    kept = (await services.proposals.details(GUILD, withdrawn.id)).stances
    assert [s.name for s in kept] == ["former member"]  # a closed decision keeps its count


async def test_delete_leaves_every_rota_and_hands_on_a_held_turn(services: Services) -> None:
    await services.rota.join(GUILD, member(1), None)  # the first to join holds the running turn
    await services.rota.join(GUILD, member(2), None)
    assert (await services.rota.overview(GUILD, None)).current.user_id == member(1).user_id
    done = await services.transparency.delete_member(GUILD, member(1))
    assert len(done.rotas_left) == 1 and done.rotas_left[0].handover is not None
    overview = await services.rota.overview(GUILD, None)
    assert overview.current.user_id == member(2).user_id
    assert [m.user_id for m in overview.members] == [member(2).user_id]
    assert await services.db.fetchval("SELECT COUNT(*) FROM rota_members WHERE user_id = ?", (member(1).user_id,)) == 0
