"""Rota use cases a member or organiser runs: show, join, leave, away, back, pass, configure.

Each runs in one transaction (its server locked first) with its audit row; the result says whom to tell (a
new holder to announce, a new next holder to DM), and the Discord layer does the telling after the
commit. The facilitator gets no power: nothing here asks who holds a turn before letting someone
act. Planning and handing over turns is `rota_turns.py`; swaps are `swaps.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.errors import BadTurnLength, NobodyToTakeTurn, NotAway
from bot.domain.governance import ensure_may_apply
from bot.domain.members import Actor
from bot.domain.records import PoolMember, Rota, TurnRecord
from bot.domain.rota import (
    AwayWindow,
    Turn,
    ensure_can_join,
    parse_turn_time,
    pass_turn,
    rejoining_member,
    validate_away,
    validate_rota_name,
)
from bot.domain.timeparse import parse_day_or_when
from bot.services.rota_turns import DEFAULT_ROTA, Handover, RotaTurns, handover_key, plan_size
from bot.services.swaps import SwapService
from bot.store import jobs
from bot.store import rota as rows
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx

SHOW_NEXT = 5
SHOW_PAST = 5
TURN_DAYS = (1, 28)


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
    current: TurnRecord | None
    upcoming: list[Turn]
    away: list[AwayWindow]
    past: list[TurnRecord]
    members: list[PoolMember]
    names: dict[int, str]


@dataclass(frozen=True, slots=True)
class RotaConfigured:
    rota: Rota
    created: bool
    changes: dict[str, object]


def rota_change(
    name: str,
    *,
    length_days: int | None = None,
    weekday: int | None = None,
    at: str | None = None,
    role_id: int | None = None,
    clear_role: bool = False,
) -> dict[str, object]:
    """A validated rota change as plain data ({"name": ..., setting: value}), so that it can also be
    stored in a settings proposal and applied when that passes."""
    change: dict[str, object] = {"name": validate_rota_name(name)}
    if length_days is not None:
        if not TURN_DAYS[0] <= length_days <= TURN_DAYS[1]:
            raise BadTurnLength(length_days, *TURN_DAYS)
        change["turn_length_days"] = length_days
    if weekday is not None:
        change["anchor_weekday"] = weekday
    if at is not None:
        change["anchor_time"] = parse_turn_time(at).strftime("%H:%M")
    if role_id is not None:
        change["role_id"] = role_id
    elif clear_role:
        change["role_id"] = None
    return change


@dataclass
class RotaService:
    db: Database
    clock: Clock
    turns: RotaTurns
    swaps: SwapService

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
        now = self.turns.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            return RotaOverview(
                rota=rota,
                current=await rows.current_turn(tx, rota.id, now),
                upcoming=await self.turns.plan(tx, rota, tz, now, SHOW_NEXT),
                away=await rows.away_windows(tx, rota.id, after=now),
                past=await rows.past_turns(tx, rota.id, before=now, limit=SHOW_PAST),
                members=await rows.pool(tx, rota.id),
                names=await rows.names_of(tx, rota.id),
            )

    async def timezone(self, guild_id: int) -> ZoneInfo:
        return await self.turns.timezone(self.db, guild_id)

    # --- the pool ------------------------------------------------------------------------------

    async def join(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Join the pool (yourself only). History from an earlier membership is kept, so rejoining
        never jumps the queue. If no turn is running, the fairest member starts one now."""
        now = self.turns.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            history = await rows.member(tx, rota.id, actor.user_id)
            ensure_can_join(actor.user_id, [history.user_id] if history and history.active else [])
            before = await self.turns.next_in_line(tx, rota, tz, now)
            entry = rejoining_member(actor.user_id, history.as_domain() if history else None, now)
            await rows.join(tx, rota.id, entry, actor.name)
            await self.turns.audit(tx, rota, actor, "rota_joined", {"rejoined": history is not None})
            handover: Handover | None = None
            current = await rows.current_turn(tx, rota.id, now)
            if current is None or current.user_id is None:
                _, ends = self.turns.bounds(rota, tz, now)
                handover = await self.turns.give_running_turn(
                    tx, rota, current, now, ends, reason="joined", old_status="vacant"
                )
            rota = await self.turns.ensure_handover_job(tx, rota, tz, now)
            return await self._change(tx, rota, tz, now, actor, before, handover=handover)

    async def leave(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Leave the pool. A turn you hold passes at once to the next in line."""
        now = self.turns.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            await self.turns.require_member(tx, rota, actor)
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
        tz = await self.turns.timezone(tx, rota.guild_id)
        before = await self.turns.next_in_line(tx, rota, tz, now)
        await rows.leave(tx, rota.id, actor.user_id, now=stamp)
        await rows.drop_assignments(tx, rota.id, since=now, user_id=actor.user_id)
        await self.swaps.withdraw_involving(tx, rota.id, actor.user_id, stamp)
        await self.turns.audit(tx, rota, actor, "rota_left")
        handover: Handover | None = None
        current = await rows.current_turn(tx, rota.id, now)
        if current is not None and current.user_id == actor.user_id:
            handover = await self.turns.give_running_turn(tx, rota, current, now, current.ends, reason="left")
        if not await rows.pool(tx, rota.id):
            await jobs.cancel_prefix(tx, handover_key(rota.id))
            await rows.set_next_handover(tx, rota.id, None)
            rota = await self.turns.reload(tx, rota)
        return await self._change(tx, rota, tz, now, actor, before, handover=handover)

    async def away(
        self, guild_id: int, actor: Actor, name: str | None, *, starts: str | None, until: str
    ) -> RotaChange:
        """Say you are away from `starts` (default now) until `until`; turns in that time go to others."""
        now = self.turns.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            begin = (
                now
                if starts is None or starts.strip().lower() in ("", "now")
                else parse_day_or_when(starts, now=now, tz=tz, language=actor.language)
            )
            end = parse_day_or_when(until, now=now, tz=tz, end_of_day=True, language=actor.language)
            window = validate_away(actor.user_id, begin, end, now)
            await self.turns.require_member(tx, rota, actor)
            before = await self.turns.next_in_line(tx, rota, tz, now)
            await rows.add_away(tx, rota.id, window, now=now.timestamp())
            await rows.drop_assignments(tx, rota.id, since=window.starts, user_id=actor.user_id, until=window.ends)
            await self.turns.audit(
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
        now = self.turns.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            await self.turns.require_member(tx, rota, actor)
            before = await self.turns.next_in_line(tx, rota, tz, now)
            if not await rows.end_away(tx, rota.id, actor.user_id, now=now):
                raise NotAway()
            await self.turns.audit(tx, rota, actor, "rota_back")
            return await self._change(tx, rota, tz, now, actor, before)

    # --- passing ------------------------------------------------------------------

    async def pass_turn(self, guild_id: int, actor: Actor, name: str | None) -> RotaChange:
        """Give up your current turn (it moves now) or else your next one; the next fair member takes it.
        A passed turn does not count as held, so the passer stays early in line."""
        now = self.turns.now()
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            rota = await self.turns.open(tx, guild_id, name)
            tz = await self.turns.timezone(tx, guild_id)
            members = await self.turns.require_member(tx, rota, actor)
            before = await self.turns.next_in_line(tx, rota, tz, now)
            current = await rows.current_turn(tx, rota.id, now)
            if current is not None and current.user_id == actor.user_id:
                handover = await self.turns.give_running_turn(
                    tx, rota, current, now, current.ends, reason="passed", old_status="passed", exclude=actor.user_id
                )
                detail = {"starts": int(current.starts.timestamp()), "to": handover.holder_name, "current": True}
                await self.turns.audit(tx, rota, actor, "rota_passed", detail)
                return await self._change(tx, rota, tz, now, actor, before, handover=handover)
            turns = await self.turns.plan(tx, rota, tz, now, plan_size(members))
            away = await rows.away_windows(tx, rota.id, after=now)
            taken = pass_turn([m.as_domain() for m in members], away, turns, actor.user_id)
            if taken.user_id is None:
                raise NobodyToTakeTurn()
            await rows.insert_turn(tx, rota.id, taken.starts, taken.ends, actor.user_id, "passed", now=stamp)
            await rows.assign(tx, rota.id, taken.starts, taken.ends, taken.user_id, "pass", now=stamp)
            names = await rows.names_of(tx, rota.id)
            detail = {"starts": int(taken.starts.timestamp()), "to": names.get(taken.user_id), "current": False}
            await self.turns.audit(tx, rota, actor, "rota_passed", detail)
            return await self._change(tx, rota, tz, now, actor, before, taken=taken)

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
        """Add a rota or change one, when the governance rule lets this member change settings at
        once (`rota_change` then `plan`/ProposalService.open otherwise). A timing change moves the
        next hand-over to the new schedule's next boundary and drops swaps and passes planned on the
        old one."""
        change = rota_change(
            name, length_days=length_days, weekday=weekday, at=at, role_id=role_id, clear_role=clear_role
        )
        return await self.apply_change(guild_id, actor, change)

    async def apply_change(self, guild_id: int, actor: Actor, change: dict[str, object]) -> RotaConfigured:
        """A validated `rota_change`, now (refused unless the governance rule lets this member)."""
        async with self.db.transaction(guild_id=guild_id) as tx:
            governance = (await settings_rows.load(tx, guild_id)).governance
            ensure_may_apply(governance, actor, "rota")
            return await self.configure_in(tx, guild_id, change, actor=actor)

    async def configure_in(
        self, tx: Tx, guild_id: int, change: dict[str, object], *, actor: Actor | None, proposal_id: int | None = None
    ) -> RotaConfigured:
        """Apply a `rota_change` inside `tx` (`actor` None with `proposal_id`: the group decided it)."""
        changes = {k: v for k, v in change.items() if k != "name"}
        rota_name = str(change["name"])
        now = self.turns.now()
        stamp = now.timestamp()
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
        rota = await self.turns.reload(tx, rota)
        if set(real) - {"role_id"}:
            await self._retime(tx, rota, now)
            rota = await self.turns.reload(tx, rota)
        if real or created:
            detail: dict[str, object] = dict(real)
            if proposal_id is not None:
                detail["proposal"] = proposal_id
            await self.turns.audit(tx, rota, actor, "rota_created" if created else "rota_configured", detail)
        return RotaConfigured(rota, created, real)

    async def _retime(self, tx: Tx, rota: Rota, now: datetime) -> None:
        tz = await self.turns.timezone(tx, rota.guild_id)
        await jobs.cancel_prefix(tx, handover_key(rota.id))
        await rows.drop_assignments(tx, rota.id, since=now)
        await self.swaps.withdraw_all(tx, rota.id, now.timestamp())
        await rows.set_next_handover(tx, rota.id, None)
        _, ends = self.turns.bounds(rota, tz, now)
        running = await rows.current_turn(tx, rota.id, now)
        if running is not None:
            await rows.set_turn_end(tx, running.id, ends)
        if await rows.pool(tx, rota.id):
            await self.turns.ensure_handover_job(tx, await self.turns.reload(tx, rota), tz, now)

    # --- helpers -------------------------------------------------------------------------------

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
        plan = await self.turns.plan(tx, rota, tz, now, 1)
        tell = plan[0] if plan and plan[0].user_id not in (None, before, actor.user_id) else None
        return RotaChange(rota, tell_next=tell, names=await rows.names_of(tx, rota.id), **found)  # type: ignore[arg-type]
