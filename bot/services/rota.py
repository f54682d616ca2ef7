"""Rota use cases: join, leave, away, back, swap, pass, show, configure, and the scheduled hand-over.

Who holds a turn is decided only by the fairness rule in `bot.domain.rota`, fed with the pool's
history from the turns table. Each use case runs in one BEGIN IMMEDIATE transaction with its audit
row; the result says whom to tell (a new holder to announce, a new next holder to DM), and the
Discord layer does the telling after the commit. The facilitator gets no power: nothing here asks
who holds a turn before letting someone act.

Hand-overs are durable jobs, one pending per rota at its next boundary; the job that performs a
hand-over schedules the next one in the same transaction, so two never overlap and a restart never
repeats one. A hand-over that fell due while the bot was down happens once, for the turn running
when it starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import (
    BadTurnLength,
    BadTurnTime,
    NobodyToTakeTurn,
    NotAway,
    RotaError,
    SwapClosed,
    SwapNotYours,
    SwapStale,
    UnknownRota,
    UnparseableTime,
)
from bot.domain.members import Actor
from bot.domain.rota import (
    AwayWindow,
    Turn,
    ensure_can_join,
    ensure_member,
    next_holder,
    pass_turn,
    rejoining_member,
    swap_turns,
    turn_boundaries,
    turn_spans,
    turns_for_spans,
    validate_away,
    validate_rota_name,
)
from bot.domain.settings import require_manage_guild
from bot.domain.timeparse import parse_when, to_utc
from bot.store import audit, jobs
from bot.store import rota as rows
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx
from bot.store.rota import PoolMember, Rota, Swap, TurnRow

DEFAULT_ROTA = "facilitator"
HANDOVER_JOB = "rota_handover"
SWAP_LAPSE_JOB = "rota_swap_lapse"
SHOW_NEXT = 5
SHOW_PAST = 5
MAX_PLAN = 104
TURN_DAYS = (1, 28)


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


@dataclass(frozen=True, slots=True)
class RotaChange:
    """What a member's command changed, and whom the Discord layer should tell."""

    rota: Rota
    handover: Handover | None = None
    tell_next: Turn | None = None  # the order changed: this member is now next (DM them)
    taken: Turn | None = None  # a passed upcoming turn and who takes it (DM them)
    away: AwayWindow | None = None
    holds_current: bool = False
    names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RotaOverview:
    rota: Rota
    current: TurnRow | None
    upcoming: list[Turn]
    away: list[AwayWindow]
    past: list[TurnRow]
    members: list[PoolMember]
    names: dict[int, str]


@dataclass(frozen=True, slots=True)
class SwapOffer:
    swap: Swap
    rota: Rota


@dataclass(frozen=True, slots=True)
class RotaConfigured:
    rota: Rota
    created: bool
    changes: dict[str, object]


def handover_key(rota_id: int, at: datetime | None = None) -> str:
    return f"rota:{rota_id}:handover:" + ("" if at is None else str(int(at.timestamp())))


def swap_key(swap_id: int) -> str:
    return f"rota:swap:{swap_id}"


def turn_length(rota: Rota) -> timedelta:
    return timedelta(days=rota.turn_length_days)


def parse_turn_time(text: str) -> time:
    """'18:00' or '9:30' as a time of day; else `BadTurnTime`."""
    parts = text.strip().split(":")
    if len(parts) == 2 and all(part.isdigit() and 1 <= len(part) <= 2 for part in parts):
        hours, minutes = int(parts[0]), int(parts[1])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise BadTurnTime(text[:20])


@dataclass
class RotaService:
    db: Database
    clock: Clock
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)

    # --- reading -------------------------------------------------------------------------------

    async def names(self, guild_id: int) -> list[str]:
        """Rota names for autocomplete; `facilitator` is always there, created on first use."""
        found = await rows.names(self.db, guild_id)
        return found if DEFAULT_ROTA in found else sorted([DEFAULT_ROTA, *found])

    async def configured(self, guild_id: int) -> list[Rota]:
        """Every rota this server has set up (for `/setup show`)."""
        found = [await rows.get(self.db, guild_id, name) for name in await rows.names(self.db, guild_id)]
        return [rota for rota in found if rota is not None]

    async def overview(self, guild_id: int, name: str | None) -> RotaOverview:
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            return RotaOverview(
                rota=rota,
                current=await rows.current_turn(tx, rota.id, now),
                upcoming=await self._plan(tx, rota, tz, now, SHOW_NEXT),
                away=await rows.away_windows(tx, rota.id, after=now),
                past=await rows.past_turns(tx, rota.id, before=now, limit=SHOW_PAST),
                members=await rows.pool(tx, rota.id),
                names=await rows.names_of(tx, rota.id),
            )

    async def timezone(self, guild_id: int) -> ZoneInfo:
        return await self._tz(self.db, guild_id)

    # --- the pool ------------------------------------------------------------------------------

    async def join(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Join the pool (yourself only). History from an earlier membership is kept, so rejoining
        never jumps the queue. If no turn is running, the fairest member starts one now."""
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            history = await rows.member(tx, rota.id, actor.user_id)
            ensure_can_join(actor.user_id, [history.user_id] if history and history.active else [])
            before = await self._next(tx, rota, tz, now)
            entry = rejoining_member(actor.user_id, history.as_domain() if history else None, now)
            await rows.join(tx, rota.id, entry, actor.name)
            await self._audit(tx, rota, actor, "rota_joined", {"rejoined": history is not None})
            handover: Handover | None = None
            current = await rows.current_turn(tx, rota.id, now)
            if current is None or current.user_id is None:
                _, ends = self._bounds(rota, tz, now)
                handover = await self._hand_on(tx, rota, current, now, ends, reason="joined", old_status="vacant")
            rota = await self._ensure_handover_job(tx, rota, tz, now)
            return await self._change(tx, rota, tz, now, actor, before, handover=handover)

    async def leave(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Leave the pool. A turn you hold passes at once to the next in line."""
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            await self._require_member(tx, rota, actor)
            return await self.leave_in(tx, rota, actor, now)

    async def leave_all_in(self, tx: Tx, guild_id: int, actor: Actor, now: datetime) -> list[RotaChange]:
        """Leave every rota of this server inside the caller's transaction (deleting one's data)."""
        changes = []
        for name in await rows.names(tx, guild_id):
            rota = await rows.get(tx, guild_id, name)
            if rota is not None and any(m.user_id == actor.user_id for m in await rows.pool(tx, rota.id)):
                changes.append(await self.leave_in(tx, rota, actor, now))
        return changes

    async def leave_in(self, tx: Tx, rota: Rota, actor: Actor, now: datetime) -> RotaChange:
        stamp = now.timestamp()
        tz = await self._tz(tx, rota.guild_id)
        before = await self._next(tx, rota, tz, now)
        await rows.leave(tx, rota.id, actor.user_id, now=stamp)
        await rows.drop_assignments(tx, rota.id, since=now, user_id=actor.user_id)
        for swap in await rows.pending_swaps(tx, rota.id, actor.user_id):
            await rows.settle_swap(tx, swap.id, "withdrawn", now=stamp)
            await jobs.cancel(tx, swap_key(swap.id))
        await self._audit(tx, rota, actor, "rota_left")
        handover: Handover | None = None
        current = await rows.current_turn(tx, rota.id, now)
        if current is not None and current.user_id == actor.user_id:
            handover = await self._hand_on(tx, rota, current, now, current.ends, reason="left")
        if not await rows.pool(tx, rota.id):
            await jobs.cancel_prefix(tx, handover_key(rota.id))
            await rows.set_next_handover(tx, rota.id, None)
            rota = await self._reload(tx, rota)
        return await self._change(tx, rota, tz, now, actor, before, handover=handover)

    async def away(
        self, guild_id: int, actor: Actor, name: str | None, *, starts: str | None, until: str
    ) -> RotaChange:
        """Say you are away from `starts` (default now) until `until`; turns in that time go to others."""
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            begin = now if starts is None or starts.strip().lower() in ("", "now") else self._moment(starts, now, tz)
            end = self._moment(until, now, tz, end_of_day=True)
            window = validate_away(actor.user_id, begin, end, now)
            await self._require_member(tx, rota, actor)
            before = await self._next(tx, rota, tz, now)
            await rows.add_away(tx, rota.id, window, now=now.timestamp())
            await rows.drop_assignments(tx, rota.id, since=window.starts, user_id=actor.user_id, until=window.ends)
            await self._audit(
                tx,
                rota,
                actor,
                "rota_away",
                {"starts": int(window.starts.timestamp()), "ends": int(window.ends.timestamp())},
            )
            current = await rows.current_turn(tx, rota.id, now)
            holds = current is not None and current.user_id == actor.user_id and window.overlaps(now, current.ends)
            return await self._change(tx, rota, tz, now, actor, before, away=window, holds_current=holds)

    async def back(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """End your time away now (and drop any planned)."""
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            await self._require_member(tx, rota, actor)
            before = await self._next(tx, rota, tz, now)
            if not await rows.end_away(tx, rota.id, actor.user_id, now=now):
                raise NotAway()
            await self._audit(tx, rota, actor, "rota_back")
            return await self._change(tx, rota, tz, now, actor, before)

    # --- passing and swapping ------------------------------------------------------------------

    async def pass_turn(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Give up your current turn (it moves now) or else your next one; the next fair member takes it.
        A passed turn does not count as held, so the passer stays early in line."""
        now = self._now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            members = await self._require_member(tx, rota, actor)
            before = await self._next(tx, rota, tz, now)
            current = await rows.current_turn(tx, rota.id, now)
            if current is not None and current.user_id == actor.user_id:
                handover = await self._hand_on(
                    tx, rota, current, now, current.ends, reason="passed", old_status="passed", exclude=actor.user_id
                )
                detail = {"starts": int(current.starts.timestamp()), "to": handover.holder_name, "current": True}
                await self._audit(tx, rota, actor, "rota_passed", detail)
                return await self._change(tx, rota, tz, now, actor, before, handover=handover)
            turns = await self._plan(tx, rota, tz, now, self._plan_size(members))
            away = await rows.away_windows(tx, rota.id, after=now)
            taken = pass_turn([m.as_domain() for m in members], away, turns, actor.user_id)
            if taken.user_id is None:
                raise NobodyToTakeTurn()
            await rows.insert_turn(tx, rota.id, taken.starts, taken.ends, actor.user_id, "passed", now=stamp)
            await rows.assign(tx, rota.id, taken.starts, taken.ends, taken.user_id, "pass", now=stamp)
            names = await rows.names_of(tx, rota.id)
            detail = {"starts": int(taken.starts.timestamp()), "to": names.get(taken.user_id), "current": False}
            await self._audit(tx, rota, actor, "rota_passed", detail)
            return await self._change(tx, rota, tz, now, actor, before, taken=taken)

    async def offer_swap(
        self, guild_id: int, actor: Actor, name: str | None, *, other_id: int, other_name: str
    ) -> SwapOffer:
        """Propose swapping your next turn with `other`'s; nothing changes unless they accept."""
        now = self._now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            rota = await self._open(tx, guild_id, name)
            tz = await self._tz(tx, guild_id)
            members = await rows.pool(tx, rota.id)
            ids = [m.user_id for m in members]
            turns = await self._plan(tx, rota, tz, now, self._plan_size(members))
            swapped = swap_turns(turns, actor.user_id, other_id, ids)
            mine = next(t for t, s in zip(turns, swapped, strict=True) if t.user_id == actor.user_id != s.user_id)
            theirs = next(t for t, s in zip(turns, swapped, strict=True) if t.user_id == other_id != s.user_id)
            await rows.rename(tx, rota.id, actor.user_id, actor.name)
            for old in await rows.pending_swaps(tx, rota.id, actor.user_id):
                if old.requester_id == actor.user_id:
                    await rows.settle_swap(tx, old.id, "withdrawn", now=stamp)
                    await jobs.cancel(tx, swap_key(old.id))
            swap_id = await rows.create_swap(
                tx,
                rota.id,
                requester=(actor.user_id, actor.name),
                requester_turn=mine.starts,
                other=(other_id, other_name),
                other_turn=theirs.starts,
                now=stamp,
            )
            lapse_at = min(mine.starts, theirs.starts)
            await jobs.schedule(
                tx, SWAP_LAPSE_JOB, lapse_at.timestamp(), {"swap_id": swap_id}, key=swap_key(swap_id), now=stamp
            )
            detail = {
                "with": other_name,
                "mine": int(mine.starts.timestamp()),
                "theirs": int(theirs.starts.timestamp()),
            }
            await self._audit(tx, rota, actor, "rota_swap_offered", detail)
            swap = await rows.get_swap(tx, swap_id)
        assert swap is not None
        return SwapOffer(swap, rota)

    async def answer_swap(self, swap_id: int, actor: Actor, *, accept: bool) -> SwapOffer:
        """Only the member asked answers. Accepting fixes the two turns (and the turns between them,
        so the rest of the order stays as everyone saw it), in one transaction."""
        now = self._now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            swap = await rows.get_swap(tx, swap_id)
            if swap is None or swap.other_id != actor.user_id:
                raise SwapNotYours(swap_id)
            if swap.status != "pending":
                raise SwapClosed(swap.status)
            rota = await rows.get_by_id(tx, swap.rota_id)
            assert rota is not None
            if accept:
                tz = await self._tz(tx, rota.guild_id)
                members = await rows.pool(tx, rota.id)
                turns = await self._plan(tx, rota, tz, now, self._plan_size(members))
                try:
                    swapped = swap_turns(turns, swap.requester_id, swap.other_id, [m.user_id for m in members])
                except RotaError:
                    raise SwapStale(swap_id) from None
                firsts = {t.user_id: t.starts for t in reversed(turns)}
                if firsts.get(swap.requester_id) != swap.requester_turn or firsts.get(swap.other_id) != swap.other_turn:
                    raise SwapStale(swap_id)
                last = max(swap.requester_turn, swap.other_turn)
                for turn in swapped:
                    if turn.starts > last:
                        break
                    if turn.user_id is None:
                        continue
                    await rows.assign(tx, rota.id, turn.starts, turn.ends, turn.user_id, "swap", now=stamp)
            status = "accepted" if accept else "declined"
            await rows.settle_swap(tx, swap_id, status, now=stamp)
            await jobs.cancel(tx, swap_key(swap_id))
            await rows.rename(tx, rota.id, actor.user_id, actor.name)
            detail = {
                "with": swap.requester_name,
                "mine": int(swap.other_turn.timestamp()),
                "theirs": int(swap.requester_turn.timestamp()),
            }
            await self._audit(tx, rota, actor, "rota_swapped" if accept else "rota_swap_declined", detail)
            settled = await rows.get_swap(tx, swap_id)
        assert settled is not None
        return SwapOffer(settled, rota)

    async def lapse_swap(self, swap_id: int, finish: Callable[[Tx], Awaitable[bool]]) -> SwapOffer | None:
        """The earlier turn started unanswered: the offer ends (job handler)."""
        stamp = self.clock.timestamp()
        async with self.db.transaction() as tx:
            swap = await rows.get_swap(tx, swap_id)
            if swap is None or not await rows.settle_swap(tx, swap_id, "lapsed", now=stamp):
                await finish(tx)
                return None
            rota = await rows.get_by_id(tx, swap.rota_id)
            assert rota is not None
            await self._audit(
                tx, rota, None, "rota_swap_lapsed", {"from": swap.requester_name, "with": swap.other_name}
            )
            await finish(tx)
            settled = await rows.get_swap(tx, swap_id)
        assert settled is not None
        return SwapOffer(settled, rota)

    # --- hand-overs ----------------------------------------------------------------------------

    async def hand_over(self, rota_id: int, due: int, finish: Callable[[Tx], Awaitable[bool]]) -> Handover | None:
        """The scheduled hand-over (job handler): start the turn running now, schedule the next one."""
        now = self._now()
        async with self.db.transaction() as tx:
            rota = await rows.get_by_id(tx, rota_id)
            if rota is None or rota.next_handover_at is None or int(rota.next_handover_at.timestamp()) != due:
                await finish(tx)  # superseded by a settings change or an emptied pool
                return None
            tz = await self._tz(tx, rota.guild_id)
            starts, ends = self._bounds(rota, tz, now)
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
                handover = await self._handed(tx, rota, previous, turn.user_id, starts, ends, "turn")
            await self._schedule_handover(tx, rota, ends, now)
            await finish(tx)
            return handover

    # --- settings ------------------------------------------------------------------------------

    async def configure(
        self,
        guild_id: int,
        actor: Actor,
        name: str,
        *,
        length_days: int | None = None,
        weekday: int | None = None,
        at: str | None = None,
        role_id: int | None = None,
        clear_role: bool = False,
    ) -> RotaConfigured:
        """Add a rota or change one (Manage Server). A timing change moves the next hand-over to the
        new schedule's next boundary and drops swaps and passes planned on the old one."""
        require_manage_guild(actor)
        rota_name = validate_rota_name(name)
        changes: dict[str, object] = {}
        if length_days is not None:
            if not TURN_DAYS[0] <= length_days <= TURN_DAYS[1]:
                raise BadTurnLength(length_days, *TURN_DAYS)
            changes["turn_length_days"] = length_days
        if weekday is not None:
            changes["anchor_weekday"] = weekday
        if at is not None:
            changes["anchor_time"] = parse_turn_time(at).strftime("%H:%M")
        if role_id is not None:
            changes["role_id"] = role_id
        elif clear_role:
            changes["role_id"] = None
        now = self._now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            rota = await rows.get(tx, guild_id, rota_name)
            created = rota is None
            if rota is None:
                rota = await rows.create(tx, guild_id, rota_name, now=stamp)
            current = {
                "turn_length_days": rota.turn_length_days,
                "anchor_weekday": rota.anchor_weekday,
                "anchor_time": rota.anchor_time.strftime("%H:%M"),
                "role_id": rota.role_id,
            }
            real = {k: v for k, v in changes.items() if current[k] != v}
            await rows.update(tx, rota.id, real)
            rota = await self._reload(tx, rota)
            if set(real) - {"role_id"}:
                await self._retime(tx, rota, now)
                rota = await self._reload(tx, rota)
            if real or created:
                detail = dict(real)
                await self._audit(tx, rota, actor, "rota_created" if created else "rota_configured", detail)
        return RotaConfigured(rota, created, real)

    async def _retime(self, tx: Tx, rota: Rota, now: datetime) -> None:
        tz = await self._tz(tx, rota.guild_id)
        await jobs.cancel_prefix(tx, handover_key(rota.id))
        await rows.drop_assignments(tx, rota.id, since=now)
        for swap in await rows.pending_swaps(tx, rota.id):
            await rows.settle_swap(tx, swap.id, "withdrawn", now=now.timestamp())
            await jobs.cancel(tx, swap_key(swap.id))
        await rows.set_next_handover(tx, rota.id, None)
        _, ends = self._bounds(rota, tz, now)
        running = await rows.current_turn(tx, rota.id, now)
        if running is not None:
            await rows.set_turn_end(tx, running.id, ends)
        if await rows.pool(tx, rota.id):
            await self._ensure_handover_job(tx, await self._reload(tx, rota), tz, now)

    # --- helpers -------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(int(self.clock.timestamp()), UTC)

    async def _tz(self, db: Database | Tx, guild_id: int) -> ZoneInfo:
        name = (await settings_rows.load(db, guild_id)).timezone
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    async def _open(self, tx: Tx, guild_id: int, name: str | None) -> Rota:
        """The named rota (default `facilitator`, created on first use), else `UnknownRota`."""
        wanted = (name or DEFAULT_ROTA).strip().lower()
        rota = await rows.get(tx, guild_id, wanted)
        if rota is None:
            if wanted != DEFAULT_ROTA:
                raise UnknownRota((name or "")[:40])
            rota = await rows.create(tx, guild_id, DEFAULT_ROTA, now=self.clock.timestamp())
        return rota

    async def _reload(self, tx: Tx, rota: Rota) -> Rota:
        fresh = await rows.get_by_id(tx, rota.id)
        assert fresh is not None
        return fresh

    async def _require_member(self, tx: Tx, rota: Rota, actor: Actor) -> list[PoolMember]:
        members = await rows.pool(tx, rota.id)
        ensure_member(actor.user_id, [m.user_id for m in members])
        await rows.rename(tx, rota.id, actor.user_id, actor.name)
        return members

    def _bounds(self, rota: Rota, tz: ZoneInfo, at: datetime) -> tuple[datetime, datetime]:
        return turn_boundaries(rota.anchor_weekday, rota.anchor_time, turn_length(rota), tz, at)

    @staticmethod
    def _plan_size(members: list[PoolMember]) -> int:
        return min(MAX_PLAN, 2 * len(members) + 2)

    async def _plan(self, db: Tx, rota: Rota, tz: ZoneInfo, now: datetime, count: int) -> list[Turn]:
        """The next `count` turns after the running one, by the fairness rule and the fixed turns."""
        members = await rows.pool(db, rota.id)
        if not members:
            return []
        first = rota.next_handover_at
        if first is None or first <= now:
            first = self._bounds(rota, tz, now)[1]
        spans = turn_spans(rota.anchor_weekday, rota.anchor_time, turn_length(rota), tz, first, count)
        away = await rows.away_windows(db, rota.id, after=now)
        fixed = await rows.assigned(db, rota.id, since=first)
        return turns_for_spans([m.as_domain() for m in members], away, spans, fixed)

    async def _next(self, tx: Tx, rota: Rota, tz: ZoneInfo, now: datetime) -> int | None:
        plan = await self._plan(tx, rota, tz, now, 1)
        return plan[0].user_id if plan else None

    async def _change(
        self,
        tx: Tx,
        rota: Rota,
        tz: ZoneInfo,
        now: datetime,
        actor: Actor,
        before: int | None,
        **found: object,
    ) -> RotaChange:
        plan = await self._plan(tx, rota, tz, now, 1)
        tell = plan[0] if plan and plan[0].user_id not in (None, before, actor.user_id) else None
        return RotaChange(rota, tell_next=tell, names=await rows.names_of(tx, rota.id), **found)  # type: ignore[arg-type]

    async def _ensure_handover_job(self, tx: Tx, rota: Rota, tz: ZoneInfo, now: datetime) -> Rota:
        if rota.next_handover_at is not None:
            return rota
        _, ends = self._bounds(rota, tz, now)
        await self._schedule_handover(tx, rota, ends, now)
        return await self._reload(tx, rota)

    async def _schedule_handover(self, tx: Tx, rota: Rota, ends: datetime, now: datetime) -> None:
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

    async def _hand_on(
        self,
        tx: Tx,
        rota: Rota,
        current: TurnRow | None,
        now: datetime,
        ends: datetime,
        *,
        reason: str,
        old_status: str = "handed_on",
        exclude: int | None = None,
    ) -> Handover:
        """Give the rest of the running turn to the next fair member, now."""
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
        return await self._handed(tx, rota, previous, holder, now, ends, reason)

    async def _handed(
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
        await self._audit(
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

    def _moment(self, text: str, now: datetime, tz: ZoneInfo, *, end_of_day: bool = False) -> datetime:
        """A member's date and time; a date alone means the start of that day (`end_of_day`: of the next)."""
        try:
            return parse_when(text, now=now, tz=tz)
        except UnparseableTime:
            try:
                late = parse_when(f"{text} 23:59", now=now, tz=tz)
            except UnparseableTime:
                raise UnparseableTime(text) from None
        day = late.astimezone(tz).date() + timedelta(days=1 if end_of_day else 0)
        return to_utc(datetime.combine(day, time(0)), tz).astimezone(UTC)

    async def _audit(
        self, tx: Tx, rota: Rota, actor: Actor | None, action: str, detail: dict[str, object] | None = None
    ) -> None:
        await audit.record(
            tx,
            guild_id=rota.guild_id,
            actor_id=actor.user_id if actor else None,
            actor_name=actor.name if actor else "Rota",
            kind="rota",
            action=action,
            subject=rota.name,
            detail=detail or {},
            at=self.clock.timestamp(),
        )
