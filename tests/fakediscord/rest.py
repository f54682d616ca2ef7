"""Discord's REST API v10, as far as a bot like Rota uses it, with Discord's strictness.

Why a hand-made router: routes are declared by the same path templates as Discord's OpenAPI spec, so
a request's template names both its handler and the schema its body is held against, and anything
unmatched is a 404 that the test hears about.
"""

from __future__ import annotations

import json
import math
import mimetypes
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import limits
from .constants import (
    ADMINISTRATOR,
    ATTACH_FILES,
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    DM,
    EPHEMERAL,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    IS_COMPONENTS_V2,
    LOADING,
    MANAGE_CHANNELS,
    MANAGE_MESSAGES,
    MANAGE_ROLES,
    MANAGE_THREADS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
)
from .entities import Attachment, Channel, Guild, Interaction, Member, Message, Role, iso
from .schema import BodyValidator
from .world import World

if TYPE_CHECKING:
    from .server import FakeDiscord

API_PREFIX = "/api/v10"
MESSAGE_WINDOW = 5.0
MESSAGE_LIMIT = 5
INTERACTION_DEADLINE = 3.0


NONCE_WINDOW = 300.0  # seconds in which Discord dedupes a repeated nonce ("the past few minutes")


class ApiError(Exception):
    """An error answer in Discord's shape: HTTP status, JSON error code and message."""

    def __init__(self, status: int, code: int, message: str, violation: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.violation = violation


def not_found(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")


@dataclass
class Req:
    method: str
    path: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any = None
    files: dict[int, tuple[str, str | None, bytes]] = field(default_factory=dict)


@dataclass
class Resp:
    status: int = 204
    body: Any = None


Handler = Callable[[Req], Resp]


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "yes")


class RateLimits:
    """Fixed windows per channel for message creates and edits, like Discord's per-channel bucket."""

    def __init__(self) -> None:
        self.windows: dict[str, tuple[float, int]] = {}  # key -> (window end, used)

    def hit(self, key: str, now: float) -> tuple[bool, int, float]:
        end, used = self.windows.get(key, (0.0, 0))
        if now >= end:
            end, used = now + MESSAGE_WINDOW, 0
        if used >= MESSAGE_LIMIT:
            self.windows[key] = (end, used)
            return False, 0, end - now
        used += 1
        self.windows[key] = (end, used)
        return True, MESSAGE_LIMIT - used, end - now


class RestApi:
    """The handlers. Each runs under the world lock and never awaits, so state changes are atomic."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world: World = fake.world
        self.validator = BodyValidator()
        self.ratelimits = RateLimits()
        self.routes: list[tuple[str, str, re.Pattern[str], int, Handler]] = []
        self._declare()

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

    def _declare(self) -> None:
        r = self.route
        r("GET", "/gateway", self.get_gateway)
        r("GET", "/gateway/bot", self.get_gateway_bot)
        r("GET", "/users/@me", self.get_me)
        r("GET", "/users/{user_id}", self.get_user)
        r("GET", "/users/@me/guilds", self.my_guilds)
        r("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild)
        r("GET", "/oauth2/applications/@me", self.get_application)
        r("GET", "/applications/@me", self.get_application)
        r("POST", "/users/@me/channels", self.create_dm)
        for base in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            r("GET", base + "/commands", self.list_commands)
            r("PUT", base + "/commands", self.overwrite_commands)
            r("POST", base + "/commands", self.create_command)
            r("GET", base + "/commands/{command_id}", self.get_command)
            r("PATCH", base + "/commands/{command_id}", self.edit_command)
            r("DELETE", base + "/commands/{command_id}", self.delete_command)
        r("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self.interaction_callback)
        r("POST", "/webhooks/{webhook_id}/{webhook_token}", self.followup)
        for msg in ("@original", "{message_id}"):
            base = "/webhooks/{webhook_id}/{webhook_token}/messages/" + msg
            r("GET", base, self.webhook_get)
            r("PATCH", base, self.webhook_edit)
            r("DELETE", base, self.webhook_delete)
        r("GET", "/channels/{channel_id}", self.get_channel)
        r("PATCH", "/channels/{channel_id}", self.edit_channel)
        r("DELETE", "/channels/{channel_id}", self.delete_channel)
        r("GET", "/channels/{channel_id}/thread-members/{user_id}", self.get_thread_member)
        r("GET", "/channels/{channel_id}/messages", self.list_messages)
        r("POST", "/channels/{channel_id}/messages", self.create_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        r("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.no_content)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.no_content)
        r("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self.no_content)
        r("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self.no_content)
        r("PUT", "/channels/{channel_id}/pins/{message_id}", self.no_content)
        r("DELETE", "/channels/{channel_id}/pins/{message_id}", self.no_content)
        r("POST", "/channels/{channel_id}/typing", self.no_content)
        r("POST", "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message)
        r("POST", "/channels/{channel_id}/threads", self.thread_without_message)
        r("GET", "/channels/{channel_id}/thread-members", self.list_thread_members)
        r("PUT", "/channels/{channel_id}/thread-members/@me", self.join_thread)
        r("DELETE", "/channels/{channel_id}/thread-members/@me", self.leave_thread)
        r("PUT", "/channels/{channel_id}/thread-members/{user_id}", self.add_thread_member)
        r("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self.remove_thread_member)
        r("GET", "/guilds/{guild_id}", self.get_guild)
        r("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self.get_roles)
        r("POST", "/guilds/{guild_id}/roles", self.create_role)
        r("GET", "/guilds/{guild_id}/roles/{role_id}", self.get_role)
        r("PATCH", "/guilds/{guild_id}/roles/{role_id}", self.edit_role)
        r("DELETE", "/guilds/{guild_id}/roles/{role_id}", self.delete_role)
        r("PATCH", "/guilds/{guild_id}/members/{user_id}", self.edit_member)
        r("GET", "/guilds/{guild_id}/members", self.list_members)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        r("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.add_member_role)
        r("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.remove_member_role)
        r("GET", "/guilds/{guild_id}/threads/active", self.active_threads)

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
                name = part.name or ""
                data = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    req.body = json.loads(data)
                elif (m := re.fullmatch(r"files\[(\d+)\]", name)) is not None:
                    filename = part.filename or f"file{m.group(1)}"  # type: ignore[union-attr]
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
        """Fill X-RateLimit-* headers; answer 429 (with Via, as Discord's edge does) when over."""
        world = self.world
        now = time.time()
        injected = world.injected_429.get((req.method, req.template))
        if injected:
            with world.lock:
                retry = injected.pop(0)
                world.rate_limited.append(f"{req.method} {req.path} (injected)")
            return self._too_many(retry, "injected", now, headers)
        is_message_write = req.template in (
            "/channels/{channel_id}/messages",
            "/channels/{channel_id}/messages/{message_id}",
        ) and req.method in ("POST", "PATCH")
        if not is_message_write:
            bucket = "%08x" % (hash(req.template) & 0xFFFFFFFF)
            headers.update(
                {
                    "X-RateLimit-Limit": "50",
                    "X-RateLimit-Remaining": "49",
                    "X-RateLimit-Reset": f"{now + 1:.3f}",
                    "X-RateLimit-Reset-After": "1.000",
                    "X-RateLimit-Bucket": bucket,
                }
            )
            return None
        with world.lock:
            ok, remaining, reset_after = self.ratelimits.hit(req.params["channel_id"], now)
        headers.update(
            {
                "X-RateLimit-Limit": str(MESSAGE_LIMIT),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": f"{now + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": "channel-messages",
            }
        )
        if ok:
            return None
        with world.lock:
            world.rate_limited.append(f"{req.method} {req.path}")
            if world.fail_on_429:
                world.record("rate_limited", f"429 served for {req.method} {req.path}", req.template)
        return self._too_many(reset_after, "channel-messages", now, headers)

    def _too_many(self, retry_after: float, bucket: str, now: float, headers: dict[str, str]) -> web.Response:
        headers.update(
            {
                "X-RateLimit-Limit": headers.get("X-RateLimit-Limit", str(MESSAGE_LIMIT)),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{now + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": bucket,
                "X-RateLimit-Scope": "user",
                "Retry-After": str(max(1, math.ceil(retry_after))),
                "Via": "1.1 google",
            }
        )
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": False}
        return self._json(429, body, headers)

    # -- lookups ---------------------------------------------------------------------------------
    def _channel(self, req: Req) -> Channel:
        chan = self.world.channels.get(_int(req.params["channel_id"]))
        if chan is None:
            raise not_found("Channel", 10003)
        return chan

    def _guild(self, req: Req) -> Guild:
        guild = self.world.guilds.get(_int(req.params["guild_id"]))
        if guild is None or self.world.bot_user.id not in guild.members:
            raise not_found("Guild", 10004)
        return guild

    def _member(self, guild: Guild, user_id: str) -> Member:
        member = guild.members.get(_int(user_id))
        if member is None:
            raise not_found("Member", 10007)
        return member

    def _message(self, chan: Channel, message_id: str) -> Message:
        msg = self.world.all_messages.get(_int(message_id))
        if msg is None or msg.channel_id != chan.id or msg.deleted:
            raise not_found("Message", 10008)
        return msg

    def _bot_can(self, guild: Guild | None, permission: int) -> bool:
        if guild is None:
            return True
        perms = guild.bot_member.permissions
        return bool(perms & ADMINISTRATOR or perms & permission == permission)

    def _require(self, guild: Guild | None, permission: int) -> None:
        if not self._bot_can(guild, permission):
            raise ApiError(*MISSING_PERMISSIONS)

    # -- simple reads ----------------------------------------------------------------------------
    def no_content(self, req: Req) -> Resp:
        return Resp()

    def get_gateway(self, req: Req) -> Resp:
        return Resp(200, {"url": self.fake.gateway_url})

    def get_gateway_bot(self, req: Req) -> Resp:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}
        return Resp(200, {"url": self.fake.gateway_url, "shards": 1, "session_start_limit": limit})

    def get_me(self, req: Req) -> Resp:
        data = self.world.bot_user.to_json()
        data.update(verified=True, mfa_enabled=False, locale="en-US", email=None)
        return Resp(200, data)

    def get_user(self, req: Req) -> Resp:
        user = self.world.users.get(_int(req.params["user_id"]))
        if user is None:
            raise not_found("User", 10013)
        return Resp(200, user.to_json())

    def my_guilds(self, req: Req) -> Resp:
        """The bot's guilds as partial objects, paged by id like Discord."""
        world = self.world
        guilds = sorted((g for g in world.guilds.values() if world.bot_user.id in g.members), key=lambda g: g.id)
        if "after" in req.query:
            guilds = [g for g in guilds if g.id > _int(req.query["after"])]
        if "before" in req.query:
            guilds = [g for g in guilds if g.id < _int(req.query["before"])]
        limit = max(1, min(200, int(req.query.get("limit", 200))))
        out = []
        for guild in guilds[:limit]:
            data = {
                "id": str(guild.id),
                "name": guild.name,
                "icon": None,
                "banner": None,
                "owner": guild.owner_id == world.bot_user.id,
                "permissions": str(guild.bot_member.permissions),
                "features": [],
            }
            if _truthy(req.query.get("with_counts")):
                data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
            out.append(data)
        return Resp(200, out)

    def leave_guild(self, req: Req) -> Resp:
        guild = self._guild(req)
        self.world.remove_bot(guild)
        return Resp()

    def get_application(self, req: Req) -> Resp:
        world = self.world
        owner = self.fake.app_owner
        return Resp(
            200,
            {
                "id": str(world.application_id),
                "name": world.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": world.bot_user.to_json(),
                "owner": owner.to_json(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "tags": [],
                "hook": True,
                "is_monetized": False,
                "integration_types_config": {"0": {}},
                "approximate_guild_count": len(world.guilds),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
            },
        )

    def create_dm(self, req: Req) -> Resp:
        world = self.world
        body = req.body or {}
        user = world.users.get(_int(body.get("recipient_id")))
        if user is None:
            raise ApiError(400, 50035, "Invalid Form Body")
        if user.dm_channel_id is None:
            chan = Channel(world, world.snowflake(), DM, recipient_id=user.id, created_at=world.now())
            world.channels[chan.id] = chan
            user.dm_channel_id = chan.id
        return Resp(200, world.channels[user.dm_channel_id].to_json())

    # -- application commands --------------------------------------------------------------------
    def _command_list(self, req: Req) -> list[dict[str, Any]]:
        if _int(req.params["application_id"]) != self.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" in req.params:
            guild = self._guild(req)
            return self.world.guild_commands.setdefault(guild.id, [])
        return self.world.global_commands

    def _normalise_command(self, req: Req, data: dict[str, Any], existing: list[dict[str, Any]]) -> dict[str, Any]:
        kind = data.get("type", 1)
        old = next((c for c in existing if c["name"] == data.get("name") and c["type"] == kind), None)
        perms = data.get("default_member_permissions")
        cmd = {
            "id": old["id"] if old else str(self.world.snowflake()),
            "application_id": str(self.world.application_id),
            "version": str(self.world.snowflake()),
            "type": kind,
            "name": data.get("name"),
            "name_localizations": data.get("name_localizations"),
            "description": data.get("description", ""),
            "description_localizations": data.get("description_localizations"),
            "options": data.get("options") or [],
            "default_member_permissions": None if perms is None else str(perms),
            "dm_permission": data.get("dm_permission", True),
            "contexts": data.get("contexts"),
            "integration_types": data.get("integration_types") or [0],
            "nsfw": data.get("nsfw", False),
        }
        if "guild_id" in req.params:
            cmd["guild_id"] = req.params["guild_id"]
        return cmd

    def list_commands(self, req: Req) -> Resp:
        return Resp(200, self._command_list(req))

    def overwrite_commands(self, req: Req) -> Resp:
        existing = self._command_list(req)
        body = req.body or []
        if not isinstance(body, list):
            raise ApiError(400, 50035, "Invalid Form Body")
        new = [self._normalise_command(req, c, existing) for c in body]
        names = [(c["name"], c["type"]) for c in new]
        if len(set(names)) != len(names):
            raise ApiError(400, 50035, "Invalid Form Body: duplicate command name", violation="bad_commands")
        existing[:] = new
        return Resp(200, new)

    def create_command(self, req: Req) -> Resp:
        existing = self._command_list(req)
        cmd = self._normalise_command(req, req.body or {}, existing)
        existing[:] = [c for c in existing if c["id"] != cmd["id"]] + [cmd]
        return Resp(201, cmd)

    def _find_command(self, req: Req) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        existing = self._command_list(req)
        for cmd in existing:
            if cmd["id"] == req.params["command_id"]:
                return existing, cmd
        raise not_found("application command", 10063)

    def get_command(self, req: Req) -> Resp:
        return Resp(200, self._find_command(req)[1])

    def edit_command(self, req: Req) -> Resp:
        _, cmd = self._find_command(req)
        for key, value in (req.body or {}).items():
            cmd[key] = value
        return Resp(200, cmd)

    def delete_command(self, req: Req) -> Resp:
        existing, cmd = self._find_command(req)
        existing.remove(cmd)
        return Resp()

    # -- messages: the shared core ---------------------------------------------------------------
    def _check_message(self, req: Req, body: dict[str, Any]) -> None:
        for problem in limits.message_problems(body):
            self.world.record("message_limit", problem, f"{req.method} {req.template}")

    def _new_attachments(
        self, req: Req, body: dict[str, Any], chan_id: int, keep: list[Attachment] | None = None
    ) -> list[Attachment]:
        """Attachments after a create or edit: kept ones listed by id, new ones by file index."""
        world = self.world
        listed = body.get("attachments")
        out: list[Attachment] = []
        used: set[int] = set()
        if listed is not None:
            by_id = {a.id: a for a in keep or []}
            for item in listed:
                ref = _int(item.get("id"))
                if ref in req.files and ref not in used:
                    used.add(ref)
                    out.append(self._store_file(req, ref, chan_id, item.get("filename"), item.get("description")))
                elif ref in by_id:
                    out.append(by_id[ref])
                else:
                    world.record(
                        "bad_attachment",
                        f"attachment id {ref} is neither a file index nor kept",
                        f"{req.method} {req.template}",
                    )
        elif keep:
            out = list(keep)
        for index in sorted(req.files):
            if index not in used:
                out.append(self._store_file(req, index, chan_id, None, None))
        return out

    def _store_file(
        self, req: Req, index: int, chan_id: int, filename: str | None, description: str | None
    ) -> Attachment:
        name, ctype, data = req.files[index]
        name = filename or name
        guessed = mimetypes.guess_type(name)[0]
        if not ctype or ctype == "application/octet-stream":
            ctype = guessed or ctype
        att_id = self.world.snowflake()
        url = f"{self.world.attachment_base}/attachments/{chan_id}/{att_id}/{name}"
        return Attachment(att_id, name, data, content_type=ctype, description=description, url=url)

    def _ping_check(self, req: Req, msg: Message, body: dict[str, Any], replied: Message | None) -> None:
        """Record who would be notified; a violation unless the test said pings are expected."""
        world = self.world
        chan = world.channels[msg.channel_id]
        replied_author = replied.author.id if replied is not None else None
        result = limits.pings(body, replied_author_id=replied_author)
        result["users"] = [u for u in result["users"] if u != world.bot_user.id]
        msg.mention_user_ids = list(result["users"])
        msg.mention_role_ids = list(result["roles"])
        msg.mention_everyone = result["everyone"]
        if chan.type == DM or msg.ephemeral:
            return
        if result["users"] or result["roles"] or result["everyone"]:
            who = []
            who += [world.users[u].username if u in world.users else str(u) for u in result["users"]]
            who += [f"role {r}" for r in result["roles"]]
            who += ["@everyone/@here"] if result["everyone"] else []
            world.pings.append({"message_id": msg.id, **result})
            if world.pings_are_violations:
                world.record(
                    "ping",
                    f"message would notify {', '.join(who)}: {msg.content[:80]!r}",
                    f"{req.method} {req.template}",
                )

    def _make_message(
        self,
        req: Req,
        chan: Channel,
        body: dict[str, Any],
        *,
        flags: int = 0,
        kind: int = 0,
        interaction: Interaction | None = None,
        store: bool = True,
    ) -> Message:
        world = self.world
        self._check_message(req, body)
        msg = Message(
            world,
            world.snowflake(),
            chan.id,
            world.bot_user,
            content=body.get("content") or "",
            embeds=[{"type": "rich", **e} for e in body.get("embeds") or []],
            components=body.get("components") or [],
            flags=flags,
            type=kind,
            guild_id=chan.guild_id,
            interaction_id=interaction.id if interaction else None,
            webhook_id=world.application_id if interaction else None,
        )
        msg.attachments = self._new_attachments(req, body, chan.id)
        replied = None
        ref = body.get("message_reference")
        if ref and ref.get("message_id"):
            replied = world.all_messages.get(_int(ref["message_id"]))
            if replied is None and ref.get("fail_if_not_exists", True):
                raise ApiError(400, 50035, "Invalid Form Body: unknown message_reference")
            msg.reference_id = replied.id if replied else None
            msg.type = 19
        self._ping_check(req, msg, body, replied)
        if store:
            world.all_messages[msg.id] = msg
            chan.last_message_id = msg.id
            chan.message_count += 1
            self._dispatch_message("MESSAGE_CREATE", msg)
        return msg

    def _apply_edit(self, req: Req, msg: Message, body: dict[str, Any], *, keep_flags: int = 0) -> None:
        self._check_message(req, body)
        if "content" in body:
            msg.content = body["content"] or ""
        if "embeds" in body:
            msg.embeds = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            msg.components = body["components"] or []
        if "flags" in body and body["flags"] is not None:
            msg.flags = (int(body["flags"]) & ~(EPHEMERAL | LOADING)) | keep_flags
        else:
            msg.flags = (msg.flags & ~LOADING) | keep_flags
        if "attachments" in body or req.files:
            msg.attachments = self._new_attachments(req, body, msg.channel_id, keep=msg.attachments)
        msg.edited_at = self.world.now()
        msg.edits += 1
        if not msg.ephemeral:
            self._dispatch_message("MESSAGE_UPDATE", msg)

    def _dispatch_message(self, event: str, msg: Message) -> None:
        world = self.world
        if world.dispatcher is None or msg.ephemeral:
            return
        intent = INTENT_GUILD_MESSAGES if msg.guild_id else INTENT_DIRECT_MESSAGES
        world.dispatcher(event, msg.to_json(), msg.guild_id, intent)

    def _check_send(self, chan: Channel, req: Req) -> None:
        """Discord refuses a send without permission, and a DM to someone who closed their DMs."""
        world = self.world
        if chan.type == DM:
            user = world.users.get(chan.recipient_id or 0)
            if user is not None and user.dms_closed:
                raise ApiError(403, 50007, "Cannot send messages to this user")
            return
        if chan.is_thread and chan.archived:
            # Sending to an archived thread reopens it, unless it is locked and the bot may not manage it.
            if chan.locked and not self._bot_can(chan.guild, MANAGE_THREADS):
                raise ApiError(400, 50083, "Thread is archived")
            chan.archived = False
        need = VIEW_CHANNEL | (SEND_MESSAGES_IN_THREADS if chan.is_thread else SEND_MESSAGES)
        if req.files:
            need |= ATTACH_FILES
        self._require(chan.guild, need)

    # -- channel messages ------------------------------------------------------------------------
    def get_channel(self, req: Req) -> Resp:
        return Resp(200, self._channel(req).to_json())

    def edit_channel(self, req: Req) -> Resp:
        """Renames, topics, and archiving or locking a thread."""
        chan = self._channel(req)
        guild = chan.guild
        body = req.body or {}
        own_thread = chan.is_thread and chan.owner_id == self.world.bot_user.id
        if guild is not None and not own_thread:
            self._require(guild, MANAGE_THREADS if chan.is_thread else MANAGE_CHANNELS)
        if body.get("name"):
            chan.name = body["name"]
        if chan.is_thread:
            chan.archived = bool(body.get("archived", chan.archived))
            chan.locked = bool(body.get("locked", chan.locked))
        event = "THREAD_UPDATE" if chan.is_thread else "CHANNEL_UPDATE"
        if guild is not None:
            self.world._dispatch_guild(event, guild, chan.to_json())
        return Resp(200, chan.to_json())

    def delete_channel(self, req: Req) -> Resp:
        chan = self._channel(req)
        guild = chan.guild
        if guild is None:
            return Resp(200, chan.to_json())  # closing a DM
        self._require(guild, MANAGE_THREADS if chan.is_thread else MANAGE_CHANNELS)
        data = chan.to_json()
        del self.world.channels[chan.id]
        if chan.id in guild.channel_ids:
            guild.channel_ids.remove(chan.id)
        self.world._dispatch_guild("THREAD_DELETE" if chan.is_thread else "CHANNEL_DELETE", guild, data)
        return Resp(200, data)

    def get_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        uid = _int(req.params["user_id"])
        if uid not in thread.thread_member_ids:
            raise not_found("Member", 10007)
        return Resp(200, self._thread_member_json(thread, uid))

    def list_messages(self, req: Req) -> Resp:
        chan = self._channel(req)
        msgs = [m for m in self.world.messages(chan)]
        msgs.sort(key=lambda m: m.id, reverse=True)
        q = req.query
        if "before" in q:
            msgs = [m for m in msgs if m.id < _int(q["before"])]
        if "after" in q:
            msgs = sorted((m for m in msgs if m.id > _int(q["after"])), key=lambda m: m.id)
            msgs = list(reversed(msgs[: int(q.get("limit", 50))]))
        limit = max(1, min(100, int(q.get("limit", 50))))
        return Resp(200, [m.to_json() for m in msgs[:limit]])

    def create_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        self._check_send(chan, req)
        body = req.body or {}
        if not (
            body.get("content")
            or body.get("embeds")
            or body.get("components")
            or req.files
            or body.get("sticker_ids")
            or body.get("poll")
        ):
            raise ApiError(400, 50006, "Cannot send an empty message", violation="empty_message")
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: the same author sending the same nonce again within a few minutes gets the
            # message it already created back, and no new message is made.
            recent = self.world.now() - NONCE_WINDOW
            for earlier in self.world.messages(chan):
                mine = earlier.author.id == self.world.bot_user.id
                if mine and earlier.nonce == str(nonce) and earlier.created_at >= recent:
                    return Resp(200, earlier.to_json())
        flags = int(body.get("flags") or 0) & (IS_COMPONENTS_V2 | (1 << 2) | (1 << 12))
        msg = self._make_message(req, chan, body, flags=flags)
        msg.nonce = None if nonce is None else str(nonce)
        return Resp(200, msg.to_json())

    def get_message(self, req: Req) -> Resp:
        return Resp(200, self._message(self._channel(req), req.params["message_id"]).to_json())

    def edit_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if msg.author.id != self.world.bot_user.id:
            body = req.body or {}
            if set(body) - {"flags"}:
                raise ApiError(403, 50005, "Cannot edit a message authored by another user", violation="forbidden")
        self._apply_edit(req, msg, req.body or {})
        return Resp(200, msg.to_json())

    def delete_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if msg.author.id != self.world.bot_user.id and chan.type != DM:
            self._require(chan.guild, MANAGE_MESSAGES)
        msg.deleted = True
        if self.world.dispatcher is not None:
            data = {"id": str(msg.id), "channel_id": str(chan.id)}
            if chan.guild_id:
                data["guild_id"] = str(chan.guild_id)
            self.world.dispatcher("MESSAGE_DELETE", data, chan.guild_id, INTENT_GUILD_MESSAGES)
        return Resp()

    # -- threads ---------------------------------------------------------------------------------
    def _new_thread(self, parent: Channel, thread_id: int, name: str, kind: int, body: dict[str, Any]) -> Channel:
        world = self.world
        if not name or len(name) > 100:
            world.record("thread_name", f"thread name of {len(name or '')} characters (1 to 100)")
        thread = Channel(
            world,
            thread_id,
            kind,
            name=name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=world.bot_user.id,
            created_at=world.now(),
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        thread.thread_member_ids.append(world.bot_user.id)
        world.channels[thread.id] = thread
        if parent.guild is not None and world.dispatcher is not None:
            world.dispatcher("THREAD_CREATE", {**thread.to_json(), "newly_created": True}, parent.guild_id, 0)
        return thread

    def thread_from_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if chan.type != 0:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if msg.thread is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message", violation="thread_exists")
        self._require(chan.guild, VIEW_CHANNEL | CREATE_PUBLIC_THREADS)
        body = req.body or {}
        thread = self._new_thread(chan, msg.id, body.get("name", ""), PUBLIC_THREAD, body)
        return Resp(201, thread.to_json())

    def thread_without_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        if chan.type != 0:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        body = req.body or {}
        kind = int(body.get("type") or PRIVATE_THREAD)
        self._require(
            chan.guild, VIEW_CHANNEL | (CREATE_PUBLIC_THREADS if kind == PUBLIC_THREAD else CREATE_PRIVATE_THREADS)
        )
        thread = self._new_thread(chan, self.world.snowflake(), body.get("name", ""), kind, body)
        return Resp(201, thread.to_json())

    def _thread(self, req: Req) -> Channel:
        chan = self._channel(req)
        if not chan.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type", violation="not_a_thread")
        return chan

    def list_thread_members(self, req: Req) -> Resp:
        thread = self._thread(req)
        return Resp(200, [self._thread_member_json(thread, u) for u in thread.thread_member_ids])

    def _thread_member_json(self, thread: Channel, user_id: int) -> dict[str, Any]:
        return {"id": str(thread.id), "user_id": str(user_id), "join_timestamp": _iso_now(self.world), "flags": 0}

    def _thread_members_changed(self, thread: Channel, added: list[int], removed: list[int]) -> None:
        world = self.world
        if world.dispatcher is None:
            return
        data = {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "member_count": len(thread.thread_member_ids),
            "added_members": [self._thread_member_json(thread, u) for u in added],
            "removed_member_ids": [str(u) for u in removed],
        }
        world.dispatcher("THREAD_MEMBERS_UPDATE", data, thread.guild_id, INTENT_GUILD_MEMBERS)

    def add_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        guild = thread.guild
        assert guild is not None
        member = self._member(guild, req.params["user_id"])
        self._require(guild, SEND_MESSAGES_IN_THREADS)
        if member.id not in thread.thread_member_ids:
            thread.thread_member_ids.append(member.id)
            self._thread_members_changed(thread, [member.id], [])
        return Resp()

    def remove_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        guild = thread.guild
        assert guild is not None
        member = self._member(guild, req.params["user_id"])
        if member.id != self.world.bot_user.id and thread.owner_id != self.world.bot_user.id:
            self._require(guild, MANAGE_THREADS)
        if member.id in thread.thread_member_ids:
            thread.thread_member_ids.remove(member.id)
            self._thread_members_changed(thread, [], [member.id])
        return Resp()

    def join_thread(self, req: Req) -> Resp:
        req.params["user_id"] = str(self.world.bot_user.id)
        return self.add_thread_member(req)

    def leave_thread(self, req: Req) -> Resp:
        req.params["user_id"] = str(self.world.bot_user.id)
        return self.remove_thread_member(req)

    # -- guilds, roles, members ------------------------------------------------------------------
    def get_guild(self, req: Req) -> Resp:
        guild = self._guild(req)
        data = guild.to_json()
        if _truthy(req.query.get("with_counts")):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return Resp(200, data)

    def get_guild_channels(self, req: Req) -> Resp:
        return Resp(200, [c.to_json() for c in self._guild(req).channels])

    def get_roles(self, req: Req) -> Resp:
        return Resp(200, [r.to_json() for r in self._guild(req).roles.values()])

    def create_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        self._require(guild, MANAGE_ROLES)
        body = req.body or {}
        role = guild.add_role(
            body.get("name") or "new role",
            permissions=int(body.get("permissions") or 0),
            mentionable=bool(body.get("mentionable")),
        )
        return Resp(200, role.to_json())

    def _role(self, guild: Guild, role_id: str) -> Role:
        role = guild.roles.get(_int(role_id))
        if role is None:
            raise not_found("Role", 10011)
        return role

    def _check_role_hierarchy(self, guild: Guild, role: Role) -> None:
        """Discord's rule: Manage Roles, and the bot's highest role strictly above the role it touches."""
        bot = guild.bot_member
        if not self._bot_can(guild, MANAGE_ROLES) or role.managed or role.is_everyone:
            raise ApiError(*MISSING_PERMISSIONS)
        if guild.owner_id != bot.id and bot.top_position <= role.position:
            raise ApiError(*MISSING_PERMISSIONS)

    def get_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        return Resp(200, self._role(guild, req.params["role_id"]).to_json())

    def edit_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        body = req.body or {}
        if "name" in body:
            role.name = body["name"]
        if "permissions" in body:
            role.permissions = int(body["permissions"] or 0)
        if "mentionable" in body:
            role.mentionable = bool(body["mentionable"])
        self.world._dispatch_guild("GUILD_ROLE_UPDATE", guild, {"guild_id": str(guild.id), "role": role.to_json()})
        return Resp(200, role.to_json())

    def delete_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        del guild.roles[role.id]
        for member in guild.members.values():
            if role.id in member.role_ids:
                member.role_ids.remove(role.id)
        payload = {"guild_id": str(guild.id), "role_id": str(role.id)}
        self.world._dispatch_guild("GUILD_ROLE_DELETE", guild, payload)
        return Resp()

    def edit_member(self, req: Req) -> Resp:
        """Nick and role list changes; every role added or removed must pass the hierarchy check."""
        guild = self._guild(req)
        member = self._member(guild, req.params["user_id"])
        body = req.body or {}
        if "roles" in body and body["roles"] is not None:
            wanted = [_int(r) for r in body["roles"]]
            for rid in set(wanted) ^ set(member.role_ids):
                role = self._role(guild, str(rid))
                if not (role.managed and rid in member.role_ids):
                    self._check_role_hierarchy(guild, role)
            member.role_ids = [r for r in dict.fromkeys(wanted) if r != guild.id]
        if "nick" in body:
            member.nick = body["nick"]
        self.world._member_updated(member)
        return Resp(200, member.to_json())

    def list_members(self, req: Req) -> Resp:
        guild = self._guild(req)
        after = _int(req.query.get("after", "0"))
        limit = max(1, min(1000, int(req.query.get("limit", 1))))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return Resp(200, [m.to_json() for m in members[:limit]])

    def get_member(self, req: Req) -> Resp:
        guild = self._guild(req)
        return Resp(200, self._member(guild, req.params["user_id"]).to_json())

    def _role_change(self, req: Req) -> tuple[Member, Role]:
        guild = self._guild(req)
        member = self._member(guild, req.params["user_id"])
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        return member, role

    def add_member_role(self, req: Req) -> Resp:
        member, role = self._role_change(req)
        if role.id not in member.role_ids:
            member.role_ids.append(role.id)
            self.world._member_updated(member)
        return Resp()

    def remove_member_role(self, req: Req) -> Resp:
        member, role = self._role_change(req)
        if role.id in member.role_ids:
            member.role_ids.remove(role.id)
            self.world._member_updated(member)
        return Resp()

    def active_threads(self, req: Req) -> Resp:
        guild = self._guild(req)
        threads = [c for c in self.world.channels.values() if c.guild_id == guild.id and c.is_thread]
        members = [
            self._thread_member_json(t, self.world.bot_user.id)
            for t in threads
            if self.world.bot_user.id in t.thread_member_ids
        ]
        return Resp(200, {"threads": [t.to_json() for t in threads], "members": members})

    # -- interactions ----------------------------------------------------------------------------
    def _interaction(self, req: Req) -> Interaction:
        inter = self.world.interactions.get(_int(req.params["interaction_id"]))
        if inter is None or inter.token != req.params["interaction_token"]:
            raise ApiError(404, 10062, "Unknown interaction", violation="unknown_interaction")
        return inter

    def interaction_callback(self, req: Req) -> Resp:
        world = self.world
        inter = self._interaction(req)
        body = req.body or {}
        kind = body.get("type")
        data = body.get("data") or {}
        route = f"{req.method} {req.template}"
        elapsed = time.monotonic() - inter.sent_at
        if inter.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.", violation="double_response")
        if elapsed > INTERACTION_DEADLINE:
            inter.response_type = -1
            raise ApiError(
                404, 10062, f"Unknown interaction (answered after {elapsed:.2f}s, limit 3s)", violation="late_response"
            )
        allowed = {
            2: {4, 5, 9},  # application command
            3: {4, 5, 6, 7, 9},  # component
            4: {8},  # autocomplete
            5: {4, 5, 6, 7} if inter.message_id else {4, 5},  # modal submit
        }[inter.type]
        if kind not in allowed:
            raise ApiError(
                400,
                50035,
                f"Invalid Form Body: response type {kind} to interaction type {inter.type}",
                violation="bad_response_type",
            )
        chan = world.channels[inter.channel_id]
        message: Message | None = None
        if kind == 4:
            flags = int(data.get("flags") or 0)
            ephemeral = bool(flags & EPHEMERAL)
            self._require_content(req, data)
            message = self._make_message(
                req,
                chan,
                data,
                flags=flags & (EPHEMERAL | IS_COMPONENTS_V2 | 4 | 4096),
                kind=20 if inter.type == 2 else 0,
                interaction=inter,
                store=not ephemeral,
            )
            self._set_original(inter, message)
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = Message(
                world,
                world.snowflake(),
                chan.id,
                world.bot_user,
                flags=flags,
                type=20 if inter.type == 2 else 0,
                guild_id=chan.guild_id,
                interaction_id=inter.id,
                webhook_id=world.application_id,
            )
            if not message.ephemeral:
                world.all_messages[message.id] = message
                self._dispatch_message("MESSAGE_CREATE", message)
            self._set_original(inter, message)
        elif kind in (6, 7):
            target = inter.find_message(inter.message_id or 0)
            if target is None:
                raise not_found("Message", 10008)
            if kind == 7:
                self._apply_edit(req, target, data, keep_flags=target.flags & EPHEMERAL)
            message = target
            inter.original_id = target.id
        elif kind == 8:
            for problem in limits.autocomplete_problems(data):
                world.record("autocomplete_limit", problem, route)
            inter.choices = list(data.get("choices") or [])
        elif kind == 9:
            for problem in limits.modal_problems(data):
                world.record("modal_limit", problem, route)
            inter.modal = data
        inter.response_type = kind
        inter.responded_at = time.monotonic()
        if not _truthy(req.query.get("with_response")):
            return Resp()
        info: dict[str, Any] = {"id": str(inter.id), "type": inter.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            info.update(
                response_message_id=str(message.id),
                response_message_loading=message.loading,
                response_message_ephemeral=message.ephemeral,
            )
            resource["message"] = message.to_json()
        return Resp(200, {"interaction": info, "resource": resource})

    def _require_content(self, req: Req, data: dict[str, Any]) -> None:
        if not (data.get("content") or data.get("embeds") or data.get("components") or req.files or data.get("poll")):
            raise ApiError(400, 50006, "Cannot send an empty message", violation="empty_message")

    def _set_original(self, inter: Interaction, message: Message) -> None:
        inter.original_id = message.id
        if message.ephemeral:
            inter.ephemeral_original = message
            self.world.ephemeral_messages[message.id] = message

    def _webhook_interaction(self, req: Req) -> Interaction:
        world = self.world
        if _int(req.params["webhook_id"]) != world.application_id:
            raise not_found("Webhook", 10015)
        token = req.params["webhook_token"]
        inter = next((i for i in world.interactions.values() if i.token == token), None)
        if inter is None or inter.expired:
            raise ApiError(401, 50027, "Invalid Webhook Token", violation="bad_webhook_token")
        if inter.response_type in (None, -1):
            raise ApiError(
                404,
                10015,
                "Unknown Webhook (follow-up before the interaction was answered)",
                violation="followup_before_response",
            )
        return inter

    def followup(self, req: Req) -> Resp:
        world = self.world
        inter = self._webhook_interaction(req)
        body = req.body or {}
        chan = world.channels[inter.channel_id]
        inter.webhook_actions += 1
        self._require_content(req, body)
        if inter.response_type == 5 and not inter.deferred_done:
            # The first follow-up after a deferral fills in the "thinking" message; its flags are ignored.
            original = inter.find_message(inter.original_id or 0)
            assert original is not None
            self._apply_edit(
                req, original, {k: v for k, v in body.items() if k != "flags"}, keep_flags=original.flags & EPHEMERAL
            )
            inter.deferred_done = True
            world.notify()
            return Resp(200, original.to_json()) if _truthy(req.query.get("wait")) else Resp()
        flags = int(body.get("flags") or 0)
        ephemeral = bool(flags & EPHEMERAL)
        msg = self._make_message(
            req,
            chan,
            body,
            flags=flags & (EPHEMERAL | IS_COMPONENTS_V2 | 4 | 4096),
            interaction=inter,
            store=not ephemeral,
        )
        if ephemeral:
            inter.ephemeral_followups[msg.id] = msg
            world.ephemeral_messages[msg.id] = msg
        inter.followup_ids.append(msg.id)
        if _truthy(req.query.get("wait")):
            return Resp(200, msg.to_json())
        return Resp()

    def _webhook_message(self, req: Req, inter: Interaction) -> Message:
        ref = req.params.get("message_id")
        if ref is None:  # @original
            if inter.original_id is None:
                raise ApiError(404, 10008, "Unknown Message (no original response)", violation="no_original")
            msg = inter.find_message(inter.original_id)
        else:
            mid = _int(ref)
            owned = mid in (inter.original_id, *inter.followup_ids)
            msg = inter.find_message(mid) if owned else None
        if msg is None or msg.deleted:
            raise not_found("Message", 10008)
        return msg

    def webhook_get(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        return Resp(200, self._webhook_message(req, inter).to_json())

    def webhook_edit(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        msg = self._webhook_message(req, inter)
        inter.webhook_actions += 1
        self._apply_edit(req, msg, req.body or {}, keep_flags=msg.flags & EPHEMERAL)
        if inter.response_type == 5 and msg.id == inter.original_id:
            inter.deferred_done = True
        return Resp(200, msg.to_json())

    def webhook_delete(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        msg = self._webhook_message(req, inter)
        inter.webhook_actions += 1
        msg.deleted = True
        return Resp()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _iso_now(world: World) -> str:
    return iso(world.now())
