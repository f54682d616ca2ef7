"""Everything Rota shows fits Discord's limits in every language, with the longest data members can give.

Each case renders one thing (a card, an answer, a button, a form, a menu) from real records filled
to the domain's limits: 100-character places and titles, 500-character notes and reasons, a
2000-character body, 32-character names made twice as long by escaping, 50 places with a long
waitlist, a thousand positions, the largest ids. It is rendered in each language of
`bot.ui.i18n.LANGUAGES` and in the pseudo-locale (`tests/support/pseudo.py`: English made 40%
longer), so the test does not wait for, or depend on, what translators write.

Where a renderer clips (`bot.ui.format.clip`, a slice) the case passes; where nothing stops a limit
from being exceeded, the case is registered with `bug=` (the field and the numbers) and runs as
`xfail(strict=True)`, so the test goes red the day it is fixed and the mark can go. When a shorter
translation could make such a case fit, it is strict only in English and the pseudo-locale.

Discord's limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
…/interactions/message-components and …/interactions/receiving-and-responding (autocomplete).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import importlib
import itertools
import pkgutil
import typing
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from enum import Enum
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest

import bot
import cogs
from bot.domain import decisions, errors
from bot.domain import shifts as shift_rules
from bot.domain.decisions import Outcome, OutcomeReason, Rule, Tally
from bot.domain.records import (
    Activity,
    AuditEntry,
    GuildSettings,
    Handoff,
    Person,
    PoolMember,
    Proposal,
    Rota,
    Shift,
    Stance,
    Swap,
    TurnRecord,
)
from bot.domain.repeats import COUNT_MAX
from bot.domain.roles import Role
from bot.domain.rota import AwayWindow, Turn, validate_rota_name
from bot.domain.settings import MAX_DECISION
from bot.domain.shifts import ClaimKind, ClaimResult
from bot.domain.states import OfferKind, OfferStatus, Position
from bot.domain.text import DISPLAY_NAME_MAX, clean_text, display_name, one_line
from bot.domain.timeparse import is_valid_timezone
from bot.services.offers import OfferEnded
from bot.services.proposals import ProposalDetails
from bot.services.rota import SHOW_NEXT, SHOW_PAST, RotaChange, RotaConfigured, RotaOverview
from bot.services.rota_turns import Handover
from bot.services.settings import SettingChange
from bot.services.shifts import CANCEL_REASON_MAX, ChangeOutcome, ClaimOutcome, LeaveOutcome, ShiftDetails
from bot.services.transparency import LOG_LIMIT, Deletion, Release, Stats
from bot.store.audit import KINDS
from bot.ui import (
    audit_text,
    help_render,
    offer_render,
    proposal_render,
    proposal_replies,
    replies,
    rota_render,
    setup_replies,
    shift_render,
    shift_replies,
    transparency_render,
    wording,
)
from bot.ui.audit_mirror import _chunks
from bot.ui.format import safe
from bot.ui.i18n import ENGLISH, LANGUAGES, speaking
from tests.support.pseudo import PSEUDO, install, pseudo

# --- Discord's limits ----------------------------------------------------------------------------

CONTENT = 2000
EMBED_TITLE, EMBED_DESCRIPTION, EMBED_FIELDS, EMBED_TOTAL = 256, 4096, 25, 6000
FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR = 256, 1024, 2048, 256
BUTTON_LABEL, CUSTOM_ID, ACTION_ROWS = 80, 100, 5
SELECT_PLACEHOLDER, OPTION_LABEL, OPTION_DESCRIPTION, OPTION_VALUE, OPTIONS = 150, 100, 100, 100, 25
MODAL_TITLE, INPUT_LABEL, INPUT_PLACEHOLDER, INPUT_VALUE = 45, 45, 100, 4000
CHOICE_NAME = 100  # an autocomplete choice
FILE_DESCRIPTION = 1024  # an attachment's alt text
AUDIT_REASON = 512  # X-Audit-Log-Reason, e.g. moving a rota's role

LANGS = [*LANGUAGES, PSEUDO]

# --- the longest data members can give ------------------------------------------------------------

BIG_ID = 2**53 - 1  # the largest shift or proposal number the commands accept
SNOWFLAKE = 2**63 - 1  # a Discord id (member, channel, message, role, server)
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=shift_rules.MAX_DAYS_AHEAD)
END = START + shift_rules.DURATION_MAX
#: Markdown characters each escape to two: member text at its limit, as long as it can be once shown.
MARKDOWN = "_"


def member_text(field: str, limit: int, *, line: bool = False) -> str:
    """The longest text the domain accepts for `field`, all of it Markdown that escaping doubles."""
    text = clean_text(MARKDOWN * limit, field=field, max_len=limit)
    return one_line(text) if line else text


WHERE = member_text("where", shift_rules.WHERE_MAX, line=True)
NOTES = member_text("notes", shift_rules.NOTES_MAX)
CANCEL_REASON = member_text("reason", CANCEL_REASON_MAX)
TITLE = member_text("title", decisions.TITLE_MAX, line=True)
BODY = member_text("body", decisions.BODY_MAX)
REASON = member_text("reason", decisions.REASON_MAX)
#: A Discord name as stored (`display_name`): 32 characters, each escaped, so 63 in all.
NAME = display_name(MARKDOWN * (DISPLAY_NAME_MAX + 8))
ROTA_NAME = validate_rota_name("note-taker-" + "x" * 21)
TIMEZONE = max(sorted(zoneinfo.available_timezones()), key=len)
PLACES = shift_rules.PLACES_MAX
WAITING = 250  # nothing caps a waitlist
EACH_POSITION = 250  # a big group: a thousand members took a position
LONG_SPAN = timedelta(days=59, hours=23, minutes=59)  # "59 days, 23 hr, 59 min"
REMINDERS = (timedelta(days=6, hours=23, minutes=59),) * shift_rules.REMINDERS_MAX
JUMP_URL = f"https://discord.com/channels/{SNOWFLAKE}/{SNOWFLAKE}/{SNOWFLAKE}"
COMMANDS = {"shift", "rota", "propose", "proposal", "log", "stats", "mydata", "setup"}


def test_the_data_is_as_long_as_the_domain_allows() -> None:
    assert len(WHERE) == shift_rules.WHERE_MAX and len(safe(WHERE)) == 2 * shift_rules.WHERE_MAX
    assert len(NAME) == 2 * (DISPLAY_NAME_MAX - 1) + 1
    assert len(ROTA_NAME) == 32 and is_valid_timezone(TIMEZONE)


def person(index: int = 0) -> Person:
    return Person(SNOWFLAKE - index, NAME, NOW)


def make_shift(*, taken: int = PLACES, cancelled: bool = False) -> Shift:
    return Shift(
        id=BIG_ID,
        guild_id=SNOWFLAKE,
        series_id=BIG_ID,
        offerer_id=SNOWFLAKE,
        offerer_name=NAME,
        starts_at=START,
        ends_at=END,
        location=WHERE,
        notes=NOTES,
        places=PLACES,
        taken=taken,
        cancelled_at=NOW.timestamp() if cancelled else None,
        cancel_reason=CANCEL_REASON if cancelled else None,
        channel_id=SNOWFLAKE,
        message_id=SNOWFLAKE,
        thread_id=SNOWFLAKE,
        proposal_id=BIG_ID,
    )


#: A shift in each state its card shows: (the shift, the time it is shown).
SHIFT_STATES: dict[str, tuple[Shift, datetime]] = {
    "open": (make_shift(taken=1), NOW),
    "full": (make_shift(), NOW),
    "started": (make_shift(), START + timedelta(hours=1)),
    "cancelled": (make_shift(cancelled=True), NOW),
}


def shift_details(shift: Shift) -> ShiftDetails:
    return ShiftDetails(shift, [person(i) for i in range(shift.taken)], [person(i) for i in range(WAITING)])


def make_proposal(status: str = "open", rule: Rule = Rule.CONSENT, quorum: int = decisions.QUORUM_MAX) -> Proposal:
    closes = NOW + decisions.DEADLINE_MAX
    return Proposal(
        id=BIG_ID,
        guild_id=SNOWFLAKE,
        author_id=SNOWFLAKE,
        author_name=NAME,
        title=TITLE,
        body=BODY,
        rule=rule.value,
        quorum=quorum,
        opened_at=NOW,
        closes_at=closes,
        status=status,
        outcome_reason=None if status == "open" else "passed",
        closed_at=None if status == "open" else closes,
        action_starts_at=closes + timedelta(days=1),
        action_where=WHERE,
        action_places=PLACES,
        channel_id=SNOWFLAKE,
        message_id=SNOWFLAKE,
        thread_id=SNOWFLAKE,
    )


def stances(each: int = EACH_POSITION) -> list[Stance]:
    """`each` members in every position; the first few give the longest reason (more only repeat it)."""
    return [
        Stance(SNOWFLAKE - i, NAME, position.value, REASON if i < 3 else None, NOW)
        for position in Position
        for i in range(each)
    ]


def proposal_details(
    status: str = "open", rule: Rule = Rule.CONSENT, quorum: int = decisions.QUORUM_MAX
) -> ProposalDetails:
    return ProposalDetails(make_proposal(status, rule, quorum), stances(), [BIG_ID])


def make_rota(weekday: int = 0) -> Rota:
    return Rota(BIG_ID, SNOWFLAKE, ROTA_NAME, 27, weekday, time(23, 59), SNOWFLAKE, START)


def longest_weekday() -> int:
    """The weekday whose name is longest in the current language (Babel is asked in the test's)."""
    return max(range(7), key=lambda day: len(rota_render.weekday_name(day)))


def handover(*, holder: bool = True, reason: str = "passed") -> Handover:
    return Handover(
        SNOWFLAKE,
        ROTA_NAME,
        SNOWFLAKE,
        SNOWFLAKE,
        SNOWFLAKE if holder else None,
        NAME if holder else None,
        START,
        END,
        reason,
    )


def handoff(status: OfferStatus = OfferStatus.PENDING) -> Handoff:
    return Handoff(BIG_ID, BIG_ID, SNOWFLAKE, NAME, SNOWFLAKE - 1, NAME, status)


def swap(status: OfferStatus = OfferStatus.PENDING) -> Swap:
    return Swap(BIG_ID, BIG_ID, SNOWFLAKE, NAME, START, SNOWFLAKE - 1, NAME, END, status)


def every_shift_field() -> dict[str, Any]:
    """A `shift_edited` detail: every field changed, as the service stores it."""
    return {
        "starts_at": int(START.timestamp()),
        "ends_at": int(END.timestamp()),
        "location": WHERE,
        "places": PLACES,
        "notes": NOTES,
    }


def setting_values() -> dict[str, tuple[Any, Any]]:
    """Each setting's longest old and new values."""
    return {
        "timezone": ("UTC", TIMEZONE),
        "shift_channel_id": (None, SNOWFLAKE),
        "announce_channel_id": (SNOWFLAKE, SNOWFLAKE - 1),
        "log_channel_id": (None, SNOWFLAKE),
        "decision_rule": ("consent", "consensus"),
        "decision_minutes": (int(MAX_DECISION.total_seconds() // 60) - 1, 2880),
        "reminder_offsets": ("10079m,10078m,10077m", "off"),
        "language": (None, max(LANGUAGES, key=lambda code: len(LANGUAGES[code]))),
    }


#: Every action the record words, with the longest details the services store.
AUDIT_DETAILS: dict[str, dict[str, Any]] = {
    "shift_offered": {"where": WHERE, "starts_at": int(START.timestamp()), "places": PLACES},
    "shift_claimed": {},
    "shift_waitlisted": {"position": WAITING},
    "shift_left": {"late": True},
    "shift_unwaitlisted": {},
    "shift_promoted": {},
    "shift_edited": every_shift_field(),
    "shift_cancelled": {"reason": CANCEL_REASON},
    "handoff_offered": {"to": NAME},
    "handoff_accepted": {"from": NAME},
    "handoff_declined": {"from": NAME},
    "handoff_lapsed": {"from": NAME},
    "rota_joined": {"rejoined": True},
    "rota_left": {},
    "rota_handover": {"to": NAME, "from": NAME, "starts": 1, "ends": int(END.timestamp()), "reason": "passed"},
    "rota_away": {"starts": int(START.timestamp()), "ends": int(END.timestamp())},
    "rota_back": {},
    "rota_passed": {"starts": int(START.timestamp()), "to": NAME, "current": False},
    "rota_swap_offered": {"with": NAME, "mine": 1, "theirs": 2},
    "rota_swapped": {"with": NAME, "mine": 1, "theirs": 2},
    "rota_swap_declined": {"with": NAME, "mine": 1, "theirs": 2},
    "rota_swap_lapsed": {"from": NAME, "with": NAME},
    "rota_created": {"turn_length_days": 28, "anchor_weekday": 2, "anchor_time": "23:59", "role_id": SNOWFLAKE},
    "rota_configured": {"turn_length_days": 28, "anchor_weekday": 2, "anchor_time": "23:59", "role_id": SNOWFLAKE},
    "data_deleted": {"places_released": PLACES, "positions_withdrawn": 1000},
    "proposal_opened": {"title": TITLE, "rule": "consensus", "quorum": 1000, "closes_at": 1},
    "position_taken": {"title": TITLE, "position": "abstain", "previous": "disagree"},
    "proposal_withdrawn": {"title": TITLE},
    "proposal_closed": {"title": TITLE, "status": "failed", "reason": "blocked", "tally": [1, 2, 3, 4]},
    "a_future_action_nothing_words_yet": {},
}


def audit_entries(action: str) -> list[AuditEntry]:
    kind = {"shift": "shifts", "handoff": "shifts", "rota": "rota", "proposal": "proposals", "position": "proposals"}
    subject = {"shifts": str(BIG_ID), "rota": ROTA_NAME, "proposals": str(BIG_ID)}.get(
        kind.get(action.split("_")[0], ""), "_" * 100
    )
    if action == "setting_changed":
        return [
            AuditEntry(BIG_ID, SNOWFLAKE, SNOWFLAKE, NAME, "settings", action, name, {"old": old, "new": new}, 1e10)
            for name, (old, new) in setting_values().items()
        ]
    detail = AUDIT_DETAILS[action]
    return [AuditEntry(BIG_ID, SNOWFLAKE, SNOWFLAKE, NAME, "any", action, subject, detail, 1e10)]


# --- what is checked -------------------------------------------------------------------------------


class Found:
    """The limits one case broke (and how many things it checked, so no case checks nothing)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked = 0

    def text(self, what: str, text: str | None, limit: int, *, required: bool = True) -> None:
        self.checked += 1
        if text is None or text == "":
            if required:
                self.problems.append(f"{what} is empty")
            return
        if len(text) > limit:
            self.problems.append(f"{what} is {len(text)} characters, {len(text) - limit} over the limit of {limit}")

    def content(self, what: str, text: str) -> None:
        self.text(f"{what} (message content)", text, CONTENT)

    def choice(self, what: str, name: str) -> None:
        self.text(f"{what} (autocomplete choice name)", name, CHOICE_NAME)

    def embed(self, what: str, embed: discord.Embed) -> None:
        data = embed.to_dict()
        fields = data.get("fields", [])
        self.text(f"{what}: title", data.get("title"), EMBED_TITLE, required=False)
        self.text(f"{what}: description", data.get("description"), EMBED_DESCRIPTION, required=False)
        self.text(f"{what}: footer", data.get("footer", {}).get("text"), FOOTER, required=False)
        self.text(f"{what}: author", data.get("author", {}).get("name"), AUTHOR, required=False)
        self.checked += 1
        if len(fields) > EMBED_FIELDS:
            self.problems.append(f"{what} has {len(fields)} fields, over the limit of {EMBED_FIELDS}")
        for field in fields:
            self.text(f"{what}: name of field {field['name'][:30]!r}", field["name"], FIELD_NAME)
            self.text(f"{what}: value of field {field['name'][:30]!r}", field["value"], FIELD_VALUE)
        parts = [data.get("title"), data.get("description"), data.get("footer", {}).get("text")]
        parts += [data.get("author", {}).get("name")]
        parts += [text for field in fields for text in (field["name"], field["value"])]
        self.text(f"{what}: all text together", "".join(part or "" for part in parts) or "-", EMBED_TOTAL)

    def components(self, what: str, container: discord.ui.View | discord.ui.Modal) -> None:
        if isinstance(container, discord.ui.Modal):
            data = container.to_dict()
            self.text(f"{what}: modal title", data["title"], MODAL_TITLE)
            self.text(f"{what}: modal custom_id", data["custom_id"], CUSTOM_ID)
            rows = data["components"]
        else:
            rows = container.to_components()
            self.checked += 1
            if len(rows) > ACTION_ROWS:
                self.problems.append(f"{what} has {len(rows)} rows of components, over {ACTION_ROWS}")
        for component in _walk(rows):
            kind = component.get("type")
            if "custom_id" in component:
                self.text(f"{what}: custom_id", component["custom_id"], CUSTOM_ID)
            if kind == 2:
                self.text(f"{what}: button label", component.get("label"), BUTTON_LABEL)
            elif kind == 3:
                self.text(f"{what}: select placeholder", component.get("placeholder"), SELECT_PLACEHOLDER)
                options = component.get("options", [])
                self.checked += 1
                if len(options) > OPTIONS:
                    self.problems.append(f"{what}: a select has {len(options)} options, over {OPTIONS}")
                for option in options:
                    self.text(f"{what}: option label", option["label"], OPTION_LABEL)
                    self.text(f"{what}: option value", option["value"], OPTION_VALUE)
                    self.text(
                        f"{what}: option description", option.get("description"), OPTION_DESCRIPTION, required=False
                    )
            elif kind in (4, 18):  # a text input, or the label around one
                self.text(f"{what}: input label", component.get("label"), INPUT_LABEL, required=kind == 18)
                self.text(f"{what}: input placeholder", component.get("placeholder"), INPUT_PLACEHOLDER, required=False)
                self.text(f"{what}: input description", component.get("description"), INPUT_PLACEHOLDER, required=False)
                self.text(f"{what}: input value", component.get("value"), INPUT_VALUE, required=False)


def _walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components", []))
        if isinstance(component.get("component"), dict):
            yield from _walk([component["component"]])


# --- the cases: one thing rendered each ----------------------------------------------------------

Case = Callable[[Found], None]
CASES: dict[str, Case] = {}
#: Cases that exceed a limit today: (what and by how much, whether a translation could make it fit).
KNOWN_BUGS: dict[str, tuple[str, bool]] = {}


def case(name: str, *, bug: str | None = None, wording_may_fit: bool = False) -> Callable[[Case], Case]:
    """Register a case; `bug` marks it as exceeding a limit now. With `wording_may_fit` a shorter
    translation could fit, so only English and the pseudo-locale (English made longer) must fail."""

    def register(render: Case) -> Case:
        assert name not in CASES, name
        CASES[name] = render
        if bug is not None:
            KNOWN_BUGS[name] = (bug, wording_may_fit)
        return render

    return register


# shift_render and shift_replies -------------------------------------------------------------------

for _state, (_shift, _now) in SHIFT_STATES.items():

    def _card(found: Found, shift: Shift = _shift, now: datetime = _now) -> None:
        found.embed("card", shift_render.card_embed(shift_details(shift), now))

    def _details(found: Found, shift: Shift = _shift, now: datetime = _now) -> None:
        found.embed("/shift show", shift_render.details_embed(shift_details(shift), now))

    case(f"shift_render.card_embed[{_state}]")(_card)
    case(f"shift_render.details_embed[{_state}]")(_details)


@case("shift_render.card_embed[8 roles]")
def _card_with_roles(found: Found) -> None:
    """Eight roles with the longest names, every place held: the card and its menu of roles."""
    from cogs.shift_buttons import card_view

    shift, now = SHIFT_STATES["open"]
    names = [(f"{MARKDOWN * 4}")[:30] + f"{i:02}" for i in range(8)]
    roles = tuple(Role(i + 1, name, 6 if i < 2 else 5, 6 if i < 2 else 5) for i, name in enumerate(names))
    holders = [dataclasses.replace(person(i), role=1 + i % 8) for i in range(shift.taken)]
    details = ShiftDetails(shift, holders, [person(i) for i in range(WAITING)], roles)
    found.embed("card with roles", shift_render.card_embed(details, now))
    found.components("card with roles", card_view(shift, now, roles))
    found.components("card with three roles", card_view(shift, now, roles[:3]))


@case("shift_render.label")
def _shift_label(found: Found) -> None:
    tz = ZoneInfo(TIMEZONE)
    for state, (shift, _now) in SHIFT_STATES.items():
        found.choice(f"{state} shift", shift_render.label(shift, tz))


@case("shift_render.member_messages")
def _shift_messages(found: Found) -> None:
    shift, cancelled = make_shift(), make_shift(cancelled=True)
    moved = dataclasses.replace(shift, starts_at=END, location="*" * shift_rules.WHERE_MAX)
    found.content("reminder", shift_render.reminder_text(shift))
    for time_changed, place_changed in itertools.product((True, False), repeat=2):
        text = shift_render.change_text(shift, moved, time_changed=time_changed, place_changed=place_changed)
        found.content(f"change (time {time_changed}, place {place_changed})", text)
    found.content("cancellation", shift_render.cancel_text(cancelled))
    found.content("promotion", shift_render.promotion_text(shift))


@case("shift_replies.claims_and_leaves")
def _claims(found: Found) -> None:
    shift = make_shift()
    for kind in ClaimKind:
        if kind is not ClaimKind.FULL:
            found.content(kind.value, shift_replies.claim_text(ClaimOutcome(shift, ClaimResult(kind, WAITING))))
    found.content("full", shift_replies.full_text(BIG_ID, WAITING + 1))
    for left_place, promoted in ((False, None), (True, None), (True, person())):
        outcome = LeaveOutcome(shift, left_place, promoted, late=True)
        found.content(f"leave (place {left_place}, promoted {promoted is not None})", shift_replies.leave_text(outcome))
    found.content("place opened", shift_replies.place_opened(shift))


@case("shift_replies.list_embed")
def _shift_list(found: Found) -> None:
    from cogs.shift_buttons import PAGE_SIZE

    for state, (shift, now) in SHIFT_STATES.items():
        lines = shift_render.list_lines([shift] * PAGE_SIZE, now)
        for show in shift_replies.LIST_EMPTY:
            found.embed(f"{show} list of {state} shifts", shift_replies.list_embed(show, 366, lines, 98, 99))
    for show in shift_replies.LIST_EMPTY:
        found.embed(f"empty {show} list", shift_replies.list_embed(show, 1, [], 0, 1))


@case("shift_replies.offer_edit_cancel")
def _offer_edit_cancel(found: Found) -> None:
    one, series = [make_shift()], [make_shift()] * COUNT_MAX
    for created, posted, joined in itertools.product((one, series), (True, False), (True, False)):
        text = shift_replies.offered(created, SNOWFLAKE, posted=posted, joined=joined, jump_url=JUMP_URL)
        found.content(f"offered {len(created)} (posted {posted}, joined {joined})", text)
    found.content("nothing to edit", shift_replies.nothing_to_edit())
    shift, moved = make_shift(), make_shift(taken=1)
    for outcome in (
        ChangeOutcome(shift, [], old=shift),
        ChangeOutcome(moved, [], time_changed=True, old=shift),
        ChangeOutcome(moved, [], old=shift),
    ):
        found.content("edited", shift_replies.edited(BIG_ID, outcome))
    for tell in (1, PLACES + WAITING):
        found.content("cancelled", shift_replies.cancelled(BIG_ID, ChangeOutcome(shift, [SNOWFLAKE] * tell)))


@case("shift_replies.reminders_and_calendar")
def _reminders(found: Found) -> None:
    for offsets in ((), REMINDERS):
        found.content(f"current reminders {len(offsets)}", shift_replies.current_reminders(offsets))
        found.content(f"reminders set {len(offsets)}", shift_replies.reminders_set(offsets))
    found.text("calendar file description", shift_replies.calendar_description(), FILE_DESCRIPTION)
    found.content("calendar", shift_replies.calendar_text(BIG_ID))
    found.text(
        "thread name, as cards.post clips it",
        discord.utils.remove_markdown(shift_replies.thread_name(make_shift()))[:100],
        100,
    )


@case("cogs.shift_buttons")
def _shift_buttons(found: Found) -> None:
    from cogs.shift_buttons import PAGE_SIZE, ListPageButton, PickShiftSelect, WaitlistButton, card_view

    for state, (shift, now) in SHIFT_STATES.items():
        found.components(f"{state} card", card_view(shift, now))
    full = discord.ui.View(timeout=None)
    full.add_item(WaitlistButton(BIG_ID))
    found.components("full shift", full)
    tz = ZoneInfo(TIMEZONE)
    page = discord.ui.View(timeout=None)
    page.add_item(PickShiftSelect([(BIG_ID, shift_render.label(make_shift(), tz))] * PAGE_SIZE))
    page.add_item(ListPageButton("open", 366, BIG_ID, shift_replies.earlier_label()))
    page.add_item(ListPageButton("open", 366, BIG_ID, shift_replies.later_label()))
    found.components("/shift list", page)


# proposal_render and proposal_replies -------------------------------------------------------------

for _status in ("open", "passed", "failed", "withdrawn"):

    def _proposal_card(found: Found, status: str = _status) -> None:
        found.embed("card", proposal_render.card_embed(proposal_details(status)))

    def _proposal_details(found: Found, status: str = _status) -> None:
        not_yet = [NAME] * 100  # enough to fill the field (listing more only takes longer)
        found.embed("/proposal show", proposal_render.details_embed(proposal_details(status), not_yet))

    case(f"proposal_render.card_embed[{_status}]")(_proposal_card)
    case(f"proposal_render.details_embed[{_status}]")(_proposal_details)


@case("proposal_render.card_embed[short body]")
def _proposal_card_short(found: Found) -> None:
    """The card without its worst case body: everything else at its longest still fits."""
    details = proposal_details()
    short = dataclasses.replace(details, proposal=dataclasses.replace(details.proposal, body="x"))
    found.embed("card", proposal_render.card_embed(short))


@case("proposal_render.reason_text")
def _reasons(found: Found) -> None:
    tally = Tally(*(BIG_ID,) * 4)
    for reason in OutcomeReason:
        for closed in (False, True):
            text = proposal_render.reason_text(Outcome(False, True, reason), tally, BIG_ID, closed=closed)
            found.text(f"{reason.value} (closed {closed}) as a field value", text, FIELD_VALUE)


@case("proposal_render.label")
def _proposal_label(found: Found) -> None:
    for status in ("open", "passed", "failed", "withdrawn"):
        found.choice(status, proposal_render.label(make_proposal(status)))


@case("proposal_render.member_messages")
def _proposal_messages(found: Found) -> None:
    proposal = make_proposal()
    for position in Position:
        for changed, previous in ((False, None), (True, None), (True, "abstain")):
            text = proposal_render.position_reply(position, proposal, changed, previous)
            found.content(f"{position.value} (changed {changed}, previous {previous})", text)
    for position in (Position.BLOCK, Position.DISAGREE):
        found.content(f"{position.value} reason in the thread", proposal_render.reason_post(NAME, 1, position, REASON))
    found.content("closing soon", proposal_render.closing_soon_text(proposal, decisions.QUORUM_MAX))
    found.content("withdrawn", proposal_render.withdrawn_text(proposal))
    found.text(
        "thread name, as cards.post clips it",
        discord.utils.remove_markdown(proposal_render.thread_name(proposal))[:100],
        100,
    )


@case("proposal_render.outcome_text")
def _outcome(found: Found) -> None:
    problem = max((wording.explain(error) for _name, error in error_instances()), key=len)
    for status, rule in (("passed", Rule.CONSENT), ("failed", Rule.MAJORITY), ("failed", Rule.CONSENSUS)):
        details = proposal_details(status, rule, quorum=0)
        for links, why in (([JUMP_URL], None), ([proposal_render.shift_reference(BIG_ID)], None), ([], problem)):
            found.content(f"{status} {rule.value} outcome", proposal_render.outcome_text(details, links, why))


@case("proposal_replies.answers")
def _proposal_answers(found: Found) -> None:
    proposal = make_proposal()
    found.content("form expired", proposal_replies.form_expired())
    for url in (None, JUMP_URL):
        found.content(f"opened (link {url is not None})", proposal_replies.opened(proposal, url))
    found.content("withdrawn", proposal_replies.withdrawn(proposal))


@case("proposal_replies.list_embed")
def _proposal_list(found: Found) -> None:
    from cogs.proposals import LIST_LIMIT

    for status in proposal_replies.LIST_TITLES:
        proposals = [make_proposal(s) for s in ("open", "passed", "failed", "withdrawn")] * LIST_LIMIT
        lines = proposal_render.list_lines(proposals[:LIST_LIMIT])
        found.embed(f"{status} list", proposal_replies.list_embed(status, lines, LIST_LIMIT, LOG_LIMIT))
        found.embed(f"empty {status} list", proposal_replies.list_embed(status, [], 0, 0))


@case("cogs.proposals")
def _proposal_components(found: Found) -> None:
    from cogs.proposals import ProposeModal, ReasonModal, card_view

    for status in ("open", "passed"):
        found.components(f"{status} card", card_view(make_proposal(status)))
    for position in (Position.BLOCK, Position.DISAGREE):
        found.components(f"{position.value} form", ReasonModal(BIG_ID, position, SNOWFLAKE))
    for action in (False, True):
        form = ProposeModal(user_id=SNOWFLAKE, rule="consent", closes_in="60d", quorum=1000, action=action)
        found.components(f"/propose form (action {action})", form)


# rota_render ---------------------------------------------------------------------------------------


def overview(*, current: bool = True, holder: bool = True, members: int = 500) -> RotaOverview:
    rota = make_rota(longest_weekday())
    turn = TurnRecord(BIG_ID, BIG_ID, NOW, END, SNOWFLAKE if holder else None, "held", "passed")
    away = [AwayWindow(SNOWFLAKE - i, NOW + timedelta(days=1), END) for i in range(members)]
    return RotaOverview(
        rota=rota,
        current=turn if current else None,
        upcoming=[Turn(SNOWFLAKE, START, END)] * SHOW_NEXT,
        away=away,
        past=[turn] * SHOW_PAST,
        members=[PoolMember(SNOWFLAKE, NAME, NOW, None, NOW, BIG_ID)] * members,
        names={SNOWFLAKE - i: NAME for i in range(members)},
    )


@case("rota_render.show_embed")
def _rota_show(found: Found) -> None:
    found.embed("/rota show", rota_render.show_embed(overview(), ZoneInfo(TIMEZONE)))


@case("rota_render.show_embed[no one away]")
def _rota_show_quiet(found: Found) -> None:
    """The other variants of `/rota show`, every field but Away at its longest."""
    tz = ZoneInfo(TIMEZONE)
    for current, holder, members in ((True, True, 500), (True, False, 500), (False, False, 500), (False, False, 0)):
        view = dataclasses.replace(overview(current=current, holder=holder, members=members), away=[])
        found.embed(
            f"/rota show (turn {current}, holder {holder}, {members} members)", rota_render.show_embed(view, tz)
        )


@case("rota_render.member_messages")
def _rota_messages(found: Found) -> None:
    for holder, reason, role_failed in itertools.product((True, False), ("turn", "passed"), (True, False)):
        text = rota_render.announcement(handover(holder=holder, reason=reason), role_failed=role_failed)
        found.content(f"announcement (holder {holder}, {reason}, role failed {role_failed})", text)
    found.content("hand-over DM", rota_render.handover_dm(handover()))
    turn = Turn(SNOWFLAKE, START, END)
    found.content("next DM", rota_render.next_dm(ROTA_NAME, turn))
    found.content("taken DM", rota_render.taken_dm(ROTA_NAME, turn))
    found.text("role reason (audit log)", rota_render.role_reason(handover()), AUDIT_REASON)


@case("rota_render.change_reply")
def _rota_changes(found: Found) -> None:
    rota = make_rota()
    names = {SNOWFLAKE: NAME}
    window = AwayWindow(SNOWFLAKE, START, END)
    changes = {
        "join": [RotaChange(rota, handover=handover()), RotaChange(rota)],
        "leave": [RotaChange(rota, handover=handover()), RotaChange(rota, handover=handover(holder=False))],
        "pass": [
            RotaChange(rota, handover=handover()),
            RotaChange(rota, taken=Turn(SNOWFLAKE, START, END), names=names),
        ],
        "away": [RotaChange(rota, away=window, holds_current=True)],
        "back": [RotaChange(rota)],
    }
    for action, variants in changes.items():
        for change in variants:
            found.content(action, rota_render.change_reply(action, change))


@case("rota_render.configured_text")
def _rota_configured(found: Found) -> None:
    tz = ZoneInfo(TIMEZONE)
    for days in (1, 7, 27):
        rota = dataclasses.replace(make_rota(longest_weekday()), turn_length_days=days)
        variants: list[tuple[bool, dict[str, object]]] = [(True, {}), (False, {"role_id": SNOWFLAKE}), (False, {})]
        for created, changes in variants:
            found.content(
                f"{days}-day rota (created {created})",
                rota_render.configured_text(RotaConfigured(rota, created, changes), tz),
            )


# offer_render and cogs/offers.py ---------------------------------------------------------------


@case("offer_render.messages")
def _offers(found: Found) -> None:
    shift, rota = make_shift(), make_rota()
    for question in (offer_render.handoff_ask(handoff(), shift), offer_render.swap_ask(swap(), rota)):
        found.content("question by DM", question)
        found.content("question in the channel (DMs closed)", f"<@{SNOWFLAKE}>: {question}")
    for kind, by_dm in itertools.product(OfferKind, (True, False)):
        found.content(f"{kind.value} asked (by DM {by_dm})", offer_render.asked(kind, NAME, by_dm=by_dm))
    for status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        for ended in (
            OfferEnded(OfferKind.HANDOFF, status, handoff(status), shift=shift),
            OfferEnded(OfferKind.SWAP, status, swap(status), rota=rota),
        ):
            mine, theirs = offer_render.answered(ended)
            found.content(f"{ended.kind.value} {status.value}, to who answered", mine)
            found.content(f"{ended.kind.value} {status.value}, to who offered", theirs)
    for ended in (
        OfferEnded(OfferKind.HANDOFF, OfferStatus.LAPSED, handoff(OfferStatus.LAPSED), shift=shift),
        OfferEnded(OfferKind.SWAP, OfferStatus.LAPSED, swap(OfferStatus.LAPSED), rota=rota),
    ):
        for text in offer_render.lapsed(ended).values():
            found.content(f"{ended.kind.value} lapsed", text)


@case("cogs.offers")
def _offer_buttons(found: Found) -> None:
    from cogs.offers import offer_view

    for kind in OfferKind:
        found.components(f"{kind.value} question", offer_view(kind, BIG_ID))


# setup_replies -----------------------------------------------------------------------------------


@case("setup_replies.settings_embed")
def _settings(found: Found) -> None:
    rotas = [make_rota(day % 7) for day in range(100)]
    values = {name: new for name, (_old, new) in setting_values().items()}
    full = GuildSettings(SNOWFLAKE, **values)
    found.embed("/setup show", setup_replies.settings_embed(full, rotas))
    found.embed("/setup show (defaults)", setup_replies.settings_embed(GuildSettings(SNOWFLAKE), []))
    without_roles = [dataclasses.replace(rota, role_id=None) for rota in rotas]
    found.embed("/setup show (rotas without roles)", setup_replies.settings_embed(full, without_roles))


@case("setup_replies.changes_text")
def _setup_changes(found: Found) -> None:
    changes = [SettingChange(name, old, new) for name, (old, new) in setting_values().items()]
    changes += [SettingChange(name, new, old) for name, (old, new) in setting_values().items()]
    warnings = "".join(
        setup_replies.cannot_work_in(f"<#{SNOWFLAKE - i}>", list(setup_replies.PERMISSION_NAMES)) for i in range(3)
    )
    found.content("every setting changed, three channels unusable", setup_replies.changes_text(changes) + warnings)
    found.content("nothing changed", setup_replies.changes_text([]))


# transparency_render and cogs/transparency.py ---------------------------------------------------


@case("transparency_render.log_embed")
def _log(found: Found) -> None:
    from cogs.transparency import LOG_PAGE

    longest = max(
        (
            audit_text.audit_line(entry)
            for action in [*AUDIT_DETAILS, "setting_changed"]
            for entry in audit_entries(action)
        ),
        key=len,
    )
    pages = -(-LOG_LIMIT // LOG_PAGE)
    for kind, member in itertools.product(["all", *KINDS], (0, SNOWFLAKE)):
        found.embed(
            f"/log {kind}", transparency_render.log_embed(kind, 3650, member, [longest] * LOG_PAGE, pages - 1, pages)
        )
        found.embed(f"empty /log {kind}", transparency_render.log_embed(kind, 1, member, [], 0, 1))


@case("transparency_render.stats_embed")
def _stats(found: Found) -> None:
    people = [Activity(SNOWFLAKE - i, NAME, *(BIG_ID,) * 7) for i in range(transparency_render.STATS_TOP + 500)]
    by_role = [(f"{MARKDOWN * 2}"[:30] + f"{i:02}", BIG_ID) for i in range(60)]
    found.embed("/stats", transparency_render.stats_embed(Stats(3650, people, 0.99, 0.99, BIG_ID, by_role)))
    found.embed("/stats (nothing yet)", transparency_render.stats_embed(Stats(1, [], 0.0, 0.0, 0)))


@case("transparency_render.mydata")
def _mydata(found: Found) -> None:
    found.content("delete warning", transparency_render.delete_warning())
    found.content("only the asker", transparency_render.only_the_asker())
    found.content("place released", transparency_render.place_released())
    found.content("export", transparency_render.export_text())
    found.text("export file description", transparency_render.export_description(), FILE_DESCRIPTION)
    found.text("chart description", transparency_render.chart_description(), FILE_DESCRIPTION)
    done = Deletion(
        released=[Release(make_shift(), person())] * PLACES,
        waitlists_left=[BIG_ID] * WAITING,
        positions_withdrawn=[BIG_ID] * decisions.QUORUM_MAX,
        rotas_left=[RotaChange(make_rota())] * 100,
    )
    found.content("deleted", transparency_render.deletion_text(done))


@case("cogs.transparency")
def _transparency_buttons(found: Found) -> None:
    from cogs.transparency import DeleteMyDataButton, LogPageButton

    view = discord.ui.View(timeout=None)
    view.add_item(LogPageButton("proposals", 3650, SNOWFLAKE, BIG_ID, transparency_render.newer_label()))
    view.add_item(LogPageButton("proposals", 3650, SNOWFLAKE, BIG_ID, transparency_render.older_label()))
    found.components("/log page", view)
    confirm = discord.ui.View(timeout=None)
    confirm.add_item(DeleteMyDataButton(SNOWFLAKE))
    found.components("/mydata delete", confirm)


# audit_text: each action in /log and in the log channel ------------------------------------------


for _action in ["setting_changed", *AUDIT_DETAILS]:

    def _audit(found: Found, action: str = _action) -> None:
        from cogs.transparency import LOG_PAGE

        lines = [audit_text.audit_line(entry) for entry in audit_entries(action)]
        page = (lines * LOG_PAGE)[:LOG_PAGE]
        found.embed("/log page", transparency_render.log_embed("all", 3650, 0, page, 0, 1))
        for chunk in _chunks(lines * 20):
            found.content("log channel message", chunk)

    case(f"audit_text.audit_line[{_action}]")(_audit)


# help_render ----------------------------------------------------------------------------------------


@case("help_render.help_embed")
def _help(found: Found) -> None:
    found.embed("/help", help_render.help_embed(COMMANDS))


# wording: every error a member can get ---------------------------------------------------------------


def _import_everything() -> None:
    for package in (bot, cogs):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.rsplit(".", 1)[-1] != "__main__":
                importlib.import_module(module.name)


def _subclasses(kind: type[errors.RotaError]) -> Iterator[type[errors.RotaError]]:
    for sub in kind.__subclasses__():
        yield sub
        yield from _subclasses(sub)


#: Worst-case values of error fields, by field name (then by type).
_FIELD_VALUES: dict[str, list[Any]] = {
    "field": ["where", "notes", "reason", "title", "body", "some_new_field"],
    "status": ["withdrawn", "passed", "failed", "closing", "open"],
    "permission": ["Manage Server", "Manage Roles"],
    "mention": ["@everyone", f"<@&{SNOWFLAKE}>"],
}
_TYPE_VALUES: dict[Any, list[Any]] = {
    str: [MARKDOWN * 500],
    int: [BIG_ID],
    datetime: [START],
    timedelta: [LONG_SPAN],
    timedelta | None: [LONG_SPAN, None],
    int | None: [BIG_ID, None],
    tuple[str, ...]: [tuple(f"{MARKDOWN * 2}{i}"[:32] for i in range(8))],  # a shift's 8 role names
}


def _values(name: str, kind: Any) -> list[Any]:
    if kind is str and name in _FIELD_VALUES:
        return _FIELD_VALUES[name]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return list(kind)
    return _TYPE_VALUES[kind]


@functools.cache
def error_instances() -> list[tuple[str, errors.RotaError]]:
    """Every error class of the bot, with each variant of its fields that words differently."""
    _import_everything()
    found: list[tuple[str, errors.RotaError]] = []
    kinds = {k for k in _subclasses(errors.RotaError) if k.__module__.startswith(("bot.", "cogs."))}
    for kind in sorted(kinds, key=lambda k: k.__qualname__):
        fields: list[str] = [f.name for f in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []
        hints = typing.get_type_hints(kind)
        for values in itertools.product(*(_values(name, hints[name]) for name in fields)):
            found.append((kind.__qualname__, kind(*values)))
    return found


_ERROR_CLASSES = sorted({name for name, _error in error_instances()})

for _kind in _ERROR_CLASSES:

    def _explain(found: Found, kind: str = _kind) -> None:
        for name, error in error_instances():
            if name == kind:
                found.content(repr(error)[:80], wording.explain(error))

    case(f"wording.explain[{_kind}]")(_explain)


@case("wording.other_answers")
def _other_answers(found: Found) -> None:
    for kind in ("user", "role", "channel", "attachment"):
        found.content(f"unusable {kind}", wording.explain_unusable_option(kind))
    sent: list[str] = []

    async def send_message(*, content: str, **_kwargs: Any) -> None:
        sent.append(content)

    interaction = SimpleNamespace(
        response=SimpleNamespace(is_done=lambda: False, send_message=send_message),
        command=None,
        data={},
        id=SNOWFLAKE,
        type=SimpleNamespace(name="component"),
    )
    asyncio.run(replies.report_error(interaction, RuntimeError("a bug of ours")))  # type: ignore[arg-type]
    assert len(sent) == 1
    found.content("something went wrong on our side", sent[0])


# --- the test -------------------------------------------------------------------------------------


def _params() -> list[Any]:
    return list(_each_param())


def _each_param() -> Iterator[Any]:
    for name, render in CASES.items():
        for language in LANGS:
            marks = []
            if name in KNOWN_BUGS:
                reason, wording_may_fit = KNOWN_BUGS[name]
                strict = not wording_may_fit or language in (ENGLISH, PSEUDO)
                marks.append(pytest.mark.xfail(strict=strict, reason=reason))
            yield pytest.param(render, language, id=f"{name}-{language}", marks=marks)


@pytest.mark.parametrize(("render", "language"), _params())
def test_fits_discord(render: Case, language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if language == PSEUDO:
        install(monkeypatch)
    found = Found()
    with speaking(language):
        render(found)
    assert found.checked, "the case checked nothing"
    assert not found.problems, f"in {language!r}:\n" + "\n".join(found.problems)


def test_the_pseudo_locale_is_longer_and_keeps_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    english = "Shift #{shift} at **{place}**: `{leave} {shift}` in <#{thread}>, see https://example.org/a."
    text = pseudo(english)
    assert len(text) >= 1.4 * len(english)
    for kept in ("{shift}", "**{place}**", "`{leave} {shift}`", "<#{thread}>", "https://example.org/a."):
        assert kept in text
    install(monkeypatch)
    with speaking(PSEUDO):
        claim = shift_replies.claim_label()
        label = shift_render.label(make_shift(), ZoneInfo("UTC"))
    assert claim != "Claim a place" and len(claim) >= 1.4 * len("Claim a place")
    assert label.startswith(f"#{BIG_ID} ")
