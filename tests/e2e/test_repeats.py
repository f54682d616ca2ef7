"""Repeats people use, through the real bot: a monthly series, a change to "this and all later
ones" after being asked, a cancellation of one occurrence only, and a pattern Rota can't read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fakediscord import BotProcess, Driver, World


def test_a_monthly_series_changed_from_the_middle_and_cancelled_once(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Assembly")
    olive = guild.add_member("olive")
    posted = driver.command(
        "shift offer", user=olive, when="2027-01-02 18:00", where="Library", repeat="monthly on the first saturday",
        count=3,
    )  # fmt: skip
    assert posted.ephemeral and "Posted a series of 3 shifts" in posted.text, posted.text
    first, second, third = (int(n) for n in re.findall(r"#(\d+)", posted.text)[:3])
    starts = [datetime.fromtimestamp(row[0], UTC) for row in bot.rows("SELECT starts_at FROM shifts ORDER BY id")]
    assert [s.strftime("%a %Y-%m-%d %H:%M") for s in starts] == [
        "Sat 2027-01-02 18:00", "Sat 2027-02-06 18:00", "Sat 2027-03-06 18:00",
    ]  # fmt: skip

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
    answer = driver.command("shift offer", user=olive, when="2027-01-02 18:00", where="Hall", repeat="now and then")
    assert answer.ephemeral and "can't read `now and then` as a repeat" in answer.text, answer.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before
    until = driver.command(
        "shift offer", user=olive, when="2027-01-04 18:00", where="Hall", repeat="mon, thu", until="2027-01-14"
    )
    assert "Posted a series of 4 shifts" in until.text, until.text  # Mon 4, Thu 7, Mon 11, Thu 14 January
    choices = driver.autocomplete("shift offer", "repeat", "month", user=olive, when="sat 10am", where="Hall")
    assert "monthly on the first saturday" in [c["value"] for c in choices]
