"""Shift rules that are more than one SQL statement: offering, claiming, handoffs, waitlist, reminders.

Capacity itself is enforced by the store inside the writing statement (never checked in Python
between two awaits); this module decides everything around it: what a valid offer is, whether a
shift still accepts changes, what a claim attempt means for the member, how a handoff moves through
its states, who comes off the waitlist first and when reminders go out.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import (
    BadDuration,
    BadPlaces,
    BadReminderOffset,
    HandoffClosed,
    HandoffRecipientOnShift,
    HandoffToBot,
    HandoffToSelf,
    NotOfferer,
    PlacesBelowTaken,
    ShiftCancelled,
    ShiftFull,
    ShiftStarted,
    TimeInPast,
    TooFarAhead,
    TooManyReminders,
)
from bot.domain.text import clean_text, one_line
from bot.domain.timeparse import parse_duration

PLACES_MIN = 1
PLACES_MAX = 50
DURATION_MIN = timedelta(minutes=15)
DURATION_MAX = timedelta(hours=24)
MAX_DAYS_AHEAD = 365
WHERE_MAX = 100
NOTES_MAX = 500

REMINDERS_MAX = 3
REMINDER_MIN = timedelta(minutes=5)
REMINDER_MAX = timedelta(days=7)
_REMINDERS_OFF = frozenset({"off", "none", "no", "0", ""})


def _format_span(value: timedelta) -> str:
    """Compact text for a duration (`1h30m`) so a range error can echo what it was given."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return "".join(parts) or "0m"


def _require_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")


# --- offering ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShiftDraft:
    """A validated offer, ready for the store. `notes` is "" when none were given."""

    starts_at: datetime
    duration: timedelta
    places: int
    where: str
    notes: str

    @property
    def ends_at(self) -> datetime:
        """When the shift ends."""
        return self.starts_at + self.duration


def validate_places(places: int) -> int:
    """Check a number of places (1..50); used by offers and edits."""
    if not PLACES_MIN <= places <= PLACES_MAX:
        raise BadPlaces(places, PLACES_MIN, PLACES_MAX)
    return places


def validate_duration(duration: timedelta) -> timedelta:
    """Check a shift length (15 min .. 24 h); the error echoes it as compact text."""
    if not DURATION_MIN <= duration <= DURATION_MAX:
        raise BadDuration(_format_span(duration), DURATION_MIN, DURATION_MAX)
    return duration


def validate_start(starts_at: datetime, *, now: datetime) -> datetime:
    """Check a start time is in the future and at most 365 days ahead."""
    _require_aware(starts_at, now)
    if starts_at <= now:
        raise TimeInPast(starts_at)
    if starts_at - now > timedelta(days=MAX_DAYS_AHEAD):
        raise TooFarAhead(starts_at, MAX_DAYS_AHEAD)
    return starts_at


def validate_offer(
    *,
    starts_at: datetime,
    duration: timedelta,
    places: int,
    where: str,
    notes: str,
    now: datetime,
) -> ShiftDraft:
    """Check everything a member typed to offer a shift and return the cleaned draft.

    Checks run in the order of the form (time, duration, places, where, notes) so the first error a
    member sees is the first field to fix.
    """
    validate_start(starts_at, now=now)
    validate_duration(duration)
    validate_places(places)
    clean_where = one_line(clean_text(where, field="where", max_len=WHERE_MAX))
    clean_notes = clean_text(notes, field="notes", max_len=NOTES_MAX, required=False)
    return ShiftDraft(starts_at, duration, places, clean_where, clean_notes)


def validate_new_places(*, requested: int, taken: int) -> int:
    """Check an edit of the number of places: in range and not below the places already taken."""
    validate_places(requested)
    if requested < taken:
        raise PlacesBelowTaken(requested, taken)
    return requested


def ensure_offerer(*, shift_id: int, offerer_id: int, user_id: int) -> None:
    """Only the member who offered a shift may edit or cancel it (no role grants more power)."""
    if user_id != offerer_id:
        raise NotOfferer(shift_id)


def ensure_open(*, shift_id: int, cancelled: bool, starts_at: datetime, now: datetime) -> None:
    """Places can change only on a shift that is neither cancelled nor started."""
    _require_aware(starts_at, now)
    if cancelled:
        raise ShiftCancelled(shift_id)
    if starts_at <= now:
        raise ShiftStarted(shift_id)


# --- claiming ----------------------------------------------------------------------------------


class ClaimKind(enum.Enum):
    """What a claim attempt did for the member."""

    CLAIMED = "claimed"
    WAITLISTED = "waitlisted"
    ALREADY_ON = "already_on"
    ALREADY_WAITLISTED = "already_waitlisted"


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """The outcome of a claim; `waitlist_position` (1-based) is set for the two waitlist kinds."""

    kind: ClaimKind
    waitlist_position: int | None = None

    @classmethod
    def claimed(cls) -> ClaimResult:
        """The member now holds a place."""
        return cls(ClaimKind.CLAIMED)

    @classmethod
    def waitlisted(cls, position: int) -> ClaimResult:
        """The member joined the waitlist at `position`."""
        return cls(ClaimKind.WAITLISTED, position)

    @classmethod
    def already_on(cls) -> ClaimResult:
        """The member already held a place; nothing changed."""
        return cls(ClaimKind.ALREADY_ON)

    @classmethod
    def already_waitlisted(cls, position: int) -> ClaimResult:
        """The member was already waiting at `position`; nothing changed."""
        return cls(ClaimKind.ALREADY_WAITLISTED, position)


def claim_outcome(
    *,
    places: int,
    taken: int,
    is_on: bool,
    waitlist_position: int | None,
    waitlist_length: int,
    join_waitlist: bool,
) -> ClaimResult:
    """Decide what a claim means given the shift's current numbers.

    The store then performs exactly this inside its transaction (and re-checks capacity in the
    writing statement). A member already on or waiting is told so, not added twice. When every place
    is taken, the member joins the waitlist only if they asked to; otherwise `ShiftFull` tells them
    the position they would get.
    """
    if is_on:
        return ClaimResult.already_on()
    if waitlist_position is not None:
        return ClaimResult.already_waitlisted(waitlist_position)
    if taken < places:
        return ClaimResult.claimed()
    if join_waitlist:
        return ClaimResult.waitlisted(waitlist_length + 1)
    raise ShiftFull(waitlist_position=waitlist_length + 1)


# --- waitlist ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    """A member waiting for a place on a shift, and since when."""

    user_id: int
    joined_at: datetime


def promotion_order(entries: Iterable[WaitlistEntry]) -> list[WaitlistEntry]:
    """The waitlist in the order places are offered: earliest joined first (user id breaks ties)."""
    return sorted(entries, key=lambda entry: (entry.joined_at, entry.user_id))


def promotions(entries: Iterable[WaitlistEntry], free_places: int) -> list[int]:
    """The user ids that move from the waitlist into the `free_places` just freed."""
    return [entry.user_id for entry in promotion_order(entries)[: max(free_places, 0)]]


def waitlist_position(entries: Iterable[WaitlistEntry], user_id: int) -> int | None:
    """A member's 1-based place in the waitlist, or None when they are not waiting."""
    for position, entry in enumerate(promotion_order(entries), start=1):
        if entry.user_id == user_id:
            return position
    return None


# --- handoff -----------------------------------------------------------------------------------


class HandoffStatus(enum.Enum):
    """Where a handoff stands; only PENDING is open, every other state is final."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


class HandoffEvent(enum.Enum):
    """What can happen to an open handoff: the recipient answers, time runs out, the giver retracts."""

    ACCEPT = "accept"
    DECLINE = "decline"
    LAPSE = "lapse"
    WITHDRAW = "withdraw"


_HANDOFF_RESULT = {
    HandoffEvent.ACCEPT: HandoffStatus.ACCEPTED,
    HandoffEvent.DECLINE: HandoffStatus.DECLINED,
    HandoffEvent.LAPSE: HandoffStatus.LAPSED,
    HandoffEvent.WITHDRAW: HandoffStatus.WITHDRAWN,
}


def next_handoff_status(current: HandoffStatus, event: HandoffEvent) -> HandoffStatus:
    """Move a handoff on; a settled handoff cannot change again (`HandoffClosed(status)`)."""
    if current is not HandoffStatus.PENDING:
        raise HandoffClosed(current)
    return _HANDOFF_RESULT[event]


def validate_handoff(
    giver_id: int, recipient_id: int, recipient_is_bot: bool, *, recipient_on_shift: bool = False
) -> None:
    """A place can be handed only to another human member who is not already on the shift."""
    if giver_id == recipient_id:
        raise HandoffToSelf(giver_id)
    if recipient_is_bot:
        raise HandoffToBot(recipient_id)
    if recipient_on_shift:
        raise HandoffRecipientOnShift(recipient_id)


# --- reminders ---------------------------------------------------------------------------------


def parse_reminder_offsets(text: str) -> tuple[timedelta, ...]:
    """Read reminder offsets before a shift, such as `24h,1h`; `off` (or empty) means none.

    At most 3, each 5 min .. 7 days; duplicates collapse; largest first (earliest reminder first).
    Raises `BadDuration(piece)`, `BadReminderOffset(piece, low, high)`, `TooManyReminders`.
    """
    if text.strip().lower() in _REMINDERS_OFF:
        return ()
    pieces = [piece.strip() for piece in re.split(r"[,;]", text) if piece.strip()]
    offsets: set[timedelta] = set()
    for piece in pieces:
        offset = parse_duration(piece)
        if not REMINDER_MIN <= offset <= REMINDER_MAX:
            raise BadReminderOffset(piece, REMINDER_MIN, REMINDER_MAX)
        offsets.add(offset)
    if len(offsets) > REMINDERS_MAX:
        raise TooManyReminders(len(offsets), REMINDERS_MAX)
    return tuple(sorted(offsets, reverse=True))


def reminder_times(starts_at: datetime, offsets: Sequence[timedelta], now: datetime) -> list[datetime]:
    """When to remind, earliest first, keeping only times still ahead of `now` (no late reminders)."""
    _require_aware(starts_at, now)
    return sorted({starts_at - offset for offset in offsets if starts_at - offset > now})
