"""Who may do what to a shift or a proposal: the whole policy as one table (nobody becomes the spokesman).

Each cell runs on its own fresh shift (offered by the author, with Cara holding a place) or proposal,
so cells are independent. Outcomes:

    ok      the action happens (stored data changes)
    same    answered, nothing changes (e.g. claiming a place you already hold)
    no      politely refused, nothing changes (Dan is not a member over there, and a DM's buttons
            answer only the member it was sent to)
    unseen  another server: "can't find", or the client cannot even reach it; nothing changes

Whatever the actor, Cara's place is never touched: there is no way to act for another member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fakediscord import BotProcess, Channel, Driver, Guild, Member, RefusedByClient, World
from tests.reliability.helpers import card_of, fingerprint, offer

ACTORS = ("author", "member", "admin", "facilitator", "elsewhere")

# fmt: off
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    #                            author    member    admin     facilitator  elsewhere (admin there)
    "/shift edit":              ("ok",     "no",     "no",     "no",        "unseen"),
    "/shift cancel":            ("ok",     "no",     "no",     "no",        "unseen"),
    "/shift handoff (to Dan)":  ("ok",     "no",     "no",     "no",        "no"),
    "/shift leave":             ("ok",     "no",     "no",     "no",        "unseen"),
    "Leave button":             ("ok",     "no",     "no",     "no",        "unseen"),
    "/shift claim":             ("same",   "ok",     "ok",     "ok",        "unseen"),
    "Claim button":             ("same",   "ok",     "ok",     "ok",        "unseen"),
    "Accept Dan's handoff":     ("unseen", "unseen", "unseen", "unseen",    "unseen"),  # only Dan sees his DMs
    "/proposal withdraw":       ("ok",     "no",     "no",     "no",        "unseen"),
}
# fmt: on


@dataclass
class Cast:
    bot: BotProcess
    world: World
    driver: Driver
    people: dict[str, Member]
    channels: list[Channel]
    home: Guild

    def fresh_channel(self) -> Channel:
        return self.channels.pop()


@pytest.fixture
def cast(make_bot: Callable[..., BotProcess], world: World, driver: Driver) -> Cast:
    """A bot of its own (the rota's turn jobs stay out of other tests), two servers and five roles."""
    bot = make_bot()
    home = world.add_guild("Policy")
    people = {
        "author": home.add_member("alice"),
        "member": home.add_member("bob"),
        "admin": home.add_member("ada", admin=True),
        "facilitator": home.add_member("fay"),
        "cara": home.add_member("cara"),
        "dan": home.add_member("dan"),
        "elsewhere": world.add_guild("Other place").add_member("eve", admin=True),
    }
    assert "Your first turn is now" in driver.command("rota join", user=people["facilitator"]).text
    assert "Fay" in driver.command("rota show", user=people["member"]).text
    channels = [home.add_text_channel(f"cell-{i}") for i in range(len(MATRIX) * len(ACTORS) + 2)]
    return Cast(bot, world, driver, people, channels, home)


def prepare(c: Cast, action: str, actor: Member) -> Callable[[], Any]:
    """Set up a fresh subject in its own channel; return `actor`'s attempt at `action` on it."""
    d, people = c.driver, c.people
    channel = c.fresh_channel()
    people["dan"] = c.home.add_member(f"dan-{channel.name}")  # a fresh Dan: one handoff DM each
    where = _own(actor, channel)
    if action == "/proposal withdraw":
        modal = d.command("propose", user=people["author"], channel=channel)
        posted = d.submit_modal(modal, {"Title": "Buy a kettle", "Proposal": "For the stall"}, user=people["author"])
        number = int(next(w.strip("#.,") for w in posted.text.split() if w.startswith("#")))
        return lambda: d.command("proposal withdraw", user=actor, channel=where, proposal=number)
    shift_id = offer(d, people["author"], places=5, channel=channel)
    d.command("shift claim", user=people["cara"], shift=shift_id, channel=channel)
    card = card_of(c.world, channel, shift_id)
    commands: dict[str, Callable[[], Any]] = {
        "/shift edit": lambda: d.command("shift edit", user=actor, channel=where, shift=shift_id, where="Elsewhere"),
        "/shift cancel": lambda: d.command("shift cancel", user=actor, channel=where, shift=shift_id, reason="No"),
        "/shift handoff (to Dan)": lambda: d.command(
            "shift handoff", user=actor, channel=where, shift=shift_id, to=people["dan"]
        ),
        "/shift leave": lambda: d.command("shift leave", user=actor, channel=where, shift=shift_id),
        "/shift claim": lambda: d.command("shift claim", user=actor, channel=where, shift=shift_id),
        "Leave button": lambda: d.click(card, "Leave", user=actor),
        "Claim button": lambda: d.click(card, "Claim a place", user=actor),
    }
    if action in commands:
        return commands[action]
    assert action == "Accept Dan's handoff"
    d.command("shift handoff", user=people["author"], channel=channel, shift=shift_id, to=people["dan"])
    request = c.world.wait_until(
        lambda: [m for m in c.world.dms(people["dan"]) if m.buttons and f"#{shift_id} " in m.text], what="the DM"
    )[-1]
    return lambda: d.click(request, "Accept the place", user=actor)


def _own(actor: Member, channel: Channel) -> Channel | None:
    """Members act in the cell's channel; someone from another server acts in their own server."""
    return channel if actor.guild.id == channel.guild_id else None


def outcome(c: Cast, action: str, actor: Member) -> str:
    attempt = prepare(c, action, actor)
    cara = "SELECT COUNT(*) FROM shift_places WHERE user_id = ?", c.people["cara"].id
    cara_before, before = c.bot.rows(*cara), fingerprint(c.bot)
    try:
        answer = attempt()
    except RefusedByClient:
        return "unseen"
    text = answer.text
    assert "went wrong" not in text and (answer.ephemeral or answer.type == 7), f"{action} by {actor}: {text!r}"
    assert c.bot.rows(*cara) == cara_before, f"{action} by {actor} touched Cara's place"
    if "can't find" in text:
        assert fingerprint(c.bot) == before
        return "unseen"
    if fingerprint(c.bot) != before:
        return "ok"
    return "same" if "already have a place" in text else "no"


def test_the_authorisation_matrix(cast: Cast) -> None:
    found: dict[str, tuple[str, ...]] = {}
    for action in MATRIX:
        found[action] = tuple(outcome(cast, action, cast.people[who]) for who in ACTORS)
    assert found == MATRIX
    # Cara, who never acted, still holds every place she claimed (one per shift cell).
    shifts = cast.bot.rows("SELECT COUNT(*) FROM shift_places WHERE user_id = ?", cast.people["cara"].id)
    assert shifts == [(sum(1 for a in MATRIX if a != "/proposal withdraw") * len(ACTORS),)]
