"""Shift use cases: offer, claim, leave, edit, cancel (handing a place on is `handoffs.py`).

Each runs in one transaction (its server locked first) that re-reads what it needs, writes the change and its
audit row, and (re)schedules reminder jobs. The result tells the caller whom to notify; sending
messages happens after the commit, in the Discord layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import shifts as rules
from bot.domain.errors import NotOnShift, PlacesFromRoles, RolesTooLate, ShiftNotFound, UnknownRole
from bot.domain.members import Actor
from bot.domain.records import Person, Shift
from bot.domain.repeats import series_starts
from bot.domain.roles import Role, RoleSpec, change_roles, find_role, parse_roles
from bot.domain.shifts import ClaimKind, ClaimResult
from bot.domain.text import clean_text, one_line
from bot.domain.timeparse import parse_day_or_when, parse_duration, parse_when, to_utc
from bot.services.batching import Batcher
from bot.services.reminders import Reminders, chosen_offsets
from bot.store import audit
from bot.store import settings as settings_rows
from bot.store import shifts as rows
from bot.store.database import Database, Tx

if TYPE_CHECKING:
    from bot.services.handoffs import HandoffService

LATE_LEAVE = timedelta(hours=24)
CANCEL_REASON_MAX = 300


@dataclass(frozen=True, slots=True)
class ShiftDetails:
    shift: Shift
    holders: list[Person]
    waiting: list[Person]
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    shift: Shift
    result: ClaimResult
    role: int = 0  # the role's position (0: the shift has no roles)


@dataclass(frozen=True, slots=True)
class LeaveOutcome:
    shift: Shift
    left_place: bool
    promoted: Person | None
    late: bool


@dataclass(frozen=True, slots=True)
class CheckIn:
    shift: Shift
    new: bool  # False: they had checked in already


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    """An edit or a cancellation: who should hear about it and what changed."""

    shift: Shift
    tell: list[int]
    time_changed: bool = False
    place_changed: bool = False
    old: Shift | None = None


@dataclass
class ShiftService:
    db: Database
    clock: Clock
    reminders: Reminders
    handoffs: HandoffService
    #: Claims that arrive together share one transaction (a burst costs one commit, not fifty).
    claims: Batcher = field(init=False)
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.claims = Batcher(self.db)

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
        return await self._details(shift)

    async def _details(self, shift: Shift) -> ShiftDetails:
        holders, waiting = await rows.holders(self.db, shift.id), await rows.waiting(self.db, shift.id)
        return ShiftDetails(shift, holders, waiting, await rows.roles(self.db, shift.id))

    async def guild_of(self, shift_id: int) -> int:
        """The server a shift belongs to (for answers that come by DM, where Discord names none)."""
        shift = await rows.get_any(self.db, shift_id)
        if shift is None:
            raise ShiftNotFound(shift_id)
        return shift.guild_id

    async def card_details(self, shift_id: int) -> ShiftDetails | None:
        shift = await rows.get_any(self.db, shift_id)
        if shift is None:
            return None
        return await self._details(shift)

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

    async def roles_of(self, shifts: list[Shift]) -> dict[int, tuple[Role, ...]]:
        """The roles of each listed shift that has roles."""
        return await rows.roles_of(self.db, [shift.id for shift in shifts])

    async def roles_held(self, user_id: int, shifts: list[Shift]) -> dict[int, str]:
        """The role the member holds on each shift that has roles."""
        return await rows.role_names(self.db, user_id, [shift.id for shift in shifts])

    async def waiting_on(self, user_id: int, shifts: list[Shift]) -> set[int]:
        """The listed shifts the member waits for a place on (a calendar shows them as tentative)."""
        return await rows.waiting_on(self.db, user_id, [shift.id for shift in shifts])

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
        repeat: str | None = None,
        count: int | None = None,
        until: str | None = None,
        join: bool = True,
        proposal_id: int | None = None,
        closes: str | None = None,
        roles: str | None = None,
    ) -> list[Shift]:
        """Create one shift, or a series (`repeat`: `weekly`, `monthly on the first saturday`...,
        for `count` shifts or `until` a date). The offerer takes the first place if they said so."""
        tz = await self.timezone(guild_id)
        now = self.clock.now()
        starts_at = parse_when(when, now=now, tz=tz, language=actor.language)
        # With roles ("3 leafleters, 1 driver"), the places are theirs added up.
        role_specs = parse_roles(roles, total_max=rules.PLACES_MAX) if roles else ()
        draft = rules.validate_offer(
            starts_at=starts_at,
            duration=parse_duration(duration, language=actor.language),
            places=sum(spec.places for spec in role_specs) if role_specs else places,
            where=where,
            notes=notes,
            now=now,
        )
        if repeat:
            end = (
                None
                if until is None
                else parse_day_or_when(until, now=now, tz=tz, end_of_day=True, language=actor.language)
            )
            starts = series_starts(draft.starts_at, tz, repeat, count=count, until=end)
        else:
            starts = [draft.starts_at]
        rules.validate_start(starts[-1], now=now)
        # Sign-up closes as long before each shift of a series as before the first.
        close_ahead = (
            None
            if not closes
            else draft.starts_at
            - rules.signup_closes_at(closes, starts_at=draft.starts_at, now=now, tz=tz, language=actor.language)
        )
        created: list[int] = []
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            series_id: int | None = None
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
                    closes_at=None if close_ahead is None else start - close_ahead,
                )
                await self.reminders.schedule_card_moments(tx, shift_id, start, start + draft.duration)
                if role_specs:
                    await rows.add_roles(tx, shift_id, role_specs)
                if close_ahead is not None:
                    await self.reminders.schedule_card_moment(tx, shift_id, "close", start - close_ahead)
                if series_id is None and len(starts) > 1:
                    series_id = shift_id
                    await rows.start_series(tx, shift_id)
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
                    await rows.take_place(
                        tx, shift_id, actor.user_id, actor.name, now=stamp, role=1 if role_specs else 0
                    )
                    await self.reminders.schedule(tx, guild_id, shift_id, start, actor.user_id)
            return [s for s in [await rows.get(tx, guild_id, i) for i in created] if s is not None]

    async def attach_card(self, shift_id: int, *, channel_id: int, message_id: int, thread_id: int | None) -> None:
        """Remember where the card is (no rule depends on it, so no server lock)."""
        async with self.db.transaction() as tx:
            await rows.set_card(tx, shift_id, channel_id=channel_id, message_id=message_id, thread_id=thread_id)

    async def reattach_card(self, shift_id: int, *, was: int, message_id: int, thread_id: int | None) -> bool:
        """A deleted card was posted again in its channel: remember its new message, unless the
        stored one is no longer `was` (another process posted it again first); True when stored."""
        async with self.db.transaction() as tx:
            current = await rows.get_any(tx, shift_id)
            if current is None or current.message_id != was or current.channel_id is None:
                return False
            await rows.set_card(tx, shift_id, channel_id=current.channel_id, message_id=message_id, thread_id=thread_id)
            return True

    # --- claiming and leaving -----------------------------------------------------------------

    async def roles(self, guild_id: int, shift_id: int) -> tuple[Role, ...]:
        """A shift's roles (none for another server's shift)."""
        if await rows.get(self.db, guild_id, shift_id) is None:
            return ()
        return await rows.roles(self.db, shift_id)

    async def claim(
        self, guild_id: int, actor: Actor, shift_id: int, *, join_waitlist: bool = False, role: int | str | None = None
    ) -> ClaimOutcome:
        """The busiest use case: one statement reads everything it decides on, and claims that
        arrive together run as one transaction in one trip (`Batcher`), each in a part of its own."""
        now = self.clock.now()
        stamp = now.timestamp()

        async def work(tx: Tx) -> ClaimOutcome:
            position = role if isinstance(role, int) else 0
            if isinstance(role, str):  # a role by name (a typed command): find its position first
                found = find_role(await rows.roles(tx, shift_id), role)
                position = found.position if found is not None else -1
            view = await rows.claim_view(tx, guild_id, shift_id, actor.user_id, max(position, 0))
            if view is None:
                raise ShiftNotFound(shift_id)
            shift = updated = view.shift
            rules.ensure_open(shift_id=shift_id, cancelled=shift.cancelled, starts_at=shift.starts_at, now=now)
            rules.ensure_signup_open(shift_id=shift_id, closes_at=shift.closes_at, now=now)
            if view.role_count and view.role_places is None:  # roles, and none (or no such one) named
                raise UnknownRole(shift_id, tuple(r.name for r in await rows.roles(tx, shift_id)))
            if not view.role_count:
                position = 0
            result = rules.claim_outcome(
                places=shift.places if view.role_places is None else view.role_places,
                taken=shift.taken if view.role_taken is None else view.role_taken,
                is_on=view.is_on,
                waitlist_position=view.waitlist_position,
                waitlist_length=view.waitlist_length,
                join_waitlist=join_waitlist,
            )
            if result.kind is ClaimKind.CLAIMED:
                if not await rows.take_place(tx, shift_id, actor.user_id, actor.name, now=stamp, role=position):
                    raise AssertionError("capacity changed inside a write transaction")
                updated = replace(shift, taken=shift.taken + 1)
                offsets = chosen_offsets(view.reminder_offsets)
                await self.reminders.write(
                    tx, shift_id, shift.starts_at, actor.user_id, offsets, view.still_coming_minutes
                )
                await self._audit(tx, guild_id, actor, "shift_claimed", shift_id)
            elif result.kind is ClaimKind.WAITLISTED:
                await rows.join_waitlist(tx, shift_id, actor.user_id, actor.name, now=stamp, role=position)
                await self._audit(
                    tx, guild_id, actor, "shift_waitlisted", shift_id, {"position": result.waitlist_position}
                )
            return ClaimOutcome(updated, result, position)

        return await self.claims.run(guild_id, work)

    async def leave(self, guild_id: int, actor: Actor, shift_id: int) -> LeaveOutcome:
        """Give up a place (or a waitlist spot). The first on the waitlist moves up in the same transaction."""
        now = self.clock.now()
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            shift = await open_shift(tx, guild_id, shift_id, now)
            promoted: Person | None = None
            released = await rows.release_place(tx, shift_id, actor.user_id)
            if released is not None:
                left_place = True
                await self.reminders.drop(tx, shift_id, actor.user_id)
                await self.handoffs.withdraw_all(tx, shift_id, stamp, giver_id=actor.user_id)
                await self._audit(
                    tx, guild_id, actor, "shift_left", shift_id, {"late": shift.starts_at - now <= LATE_LEAVE}
                )
                promoted = await self.promote_waiting(tx, guild_id, shift, stamp, role=released)
            elif await rows.leave_waitlist(tx, shift_id, actor.user_id):
                left_place = False
                await self._audit(tx, guild_id, actor, "shift_unwaitlisted", shift_id)
            else:
                raise NotOnShift(shift_id)
            updated = await rows.get(tx, guild_id, shift_id)
        assert updated is not None
        late = left_place and promoted is None and shift.starts_at - now <= LATE_LEAVE
        return LeaveOutcome(updated, left_place, promoted, late)

    async def check_in(self, guild_id: int, actor: Actor, shift_id: int) -> CheckIn:
        """The member checks themselves in ("I'm here"); nobody can check in anyone else, and not
        checking in is never recorded."""
        now = self.clock.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            shift = await rows.get(tx, guild_id, shift_id)
            if shift is None:
                raise ShiftNotFound(shift_id)
            rules.ensure_check_in_open(
                shift_id=shift_id, cancelled=shift.cancelled, starts_at=shift.starts_at, ends_at=shift.ends_at, now=now
            )
            new = await rows.check_in(tx, shift_id, actor.user_id, at=now.timestamp())
        if new is None:
            raise NotOnShift(shift_id)
        return CheckIn(shift, new)

    async def promote_waiting(
        self, tx: Tx, guild_id: int, shift: Shift, stamp: float, *, role: int = 0
    ) -> Person | None:
        """A place (of `role`) freed up: the first waiting for it takes it."""
        person = await rows.first_waiting(tx, shift.id, role)
        if person is None:
            return None
        await rows.leave_waitlist(tx, shift.id, person.user_id)
        if not await rows.take_place(tx, shift.id, person.user_id, person.name, now=stamp, role=role):
            raise AssertionError("a freed place vanished inside a write transaction")
        await self.reminders.schedule(tx, guild_id, shift.id, shift.starts_at, person.user_id)
        await self._audit(tx, guild_id, Actor(person.user_id, person.name), "shift_promoted", shift.id)
        return person

    # --- offerer's changes --------------------------------------------------------------------

    async def later_in_series(self, guild_id: int, shift_id: int) -> int:
        """How many shifts of its series come after this one (0: not part of a series, or the last)."""
        shift = await rows.get(self.db, guild_id, shift_id)
        return 0 if shift is None else len(await rows.later_in_series(self.db, shift))

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
        later: bool = False,
        roles: str | None = None,
        closes: str | None = None,
    ) -> list[ChangeOutcome]:
        """Change a shift, or (`later`) it and every later shift of its series: a new time moves
        each by the same local wall-clock step. All or nothing: one refusal changes none."""
        now = self.clock.now()
        stamp = now.timestamp()
        tz = await self.timezone(guild_id)
        new_start = parse_when(when, now=now, tz=tz, language=actor.language) if when is not None else None
        if new_start is not None:
            rules.validate_start(new_start, now=now)
        new_where = one_line(clean_text(where, field="where", max_len=rules.WHERE_MAX)) if where is not None else None
        wanted_roles = parse_roles(roles, total_max=rules.PLACES_MAX) if roles else ()
        new_notes = (
            clean_text(notes, field="notes", max_len=rules.NOTES_MAX, required=False) if notes is not None else None
        )
        async with self.db.transaction(guild_id=guild_id) as tx:
            first = await open_shift(tx, guild_id, shift_id, now)
            rules.ensure_offerer(shift_id=shift_id, offerer_id=first.offerer_id, user_id=actor.user_id)
            targets = [first, *(await rows.later_in_series(tx, first) if later else [])]
            # A new sign-up close is as long before each shift as it is before the first one.
            first_start = new_start or first.starts_at
            close_ahead = (
                None
                if not closes
                else first_start
                - rules.signup_closes_at(closes, starts_at=first_start, now=now, tz=tz, language=actor.language)
            )
            outcomes = []
            for shift in targets:
                start = None if new_start is None else _moved_like(shift.starts_at, first.starts_at, new_start, tz)
                closes_at = None if close_ahead is None else (start or shift.starts_at) - close_ahead
                outcome = await self._edit_one(
                    tx, guild_id, actor, shift, start, new_where, places, new_notes, stamp, wanted_roles, closes_at
                )
                outcomes.append(outcome)
        return outcomes

    async def _edit_one(
        self,
        tx: Tx,
        guild_id: int,
        actor: Actor,
        shift: Shift,
        new_start: datetime | None,
        new_where: str | None,
        places: int | None,
        new_notes: str | None,
        stamp: float,
        wanted_roles: tuple[RoleSpec, ...] = (),
        closes_at: datetime | None = None,
    ) -> ChangeOutcome:
        shift_id = shift.id
        changes: dict[str, object] = {}
        if closes_at is not None and closes_at != shift.closes_at:
            changes["closes_at"] = closes_at
        grown: list[int] = []  # roles that gained places: their waitlists move up
        new_roles: tuple[Role, ...] = ()
        if wanted_roles:
            current, busy = await rows.roles(tx, shift_id), await rows.busy_roles(tx, shift_id)
            if not current and busy:
                raise RolesTooLate(shift_id)
            new_roles = change_roles(current, wanted_roles, busy=busy)
            old_places = {role.position: role.places for role in current}
            grown = [r.position for r in new_roles for _ in range(r.places - old_places.get(r.position, r.places))]
            if new_roles == current:
                new_roles = ()  # nothing to change
            else:
                await rows.set_roles(tx, shift_id, new_roles)
                total = sum(role.places for role in new_roles)
                if total != shift.places:
                    changes["places"] = rules.validate_places(total)
        if new_start is not None and new_start != shift.starts_at:
            changes["starts_at"] = new_start
            changes["ends_at"] = new_start + (shift.ends_at - shift.starts_at)
        if new_where is not None and new_where != shift.location:
            changes["location"] = new_where
        if places is not None and places != shift.places:
            if await rows.roles(tx, shift_id):
                raise PlacesFromRoles(shift_id)
            changes["places"] = rules.validate_new_places(requested=places, taken=shift.taken)
        if new_notes is not None and new_notes != shift.notes:
            changes["notes"] = new_notes
        if not changes and not new_roles:
            return ChangeOutcome(shift, [], old=shift)
        await rows.update(tx, shift_id, at=stamp, **(changes or {"places": shift.places}))  # a new revision
        detail = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in changes.items()}
        if new_roles:
            detail["roles"] = ", ".join(f"{role.places} {role.name}" for role in new_roles)
        await self._audit(tx, guild_id, actor, "shift_edited", shift_id, detail)
        if new_start is not None and "starts_at" in changes:
            await self.reminders.reschedule_all(
                tx, guild_id, shift_id, new_start, new_start + (shift.ends_at - shift.starts_at)
            )
            await self.handoffs.move_lapses(tx, shift_id, new_start)
        if "closes_at" in changes and closes_at is not None:
            await self.reminders.schedule_card_moment(tx, shift_id, "close", closes_at)
        for role in grown:  # a role with more places: its waitlist moves up
            await self.promote_waiting(tx, guild_id, shift, stamp, role=role)
        new_places = changes.get("places")
        if not wanted_roles and isinstance(new_places, int) and new_places > shift.places:
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

    async def cancel(
        self, guild_id: int, actor: Actor, shift_id: int, reason: str, *, later: bool = False
    ) -> list[ChangeOutcome]:
        """Cancel a shift, or (`later`) it and every later shift of its series."""
        now = self.clock.now()
        stamp = now.timestamp()
        clean_reason = clean_text(reason, field="reason", max_len=CANCEL_REASON_MAX)
        async with self.db.transaction(guild_id=guild_id) as tx:
            first = await open_shift(tx, guild_id, shift_id, now)
            rules.ensure_offerer(shift_id=shift_id, offerer_id=first.offerer_id, user_id=actor.user_id)
            outcomes = []
            for shift in [first, *(await rows.later_in_series(tx, first) if later else [])]:
                await rows.update(tx, shift.id, at=stamp, cancelled_at=stamp, cancel_reason=clean_reason)
                await self.reminders.drop(tx, shift.id)
                await self.handoffs.withdraw_all(tx, shift.id, stamp)
                await self._audit(tx, guild_id, actor, "shift_cancelled", shift.id, {"reason": clean_reason})
                tell = await rows.people_to_tell(tx, shift.id)
                updated = await rows.get(tx, guild_id, shift.id)
                assert updated is not None
                outcomes.append(ChangeOutcome(updated, [u for u in tell if u != actor.user_id], old=shift))
        return outcomes

    async def _audit(
        self, tx: Tx, guild_id: int, actor: Actor, action: str, shift_id: int, detail: dict[str, object] | None = None
    ) -> None:
        await write_shift_audit(tx, guild_id, actor, action, shift_id, detail or {}, at=self.clock.timestamp())


def _moved_like(start: datetime, first: datetime, new_first: datetime, tz: ZoneInfo) -> datetime:
    """Where a later shift of a series goes when the first moves: the same step in local wall-clock
    time (a Saturday 10:00 moved to 11:00 stays 11:00 after the clocks change)."""
    step = new_first.astimezone(tz).replace(tzinfo=None) - first.astimezone(tz).replace(tzinfo=None)
    return to_utc(start.astimezone(tz).replace(tzinfo=None) + step, tz).astimezone(UTC)


async def open_shift(tx: Tx, guild_id: int, shift_id: int, now: datetime) -> Shift:
    """A shift of this server whose places can still change (not cancelled, not started)."""
    shift = await rows.get(tx, guild_id, shift_id)
    if shift is None:
        raise ShiftNotFound(shift_id)
    rules.ensure_open(shift_id=shift_id, cancelled=shift.cancelled, starts_at=shift.starts_at, now=now)
    return shift


async def write_shift_audit(
    tx: Tx, guild_id: int, actor: Actor | None, action: str, shift_id: int, detail: dict[str, object], *, at: float
) -> None:
    """A shift's audit row (`actor` None: Rota itself, e.g. an offer that lapsed)."""
    await audit.record(
        tx, guild_id=guild_id, actor=actor, kind="shifts", action=action, subject=str(shift_id), detail=detail, at=at
    )
