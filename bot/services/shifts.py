"""Shift use cases: offer, claim, leave, hand off, edit, cancel, remind.

Each runs in one BEGIN IMMEDIATE transaction that re-reads what it needs, writes the change and its
audit row, and (re)schedules reminder jobs. The result tells the caller whom to notify; sending
messages happens after the commit, in the Discord layer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import shifts as rules
from bot.domain.errors import HandoffGiverGone, HandoffNotYours, NotOnShift, ShiftNotFound
from bot.domain.members import Actor
from bot.domain.shifts import ClaimKind, ClaimResult, HandoffEvent, HandoffStatus
from bot.domain.text import clean_text, one_line
from bot.domain.timeparse import parse_duration, parse_when, weekly_series
from bot.store import audit, jobs
from bot.store import settings as settings_rows
from bot.store import shifts as rows
from bot.store.database import Database, SyncTx, Tx
from bot.store.shifts import Handoff, Person, Shift

REMINDER_JOB = "shift_reminder"
HANDOFF_LAPSE_JOB = "handoff_lapse"
SHIFT_STARTED_JOB = "shift_started"
LATE_LEAVE = timedelta(hours=24)
CANCEL_REASON_MAX = 300


@dataclass(frozen=True, slots=True)
class ShiftDetails:
    shift: Shift
    holders: list[Person]
    waiting: list[Person]


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    shift: Shift
    result: ClaimResult


@dataclass(frozen=True, slots=True)
class LeaveOutcome:
    shift: Shift
    left_place: bool
    promoted: Person | None
    late: bool


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    """An edit or a cancellation: who should hear about it and what changed."""

    shift: Shift
    tell: list[int]
    time_changed: bool = False
    place_changed: bool = False
    old: Shift | None = None


@dataclass(frozen=True, slots=True)
class HandoffOutcome:
    handoff: Handoff
    shift: Shift
    status: HandoffStatus


@dataclass(frozen=True, slots=True)
class Reminder:
    shift: Shift
    user_id: int


def reminder_key(shift_id: int, user_id: int | None = None, minutes: int | None = None) -> str:
    key = f"remind:{shift_id}:"
    if user_id is not None:
        key += f"{user_id}:"
        if minutes is not None:
            key += f"{minutes}"
    return key


@dataclass
class ShiftService:
    db: Database
    clock: Clock
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)

    # --- reading -------------------------------------------------------------------------------

    async def timezone(self, guild_id: int) -> ZoneInfo:
        name = (await settings_rows.load(self.db, guild_id)).timezone
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    async def details(self, guild_id: int, shift_id: int) -> ShiftDetails:
        shift = await rows.get(self.db, guild_id, shift_id)
        if shift is None:
            raise ShiftNotFound(shift_id)
        return ShiftDetails(shift, await rows.holders(self.db, shift_id), await rows.waiting(self.db, shift_id))

    async def card_details(self, shift_id: int) -> ShiftDetails | None:
        shift = await rows.get_any(self.db, shift_id)
        if shift is None:
            return None
        return ShiftDetails(shift, await rows.holders(self.db, shift_id), await rows.waiting(self.db, shift_id))

    async def listing(self, guild_id: int, user_id: int, show: str, days: int) -> list[Shift]:
        now = self.clock.now()
        found = await rows.upcoming(
            self.db,
            guild_id,
            start=now,
            end=now + timedelta(days=days),
            user_id=user_id if show == "mine" else None,
            include_cancelled=show == "all",
        )
        if show == "open":
            found = [s for s in found if s.free > 0]
        return found

    async def suggestions(self, guild_id: int, *, limit: int = 25) -> list[Shift]:
        """Upcoming shifts for autocomplete: open ones first, then by start time."""
        now = self.clock.now()
        found = await rows.upcoming(self.db, guild_id, start=now, end=now + timedelta(days=366), limit=200)
        return sorted(found, key=lambda s: (s.free == 0, s.starts_at, s.id))[:limit]

    async def calendar(self, guild_id: int, user_id: int | None) -> list[Shift]:
        now = self.clock.now()
        return await rows.upcoming(
            self.db,
            guild_id,
            start=now - timedelta(days=30),
            end=now + timedelta(days=366),
            user_id=user_id,
            include_cancelled=True,
        )

    # --- offering ------------------------------------------------------------------------------

    async def offer(
        self,
        guild_id: int,
        actor: Actor,
        *,
        when: str,
        where: str,
        places: int,
        duration: str,
        notes: str = "",
        repeat_weeks: int = 1,
        join: bool = True,
        proposal_id: int | None = None,
    ) -> list[Shift]:
        """Create one shift (or a weekly series). The offerer takes the first place if they said so."""
        tz = await self.timezone(guild_id)
        now = self.clock.now()
        starts_at = parse_when(when, now=now, tz=tz)
        draft = rules.validate_offer(
            starts_at=starts_at,
            duration=parse_duration(duration),
            places=places,
            where=where,
            notes=notes,
            now=now,
        )
        starts = weekly_series(draft.starts_at, tz, repeat_weeks)
        rules.validate_start(starts[-1], now=now)
        created: list[int] = []
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            series_id: int | None = None
            offsets = await self._offsets(tx, guild_id, actor.user_id)
            for start in starts:
                shift_id = await rows.insert(
                    tx,
                    guild_id=guild_id,
                    offerer_id=actor.user_id,
                    offerer_name=actor.name,
                    starts_at=start,
                    ends_at=start + draft.duration,
                    location=draft.where,
                    notes=draft.notes,
                    places=draft.places,
                    series_id=series_id,
                    proposal_id=proposal_id,
                    now=stamp,
                )
                await self._schedule_start(tx, shift_id, start)
                if series_id is None and len(starts) > 1:
                    series_id = shift_id
                    await tx.execute("UPDATE shifts SET series_id = ? WHERE id = ?", (shift_id, shift_id))
                created.append(shift_id)
                await self._audit(
                    tx,
                    guild_id,
                    actor,
                    "shift_offered",
                    shift_id,
                    {
                        "where": draft.where,
                        "starts_at": int(start.timestamp()),
                        "places": draft.places,
                    },
                )
                if join:
                    await tx.run(rows.take_place, shift_id, actor.user_id, actor.name, now=stamp)
                    await self._schedule_reminders(tx, shift_id, start, actor.user_id, offsets)
            return [s for s in [await rows.get(tx, guild_id, i) for i in created] if s is not None]

    async def attach_card(self, shift_id: int, *, channel_id: int, message_id: int, thread_id: int | None) -> None:
        async with self.db.transaction() as tx:
            await rows.set_card(tx, shift_id, channel_id=channel_id, message_id=message_id, thread_id=thread_id)

    # --- claiming and leaving -----------------------------------------------------------------

    async def claim(self, guild_id: int, actor: Actor, shift_id: int, *, join_waitlist: bool = False) -> ClaimOutcome:
        """The busiest use case: one statement reads everything it decides on, and the whole
        transaction runs in one trip to the database thread."""
        now = self.clock.now()
        stamp = now.timestamp()

        def work(tx: SyncTx) -> ClaimOutcome:
            view = rows.claim_view(tx, guild_id, shift_id, actor.user_id)
            if view is None:
                raise ShiftNotFound(shift_id)
            shift = updated = view.shift
            rules.ensure_open(shift_id=shift_id, cancelled=shift.cancelled, starts_at=shift.starts_at, now=now)
            result = rules.claim_outcome(
                places=shift.places,
                taken=shift.taken,
                is_on=view.is_on,
                waitlist_position=view.waitlist_position,
                waitlist_length=view.waitlist_length,
                join_waitlist=join_waitlist,
            )
            if result.kind is ClaimKind.CLAIMED:
                if not rows.take_place(tx, shift_id, actor.user_id, actor.name, now=stamp):
                    raise AssertionError("capacity changed inside a write transaction")
                updated = replace(shift, taken=shift.taken + 1)
                chosen = view.reminder_offsets
                if chosen is None:
                    chosen = settings_rows.GuildSettings(guild_id).reminder_offsets
                offsets = rules.parse_reminder_offsets(chosen)
                self._write_reminders(tx, shift_id, shift.starts_at, actor.user_id, offsets)
                self._write_audit(tx, guild_id, actor, "shift_claimed", shift_id)
            elif result.kind is ClaimKind.WAITLISTED:
                rows.join_waitlist(tx, shift_id, actor.user_id, actor.name, now=stamp)
                self._write_audit(
                    tx, guild_id, actor, "shift_waitlisted", shift_id, {"position": result.waitlist_position}
                )
            return ClaimOutcome(updated, result)

        return await self.db.transact(work)

    async def leave(self, guild_id: int, actor: Actor, shift_id: int) -> LeaveOutcome:
        """Give up a place (or a waitlist spot). The first on the waitlist moves up in the same transaction."""
        now = self.clock.now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            shift = await self._open_shift(tx, guild_id, shift_id, now)
            promoted: Person | None = None
            if await rows.release_place(tx, shift_id, actor.user_id):
                left_place = True
                await jobs.cancel_prefix(tx, reminder_key(shift_id, actor.user_id))
                await self._withdraw_handoffs(tx, shift_id, actor.user_id, stamp)
                await self._audit(
                    tx, guild_id, actor, "shift_left", shift_id, {"late": shift.starts_at - now <= LATE_LEAVE}
                )
                promoted = await self.promote_waiting(tx, guild_id, shift, stamp)
            elif await rows.leave_waitlist(tx, shift_id, actor.user_id):
                left_place = False
                await self._audit(tx, guild_id, actor, "shift_unwaitlisted", shift_id)
            else:
                raise NotOnShift(shift_id)
            updated = await rows.get(tx, guild_id, shift_id)
        assert updated is not None
        late = left_place and promoted is None and shift.starts_at - now <= LATE_LEAVE
        return LeaveOutcome(updated, left_place, promoted, late)

    async def promote_waiting(self, tx: Tx, guild_id: int, shift: Shift, stamp: float) -> Person | None:
        person = await rows.first_waiting(tx, shift.id)
        if person is None:
            return None
        await rows.leave_waitlist(tx, shift.id, person.user_id)
        if not await tx.run(rows.take_place, shift.id, person.user_id, person.name, now=stamp):
            raise AssertionError("a freed place vanished inside a write transaction")
        await self._schedule_reminders(
            tx, shift.id, shift.starts_at, person.user_id, await self._offsets(tx, guild_id, person.user_id)
        )
        await audit.record(
            tx,
            guild_id=guild_id,
            actor_id=person.user_id,
            actor_name=person.name,
            kind="shifts",
            action="shift_promoted",
            subject=str(shift.id),
            detail={},
            at=stamp,
        )
        return person

    # --- offerer's changes --------------------------------------------------------------------

    async def edit(
        self,
        guild_id: int,
        actor: Actor,
        shift_id: int,
        *,
        when: str | None = None,
        where: str | None = None,
        places: int | None = None,
        notes: str | None = None,
    ) -> ChangeOutcome:
        now = self.clock.now()
        stamp = now.timestamp()
        tz = await self.timezone(guild_id)
        new_start = parse_when(when, now=now, tz=tz) if when is not None else None
        if new_start is not None:
            rules.validate_start(new_start, now=now)
        new_where = one_line(clean_text(where, field="where", max_len=rules.WHERE_MAX)) if where is not None else None
        new_notes = (
            clean_text(notes, field="notes", max_len=rules.NOTES_MAX, required=False) if notes is not None else None
        )
        async with self.db.transaction() as tx:
            shift = await self._open_shift(tx, guild_id, shift_id, now)
            rules.ensure_offerer(shift_id=shift_id, offerer_id=shift.offerer_id, user_id=actor.user_id)
            changes: dict[str, object] = {}
            if new_start is not None and new_start != shift.starts_at:
                changes["starts_at"] = new_start
                changes["ends_at"] = new_start + (shift.ends_at - shift.starts_at)
            if new_where is not None and new_where != shift.location:
                changes["location"] = new_where
            if places is not None and places != shift.places:
                changes["places"] = rules.validate_new_places(requested=places, taken=shift.taken)
            if new_notes is not None and new_notes != shift.notes:
                changes["notes"] = new_notes
            if not changes:
                return ChangeOutcome(shift, [], old=shift)
            await rows.update(tx, shift_id, **changes)
            detail = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in changes.items()}
            await self._audit(tx, guild_id, actor, "shift_edited", shift_id, detail)
            if new_start is not None and "starts_at" in changes:
                await self._reschedule_all(tx, guild_id, shift_id, new_start)
                await self._schedule_start(tx, shift_id, new_start)
            new_places = changes.get("places")
            if isinstance(new_places, int) and new_places > shift.places:
                for _ in range(new_places - shift.places):  # more places: the waitlist moves up
                    if await self.promote_waiting(tx, guild_id, shift, stamp) is None:
                        break
            tell = await rows.people_to_tell(tx, shift_id)
            updated = await rows.get(tx, guild_id, shift_id)
        assert updated is not None
        return ChangeOutcome(
            updated,
            [u for u in tell if u != actor.user_id],
            time_changed="starts_at" in changes,
            place_changed="location" in changes,
            old=shift,
        )

    async def cancel(self, guild_id: int, actor: Actor, shift_id: int, reason: str) -> ChangeOutcome:
        now = self.clock.now()
        clean_reason = clean_text(reason, field="reason", max_len=CANCEL_REASON_MAX)
        async with self.db.transaction() as tx:
            shift = await self._open_shift(tx, guild_id, shift_id, now)
            rules.ensure_offerer(shift_id=shift_id, offerer_id=shift.offerer_id, user_id=actor.user_id)
            await rows.update(tx, shift_id, cancelled_at=now.timestamp(), cancel_reason=clean_reason)
            await jobs.cancel_prefix(tx, reminder_key(shift_id))
            for handoff in await rows.pending_handoffs(tx, shift_id):
                await rows.settle_handoff(tx, handoff.id, HandoffStatus.WITHDRAWN.value, now=now.timestamp())
                await jobs.cancel(tx, f"handoff:{handoff.id}")
            await self._audit(tx, guild_id, actor, "shift_cancelled", shift_id, {"reason": clean_reason})
            tell = await rows.people_to_tell(tx, shift_id)
            updated = await rows.get(tx, guild_id, shift_id)
        assert updated is not None
        return ChangeOutcome(updated, [u for u in tell if u != actor.user_id], old=shift)

    # --- handoffs ------------------------------------------------------------------------------

    async def offer_handoff(
        self,
        guild_id: int,
        actor: Actor,
        shift_id: int,
        *,
        recipient_id: int,
        recipient_name: str,
        recipient_is_bot: bool,
    ) -> HandoffOutcome:
        now = self.clock.now()
        async with self.db.transaction() as tx:
            shift = await self._open_shift(tx, guild_id, shift_id, now)
            if not await rows.holds_place(tx, shift_id, actor.user_id):
                raise NotOnShift(shift_id)
            rules.validate_handoff(
                actor.user_id,
                recipient_id,
                recipient_is_bot,
                recipient_on_shift=await rows.holds_place(tx, shift_id, recipient_id),
            )
            await self._withdraw_handoffs(tx, shift_id, actor.user_id, now.timestamp())
            handoff_id = await rows.create_handoff(
                tx, shift_id, actor.user_id, actor.name, recipient_id, recipient_name, now=now.timestamp()
            )
            await jobs.schedule(
                tx,
                HANDOFF_LAPSE_JOB,
                shift.starts_at.timestamp(),
                {"handoff_id": handoff_id},
                key=f"handoff:{handoff_id}",
                now=now.timestamp(),
            )
            await self._audit(tx, guild_id, actor, "handoff_offered", shift_id, {"to": recipient_name})
            handoff = await rows.get_handoff(tx, handoff_id)
        assert handoff is not None
        return HandoffOutcome(handoff, shift, HandoffStatus.PENDING)

    async def answer_handoff(self, handoff_id: int, actor: Actor, *, accept: bool) -> HandoffOutcome:
        """Only the recipient answers; only an accept moves the place, in one transaction."""
        now = self.clock.now()
        stamp = now.timestamp()
        async with self.db.transaction() as tx:
            handoff = await rows.get_handoff(tx, handoff_id)
            if handoff is None or handoff.recipient_id != actor.user_id:
                raise HandoffNotYours(handoff_id)
            status = rules.next_handoff_status(
                HandoffStatus(handoff.status), HandoffEvent.ACCEPT if accept else HandoffEvent.DECLINE
            )
            shift = await rows.get_any(tx, handoff.shift_id)
            assert shift is not None
            if accept:
                await self._open_shift(tx, shift.guild_id, shift.id, now)
                if await rows.holds_place(tx, shift.id, actor.user_id):
                    raise rules.HandoffRecipientOnShift(actor.user_id)
                if not await rows.holds_place(tx, shift.id, handoff.giver_id):
                    raise HandoffGiverGone(handoff_id)
                await rows.leave_waitlist(tx, shift.id, actor.user_id)
                await rows.move_place(tx, shift.id, handoff.giver_id, actor.user_id, actor.name, now=stamp)
                await jobs.cancel_prefix(tx, reminder_key(shift.id, handoff.giver_id))
                await self._schedule_reminders(
                    tx,
                    shift.id,
                    shift.starts_at,
                    actor.user_id,
                    await self._offsets(tx, shift.guild_id, actor.user_id),
                )
            await rows.settle_handoff(tx, handoff_id, status.value, now=stamp)
            await jobs.cancel(tx, f"handoff:{handoff_id}")
            await self._audit(
                tx, shift.guild_id, actor, f"handoff_{status.value}", shift.id, {"from": handoff.giver_name}
            )
            updated = await rows.get_any(tx, shift.id)
            settled = await rows.get_handoff(tx, handoff_id)
        assert updated is not None and settled is not None
        return HandoffOutcome(settled, updated, status)

    async def lapse_handoff(self, handoff_id: int, finish: Callable[[Tx], Awaitable[bool]]) -> HandoffOutcome | None:
        """The shift started before the recipient answered: the offer ends (job handler)."""
        stamp = self.clock.timestamp()
        async with self.db.transaction() as tx:
            handoff = await rows.get_handoff(tx, handoff_id)
            if handoff is None or not await rows.settle_handoff(tx, handoff_id, HandoffStatus.LAPSED.value, now=stamp):
                await finish(tx)
                return None
            shift = await rows.get_any(tx, handoff.shift_id)
            assert shift is not None
            await audit.record(
                tx,
                guild_id=shift.guild_id,
                actor_id=None,
                actor_name="Rota",
                kind="shifts",
                action="handoff_lapsed",
                subject=str(shift.id),
                detail={"from": handoff.giver_name},
                at=stamp,
            )
            await finish(tx)
            settled = await rows.get_handoff(tx, handoff_id)
        assert settled is not None
        return HandoffOutcome(settled, shift, HandoffStatus.LAPSED)

    async def _withdraw_handoffs(self, tx: Tx, shift_id: int, giver_id: int, stamp: float) -> None:
        for handoff in await rows.pending_handoffs(tx, shift_id):
            if handoff.giver_id == giver_id:
                await rows.settle_handoff(tx, handoff.id, HandoffStatus.WITHDRAWN.value, now=stamp)
                await jobs.cancel(tx, f"handoff:{handoff.id}")

    # --- reminders ----------------------------------------------------------------------------

    async def set_reminders(self, guild_id: int, actor: Actor, text: str) -> tuple[timedelta, ...]:
        """A member's own reminder times for this server; their upcoming reminders move at once."""
        offsets = rules.parse_reminder_offsets(text)
        stored = ",".join(f"{int(o.total_seconds() // 60)}m" for o in offsets) or "off"
        now = self.clock.now()
        async with self.db.transaction() as tx:
            await rows.set_reminder_choice(tx, guild_id, actor.user_id, stored)
            for shift in await rows.held_upcoming(tx, guild_id, actor.user_id, after=now):
                await jobs.cancel_prefix(tx, reminder_key(shift.id, actor.user_id))
                await self._schedule_reminders(tx, shift.id, shift.starts_at, actor.user_id, offsets)
        return offsets

    async def reminder_offsets(self, guild_id: int, user_id: int) -> tuple[timedelta, ...]:
        return await self._offsets(self.db, guild_id, user_id)

    async def due_reminder(self, shift_id: int, user_id: int) -> Reminder | None:
        """What a reminder job should say, or None if it no longer applies."""
        shift = await rows.get_any(self.db, shift_id)
        if shift is None or shift.cancelled or shift.starts_at <= self.clock.now():
            return None
        if not await rows.holds_place(self.db, shift_id, user_id):
            return None
        return Reminder(shift, user_id)

    async def _offsets(self, db: Database | Tx, guild_id: int, user_id: int) -> tuple[timedelta, ...]:
        choice = await rows.reminder_choice(db, guild_id, user_id)
        if choice is None:
            choice = (await settings_rows.load(db, guild_id)).reminder_offsets
        return rules.parse_reminder_offsets(choice)

    async def _schedule_reminders(
        self, tx: Tx, shift_id: int, starts_at: datetime, user_id: int, offsets: tuple[timedelta, ...]
    ) -> None:
        await tx.run(self._write_reminders, shift_id, starts_at, user_id, offsets)

    def _write_reminders(
        self, tx: SyncTx, shift_id: int, starts_at: datetime, user_id: int, offsets: tuple[timedelta, ...]
    ) -> None:
        now = self.clock.now()
        due = [
            (when.timestamp(), reminder_key(shift_id, user_id, int(offset.total_seconds() // 60)))
            for offset in offsets
            if (when := starts_at - offset) > now
        ]
        jobs.schedule_keyed(tx, REMINDER_JOB, due, {"shift_id": shift_id, "user_id": user_id}, now=now.timestamp())

    async def _schedule_start(self, tx: Tx, shift_id: int, starts_at: datetime) -> None:
        """At the start the card closes its buttons (places can no longer change)."""
        await jobs.schedule(
            tx,
            SHIFT_STARTED_JOB,
            starts_at.timestamp(),
            {"shift_id": shift_id},
            key=f"shift-start:{shift_id}",
            now=self.clock.timestamp(),
        )

    async def _reschedule_all(self, tx: Tx, guild_id: int, shift_id: int, starts_at: datetime) -> None:
        await jobs.cancel_prefix(tx, reminder_key(shift_id))
        for person in await rows.holders(tx, shift_id):
            offsets = await self._offsets(tx, guild_id, person.user_id)
            await self._schedule_reminders(tx, shift_id, starts_at, person.user_id, offsets)
        for handoff in await rows.pending_handoffs(tx, shift_id):
            await jobs.schedule(
                tx,
                HANDOFF_LAPSE_JOB,
                starts_at.timestamp(),
                {"handoff_id": handoff.id},
                key=f"handoff:{handoff.id}",
                now=self.clock.timestamp(),
            )

    # --- helpers ------------------------------------------------------------------------------

    async def _open_shift(self, tx: Tx, guild_id: int, shift_id: int, now: datetime) -> Shift:
        shift = await rows.get(tx, guild_id, shift_id)
        if shift is None:
            raise ShiftNotFound(shift_id)
        rules.ensure_open(shift_id=shift_id, cancelled=shift.cancelled, starts_at=shift.starts_at, now=now)
        return shift

    async def _audit(
        self, tx: Tx, guild_id: int, actor: Actor, action: str, shift_id: int, detail: dict[str, object] | None = None
    ) -> None:
        await tx.run(self._write_audit, guild_id, actor, action, shift_id, detail)

    def _write_audit(
        self,
        tx: SyncTx,
        guild_id: int,
        actor: Actor,
        action: str,
        shift_id: int,
        detail: dict[str, object] | None = None,
    ) -> None:
        audit.write(
            tx,
            guild_id=guild_id,
            actor_id=actor.user_id,
            actor_name=actor.name,
            kind="shifts",
            action=action,
            subject=str(shift_id),
            detail=detail or {},
            at=self.clock.timestamp(),
        )
