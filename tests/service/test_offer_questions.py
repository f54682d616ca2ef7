"""One open question per pair, on each backend: asking the same member again about the same shift
(a handoff) or the same rota (a swap) while they haven't answered is refused and creates nothing;
asking someone else, or asking again once the first offer has ended, works. Repeats sent at once
are decided by the transaction that creates the offer, and the database itself keeps the rule."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.errors import AlreadyAsked
from bot.domain.states import OfferKind, OfferStatus
from bot.services import Services
from bot.services.handoffs import HandoffOffered
from bot.services.swaps import SwapOffered
from bot.store.database import DatabaseError
from bot.store.migrations import load_migrations, split_statements

from .conftest import GUILD, member

MIGRATION = "0014_one_open_question"


def uid(n: int) -> int:
    return member(n).user_id


async def a_shift(services: Services) -> int:
    shifts = await services.shifts.offer(
        GUILD, member(0), when="2026-12-05 10:00", where="Market Square", places=3, duration="2h"
    )
    return shifts[0].id


async def hand(services: Services, shift_id: int, to: int, *, giver: int = 0) -> HandoffOffered:
    return await services.handoffs.offer(
        GUILD, member(giver), shift_id, recipient_id=uid(to), recipient_name=f"member{to}", recipient_is_bot=False
    )


async def swap(services: Services, to: int, *, asker: int = 2) -> SwapOffered:
    return await services.swaps.offer(GUILD, member(asker), None, other_id=uid(to), other_name=f"member{to}")


async def join(services: Services, *ns: int) -> None:
    for n in ns:
        await services.rota.join(GUILD, member(n), None)


async def statuses(services: Services, table: str) -> list[tuple[int, str]]:
    """(the member asked, status) of every offer in `table`, oldest first."""
    asked = "recipient_id" if table == "shift_handoffs" else "other_id"
    rows = await services.db.fetchall(f"SELECT {asked}, status FROM {table} ORDER BY id")
    return [(int(row[0]), str(row[1])) for row in rows]


async def counts(services: Services) -> tuple[int, int]:
    """(lapse jobs, audit rows): a refused repeat adds neither."""
    jobs = await services.db.fetchval("SELECT COUNT(*) FROM jobs WHERE kind IN ('handoff_lapse', 'rota_swap_lapse')")
    audit = await services.db.fetchval("SELECT COUNT(*) FROM audit_log")
    return int(jobs), int(audit)


async def test_a_repeated_handoff_is_refused_and_the_first_stays_open(services: Services) -> None:
    shift_id = await a_shift(services)
    first = await hand(services, shift_id, 1)
    before = await counts(services)
    with pytest.raises(AlreadyAsked) as refused:
        await hand(services, shift_id, 1)
    assert refused.value == AlreadyAsked(OfferKind.HANDOFF, "member1")
    assert await statuses(services, "shift_handoffs") == [(uid(1), "pending")]
    assert await counts(services) == before
    accepted = await services.offers.answer(OfferKind.HANDOFF, first.handoff.id, member(1), accept=True)
    assert accepted.status is OfferStatus.ACCEPTED  # the first question is still the one to answer


async def test_a_handoff_to_someone_else_or_after_an_answer_is_asked(services: Services) -> None:
    shift_id = await a_shift(services)
    await hand(services, shift_id, 1)
    await hand(services, shift_id, 2)  # someone else: the offer to member 1 is withdrawn
    assert await statuses(services, "shift_handoffs") == [(uid(1), "withdrawn"), (uid(2), "pending")]
    again = await hand(services, shift_id, 1)  # member 1's question had ended: ask again
    declined = await services.offers.answer(OfferKind.HANDOFF, again.handoff.id, member(1), accept=False)
    assert declined.status is OfferStatus.DECLINED
    await hand(services, shift_id, 1)  # declined: ask once more
    assert [s for _, s in await statuses(services, "shift_handoffs")] == [
        "withdrawn",
        "withdrawn",
        "declined",
        "pending",
    ]
    other_shift = await a_shift(services)
    await hand(services, other_shift, 1)  # another shift is another question
    await services.shifts.claim(GUILD, member(3), shift_id)
    await hand(services, shift_id, 1, giver=3)  # and another giver's is theirs
    pending = "SELECT COUNT(*) FROM shift_handoffs WHERE recipient_id = ? AND status = 'pending'"
    assert await services.db.fetchval(pending, (uid(1),)) == 3


async def test_repeated_handoffs_sent_at_once_ask_exactly_once(services: Services) -> None:
    shift_id = await a_shift(services)
    results = await asyncio.gather(*(hand(services, shift_id, 1) for _ in range(8)), return_exceptions=True)
    asked = [r for r in results if isinstance(r, HandoffOffered)]
    refused = [r for r in results if isinstance(r, AlreadyAsked)]
    assert len(asked) == 1 and len(refused) == 7, results
    assert await statuses(services, "shift_handoffs") == [(uid(1), "pending")]
    lapses = "SELECT COUNT(*) FROM jobs WHERE kind = 'handoff_lapse'"
    assert await services.db.fetchval(lapses) == 1


async def test_a_repeated_swap_is_refused_and_the_first_stays_open(services: Services) -> None:
    await join(services, 1, 2, 3, 4)
    first = await swap(services, 4)
    before = await counts(services)
    with pytest.raises(AlreadyAsked) as refused:
        await swap(services, 4)
    assert refused.value == AlreadyAsked(OfferKind.SWAP, "member4")
    assert await statuses(services, "rota_swaps") == [(uid(4), "pending")]
    assert await counts(services) == before
    done = await services.offers.answer(OfferKind.SWAP, first.swap.id, member(4), accept=True)
    assert done.status is OfferStatus.ACCEPTED


async def test_a_swap_with_someone_else_or_after_an_answer_is_asked(services: Services) -> None:
    await join(services, 1, 2, 3, 4)
    await swap(services, 4)
    await swap(services, 3)  # someone else: the offer to member 4 is withdrawn
    assert await statuses(services, "rota_swaps") == [(uid(4), "withdrawn"), (uid(3), "pending")]
    again = await swap(services, 4)
    await services.offers.answer(OfferKind.SWAP, again.swap.id, member(4), accept=False)
    await swap(services, 4)  # declined: ask once more
    await swap(services, 4, asker=3)  # another member asking them is their own question
    assert await statuses(services, "rota_swaps") == [
        (uid(4), "withdrawn"),
        (uid(3), "withdrawn"),
        (uid(4), "declined"),
        (uid(4), "pending"),
        (uid(4), "pending"),
    ]


async def test_repeated_swaps_sent_at_once_ask_exactly_once(services: Services) -> None:
    await join(services, 1, 2, 3)
    results = await asyncio.gather(*(swap(services, 3) for _ in range(8)), return_exceptions=True)
    asked = [r for r in results if isinstance(r, SwapOffered)]
    refused = [r for r in results if isinstance(r, AlreadyAsked)]
    assert len(asked) == 1 and len(refused) == 7, results
    assert await statuses(services, "rota_swaps") == [(uid(3), "pending")]


async def test_the_database_refuses_a_second_open_offer_to_the_same_member(services: Services) -> None:
    shift_id = await a_shift(services)
    await hand(services, shift_id, 1)
    with pytest.raises(DatabaseError):
        async with services.db.transaction() as tx:
            await tx.insert(
                "INSERT INTO shift_handoffs (shift_id, giver_id, giver_name, recipient_id, recipient_name, created_at)"
                " VALUES (?, ?, 'member0', ?, 'member1', 0)",
                (shift_id, uid(0), uid(1)),
            )
    await join(services, 1, 2, 3)
    await swap(services, 3)
    with pytest.raises(DatabaseError):
        async with services.db.transaction() as tx:
            await tx.insert(
                "INSERT INTO rota_swaps (rota_id, requester_id, requester_name, requester_turn, other_id, other_name,"
                " other_turn, created_at) SELECT rota_id, requester_id, requester_name, requester_turn, other_id,"
                " other_name, other_turn, created_at FROM rota_swaps"
            )
    assert len(await statuses(services, "shift_handoffs")) == 1 and len(await statuses(services, "rota_swaps")) == 1


async def test_the_migration_withdraws_older_duplicates_before_guarding_the_pair(services: Services) -> None:
    """A database that somehow holds two open offers to the same member keeps the newest one."""
    shift_id = await a_shift(services)
    await hand(services, shift_id, 1)
    await hand(services, shift_id, 2, giver=0)  # withdraws the first
    await join(services, 1, 2, 3)
    await swap(services, 3)
    folder = "postgres" if services.db.dialect == "postgresql" else "sqlite"
    [migration] = [m for m in load_migrations(folder) if m.name == MIGRATION]
    async with services.db.transaction() as tx:  # back to before the migration, with duplicates
        await tx.execute("DROP INDEX shift_handoffs_one_open")
        await tx.execute("DROP INDEX rota_swaps_one_open")
        await tx.execute("UPDATE shift_handoffs SET status = 'pending', recipient_id = ?", (uid(2),))
        await tx.execute(
            "INSERT INTO rota_swaps (rota_id, requester_id, requester_name, requester_turn, other_id, other_name,"
            " other_turn, created_at) SELECT rota_id, requester_id, requester_name, requester_turn, other_id,"
            " other_name, other_turn, created_at + 60 FROM rota_swaps"
        )
        for statement in split_statements(migration.sql):
            await tx.execute(statement)
    handoffs = await services.db.fetchall("SELECT status, settled_at, created_at FROM shift_handoffs ORDER BY id")
    assert [row[0] for row in handoffs] == ["withdrawn", "pending"]
    assert handoffs[0][1] == handoffs[1][2]  # withdrawn when the newer one was made
    swaps = await services.db.fetchall("SELECT status, settled_at, created_at FROM rota_swaps ORDER BY id")
    assert [row[0] for row in swaps] == ["withdrawn", "pending"] and swaps[0][1] == swaps[1][2]
    with pytest.raises(AlreadyAsked):
        await hand(services, shift_id, 2)
    with pytest.raises(AlreadyAsked):
        await swap(services, 3)
