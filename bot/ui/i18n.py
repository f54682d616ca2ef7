"""Rota's words in each member's language: GNU gettext catalogues, read with Babel.

Wording is marked where it is written, with the English text as the message id:

- `_("You have a place on {where}.", where=...)`: named placeholders, so a translator can move them;
- `n_("{count} place", "{count} places", count)`: plural forms by each language's CLDR rules
  (`{count}` is filled in);
- `p_("position", "Block")`: a context, for words whose meaning depends on where they stand;
- `N_("Claim a place")`: marks text kept in a constant; translate it where it is shown, `_(CLAIM)`.

`pybabel extract` finds all of them (see `babel.cfg`; command names and descriptions are found by
`bot.ui.i18n_extract`). The catalogues are `bot/locale/<language>/LC_MESSAGES/rota.po`, read and
compiled in memory the first time a language is needed, so an install needs no build step.

Which language text is made in is a context variable, set where a conversation starts: at each
interaction (the member's Discord language), around each DM (the language the member last used
with Rota) and around each public post (the server's language). Anything else is English.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "rota"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENGLISH = "en"
#: Every language Rota ships, by its catalogue name, with its name in itself (for `/setup language`).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
}
#: Discord's locales (`interaction.locale`) that one of our catalogues serves, other than by their
#: first two letters: one Spanish catalogue for Spain and Latin America; Portuguese is Brazil's.
_DISCORD_ALIASES = {"pt-BR": "pt_BR", "es-ES": "es", "es-419": "es"}

_current: ContextVar[str] = ContextVar("rota_language", default=ENGLISH)


def language_for(locale: str | None) -> str:
    """The catalogue for a Discord locale ("de", "es-419", "pt-BR") or one of ours; English otherwise."""
    if not locale:
        return ENGLISH
    if locale in LANGUAGES:
        return locale
    if locale in _DISCORD_ALIASES:
        return _DISCORD_ALIASES[locale]
    base = locale.split("-")[0]
    return base if base in LANGUAGES and base != "pt" else ENGLISH


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """A language's compiled catalogue (English, or a language without one, is the text itself)."""
    path = catalogue_path(language)
    if language == ENGLISH or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Make text in `language` inside the block (a DM to a member, a card everyone reads)."""
    token = _current.set(language_for(language))
    try:
        yield
    finally:
        _current.reset(token)


def speak(language: str) -> None:
    """Make text in `language` from here to the end of the current task (one interaction's)."""
    _current.set(language_for(language))


def current_language() -> str:
    return _current.get()


def _(message: str, /, **values: object) -> str:
    text = translations(_current.get()).gettext(message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, count: int, /, **values: object) -> str:
    return translations(_current.get()).ngettext(singular, plural, count).format(count=count, **values)


def p_(context: str, message: str, /, **values: object) -> str:
    text = translations(_current.get()).pgettext(context, message)
    return text.format(**values) if values else text


def N_(message: str, /) -> str:
    """Mark text for the catalogue without translating it yet (it is translated where it is shown)."""
    return message


def babel_locale(language: str | None = None) -> str:
    """The Babel locale for formatting dates, lists and durations in the current (or a) language."""
    return language or _current.get()


def slash(command: str, *, code: bool = True) -> str:
    """A command as the member sees it in their Discord: slash("shift list") is "`/shift list`" in
    English and the command's translated name in other languages. `code=False` leaves out the
    backticks: for titles and footers, where Discord shows no Markdown, and for a command typed
    with its arguments inside one pair of backticks."""
    typed = "/" + " ".join(p_("command name", word) for word in command.split())
    return f"`{typed}`" if code else typed
