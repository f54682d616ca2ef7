"""The language machinery: which catalogue a Discord locale gets, speaking in a block, the markers,
the command-text extractor and the command translator."""

from __future__ import annotations

import asyncio

import pytest
from discord.app_commands import TranslationContextLocation as Where

from bot.ui import i18n
from bot.ui.command_translator import command_text, discord_locales
from bot.ui.i18n import N_, _, current_language, language_for, n_, p_, slash, speak, speaking
from bot.ui.i18n_extract import command_texts


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("de", "de"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("fr", "fr"),
        ("pt-BR", "pt_BR"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("ja", "en"),  # no catalogue: English
        (None, "en"),
        ("", "en"),
        ("pt_BR", "pt_BR"),  # our own names pass through
    ],
)
def test_each_discord_locale_gets_a_catalogue(locale: str | None, language: str) -> None:
    assert language_for(locale) == language


def test_every_shipped_language_but_english_is_offered_to_discord() -> None:
    served = {language_for(locale.value) for locale in discord_locales()}
    assert served == set(i18n.LANGUAGES) - {"en"}


def test_speaking_sets_the_language_for_the_block_only() -> None:
    assert current_language() == "en"
    with speaking("de"):
        assert current_language() == "de"
        with speaking("fr"):
            assert current_language() == "fr"
        assert current_language() == "de"
    assert current_language() == "en"


async def test_speak_lasts_for_the_task_and_does_not_leak_into_others() -> None:
    async def one_interaction(language: str) -> str:
        speak(language)
        await asyncio.sleep(0)  # the other interaction speaks meanwhile
        return current_language()

    tasks = [asyncio.create_task(one_interaction(language)) for language in ("de", "fr")]
    assert await asyncio.gather(*tasks) == ["de", "fr"]
    assert current_language() == "en"


def test_markers_fill_named_placeholders_in_english() -> None:
    assert _("Shift #{shift} at {place}", shift=3, place="Hall") == "Shift #3 at Hall"
    assert _("No values {here}") == "No values {here}"  # nothing to fill: braces stay as written
    assert n_("{count} place", "{count} places", 1) == "1 place"
    assert n_("{count} place", "{count} places", 4) == "4 places"
    assert p_("position", "Block") == "Block"
    assert N_("Claim a place") == "Claim a place"
    assert slash("shift list") == "`/shift list`"


def test_the_extractor_finds_every_command_text() -> None:
    source = """
from discord import app_commands
from discord.ext import commands

CHOICES = [app_commands.Choice(name="consent: passes unless someone blocks", value="consent")]

class ShiftCog(commands.GroupCog, group_name="shift", group_description="Offer and claim shifts"):
    @app_commands.command(name="offer", description="Ask for help")
    @app_commands.rename(starts="from")
    @app_commands.describe(when="When it starts", starts="From when")
    async def offer(self, interaction, when: str, starts: str, places: int = 1) -> None: ...

    async def not_a_command(self, interaction, other: str) -> None: ...
"""
    found = {message for _line, _func, message, _comments in command_texts(source)}
    assert found == {
        ("choice", "consent: passes unless someone blocks"),
        ("command name", "shift"),
        ("command description", "Offer and claim shifts"),
        ("command name", "offer"),
        ("command description", "Ask for help"),
        ("option name", "from"),
        ("option description", "When it starts"),
        ("option description", "From when"),
        ("option name", "when"),
        ("option name", "places"),
    }


def test_the_translator_leaves_english_and_unknown_text_to_discord() -> None:
    assert command_text("shift", Where.command_name, "en") is None
    assert command_text("no such command text", Where.command_name, "de") is None
    assert command_text("shift", Where.other, "de") is None


def test_setup_language_offers_every_shipped_language() -> None:
    from cogs.setup import LANGUAGE_CHOICES

    assert {choice.value: choice.name for choice in LANGUAGE_CHOICES if choice.value != "auto"} == i18n.LANGUAGES
