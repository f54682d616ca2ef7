"""Issue 16, item 2: `/setup privacy names:holders`, through the real bot and the fake Discord.

With `holders`, no member's name or mention appears in anything public: every message the fake
holds in the server's channels and public threads is scanned, the log mirror with them, and `/log`
and `/stats` as another member reads them. The people on a shift still see each other, in
`/shift show` and in the shift's thread, which is private to them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fakediscord import BotProcess, Driver, World
from fakediscord.constants import PRIVATE_THREAD
from tests.e2e.test_proposals import number
from tests.reliability.helpers import future

MEMBERS = ("zoraida", "quillon", "ximena", "wendeline", "yusufa")


def leaks(text: str, members: list[Any], *, allowed: tuple[Any, ...] = ()) -> list[str]:
    """Names or mentions of `members` (other than `allowed`) in `text`."""
    found = []
    for member in members:
        if member in allowed:
            continue
        if member.name.lower() in text.lower() or str(member.id) in text:
            found.append(member.name)
    if re.search(r"<@!?\d+>", text) and not allowed:
        found.append("a user mention")
    return found


def test_holders_names_nobody_in_public(make_bot, world: World, driver: Driver) -> None:
    bot = make_bot()
    guild = world.add_guild("Quiet Network")
    olive = guild.add_member("olivetta", manage_guild=True)
    log, news = guild.add_text_channel("rota-log"), guild.add_text_channel("news")
    zora, quin, xime, wend, yusu = (guild.add_member(name) for name in MEMBERS)
    members = [olive, zora, quin, xime, wend, yusu]
    driver.command("setup channels", user=olive, log=log, announcements=news)
    set_privacy = driver.command("setup privacy", user=olive, names="holders")
    assert "Saved" in set_privacy.text and "names only to those on the same shift" in set_privacy.text

    # Shifts: a card, claims, a waitlist, a leave that moves the waitlist up.
    shift_id = number(
        driver.command("shift offer", user=zora, when=future(world, 19), where="Safe House", places=2).text
    )
    driver.command("shift claim", user=quin, shift=shift_id)  # with the offerer: full
    full = driver.command("shift claim", user=xime, shift=shift_id)
    assert "number 1 on the waitlist" in driver.click(full, "Join the waitlist", user=xime).text
    driver.command("shift leave", user=quin, shift=shift_id)  # xime moves up
    card = world.wait_until(
        lambda: next(
            (m for m in world.messages(guild.general) if m.embed and f"Shift #{shift_id}" in m.embed["title"]), None
        ),
        what="the shift card",
    )
    world.wait_until(lambda: "2/2 taken" in card.text, what="the card to show 2/2 taken")
    assert "2 members" in card.text, card.text  # counts instead of names
    thread = world.wait_until(
        lambda: next((c for c in guild.general.threads if c.type == PRIVATE_THREAD and "Safe House" in c.name), None),
        what="the shift's private thread",
    )
    world.wait_until(lambda: {zora.id, xime.id} <= set(thread.thread_member_ids), what="the holders in the thread")
    assert quin.id not in thread.thread_member_ids  # left the shift, left the thread
    assert world.messages_seen_by(thread, wend) == world.messages_seen_by(thread, quin) == []

    # Holders see each other privately; anyone else sees counts.
    as_holder = driver.command("shift show", user=xime, shift=shift_id)
    assert "Zoraida" in as_holder.text and "Ximena" in as_holder.text
    as_other = driver.command("shift show", user=wend, shift=shift_id)
    assert not leaks(as_other.text, members), as_other.text

    # A proposal: positions, a block's reason in the public thread, a withdrawal.
    opened = driver.command("propose", user=wend, closes_in="2d")
    pid = number(driver.submit_modal(opened, {"Title": "Buy a printer", "Proposal": "For leaflets"}, user=wend).text)
    pcard = world.wait_until(
        lambda: next((m for m in world.messages(guild.general) if m.embed and f"#{pid}:" in m.embed["title"]), None),
        what="the proposal card",
    )
    driver.click(pcard, "Agree", user=yusu)
    driver.submit_modal(driver.click(pcard, "Block", user=quin), {"Why do you block it?": "Too costly"}, user=quin)
    world.wait_until(
        lambda: [m for m in world.messages(pcard.thread) if "Too costly" in m.text], what="the block's reason"
    )
    seen = driver.command("proposal show", user=olive, proposal=pid)
    assert not leaks(seen.text, members, allowed=(olive,)), seen.text
    # A withdrawal (of another proposal: a post right behind the block's in one new thread can hang in
    # discord.py's first-use rate-limit bucket, which is not what this test is about).
    opened = driver.command("propose", user=wend, closes_in="2d")
    other = number(driver.submit_modal(opened, {"Title": "Buy ink", "Proposal": "For leaflets"}, user=wend).text)
    assert "withdrawn" in driver.command("proposal withdraw", user=wend, proposal=other).text
    ocard = world.wait_until(
        lambda: next((m for m in world.messages(guild.general) if m.embed and f"#{other}:" in m.embed["title"]), None),
        what="the second proposal card",
    )
    world.wait_until(lambda: [m for m in world.messages(ocard.thread) if "withdrawn" in m.text], what="withdrawal")

    # A facilitator hand-over: the new holder hears privately, the channel only that the turn moved.
    target = datetime.fromtimestamp(world.now() + 120, UTC).replace(second=0, microsecond=0)
    driver.command("setup rota", user=olive, rota="facilitator", turn_days=1, at=f"{target:%H:%M}")
    driver.command("rota join", user=yusu)
    driver.command("rota join", user=zora)
    bot.advance_clock(target.timestamp() - world.now() + 5)
    world.wait_until(lambda: [m for m in world.messages(news) if "has moved on" in m.text], what="the hand-over")
    world.wait_until(lambda: [m for m in world.dms(zora) if "Your turn as" in m.text], what="the holder's DM")

    # The log mirror has caught up with the last change (positive signal), then everything is scanned.
    world.wait_until(lambda: [m for m in world.messages(log) if "joined the facilitator rota" in m.text])
    public = world.public_messages(guild)
    assert len(public) >= 6 and any(m.channel_id == log.id for m in public)
    for message in public:
        assert not leaks(message.text, members), (message.channel_id, message.text)

    # /log and /stats as another member read them: only the reader is named.
    as_yusu = driver.command("log", user=yusu)
    assert "Yusufa" in as_yusu.text and not leaks(as_yusu.text, members, allowed=(yusu,)), as_yusu.text
    assert "a member" in as_yusu.text
    refused = driver.command("log", user=yusu, member=zora)
    assert refused.ephemeral and "can't be picked out" in refused.text
    stats = driver.command("stats", user=yusu)
    assert "Yusufa" in stats.text and not leaks(stats.text, members, allowed=(yusu,)), stats.text
    assert "Gini" in stats.text


def test_holders_never_ask_a_handoff_in_public(bot: BotProcess, world: World, driver: Driver) -> None:
    """A member whose DMs are closed would be asked in the channel, naming them: not under `holders`."""
    guild = world.add_guild("Closed Doors")
    olive = guild.add_member("olivetta", manage_guild=True)
    zora, quin = guild.add_member("zoraida"), guild.add_member("quillon", dms_closed=True)
    driver.command("setup privacy", user=olive, names="holders")
    shift_id = number(
        driver.command("shift offer", user=zora, when=future(world, 19), where="Back Room", places=2).text
    )
    asked = driver.command("shift handoff", user=zora, shift=shift_id, to=quin)
    assert asked.ephemeral and "can't ask them in the channel" in asked.text, asked.text
    assert bot.rows("SELECT status FROM shift_handoffs WHERE shift_id = ?", shift_id) == [("pending",)]
    for message in world.public_messages(guild):
        assert not leaks(message.text, [olive, zora, quin]), message.text
