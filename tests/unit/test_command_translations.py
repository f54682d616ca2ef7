"""Every command, as Discord receives it with its translations, is valid in every language.

discord.py checks only the English names; Discord refuses a whole sync if one localised name breaks
its rules (lower case, 1-32 characters of letters, numbers, `-`, `_`, `'`; unique among siblings) or a
description is empty or over 100 characters. So a bad translation fails here, not at a deployment's
next sync. The rules are the fake Discord's (`tests/fakediscord/command_rules.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import RotaBot, cog_modules
from bot.clock import ManualClock
from bot.config import Config
from bot.ui.command_translator import CatalogueTranslator, discord_locales
from tests.fakediscord.command_rules import problems


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


async def test_every_shipped_language_names_every_command(payloads: list[dict[str, Any]]) -> None:
    """Complete means a German member sees no English command name or description."""
    wanted = {locale.value for locale in discord_locales()}
    missing = []

    def walk(node: dict[str, Any], where: str) -> None:
        for key in ("name", "description"):
            have = set((node.get(f"{key}_localizations") or {}).keys())
            if wanted - have:
                missing.append(f"{where}{node['name']} {key}: {sorted(wanted - have)}")
        for option in node.get("options") or []:
            walk(option, f"{where}{node['name']} ")
            for choice in option.get("choices") or []:
                have = set((choice.get("name_localizations") or {}).keys())
                if wanted - have:
                    missing.append(f"{where}{option['name']} choice {choice['name']!r}: {sorted(wanted - have)}")

    for payload in payloads:
        walk(payload, "/")
    assert missing == [], "\n".join(missing[:20])
