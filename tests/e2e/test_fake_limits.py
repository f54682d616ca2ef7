"""Discord's limits and mention rules as the fake applies them (pure functions, no bot needed)."""

from __future__ import annotations

import pytest

from fakediscord.limits import autocomplete_problems, message_problems, modal_problems, pings
from fakediscord.schema import BodyValidator


def button(label: str = "ok", custom_id: str = "b") -> dict:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def row(*items: dict) -> dict:
    return {"type": 1, "components": list(items)}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"content": "x" * 2000}, []),
        ({"content": "x" * 2001}, ["content is 2001 characters"]),
        ({"embeds": [{"title": "t" * 257}]}, ["title is 257"]),
        ({"embeds": [{"description": "d" * 4097}]}, ["description is 4097"]),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, ["26 fields"]),
        ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v" * 1025}]}]}, ["name is 257", "value is 1025"]),
        ({"embeds": [{"footer": {"text": "f" * 2049}, "author": {"name": "a" * 257}}]}, ["footer", "author"]),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, ["total 6001"]),
        ({"embeds": [{"title": "t"}] * 11}, ["11 embeds"]),
        ({"components": [row(button(custom_id=str(i))) for i in range(6)]}, ["6 action rows"]),
        ({"components": [row(*[button(custom_id=str(i)) for i in range(6)])]}, ["6 buttons"]),
        ({"components": [row(button(custom_id="c" * 101))]}, ["custom_id is 101"]),
        ({"components": [row(button(label="l" * 81))]}, ["label is 81"]),
        ({"components": [row(button(custom_id="same"), button(custom_id="same"))]}, ["used twice"]),
        (
            {"components": [row({"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}] * 26})]},
            ["26 options"],
        ),
    ],
)
def test_message_limits(payload: dict, expected: list[str]) -> None:
    problems = message_problems(payload)
    assert len(problems) == len(expected), problems
    for problem, part in zip(problems, expected, strict=True):
        assert part in problem


def test_modal_and_autocomplete_limits() -> None:
    modal = {"title": "t" * 46, "custom_id": "m", "components": [row({"type": 4, "custom_id": "x", "label": "X"})]}
    assert any("title is 46" in p for p in modal_problems(modal))
    assert any("26 autocomplete" in p for p in autocomplete_problems({"choices": [{"name": "a", "value": "a"}] * 26}))
    assert any("name is 101" in p for p in autocomplete_problems({"choices": [{"name": "n" * 101, "value": "a"}]}))


ALICE, BOB, ROLE = 111, 222, 333
TEXT = f"<@{ALICE}> <@!{BOB}> <@&{ROLE}> @here"


@pytest.mark.parametrize(
    ("allowed", "users", "roles", "everyone"),
    [
        (None, [ALICE, BOB], [ROLE], True),  # no allowed_mentions: everything mentioned pings
        ({"parse": []}, [], [], False),
        ({"parse": ["users"]}, [ALICE, BOB], [], False),
        ({"parse": ["roles", "everyone"]}, [], [ROLE], True),
        ({"users": [str(BOB)]}, [BOB], [], False),
        ({"roles": [str(ROLE)], "parse": ["users"]}, [ALICE, BOB], [ROLE], False),
    ],
)
def test_allowed_mentions(allowed: dict | None, users: list[int], roles: list[int], everyone: bool) -> None:
    payload: dict = {"content": TEXT, "embeds": [{"description": f"<@{999}> @everyone"}]}
    if allowed is not None:
        payload["allowed_mentions"] = allowed
    assert pings(payload, replied_author_id=None) == {"users": users, "roles": roles, "everyone": everyone}


def test_replies_ping_their_author_unless_told_not_to() -> None:
    assert pings({"content": "ok"}, replied_author_id=ALICE)["users"] == [ALICE]
    assert pings({"content": "ok", "allowed_mentions": {"parse": []}}, replied_author_id=ALICE)["users"] == []
    told = {"content": "ok", "allowed_mentions": {"parse": [], "replied_user": True}}
    assert pings(told, replied_author_id=ALICE)["users"] == [ALICE]


def test_openapi_conventions_numeric_strings_and_snowflakes() -> None:
    validator = BodyValidator()
    ok = {"content": "x", "flags": "4096", "message_reference": {"message_id": 12345, "channel_id": "678"}}
    assert validator.problems("POST", "/channels/{channel_id}/messages", ok) == []
    bad = {"content": "x", "flags": "lots"}
    [problem] = validator.problems("POST", "/channels/{channel_id}/messages", bad)
    assert problem.startswith("/flags:")


def test_openapi_names_the_pointer_inside_a_union() -> None:
    body = {"type": 9, "data": {"custom_id": "m", "title": "ok", "components": [row(button())]}}
    problems = BodyValidator().problems("POST", "/interactions/{interaction_id}/{interaction_token}/callback", body)
    assert problems and problems[0].startswith("/data/components/0")
