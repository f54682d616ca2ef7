"""The fake's two validators agree: the compiled one (jsonschema-rs) that checks every body, and the
pure-Python one that words the problems of a body that fails."""

from __future__ import annotations

from typing import Any

import pytest

from fakediscord.schema import BodyValidator

CALLBACK = ("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
MESSAGE = ("POST", "/channels/{channel_id}/messages")
EDIT = ("PATCH", "/channels/{channel_id}/messages/{message_id}")

BUTTON = {"type": 2, "style": 1, "label": "Claim a place", "custom_id": "shift:claim:1"}
BODIES: list[tuple[tuple[str, str], Any]] = [
    (CALLBACK, {"type": 4, "data": {"content": "You have a place.", "flags": 64, "allowed_mentions": {"parse": []}}}),
    (CALLBACK, {"type": 5, "data": {"flags": 64}}),
    (CALLBACK, {"type": 4, "data": {"content": "x" * 2001}}),  # over Discord's 2,000 characters
    (CALLBACK, {"type": 99}),  # no such callback
    (CALLBACK, {"type": "4", "data": {"content": "an integer as a numeric string"}}),
    (CALLBACK, {"type": "four"}),
    (MESSAGE, {"content": "hello", "nonce": "rota-12", "allowed_mentions": {"parse": []}}),
    (MESSAGE, {"embeds": [{"title": "t" * 257}]}),  # titles stop at 256
    (MESSAGE, {"embeds": [{"title": "Shift #1", "fields": [{"name": "n", "value": "v"}] * 26}]}),  # 25 fields
    (MESSAGE, {"components": [{"type": 1, "components": [BUTTON]}]}),
    (MESSAGE, {"components": [{"type": 1, "components": [BUTTON] * 6}]}),  # 5 buttons per row
    (MESSAGE, {"message_reference": {"message_id": "1576845982878925862"}, "content": "a snowflake string"}),
    (MESSAGE, {"message_reference": {"message_id": 1576845982878925862}, "content": "a snowflake number"}),
    (EDIT, {"content": None, "embeds": [{"title": "Shift #1", "color": 5763719}], "components": []}),
    (EDIT, {"embeds": [{"title": "Shift #1", "color": "green"}]}),
]


@pytest.mark.parametrize(("route", "body"), BODIES)
def test_the_compiled_and_the_python_validator_agree(route: tuple[str, str], body: Any) -> None:
    validator = BodyValidator()
    validator.problems(*route, {})  # build both validators for the route
    fast = validator._fast[route]
    slow = validator._cache[route]
    assert fast.is_valid(body) == (not list(slow.iter_errors(body)))


def test_a_failing_body_is_still_worded_by_the_python_validator() -> None:
    problems = BodyValidator().problems(*CALLBACK, {"type": 4, "data": {"content": "x" * 2001}})
    assert problems and "content" in problems[0]
