"""A chosen channel deleted by a moderator: Rota says so where people look, and hand-overs reach
the new holder by DM instead of nobody."""

from __future__ import annotations

from typing import Any

from fakediscord import Driver, World
from fakediscord.constants import BOT_DEFAULT, SEND_MESSAGES


def test_a_deleted_announcement_channel_is_flagged_and_the_holder_is_told_by_dm(
    make_bot: Any, world: World, driver: Driver
) -> None:
    make_bot()
    guild = world.add_guild("Tidy moderators")
    olive = guild.add_member("olive", manage_guild=True)
    news = guild.add_text_channel("news")
    assert driver.command("setup channels", user=olive, announcements=news).ephemeral
    world.delete_channel(news)

    shown = driver.command("setup show", user=olive)
    fields = {f["name"]: f["value"] for f in shown.embed["fields"]}
    assert "no longer exists" in fields["Needs attention"] and "/setup channels" in fields["Needs attention"]

    alice = guild.add_member("alice")
    assert "Your first turn is now" in driver.command("rota join", user=alice).text
    world.wait_until(
        lambda: [m for m in world.dms(alice) if "Your turn as **facilitator**" in m.text], what="the hand-over DM"
    )
    rota = driver.command("rota show", user=alice)
    assert "Hand-overs aren't announced" in [f["name"] for f in rota.embed["fields"]]


def test_a_shift_or_proposal_whose_card_cannot_be_posted_is_refused_before_anything_is_made(
    bot: Any, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Closed doors")
    olive = guild.add_member("olive", manage_guild=True)
    cards = guild.add_text_channel("cards")
    assert driver.command("setup channels", user=olive, shifts=cards).ephemeral
    before = bot.rows("SELECT COUNT(*) FROM shifts")
    world.delete_channel(cards)
    gone = driver.command("shift offer", user=olive, when="in 3 days", where="Market")
    assert gone.ephemeral and "no longer exists" in gone.text and "nothing was created" in gone.text, gone.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before

    guild.set_bot_permissions(BOT_DEFAULT & ~SEND_MESSAGES)
    assert driver.command("setup channels", user=olive, shifts=guild.general).ephemeral
    refused = driver.command("shift offer", user=olive, when="in 3 days", where="Market")
    assert refused.ephemeral and "Send Messages" in refused.text and "Nothing was created" in refused.text, refused.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before
