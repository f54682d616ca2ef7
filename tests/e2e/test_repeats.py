"""Repeats people use, through the real bot: a monthly series, a change to "this and all later
ones" after being asked, a cancellation of one occurrence only, and a pattern Rota can't read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil.relativedelta import MO, SA, relativedelta
from dateutil.rrule import MONTHLY, rrule

from fakediscord import BotProcess, Driver, World


def first_saturday_ahead(world: World) -> datetime:
    """18:00 on the first Saturday of a month at least ten days ahead of the fake's (shared) clock."""
    month = datetime.fromtimestamp(world.now(), UTC).replace(day=1, hour=18, minute=0, second=0, microsecond=0)
    while True:
        month += relativedelta(months=1)
        first = month + relativedelta(weekday=SA(1))
        if first.timestamp() - world.now() >= 10 * 86400:
            return first


def test_a_monthly_series_changed_from_the_middle_and_cancelled_once(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Assembly")
    olive = guild.add_member("olive")
    start = first_saturday_ahead(world)
    posted = driver.command(
        "shift offer", user=olive, when=f"{start:%Y-%m-%d %H:%M}", where="Library",
        repeat="monthly on the first saturday", count=3,
    )  # fmt: skip
    assert posted.ephemeral and "Posted a series of 3 shifts" in posted.text, posted.text
    first, second, third = (int(n) for n in re.findall(r"#(\d+)", posted.text)[:3])
    starts = [datetime.fromtimestamp(row[0], UTC) for row in bot.rows("SELECT starts_at FROM shifts ORDER BY id")]
    expected = list(rrule(MONTHLY, byweekday=SA(1), count=3, dtstart=start))
    assert starts == expected and all(s.weekday() == 5 and s.day <= 7 for s in starts), starts

    asked = driver.command("shift edit", user=olive, shift=second, where="Town Hall")
    assert asked.ephemeral and "part of a series" in asked.text and len(asked.buttons) == 2, asked.text
    assert bot.rows("SELECT location FROM shifts WHERE id = ?", second) == [("Library",)]  # nothing yet
    done = driver.click(asked, "This and all later ones", user=olive)
    assert "and 1 later shift" in done.text and not done.buttons, done.text
    places = dict(bot.rows("SELECT id, location FROM shifts"))
    assert places == {first: "Library", second: "Town Hall", third: "Town Hall"}

    cancelled = driver.command("shift cancel", user=olive, shift=first, reason="Snow", scope="this")
    assert cancelled.ephemeral and f"Shift #{first} is cancelled" in cancelled.text, cancelled.text
    live = [row[0] for row in bot.rows("SELECT id FROM shifts WHERE cancelled_at IS NULL ORDER BY id")]
    assert live == [second, third]


def test_a_pattern_rota_cannot_read_is_refused_with_examples(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Unclear")
    olive = guild.add_member("olive")
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    monday = datetime.fromtimestamp(world.now(), UTC).replace(hour=18, minute=0) + relativedelta(days=7, weekday=MO)
    answer = driver.command(
        "shift offer", user=olive, when=f"{monday:%Y-%m-%d %H:%M}", where="Hall", repeat="now and then"
    )
    assert answer.ephemeral and "can't read `now and then` as a repeat" in answer.text, answer.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before
    until = driver.command(
        "shift offer",
        user=olive,
        when=f"{monday:%Y-%m-%d %H:%M}",
        where="Hall",
        repeat="mon, thu",
        until=f"{monday + timedelta(days=10):%Y-%m-%d}",
    )
    assert "Posted a series of 4 shifts" in until.text, until.text  # Mon, Thu, Mon, Thu
    choices = driver.autocomplete("shift offer", "repeat", "month", user=olive, when="sat 10am", where="Hall")
    assert "monthly on the first saturday" in [c["value"] for c in choices]
