"""Typed errors for everything a member can get wrong.

Every expected, user-caused failure is a `RotaError` subclass carrying the values needed to explain
it. The domain never words a sentence: the Discord layer catches `RotaError`, looks at the class and
its fields, and renders a polite ephemeral message (and, later, translates it). Unexpected failures
are ordinary exceptions and are logged with their traceback.

All of them live here so the layer that words them has one place to look.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timedelta

from bot.domain.states import OfferKind, OfferStatus, Position


class RotaError(Exception):
    """Base of every expected, user-caused error; the bot turns it into a polite ephemeral reply."""

    def __str__(self) -> str:
        # Dataclass subclasses get a field-by-field repr, which is what a log line needs.
        return repr(self)

    def __eq__(self, other: object) -> bool:
        # Value equality (handy in tests); __hash__ below agrees with it.
        if type(self) is not type(other):
            return NotImplemented
        if not is_dataclass(self):
            return self is other
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self))

    def __hash__(self) -> int:
        # Equal errors must hash alike: the type and the field values, as __eq__ compares them.
        if not is_dataclass(self):
            return Exception.__hash__(self)  # compared by identity, so hashed by identity
        return hash((type(self), *(_hash_part(getattr(self, f.name)) for f in fields(self))))


def _hash_part(value: object) -> object:
    """The value itself, or one fixed stand-in for an unhashable value (a list, a dict).

    Not its repr: equal values can have different reprs (`{1: 0, 2: 0} == {2: 0, 1: 0}`, `[1] == [1.0]`),
    and a hash may only depend on what equality sees. Such errors then share a hash, which is allowed.
    """
    try:
        hash(value)
    except TypeError:
        return _UNHASHABLE
    return value


_UNHASHABLE = object()


# --- member text -------------------------------------------------------------------------------


@dataclass(eq=False)
class TextRequired(RotaError):
    """A required text field was empty (after removing invisible characters)."""

    field: str


@dataclass(eq=False)
class TextTooLong(RotaError):
    """A text field is longer than its limit (lengths in characters, after cleaning)."""

    field: str
    limit: int
    length: int


@dataclass(eq=False)
class MentionNotAllowed(RotaError):
    """A text field contains a mass or user/role mention; `mention` is the offending text."""

    field: str
    mention: str


# --- time --------------------------------------------------------------------------------------


@dataclass(eq=False)
class UnparseableTime(RotaError):
    """The date/time text could not be read."""

    text: str


@dataclass(eq=False)
class AmbiguousDate(RotaError):
    """A date in digits such as `5/12` that reads as two days (5 December or May 12) in a language that
    has no rule for which comes first; `day_first` and `month_first` are the two, with the month as a
    word ("5 dec", "may 12")."""

    text: str
    day_first: str
    month_first: str


@dataclass(eq=False)
class AmbiguousHour(RotaError):
    """An hour alone (`sat 10`): no minutes and no am/pm, so morning, evening or a day of the month."""

    text: str
    hour: int


@dataclass(eq=False)
class WeekdayMismatch(RotaError):
    """A weekday and a date that disagree (`fri 5 dec 10am` when 5 December is a Saturday); `when` is the
    instant the date and time name (UTC), so the member can see which day that is."""

    text: str
    when: datetime


@dataclass(eq=False)
class TimeInPast(RotaError):
    """The time given is not in the future; `when` is the resolved instant (UTC)."""

    when: datetime


@dataclass(eq=False)
class TooFarAhead(RotaError):
    """The time given is further ahead than allowed (`max_days` from now)."""

    when: datetime
    max_days: int


@dataclass(eq=False)
class BadDuration(RotaError):
    """A duration could not be read (`low`/`high` None) or is outside `low`..`high` inclusive."""

    text: str
    low: timedelta | None = None
    high: timedelta | None = None


@dataclass(eq=False)
class BadRepeatCount(RotaError):
    """A weekly repeat count outside `low`..`high` inclusive."""

    value: int
    low: int
    high: int


# --- shifts ------------------------------------------------------------------------------------


@dataclass(eq=False)
class BadPlaces(RotaError):
    """A number of places outside `low`..`high` inclusive."""

    value: int
    low: int
    high: int


@dataclass(eq=False)
class ShiftNotFound(RotaError):
    """No shift with this id in this server."""

    shift_id: int


@dataclass(eq=False)
class ShiftCancelled(RotaError):
    """The shift was cancelled by its offerer."""

    shift_id: int


@dataclass(eq=False)
class ShiftStarted(RotaError):
    """The shift has already started, so places can no longer change."""

    shift_id: int


@dataclass(eq=False)
class BadRoles(RotaError):
    """`roles:` was not a list of counts and names ("3 leafleters, 1 driver") within the limits."""

    text: str


@dataclass(eq=False)
class UnknownRole(RotaError):
    """The shift has roles and none is called that (or the member named none); `roles` lists them."""

    shift_id: int
    roles: tuple[str, ...]


@dataclass(eq=False)
class CannotPostThere(RotaError):
    """The card's channel is gone (`missing` empty) or the bot lacks these permissions there, so
    nothing is created: a shift or proposal without its card would be half made."""

    channel_id: int
    missing: tuple[str, ...] = ()


@dataclass(eq=False)
class RoleInUse(RotaError):
    """An edit left out a role somebody holds or waits for; it can't go while they are on it."""

    role: str


@dataclass(eq=False)
class RolePlacesBelowTaken(RotaError):
    """An edit gave a role fewer places than are held in it."""

    role: str
    taken: int
    requested: int


@dataclass(eq=False)
class RolesTooLate(RotaError):
    """Roles can't be added to a shift that already has people on it or waiting without a role."""

    shift_id: int


@dataclass(eq=False)
class PlacesFromRoles(RotaError):
    """The shift has roles, so its number of places is theirs added up (not set on its own)."""

    shift_id: int


@dataclass(eq=False)
class UnknownRepeat(RotaError):
    """A repeat pattern Rota does not read (it never guesses one)."""

    text: str


@dataclass(eq=False)
class CheckInNotOpen(RotaError):
    """Check-in for the shift opens at `opens_at` (30 minutes before the start)."""

    shift_id: int
    opens_at: datetime


@dataclass(eq=False)
class CheckInOver(RotaError):
    """The shift has ended, so check-in is over."""

    shift_id: int


@dataclass(eq=False)
class SignupClosed(RotaError):
    """Sign-up for the shift closed at `closes_at`: no new claims (leaving and handoffs still work)."""

    shift_id: int
    closes_at: datetime


@dataclass(eq=False)
class BadSignupClose(RotaError):
    """`closes:` was neither a length before the start (`2h before`) nor a time between now and the start."""

    text: str
    starts_at: datetime


@dataclass(eq=False)
class NotOnShift(RotaError):
    """The member holds no place (and no waitlist entry) on this shift."""

    shift_id: int


@dataclass(eq=False)
class NotOfferer(RotaError):
    """Only the member who offered the shift may edit or cancel it."""

    shift_id: int


@dataclass(eq=False)
class PlacesBelowTaken(RotaError):
    """An edit asked for fewer places than are already taken."""

    requested: int
    taken: int


@dataclass(eq=False)
class HandoffToSelf(RotaError):
    """A member tried to hand their place to themselves."""

    user_id: int


@dataclass(eq=False)
class HandoffToBot(RotaError):
    """A member tried to hand their place to a bot account."""

    recipient_id: int


@dataclass(eq=False)
class HandoffRecipientOnShift(RotaError):
    """The recipient already holds a place on this shift."""

    recipient_id: int


@dataclass(eq=False)
class BadReminderOffset(RotaError):
    """A reminder offset outside `low`..`high` inclusive (`text` is the piece as typed)."""

    text: str
    low: timedelta
    high: timedelta


@dataclass(eq=False)
class TooManyReminders(RotaError):
    """More reminder offsets than `limit` were given."""

    count: int
    limit: int


@dataclass(eq=False)
class HandoffGiverGone(RotaError):
    """The member who offered the place no longer holds it."""

    handoff_id: int


# --- offers to another member (handoffs and swaps) ------------------------------------------------


@dataclass(eq=False)
class OfferNotYours(RotaError):
    """Only the member an offer was made to can answer it."""

    kind: OfferKind
    offer_id: int


@dataclass(eq=False)
class OfferClosed(RotaError):
    """The offer was already answered, withdrawn or lapsed (`status` is its final state)."""

    kind: OfferKind
    status: OfferStatus


@dataclass(eq=False)
class AlreadyAsked(RotaError):
    """The member already asked `recipient_name` about this shift or rota, and they haven't answered yet."""

    kind: OfferKind
    recipient_name: str


# --- rota --------------------------------------------------------------------------------------


@dataclass(eq=False)
class AlreadyInRota(RotaError):
    """The member is already in this rota's pool."""

    user_id: int


@dataclass(eq=False)
class NotInRota(RotaError):
    """The member is not in this rota's pool."""

    user_id: int


@dataclass(eq=False)
class SwapWithSelf(RotaError):
    """A member asked to swap a turn with themselves."""

    user_id: int


@dataclass(eq=False)
class SwapNotInRota(RotaError):
    """The other side of a swap is not in the rota's pool."""

    user_id: int


@dataclass(eq=False)
class NoTurnToSwap(RotaError):
    """`user_id` has no scheduled turn in the upcoming list to swap or pass."""

    user_id: int


@dataclass(eq=False)
class AwayInPast(RotaError):
    """An away window that has already ended."""

    ends: datetime


@dataclass(eq=False)
class AwayReversed(RotaError):
    """An away window whose end is not after its start."""

    starts: datetime
    ends: datetime


@dataclass(eq=False)
class UnknownRota(RotaError):
    """No rota with this name in this server."""

    name: str


@dataclass(eq=False)
class BadRotaName(RotaError):
    """A rota name must be 2-32 characters of lowercase letters, digits and dashes."""

    name: str


@dataclass(eq=False)
class SwapStale(RotaError):
    """The turns in the offer are no longer the two members' next turns (the order changed)."""

    swap_id: int


@dataclass(eq=False)
class NobodyToTakeTurn(RotaError):
    """A pass found no other available member to take the turn."""


@dataclass(eq=False)
class NotAway(RotaError):
    """`/rota back` from a member with no time away ahead or running."""


@dataclass(eq=False)
class BadTurnTime(RotaError):
    """A hand-over time of day that is not HH:MM."""

    text: str


@dataclass(eq=False)
class BadTurnLength(RotaError):
    """A turn length outside `low`..`high` days."""

    value: int
    low: int
    high: int


# --- decisions ---------------------------------------------------------------------------------


@dataclass(eq=False)
class BadDeadline(RotaError):
    """A proposal deadline (time from now) outside `low`..`high` inclusive."""

    value: timedelta
    low: timedelta
    high: timedelta


@dataclass(eq=False)
class BadQuorum(RotaError):
    """A quorum outside `low`..`high` inclusive."""

    value: int
    low: int
    high: int


@dataclass(eq=False)
class ReasonRequired(RotaError):
    """This position (a block) must come with a reason."""

    position: Position


@dataclass(eq=False)
class ProposalNotFound(RotaError):
    """No proposal with this id in this server."""

    proposal_id: int


@dataclass(eq=False)
class ProposalClosed(RotaError):
    """The proposal is no longer open (`status`: passed, failed or withdrawn), so nothing can change."""

    proposal_id: int
    status: str


@dataclass(eq=False)
class NotProposalAuthor(RotaError):
    """Only the member who proposed it may withdraw a proposal."""

    proposal_id: int


@dataclass(eq=False)
class ActionBeforeClose(RotaError):
    """An action's shift would start before (or as) the proposal closes, so it could never be decided in time."""

    starts_at: datetime
    closes_at: datetime
