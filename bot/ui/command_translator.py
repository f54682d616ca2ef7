"""Commands in each member's Discord language: discord.py's Translator over Rota's catalogues.

Discord shows each member the command, option and choice names and descriptions of their client's
language, from the translations sent with the command sync. They come from the same catalogues as
everything else, under the contexts `bot.ui.i18n_extract` files them in.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.ui import i18n_extract as contexts
from bot.ui.i18n import ENGLISH, LANGUAGES, language_for, translations

_CONTEXTS = {
    Where.command_name: contexts.NAME,
    Where.group_name: contexts.NAME,
    Where.command_description: contexts.DESCRIPTION,
    Where.group_description: contexts.DESCRIPTION,
    Where.parameter_name: contexts.OPTION,
    Where.parameter_description: contexts.OPTION_DESCRIPTION,
    Where.choice_name: contexts.CHOICE,
}


def command_text(text: str, location: Where, language: str) -> str | None:
    """`text` in `language`, or None where the catalogue has nothing else (Discord shows English)."""
    context = _CONTEXTS.get(location)
    if context is None or language == ENGLISH:
        return None
    translated = translations(language).pgettext(context, text)
    return translated if translated != text else None


def discord_locales() -> list[discord.Locale]:
    """The Discord locales one of Rota's catalogues serves (English is the default, not a translation)."""
    return [locale for locale in discord.Locale if language_for(locale.value) in LANGUAGES.keys() - {ENGLISH}]


class CatalogueTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        return command_text(string.message, context.location, language_for(locale.value))
