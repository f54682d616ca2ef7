"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, dispatches, shards.

Why a session log: Discord keeps a resumable session's events; a client that RESUMEs with its last
sequence number gets the missed ones in order, then RESUMED. Every dispatch goes into the log of each
session that should see it and is pumped to the socket from there, so a dropped connection loses nothing.

Sharding, as Discord documents it (developers/events/gateway.mdx, "Sharding"): IDENTIFY may carry
`"shard": [shard_id, num_shards]` (missing means `[0, 1]`). An event about a guild goes to the sessions
whose `shard_id == (guild_id >> 22) % num_shards`; events without a guild (DMs, interactions in DMs) go
to shard 0 only; READY and the GUILD_CREATEs after it list that shard's guilds only. Sessions with
different `num_shards` may run side by side (Discord allows it for zero-downtime resharding), each
routed by its own count. The fake refuses, like Discord:
  - a shard array that is not `[id, count]` with `0 <= id < count`: close 4010 (Invalid shard);
  - a session that would hold more than `max_guilds_per_shard` guilds: close 4011 (Sharding required);
  - an IDENTIFY sooner than `identify_interval` s after the last accepted one in its rate-limit bucket
    (`shard_id % max_concurrency`): op 9 INVALID_SESSION with d=false, counted in
    `identify_too_fast`. discord.py answers op 9 by waiting 5 s (`before_identify_hook`) and identifying
    again, so this costs time, never a failure.
One simplification: a new IDENTIFY for the same `[shard_id, num_shards]` replaces that session (the old
socket is closed with 4000), where Discord would keep both and send events to each.
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

# Discord's numbers for sharding (developers/events/gateway.mdx).
GUILDS_PER_SHARD = 2500  # "Each shard can only support a maximum of 2500 guilds"
IDENTIFY_WINDOW_S = 5.0  # max_concurrency is the "number of identify requests allowed per 5 seconds"
SESSION_STARTS_PER_DAY = 1000
CLOSE_INVALID_SHARD = 4010
CLOSE_SHARDING_REQUIRED = 4011


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a guild's events (Discord's formula); shard 0 for events without a guild."""
    if guild_id is None:
        return 0
    return (guild_id >> 22) % shard_count


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    shard_id: int = 0
    shard_count: int = 1
    log: list[tuple[int, str]] = field(default_factory=list)
    seq: int = 0
    sent_seq: int = 0
    ws: web.WebSocketResponse | None = None
    hold_resume_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    send_lock: asyncio.Lock | None = None

    @property
    def shard(self) -> tuple[int, int]:
        return (self.shard_id, self.shard_count)

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed

    def wants(self, guild_id: int | None) -> bool:
        return shard_of(guild_id, self.shard_count) == self.shard_id


class Gateway:
    """The bot's sessions, one per `[shard_id, num_shards]` (the newest IDENTIFY for a shard wins).

    Settings a test may change (on `fake.gateway`; the shared `fake` fixture shortens the window):
    `recommended_shards` (1) and `max_concurrency` (1) are what GET /gateway/bot reports;
    `max_guilds_per_shard` (2500, None for no limit) is where 4011 starts; `identify_interval` (5.0 s)
    is the window of one IDENTIFY per rate-limit bucket. Counters: `identifies` (accepted),
    `identify_too_fast` (answered with op 9), `resumes`, `invalid_sessions` (failed RESUMEs),
    `member_requests`, and `refused`, the (close code, reason) of every IDENTIFY closed with 4010/4011.
    """

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        # Settings.
        self.recommended_shards = 1
        self.max_concurrency = 1
        self.max_guilds_per_shard: int | None = GUILDS_PER_SHARD
        self.identify_interval = IDENTIFY_WINDOW_S
        # State: every resumable session by id, and the newest one for each [shard_id, num_shards].
        self.sessions: dict[str, Session] = {}
        self.shards: dict[tuple[int, int], Session] = {}
        self._last_identify: dict[int, float] = {}  # rate-limit bucket -> monotonic time
        # Counters.
        self.identifies = 0
        self.identify_too_fast = 0
        self.resumes = 0
        self.invalid_sessions = 0
        self.member_requests = 0
        self.refused: list[tuple[int, str]] = []
        self._tasks: set[asyncio.Future[None]] = set()

    # -- which sessions -------------------------------------------------------------------------
    @property
    def current(self) -> Session | None:
        """The newest session of shard 0 (for an unsharded bot, its only one)."""
        with self.fake.world.lock:
            zeros = [s for s in self.shards.values() if s.shard_id == 0]
            return zeros[-1] if zeros else None

    def session_for(self, shard_id: int = 0, shard_count: int | None = None) -> Session | None:
        """The newest session of a shard (of any count unless `shard_count` is given)."""
        with self.fake.world.lock:
            found = [
                s
                for s in self.shards.values()
                if s.shard_id == shard_id and (shard_count is None or s.shard_count == shard_count)
            ]
            return found[-1] if found else None

    @property
    def connected(self) -> bool:
        """A whole set of shards is connected: [0, n] ... [n-1, n] for some n."""
        with self.fake.world.lock:
            live = {s.shard for s in self.shards.values() if s.connected}
            return any(all((i, n) in live for i in range(n)) for _, n in live)

    def identify_wait(self) -> float:
        """Seconds until an IDENTIFY in any rate-limit bucket would be accepted (0.0: now)."""
        now = time.monotonic()
        return max([0.0] + [last + self.identify_interval - now for last in self._last_identify.values()])

    # -- dispatching (any thread, world lock held) ----------------------------------------------
    def dispatch(self, event: str, payload: dict[str, Any], guild_id: int | None, intent: int) -> None:
        """Log the event in every session of the shard it belongs to (shard 0 without a guild)."""
        for session in [s for s in self.shards.values() if s.wants(guild_id)]:
            if intent and not session.intents & intent:
                continue
            data = payload
            if event == "GUILD_CREATE" and "__guild__" in data:
                data = self.fake.world.guilds[data["__guild__"]].gateway_json(session.intents)
            if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
                data = self._without_content(session, data)
            self._append(session, event, data)

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
    async def drop(self, hold_resume: float, shard_id: int = 0) -> bool:
        session = self.session_for(shard_id)
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
        client_close: int | None = None  # the code of the client's close frame, if it sent one
        try:
            while True:
                msg = await ws.receive()
                if msg.type == WSMsgType.CLOSE:
                    client_close = int(msg.data)
                    break
                if msg.type in (WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    break
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
                if client_close in (1000, 1001):
                    self._end(session)  # Discord: closing with 1000 or 1001 invalidates the session
        return ws

    def _end(self, session: Session) -> None:
        with self.fake.world.lock:
            self.sessions.pop(session.id, None)
            if self.shards.get(session.shard) is session:
                del self.shards[session.shard]
            self.fake.world.notify()

    async def _refuse(self, ws: web.WebSocketResponse, code: int, reason: str) -> None:
        self.refused.append((code, reason))
        await ws.close(code=code, message=reason.encode())

    def _shard(self, data: dict[str, Any]) -> tuple[int, int] | None:
        shard = data.get("shard", [0, 1])
        if not isinstance(shard, list) or len(shard) != 2 or not all(type(n) is int for n in shard):
            return None
        shard_id, shard_count = shard
        return (shard_id, shard_count) if 0 <= shard_id < shard_count else None

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        fake = self.fake
        if data.get("token") != fake.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard = self._shard(data)
        if shard is None:
            await self._refuse(ws, CLOSE_INVALID_SHARD, f"Invalid shard: {data.get('shard')!r}")
            return None
        shard_id, shard_count = shard
        world = fake.world
        with world.lock:
            guilds = [g for g in world.guilds.values() if world.bot_user.id in g.members]
            guilds = [g for g in guilds if shard_of(g.id, shard_count) == shard_id]
        limit = self.max_guilds_per_shard
        if limit is not None and len(guilds) > limit:
            reason = f"Sharding required: shard {list(shard)} would hold {len(guilds)} guilds (limit {limit})"
            await self._refuse(ws, CLOSE_SHARDING_REQUIRED, reason)
            return None
        bucket = shard_id % max(1, self.max_concurrency)
        now = time.monotonic()
        last = self._last_identify.get(bucket)
        if last is not None and now - last < self.identify_interval:
            self.identify_too_fast += 1
            await ws.send_str(json.dumps({"op": 9, "s": None, "t": None, "d": False}))
            return None
        self._last_identify[bucket] = now
        self.identifies += 1
        session = Session(secrets.token_hex(16), int(data.get("intents") or 0), shard_id, shard_count)
        with world.lock:
            old = self.shards.pop(shard, None)
            if old is not None:
                self.sessions.pop(old.id, None)
            self.sessions[session.id] = session
            self.shards[shard] = session
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
                "shard": [shard_id, shard_count],
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
        with fake.world.lock:
            session = self.sessions.get(data.get("session_id") or "")
        if data.get("token") != fake.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        if session is None:
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
            if guild is None or not session.wants(guild.id):
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
