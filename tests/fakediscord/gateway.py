"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, dispatches.

Why a session log: Discord keeps a resumable session's events; a client that RESUMEs with its last
sequence number gets the missed ones in order, then RESUMED. Every dispatch goes into the current
session's log first and is pumped to the socket from there, so a dropped connection loses nothing.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import FakeDiscord

HEARTBEAT_INTERVAL_MS = 41250
INTENT_MESSAGE_CONTENT = 1 << 15


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    log: list[tuple[int, str]] = field(default_factory=list)
    seq: int = 0
    sent_seq: int = 0
    ws: web.WebSocketResponse | None = None
    hold_resume_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    send_lock: asyncio.Lock | None = None


class Gateway:
    """One bot connection at a time (the newest IDENTIFY wins), as for an unsharded bot."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies = 0
        self.resumes = 0
        self.invalid_sessions = 0
        self.member_requests = 0
        self._tasks: set[asyncio.Future[None]] = set()

    # -- dispatching (any thread, world lock held) ----------------------------------------------
    def dispatch(self, event: str, payload: dict[str, Any], guild_id: int | None, intent: int) -> None:
        session = self.current
        if session is None:
            return
        if intent and not session.intents & intent:
            return
        if event == "GUILD_CREATE" and "__guild__" in payload:
            payload = self.fake.world.guilds[payload["__guild__"]].gateway_json(session.intents)
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            payload = self._without_content(session, payload)
        self._append(session, event, payload)

    def _without_content(self, session: Session, payload: dict[str, Any]) -> dict[str, Any]:
        """Without the message content intent, guild messages arrive empty unless they are the bot's
        own or mention it (Discord's rule for the privileged intent)."""
        bot_id = str(self.fake.world.bot_user.id)
        if session.intents & INTENT_MESSAGE_CONTENT or "guild_id" not in payload:
            return payload
        if payload["author"]["id"] == bot_id or bot_id in [u["id"] for u in payload.get("mentions", [])]:
            return payload
        return {**payload, "content": "", "embeds": [], "attachments": [], "components": []}

    def _append(self, session: Session, event: str, payload: Any) -> None:
        with session.lock:
            session.seq += 1
            frame = json.dumps({"op": 0, "s": session.seq, "t": event, "d": payload})
            session.log.append((session.seq, frame))
        self.fake.loop.call_soon_threadsafe(self._schedule_pump, session)

    def _schedule_pump(self, session: Session) -> None:
        task = asyncio.ensure_future(self._pump(session))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _pump(self, session: Session) -> None:
        """Send every logged event the socket has not had yet, in order."""
        if session.send_lock is None:
            session.send_lock = asyncio.Lock()
        async with session.send_lock:
            while True:
                ws = session.ws
                if ws is None or ws.closed:
                    return
                with session.lock:
                    pending = [(s, f) for s, f in session.log if s > session.sent_seq]
                if not pending:
                    return
                for seq, frame in pending:
                    try:
                        await ws.send_str(frame)
                    except (ConnectionError, RuntimeError):
                        return
                    session.sent_seq = seq

    # -- faults ----------------------------------------------------------------------------------
    async def drop(self, hold_resume: float) -> bool:
        session = self.current
        if session is None or session.ws is None:
            return False
        session.hold_resume_until = time.monotonic() + hold_resume
        ws, session.ws = session.ws, None
        await ws.close(code=4000, message=b"fake: connection dropped")
        return True

    # -- the websocket ---------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        await ws.send_str(
            json.dumps({"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        )
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11, "s": None, "t": None, "d": None}))
                elif op == 2:
                    session = await self._identify(ws, data)
                elif op == 6:
                    session = await self._resume(ws, data)
                elif op == 8 and session is not None:
                    self._request_members(session, data)
        finally:
            if session is not None and session.ws is ws:
                session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        fake = self.fake
        if data.get("token") != fake.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        world = fake.world
        self.identifies += 1
        session = Session(secrets.token_hex(16), int(data.get("intents") or 0))
        old = self.current
        with world.lock:
            self.sessions = {session.id: session}
            self.current = session
            guilds = [g for g in world.guilds.values() if world.bot_user.id in g.members]
            ready = {
                "v": 10,
                "user": {**world.bot_user.to_json(), "verified": True, "mfa_enabled": False},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": fake.gateway_url,
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "application": {"id": str(world.application_id), "flags": 0},
                "user_settings": {},
                "shard": [0, 1],
            }
            session.ws = ws
            self._append(session, "READY", ready)
            for guild in guilds:
                guild.live = True
                self._append(session, "GUILD_CREATE", guild.gateway_json(session.intents))
            world.notify()
        if old is not None and old.ws is not None and old.ws is not ws:
            await old.ws.close(code=4000)
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        fake = self.fake
        session = self.sessions.get(data.get("session_id") or "")
        if data.get("token") != fake.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        if session is None or session is not self.current:
            self.invalid_sessions += 1
            await ws.send_str(json.dumps({"op": 9, "s": None, "t": None, "d": False}))
            return None
        wait = session.hold_resume_until - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.resumes += 1
        if session.send_lock is None:
            session.send_lock = asyncio.Lock()
        async with session.send_lock:  # no pump to the old socket may move sent_seq after this
            with session.lock:
                session.sent_seq = int(data.get("seq") or 0)
            session.ws = ws
        self._append(session, "RESUMED", {})
        with fake.world.lock:
            fake.world.notify()
        return session

    def _request_members(self, session: Session, data: dict[str, Any]) -> None:
        """Answer op 8 with one chunk per guild, echoing the nonce discord.py waits on."""
        world = self.fake.world
        self.member_requests += 1
        with world.lock:
            guild = world.guilds.get(int(data.get("guild_id") or 0))
            if guild is None:
                return
            user_ids = data.get("user_ids")
            members = list(guild.members.values())
            not_found: list[str] = []
            if user_ids:
                wanted = {int(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
                members = [m for m in members if m.id in wanted]
                not_found = [str(u) for u in wanted - {m.id for m in members}]
            elif data.get("query"):
                members = [m for m in members if m.user.username.startswith(str(data["query"]))]
            if data.get("limit"):
                members = members[: int(data["limit"])]
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [m.to_json() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": not_found,
            }
            if data.get("presences"):
                chunk["presences"] = []
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            self._append(session, "GUILD_MEMBERS_CHUNK", chunk)
