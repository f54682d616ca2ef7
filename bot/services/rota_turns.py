"""The turn machinery every rota use case shares: planning turns and handing them over.

Who holds a turn is decided only by the fairness rule in `bot.domain.rota`, fed with the pool's
history from the turns table. Hand-overs are durable jobs, one pending per rota at its next
boundary; the job that performs a hand-over schedules the next one in the same transaction, so two
never overlap and a restart never repeats one. A hand-over that fell due while the bot was down
happens once, for the turn running when it starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import NobodyToTakeTurn, UnknownRota
from bot.domain.members import Actor
from bot.domain.records import PoolMember, Rota, TurnRecord
from bot.domain.rota import Turn, ensure_member, next_holder, turn_boundaries, turn_spans, turns_for_spans
from bot.store import audit, jobs
from bot.store import rota as rows
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx

DEFAULT_ROTA = "facilitator"
HANDOVER_JOB = "rota_handover"
MAX_PLAN = 104


@dataclass(frozen=True, slots=True)
class Handover:
    """A turn that just began: whom to announce (None: nobody available) and whose role to move."""

    guild_id: int
    rota: str
    role_id: int | None
    previous_id: int | None
    holder_id: int | None
    holder_name: str | None
    starts: datetime
    ends: datetime
    reason: str  # "turn" at a boundary; "joined", "left" or "passed" mid-turn


def handover_key(rota_id: int, at: datetime | None = None) -> str:
    """The job key of a rota's hand-over at `at` (without it, the prefix of all of them)."""
    return f"rota:{rota_id}:handover:" + ("" if at is None else str(int(at.timestamp())))


def turn_length(rota: Rota) -> timedelta:
    """How long each turn of this rota lasts."""
    return timedelta(days=rota.turn_length_days)


def plan_size(members: list[PoolMember]) -> int:
    """How many turns ahead to plan: enough for everyone twice, so swaps and passes find theirs."""
    return min(MAX_PLAN, 2 * len(members) + 2)


@dataclass
class RotaTurns:
    """Opening a rota, planning its next turns, starting a turn now, and the scheduled hand-over."""

    db: Database
    clock: Clock
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)

    def now(self) -> datetime:
        """The clock's time in whole seconds (turn boundaries and job due times are whole seconds)."""
        return datetime.fromtimestamp(int(self.clock.timestamp()), UTC)

    async def timezone(self, db: Database | Tx, guild_id: int) -> ZoneInfo:
        """The server's time zone, which fixes the local weekday and time turns change at."""
        name = (await settings_rows.load(db, guild_id)).timezone
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    async def open(self, tx: Tx, guild_id: int, name: str | None) -> Rota:
        """The named rota (default `facilitator`, created on first use), else `UnknownRota`."""
        wanted = (name or DEFAULT_ROTA).strip().lower()
        rota = await rows.get(tx, guild_id, wanted)
        if rota is None:
            if wanted != DEFAULT_ROTA:
                raise UnknownRota((name or "")[:40])
            rota = await rows.create(tx, guild_id, DEFAULT_ROTA, now=self.clock.timestamp())
        return rota

    async def reload(self, tx: Tx, rota: Rota) -> Rota:
        """The rota as it now stands in this transaction."""
        fresh = await rows.get_by_id(tx, rota.id)
        assert fresh is not None
        return fresh

    async def require_member(self, tx: Tx, rota: Rota, actor: Actor) -> list[PoolMember]:
        """The pool, if `actor` is in it (`NotInRota` otherwise); their display name is refreshed."""
        members = await rows.pool(tx, rota.id)
        ensure_member(actor.user_id, [m.user_id for m in members])
        await rows.rename(tx, rota.id, actor.user_id, actor.name)
        return members

    def bounds(self, rota: Rota, tz: ZoneInfo, at: datetime) -> tuple[datetime, datetime]:
        """Start and end of the turn running at `at`."""
        return turn_boundaries(rota.anchor_weekday, rota.anchor_time, turn_length(rota), tz, at)

    async def plan(self, db: Tx, rota: Rota, tz: ZoneInfo, now: datetime, count: int) -> list[Turn]:
        """The next `count` turns after the running one, by the fairness rule and the fixed turns."""
        members = await rows.pool(db, rota.id)
        if not members:
            return []
        first = rota.next_handover_at
        if first is None or first <= now:
            first = self.bounds(rota, tz, now)[1]
        spans = turn_spans(rota.anchor_weekday, rota.anchor_time, turn_length(rota), tz, first, count)
        away = await rows.away_windows(db, rota.id, after=now)
        fixed = await rows.assigned(db, rota.id, since=first)
        return turns_for_spans([m.as_domain() for m in members], away, spans, fixed)

    async def next_in_line(self, tx: Tx, rota: Rota, tz: ZoneInfo, now: datetime) -> int | None:
        """Who takes the next turn, if anyone."""
        plan = await self.plan(tx, rota, tz, now, 1)
        return plan[0].user_id if plan else None

    # --- hand-overs ----------------------------------------------------------------------------

    async def hand_over(self, rota_id: int, due: int, finish: Callable[[Tx], Awaitable[bool]]) -> Handover | None:
        """The scheduled hand-over (job handler): start the turn running now, schedule the next one."""
        now = self.now()
        async with self.db.transaction() as tx:
            rota = await rows.get_by_id(tx, rota_id)
            if rota is not None:  # lock its server, then read what the hand-over decides on
                await tx.lock_guild(rota.guild_id)
                rota = await rows.get_by_id(tx, rota_id)
            if rota is None or rota.next_handover_at is None or int(rota.next_handover_at.timestamp()) != due:
                await finish(tx)  # superseded by a settings change or an emptied pool
                return None
            tz = await self.timezone(tx, rota.guild_id)
            starts, ends = self.bounds(rota, tz, now)
            await rows.drop_past_assignments(tx, rota.id, before=starts)
            members = await rows.pool(tx, rota.id)
            previous = await rows.last_holder(tx, rota.id, starts)
            running = await rows.current_turn(tx, rota.id, now)
            handover: Handover | None = None
            if not members:
                await rows.set_next_handover(tx, rota.id, None)
                await finish(tx)
                return None
            if running is None or running.starts < starts:
                away = await rows.away_windows(tx, rota.id, after=now)
                fixed = await rows.assigned(tx, rota.id, since=starts)
                turn = turns_for_spans([m.as_domain() for m in members], away, [(starts, ends)], fixed)[0]
                await rows.drop_assignments(tx, rota.id, since=starts, until=ends)
                await rows.insert_turn(
                    tx, rota.id, starts, ends, turn.user_id, "held" if turn.user_id else "vacant", now=now.timestamp()
                )
                handover = await self.record_turn_start(tx, rota, previous, turn.user_id, starts, ends, "turn")
            await self.schedule_handover(tx, rota, ends, now)
            await finish(tx)
            return handover

    async def ensure_handover_job(self, tx: Tx, rota: Rota, tz: ZoneInfo, now: datetime) -> Rota:
        """A rota with a pool always has its next hand-over scheduled."""
        if rota.next_handover_at is not None:
            return rota
        _, ends = self.bounds(rota, tz, now)
        await self.schedule_handover(tx, rota, ends, now)
        return await self.reload(tx, rota)

    async def schedule_handover(self, tx: Tx, rota: Rota, ends: datetime, now: datetime) -> None:
        """The one pending hand-over of a rota, at the end of the running turn."""
        await rows.set_next_handover(tx, rota.id, ends)
        await jobs.schedule(
            tx,
            HANDOVER_JOB,
            ends.timestamp(),
            {"rota_id": rota.id, "at": int(ends.timestamp())},
            key=handover_key(rota.id, ends),
            now=now.timestamp(),
        )

    async def give_running_turn(
        self,
        tx: Tx,
        rota: Rota,
        current: TurnRecord | None,
        now: datetime,
        ends: datetime,
        *,
        reason: str,
        old_status: str = "handed_on",
        exclude: int | None = None,
    ) -> Handover:
        """Give the rest of the running turn to the next fair member, now (someone joined, left or passed)."""
        members = await rows.pool(tx, rota.id)
        away = await rows.away_windows(tx, rota.id, after=now)
        left_out = frozenset() if exclude is None else frozenset({exclude})
        holder = next_holder([m.as_domain() for m in members], away, now, left_out, until=ends)
        if holder is None and reason == "passed":
            raise NobodyToTakeTurn()
        previous = current.user_id if current is not None else await rows.last_holder(tx, rota.id, now)
        if current is not None:
            await rows.close_turn(tx, current.id, old_status, now)
            if current.user_id is not None:
                await rows.refresh_history(tx, rota.id, current.user_id)
        if members:
            await rows.insert_turn(tx, rota.id, now, ends, holder, "held" if holder else "vacant", now=now.timestamp())
        return await self.record_turn_start(tx, rota, previous, holder, now, ends, reason)

    async def record_turn_start(
        self,
        tx: Tx,
        rota: Rota,
        previous: int | None,
        holder: int | None,
        starts: datetime,
        ends: datetime,
        reason: str,
    ) -> Handover:
        """Record a turn that has begun: the holder's history and the audit row."""
        names = await rows.names_of(tx, rota.id)
        if holder is not None:
            await rows.refresh_history(tx, rota.id, holder)
        await self.audit(
            tx,
            rota,
            None,
            "rota_handover",
            {
                "to": names.get(holder) if holder else None,
                "from": names.get(previous) if previous else None,
                "starts": int(starts.timestamp()),
                "ends": int(ends.timestamp()),
                "reason": reason,
            },
        )
        return Handover(
            rota.guild_id,
            rota.name,
            rota.role_id,
            previous,
            holder,
            names.get(holder) if holder else None,
            starts,
            ends,
            reason,
        )

    async def audit(
        self, tx: Tx, rota: Rota, actor: Actor | None, action: str, detail: Mapping[str, object] | None = None
    ) -> None:
        """The rota's audit row (`actor` None: Rota itself, for scheduled hand-overs and lapses)."""
        await audit.record(
            tx,
            guild_id=rota.guild_id,
            actor=actor,
            kind="rota",
            action=action,
            subject=rota.name,
            detail=dict(detail or {}),
            at=self.clock.timestamp(),
        )
