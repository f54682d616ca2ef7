"""A server that moderators change under Rota: permission overwrites on a channel, a deleted role,
Discord's limits on routes other than messages, and changes made while Rota was down."""

from __future__ import annotations

from typing import Any

from fakediscord import BotProcess, Driver, World
from fakediscord.constants import SEND_MESSAGES, VIEW_CHANNEL
from tests.e2e.test_rota import announced, daily_rota, join
from tests.reliability.helpers import card_of, offer


def test_an_overwrite_that_closes_the_card_channel_refuses_offers_until_it_is_lifted(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Overwritten")
    olive = guild.add_member("olive", manage_guild=True)
    cards = guild.add_text_channel("cards")
    assert driver.command("setup channels", user=olive, shifts=cards).ephemeral
    world.set_overwrite(cards, guild.bot_role, deny=SEND_MESSAGES)  # server-wide the bot still may
    before = bot.rows("SELECT COUNT(*) FROM shifts")

    fields = {f["name"]: f["value"] for f in driver.command("setup show", user=olive).embed["fields"]}
    assert "Send Messages" in fields["Needs attention"]
    refused = driver.command("shift offer", user=olive, when="in 3 days", where="Market")
    assert refused.ephemeral and "Send Messages" in refused.text and "Nothing was created" in refused.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before

    # With no card channel chosen the card goes where the command was used: one the bot cannot see.
    other = world.add_guild("No card channel")
    backroom = other.add_text_channel("backroom")
    world.set_overwrite(backroom, other.bot_role, deny=VIEW_CHANNEL)
    hidden = driver.command(
        "shift offer", user=other.add_member("olive"), channel=backroom, when="in 3 days", where="Market"
    )
    assert hidden.ephemeral and "View Channel" in hidden.text and "Nothing was created" in hidden.text, hidden.text
    assert bot.rows("SELECT COUNT(*) FROM shifts") == before

    world.set_overwrite(cards, guild.bot_role)  # lifted
    assert driver.command("setup channels", user=olive, shifts=cards).ephemeral
    shift_id = offer(driver, olive, when="in 3 days")
    assert card_of(world, cards, shift_id).embed is not None


def test_a_deleted_rota_role_is_said_plainly_and_never_shown_as_a_mention(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()  # its own process: its daily rota must not hand over in later tests
    world.allow_pings()  # the deliberate one: the new holder of the turn
    guild = world.add_guild("Role tidied away")
    role = guild.add_role("Facilitator")
    boundary = daily_rota(world, driver, guild, role=role)
    olive = guild.member("olive")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    join(driver, alice, bob)
    world.wait_until(lambda: alice.has_role(role), what="alice to get the role")
    world.delete_role(role)

    rotas = {f["name"]: f["value"] for f in driver.command("setup show", user=olive).embed["fields"]}["Rotas"]
    assert "its role was deleted" in rotas and "<@&" not in rotas and "/setup rota" in rotas
    requests_before = len(world.requests)
    bot.advance_clock(boundary - world.now() + 2)
    message = announced(world, guild, f"<@{bob.id}> is the **facilitator**")[-1]
    assert "was deleted" in message.text and "<@&" not in message.text
    assert not [r for r in world.requests[requests_before:] if f"/roles/{role.id}" in r]  # known gone: not tried


def test_many_claimers_join_the_thread_and_are_all_told_of_a_cancel_within_discords_limits(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Busy shift")
    alice = guild.add_member("alice")
    people = [guild.add_member(f"v{i}") for i in range(12)]
    world.fail_on_429 = True  # discord.py must pace itself by the headers: a 429 served fails the test
    shift_id = offer(driver, alice, when="in 3 days", places=13)  # one is the offerer's
    for person in people:
        assert "You have a place" in driver.command("shift claim", user=person, shift=shift_id).text
    card = card_of(world, guild.general, shift_id)
    thread = world.wait_until(lambda: card.thread, what="the shift's thread")
    ids = {p.id for p in people}
    world.wait_until(lambda: ids <= set(thread.thread_member_ids), timeout=30, what="12 claimers in the thread")

    driver.command("shift cancel", user=alice, shift=shift_id, reason="Storm")
    world.wait_until(
        lambda: all(any("Storm" in m.text for m in world.dms(p)) for p in people),
        timeout=40,
        what="a cancel DM for each of the 12 (ten DM channels per 10 s)",
    )


def test_changes_made_while_rota_was_down_are_met_after_the_restart(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    world.allow_pings()  # the deliberate one: the new holder of the turn
    guild = world.add_guild("Changed overnight")
    role = guild.add_role("Facilitator")
    boundary = daily_rota(world, driver, guild, role=role)
    alice, bob, cara = guild.add_member("alice"), guild.add_member("bob"), guild.add_member("cara")
    join(driver, alice, bob, cara)
    world.wait_until(lambda: alice.has_role(role), what="alice to get the role")

    bot.stop()
    guild.remove_member(bob)  # bob was next, and left
    world.delete_role(role)
    bot.advance_clock(boundary - world.now() + 2)  # the hand-over fell due while Rota was down
    bot.start()

    message = announced(world, guild, f"<@{cara.id}> is the **facilitator**")[-1]
    assert "was deleted" in message.text and "<@&" not in message.text
    assert bot.rows("SELECT actor_id FROM audit_log WHERE action = 'member_left'") == [(bob.id,)]
    assert not [m for m in world.messages(guild.channel("announcements")) if f"<@{bob.id}>" in m.text]


def test_a_card_deleted_and_its_thread_archived_while_rota_was_down(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot: BotProcess = make_bot()
    guild = world.add_guild("Tidied overnight")
    alice, bob = guild.add_member("alice"), guild.add_member("bob")
    shift_id = offer(driver, alice, when="in 3 days", places=3)
    old = card_of(world, guild.general, shift_id)
    thread = old.thread
    assert thread is not None

    bot.stop()
    world.delete_message(old)
    world.archive_thread(thread)
    bot.advance_clock(86400)  # a day later
    bot.start()

    assert "You have a place" in driver.command("shift claim", user=bob, shift=shift_id).text
    card = world.wait_until(
        lambda: next((m for m in world.messages(guild.general) if m.id != old.id and "Bob" in m.text), None),
        what="the card posted again, showing bob",
    )
    assert card.thread is None or card.thread.id == thread.id  # the thread stays the shift's thread
    world.wait_until(lambda: bob.id in [u.id for u in thread.thread_members], what="bob in the reopened thread")
    assert not thread.archived
