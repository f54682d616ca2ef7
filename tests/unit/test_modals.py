"""The record of open forms answers as discord.py's own modal table would: is a live form there?"""

from __future__ import annotations

import gc
from types import SimpleNamespace
from typing import Any

import pytest

from bot.ui import modals
from bot.ui.modals import Modal, OpenForms

CID = "proposal:reason:block:7:42"


class FakeForm:
    """A form as discord.py sees it: `is_dispatching()` from when it is shown until it stops or times out."""

    def __init__(self, custom_id: str = CID) -> None:
        self.custom_id = custom_id
        self.dispatching = False

    def is_dispatching(self) -> bool:
        return self.dispatching


def made(forms: OpenForms, custom_id: str = CID) -> FakeForm:
    form = FakeForm(custom_id)
    forms.add(form)
    return form


def test_a_form_is_live_from_shown_until_it_stops() -> None:
    forms = OpenForms()
    form = made(forms)
    assert not forms.live(CID)  # made, not shown (or showing it failed)
    form.dispatching = True
    assert forms.live(CID) and not forms.live("proposal:new:42")
    form.dispatching = False  # submitted: discord.py stops it
    forms.drop(form)
    assert not forms.live(CID)


def test_a_timed_out_form_is_not_live_even_before_it_is_dropped() -> None:
    forms = OpenForms()
    form = made(forms)
    form.dispatching = True
    form.dispatching = False  # discord.py's timeout; our on_timeout drops it a moment later
    assert not forms.live(CID)


def test_submitting_a_form_opened_again_drops_the_earlier_one_as_discord_py_does() -> None:
    forms = OpenForms()
    first, second = made(forms), made(forms)
    first.dispatching = second.dispatching = True  # the member closed the first and opened it again
    second.dispatching = False
    forms.drop(second)
    assert not forms.live(CID)  # discord.py dropped the custom_id: nobody would answer


def test_an_earlier_form_timing_out_takes_the_custom_id_from_a_later_one_as_discord_py_does() -> None:
    forms = OpenForms()
    first, second = made(forms), made(forms)
    first.dispatching = second.dispatching = True
    first.dispatching = False
    forms.drop(first)
    assert not forms.live(CID)  # so the fallback answers the later form's submission


def test_a_form_being_shown_while_another_drops_the_custom_id_counts_once_shown() -> None:
    forms = OpenForms()
    first = made(forms)
    first.dispatching = True
    showing = made(forms)
    first.dispatching = False
    forms.drop(first)
    assert not forms.live(CID)
    showing.dispatching = True  # discord.py stores it after the drop
    assert forms.live(CID)


def test_forms_never_shown_are_forgotten() -> None:
    forms = OpenForms()
    made(forms)
    gc.collect()
    assert not forms.live(CID)
    kept = made(forms)
    kept.dispatching = True
    forms.drop(kept)
    assert forms._forms == {}  # nothing left behind for this custom_id


async def test_the_modal_base_class_notes_itself_and_is_dropped_when_stopped_or_timed_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forms = OpenForms()
    monkeypatch.setattr(modals, "OPEN_FORMS", forms)
    submitted = Modal(title="Block proposal #7", custom_id=CID)
    assert not forms.live(CID)
    monkeypatch.setattr(submitted, "is_dispatching", lambda: True)  # as after send_modal
    assert forms.live(CID)
    submitted.stop()  # what discord.py calls after on_submit
    monkeypatch.setattr(submitted, "is_dispatching", lambda: False)
    assert not forms.live(CID)

    lapsed = Modal(title="Block proposal #7", custom_id=CID)
    monkeypatch.setattr(lapsed, "is_dispatching", lambda: True)
    later = Modal(title="Block proposal #7", custom_id=CID)
    monkeypatch.setattr(later, "is_dispatching", lambda: True)
    monkeypatch.setattr(lapsed, "is_dispatching", lambda: False)
    await lapsed.on_timeout()
    assert not forms.live(CID)  # the timeout dropped the custom_id, as discord.py does

    never_shown = Modal(title="Block proposal #7", custom_id="proposal:new:42")
    never_shown.stop()  # stopping a form that was never shown drops nothing else
    assert not forms.live("proposal:new:42")


def submission(custom_id: str, *, answered: bool) -> Any:
    response = SimpleNamespace(is_done=lambda: answered)
    return SimpleNamespace(data={"custom_id": custom_id}, response=response)


@pytest.mark.parametrize(
    ("shown", "answered", "fallback"),
    [(False, False, True), (True, False, False), (False, True, False), (True, True, False)],
)
async def test_the_fallback_runs_only_when_no_live_form_took_the_submission(
    monkeypatch: pytest.MonkeyPatch, shown: bool, answered: bool, fallback: bool
) -> None:
    forms = OpenForms()
    monkeypatch.setattr(modals, "OPEN_FORMS", forms)
    monkeypatch.setattr(modals, "GRACE_SECONDS", 0)
    form = made(forms)
    form.dispatching = shown
    ran: list[bool] = []

    async def handle() -> None:
        ran.append(True)

    await modals.unless_answered(submission(CID, answered=answered), handle)
    assert ran == ([True] if fallback else [])
