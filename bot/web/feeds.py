"""GET /calendar/{token}.ics: a member's shifts, or a server's open places, as a subscribed calendar.

A wrong or revoked token gets the same bare 404 as any unknown path (nothing says whether a link
ever existed). Each client address, and each link, has a rate limit (429 with Retry-After). The
body is the same bytes for the same shifts, so its hash is a strong ETag and unchanged feeds cost
a 304.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import TYPE_CHECKING

from aiohttp import web

from bot import metrics
from bot.services.feeds import MINE
from bot.ui import calendar_render
from bot.ui.i18n import speaking
from bot.web.ratelimit import RateLimiter, retry_after

if TYPE_CHECKING:
    from bot.app import RotaBot

#: Calendar apps fetch a feed every few minutes at most; a client far above that is hammering.
PER_ADDRESS = (60.0, 1.0)  # burst, then per second
PER_LINK = (20.0, 0.1)
CACHE_CONTROL = "private, max-age=300"  # private: the URL is a secret, no shared cache keeps it


def client_address(request: web.Request) -> str:
    """The client's address: from X-Forwarded-For (its last hop) when the request comes through a
    reverse proxy on this machine or a private network, else the peer itself."""
    peer = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        try:
            via_proxy = ipaddress.ip_address(peer).is_private
        except ValueError:
            via_proxy = False
        if via_proxy:
            return forwarded.split(",")[-1].strip() or peer
    return peer


def not_found() -> web.Response:
    return web.Response(status=404, text="Not found\n")


def too_many(wait: float) -> web.Response:
    return web.Response(status=429, text="Too many requests\n", headers={"Retry-After": retry_after(wait)})


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match (RFC 9110 13.1.2): `*`, or any listed tag equal by the weak comparison."""
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


class FeedHandler:
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.per_address = RateLimiter(*PER_ADDRESS)
        self.per_link = RateLimiter(*PER_LINK)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        wait = self.per_address.take(client_address(request))
        if wait:
            metrics.FEED_REQUESTS.labels("unknown", "429").inc()
            return too_many(wait)
        owner = await self.bot.services.feeds.owner(request.match_info["token"])
        if owner is None:
            metrics.FEED_REQUESTS.labels("unknown", "404").inc()
            return not_found()
        wait = self.per_link.take(owner.token_hash)
        if wait:
            metrics.FEED_REQUESTS.labels(owner.kind, "429").inc()
            return too_many(wait)
        feed = await self.bot.services.feeds.feed(owner)
        guild = self.bot.get_guild(owner.guild_id)
        server = guild.name if guild is not None else None
        if owner.kind == MINE:
            language = await self.bot.services.languages.of_member(owner.user_id)
            with speaking(language or await self.bot.language_of_server(owner.guild_id)):
                body = calendar_render.member_feed(feed.shifts, feed.held, feed.waiting, server=server)
        else:
            with speaking(await self.bot.language_of_server(owner.guild_id)):
                body = calendar_render.group_feed(feed.shifts, feed.roles, server=server)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            metrics.FEED_REQUESTS.labels(owner.kind, "304").inc()
            return web.Response(status=304, headers=headers)
        metrics.FEED_REQUESTS.labels(owner.kind, "200").inc()
        return web.Response(body=body, content_type="text/calendar", charset="utf-8", headers=headers)
