"""Hostile input across every command with free input: no crash, no ping, no stray change, private errors.

The cases are a table built from lists of hostile values (mentions and their disguises, markdown,
zero-width and bidi characters, overlong text, past and absurd dates, huge and negative numbers,
unknown ids and other servers' ids) crossed with the options that take them. All cases of an area
run against one bot process. For each case:

- a value the Discord client itself refuses (`RefusedByClient`) counts as correctly refused;
- otherwise the bot answers, privately, and never with "something went wrong" (an unexpected error);
- the fake records no ping (mentions are never allowed to notify anyone);
- a value marked REFUSE leaves every stored row as it was. Values marked EITHER (markdown,
  look-alike text) may be accepted: they are stored as typed and shown without effect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from fakediscord import BotProcess, Channel, Driver, FakeDiscord, Member, RefusedByClient, World
from tests.e2e.conftest import BotPool
from tests.reliability.helpers import fingerprint, offer

REFUSE, EITHER = "refuse", "either"

#: Free text for names, places, notes, reasons, titles.
TEXT: list[tuple[str, str]] = [
    ("@everyone", REFUSE),
    ("@here", REFUSE),
    ("meet here @everyone!", REFUSE),
    ("@EVERYONE", REFUSE),
    ("@\u200beveryone", REFUSE),  # a zero-width space hiding a mass mention
    ("@\u2060here", REFUSE),  # a word joiner, likewise
    ("<@123456789012345678>", REFUSE),
    ("<@!123456789012345678>", REFUSE),
    ("<@&123456789012345678>", REFUSE),
    ("\u200b\u200b\u200b", REFUSE),  # nothing visible
    ("\u202e\u2066", REFUSE),
    ("**bold** __under__ ~~strike~~ ||spoiler||", EITHER),
    ("`code` ```py\nprint(1)```", EITHER),
    ("[click me](https://evil.example/steal)", EITHER),
    ("# Huge heading\n- list\n> quote", EITHER),
    ("<t:0:F> <#123456789012345678> </shift claim:1>", EITHER),
    ("Robert'); DROP TABLE shifts;--", EITHER),
    ("%s %d {0} {{x}} ${jndi:ldap://x}", EITHER),
    ("\u202eesrever txet", EITHER),
    ("e\u0301" * 25, EITHER),
    ("\U0001f389" * 20, EITHER),
]

INVISIBLE = {"\u200b\u200b\u200b", "\u202e\u2066"}

#: Times typed for a start or an away period.
TIMES: list[str] = [
    "2020-01-01 10:00",
    "yesterday 10am",
    "9999-12-31 10:00",
    "0001-01-01 00:00",
    "2026-02-30 10:00",
    "25:99",
    "in 99999999999 years",
    "in -5h",
    "in 1e309h",
    "NaN",
    "@everyone",
    "tomorrow 10am @everyone",
    "\u200b",
    "in 400 days",
]

#: Durations, reminder offsets, decision lengths.
SPANS: list[str] = ["0m", "-1h", "99999999h", "1e309h", "NaN", "@everyone", "\u200b", "2h<@1>", "1m,2m,3m,4m"]

#: Numbers a client could send for options without limits, and ones it refuses.
NUMBERS: list[int] = [0, -1, 51, 2**31, 2**53, 10**30]
SERIES_COUNTS: list[int] = [0, -1, 1, 53, 2**31, 2**53, 10**30]  # a series is 2 to 52 shifts


@dataclass
class Case:
    command: str
    options: dict[str, Any]
    user: str
    expect: str = REFUSE
    modal: dict[str, str] | None = None
    note: str = ""


@dataclass
class Scene:
    bot: BotProcess
    world: World
    driver: Driver
    people: dict[str, Member]
    ids: dict[str, int]
    channels: list[Channel] = field(default_factory=list)
    turn: int = 0

    def channel(self) -> Channel:
        """A different channel for each case, so accepted offers never queue for a write slot."""
        self.turn += 1
        return self.channels[self.turn % len(self.channels)]


@pytest.fixture(scope="module")
def scene(bot_pool: BotPool, fake: FakeDiscord) -> Iterator[Scene]:
    """Two servers: ours (an offerer, members, an organiser, shifts, a proposal) and someone else's."""
    bot = bot_pool.get("bot", "Rota is ready")
    world, driver = fake.world, Driver(fake)
    guild = world.add_guild("Hostile")
    people = {name: guild.add_member(name) for name in ("alice", "bob", "cara")}
    people["olive"] = guild.add_member("olive", manage_guild=True)
    other = world.add_guild("Elsewhere")
    people["stranger"] = other.add_member("stranger")
    ids = {
        "open": offer(driver, people["alice"], places=3),
        "cancelled": offer(driver, people["alice"], places=3),
        "foreign": offer(driver, people["stranger"], places=3),
    }
    driver.command("shift cancel", user=people["alice"], shift=ids["cancelled"], reason="Rained off")
    driver.command("shift claim", user=people["bob"], shift=ids["open"])
    modal = driver.command("propose", user=people["stranger"])
    kettle = {"Title": "Buy a kettle", "Proposal": "For the stall"}
    proposed = driver.submit_modal(modal, kettle, user=people["stranger"])
    ids["foreign_proposal"] = int(next(w.strip("#.,") for w in proposed.text.split() if w.startswith("#")))
    channels = [guild.add_text_channel(f"c{i}") for i in range(40)]
    yield Scene(bot, world, driver, people, ids, channels)


def shift_cases(s: Scene) -> list[Case]:
    cases: list[Case] = []
    for text, expect in TEXT:
        cases.append(Case("shift offer", {"when": "in 3 days", "where": text}, "alice", expect))
        optional = EITHER if text in INVISIBLE else expect  # notes may be empty, and are then
        cases.append(Case("shift offer", {"when": "in 3 days", "where": "Market", "notes": text}, "alice", optional))
        cases.append(Case("shift edit", {"shift": s.ids["open"], "where": text}, "alice", expect))
        cases.append(Case("shift edit", {"shift": s.ids["open"], "notes": text}, "alice", optional))
        if expect == REFUSE:
            cases.append(Case("shift cancel", {"shift": s.ids["open"], "reason": text}, "alice"))
    for when in TIMES:
        cases.append(Case("shift offer", {"when": when, "where": "Market"}, "alice"))
        cases.append(Case("shift edit", {"shift": s.ids["open"], "when": when}, "alice"))
    for span in SPANS:
        cases.append(Case("shift offer", {"when": "in 3 days", "where": "Market", "duration": span}, "alice"))
        cases.append(Case("shift reminders", {"offsets": span}, "bob"))
    for number in NUMBERS:
        cases.append(Case("shift offer", {"when": "in 3 days", "where": "Market", "places": number}, "alice"))
        cases.append(Case("shift list", {"days": number}, "bob", EITHER))
    for count in SERIES_COUNTS:
        cases.append(
            Case("shift offer", {"when": "in 3 days", "where": "M", "repeat": "weekly", "count": count}, "alice")
        )
    cases.append(Case("shift offer", {"when": "in 3 days", "where": "x" * 101}, "alice", note="overlong"))
    cases.append(Case("shift offer", {"when": "in 3 days", "where": "M", "notes": "n" * 501}, "alice"))
    cases.append(
        Case("shift offer", {"when": "in 3 days", "where": "M", "notes": "\u200b" * 400 + "@everyone"}, "alice")
    )
    shift_ids = [0, -1, 2**53 - 1, 2**53, 10**30, s.ids["foreign"], s.ids["cancelled"]]
    for command in ("shift claim", "shift leave", "shift show", "shift cancel", "shift handoff", "shift edit"):
        for shift_id in shift_ids:
            options: dict[str, Any] = {"shift": shift_id}
            if command == "shift cancel":
                options["reason"] = "because"
            if command == "shift handoff":
                options["to"] = s.people["cara"]
            if command == "shift edit":
                options["where"] = "Elsewhere"
            cases.append(Case(command, options, "alice" if command != "shift claim" else "cara"))
    for target in ("bob", "alice", "stranger"):
        cases.append(Case("shift handoff", {"shift": s.ids["open"], "to": s.people[target]}, "bob"))
    cases.append(Case("shift handoff", {"shift": s.ids["open"], "to": s.world.bot_user}, "bob"))
    return cases


def setup_cases(s: Scene) -> list[Case]:
    cases: list[Case] = []
    zones = ["Mars/Olympus_Mons", "../../etc/passwd", "@everyone", "UTC\u200b", "Europe/London; DROP", "+25:00"]
    for zone in zones:
        cases.append(Case("setup timezone", {"zone": zone}, "olive"))
    for span in SPANS:
        cases.append(Case("setup reminders", {"offsets": span}, "olive"))
        cases.append(Case("setup decisions", {"closes_in": span}, "olive"))
    for text, expect in TEXT:
        if expect == REFUSE:
            cases.append(Case("setup rota", {"rota": text if len(text) >= 2 else text * 2}, "olive"))
    for at in ("25:99", "ab:cd", "99:00", "-1:00", "@here"):
        cases.append(Case("setup rota", {"rota": "facilitator", "at": at}, "olive"))
    for number in NUMBERS:
        cases.append(Case("setup rota", {"rota": "facilitator", "turn_days": number}, "olive"))
    other = next(iter(s.world.guilds[s.people["stranger"].guild.id].channels))
    cases.append(Case("setup channels", {"shifts": other}, "olive", note="another server's channel"))
    return cases


def rota_cases(s: Scene) -> list[Case]:
    cases: list[Case] = []
    for when in TIMES:
        cases.append(Case("rota away", {"until": when}, "bob"))
        cases.append(Case("rota away", {"until": "in 3 days", "from": when}, "bob"))
    for text, _ in TEXT:
        for command in ("rota join", "rota show", "rota pass"):
            cases.append(Case(command, {"rota": text[:32]}, "bob", EITHER if command == "rota show" else REFUSE))
    for target in ("bob", "stranger"):
        cases.append(Case("rota swap", {"with": s.people[target]}, "bob"))
    cases.append(Case("rota swap", {"with": s.world.bot_user}, "bob"))
    return cases


def proposal_cases(s: Scene) -> list[Case]:
    cases: list[Case] = []
    for text, expect in TEXT:
        cases.append(Case("propose", {}, "bob", expect, modal={"Title": text, "Proposal": "A plain body"}))
        cases.append(Case("propose", {}, "bob", expect, modal={"Title": "A plain title", "Proposal": text}))
    for span in SPANS:
        cases.append(Case("propose", {"closes_in": span}, "bob", modal={"Title": "T", "Proposal": "B"}))
    for number in NUMBERS:
        cases.append(Case("propose", {"quorum": number}, "bob", EITHER, modal={"Title": "Q", "Proposal": "B"}))
    for proposal_id in (0, -1, 2**53 - 1, 2**53, s.ids["foreign_proposal"]):
        cases.append(Case("proposal show", {"proposal": proposal_id}, "bob"))
        cases.append(Case("proposal withdraw", {"proposal": proposal_id}, "bob"))
    for number in NUMBERS:
        cases.append(Case("log", {"days": number}, "bob", EITHER))
        cases.append(Case("stats", {"days": number}, "bob", EITHER))
    return cases


AREAS = {"shift": shift_cases, "setup": setup_cases, "rota": rota_cases, "proposals": proposal_cases}


def attempt(s: Scene, case: Case) -> str:
    """Run one case; return how it ended ("client", "refused", "accepted"), failing on any breach."""
    user = s.people[case.user]
    channel = s.channel() if user.guild.id == s.people["alice"].guild.id else None
    before = fingerprint(s.bot)
    try:
        answer = s.driver.command(case.command, user=user, channel=channel, options=case.options)
        if answer.modal is not None:
            assert case.modal is not None, f"{case}: unexpected modal"
            answer = s.driver.submit_modal(answer, case.modal, user=user)
    except RefusedByClient:
        return "client"
    text = answer.text
    where = f"{case.command} {case.options} {case.modal or ''} -> {text[:300]!r}"
    assert "went wrong" not in text and "Traceback" not in text, where
    assert answer.ephemeral, f"a public answer: {where}"
    breaches = s.world.drain_violations()
    assert not breaches, f"{where}: {breaches}"
    changed = fingerprint(s.bot) != before
    if case.expect == REFUSE:
        assert not changed, f"stored data changed: {where}"
    return "accepted" if changed else "refused"


@pytest.mark.parametrize("area", sorted(AREAS))
def test_hostile_input_is_refused_politely_or_made_harmless(scene: Scene, area: str) -> None:
    outcomes = Counter(attempt(scene, case) for case in AREAS[area](scene))
    print(f"hostile {area} cases: {dict(outcomes)}")
    # Cases the client refuses never reach the bot: enough of them must, or the area tests nothing.
    assert outcomes["refused"] + outcomes["accepted"] >= 30, outcomes
    assert scene.bot.running


def test_at_least_two_hundred_cases_run(scene: Scene) -> None:
    """Each area test runs every case of its table (a case either ends or fails that test), so the
    tables are what runs. Counted here from the tables themselves, not from what the area tests left
    behind, so this holds however the tests are selected or ordered (it used to skip when run alone)."""
    sizes = {area: len(cases(scene)) for area, cases in AREAS.items()}
    print(f"hostile cases per area: {sizes}")
    assert sum(sizes.values()) >= 200, sizes
