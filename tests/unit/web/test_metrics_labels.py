"""Metric labels are bounded and carry no ids or tokens."""

from __future__ import annotations

from bot.metrics import route_of


def test_route_templates_hide_ids_and_tokens() -> None:
    assert route_of("/api/v10/channels/123/messages/456") == "/channels/{id}/messages/{id}"
    assert route_of("/api/v10/interactions/99/aW50ZXJhY3Rpb24/callback") == "/interactions/{id}/{token}/callback"
    assert (
        route_of("/api/v10/webhooks/7/secret-token/messages/@original") == "/webhooks/{id}/{token}/messages/@original"
    )
    assert route_of("/api/v10/users/@me/channels") == "/users/@me/channels"
