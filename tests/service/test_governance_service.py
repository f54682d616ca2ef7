"""Issue 16 in the service layer, on both databases: settings by proposal, applied once at the close;
retention anonymising exactly what is older than the limit."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.domain.governance import DecidedByGroup, Route
from bot.domain.states import Position
from bot.scheduler import JobRun
from bot.services import Services
from bot.services.proposals import CLOSE_JOB
from bot.services.retention import RETENTION_KEY
from bot.store import jobs as job_rows
from bot.store.database import Tx

from .conftest import GUILD, OTHER_GUILD, member

ADMIN = member(1, admin=True)


async def close_due(services: Services) -> None:
    async def close(run: JobRun) -> None:
        await services.proposals.close(int(run.job.payload["proposal_id"]), run.finish)

    services.scheduler.register(CLOSE_JOB, close)
    now = services.clock.timestamp()
    for job in await job_rows.take_due(services.db, now, 50, owner=services.scheduler.owner, lease_until=now + 60):
        if job.kind == CLOSE_JOB:
            await services.scheduler.run_job(job)


async def test_under_group_an_admin_proposes_and_the_close_applies_it_once(
    services: Services, clock: ManualClock
) -> None:
    await services.settings.change(GUILD, ADMIN, {"governance": "group", "decision_minutes": 10})
    plan = await services.settings.plan(GUILD, ADMIN, {"timezone": "Europe/Berlin"})
    assert plan.route is Route.PROPOSE and [c.name for c in plan.changes] == ["timezone"]
    with pytest.raises(DecidedByGroup):
        await services.settings.change(GUILD, ADMIN, {"timezone": "Europe/Berlin"})
    proposal = await services.proposals.open(
        GUILD, ADMIN, title="Change the time zone", body="Proposed", settings_change={"timezone": "Europe/Berlin"}
    )
    await services.proposals.take_position(GUILD, member(2), proposal.id, Position.AGREE)
    clock.advance(11 * 60)
    await close_due(services)
    await close_due(services)  # nothing left to run: the close and its change happened once
    assert (await services.settings.get(GUILD)).timezone == "Europe/Berlin"
    rows = await services.db.fetchall(
        "SELECT actor_id, detail FROM audit_log WHERE action = 'setting_changed' AND subject = 'timezone'"
    )
    assert len(rows) == 1 and rows[0]["actor_id"] is None and f'"proposal": {proposal.id}' in rows[0]["detail"]
    assert (await services.settings.get(OTHER_GUILD)).timezone == "UTC"


async def test_a_block_leaves_the_setting(services: Services, clock: ManualClock) -> None:
    await services.settings.change(GUILD, ADMIN, {"governance": "group", "decision_minutes": 10})
    proposal = await services.proposals.open(
        GUILD, ADMIN, title="Back to organisers", body="Proposed", settings_change={"governance": "organisers"}
    )
    await services.proposals.take_position(GUILD, member(2), proposal.id, Position.BLOCK, "No")
    clock.advance(11 * 60)
    await close_due(services)
    assert (await services.proposals.details(GUILD, proposal.id)).proposal.status == "failed"
    assert (await services.settings.get(GUILD)).governance == "group"


async def test_retention_anonymises_only_what_is_older(services: Services, clock: ManualClock) -> None:
    await services.settings.change(GUILD, ADMIN, {"retention_days": 1, "decision_minutes": 10})
    old = await services.proposals.open(GUILD, member(2), title="Old", body="x")
    clock.advance(11 * 60)
    await close_due(services)
    clock.advance(2 * 86400)
    new = await services.proposals.open(GUILD, member(3), title="New", body="x")
    await services.retention.ensure_scheduled()

    async def finish(tx: Tx) -> bool:
        return True

    done = await services.retention.run(finish)
    assert done[GUILD].proposals == 1 and done[GUILD].log_entries > 0
    authors = {
        r["id"]: (r["author_id"], r["author_name"]) for r in await services.db.fetchall("SELECT * FROM proposals")
    }
    assert authors == {old.id: (0, "a member"), new.id: (member(3).user_id, "member3")}
    assert (
        await services.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND anonymised_at IS NULL", (member(3).user_id,)
        )
        == 1
    )
    again = await services.retention.run(finish)
    assert again[GUILD].proposals == 0 and again[GUILD].log_entries == 0  # a repeat changes nothing
    assert await services.db.fetchval("SELECT COUNT(*) FROM jobs WHERE key = ?", (RETENTION_KEY,)) == 1
