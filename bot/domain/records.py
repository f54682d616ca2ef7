"""The things Rota keeps, as plain records: what the store fills and the services and UI read.

They carry no behaviour beyond a few derived facts (`Shift.free`, `Proposal.is_open`); the rules
that change them live in the rule modules beside this one. Times are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any

from bot.domain.rota import RotaMember
from bot.domain.states import OfferStatus

# --- shifts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift: when, where, how many places and how many are taken, and where its card is."""

    id: int
    guild_id: int
    series_id: int | None
    offerer_id: int
    offerer_name: str
    starts_at: datetime
    ends_at: datetime
    location: str
    notes: str
    places: int
    taken: int
    cancelled_at: float | None
    cancel_reason: str | None
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    proposal_id: int | None
    #: How many times what a calendar shows (time, place, notes, places, cancelled) has changed; an
    #: .ics event's SEQUENCE.
    revision: int = 0
    #: When that last changed (epoch seconds; its creation until the first change); None: not known.
    updated_at: float | None = None
    closes_at: datetime | None = None  # when sign-up closes (None: open until the start)

    @property
    def cancelled(self) -> bool:
        """Whether the offerer cancelled it."""
        return self.cancelled_at is not None

    @property
    def free(self) -> int:
        """Places nobody holds yet."""
        return self.places - self.taken


@dataclass(frozen=True, slots=True)
class Person:
    """A member on a shift or its waitlist, with the name they had when they joined."""

    user_id: int
    name: str
    since: datetime
    role: int = 0  # the role's position on the shift; 0 when the shift has no roles


@dataclass(frozen=True, slots=True)
class Handoff:
    """An offer of a place on a shift from the member who holds it to another member."""

    id: int
    shift_id: int
    giver_id: int
    giver_name: str
    recipient_id: int
    recipient_name: str
    status: OfferStatus

    @property
    def offerer_id(self) -> int:
        """The member offering their place (an `Offer`'s side of the handoff)."""
        return self.giver_id


# --- rotas -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rota:
    """A rota's settings: turn length, the local weekday and time turns change, the role it moves."""

    id: int
    guild_id: int
    name: str
    turn_length_days: int
    anchor_weekday: int
    anchor_time: time
    role_id: int | None
    next_handover_at: datetime | None


@dataclass(frozen=True, slots=True)
class PoolMember:
    """A member's row in a rota: who, since when, and their history of turns."""

    user_id: int
    name: str
    joined_at: datetime
    left_at: datetime | None
    last_held_at: datetime | None
    turns_held: int

    @property
    def active(self) -> bool:
        """Still in the pool (history is kept after leaving, so rejoining is fair)."""
        return self.left_at is None

    def as_domain(self) -> RotaMember:
        """What the fairness rule needs to know about this member."""
        return RotaMember(self.user_id, self.joined_at, self.last_held_at, self.turns_held)


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """A turn as it happened or is running: `status` is held, vacant, passed or handed_on."""

    id: int
    rota_id: int
    starts: datetime
    ends: datetime
    user_id: int | None
    status: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Swap:
    """An offer to swap the requester's next turn with the other member's."""

    id: int
    rota_id: int
    requester_id: int
    requester_name: str
    requester_turn: datetime
    other_id: int
    other_name: str
    other_turn: datetime
    status: OfferStatus

    @property
    def offerer_id(self) -> int:
        """The member who asked for the swap."""
        return self.requester_id

    @property
    def recipient_id(self) -> int:
        """The member asked, who alone can accept."""
        return self.other_id


# --- proposals ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal, its rule and deadline, its outcome once closed, and an optional action (a shift)."""

    id: int
    guild_id: int
    author_id: int
    author_name: str
    title: str
    body: str
    rule: str
    quorum: int
    opened_at: datetime
    closes_at: datetime
    status: str
    outcome_reason: str | None
    closed_at: datetime | None
    action_starts_at: datetime | None
    action_where: str | None
    action_places: int | None
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    #: A settings-change proposal: the settings it sets when it passes ({setting: value}).
    settings_change: dict[str, Any] | None = None

    @property
    def is_open(self) -> bool:
        """Members can still take or change positions."""
        return self.status == "open"

    @property
    def has_action(self) -> bool:
        """Passing it creates a shift."""
        return self.action_starts_at is not None


@dataclass(frozen=True, slots=True)
class Stance:
    """One member's position on a proposal, with the name they had when they took it."""

    user_id: int
    name: str
    position: str
    reason: str | None
    updated_at: datetime


# --- the server --------------------------------------------------------------------------------


#: Reminder times when neither the member nor the server chose any.
DEFAULT_REMINDER_OFFSETS = "24h,1h"
#: Long enough for `/stats`' default 90 days and a season's look back; short enough that no long
#: roster of who did what exists (README: "Governance and privacy").
DEFAULT_RETENTION_DAYS = 180
DEFAULT_STILL_COMING_MINUTES = 24 * 60  # holders are asked "still coming?" a day before, unless the server chose


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A server's settings; a server that never ran `/setup` has these defaults."""

    guild_id: int
    timezone: str = "UTC"
    shift_channel_id: int | None = None
    announce_channel_id: int | None = None
    log_channel_id: int | None = None
    decision_rule: str = "consent"
    decision_minutes: int = 2880
    reminder_offsets: str = DEFAULT_REMINDER_OFFSETS
    language: str | None = None  # what everyone reads; None: the server's Discord language, else English
    still_coming_minutes: int = (
        DEFAULT_STILL_COMING_MINUTES  # holders are asked "still coming?" this long before (0: never)
    )
    governance: str = "organisers"  # who changes settings: organisers (Manage Server) or the group
    names: str = "shown"  # "holders": public messages show counts, not names
    retention_days: int = DEFAULT_RETENTION_DAYS  # older finished records are anonymised


#: Every setting a server can change (all fields but the server's id).
SETTING_NAMES = tuple(f.name for f in fields(GuildSettings) if f.name != "guild_id")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the public record: who did what, to what, when."""

    id: int
    guild_id: int
    actor_id: int | None
    actor_name: str
    kind: str
    action: str
    subject: str
    detail: dict[str, Any]
    created_at: float


@dataclass
class Activity:
    """What one member did in a period (all counts), for `/stats`."""

    user_id: int
    name: str
    shifts_taken: int = 0
    shifts_done: int = 0
    late_leaves: int = 0
    turns_held: int = 0
    turns_passed: int = 0
    proposals_made: int = 0
    positions_taken: int = 0

    @property
    def total(self) -> int:
        """Every counted piece of work and participation."""
        return sum((self.shifts_taken, self.turns_held, self.proposals_made, self.positions_taken))
