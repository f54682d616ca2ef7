"""/help and /setup through the real bot process and the fake Discord."""

from __future__ import annotations

import pytest

from fakediscord import BotProcess, Driver, RefusedByClient, World


def test_help_lists_the_commands_in_one_embed(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Help Club")
    alice = guild.add_member("alice")
    answer = driver.command("help", user=alice)
    assert answer.ephemeral
    assert answer.embed is not None and answer.embed["title"] == "Rota"
    field_names = [f["name"] for f in answer.embed["fields"]]
    assert "Shifts" in field_names
    assert "/shift offer" in answer.text


def test_setup_show_is_open_to_everyone(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Show Club")
    bob = guild.add_member("bob")
    answer = driver.command("setup show", user=bob)
    assert answer.ephemeral and "Time zone" in answer.text and "UTC" in answer.text
    assert "facilitator" in answer.text  # rotas are settings too


def test_changing_a_setting_needs_manage_server_or_a_proposal_and_is_announced(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Tz Club")
    log = guild.add_text_channel("rota-log")
    organiser = guild.add_member("olive", manage_guild=True)
    member = guild.add_member("mo")

    proposed = driver.command("setup timezone", user=member, zone="Europe/London")  # a proposal, not a refusal
    assert proposed.ephemeral and "Manage Server" in proposed.text and "proposal" in proposed.text
    assert "UTC" in driver.command("setup show", user=member).text

    driver.command("setup channels", user=organiser, log=log)
    changed = driver.command("setup timezone", user=organiser, zone="Europe/London")
    assert changed.ephemeral and "Europe/London" in changed.text
    assert "Europe/London" in driver.command("setup show", user=member).text
    lines = world.wait_until(
        lambda: [m for m in world.messages(log) if "Europe/London" in m.text], what="the change in the log channel"
    )
    assert "time zone" in lines[0].text and "Olive" in lines[0].text


def test_a_bad_time_zone_is_refused_politely(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Bad Tz Club")
    organiser = guild.add_member("olive", manage_guild=True)
    answer = driver.command("setup timezone", user=organiser, zone="Mars/Olympus")
    assert answer.ephemeral and "isn't a time zone" in answer.text
    assert "UTC" in driver.command("setup show", user=organiser).text


def test_time_zone_autocomplete_suggests_zones(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Ac Club")
    organiser = guild.add_member("olive", manage_guild=True)
    choices = driver.autocomplete("setup timezone", "zone", "london", user=organiser)
    assert "Europe/London" in [c["value"] for c in choices]


def test_the_client_never_sends_an_overlong_time_zone(bot: BotProcess, world: World, driver: Driver) -> None:
    guild = world.add_guild("Long Club")
    organiser = guild.add_member("olive", manage_guild=True)
    with pytest.raises(RefusedByClient):
        driver.command("setup timezone", user=organiser, zone="x" * 65)


def test_choosing_a_channel_the_bot_cannot_post_in_is_flagged(bot: BotProcess, world: World, driver: Driver) -> None:
    view_only = 1 << 10 | 1 << 31  # View Channel and Use Application Commands, nothing else
    guild = world.add_guild("Locked Club", bot_permissions=view_only)
    organiser = guild.add_member("olive", manage_guild=True)
    shifts = guild.add_text_channel("shifts")
    answer = driver.command("setup channels", user=organiser, shifts=shifts)
    assert answer.ephemeral and "Saved" in answer.text
    assert "Send Messages" in answer.text and "Create Public Threads" in answer.text
    fine = world.add_guild("Open Club")
    organiser2 = fine.add_member("olive", manage_guild=True)
    ok = driver.command("setup channels", user=organiser2, shifts=fine.add_text_channel("shifts"))
    assert "⚠" not in ok.text
