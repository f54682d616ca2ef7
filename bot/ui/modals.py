"""Forms (modals) that outlive a restart.

discord.py keeps an open modal only in memory, so a form submitted after the bot restarted would be
silently dropped and the member would see "interaction failed". Cogs listen to every interaction and,
when a submission of theirs found no live modal, handle it from the custom_id and the submitted
values instead (or explain that the form expired).

Which forms are live is our own record, `OPEN_FORMS`: every form Rota shows is a `Modal` (the base
class below), noted when it is made and forgotten when discord.py stops dispatching to it. It lives
in this process's memory like the forms themselves; a submission reaches the process (the shard)
that showed the form, so several processes need nothing more.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import discord

from bot.ui.replies import report_error

#: How long the live modal has to answer before the fallback takes over (well inside Discord's 3 s).
GRACE_SECONDS = 0.8


def submitted_values(interaction: discord.Interaction) -> list[str]:
    """The text a member typed into a submitted modal, in order (rows or labels alike)."""
    values: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "value" in item and isinstance(item["value"], str):
                values.append(item["value"])
            walk(item.get("components", []) or [])
            if isinstance(item.get("component"), dict):
                walk([item["component"]])

    walk(list(raw_data(interaction).get("components") or []))
    return values


def raw_data(interaction: discord.Interaction) -> dict[str, Any]:
    """The interaction's data as Discord sent it (discord.py types it as a union of payloads)."""
    return dict(interaction.data or {})


def submitted_custom_id(interaction: discord.Interaction) -> str:
    """The custom_id of the form (or component) this interaction is about, or ""."""
    return str(raw_data(interaction).get("custom_id", ""))


class Form(Protocol):
    """What the record needs of a form: `discord.ui.Modal` has both, publicly."""

    custom_id: str

    def is_dispatching(self) -> bool: ...


class OpenForms:
    """The forms, by custom_id, to which discord.py would still dispatch a submission.

    discord.py keeps one modal per custom_id: showing a modal takes the custom_id (from an older form
    with the same one, say a form the member closed and opened again), and when a modal is stopped
    (after its `on_submit`) or times out, the custom_id is dropped whichever modal held it. This
    mirrors that with public calls: a form counts while `is_dispatching()` (shown, not yet stopped or
    timed out), and a form that stops or times out also drops the others with its custom_id that
    were shown before it. One being shown at that moment is not yet dispatching, so it stays and
    counts once shown, as discord.py stores it after the drop. Forms are held weakly: one that was
    made but never shown is simply forgotten.
    """

    def __init__(self) -> None:
        self._forms: dict[str, weakref.WeakSet[Form]] = {}

    def add(self, form: Form) -> None:
        self._forms.setdefault(form.custom_id, weakref.WeakSet()).add(form)

    def drop(self, form: Form) -> None:
        """`form` stopped or timed out: discord.py no longer dispatches its custom_id to it or to any
        form with that custom_id shown before."""
        forms = self._forms.get(form.custom_id)
        if forms is None:
            return
        for other in list(forms):
            if other is form or other.is_dispatching():
                forms.discard(other)
        if not forms:
            del self._forms[form.custom_id]

    def live(self, custom_id: str) -> bool:
        """Would a form of this process answer a submission with this custom_id?"""
        return any(form.is_dispatching() for form in self._forms.get(custom_id, ()))


OPEN_FORMS = OpenForms()


class Modal(discord.ui.Modal):
    """A form `unless_answered` knows about: noted in `OPEN_FORMS` when made, dropped when it stops
    or times out. Subclasses that override `stop` or `on_timeout` call `super()`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        OPEN_FORMS.add(self)

    def stop(self) -> None:
        dispatching = self.is_dispatching()  # discord.py drops the custom_id only if it was
        super().stop()
        if dispatching:
            OPEN_FORMS.drop(self)

    async def on_timeout(self) -> None:
        OPEN_FORMS.drop(self)

    # discord.py's Modal narrows BaseView.on_error (no `item` argument), which mypy reports on it.
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        """A failing form gets the same polite, private answer as a failing command."""
        await report_error(interaction, error)


async def unless_answered(interaction: discord.Interaction, handle: Callable[[], Awaitable[None]]) -> None:
    """Run `handle` only if no live modal took this submission (after a short grace period).

    Only forms made from `Modal` are known to be live: a cog that calls this shows no other kind.
    """
    custom_id = submitted_custom_id(interaction)
    await asyncio.sleep(GRACE_SECONDS)
    if interaction.response.is_done() or OPEN_FORMS.live(custom_id):
        return
    await handle()
