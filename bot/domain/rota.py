"""Whose turn it is to facilitate, decided by a published fairness rule rather than by anyone.

Fairness rule: the next holder is the available member who held the turn least recently; members
who never held it come first, in order of joining. Ties go to fewer total turns, then earlier
joining (then the lower user id, so the answer is always the same for the same input).

With a stable pool this is a strict rotation, so over any run of turns everyone's counts differ by
at most one. A member who is away is skipped and, being then the least recent, is next once back.

Availability: a member is available for a turn when no away window of theirs overlaps any part of
the turn `[starts, ends)` (you are not handed a week you said you would be away for part of).
`next_holder` without `until` checks the single instant `at`.

History survives leaving: the service keeps each member's `last_held_at` and `turns_held` per user
per rota even after they leave, and passes them back in when they rejoin (see `rejoining_member`).
So leaving and rejoining behaves exactly like having been away and never jumps the queue.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import (
    AlreadyInRota,
    AwayInPast,
    AwayReversed,
    BadRotaName,
    BadTurnTime,
    NotInRota,
    NoTurnToSwap,
    SwapNotInRota,
    SwapWithSelf,
)
from bot.domain.timeparse import to_utc

_ROTA_NAME = re.compile(r"^[a-z0-9-]{2,32}$")
# Phase of turns longer than a day that do not divide a week (e.g. fortnightly): counted from the
# first anchor on or after this date, so every server agrees on which week is "on".
_TURN_EPOCH = date(2024, 1, 1)


@dataclass(frozen=True, slots=True)
class RotaMember:
    """A member of the pool with their facilitation history in this rota."""

    user_id: int
    joined_at: datetime
    last_held_at: datetime | None = None
    turns_held: int = 0


@dataclass(frozen=True, slots=True)
class AwayWindow:
    """A period `[starts, ends)` during which a member should not be given a turn."""

    user_id: int
    starts: datetime
    ends: datetime

    def overlaps(self, starts: datetime, ends: datetime) -> bool:
        """Whether this window shares any instant with `[starts, ends)`."""
        return self.starts < ends and starts < self.ends


@dataclass(frozen=True, slots=True)
class Turn:
    """One scheduled turn; `user_id` is None when nobody in the pool is available for it."""

    user_id: int | None
    starts: datetime
    ends: datetime


def _fairness_key(member: RotaMember) -> tuple[int, datetime, int, datetime, int]:
    """Sort key of the fairness rule: never-held first by joining, then least recently held."""
    if member.last_held_at is None:
        return (0, member.joined_at, member.turns_held, member.joined_at, member.user_id)
    return (1, member.last_held_at, member.turns_held, member.joined_at, member.user_id)


def _is_available(user_id: int, away: Iterable[AwayWindow], starts: datetime, ends: datetime) -> bool:
    return not any(window.user_id == user_id and window.overlaps(starts, ends) for window in away)


def next_holder(
    members: Iterable[RotaMember],
    away: Iterable[AwayWindow],
    at: datetime,
    exclude: frozenset[int] = frozenset(),
    *,
    until: datetime | None = None,
) -> int | None:
    """The user id whose turn starts at `at` under the fairness rule, or None if nobody is available.

    Pass `until` (the turn's end) to require the member to be free for the whole turn, as
    `turns_for_spans` does; `exclude` removes members (e.g. the one passing the turn).
    """
    ends = until if until is not None else at + timedelta(microseconds=1)
    away_list = list(away)
    candidates = [
        member
        for member in members
        if member.user_id not in exclude and _is_available(member.user_id, away_list, at, ends)
    ]
    if not candidates:
        return None
    return min(candidates, key=_fairness_key).user_id


def record_turn(members: Iterable[RotaMember], turn: Turn) -> list[RotaMember]:
    """The pool's history once `turn` has been held (its holder's last time and count move on)."""
    return [
        replace(member, last_held_at=turn.starts, turns_held=member.turns_held + 1)
        if member.user_id == turn.user_id
        else member
        for member in members
    ]


def turns_for_spans(
    members: Iterable[RotaMember],
    away: Iterable[AwayWindow],
    spans: Sequence[tuple[datetime, datetime]],
    assigned: Mapping[datetime, int] | None = None,
) -> list[Turn]:
    """Simulate the turns of the given `(starts, ends)` spans (from `turn_spans`, which follow DST)
    from the pool's history, for `/rota show` and hand-overs.

    Each turn goes to `next_holder` for its whole span, then counts as held. `assigned` fixes the
    holder of turns starting at given instants (the results of agreed swaps and passes, which the
    service stores); a fixed holder still counts as having held the turn.
    """
    pool = list(members)
    away_list = list(away)
    fixed = assigned or {}
    turns: list[Turn] = []
    for starts, ends in spans:
        holder = fixed.get(starts)
        if holder is None:
            holder = next_holder(pool, away_list, starts, until=ends)
        turn = Turn(holder, starts, ends)
        turns.append(turn)
        pool = record_turn(pool, turn)
    return turns


def _first_turn_index(turns: Sequence[Turn], user_id: int) -> int:
    for index, turn in enumerate(turns):
        if turn.user_id == user_id:
            return index
    raise NoTurnToSwap(user_id)


def swap_turns(turns: Sequence[Turn], requester: int, other: int, member_ids: Collection[int]) -> list[Turn]:
    """The schedule after `requester` and `other` exchange their next turns (once `other` agrees).

    Raises `SwapWithSelf`, `NotInRota(requester)`, `SwapNotInRota(other)`, and `NoTurnToSwap(user)`
    when either has no turn in the list. The two changed turns are what the service stores as
    `assigned` holders.
    """
    if requester == other:
        raise SwapWithSelf(requester)
    if requester not in member_ids:
        raise NotInRota(requester)
    if other not in member_ids:
        raise SwapNotInRota(other)
    mine = _first_turn_index(turns, requester)
    theirs = _first_turn_index(turns, other)
    swapped = list(turns)
    swapped[mine] = replace(turns[mine], user_id=other)
    swapped[theirs] = replace(turns[theirs], user_id=requester)
    return swapped


def pass_turn(members: Sequence[RotaMember], away: Iterable[AwayWindow], turns: Sequence[Turn], passer: int) -> Turn:
    """Pass `passer`'s next turn on: it goes to the next fair member excluding the passer.

    Fairness is judged with the history as it will stand at that turn (the turns before it in the
    list counted as held). Returns the reassigned turn (its `user_id` is who takes it, None if
    nobody else is available). Raises `NotInRota(passer)` and `NoTurnToSwap(passer)`.
    """
    if all(member.user_id != passer for member in members):
        raise NotInRota(passer)
    index = _first_turn_index(turns, passer)
    pool = list(members)
    for earlier in turns[:index]:
        pool = record_turn(pool, earlier)
    turn = turns[index]
    taker = next_holder(pool, away, turn.starts, frozenset({passer}), until=turn.ends)
    return replace(turn, user_id=taker)


def turn_boundaries(
    anchor_weekday: int, anchor_time: time, turn_length: timedelta, tz: ZoneInfo, now: datetime
) -> tuple[datetime, datetime]:
    """The (start, end) in UTC of the turn containing `now`.

    Turns begin at `anchor_time` local on `anchor_weekday` (0 = Monday) and follow each other every
    `turn_length`, counted in local wall-clock time so a weekly hand-over stays at 18:00 across DST
    changes. Turns longer than a day that do not divide a week are phased from the first anchor on
    or after 2024-01-01.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if turn_length <= timedelta(0):
        raise ValueError("turn_length must be positive")
    if not 0 <= anchor_weekday <= 6:
        raise ValueError("anchor_weekday must be 0 (Monday) .. 6 (Sunday)")
    epoch_day = _TURN_EPOCH + timedelta(days=(anchor_weekday - _TURN_EPOCH.weekday()) % 7)
    epoch = datetime.combine(epoch_day, anchor_time.replace(tzinfo=None))
    local_now = now.astimezone(tz).replace(tzinfo=None)
    index = (local_now - epoch) // turn_length
    # Wall-clock arithmetic can be an hour off around a change; settle on real instants.
    for _ in range(3):
        start = to_utc(epoch + turn_length * index, tz)
        end = to_utc(epoch + turn_length * (index + 1), tz)
        if start > now:
            index -= 1
        elif end <= now:
            index += 1
        else:
            return start.astimezone(UTC), end.astimezone(UTC)
    return start.astimezone(UTC), end.astimezone(UTC)


def turn_spans(
    anchor_weekday: int, anchor_time: time, turn_length: timedelta, tz: ZoneInfo, first: datetime, count: int
) -> list[tuple[datetime, datetime]]:
    """The next `count` turns as `(starts, ends)` in UTC, the first starting at `first`.

    Each later turn starts where the one before ends, on the boundaries of `turn_boundaries`, so a
    list that crosses a DST change keeps the local hand-over time.
    """
    spans: list[tuple[datetime, datetime]] = []
    starts = first
    for _ in range(count):
        _, ends = turn_boundaries(anchor_weekday, anchor_time, turn_length, tz, starts)
        spans.append((starts, ends))
        starts = ends
    return spans


# --- membership and validation -----------------------------------------------------------------


def validate_rota_name(name: str) -> str:
    """A rota name as stored: lowercased, 2-32 of `a-z`, `0-9` and `-`; else `BadRotaName(name)`."""
    cleaned = name.strip().lower()
    if not _ROTA_NAME.match(cleaned):
        raise BadRotaName(name)
    return cleaned


def ensure_can_join(user_id: int, member_ids: Collection[int]) -> None:
    """A member joins a pool once (`AlreadyInRota`)."""
    if user_id in member_ids:
        raise AlreadyInRota(user_id)


def ensure_member(user_id: int, member_ids: Collection[int]) -> None:
    """Leaving, going away and swapping need membership (`NotInRota`)."""
    if user_id not in member_ids:
        raise NotInRota(user_id)


def rejoining_member(user_id: int, history: RotaMember | None, now: datetime) -> RotaMember:
    """The pool entry for a member joining at `now`, keeping any history they had in this rota.

    Keeping `last_held_at` and `turns_held` is what stops leave-and-rejoin from jumping the queue;
    `joined_at` becomes `now`, so someone who never held the turn goes behind earlier joiners.
    """
    if history is None:
        return RotaMember(user_id, now)
    return RotaMember(user_id, now, history.last_held_at, history.turns_held)


def validate_away(user_id: int, starts: datetime, ends: datetime, now: datetime) -> AwayWindow:
    """Check a period away: it must end after it starts (`AwayReversed`) and after now (`AwayInPast`)."""
    if ends <= starts:
        raise AwayReversed(starts, ends)
    if ends <= now:
        raise AwayInPast(ends)
    return AwayWindow(user_id, starts, ends)


def parse_turn_time(text: str) -> time:
    """'18:00' or '9:30' as a time of day; else `BadTurnTime`."""
    parts = text.strip().split(":")
    if len(parts) == 2 and all(part.isdigit() and 1 <= len(part) <= 2 for part in parts):
        hours, minutes = int(parts[0]), int(parts[1])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise BadTurnTime(text[:20])
