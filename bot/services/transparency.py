"""Transparency: the public log, how evenly work is shared, and each member's own data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.domain.equity import busiest_fifth_share, gini, idle_count
from bot.domain.members import Actor
from bot.domain.records import Activity, AuditEntry, Person, Shift
from bot.services.rota import RotaChange, RotaService
from bot.services.shifts import ShiftService
from bot.store import audit, member_data
from bot.store import feeds as feed_rows
from bot.store import proposals as proposal_rows
from bot.store import shifts as shift_rows
from bot.store.database import Database, Tx

LOG_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Stats:
    days: int
    people: list[Activity]
    shift_gini: float
    busiest_fifth_share: float
    idle: int
    by_role: list[tuple[str, int]] = field(default_factory=list)  # places taken per role name

    @property
    def total_shifts(self) -> int:
        return sum(p.shifts_taken for p in self.people)


@dataclass(frozen=True, slots=True)
class Release:
    """A future place given up by a deleted member, and who (if anyone) moved up into it."""

    shift: Shift
    promoted: Person | None


@dataclass(frozen=True, slots=True)
class Deletion:
    released: list[Release]
    waitlists_left: list[int]
    positions_withdrawn: list[int]
    rotas_left: list[RotaChange]


@dataclass
class TransparencyService:
    db: Database
    clock: Clock
    shifts: ShiftService
    rota: RotaService

    async def log(self, guild_id: int, *, days: int, kind: str | None, member_id: int | None) -> list[AuditEntry]:
        since = self.clock.timestamp() - days * 86400
        return await audit.recent(self.db, guild_id, since=since, kind=kind, actor_id=member_id, limit=LOG_LIMIT)

    async def stats(self, guild_id: int, days: int) -> Stats:
        now = self.clock.timestamp()
        people = await member_data.activity(self.db, guild_id, since=now - days * 86400, now=now)
        shifts = [p.shifts_taken for p in people]
        return Stats(
            days=days,
            people=people,
            shift_gini=gini(shifts),
            busiest_fifth_share=busiest_fifth_share(shifts),
            idle=idle_count([p.total for p in people]),
            by_role=await member_data.places_by_role(self.db, guild_id, since=now - days * 86400),
        )

    async def proposal_channel(self, proposal_id: int) -> int | None:
        proposal = await proposal_rows.get_any(self.db, proposal_id)
        return None if proposal is None else proposal.channel_id

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        rows = await member_data.export_rows(self.db, guild_id, user_id)
        return {
            "about": "Everything Rota stores about you in this server.",
            "server_id": guild_id,
            "member_id": user_id,
            "exported_at": self.clock.now().isoformat(),
            **rows,
        }

    async def delete_member(self, guild_id: int, actor: Actor) -> Deletion:
        """Remove a member's personal data from this server in one transaction.

        Future places are released (the waitlist moves up), waitlist spots and reminders go, open
        proposals lose their position, they leave every rota, and the history keeps its events with
        the member shown as 'former member'.
        """
        now = self.clock.now()
        stamp = now.timestamp()
        user_id = actor.user_id
        async with self.db.transaction(guild_id=guild_id) as tx:
            names = await member_data.known_names(tx, guild_id, user_id) | {actor.name}
            released, waiting, rotas = await self._step_back(tx, guild_id, actor, now)
            open_positions = await member_data.open_proposals_with_position(tx, guild_id, user_id)
            for proposal_id in open_positions:
                await member_data.withdraw_position(tx, proposal_id, user_id)
            await audit.record(
                tx,
                guild_id=guild_id,
                actor=actor,
                kind="data",
                action="data_deleted",
                detail={"places_released": len(released), "positions_withdrawn": len(open_positions)},
                at=stamp,
            )
            await member_data.anonymise(tx, guild_id, user_id, names)
        return Deletion(released, waiting, open_positions, rotas)

    async def member_left(self, guild_id: int, user_id: int) -> Deletion | None:
        """The member has left the server (Discord answered "unknown member"): their future places
        go to the waitlist, their waitlist spots and pending handoffs end, and they leave the rotas,
        so nobody waits on them. Their history stays theirs (if they come back, it is still there),
        and the record says "left the server", without blame. None when there was nothing to do."""
        now = self.clock.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            names = sorted(await member_data.known_names(tx, guild_id, user_id))
            actor = Actor(user_id, names[0] if names else str(user_id))
            await feed_rows.forget_member(tx, guild_id, user_id)  # no calendar of a server they left
            released, waiting, rotas = await self._step_back(tx, guild_id, actor, now)
            if not (released or waiting or rotas):
                return None
            await audit.record(
                tx,
                guild_id=guild_id,
                actor=actor,
                kind="shifts",
                action="member_left",
                detail={"places_released": len(released)},
                at=now.timestamp(),
            )
        return Deletion(released, waiting, [], rotas)

    async def _step_back(
        self, tx: Tx, guild_id: int, actor: Actor, now: datetime
    ) -> tuple[list[Release], list[int], list[RotaChange]]:
        """Free everything a member holds from now on: places (the waitlist moves up), waitlist
        spots, pending handoffs, rota memberships (a turn they hold passes on)."""
        stamp = now.timestamp()
        user_id = actor.user_id
        released: list[Release] = []
        for shift in await shift_rows.held_upcoming(tx, guild_id, user_id, after=now):
            role = await shift_rows.release_place(tx, shift.id, user_id)
            await self.shifts.reminders.drop(tx, shift.id, user_id)
            promoted = await self.shifts.promote_waiting(tx, guild_id, shift, stamp, role=role or 0)
            released.append(Release(shift, promoted))
        waiting = await member_data.waitlisted_shift_ids(tx, guild_id, user_id)
        for shift_id in waiting:
            await shift_rows.leave_waitlist(tx, shift_id, user_id)
        await member_data.withdraw_pending_handoffs(tx, guild_id, user_id, at=stamp)
        rotas = await self.rota.leave_all_in(tx, guild_id, actor, now)
        return released, waiting, rotas
