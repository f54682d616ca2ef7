"""Discord's rules for a command's names and descriptions, in every language it is sent in.

From Discord's docs (interactions/application-commands): a chat-input command's, subcommand's or
option's name is 1-32 characters of `^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, in lower case
where the letter has one; a description is 1-100 characters; a choice's name 1-100. The same rules
hold for each value of `name_localizations` / `description_localizations`, whose keys must be
locales Discord knows; names must be unique among siblings in each language. Python's `re` has no
`\\p{...}`, so the name check is written with `unicodedata`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

_KNOWN = "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th"
LOCALES = frozenset([*_KNOWN.split(), "zh-CN", "ja", "zh-TW", "ko"])


def _name_char(ch: str) -> bool:
    if ch in "-_'":
        return True
    if unicodedata.category(ch)[0] in "LN":
        return True
    return "\u0900" <= ch <= "\u097f" or "\u0e00" <= ch <= "\u0e7f"  # Devanagari, Thai (their marks too)


def name_problem(name: Any) -> str | None:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return f"name {name!r} must be 1-32 characters"
    if not all(_name_char(ch) for ch in name):
        return f"name {name!r} has characters Discord refuses"
    if name != name.lower():
        return f"name {name!r} must be lower case"
    return None


def _localised(node: dict[str, Any], key: str) -> dict[str, str]:
    values = node.get(f"{key}_localizations") or {}
    return values if isinstance(values, dict) else {}


def problems(command: dict[str, Any]) -> list[str]:
    """Everything Discord would refuse in one chat-input command (empty: it is fine)."""
    found: list[str] = []
    if command.get("type", 1) != 1:
        return found
    _check_node(command, found, where="/")
    return found


def _check_node(node: dict[str, Any], found: list[str], *, where: str) -> None:
    for locale in [*_localised(node, "name"), *_localised(node, "description")]:
        if locale not in LOCALES:
            found.append(f"{where}{node.get('name')}: unknown locale {locale!r}")
    for problem in [name_problem(node.get("name")), *map(name_problem, _localised(node, "name").values())]:
        if problem:
            found.append(f"{where}{node.get('name')}: {problem}")
    for text in [node.get("description", ""), *_localised(node, "description").values()]:
        if not isinstance(text, str) or not 1 <= len(text) <= 100:
            found.append(f"{where}{node.get('name')}: description {text!r} must be 1-100 characters")
    options = node.get("options") or []
    _check_siblings(options, found, where=f"{where}{node.get('name')} ")
    for option in options:
        _check_node(option, found, where=f"{where}{node.get('name')} ")
        for choice in option.get("choices") or []:
            for text in [choice.get("name"), *_localised(choice, "name").values()]:
                if not isinstance(text, str) or not 1 <= len(text) <= 100:
                    found.append(f"{where}{option.get('name')}: choice {text!r} must be 1-100 characters")


def _check_siblings(options: list[dict[str, Any]], found: list[str], *, where: str) -> None:
    """Names are unique among siblings, in English and in each language a member may see."""
    locales = {locale for option in options for locale in _localised(option, "name")}
    for locale in [None, *sorted(locales)]:
        seen: dict[str, int] = {}
        for option in options:
            shown = option.get("name") if locale is None else _localised(option, "name").get(locale, option.get("name"))
            seen[str(shown)] = seen.get(str(shown), 0) + 1
        for name, count in seen.items():
            if count > 1:
                found.append(f"{where}: {count} options are called {name!r} in {locale or 'the default language'}")
