"""The fake against real discord.py traffic (fakediscord/minibot.py): what works, works."""

from __future__ import annotations

import time

import pytest

from fakediscord import BotProcess, Driver, RefusedByClient, World
from fakediscord.constants import BOT_DEFAULT, MANAGE_ROLES


def test_ping_is_public_and_lands_in_the_channel(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Pingers")
    alice = guild.add_member("alice")
    answer = driver.command("ping", user=alice)
    assert answer.type == 4
    assert answer.content == "pong"
    assert not answer.ephemeral
    assert answer.message is not None
    assert world.messages(guild.general)[-1].content == "pong"


def test_options_are_typed_from_the_registered_schema(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Echoes")
    alice = guild.add_member("alice")
    answer = driver.command("echo", user=alice, text="hello")
    assert answer.content == "hello"
    assert answer.ephemeral
    assert answer.message is None
    assert world.messages(guild.general) == []
    assert driver.command("echo", user=alice, text="hi", loud=True).content == "HI"


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        ({"text": "x" * 21}, "length"),
        ({"text": ""}, "length"),
        ({"loud": True}, "missing required"),
        ({"text": "hi", "volume": 3}, "unknown option"),
        ({"text": "hi", "loud": "yes"}, "true/false"),
    ],
)
def test_the_driver_refuses_what_the_client_never_sends(
    world: World, driver: Driver, minibot: BotProcess, options: dict, complaint: str
) -> None:
    alice = world.add_guild("Refusals").add_member("alice")
    with pytest.raises(RefusedByClient, match=complaint):
        driver.command("echo", user=alice, **options)


def test_subcommands_groups_and_ranges(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Shifts")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob")
    assert driver.command("shift offer", user=alice, when="sat 10am", places=3).content == (
        "offered sat 10am with 3 places"
    )
    with pytest.raises(RefusedByClient, match="outside"):
        driver.command("shift offer", user=alice, when="sat", places=11)
    with pytest.raises(RefusedByClient, match="needs a subcommand"):
        driver.command("shift", user=alice)
    assert driver.command("shift pool join", user=alice, member=bob).content == "bob joined"


def test_default_member_permissions_hide_a_command(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Perms")
    alice = guild.add_member("alice")
    organiser = guild.add_member("olga", manage_guild=True)
    admin = guild.add_member("ada", admin=True)
    with pytest.raises(RefusedByClient, match="lacks the permissions"):
        driver.command("admin", user=alice)
    assert driver.command("admin", user=organiser).content == "admin ok"
    assert driver.command("admin", user=admin).content == "admin ok"


def test_deferred_answer_and_followups(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Slow")
    alice = guild.add_member("alice")
    answer = driver.command("slow", user=alice)
    assert answer.type == 5
    # The first follow-up fills the "thinking" message; its ephemeral flag is ignored (public defer).
    assert answer.content == "done thinking"
    assert not answer.ephemeral
    later = answer.wait_followups(1)
    assert later[0].content == "and one more"
    assert [m.content for m in world.messages(guild.general)] == ["done thinking", "and one more"]
    private = driver.command("slow", user=alice, private=True)
    assert private.ephemeral and private.content == "done thinking"


def test_buttons_update_the_clicked_message(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Buttons")
    alice = guild.add_member("alice")
    card = driver.command("buttons", user=alice)
    assert [b["label"] for b in card.buttons] == ["Press", "Form", "Ack"]
    clicked = driver.click(card.message, "Press", user=alice)
    assert clicked.type == 7
    assert card.message.content == "pressed by alice"
    assert len(world.messages(guild.general)) == 1
    picked = driver.select(card.message, "mini:pick", ["apple", "banana"], user=alice)
    assert picked.content == "picked apple,banana"
    with pytest.raises(RefusedByClient):
        driver.select(card.message, "mini:pick", ["kiwi"], user=alice)
    with pytest.raises(RefusedByClient, match="no button"):
        driver.click(card.message, "Nope", user=alice)
    acked = driver.click(card.message, "mini:ack", user=alice)
    assert (acked.type, acked.content, acked.ephemeral) == (6, "acknowledged", True)
    assert acked.message is card.message


def test_ephemeral_buttons_only_for_their_owner(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Private buttons")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob")
    card = driver.command("buttons", user=alice, private=True)
    assert card.ephemeral and card.message is None
    with pytest.raises(RefusedByClient, match="ephemeral"):
        driver.click(card, "Press", user=bob)
    assert driver.click(card, "Press", user=alice).content == "pressed by alice"


def test_modals_from_a_command_and_from_a_button(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Forms")
    alice = guild.add_member("alice")
    opened = driver.command("form", user=alice)
    assert opened.type == 9 and opened.modal is not None and opened.modal["title"] == "Leave a note"
    done = driver.submit_modal(opened, {"Note": "bring flyers"}, user=alice)
    assert done.content == "note: bring flyers" and done.ephemeral
    with pytest.raises(RefusedByClient, match="length"):
        driver.submit_modal(opened, {"note": "x" * 51}, user=alice)
    card = driver.command("buttons", user=alice)
    from_button = driver.click(card.message, "Form", user=alice)
    edited = driver.submit_modal(from_button, {"note": "on the card"}, user=alice)
    assert edited.type == 7
    assert card.message.content == "note: on the card"


def test_autocomplete(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Fruit").add_member("alice")
    choices = driver.autocomplete("fruit", "name", "ma", user=alice)
    assert [c["name"] for c in choices] == ["mango", "maracuja"]
    with pytest.raises(RefusedByClient, match="no autocomplete"):
        driver.autocomplete("fruit", "many", "1", user=alice)


def test_files_keep_their_bytes(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Files")
    alice = guild.add_member("alice")
    answer = driver.command("file", user=alice)
    assert answer.attachments[0].filename == "bot.py"
    assert b"minibot" in answer.attachments[0].data
    assert answer.attachments[0].content_type == "text/x-python"


def test_direct_messages_and_closed_dms(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Letters")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob", dms_closed=True)
    assert driver.command("dm", user=alice, member=alice).content == "sent"
    [letter] = world.dms(alice)
    assert letter.content == "hello by DM"
    assert letter.attachments[0].filename == "hello.py"
    assert driver.command("dm", user=alice, member=bob).content == "cannot DM (50007)"
    assert world.dms(bob) == []


def test_threads_and_thread_members(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Threads")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob")
    answer = driver.command("thread", user=alice, member=bob)
    card = answer.message
    assert card is not None
    thread = world.wait_until(lambda: card.thread, what="the thread")
    world.wait_until(lambda: world.messages(thread), what="the welcome message")
    assert thread.name == "talk"
    assert bob.user in thread.thread_members
    assert [m.content for m in world.messages(thread)] == ["welcome"]
    assert world.threads(guild.general) == [thread]


def test_roles_follow_discords_hierarchy(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Roles")
    alice = guild.add_member("alice")
    helper = guild.add_role("helper")
    boss = guild.add_role("boss", above_bot=True)
    assert driver.command("give", user=alice, member=alice, role=helper).content == "given"
    assert alice.has_role("helper")
    assert driver.command("give", user=alice, member=alice, role=boss).content == "forbidden 50013"
    guild.set_bot_permissions(BOT_DEFAULT & ~MANAGE_ROLES)
    other = guild.add_role("other")
    assert driver.command("give", user=alice, member=alice, role=other).content == "forbidden 50013"
    assert not alice.has_role("other")


def test_concurrent_interactions_overlap(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Crowd")
    people = [guild.add_member(f"p{i}") for i in range(10)]
    started = time.monotonic()
    answers = driver.concurrently([lambda p=p: driver.command("nap", user=p) for p in people])
    took = time.monotonic() - started
    assert [a.content for a in answers] == ["rested"] * 10
    assert took < 4, f"10 one-second naps took {took:.1f}s: they did not overlap"


def test_a_burst_of_interactions_is_answered_in_time(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Burst")
    people = [guild.add_member(f"b{i}") for i in range(5)]
    calls = [lambda p=people[i % 5]: driver.command("echo", user=p, text="hi") for i in range(100)]
    answers = driver.concurrently(calls)
    assert all(a.content == "hi" for a in answers)


def test_the_bot_hears_a_guild_created_while_it_is_connected(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Later", bot_in_guild=False)
    alice = guild.add_member("alice")
    world.invite_bot(guild)
    assert driver.command("ping", user=alice).content == "pong"
    guild.remove_member(alice)
    world.remove_bot(guild)


def test_messages_from_people_and_the_content_intent(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Chatter")
    alice = guild.add_member("alice")
    world.post(guild.general, alice, "nobody reads this")
    asked = world.post(guild.general, alice, f"{world.bot_user.mention} hello")
    reply = world.wait_until(
        lambda: [m for m in world.messages(guild.general) if m.reference_id == asked.id], what="the reply"
    )
    assert reply[0].content == "hi alice"
    assert reply[0].mention_user_ids == []  # a reply with replied_user off pings nobody
    assert "nobody reads this" not in minibot.log_text()


def test_commands_in_a_direct_message(world: World, driver: Driver, minibot: BotProcess) -> None:
    alice = world.add_guild("Dm users").add_member("alice")
    answer = driver.command("ping", user=alice.user)  # a User, not a Member: their DM with the bot
    assert answer.content == "pong"
    assert answer.message is not None and answer.message.channel.type == 1
    assert world.dms(alice) == [answer.message]  # public answers in a DM are in that DM
    with pytest.raises(RefusedByClient, match="lacks the permissions"):
        driver.command("admin", user=alice)


def test_an_option_named_like_a_driver_parameter(world: World, driver: Driver, minibot: BotProcess) -> None:
    guild = world.add_guild("Names")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob")
    assert driver.command("shift pool join", user=alice, options={"member": bob}).content == "bob joined"
