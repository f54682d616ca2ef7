"""The feed's HTTP details: ETag matching, the client address behind a proxy, the refresh hint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
from aiohttp.test_utils import make_mocked_request

from bot.domain.ical import CalendarEvent, calendar
from bot.web.feeds import client_address, etag_matches


def test_if_none_match_lists_weak_tags_and_star() -> None:
    assert etag_matches('"abc"', '"abc"')
    assert etag_matches('W/"abc", "def"', '"abc"')
    assert etag_matches("*", '"abc"')
    assert not etag_matches('"abd"', '"abc"') and not etag_matches("", '"abc"')


def test_forwarded_address_is_trusted_only_from_a_proxy_nearby() -> None:
    def request(peer: str, forwarded: str | None) -> str:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return client_address(make_mocked_request("GET", "/", headers=headers).clone(remote=peer))

    assert request("127.0.0.1", "9.9.9.9, 8.8.4.4") == "8.8.4.4"  # the hop our proxy saw
    assert request("8.8.8.8", "10.0.0.1") == "8.8.8.8"  # a stranger cannot pick its own address
    assert request("8.8.8.8", None) == "8.8.8.8"


def test_a_feed_says_how_often_to_refresh_and_links_each_event() -> None:
    when = datetime(2026, 12, 5, 10, tzinfo=UTC)
    event = CalendarEvent(
        uid="shift-1-2@rota",
        starts=when,
        ends=when + timedelta(hours=2),
        summary="Shift #1",
        location="Hall",
        description="",
        cancelled=False,
        stamp=when,
        url="https://discord.com/channels/2/3",
    )
    parsed = icalendar.Calendar.from_ical(calendar([event], name="Feed", refresh=timedelta(minutes=30)))
    assert parsed.decoded("REFRESH-INTERVAL") == timedelta(minutes=30)
    assert str(parsed["X-PUBLISHED-TTL"]) == "PT30M"
    assert str(next(iter(parsed.walk("VEVENT")))["URL"]) == "https://discord.com/channels/2/3"
