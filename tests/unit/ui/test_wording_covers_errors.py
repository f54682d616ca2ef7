"""Every typed member error has its own sentence in bot/ui/wording.py, not only the generic fallback.

`explain` walks the error's MRO and uses the first class with wording; a class that reaches
`RotaError` (or nothing) gets "That didn't work...", which tells the member nothing about what to fix.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import bot
import cogs
from bot.domain import errors as e
from bot.ui import wording

#: Subclasses defined here (and in other tests) are not the bot's errors.
OWN_MODULES = ("bot.", "cogs.")


def import_everything() -> None:
    """Import every module of the bot and its cogs, so subclasses defined anywhere are known."""
    for package in (bot, cogs):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.rsplit(".", 1)[-1] != "__main__":
                importlib.import_module(module.name)


def subclasses(kind: type) -> Iterator[type]:
    for sub in kind.__subclasses__():
        yield sub
        yield from subclasses(sub)


def bot_errors() -> list[type[e.RotaError]]:
    import_everything()
    found = {kind for kind in subclasses(e.RotaError) if kind.__module__.startswith(OWN_MODULES)}
    return sorted(found, key=lambda kind: f"{kind.__module__}.{kind.__qualname__}")


def worded_by(kind: type[e.RotaError]) -> type | None:
    """The class whose wording `explain` uses for `kind` (the same MRO walk), or None."""
    return next((base for base in kind.__mro__ if base in wording._EXPLAINERS), None)


def unworded(kinds: Iterable[type[e.RotaError]]) -> list[type[e.RotaError]]:
    return [kind for kind in kinds if worded_by(kind) in (None, e.RotaError)]


def test_every_rota_error_has_its_own_wording() -> None:
    kinds = bot_errors()
    # The walk must reach every module that defines errors: at least every class that has wording.
    assert set(wording._EXPLAINERS) - {e.RotaError} <= set(kinds)
    missing = [f"{kind.__module__}.{kind.__qualname__}" for kind in unworded(kinds)]
    assert not missing, (
        f"{len(missing)} error class(es) would get only the generic 'That didn't work' reply; add an "
        f"`explains(...)` entry in bot/ui/wording.py for: {', '.join(missing)}"
    )


def test_the_guard_names_a_class_without_wording() -> None:
    @dataclass(eq=False)
    class Unworded(e.RotaError):
        value: int

    class Inherits(e.ShiftNotFound):
        """Worded through its parent: `explain` finds ShiftNotFound's sentence."""

    assert unworded([Unworded, Inherits, e.ShiftNotFound]) == [Unworded]
    assert worded_by(Inherits) is e.ShiftNotFound
    assert wording.explain(Unworded(1)).startswith("That didn't work")
