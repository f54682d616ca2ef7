"""Issue 16, item 1: the group governs its own settings. The real bot process against the fake Discord.

Under `organisers` Manage Server changes settings at once and anyone else's `/setup` opens a
proposal; under `group` every change (an admin's included) is a proposal, applied by the scheduler
in the transaction that closes it as passed: once, even across a restart.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakediscord import BotProcess, Driver, World
from tests.e2e.test_proposals import card_of, number, posts

CLOSE = 10 * 60 + 30  # just past the shortest proposal length (10 minutes)


def timezone_of(bot: BotProcess, guild: Any) -> str:
    rows = bot.rows("SELECT timezone FROM guild_settings WHERE guild_id = ?", guild.id)
    return rows[0][0] if rows else "UTC"


@pytest.fixture
def group(world: World) -> dict[str, Any]:
    guild = world.add_guild("Housing Co-op")
    log = guild.add_text_channel("rota-log")
    return {
        "guild": guild,
        "log": log,
        "olive": guild.add_member("olive", manage_guild=True),
        **{name: guild.add_member(name) for name in ("alice", "bob")},
    }


def to_group_governance(bot: BotProcess, driver: Driver, group: dict[str, Any]) -> None:
    """Organisers -> group takes effect at once for Manage Server (power flows toward the group)."""
    driver.command("setup channels", user=group["olive"], log=group["log"])
    driver.command("setup decisions", user=group["olive"], closes_in="10m")
    moved = driver.command("setup governance", user=group["olive"], mode="group")
    assert moved.ephemeral and "Saved" in moved.text and "the group, by proposal" in moved.text, moved
    assert bot.rows("SELECT governance FROM guild_settings WHERE guild_id = ?", group["guild"].id) == [("group",)]


def test_under_group_a_change_passes_by_proposal_once_across_a_restart(
    make_bot, world: World, driver: Driver, group
) -> None:
    bot = make_bot()
    guild, olive, alice = group["guild"], group["olive"], group["alice"]
    to_group_governance(bot, driver, group)

    answer = driver.command("setup timezone", user=olive, zone="Europe/Berlin")  # an admin, under group
    assert answer.ephemeral and "group's decision" in answer.text and "https://discord.com/channels/" in answer.text
    assert timezone_of(bot, guild) == "UTC"  # not changed directly
    pid = number(answer.text)
    card = card_of(world, guild.general, pid)
    assert card.embed["title"] == f"Proposal #{pid}: Change the time zone from UTC to Europe/Berlin", card.embed
    assert "Europe/Berlin" in card.text and card.thread is not None
    assert bot.rows("SELECT rule, settings_change FROM proposals WHERE id = ?", pid) == [
        ("consent", '{"timezone": "Europe/Berlin"}')
    ]
    driver.click(card, "Agree", user=alice)

    bot.stop()
    bot.advance_clock(CLOSE)  # the deadline passes while the bot is down
    bot.start()
    outcome = world.wait_until(lambda: posts(world, guild.general, "closed. **Passed**"), what="the outcome post")
    assert "in effect" in outcome[0].text and "Europe/Berlin" in outcome[0].text
    assert timezone_of(bot, guild) == "Europe/Berlin"
    logged = world.wait_until(
        lambda: posts(world, group["log"], "The group decided in proposal"), what="the group's decision in the log"
    )
    assert f"#{pid}" in logged[0].text and "Europe/Berlin" in logged[0].text

    bot.restart()  # nothing runs twice
    changes = bot.rows(
        "SELECT actor_id, detail FROM audit_log WHERE guild_id = ? AND action = 'setting_changed'"
        " AND subject = 'timezone'",
        guild.id,
    )
    assert len(changes) == 1 and changes[0][0] is None and f'"proposal": {pid}' in changes[0][1], changes
    assert len(posts(world, guild.general, "closed.")) == 1
    shown = driver.command("setup show", user=alice)
    assert "Europe/Berlin" in shown.text and "The group changes them" in shown.text


def test_a_block_leaves_the_setting_and_going_back_needs_the_group(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    guild, olive, alice, bob = group["guild"], group["olive"], group["alice"], group["bob"]
    to_group_governance(bot, driver, group)

    back = driver.command("setup governance", user=olive, mode="organisers")  # only by a passed proposal
    assert back.ephemeral and "proposal" in back.text
    pid = number(back.text)
    assert "from the group, by proposal to organisers (Manage Server)" in card_of(world, guild.general, pid).text
    assert bot.rows("SELECT governance FROM guild_settings WHERE guild_id = ?", guild.id) == [("group",)]

    card = card_of(world, guild.general, pid)
    driver.click(card, "Agree", user=alice)
    blocked = driver.submit_modal(
        driver.click(card, "Block", user=bob), {"Why do you block it?": "Keep it ours"}, user=bob
    )
    assert "you block" in blocked.text
    bot.advance_clock(CLOSE)
    world.wait_until(lambda: posts(world, guild.general, f"#{pid}") and posts(world, guild.general, "Did not pass"))
    assert bot.rows("SELECT status FROM proposals WHERE id = ?", pid) == [("failed",)]
    assert bot.rows("SELECT governance FROM guild_settings WHERE guild_id = ?", guild.id) == [("group",)]
    assert bot.rows(
        "SELECT COUNT(*) FROM audit_log WHERE guild_id = ? AND action = 'setting_changed' AND subject = 'governance'",
        guild.id,
    ) == [(1,)]  # only the move to group

    rota = driver.command("setup rota", user=olive, rota="note-taker", turn_days=14)  # no direct change
    assert rota.ephemeral and "group's decision" in rota.text
    rid = number(rota.text)
    assert "Change the note-taker rota: turns of 14 days" in card_of(world, guild.general, rid).embed["title"]
    assert bot.rows("SELECT COUNT(*) FROM rotas WHERE guild_id = ? AND name = 'note-taker'", guild.id) == [(0,)]
    driver.click(card_of(world, guild.general, rid), "Agree", user=alice)
    bot.advance_clock(CLOSE)
    world.wait_until(
        lambda: (
            bot.rows("SELECT turn_length_days FROM rotas WHERE guild_id = ? AND name = 'note-taker'", guild.id)
            == [(14,)]
        ),
        what="the rota the group agreed",
    )


def test_under_organisers_a_member_without_manage_server_proposes(
    bot: BotProcess, world: World, driver: Driver, group
) -> None:
    guild, alice = group["guild"], group["alice"]
    answer = driver.command("setup governance", user=alice, mode="group")  # any member may propose it
    assert answer.ephemeral and "needs Manage Server" in answer.text and "proposal" in answer.text
    pid = number(answer.text)
    assert (
        "Change the governance from organisers (Manage Server) to the group"
        in card_of(world, guild.general, pid).embed["title"]
    )
    assert bot.rows("SELECT governance FROM guild_settings WHERE guild_id = ?", guild.id) in ([], [("organisers",)])
    same = driver.command("setup governance", user=group["olive"], mode="organisers")
    assert "already" in same.text  # nothing to propose when nothing would change
