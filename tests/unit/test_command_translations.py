"""Every command, as Discord receives it with its translations, is valid in every language.

discord.py checks only the English names; Discord refuses a whole sync if one localised name breaks
its rules (lower case, 1-32 characters of letters, numbers, `-`, `_`, `'`; unique among siblings) or a
description is empty or over 100 characters. So a bad translation fails here, not at a deployment's
next sync. The rules are the fake Discord's (`fakediscord/command_rules.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.app import RotaBot, cog_modules
from bot.clock import ManualClock
from bot.config import Config
from bot.ui.command_translator import CatalogueTranslator, discord_locales
from bot.ui.i18n import catalogue_path, language_for
from bot.ui.i18n_extract import CHOICE, DESCRIPTION, NAME, OPTION, OPTION_DESCRIPTION
from fakediscord.command_rules import problems


@pytest.fixture
async def payloads(tmp_path: Path) -> AsyncIterator[list[dict[str, Any]]]:
    config = Config(token="unused", database=str(tmp_path / "rota.sqlite3"))
    bot = RotaBot(config, ManualClock(datetime(2026, 12, 1, tzinfo=UTC)))
    try:
        for name in cog_modules():
            await bot.load_extension(name)
        translator = CatalogueTranslator()
        yield [await command.get_translated_payload(bot.tree, translator) for command in bot.tree.get_commands()]
    finally:
        await bot.db.close()


async def test_every_localised_command_follows_discords_rules(payloads: list[dict[str, Any]]) -> None:
    found = [problem for payload in payloads for problem in problems(payload)]
    assert found == []


def kept_as_is(text: str, context: str) -> set[str]:
    """The Discord locales whose catalogue translates `text` with itself ("Deutsch" stays "Deutsch"):
    Discord then shows the default text, so no localisation is sent."""
    kept = set()
    for locale in discord_locales():
        language = language_for(locale.value)
        with catalogue_path(language).open("rb") as po:
            message = read_po(po).get(text, context=context)
        if message is not None and message.string == text:
            kept.add(locale.value)
    return kept


async def test_every_shipped_language_names_every_command(payloads: list[dict[str, Any]]) -> None:
    """Complete means a German member sees no English command name or description."""
    wanted = {locale.value for locale in discord_locales()}
    missing = []

    def check(node: dict[str, Any], key: str, context: str, where: str) -> None:
        have = set((node.get(f"{key}_localizations") or {}).keys())
        lacking = wanted - have - kept_as_is(node[key], context) if wanted - have else set()
        if lacking:
            missing.append(f"{where}{node['name']} {key}: {sorted(lacking)}")

    def walk(node: dict[str, Any], where: str, *, option: bool) -> None:
        check(node, "name", OPTION if option else NAME, where)
        check(node, "description", OPTION_DESCRIPTION if option else DESCRIPTION, where)
        for child in node.get("options") or []:
            walk(child, f"{where}{node['name']} ", option=child.get("type") not in (1, 2))
            for choice in child.get("choices") or []:
                check(choice, "name", CHOICE, f"{where}{child['name']} choice ")

    for payload in payloads:
        walk(payload, "/", option=False)
    assert missing == [], "\n".join(missing[:20])
