"""Rota in each member's language, through the real bot.

A German member types the German command names and reads German answers; a server set to Spanish
gets Spanish cards while a French member's private answers, and the reminders Rota sends them
later, stay French. Expected texts come from the catalogues themselves, so a test fails if the
bot picks the wrong language, never because a translator rewords something.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import ShiftNotFound
from bot.ui import shift_replies
from bot.ui.i18n import speaking, translations
from bot.ui.wording import explain
from fakediscord import BotProcess, Driver, World
from tests.reliability.helpers import card_of

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def looks_like(language: str, message: str) -> re.Pattern[str]:
    """A message of the catalogue as a pattern: its words in `language`, any values in the gaps."""
    parts = PLACEHOLDER.split(translations(language).gettext(message))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


def shown_name(world: World, path: str, language_locale: str) -> str:
    """What a member whose client speaks `language_locale` types for `/shift claim shift:`-style paths."""
    words = path.split()
    node: dict[str, Any] = next(c for c in world.global_commands if c["name"] == words[0])
    shown = [node["name_localizations"][language_locale]]
    for word in words[1:]:
        node = next(o for o in node["options"] if o["name"] == word)
        shown.append(node["name_localizations"][language_locale])
    return " ".join(shown)


def test_a_german_member_types_german_command_names_and_reads_german(
    bot: BotProcess, world: World, driver: Driver
) -> None:
    guild = world.add_guild("Berlin")
    anna = guild.add_member("anna")
    anna.user.locale = "de"
    claim = shown_name(world, "shift claim", "de")
    option = shown_name(world, "shift claim shift", "de").split()[-1]
    assert claim != "shift claim", "German command names are registered"
    answer = driver.command(claim, user=anna, options={option: 999_999})
    with speaking("de"):
        expected = explain(ShiftNotFound(999_999))
    assert answer.ephemeral and answer.text == expected
    assert answer.text != explain(ShiftNotFound(999_999))  # it really is not the English text


def test_a_spanish_server_gets_spanish_cards_while_a_french_member_reads_french(
    make_bot: Any, world: World, driver: Driver
) -> None:
    bot = make_bot()
    guild = world.add_guild("Madrid")
    olive = guild.add_member("olive", manage_guild=True)
    amelie = guild.add_member("amelie")
    amelie.user.locale = "fr"
    # In 30 hours: its 24 h reminder falls due 6 hours on (the fake's clock is shared, so keep moves small).
    answer = driver.command("shift offer", user=amelie, when="in 30h", where="Plaza Mayor", places=2)
    assert answer.ephemeral and looks_like("fr", "Posted shift #{shift} in <#{channel}>.").search(answer.text)
    shift_id = int(re.search(r"#(\d+)", answer.text).group(1))  # type: ignore[union-attr]
    # The card is the server's: English until the server chooses, whoever offered the shift.
    card = card_of(world, guild.general, shift_id)
    assert "Claim a place" in [b["label"] for b in card.buttons]

    def labels() -> list[str]:
        now = next(m for m in world.messages(guild.general) if m.id == card.id)
        return [b["label"] for b in now.buttons]

    assert driver.command("setup language", user=olive, language="es").ephemeral
    assert bot.rows("SELECT language FROM guild_settings WHERE guild_id = ?", guild.id) == [("es",)]
    with speaking("es"):
        claim_es = shift_replies.claim_label()
    assert claim_es != "Claim a place"
    world.wait_until(
        lambda: claim_es in labels(),
        what="the card in Spanish",
    )

    # The French member used Rota in French: what Rota sends her later is French too.
    world.wait_until(
        lambda: bot.rows("SELECT language FROM member_languages WHERE user_id = ?", amelie.id) == [("fr",)],
        what="her language remembered",
    )
    bot.advance_clock(6 * 3600 + 60)  # past the 24 h reminder before the shift
    reminder = looks_like(
        "fr",
        "Reminder: you have a place on shift #{shift} at **{place}**, {when} ({relative}). "
        "If you can't make it, `{leave} {shift}` frees your place for someone else.",
    )
    world.wait_until(lambda: [m for m in world.dms(amelie) if reminder.search(m.text)], what="a French reminder")
