"""Shift rules: what a valid offer is, whether a shift still accepts changes, what a claim attempt
means for the member, who may be handed a place, and which reminder times a member may choose.

Two rules live in the store, because they must hold inside the statement that writes:
- **Capacity:** `bot.store.shifts.take_place` takes a place with a guarded UPDATE
  (`taken < places`), backed by a CHECK constraint, so no race can overbook a shift.
- **The waitlist order:** first come, first served (the lower user id breaks a tie), written once
  as `bot.store.shifts.WAITLIST_ORDER`; promotions, positions and listings all use it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import (
    BadDuration,
    BadPlaces,
    BadReminderOffset,
    BadSignupClose,
    CheckInNotOpen,
    CheckInOver,
    HandoffRecipientOnShift,
    HandoffToBot,
    HandoffToSelf,
    NotOfferer,
    PlacesBelowTaken,
    ShiftCancelled,
    ShiftStarted,
    SignupClosed,
    TimeInPast,
    TooFarAhead,
    TooManyReminders,
    UnparseableTime,
)
from bot.domain.text import clean_text, one_line
from bot.domain.timeparse import MAX_DAYS_AHEAD, parse_duration, parse_when

PLACES_MIN = 1
PLACES_MAX = 50
DURATION_MIN = timedelta(minutes=15)
DURATION_MAX = timedelta(hours=24)
WHERE_MAX = 100
NOTES_MAX = 500

REMINDERS_MAX = 3
REMINDER_MIN = timedelta(minutes=5)
REMINDER_MAX = timedelta(days=7)
#: Words that turn reminders (or the "still coming?" question) off.
OFF_WORDS = frozenset({"off", "none", "no", "0", ""})


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


#: How "a length before the start" ends in each language: `2h before`, `2h vorher`, `2h antes`, `2h avant`.
_BEFORE = ("before", "vorher", "davor", "antes", "avant")


def signup_closes_at(text: str, *, starts_at: datetime, now: datetime, tz: ZoneInfo, language: str) -> datetime:
    """When sign-up for a shift closes: `2h before` (a length before the start) or a time.

    It must fall after now and no later than the start; anything else is refused with the reason.
    """
    _require_aware(starts_at, now)
    words = text.strip().lower().split()
    try:
        if len(words) > 1 and words[-1] in _BEFORE:
            closes = starts_at - parse_duration(" ".join(words[:-1]), language=language)
        else:
            closes = parse_when(text, now=now, tz=tz, language=language)
    except (BadDuration, UnparseableTime, TimeInPast, TooFarAhead):
        raise BadSignupClose(text[:60], starts_at) from None
    if not now < closes <= starts_at:
        raise BadSignupClose(text[:60], starts_at)
    return closes


#: Holders can check themselves in from this long before the start until the end.
CHECK_IN_OPENS = timedelta(minutes=30)


def check_in_opens(starts_at: datetime) -> datetime:
    return starts_at - CHECK_IN_OPENS


def ensure_check_in_open(
    *, shift_id: int, cancelled: bool, starts_at: datetime, ends_at: datetime, now: datetime
) -> None:
    """A holder checks in only themselves, from 30 minutes before the start until the end."""
    _require_aware(starts_at, ends_at, now)
    if cancelled:
        raise ShiftCancelled(shift_id)
    if now < check_in_opens(starts_at):
        raise CheckInNotOpen(shift_id, check_in_opens(starts_at))
    if now > ends_at:
        raise CheckInOver(shift_id)


def ensure_signup_open(*, shift_id: int, closes_at: datetime | None, now: datetime) -> None:
    """New claims (and waitlist joins) stop when sign-up closes; leaving and handoffs go on."""
    if closes_at is not None and now >= closes_at:
        raise SignupClosed(shift_id, closes_at)


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
    FULL = "full"


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """The outcome of a claim; `waitlist_position` (1-based) is set for the waitlist kinds and FULL
    (where it is the position the member would get by joining)."""

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

    @classmethod
    def full(cls, position: int) -> ClaimResult:
        """Every place is taken and the member did not ask to wait; they would be `position`."""
        return cls(ClaimKind.FULL, position)


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
    is taken, the member joins the waitlist only if they asked to; otherwise the result is FULL,
    with the position they would get.
    """
    if is_on:
        return ClaimResult.already_on()
    if waitlist_position is not None:
        return ClaimResult.already_waitlisted(waitlist_position)
    if taken < places:
        return ClaimResult.claimed()
    if join_waitlist:
        return ClaimResult.waitlisted(waitlist_length + 1)
    return ClaimResult.full(waitlist_length + 1)


# --- handoff -----------------------------------------------------------------------------------


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
    if text.strip().lower() in OFF_WORDS:
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
