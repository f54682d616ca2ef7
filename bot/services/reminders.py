"""Reminder DMs before a shift: each member's chosen times, and the jobs that send them.

A member's reminders are durable jobs keyed `remind:<shift>:<member>:<minutes>`, so moving a
shift, handing a place on or leaving replaces or drops exactly that member's jobs. The job that
closes a card's buttons when its shift starts lives here too: it moves whenever the start moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import shifts as rules
from bot.domain.members import Actor
from bot.domain.records import DEFAULT_REMINDER_OFFSETS, DEFAULT_STILL_COMING_MINUTES, Shift
from bot.store import jobs
from bot.store import shifts as rows
from bot.store.database import Database, Tx

REMINDER_JOB = "shift_reminder"
STILL_COMING_JOB = "shift_still_coming"
SHIFT_STARTED_JOB = "shift_started"  # (the name from before it covered every moment of a card)
CHECK_IN_MOMENT = "checkin"


def reminder_key(shift_id: int, user_id: int | None = None, minutes: int | None = None) -> str:
    """The job key of one reminder; without `minutes` (or `user_id`), the prefix of several."""
    key = f"remind:{shift_id}:"
    if user_id is not None:
        key += f"{user_id}:"
        if minutes is not None:
            key += f"{minutes}"
    return key


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder that is still due: the shift and the member to tell."""

    shift: Shift
    user_id: int
    role: str | None = None  # the role they hold, on a shift with roles


@dataclass
class Reminders:
    """Reminder times and jobs, used by every change that gives or takes a place."""

    db: Database
    clock: Clock

    async def set_reminders(self, guild_id: int, actor: Actor, text: str) -> tuple[timedelta, ...]:
        """A member's own reminder times for this server; their upcoming reminders move at once."""
        offsets = rules.parse_reminder_offsets(text)
        stored = ",".join(f"{int(o.total_seconds() // 60)}m" for o in offsets) or "off"
        now = self.clock.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            await rows.set_reminder_choice(tx, guild_id, actor.user_id, stored)
            still_coming = await rows.still_coming_minutes(tx, guild_id)
            for shift in await rows.held_upcoming(tx, guild_id, actor.user_id, after=now):
                await self.drop(tx, shift.id, actor.user_id)
                await self.write(tx, shift.id, shift.starts_at, actor.user_id, offsets, still_coming)
        return offsets

    async def reminder_offsets(self, guild_id: int, user_id: int) -> tuple[timedelta, ...]:
        """A member's reminder times here: their own choice, else the server's."""
        return await self._offsets(self.db, guild_id, user_id)

    async def due_reminder(self, shift_id: int, user_id: int) -> Reminder | None:
        """What a reminder job should say, or None if it no longer applies."""
        shift = await rows.get_any(self.db, shift_id)
        if shift is None or shift.cancelled or shift.starts_at <= self.clock.now():
            return None
        if not await rows.holds_place(self.db, shift_id, user_id):
            return None
        return Reminder(shift, user_id, (await rows.role_names(self.db, user_id, [shift_id])).get(shift_id))

    async def schedule(self, tx: Tx, guild_id: int, shift_id: int, starts_at: datetime, user_id: int) -> None:
        """Schedule a member's reminders for a place they just got, at their chosen times, and the
        server's "still coming?" question."""
        offsets = await self._offsets(tx, guild_id, user_id)
        still_coming = await rows.still_coming_minutes(tx, guild_id)
        await self.write(tx, shift_id, starts_at, user_id, offsets, still_coming)

    async def write(
        self,
        tx: Tx,
        shift_id: int,
        starts_at: datetime,
        user_id: int,
        offsets: tuple[timedelta, ...],
        still_coming_minutes: int | None,
    ) -> None:
        """Schedule reminders at `offsets` before the start and the "still coming?" question,
        skipping times already past. Both are keyed under the member's reminder prefix, so leaving
        or handing the place on drops them together."""
        now = self.clock.now()
        due = [
            (when.timestamp(), reminder_key(shift_id, user_id, int(offset.total_seconds() // 60)))
            for offset in offsets
            if (when := starts_at - offset) > now
        ]
        payload = {"shift_id": shift_id, "user_id": user_id}
        await jobs.schedule_keyed(tx, REMINDER_JOB, due, payload, now=now.timestamp())
        minutes = DEFAULT_STILL_COMING_MINUTES if still_coming_minutes is None else still_coming_minutes
        ask_at = starts_at - timedelta(minutes=minutes)
        if minutes and ask_at > now:
            key = reminder_key(shift_id, user_id) + "still-coming"
            await jobs.schedule_keyed(tx, STILL_COMING_JOB, [(ask_at.timestamp(), key)], payload, now=now.timestamp())

    async def drop(self, tx: Tx, shift_id: int, user_id: int | None = None) -> None:
        """Drop one member's reminders for a shift, or everyone's."""
        await jobs.cancel_prefix(tx, reminder_key(shift_id, user_id))

    async def reschedule_all(
        self, tx: Tx, guild_id: int, shift_id: int, starts_at: datetime, ends_at: datetime
    ) -> None:
        """The shift moved: every holder's reminders and the card's moments move with it."""
        await self.drop(tx, shift_id)
        for person in await rows.holders(tx, shift_id):
            await self.schedule(tx, guild_id, shift_id, starts_at, person.user_id)
        await self.schedule_card_moments(tx, shift_id, starts_at, ends_at)

    async def schedule_card_moments(self, tx: Tx, shift_id: int, starts_at: datetime, ends_at: datetime) -> None:
        """The moments the card's buttons change: check-in opens (its thread is told), the start
        (places can no longer change), the end (check-in is over)."""
        await self.schedule_card_moment(tx, shift_id, CHECK_IN_MOMENT, rules.check_in_opens(starts_at))
        await self.schedule_card_moment(tx, shift_id, "start", starts_at)
        await self.schedule_card_moment(tx, shift_id, "end", ends_at)

    async def schedule_card_moment(self, tx: Tx, shift_id: int, moment: str, when: datetime) -> None:
        """Refresh the card at a moment its buttons change (sign-up closes, check-in opens, the
        start, the end): one job kind, which refreshes the card whatever the moment."""
        if when <= self.clock.now():
            return
        await jobs.schedule(
            tx,
            SHIFT_STARTED_JOB,
            when.timestamp(),
            {"shift_id": shift_id, "moment": moment},
            key=f"shift-{moment}:{shift_id}",
            now=self.clock.timestamp(),
        )

    async def _offsets(self, db: Database | Tx, guild_id: int, user_id: int) -> tuple[timedelta, ...]:
        return chosen_offsets(await rows.reminder_choice(db, guild_id, user_id))


def chosen_offsets(choice: str | None) -> tuple[timedelta, ...]:
    """The reminder times a member's or server's stored choice means (none stored: the default)."""
    return rules.parse_reminder_offsets(DEFAULT_REMINDER_OFFSETS if choice is None else choice)
