"""Issue 16, item 3: keeping less. The daily retention job, through the real bot and the fake Discord.

What finished, closed or was logged before the server's limit names nobody ("a member"); what is
newer is untouched, `/mydata export` still gives a member their own recent data, `/stats` still works.
"""

from __future__ import annotations

import json
from typing import Any

from fakediscord import Driver, World
from tests.e2e.test_proposals import number

DAY = 86400
HOUR = 3600


def offer_and_claim(driver: Driver, offerer: Any, holder: Any, where: str) -> int:
    shift_id = number(driver.command("shift offer", user=offerer, when="in 2h", where=where, places=2).text)
    assert "place" in driver.command("shift claim", user=holder, shift=shift_id).text
    return shift_id


def propose_and_agree(driver: Driver, world: World, author: Any, voter: Any, title: str) -> int:
    opened = driver.command("propose", user=author, closes_in="10m")
    pid = number(driver.submit_modal(opened, {"Title": title, "Proposal": "Text"}, user=author).text)
    card = world.wait_until(
        lambda: next(
            (m for m in world.messages(author.guild.general) if m.embed and f"#{pid}:" in m.embed["title"]), None
        ),
        what="the proposal card",
    )
    driver.click(card, "Agree", user=voter)
    return pid


def test_retention_anonymises_exactly_what_is_older_than_the_limit(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Forgetful Collective")
    olive, alice, bob = guild.add_member("olive", manage_guild=True), guild.add_member("alice"), guild.add_member("bob")
    assert "2 days" in driver.command("setup retention", user=olive, days=2).text

    old_shift = offer_and_claim(driver, olive, alice, "Old Square")
    old_proposal = propose_and_agree(driver, world, bob, alice, "Old idea")
    bot.advance_clock(11 * 60)  # the old proposal closes
    world.wait_until(
        lambda: bot.rows("SELECT status FROM proposals WHERE id = ?", old_proposal) == [("passed",)],
        what="the old proposal to close",
    )
    bot.advance_clock(DAY + 3 * HOUR)  # the old shift is over too; the daily run finds nothing old enough
    new_shift = offer_and_claim(driver, olive, alice, "New Square")
    new_proposal = propose_and_agree(driver, world, bob, alice, "New idea")
    bot.advance_clock(DAY + 3 * HOUR)  # the next daily run: the old records are now over 2 days old, the new not

    world.wait_until(
        lambda: bot.rows("SELECT offerer_name FROM shifts WHERE id = ?", old_shift) == [("a member",)],
        what="the old shift to be anonymised",
    )
    world.wait_until(
        lambda: bot.rows("SELECT COUNT(*) FROM jobs WHERE key = 'retention:daily' AND state = 'pending'") == [(1,)],
        what="the retention job to finish and plan its next run",
    )
    assert bot.rows("SELECT offerer_id, offerer_name FROM shifts WHERE id = ?", new_shift) == [(olive.id, "Olive")]
    old_places = bot.rows("SELECT user_id < 0, user_name FROM shift_places WHERE shift_id = ?", old_shift)
    assert old_places == [(1, "a member")] * 2  # the offerer joined it, and alice claimed
    new_places = bot.rows(
        "SELECT user_id, user_name FROM shift_places WHERE shift_id = ? ORDER BY user_name", new_shift
    )
    assert new_places == [(alice.id, "Alice"), (olive.id, "Olive")]
    assert bot.rows("SELECT author_id, author_name FROM proposals WHERE id = ?", old_proposal) == [(0, "a member")]
    assert bot.rows("SELECT author_id FROM proposals WHERE id = ?", new_proposal) == [(bob.id,)]
    assert bot.rows("SELECT user_name FROM proposal_positions WHERE proposal_id = ?", old_proposal) == [("a member",)]
    assert bot.rows("SELECT user_name FROM proposal_positions WHERE proposal_id = ?", new_proposal) == [("Alice",)]

    # The log: an entry is anonymised exactly when it was written more than 2 days before the run.
    entries = bot.rows(
        "SELECT created_at, anonymised_at, actor_id, actor_name FROM audit_log WHERE guild_id = ?", guild.id
    )
    run_at = max(e[1] for e in entries if e[1] is not None)
    for created_at, anonymised_at, actor_id, actor_name in entries:
        if created_at < run_at - 2 * DAY:
            assert anonymised_at is not None and actor_id is None and actor_name in ("a member", "Rota"), entries
        else:
            assert anonymised_at is None, entries
    assert any(e[1] is not None for e in entries) and any(e[1] is None and e[2] == alice.id for e in entries)

    exported = driver.command("mydata export", user=alice)
    data = json.loads(exported.attachments[0].data)
    assert [row["shift_id"] for row in data["shift_places"]] == [new_shift]  # her own recent data, and only that
    assert [row["proposal_id"] for row in data["proposal_positions"]] == [new_proposal]
    assert data["audit_log"] and all(row["created_at"] >= run_at - 2 * DAY for row in data["audit_log"])
    stats = driver.command("stats", user=alice)
    assert "Alice" in stats.text
