"""The playground's web page: static files, a WebSocket that pushes the world as it changes, and a small
JSON API whose every action is a Driver call (the same interactions the end-to-end tests send).

Why Driver calls run in threads: the Driver blocks until the bot answers, and the bot's answer is served
by the fake on its own thread; the page's event loop must keep pushing changes meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import mimetypes
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from ..botprocess import BotProcess
from ..command_rules import LOCALES as DISCORD_LOCALES
from ..constants import DM
from ..driver import Answer, Driver, NoAnswer, RefusedByClient
from ..entities import Channel, Member, Message, Role
from ..server import FakeDiscord
from .scene import Scene
from .snapshot import snapshot

log = logging.getLogger("rota.playground")

STATIC = Path(__file__).with_name("static")
MESSAGE_MAX = 2000  # Discord's limit on a message's content
#: The clock control's steps (an hour, a day, a week); anything else is refused.
CLOCK_STEPS = frozenset({3600, 86400, 7 * 86400})
#: The switcher offers every Discord client language (the bot answers in English where it has no catalogue).
LOCALES = ["en-US", *sorted(DISCORD_LOCALES - {"en-US"})]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class PageServer:
    """Serves the page on 127.0.0.1 and acts for whichever member the visitor has chosen."""

    def __init__(self, fake: FakeDiscord, bot: BotProcess, scene: Scene) -> None:
        self.fake = fake
        self.world = fake.world
        self.bot = bot
        self.scene = scene
        self.driver = Driver(fake, timeout=15)
        self.hidden_interactions: set[int] = set()
        self.modals: dict[int, Answer] = {}  # interaction id -> the answer that opened a modal
        self.sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._last = ""

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, port: int) -> None:
        app = web.Application(middlewares=[_same_origin_only])
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/ws", self._socket)
        app.router.add_get("/files/{message}/{attachment}/{name}", self._file)
        for name, action in (
            ("command", self._command),
            ("autocomplete", self._autocomplete),
            ("click", self._click),
            ("select", self._select),
            ("modal", self._modal),
            ("say", self._say),
            ("clock", self._clock),
            ("locale", self._locale),
        ):
            app.router.add_post(f"/api/{name}", _json_action(action))
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._pusher = asyncio.create_task(self._push_changes())

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- the picture -----------------------------------------------------------------------------
    def picture(self) -> str:
        return json.dumps(snapshot(self.world, self.scene, self.hidden_interactions, LOCALES))

    async def _push_changes(self) -> None:
        """Wake on every change of the world (or twice a second) and send the picture if it changed."""
        while True:
            await asyncio.to_thread(self._wait_for_change, 0.5)
            await asyncio.sleep(0.05)  # a burst of changes goes out as one picture
            text = self.picture()
            if text == self._last:
                continue
            self._last = text
            for ws in list(self.sockets):
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_str(text)

    def _wait_for_change(self, timeout: float) -> None:
        with self.world.changed:
            self.world.changed.wait(timeout)

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=20)
        await ws.prepare(request)
        self.sockets.add(ws)
        await ws.send_str(self.picture())
        async for msg in ws:
            if msg.type == WSMsgType.ERROR:
                break
        return ws

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """A file the bot sent, ephemeral answers' included (the stand-in serves only those in channels)."""
        msg_id, att_id = _id(request.match_info["message"]), _id(request.match_info["attachment"])
        with self.world.lock:
            msg = self.world.all_messages.get(msg_id) or self.world.ephemeral_messages.get(msg_id)
            found = next((a for a in msg.attachments if a.id == att_id), None) if msg is not None else None
        if found is None:
            raise web.HTTPNotFound()
        kind = found.content_type or mimetypes.guess_type(found.filename)[0] or "application/octet-stream"
        return web.Response(body=found.data, content_type=kind)

    # -- actions (each a Driver call) ------------------------------------------------------------
    def member(self, body: dict[str, Any]) -> Member:
        member = self.scene.guild.members.get(_id(body.get("member")))
        if member is None or member not in self.scene.members:
            raise RefusedByClient("choose who you are first")
        return member

    def channel(self, body: dict[str, Any]) -> Channel | None:
        """The channel the visitor is in; None means their DM with the bot."""
        if body.get("channel") in (None, "", "dm"):
            return None
        chan = self.world.channels.get(_id(body.get("channel")))
        if chan is None:
            raise RefusedByClient("that channel is gone")
        return chan

    def message(self, body: dict[str, Any]) -> Message:
        msg_id = _id(body.get("message"))
        msg = self.world.all_messages.get(msg_id) or self.world.ephemeral_messages.get(msg_id)
        if msg is None:
            raise RefusedByClient("that message is gone")
        return msg

    def _opened(self, answer: Answer) -> dict[str, Any]:
        """What the page needs back: a modal to show, if the bot opened one; the rest arrives as pictures."""
        if answer.modal is None:
            return {"ok": True}
        self.modals[answer.interaction.id] = answer
        return {"ok": True, "modal": answer.modal, "interaction": str(answer.interaction.id)}

    def _command(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        chan = self.channel(body)
        name = str(body.get("name", "")).strip().lstrip("/")
        options = self._options(name, dict(body.get("options") or {}))
        return self._opened(self.driver.command(name, user=member, channel=chan, options=options))

    def _autocomplete(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        chan = self.channel(body)
        name = str(body.get("name", "")).strip().lstrip("/")
        option = str(body.get("option", ""))
        others = {k: v for k, v in dict(body.get("options") or {}).items() if k != option}
        choices = self.driver.autocomplete(
            name, option, str(body.get("value", "")), user=member, channel=chan, options=self._options(name, others)
        )
        return {"ok": True, "choices": choices}

    def _click(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        return self._opened(self.driver.click(self.message(body), str(body.get("custom_id")), user=member))

    def _select(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        msg = self.message(body)
        custom_id = str(body.get("custom_id"))
        values: list[Any] = [str(v) for v in body.get("values") or []]
        with self.world.lock:
            menu = next((c for c in msg.walk_components() if c.get("custom_id") == custom_id), {})
        if menu.get("type") in (5, 6, 7, 8):
            values = [self._entity(v) for v in values]
        return self._opened(self.driver.select(msg, custom_id, values, user=member))

    def _modal(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        opened = self.modals.pop(_id(body.get("interaction")), None)
        if opened is None:
            raise RefusedByClient("that form was already sent")
        values = {str(k): v for k, v in dict(body.get("values") or {}).items()}
        return self._opened(self.driver.submit_modal(opened, values, user=member))

    def _say(self, body: dict[str, Any]) -> dict[str, Any]:
        """A member writes in a channel or thread (Rota reads no messages, but people talk there)."""
        member = self.member(body)
        chan = self.channel(body)
        content = str(body.get("content", "")).strip()
        if chan is None or chan.type == DM:
            raise RefusedByClient("Rota reads commands, not messages: type / for one")
        if not 1 <= len(content) <= MESSAGE_MAX:
            raise RefusedByClient(f"a message holds 1 to {MESSAGE_MAX} characters")
        self.world.post(chan, member, content)
        return {"ok": True}

    def _clock(self, body: dict[str, Any]) -> dict[str, Any]:
        seconds = body.get("seconds")
        if seconds not in CLOCK_STEPS:
            raise RefusedByClient("the clock moves by an hour, a day or a week")
        self.bot.advance_clock(float(seconds))  # the fake's clock and the bot's, together
        self.world.notify()
        return {"ok": True}

    def _locale(self, body: dict[str, Any]) -> dict[str, Any]:
        member = self.member(body)
        locale = str(body.get("locale"))
        if locale not in LOCALES:
            raise RefusedByClient(f"no Discord language {locale!r} here")
        with self.world.lock:
            member.user.locale = locale
        self.world.notify()
        return {"ok": True}

    # -- option values ---------------------------------------------------------------------------
    def _options(self, name: str, given: dict[str, Any]) -> dict[str, Any]:
        """The page sends text; the Driver wants what Discord's client would send for each option type."""
        definitions = {o["name"]: o for o in self._leaf_options(name)}
        out: dict[str, Any] = {}
        for key, raw in given.items():
            if raw in (None, ""):
                continue
            kind = definitions.get(key, {}).get("type", 3)
            out[key] = self._typed(kind, key, raw)
        return out

    def _typed(self, kind: int, key: str, raw: Any) -> Any:
        try:
            if kind == 4:
                return int(raw)
            if kind == 10:
                return float(raw)
        except (TypeError, ValueError):
            raise RefusedByClient(f"{key} takes a number") from None
        if kind == 5:
            return raw in (True, "true", "True")
        if kind in (6, 7, 8, 9):
            return self._entity(raw)
        return str(raw)

    def _entity(self, raw: Any) -> Member | Channel | Role:
        ident = _id(raw)
        guild = self.scene.guild
        found = guild.members.get(ident) or self.world.channels.get(ident) or guild.roles.get(ident)
        if found is None:
            raise RefusedByClient(f"nothing with id {raw!r} in the server")
        return found

    def _leaf_options(self, name: str) -> list[dict[str, Any]]:
        parts = name.split()
        with self.world.lock:
            pool = list(self.world.guild_commands.get(self.scene.guild.id, [])) + list(self.world.global_commands)
            node = next((c for c in pool if parts and c.get("name") == parts[0]), None)
            for part in parts[1:]:
                if node is None:
                    break
                node = next((o for o in node.get("options") or [] if o.get("name") == part), None)
            return [o for o in (node or {}).get("options") or [] if o.get("type") not in (1, 2)]


@web.middleware
async def _same_origin_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only the page itself may act or listen: another site open in the same browser could otherwise
    post to 127.0.0.1 (browsers send Origin with every POST and WebSocket)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"http://{request.host}":
        return web.json_response({"error": "only the playground's own page may do this"}, status=403)
    return await handler(request)


def _id(raw: Any) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return 0


def _json_action(action: Callable[[dict[str, Any]], dict[str, Any]]) -> Handler:
    """POST body in, JSON out; what the client would refuse or the bot left unanswered is a 4xx/504
    with a sentence the page shows."""

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"error": "the request was not JSON"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "the request was not an object"}, status=400)
        try:
            return web.json_response(await asyncio.to_thread(action, body))
        except RefusedByClient as exc:
            return web.json_response({"error": str(exc)}, status=400)
        except NoAnswer as exc:
            return web.json_response({"error": f"The application did not respond ({exc})"}, status=504)
        except Exception as exc:  # the page says what broke; the playground keeps running
            log.exception("playground action failed")
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=500)

    return handle
