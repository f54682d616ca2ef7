"""Time input people actually type, end to end: a time copied off a card, and the polite refusals.

The server keeps London time. A card shows its start as a Discord timestamp (`<t:...:F>`), which each
member's client renders in their own zone and language; a member in London who copies that rendering
(or the raw `<t:...>`) into a new offer gets a shift that starts at exactly the same instant.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fakediscord import BotProcess, Driver, World

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def group(world: World, driver: Driver) -> dict[str, Any]:
    guild = world.add_guild("Time Typists")
    organiser = guild.add_member("olive", manage_guild=True)
    changed = driver.command("setup timezone", user=organiser, zone="Europe/London")
    assert changed.ephemeral and "Europe/London" in changed.text, changed.text
    return {
        "guild": guild,
        "channel": guild.general,
        "alice": guild.add_member("alice"),
        "bob": guild.add_member("bob"),
    }


def offer(driver: Driver, user: Any, when: str) -> Any:
    return driver.command("shift offer", user=user, when=when, where="Market Square", places=2)


def posted_id(answer: Any) -> int:
    assert answer.ephemeral and "Posted" in answer.text, answer.text
    match = re.search(r"#(\d+)", answer.text)
    assert match, answer.text
    return int(match.group(1))


def card_timestamp(world: World, channel: Any, shift_id: int) -> int:
    """The instant a shift's card shows, read off its `<t:...>` as Discord's client would."""

    def find() -> Any:
        return next((m for m in world.messages(channel) if m.embed and f"Shift #{shift_id}" in m.embed["title"]), None)

    card = world.wait_until(find, what=f"the card of shift #{shift_id}")
    match = re.search(r"<t:(\d+):[a-zA-Z]>", card.text)
    assert match, card.text
    return int(match.group(1))


def renderings(seconds: int) -> list[str]:
    """How Discord's English clients show `<t:seconds:f>` and `<t:seconds:F>` to a reader in London."""
    local = datetime.fromtimestamp(seconds, UTC).astimezone(LONDON)
    weekday, month = f"{local:%A}", f"{local:%B}"
    twelve = f"{local.hour % 12 or 12}:{local:%M} {'PM' if local.hour >= 12 else 'AM'}"
    return [
        f"{weekday}, {month} {local.day}, {local.year} {twelve}",  # en-US, F
        f"{month} {local.day}, {local.year} at {twelve}",  # en-US, f (newer clients)
        f"{local.day} {month} {local.year} {local:%H:%M}",  # en-GB, f
        f"{weekday}, {local.day} {month} {local.year} at {local:%H:%M}",  # en-GB, F (newer clients)
        f"<t:{seconds}:F>",  # the timestamp itself, pasted
    ]


def test_a_time_copied_off_a_card_starts_at_that_instant(bot: BotProcess, world: World, driver: Driver, group):
    day = datetime.now(LONDON).date() + timedelta(days=10)
    first = posted_id(offer(driver, group["alice"], f"{day:%Y-%m-%d} 18:30"))
    seconds = card_timestamp(world, group["channel"], first)
    assert bot.rows("SELECT starts_at FROM shifts WHERE id = ?", first) == [(seconds,)]
    for text in renderings(seconds):
        copied = posted_id(offer(driver, group["bob"], text))
        assert bot.rows("SELECT starts_at FROM shifts WHERE id = ?", copied) == [(seconds,)], text


@pytest.mark.parametrize(
    ("when", "needles"),
    [
        ("5/12 10:00", ["day or the month first", "`5 dec`", "`may 12`"]),
        ("sat 10", ["add am or pm", "`10am`", "`10:00`"]),
        ("in 999999w", ["too far ahead", "365 days"]),
    ],
)
def test_ambiguous_or_impossible_times_are_refused_politely(
    bot: BotProcess, world: World, driver: Driver, group, when, needles
) -> None:
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    answer = offer(driver, group["alice"], when)
    text = answer.text
    assert answer.ephemeral, text
    assert all(needle in text for needle in needles), text
    assert "went wrong" not in text and "Traceback" not in text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before
    assert not [m for m in world.messages(group["channel"]) if m.embed]
