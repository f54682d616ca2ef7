"""/log, /stats and /mydata through the real bot."""

from __future__ import annotations

import json
import re
from typing import Any

from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import future


def offer(driver: Driver, user: Any, places: int = 2) -> int:
    answer = driver.command("shift offer", user=user, when=future(driver.world), where="Market Square", places=places)
    match = re.search(r"#(\d+)", answer.text)
    assert match, answer.text
    return int(match.group(1))


def test_log_shows_who_did_what_newest_first_and_mirrors_to_the_log_channel(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Open Book")
    log_channel = guild.add_text_channel("rota-log")
    olive = guild.add_member("olive", manage_guild=True)
    bob = guild.add_member("bob")
    driver.command("setup channels", user=olive, log=log_channel)
    shift_id = offer(driver, olive)
    driver.command("shift claim", user=bob, shift=shift_id)

    answer = driver.command("log", user=bob)
    assert answer.ephemeral
    lines = answer.embed["description"].splitlines()
    assert "Bob" in lines[0] and f"took a place on shift #{shift_id}" in lines[0]
    assert "Olive" in lines[1] and f"offered shift #{shift_id}" in lines[1]
    assert all("<t:" in line for line in lines)
    only_settings = driver.command("log", user=bob, kind="settings")
    assert "log channel" in only_settings.text and "shift" not in only_settings.embed["description"]
    only_bob = driver.command("log", user=olive, member=bob)
    assert "Olive" not in only_bob.embed["description"]
    world.wait_until(
        lambda: any(f"took a place on shift #{shift_id}" in m.text for m in world.messages(log_channel)),
        what="the claim mirrored in the log channel",
    )


def test_stats_sends_an_embed_and_a_png_chart(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Counting")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice)
    driver.command("shift claim", user=bob, shift=shift_id)
    answer = driver.command("stats", user=bob)
    assert answer.ephemeral and "How the work is shared" in answer.text
    assert "Gini" in answer.text and "Alice" in answer.text
    png = answer.attachments[0]
    assert png.filename == "rota-stats.png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert answer.embed["image"]["url"] == "attachment://rota-stats.png"


def test_export_holds_my_shifts_and_nothing_of_others(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Exporters")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    mine = offer(driver, alice)
    theirs = offer(driver, bob)
    answer = driver.command("mydata export", user=alice)
    assert answer.ephemeral and answer.attachments[0].filename == "rota-my-data.json"
    data = json.loads(answer.attachments[0].data)
    assert [row["shift_id"] for row in data["shift_places"]] == [mine]
    assert theirs not in [row["id"] for row in data["shifts_offered"]]
    assert str(bob.id) not in answer.attachments[0].text


def test_delete_needs_confirmation_releases_places_and_promotes(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Forgetting")
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    shift_id = offer(driver, alice, places=2)
    driver.command("shift claim", user=bob, shift=shift_id)
    full = driver.command("shift claim", user=cara, shift=shift_id)
    driver.click(full, "Join the waitlist", user=cara)

    ask = driver.command("mydata delete", user=bob)
    assert ask.ephemeral and "can't be undone" in ask.text
    done = driver.click(ask, "Yes, delete my data here", user=bob)
    assert done.type == 7 and "1 future place released" in done.text
    world.wait_until(lambda: [m for m in world.dms(cara) if "it's yours" in m.text], what="Cara promoted")
    card = world.wait_until(
        lambda: next((m for m in world.messages(guild.general) if m.embed and "Cara" in m.text), None),
        what="the card to show Cara",
    )
    assert "Bob" not in card.text
    log = driver.command("log", user=alice, days=1)
    assert "former member" in log.text and "Bob" not in log.text
