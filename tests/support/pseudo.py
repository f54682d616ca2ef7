"""A pseudo-locale for tests: every message in English, accented and made at least 40% longer.

Translations are often a third longer than English (German, French), so text that only just fits
Discord's limits in English overflows in other languages. Speaking `PSEUDO` ("x_pseudo") shows that
before any translator has written a word, and shows which text was never marked for translation (it
stays plain English):

    "You have a place on shift #{shift}." -> "Yóú hávé á plácé ón shíft #{shift}.·ẍẍẍẍẍẍẍẍẍẍẍẍẍẍ"

Only letters outside markup change: `{placeholders}`, `code spans`, Discord tags (`<#{thread}>`,
`<t:…>`, `<@&{role}>`) and links stay as they are, and Markdown marks (`**`, `_`) have no vowels. A
CLDR date pattern (a `p_` context naming "CLDR") keeps its pattern letters and gets its padding as a
quoted literal, so Babel can still format with it.

Babel has no data for "x_pseudo": while it is installed, dates, lists and durations are formatted
as English (`babel_locale()`), and times are read with English words (`current_language()`).

    with pseudo_locale(), speaking(PSEUDO):
        text = explain(error)

or, in a test, the `pseudo_language` fixture (import it into the test module or a conftest).
"""

from __future__ import annotations

import gettext
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from bot.ui import i18n

#: The pseudo-locale's catalogue name (a private-use language tag, so no real language clashes).
PSEUDO = "x_pseudo"
#: How much longer than English every message is, at least.
GROWTH = 0.4
#: What Babel formats with while speaking the pseudo-locale.
BABEL_STAND_IN = i18n.ENGLISH

_ACCENTS = str.maketrans("aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ")
#: Markup kept exactly: placeholders, code spans, Discord tags (and `<number>`-style hints), links.
_KEEP = re.compile(r"\{[^{}]*\}|`[^`]*`|<[^<>\s]*>|https?://\S+")


def _padding(text: str) -> str:
    extra = max(1, math.ceil(len(text) * GROWTH))
    return "·" + "ẍ" * (extra - 1)


def pseudo(text: str) -> str:
    """English text as the pseudo-locale writes it: vowels accented outside markup, then padded."""
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for kept in _KEEP.finditer(text):
        pieces.append(text[last : kept.start()].translate(_ACCENTS))
        pieces.append(kept.group(0))
        last = kept.end()
    pieces.append(text[last:].translate(_ACCENTS))
    return "".join(pieces) + _padding(text)


def pseudo_pattern(pattern: str) -> str:
    """A CLDR date pattern, padded with a quoted literal (pattern letters must stay letters)."""
    return f"{pattern} '{'ẍ' * max(1, math.ceil(len(pattern) * GROWTH))}'"


class PseudoTranslations(gettext.NullTranslations):
    """Every message, singular or plural, with or without a context, through `pseudo`."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo_pattern(message) if "CLDR" in context else pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.pgettext(context, msgid1 if n == 1 else msgid2)


PSEUDO_TRANSLATIONS = PseudoTranslations()


def _stand_in(original: Callable[..., str]) -> Callable[..., str]:
    """`babel_locale` or `current_language`, answering English where it would answer `PSEUDO`."""

    def wrapped(*args: str | None) -> str:
        language = original(*args)
        return BABEL_STAND_IN if language == PSEUDO else language

    return wrapped


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `speaking(PSEUDO)` speak the pseudo-locale until `monkeypatch` undoes it."""
    original = i18n.translations

    def translations(language: str) -> gettext.NullTranslations:
        return PSEUDO_TRANSLATIONS if language == PSEUDO else original(language)

    monkeypatch.setitem(i18n.LANGUAGES, PSEUDO, "Pseudo")
    # `_`, `n_` and `p_` look `translations` up as a global of `bot.ui.i18n` at each call.
    monkeypatch.setattr(i18n, "translations", translations)
    # Modules import these by name, so each module's own binding is replaced.
    for name in ("babel_locale", "current_language"):
        real = getattr(i18n, name)
        stand_in = _stand_in(real)
        for module in list(sys.modules.values()):
            module_name = getattr(module, "__name__", "")
            if module_name.split(".")[0] in ("bot", "cogs") and getattr(module, name, None) is real:
                monkeypatch.setattr(module, name, stand_in)


@contextmanager
def pseudo_locale() -> Iterator[str]:
    """Inside the block, `speaking(PSEUDO)` uses `PseudoTranslations`; yields `PSEUDO`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        install(monkeypatch)
        yield PSEUDO


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> str:
    """The pseudo-locale for one test: `speaking(pseudo_language)` speaks it."""
    install(monkeypatch)
    return PSEUDO
