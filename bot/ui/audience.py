"""Who is reading the text being written, so a member's name appears only where the group allows.

The rule itself is `bot.domain.governance.may_see_name`; this module carries what it needs (the
server's `names` setting, the reader, the people the reader holds a shift with) through the
rendering code in a context variable, set next to the language: `RotaBot.speaking_to_server` makes
a public audience (nobody in particular reads a card, an announcement or the log channel), and a
command that answers one member privately sets that member as the reader. Renderers call
`member_name` for every name they show, and `names_hidden` where a list of names would be.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.domain.governance import Names, may_see_name
from bot.ui.i18n import _, n_


@dataclass(frozen=True, slots=True)
class Audience:
    names: str = Names.SHOWN.value
    reader_id: int | None = None  # None: a public message
    shares_with: frozenset[int] = frozenset()  # holders of the shift the reader holds (who see each other)


_EVERYONE_SHOWN = Audience()
_current: ContextVar[Audience | None] = ContextVar("rota_audience", default=None)


@contextmanager
def reading(audience: Audience) -> Iterator[None]:
    token = _current.set(audience)
    try:
        yield
    finally:
        _current.reset(token)


def public(names: str) -> Audience:
    """Everyone in the server reads it."""
    return Audience(names)


def private(names: str, reader_id: int, shares_with: Iterable[int] = ()) -> Audience:
    """One member reads it; with `shares_with`, the holders of a shift they hold."""
    return Audience(names, reader_id, frozenset(shares_with))


def current() -> Audience:
    """Who reads what is being written; unless told, names are shown (today's behaviour)."""
    return _current.get() or _EVERYONE_SHOWN


def may_see(user_id: int | None) -> bool:
    a = current()
    return may_see_name(a.names, reader_id=a.reader_id, subject_id=user_id, shares_with=a.shares_with)


def names_hidden() -> bool:
    """Whether this reader sees counts instead of other people's names."""
    a = current()
    return Names(a.names) is Names.HOLDERS


def member_name(name: str, user_id: int | None) -> str:
    """The member's (already escaped) name, or "a member" when this reader may not see it."""
    return name if may_see(user_id) else anonymous()


def anonymous() -> str:
    return _("a member")


def visible_names(people: Iterable[tuple[str, int | None]]) -> list[str]:
    """The names of `people` (name, id) this reader may see, then how many others there are
    ("2 members"), so a list keeps its count when names are hidden."""
    people = list(people)
    shown = [name for name, user_id in people if may_see(user_id)]
    others = len(people) - len(shown)
    if others:
        shown.append(n_("{count} member", "{count} members", others))
    return shown
