"""Many members claiming the last places at once: exactly the places are taken, nobody is left unanswered.

Capacity is checked by the guarded UPDATE inside the write transaction, so no interleaving of
coroutines (service layer) or of interactions (the real process) can overbook a shift.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.domain.members import Actor
from bot.domain.shifts import ClaimKind
from bot.services import Services
from bot.services.shifts import ClaimOutcome
from bot.store.database import open_database
from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of, offer, overbooked

GUILD = 4242


async def test_a_thousand_claims_at_once_fill_exactly_five_places(database_url: str) -> None:
    db = open_database(database_url)
    await db.open()
    try:
        services = Services(db, ManualClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
        offerer = Actor(1, "offerer")
        [shift] = await services.shifts.offer(
            GUILD, offerer, when="2026-12-05 10:00", where="Market", places=5, duration="2h", join=False
        )
        people = [Actor(10_000 + i, f"member{i}") for i in range(1000)]
        results = await asyncio.gather(
            *(services.shifts.claim(GUILD, person, shift.id) for person in people), return_exceptions=True
        )

        claimed = [r for r in results if isinstance(r, ClaimOutcome) and r.result.kind is ClaimKind.CLAIMED]
        full = [r.result for r in results if isinstance(r, ClaimOutcome) and r.result.kind is ClaimKind.FULL]
        assert len(claimed) == 5
        assert len(full) == 995 and all(r.waitlist_position == 1 for r in full)  # told, and told the truth
        assert len(claimed) + len(full) == len(results)  # no other answer, no unexpected error

        row = await db.fetchone("SELECT places, taken FROM shifts WHERE id = ?", (shift.id,))
        assert row is not None and (row[0], row[1]) == (5, 5)
        holders = [r[0] for r in await db.fetchall("SELECT user_id FROM shift_places WHERE shift_id = ?", (shift.id,))]
        assert len(holders) == len(set(holders)) == 5
        assert await db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'shift_claimed'") == 5
        reminded = "SELECT COUNT(DISTINCT payload) FROM jobs WHERE kind = 'shift_reminder'"
        assert await db.fetchval(reminded) == 5  # one reminder series per holder
    finally:
        await db.close()


def test_a_hundred_members_clicking_claim_at_once(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Hundred")
    alice = guild.add_member("alice")
    shift_id = offer(driver, alice, places=5, join=False)
    card = card_of(world, guild.general, shift_id)
    people = [guild.add_member(f"p{i}") for i in range(100)]
    answers = driver.concurrently([lambda m=m: driver.click(card, "Claim a place", user=m) for m in people])
    got = [a for a in answers if "You have a place" in a.text]
    full = [a for a in answers if "Every place on shift" in a.text]
    assert len(got) == 5 and len(full) == 95
    assert all(a.ephemeral for a in answers)
    assert "something went wrong" not in " ".join(a.text for a in answers)
    assert bot.rows("SELECT places, taken FROM shifts WHERE id = ?", shift_id) == [(5, 5)]
    assert not overbooked(bot)
    world.wait_until(lambda: "5/5 taken" in card_of(world, guild.general, shift_id).text, what="the card to settle")


async def test_claims_from_two_processes_at_once_never_overbook(database_url: str) -> None:
    """Two processes (two connection pools) claim on one shift at the same moment: still exactly the
    places are taken. On PostgreSQL each claim holds its server's lock; on SQLite, the file's."""
    first, second = open_database(database_url), open_database(database_url)
    await first.open()
    await second.open()
    clock = ManualClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    try:
        one, two = Services(first, clock), Services(second, clock)
        [shift] = await one.shifts.offer(
            GUILD, Actor(1, "offerer"), when="2026-12-05 10:00", where="Market", places=7, duration="2h", join=False
        )
        claims = [
            (one if n % 2 else two).shifts.claim(GUILD, Actor(20_000 + n, f"member{n}"), shift.id) for n in range(300)
        ]
        results = await asyncio.gather(*claims, return_exceptions=True)
        kinds = [r.result.kind if isinstance(r, ClaimOutcome) else r for r in results]
        assert kinds.count(ClaimKind.CLAIMED) == 7 and kinds.count(ClaimKind.FULL) == 293, set(map(str, kinds))
        row = await second.fetchone("SELECT places, taken FROM shifts WHERE id = ?", (shift.id,))
        assert row is not None and (row[0], row[1]) == (7, 7)
        assert await first.fetchval("SELECT COUNT(*) FROM shift_places WHERE shift_id = ?", (shift.id,)) == 7
    finally:
        await first.close()
        await second.close()


async def test_claims_on_every_role_at_once_fill_each_role_exactly(database_url: str) -> None:
    """Each role's places are checked in the same guarded statement as the shift's: 300 claims
    spread over two roles fill exactly 3 leafleters and 1 driver, and the totals agree."""
    db = open_database(database_url)
    await db.open()
    try:
        services = Services(db, ManualClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
        [shift] = await services.shifts.offer(
            GUILD, Actor(1, "offerer"), when="2026-12-05 10:00", where="Market", places=1, duration="2h",
            join=False, roles="3 leafleters, 1 driver",
        )  # fmt: skip
        people = [Actor(20_000 + i, f"member{i}") for i in range(300)]
        results = await asyncio.gather(
            *(services.shifts.claim(GUILD, p, shift.id, role=1 + i % 2) for i, p in enumerate(people)),
            return_exceptions=True,
        )
        assert all(isinstance(r, ClaimOutcome) for r in results), [
            r for r in results if not isinstance(r, ClaimOutcome)
        ]
        taken = dict(await db.fetchall("SELECT position, taken FROM shift_roles WHERE shift_id = ?", (shift.id,)))
        held = dict(
            await db.fetchall("SELECT role, COUNT(*) FROM shift_places WHERE shift_id = ? GROUP BY role", (shift.id,))
        )
        assert taken == held == {1: 3, 2: 1}
        assert [tuple(r) for r in await db.fetchall("SELECT places, taken FROM shifts WHERE id = ?", (shift.id,))] == [
            (4, 4)
        ]
    finally:
        await db.close()
