"""A chosen channel deleted by a moderator: Rota says so where people look, and hand-overs reach
the new holder by DM instead of nobody."""

from __future__ import annotations

from typing import Any

from tests.fakediscord import Driver, World


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
