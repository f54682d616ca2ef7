"""Discord's REST API v10, as far as a bot like Rota uses it, with Discord's strictness.

Why a hand-made router: routes are declared by the same path templates as Discord's OpenAPI spec, so
a request's template names both its handler and the schema its body is held against, and anything
unmatched is a 404 that the test hears about.

This module is the plumbing every request goes through: the route table, authorisation, reading the
body, holding it against the OpenAPI schema, rate limits, and turning `ApiError` into Discord's error
answer. The handlers live in one module per Discord resource (users, applications, channels,
messages, threads, guilds, members, interactions, webhooks, gateway_info); base.py holds what they
share.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from ..schema import BodyValidator
from .applications import Applications
from .base import ApiError, Handler, Req
from .channels import Channels
from .gateway_info import GatewayInfo
from .guilds import Guilds
from .interactions import Interactions
from .members import Members
from .messages import Messages
from .threads import Threads
from .users import Users
from .webhooks import Webhooks

if TYPE_CHECKING:
    from ..server import FakeDiscord
    from ..world import World

API_PREFIX = "/api/v10"
MESSAGE_WINDOW = 5.0
MESSAGE_LIMIT = 5
GLOBAL_LIMIT = 50  # requests per second per bot, interaction routes exempt
RESOURCES = (GatewayInfo, Users, Applications, Interactions, Webhooks, Channels, Messages, Threads, Guilds, Members)


@dataclass(frozen=True)
class Bucket:
    """One of Discord's per-route limits: `limit` requests per `window` seconds for each value of the
    route's major parameter (a channel or guild), shared by the routes listed."""

    name: str
    limit: int
    window: float
    major: str | None
    routes: frozenset[tuple[str, str]]


BUCKETS = (
    Bucket(
        "channel-messages",
        MESSAGE_LIMIT,
        MESSAGE_WINDOW,
        "channel_id",
        frozenset(
            {
                ("POST", "/channels/{channel_id}/messages"),
                ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
            }
        ),
    ),
    # Opening DM channels: Discord limits it per bot, far below the message rate.
    Bucket("dm-channels", 10, 10.0, None, frozenset({("POST", "/users/@me/channels")})),
    Bucket(
        "thread-members",
        10,
        10.0,
        "channel_id",
        frozenset(
            {
                ("PUT", "/channels/{channel_id}/thread-members/{user_id}"),
                ("DELETE", "/channels/{channel_id}/thread-members/{user_id}"),
            }
        ),
    ),
    Bucket(
        "member-roles",
        10,
        10.0,
        "guild_id",
        frozenset(
            {
                ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"),
                ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"),
            }
        ),
    ),
)
ROUTE_BUCKETS = {route: bucket for bucket in BUCKETS for route in bucket.routes}


class RateLimits:
    """Fixed windows per bucket and major parameter, like Discord's buckets."""

    def __init__(self) -> None:
        self.windows: dict[str, tuple[float, int]] = {}  # key -> (window end, used)

    def clear(self) -> None:
        """Forget every window: for a test that counts requests from zero."""
        self.windows.clear()

    def hit(
        self, key: str, now: float, limit: int = MESSAGE_LIMIT, window: float = MESSAGE_WINDOW
    ) -> tuple[bool, int, float]:
        end, used = self.windows.get(key, (0.0, 0))
        if now >= end:
            end, used = now + window, 0
        if used >= limit:
            self.windows[key] = (end, used)
            return False, 0, end - now
        used += 1
        self.windows[key] = (end, used)
        return True, limit - used, end - now


class RestApi:
    """Routes each request to its resource's handler, under the world lock, so state changes are atomic."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world: World = fake.world
        self.validator = BodyValidator()
        self.ratelimits = RateLimits()
        self.routes: list[tuple[str, str, re.Pattern[str], int, Handler]] = []
        for resource in RESOURCES:
            resource(fake).declare(self.route)

    # -- routing ---------------------------------------------------------------------------------
    def route(self, method: str, template: str, handler: Handler) -> None:
        regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        literal = sum(1 for part in template.split("/") if part and not part.startswith("{"))
        self.routes.append((method, template, re.compile(regex), literal, handler))

    def match(self, method: str, path: str) -> tuple[str, dict[str, str], Handler] | str | None:
        """The best route: most literal segments wins; a path known for another method gives 'method'."""
        best = None
        path_known = False
        for m, template, regex, literal, handler in self.routes:
            found = regex.match(path)
            if not found:
                continue
            path_known = True
            if m == method and (best is None or literal > best[0]):
                best = (literal, template, found.groupdict(), handler)
        if best is None:
            return "method" if path_known else None
        return best[1], best[2], best[3]

    # -- the aiohttp entry point -----------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        world = self.world
        method = request.method
        path = request.path[len(API_PREFIX) :] or "/"
        label = f"{method} {path}"
        with world.lock:
            world.requests.append(label)
        found = self.match(method, path)
        if not isinstance(found, tuple):
            world.record("unknown_route", f"{label} is not a Discord route the fake knows", label)
            status = 405 if found == "method" else 404
            return self._json(status, {"message": f"{status}: Not Found", "code": 0})
        template, params, handler = found
        auth_error = self._check_auth(request, template)
        if auth_error is not None:
            return auth_error
        req = Req(method, path, template, params, dict(request.query))
        try:
            await self._read_body(request, req)
        except ValueError as exc:
            world.record("bad_body", str(exc), label)
            return self._json(400, {"message": "400: Bad Request", "code": 50109})
        headers: dict[str, str] = {}
        limited = self._rate_limit(req, headers)
        if limited is not None:
            return limited
        if req.body is not None and method != "GET":
            for problem in self.validator.problems(method, template, req.body):
                world.record("openapi", problem, f"{method} {template}")
        try:
            with world.lock:
                resp = handler(req)
                world.notify()
        except ApiError as err:
            if err.violation:
                world.record(err.violation, f"{err.code} {err.message}", f"{method} {template}")
            return self._json(err.status, {"message": err.message, "code": err.code}, headers)
        if resp.status == 204:
            return web.Response(status=204, headers=headers)
        return self._json(resp.status, resp.body, headers)

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py parses a body only when Content-Type is exactly application/json.
        out = {"Content-Type": "application/json", **(headers or {})}
        return web.Response(status=status, body=json.dumps(body).encode(), headers=out)

    def _check_auth(self, request: web.Request, template: str) -> web.Response | None:
        """Interaction and webhook-token routes are authorised by their token; all else by the bot's."""
        if template.startswith(("/interactions/", "/webhooks/{webhook_id}/{webhook_token}")):
            auth = request.headers.get("Authorization")
            if auth is None or auth == f"Bot {self.fake.token}":
                return None
        elif request.headers.get("Authorization") == f"Bot {self.fake.token}":
            return None
        return self._json(401, {"message": "401: Unauthorized", "code": 0})

    async def _read_body(self, request: web.Request, req: Req) -> None:
        if not request.can_read_body:
            return
        ctype = request.content_type
        if ctype == "multipart/form-data":
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                assert isinstance(part, BodyPartReader)  # a flat form: no nested multipart
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    req.body = json.loads(data)
                elif (m := re.fullmatch(r"files\[(\d+)\]", name)) is not None:
                    filename = part.filename or f"file{m.group(1)}"
                    req.files[int(m.group(1))] = (filename, part.headers.get("Content-Type"), bytes(data))
                else:
                    raise ValueError(f"unexpected multipart field {name!r}")
            return
        raw = await request.read()
        if not raw:
            return
        if ctype != "application/json":
            raise ValueError(f"body sent as {ctype!r}, not application/json")
        try:
            req.body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from exc

    def _rate_limit(self, req: Req, headers: dict[str, str]) -> web.Response | None:
        """Fill X-RateLimit-* headers; answer 429 (with Via, as Discord's edge does) when over a
        route's bucket or the global limit."""
        world = self.world
        now = time.time()
        injected = world.injected_429.get((req.method, req.template))
        if injected:
            with world.lock:
                retry = injected.pop(0)
                world.rate_limited.append(f"{req.method} {req.path} (injected)")
            return self._too_many(retry, "injected", now, headers)
        if not req.template.startswith(("/interactions/", "/webhooks/{webhook_id}/{webhook_token}")):
            with world.lock:
                ok, _, reset_after = self.ratelimits.hit("global", now, GLOBAL_LIMIT, 1.0)
            if not ok:
                return self._served_429(req, reset_after, "global", now, headers, global_=True)
        bucket = ROUTE_BUCKETS.get((req.method, req.template))
        if bucket is None:
            headers.update(
                {
                    "X-RateLimit-Limit": "50",
                    "X-RateLimit-Remaining": "49",
                    "X-RateLimit-Reset": f"{now + 1:.3f}",
                    "X-RateLimit-Reset-After": "1.000",
                    "X-RateLimit-Bucket": "%08x" % (hash(req.template) & 0xFFFFFFFF),
                }
            )
            return None
        key = f"{bucket.name}:{req.params.get(bucket.major, '') if bucket.major else ''}"
        with world.lock:
            ok, remaining, reset_after = self.ratelimits.hit(key, now, bucket.limit, bucket.window)
        headers.update(
            {
                "X-RateLimit-Limit": str(bucket.limit),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": f"{now + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": bucket.name,
            }
        )
        if ok:
            return None
        return self._served_429(req, reset_after, bucket.name, now, headers)

    def _served_429(
        self, req: Req, retry_after: float, bucket: str, now: float, headers: dict[str, str], *, global_: bool = False
    ) -> web.Response:
        world = self.world
        with world.lock:
            world.rate_limited.append(f"{req.method} {req.path}" + (" (global)" if global_ else ""))
            if world.fail_on_429:
                world.record("rate_limited", f"429 served for {req.method} {req.path}", req.template)
        return self._too_many(retry_after, bucket, now, headers, global_=global_)

    def _too_many(
        self, retry_after: float, bucket: str, now: float, headers: dict[str, str], *, global_: bool = False
    ) -> web.Response:
        common = {"Retry-After": str(max(1, math.ceil(retry_after))), "Via": "1.1 google"}
        if global_:
            # Discord's global 429 names no route bucket: only the global flag and scope.
            headers.clear()
            headers.update({"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global", **common})
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": headers.get("X-RateLimit-Limit", str(MESSAGE_LIMIT)),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{now + retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Bucket": bucket,
                    "X-RateLimit-Scope": "user",
                    **common,
                }
            )
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": global_}
        return self._json(429, body, headers)
