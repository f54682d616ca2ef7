"""Facilitator rotation: the fairness rule, its properties, swaps, passes and turn boundaries."""

import random
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import (
    AlreadyInRota,
    AwayInPast,
    AwayReversed,
    BadRotaName,
    NotInRota,
    NoTurnToSwap,
    SwapNotInRota,
    SwapWithSelf,
)
from bot.domain.rota import (
    AwayWindow,
    RotaMember,
    Turn,
    ensure_can_join,
    ensure_member,
    next_holder,
    pass_turn,
    record_turn,
    rejoining_member,
    swap_turns,
    turn_boundaries,
    turns_for_spans,
    validate_away,
    validate_rota_name,
)
from bot.domain.timeparse import to_utc

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 1, 5, 18, tzinfo=UTC)  # a Monday
WEEK = timedelta(weeks=1)


def upcoming_turns(members, away, first_turn_starts, turn_length, count, assigned=None):
    """`turns_for_spans` over `count` back-to-back turns of a fixed length (no DST), for brevity."""
    if turn_length <= timedelta(0):
        raise ValueError("turn_length must be positive")
    spans = [(first_turn_starts + turn_length * i, first_turn_starts + turn_length * (i + 1)) for i in range(count)]
    return turns_for_spans(members, away, spans, assigned)


def joined(minutes: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)


def holders(turns: list[Turn]) -> list[int | None]:
    return [turn.user_id for turn in turns]


# --- the rule ----------------------------------------------------------------------------------


def test_never_held_go_first_in_joining_order():
    members = [
        RotaMember(1, joined(0), T0 - WEEK, 3),
        RotaMember(2, joined(5)),
        RotaMember(3, joined(2)),
    ]
    assert next_holder(members, [], T0) == 3
    assert holders(upcoming_turns(members, [], T0, WEEK, 5)) == [3, 2, 1, 3, 2]


def test_least_recently_held_goes_next():
    members = [
        RotaMember(1, joined(0), T0 - 1 * WEEK, 1),
        RotaMember(2, joined(1), T0 - 3 * WEEK, 1),
        RotaMember(3, joined(2), T0 - 2 * WEEK, 1),
    ]
    assert next_holder(members, [], T0) == 2


def test_ties_go_to_fewer_turns_then_earlier_joining_then_lower_id():
    same = T0 - WEEK
    assert next_holder([RotaMember(1, joined(0), same, 4), RotaMember(2, joined(1), same, 2)], [], T0) == 2
    assert next_holder([RotaMember(1, joined(3), same, 2), RotaMember(2, joined(1), same, 2)], [], T0) == 2
    assert next_holder([RotaMember(9, joined(1), same, 2), RotaMember(4, joined(1), same, 2)], [], T0) == 4
    assert next_holder([RotaMember(9, joined(1)), RotaMember(4, joined(1))], [], T0) == 4


def test_exclusion_and_empty_pool():
    members = [RotaMember(1, joined(0)), RotaMember(2, joined(1))]
    assert next_holder(members, [], T0, frozenset({1})) == 2
    assert next_holder(members, [], T0, frozenset({1, 2})) is None
    assert next_holder([], [], T0) is None


def test_away_windows_are_half_open():
    members = [RotaMember(1, joined(0)), RotaMember(2, joined(1))]
    assert next_holder(members, [AwayWindow(1, T0, T0 + WEEK)], T0) == 2
    assert next_holder(members, [AwayWindow(1, T0 - WEEK, T0)], T0) == 1
    assert next_holder(members, [AwayWindow(2, T0 - WEEK, T0 + WEEK)], T0) == 1  # someone else's window


def test_availability_for_a_turn_means_free_for_all_of_it():
    members = [RotaMember(1, joined(0)), RotaMember(2, joined(1))]
    away_late_in_turn = [AwayWindow(1, T0 + timedelta(days=5), T0 + timedelta(days=6))]
    assert next_holder(members, away_late_in_turn, T0) == 1  # instant check
    assert next_holder(members, away_late_in_turn, T0, until=T0 + WEEK) == 2
    assert holders(upcoming_turns(members, away_late_in_turn, T0, WEEK, 3)) == [2, 1, 2]


def test_nobody_available_leaves_the_turn_empty():
    members = [RotaMember(1, joined(0))]
    turns = upcoming_turns(members, [AwayWindow(1, T0, T0 + WEEK)], T0, WEEK, 2)
    assert turns == [Turn(None, T0, T0 + WEEK), Turn(1, T0 + WEEK, T0 + 2 * WEEK)]


def test_upcoming_turns_shape_and_errors():
    assert upcoming_turns([RotaMember(1, joined(0))], [], T0, WEEK, 0) == []
    with pytest.raises(ValueError):
        upcoming_turns([], [], T0, timedelta(0), 1)


def test_assigned_holders_are_honoured_and_count_as_held():
    members = [RotaMember(1, joined(0)), RotaMember(2, joined(1)), RotaMember(3, joined(2))]
    assert holders(upcoming_turns(members, [], T0, WEEK, 4)) == [1, 2, 3, 1]
    swapped = upcoming_turns(members, [], T0, WEEK, 4, assigned={T0: 2, T0 + WEEK: 1})
    assert holders(swapped) == [2, 1, 3, 2]


def test_record_turn_moves_only_the_holder():
    members = [RotaMember(1, joined(0)), RotaMember(2, joined(1), T0 - WEEK, 2)]
    after = record_turn(members, Turn(2, T0, T0 + WEEK))
    assert after == [RotaMember(1, joined(0)), RotaMember(2, joined(1), T0, 3)]
    assert record_turn(members, Turn(None, T0, T0 + WEEK)) == members


# --- swap and pass -----------------------------------------------------------------------------

POOL = [RotaMember(1, joined(0)), RotaMember(2, joined(1)), RotaMember(3, joined(2))]
SCHEDULE = upcoming_turns(POOL, [], T0, WEEK, 4)  # 1, 2, 3, 1


def test_swap_exchanges_the_next_turns():
    swapped = swap_turns(SCHEDULE, 3, 1, {1, 2, 3})
    assert holders(swapped) == [3, 2, 1, 1]
    assert [t.starts for t in swapped] == [t.starts for t in SCHEDULE]
    assert holders(SCHEDULE) == [1, 2, 3, 1]  # input untouched


def test_swap_errors():
    with pytest.raises(SwapWithSelf) as same:
        swap_turns(SCHEDULE, 1, 1, {1, 2, 3})
    assert same.value == SwapWithSelf(1)
    with pytest.raises(NotInRota) as outsider:
        swap_turns(SCHEDULE, 8, 1, {1, 2, 3})
    assert outsider.value == NotInRota(8)
    with pytest.raises(SwapNotInRota) as other:
        swap_turns(SCHEDULE, 1, 9, {1, 2, 3})
    assert other.value == SwapNotInRota(9)
    with pytest.raises(NoTurnToSwap) as none:
        swap_turns(SCHEDULE[:2], 1, 3, {1, 2, 3})
    assert none.value == NoTurnToSwap(3)
    with pytest.raises(NoTurnToSwap) as mine:
        swap_turns(SCHEDULE[1:3], 1, 3, {1, 2, 3})
    assert mine.value == NoTurnToSwap(1)


def test_pass_goes_to_the_next_fair_member():
    assert pass_turn(POOL, [], SCHEDULE, 1) == Turn(2, T0, T0 + WEEK)
    # Passing turn 3 (member 3's): by then 1 and 2 have held, 1 least recently.
    assert pass_turn(POOL, [], SCHEDULE, 3) == Turn(1, T0 + 2 * WEEK, T0 + 3 * WEEK)
    away = [AwayWindow(2, T0, T0 + WEEK)]
    assert pass_turn(POOL, away, SCHEDULE, 1) == Turn(3, T0, T0 + WEEK)


def test_pass_with_nobody_else_available():
    solo = [RotaMember(1, joined(0))]
    assert pass_turn(solo, [], upcoming_turns(solo, [], T0, WEEK, 1), 1).user_id is None


def test_pass_errors():
    with pytest.raises(NotInRota):
        pass_turn(POOL, [], SCHEDULE, 9)
    with pytest.raises(NoTurnToSwap) as caught:
        pass_turn(POOL, [], SCHEDULE[:2], 3)
    assert caught.value == NoTurnToSwap(3)


# --- properties --------------------------------------------------------------------------------


@st.composite
def pools(draw, min_size: int = 1, max_size: int = 7) -> list[RotaMember]:
    """A pool in any joining order, some with history from before T0."""
    ids = draw(st.lists(st.integers(1, 10_000), min_size=min_size, max_size=max_size, unique=True))
    members = []
    for user_id in ids:
        joined_at = joined(draw(st.integers(0, 50)))  # ties allowed
        held_weeks_ago = draw(st.none() | st.integers(1, 30))
        if held_weeks_ago is None:
            members.append(RotaMember(user_id, joined_at))
        else:
            members.append(RotaMember(user_id, joined_at, T0 - held_weeks_ago * WEEK, draw(st.integers(1, 9))))
    return members


@settings(max_examples=150, deadline=None)
@given(pool=pools(), n=st.integers(1, 30))
def test_counts_differ_by_at_most_one_over_any_run(pool, n):
    schedule = holders(upcoming_turns(pool, [], T0, WEEK, n))
    everyone = {member.user_id for member in pool}
    for first in range(n):
        for last in range(first + 1, n + 1):
            counts = Counter(schedule[first:last])
            spread = [counts[user] for user in everyone]
            assert max(spread) - min(spread) <= 1


@settings(max_examples=150, deadline=None)
@given(
    pool=pools(min_size=2),
    data=st.data(),
)
def test_away_member_is_skipped_and_next_once_back(pool, data):
    j = data.draw(st.integers(0, 8), label="first turn away")
    w = data.draw(st.integers(1, 5), label="turns away")
    plain = upcoming_turns(pool, [], T0, WEEK, j + w + 3)
    member = plain[j].user_id
    # The window covers part of turn j through part of turn j+w-1, but none of turn j+w.
    starts = plain[j].starts + timedelta(hours=data.draw(st.integers(0, 167), label="start hour"))
    ends = plain[j + w - 1].starts + timedelta(hours=data.draw(st.integers(1, 168), label="end hour"))
    away = [AwayWindow(member, starts, ends)]
    with_away = holders(upcoming_turns(pool, away, T0, WEEK, j + w + 3))
    assert with_away[:j] == holders(plain[:j])
    assert member not in with_away[j : j + w]
    assert with_away[j + w] == member


@settings(max_examples=150, deadline=None)
@given(pool=pools(min_size=2), data=st.data())
def test_leaving_and_rejoining_does_not_jump_the_queue(pool, data):
    before = data.draw(st.integers(0, 8), label="turns before leaving")
    gone = data.draw(st.integers(1, 6), label="turns while gone")
    after = 2 * len(pool) + 2
    leaver = data.draw(st.sampled_from([member.user_id for member in pool]), label="leaver")

    # What really happens: m leaves, the rest rotate, m rejoins with the history the service kept.
    phase1 = upcoming_turns(pool, [], T0, WEEK, before)
    history = pool
    for turn in phase1:
        history = record_turn(history, turn)
    kept = next(member for member in history if member.user_id == leaver)
    rest = [member for member in history if member.user_id != leaver]
    gone_start = T0 + before * WEEK
    phase2 = upcoming_turns(rest, [], gone_start, WEEK, gone)
    for turn in phase2:
        rest = record_turn(rest, turn)
    back = gone_start + gone * WEEK
    rejoined = [*rest, rejoining_member(leaver, kept, back)]
    real = holders(upcoming_turns(rejoined, [], back, WEEK, after))

    # The same as if m had stayed and been away; never sooner.
    away = [AwayWindow(leaver, gone_start, back)]
    stayed = holders(upcoming_turns(history, away, gone_start, WEEK, gone + after))[gone:]
    # Exactly the same when m has held before (and no one shares m's last turn time, which only
    # made-up histories do: then the later joining date can only put m further back).
    if kept.last_held_at is not None and all(
        member.last_held_at != kept.last_held_at for member in history if member.user_id != leaver
    ):
        assert real == stayed
    assert real.index(leaver) >= stayed.index(leaver)


@settings(max_examples=100, deadline=None)
@given(pool=pools(), n=st.integers(0, 15), seed=st.integers(0, 2**32 - 1), away_hours=st.integers(0, 500))
def test_deterministic_and_independent_of_input_order(pool, n, seed, away_hours):
    away = [AwayWindow(pool[0].user_id, T0 + timedelta(hours=away_hours), T0 + timedelta(hours=away_hours + 200))]
    first = upcoming_turns(pool, away, T0, WEEK, n)
    shuffled = list(pool)
    random.Random(seed).shuffle(shuffled)
    assert upcoming_turns(pool, away, T0, WEEK, n) == first
    assert upcoming_turns(shuffled, away, T0, WEEK, n) == first
    assert next_holder(shuffled, away, T0) == next_holder(pool, away, T0)


# --- turn boundaries ---------------------------------------------------------------------------


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (local(2026, 1, 7, 12), local(2026, 1, 5, 18), local(2026, 1, 12, 18)),
        (local(2026, 1, 5, 17, 59), local(2025, 12, 29, 18), local(2026, 1, 5, 18)),
        (local(2026, 1, 5, 18), local(2026, 1, 5, 18), local(2026, 1, 12, 18)),
    ],
)
def test_weekly_turn_containing_now(now, start, end):
    assert turn_boundaries(0, time(18), WEEK, LONDON, now) == (start.astimezone(UTC), end.astimezone(UTC))


def test_weekly_turns_keep_local_time_across_dst():
    # Spring forward on Sun 28 Mar 2027: the turn spanning it is an hour shorter, hand-over stays 18:00.
    start, end = turn_boundaries(0, time(18), WEEK, LONDON, datetime(2027, 3, 28, 12, tzinfo=UTC))
    assert (start, end) == (datetime(2027, 3, 22, 18, tzinfo=UTC), datetime(2027, 3, 29, 17, tzinfo=UTC))
    assert end.astimezone(LONDON).hour == 18
    start, end = turn_boundaries(0, time(18), WEEK, LONDON, datetime(2027, 3, 29, 17, tzinfo=UTC))
    assert start == datetime(2027, 3, 29, 17, tzinfo=UTC)
    assert end == datetime(2027, 4, 5, 17, tzinfo=UTC)


def test_daily_and_fortnightly_turns():
    now = local(2026, 1, 7, 9)
    assert turn_boundaries(0, time(18), timedelta(days=1), LONDON, now) == (
        local(2026, 1, 6, 18).astimezone(UTC),
        local(2026, 1, 7, 18).astimezone(UTC),
    )
    # Fortnights count from Mon 1 Jan 2024 (a Monday): 5 Jan 2026 is 105 weeks later, so the
    # fortnight containing 7 Jan 2026 started on 29 Dec 2025 (104 weeks).
    start, end = turn_boundaries(0, time(18), 2 * WEEK, LONDON, now)
    assert start == local(2025, 12, 29, 18).astimezone(UTC)
    assert end == local(2026, 1, 12, 18).astimezone(UTC)


def test_turn_boundaries_for_other_weekday_and_zone():
    tz = ZoneInfo("America/New_York")
    now = datetime(2026, 1, 10, 3, tzinfo=UTC)  # Fri 9 Jan 22:00 in New York
    start, end = turn_boundaries(4, time(20, 30), WEEK, tz, now)
    assert start == datetime(2026, 1, 10, 1, 30, tzinfo=UTC)
    assert end == start + WEEK


@pytest.mark.parametrize(
    ("weekday", "length", "now"),
    [
        (0, timedelta(0), T0),
        (7, WEEK, T0),
        (0, WEEK, datetime(2026, 1, 5, 18)),
    ],
)
def test_turn_boundaries_programming_errors(weekday, length, now):
    with pytest.raises(ValueError):
        turn_boundaries(weekday, time(18), length, LONDON, now)


# --- names, membership, away ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("note-taker", "note-taker"),
        (" Facilitator ", "facilitator"),
        ("ab", "ab"),
        ("x" * 32, "x" * 32),
        ("rota-2", "rota-2"),
    ],
)
def test_rota_names(name, stored):
    assert validate_rota_name(name) == stored


@pytest.mark.parametrize("name", ["a", "x" * 33, "has space", "under_score", "café", "", "dots.no"])
def test_bad_rota_names(name):
    with pytest.raises(BadRotaName) as caught:
        validate_rota_name(name)
    assert caught.value == BadRotaName(name)


def test_membership_checks():
    ensure_can_join(3, {1, 2})
    with pytest.raises(AlreadyInRota) as already:
        ensure_can_join(1, {1, 2})
    assert already.value == AlreadyInRota(1)
    ensure_member(1, {1, 2})
    with pytest.raises(NotInRota) as missing:
        ensure_member(3, {1, 2})
    assert missing.value == NotInRota(3)


def test_rejoining_keeps_history_but_joins_now():
    kept = RotaMember(5, joined(0), T0 - WEEK, 4)
    assert rejoining_member(5, kept, T0) == RotaMember(5, T0, T0 - WEEK, 4)
    assert rejoining_member(5, None, T0) == RotaMember(5, T0)


def test_history_is_what_stops_the_jump():
    # 1 held last week; 2 and 3 held before. If 1 rejoined as a stranger (no history) they would
    # be first; with the kept history they wait until both others have had their turn.
    rest = [RotaMember(2, joined(1), T0 - 3 * WEEK, 1), RotaMember(3, joined(2), T0 - 2 * WEEK, 1)]
    kept = RotaMember(1, joined(0), T0 - WEEK, 1)
    assert holders(upcoming_turns([*rest, RotaMember(1, T0)], [], T0, WEEK, 1)) == [1]
    assert holders(upcoming_turns([*rest, rejoining_member(1, kept, T0)], [], T0, WEEK, 3)) == [2, 3, 1]


def test_never_held_rejoiner_goes_behind_earlier_joiners():
    waiting = RotaMember(1, joined(10))
    rejoined = rejoining_member(2, RotaMember(2, joined(0)), T0)
    assert next_holder([rejoined, waiting], [], T0) == 1


def test_validate_away():
    assert validate_away(4, T0, T0 + WEEK, T0) == AwayWindow(4, T0, T0 + WEEK)
    assert validate_away(4, T0 - WEEK, T0 + WEEK, T0).starts == T0 - WEEK  # already away: fine
    with pytest.raises(AwayReversed) as reversed_error:
        validate_away(4, T0 + WEEK, T0 + WEEK, T0)
    assert reversed_error.value == AwayReversed(T0 + WEEK, T0 + WEEK)
    with pytest.raises(AwayInPast) as past:
        validate_away(4, T0 - 2 * WEEK, T0 - WEEK, T0)
    assert past.value == AwayInPast(T0 - WEEK)
    with pytest.raises(AwayInPast):
        validate_away(4, T0 - WEEK, T0, T0)


def test_turn_boundaries_in_the_repeated_fall_back_hour():
    # Daily turns at 01:30 London. At 01:10 GMT on 25 Oct 2026 (the second 01:10 that night) the
    # turn that began at the first 01:30 (00:30 UTC) is running, although the wall clock reads earlier.
    now = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    start, end = turn_boundaries(6, time(1, 30), timedelta(days=1), LONDON, now)
    assert start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert end == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)
    assert start <= now < end


@settings(max_examples=200, deadline=None)
@given(
    now=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    weekday=st.integers(0, 6),
    at=st.times(),
    zone=st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe"]),
    weeks=st.integers(1, 3),
)
def test_turn_boundaries_always_contain_now_and_start_on_the_anchor(now, weekday, at, zone, weeks):
    tz = ZoneInfo(zone)
    start, end = turn_boundaries(weekday, at, weeks * WEEK, tz, now)
    assert start <= now < end
    local_start = start.astimezone(tz)
    assert local_start.weekday() == weekday
    # The anchor wall-clock time on that day (moved forward the usual way if it fell in a DST gap).
    assert to_utc(datetime.combine(local_start.date(), at), tz) == start
    assert turn_boundaries(weekday, at, weeks * WEEK, tz, end)[0] == end
