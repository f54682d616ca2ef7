"""The fake's gateway shards as Discord does: routing by `(guild_id >> 22) % num_shards`, DMs to shard 0,
4010 for an invalid shard, 4011 when a session would hold too many guilds, op 9 for an IDENTIFY that
comes too soon in its rate-limit bucket, and GET /gateway/bot reporting the settings.

Most tests drive the gateway with raw websockets (no discord.py in between); the last one runs a real
`discord.AutoShardedClient` in this process against the fake. The shared bot is paused first, so the
shards here are the only sessions, and the gateway's settings are put back after each test.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import discord
import pytest
import yarl

from fakediscord import FAKE_TOKEN, Driver, FakeDiscord, Guild, World
from fakediscord.gateway import Gateway, shard_of

AUTH = {"Authorization": f"Bot {FAKE_TOKEN}"}
# GUILDS | GUILD_MEMBERS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT
INTENTS = 1 | 1 << 1 | 1 << 9 | 1 << 12 | 1 << 15
SETTINGS = ("recommended_shards", "max_concurrency", "max_guilds_per_shard", "identify_interval")
RAW_COMMAND = {"id": "1", "name": "raw", "type": 1, "description": "", "options": []}


@pytest.fixture
def gateway(fake: FakeDiscord, bot_pool: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The fake's gateway to ourselves: the shared bot paused, every setting restored afterwards."""
    bot_pool.pause_all()
    gw = fake.gateway
    for name in SETTINGS:
        monkeypatch.setattr(gw, name, getattr(gw, name))
    time.sleep(gw.identify_wait())  # whoever identified last (the paused bot) does not count against us
    yield gw


class RawShard:
    """One gateway connection that identifies as `shard` (None: no shard field) and keeps every frame."""

    def __init__(self, fake: FakeDiscord, shard: Any = None) -> None:
        self.fake = fake
        self.shard = shard
        self.frames: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RawShard:
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(self.fake.gateway_url)
        hello = await self._ws.receive_json()
        assert hello["op"] == 10
        identify: dict[str, Any] = {"token": FAKE_TOKEN, "intents": INTENTS, "properties": {}}
        if self.shard is not None:
            identify["shard"] = self.shard
        await self._ws.send_json({"op": 2, "d": identify})
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for msg in self._ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                self.frames.append(json.loads(msg.data))
        self.close_code = self._ws.close_code

    async def __aexit__(self, *exc: object) -> None:
        assert self._ws is not None and self._http is not None and self._reader is not None
        await self._ws.close()  # 1000: Discord ends the session
        await self._reader
        await self._http.close()

    def events(self, name: str) -> list[dict[str, Any]]:
        return [f["d"] for f in self.frames if f["op"] == 0 and f["t"] == name]

    def dispatches(self) -> list[tuple[str, dict[str, Any]]]:
        return [(f["t"], f["d"]) for f in self.frames if f["op"] == 0]

    async def wait_for(self, check: Callable[[RawShard], Any], what: str, timeout: float = 5.0) -> Any:
        deadline = time.monotonic() + timeout
        while not (found := check(self)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"shard {self.shard} did not get {what}; it got {[t for t, _ in self.dispatches()]}")
            await asyncio.sleep(0.02)
        return found

    async def ready(self) -> dict[str, Any]:
        return (await self.wait_for(lambda s: s.events("READY"), "READY"))[0]

    async def closed(self) -> int | None:
        await self.wait_for(lambda s: s._reader is not None and s._reader.done(), "closed")
        return self.close_code

    async def message(self, content: str) -> dict[str, Any]:
        found = await self.wait_for(
            lambda s: [d for d in s.events("MESSAGE_CREATE") if d["content"] == content], f"message {content!r}"
        )
        return found[0]


def bot_guild_ids(world: World, shard: tuple[int, int] | None = None) -> set[str]:
    """The guilds the bot is in (those of one shard if given), as the gateway writes ids."""
    with world.lock:
        ids = [g.id for g in world.guilds.values() if world.bot_user.id in g.members]
    return {str(i) for i in ids if shard is None or shard_of(i, shard[1]) == shard[0]}


def guilds_on_each_shard(world: World, shard_count: int, name: str) -> list[Guild]:
    """New guilds (with the bot) until every shard has one: `result[k]` is on shard k."""
    found: dict[int, Guild] = {}
    for i in range(200):
        guild = world.add_guild(f"{name} {i}")
        found.setdefault(shard_of(guild.id, shard_count), guild)
        if len(found) == shard_count:
            return [found[k] for k in range(shard_count)]
        time.sleep(0.002)  # the shard follows the id's millisecond
    raise AssertionError(f"no guild landed on every one of {shard_count} shards")


def guild_of(event: str, data: dict[str, Any]) -> str | None:
    return data["id"] if event in ("GUILD_CREATE", "GUILD_DELETE") else data.get("guild_id")


def test_gateway_bot_reports_the_recommended_shards_and_max_concurrency(fake: FakeDiscord, gateway: Gateway) -> None:
    async def get() -> dict[str, Any]:
        async with aiohttp.ClientSession() as http, http.get(fake.api_base + "/gateway/bot", headers=AUTH) as resp:
            assert resp.status == 200
            return await resp.json()

    data = asyncio.run(get())
    assert data["url"] == fake.gateway_url
    assert data["shards"] == 1 and data["session_start_limit"]["max_concurrency"] == 1
    assert data["session_start_limit"]["total"] == 1000
    assert data["session_start_limit"]["remaining"] == 1000 - fake.identifies
    gateway.recommended_shards, gateway.max_concurrency = 3, 2
    data = asyncio.run(get())
    assert data["shards"] == 3 and data["session_start_limit"]["max_concurrency"] == 2


def test_two_shards_each_get_only_their_guilds_events(
    fake: FakeDiscord, world: World, driver: Driver, gateway: Gateway
) -> None:
    """READY, the GUILD_CREATEs after it, messages, members, roles, channels, a guild the bot joins and
    interactions all go to the shard of their guild, and to no other."""
    gateway.max_concurrency = 2  # shards 0 and 1 are in different buckets: they may identify at once
    g0, g1 = guilds_on_each_shard(world, 2, "Sharded")
    alice0, alice1 = g0.add_member("alice"), g1.add_member("alice")
    world.global_commands.append(RAW_COMMAND)
    too_fast = fake.identify_too_fast

    async def run() -> tuple[RawShard, RawShard]:
        async with RawShard(fake, [0, 2]) as s0, RawShard(fake, [1, 2]) as s1:
            for k, shard in enumerate((s0, s1)):
                ready = await shard.ready()
                assert ready["shard"] == [k, 2]
                assert {g["id"] for g in ready["guilds"]} == bot_guild_ids(world, (k, 2))
                streamed = await shard.wait_for(
                    lambda s, k=k: (
                        len(s.events("GUILD_CREATE")) >= len(bot_guild_ids(world, (k, 2))) and s.events("GUILD_CREATE")
                    ),
                    "the GUILD_CREATEs after READY",
                )
                assert {g["id"] for g in streamed} == bot_guild_ids(world, (k, 2))
            for shard in (s0, s1):
                shard.frames.clear()
            for guild, alice in ((g0, alice0), (g1, alice1)):
                world.post(guild.general, alice, f"hello {guild.name}")
                guild.add_member("bob")
                guild.add_role("volunteer")
                guild.add_text_channel("shifts")
                driver.send_command("raw", user=alice)
            new0, new1 = guilds_on_each_shard(world, 2, "Joined")
            world.post(g1.general, alice1, "last for shard 1")
            world.post(g0.general, alice0, "last for shard 0")
            await s0.message("last for shard 0")
            await s1.message("last for shard 1")
            for k, shard, guild, new in ((0, s0, g0, new0), (1, s1, g1, new1)):
                got = shard.dispatches()
                assert {t for t, _ in got} >= {
                    "MESSAGE_CREATE",
                    "GUILD_MEMBER_ADD",
                    "GUILD_ROLE_CREATE",
                    "CHANNEL_CREATE",
                    "INTERACTION_CREATE",
                    "GUILD_CREATE",
                }
                assert all(guild_of(t, d) is not None and shard_of(int(guild_of(t, d)), 2) == k for t, d in got), got
                assert {d["id"] for d in shard.events("GUILD_CREATE")} >= {str(new.id)}
                assert [d["guild_id"] for d in shard.events("INTERACTION_CREATE")] == [str(guild.id)]
            return s0, s1

    try:
        asyncio.run(run())
    finally:
        world.global_commands.remove(RAW_COMMAND)
    assert fake.identify_too_fast == too_fast


def test_dms_go_to_shard_0_only_and_shard_counts_may_differ(
    fake: FakeDiscord, world: World, driver: Driver, gateway: Gateway
) -> None:
    """Events without a guild reach every session of shard 0, whatever its shard count (Discord lets
    sessions with different counts run side by side), and never shard 1."""
    gateway.identify_interval = 0  # pacing is tested on its own below
    g0, g1 = guilds_on_each_shard(world, 2, "Direct")
    alice = g0.add_member("alice")
    carol = g1.add_member("carol")
    world.global_commands.append(RAW_COMMAND)

    async def run() -> None:
        async with RawShard(fake) as whole, RawShard(fake, [0, 2]) as s0, RawShard(fake, [1, 2]) as s1:
            assert (await whole.ready())["shard"] == [0, 1]
            for shard in (s0, s1):
                await shard.ready()
            driver.send_command("raw", user=alice.user)  # /raw in alice's DM: no guild
            dm = world.channels[alice.user.dm_channel_id]
            world.post(dm, alice.user, "a DM")
            world.post(g1.general, carol, "after the DM")
            for shard in (whole, s0):
                got = await shard.message("a DM")
                assert "guild_id" not in got
                [inter] = await shard.wait_for(lambda s: s.events("INTERACTION_CREATE"), "the DM interaction")
                assert "guild_id" not in inter and inter["user"]["id"] == str(alice.id)
            await s1.message("after the DM")  # everything before it has been pumped to shard 1
            assert s1.events("INTERACTION_CREATE") == []
            assert [d["content"] for d in s1.events("MESSAGE_CREATE")] == ["after the DM"]
            assert (await whole.message("after the DM"))["guild_id"] == str(g1.id)

    try:
        asyncio.run(run())
    finally:
        world.global_commands.remove(RAW_COMMAND)


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0]])
def test_an_invalid_shard_is_closed_with_4010(fake: FakeDiscord, gateway: Gateway, shard: Any) -> None:
    async def run() -> int | None:
        async with RawShard(fake, shard) as raw:
            return await raw.closed()

    assert asyncio.run(run()) == 4010
    assert gateway.refused[-1][0] == 4010


def test_too_many_guilds_for_one_session_is_closed_with_4011(fake: FakeDiscord, world: World, gateway: Gateway) -> None:
    guilds_on_each_shard(world, 2, "Crowded")
    per_shard = [len(bot_guild_ids(world, (k, 2))) for k in range(2)]
    gateway.max_guilds_per_shard = max(per_shard)  # fewer than all of them: one shard is too few
    gateway.max_concurrency = 2
    identifies = fake.identifies

    async def unsharded() -> tuple[int | None, list[str]]:
        async with RawShard(fake) as raw:
            code = await raw.closed()
            return code, [t for t, _ in raw.dispatches()]

    assert asyncio.run(unsharded()) == (4011, [])
    assert gateway.refused[-1][0] == 4011 and "would hold" in gateway.refused[-1][1]
    assert fake.identifies == identifies
    time.sleep(gateway.identify_wait())

    async def sharded() -> None:
        async with RawShard(fake, [0, 2]) as s0, RawShard(fake, [1, 2]) as s1:
            for k, shard in enumerate((s0, s1)):
                assert len((await shard.ready())["guilds"]) == per_shard[k]

    asyncio.run(sharded())


def test_identifying_twice_in_one_bucket_within_the_window_gets_op_9(fake: FakeDiscord, gateway: Gateway) -> None:
    """max_concurrency 1: shards 0 and 1 share bucket 0, so the second IDENTIFY within the window is
    answered with INVALID_SESSION (d=false); once the window has passed it is accepted."""
    gateway.identify_interval = 1.0
    time.sleep(gateway.identify_wait())  # the window is wider now: the last IDENTIFY may fall in it
    too_fast = fake.identify_too_fast

    async def run() -> None:
        async with RawShard(fake, [0, 2]) as s0:
            await s0.ready()
            async with RawShard(fake, [1, 2]) as early:
                invalid = await early.wait_for(lambda s: [f for f in s.frames if f["op"] == 9], "op 9")
                assert invalid[0]["d"] is False
                assert early.events("READY") == []
            assert fake.identify_too_fast == too_fast + 1
            assert 0 < gateway.identify_wait() <= 1.0
            await asyncio.sleep(gateway.identify_wait())
            async with RawShard(fake, [1, 2]) as s1:
                assert (await s1.ready())["shard"] == [1, 2]
            assert fake.identify_too_fast == too_fast + 1

    asyncio.run(run())


def test_discord_py_auto_sharded_client_retries_after_op_9_and_gets_every_guild(
    fake: FakeDiscord, world: World, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real AutoShardedClient takes its shard count from GET /gateway/bot. Its second shard identifies
    at once (the hook below skips discord.py's 5 s wait the first time), gets op 9, and identifies
    again after the window; then it has every guild, each on the right shard, and hears both shards."""
    window = 0.5
    gateway.recommended_shards, gateway.max_concurrency, gateway.identify_interval = 2, 1, window
    g0, g1 = guilds_on_each_shard(world, 2, "Auto")
    alice0, alice1 = g0.add_member("alice"), g1.add_member("alice")
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    time.sleep(gateway.identify_wait())
    too_fast = fake.identify_too_fast

    class Probe(discord.AutoShardedClient):
        def __init__(self) -> None:
            super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.2)
            self.hooks: list[int | None] = []
            self.heard: list[discord.Message] = []

        async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
            self.hooks.append(shard_id)
            if self.hooks.count(shard_id) > 1:
                await asyncio.sleep(window)  # discord.py would wait 5 s

        async def on_message(self, message: discord.Message) -> None:
            self.heard.append(message)

    async def run() -> Probe:
        client = Probe()
        runner = asyncio.create_task(client.start(FAKE_TOKEN))
        try:
            deadline = time.monotonic() + 20
            while not client.is_ready():
                assert not runner.done(), runner.exception()
                assert time.monotonic() < deadline, "the AutoShardedClient was not ready within 20 s"
                await asyncio.sleep(0.05)
            assert client.shard_count == 2
            assert {str(g.id) for g in client.guilds} == bot_guild_ids(world)
            assert all(g.shard_id == shard_of(g.id, 2) for g in client.guilds)
            world.post(g0.general, alice0, "to shard 0")
            world.post(g1.general, alice1, "to shard 1")
            deadline = time.monotonic() + 5
            while len(client.heard) < 2:
                assert time.monotonic() < deadline, f"heard only {client.heard}"
                await asyncio.sleep(0.02)
            assert sorted((m.guild.id, m.guild.shard_id) for m in client.heard if m.guild) == sorted(
                [(g0.id, 0), (g1.id, 1)]
            )
        finally:
            await client.close()
            await asyncio.wait_for(runner, 10)
        return client

    client = asyncio.run(run())
    assert client.hooks == [0, 1, 1]
    assert fake.identify_too_fast == too_fast + 1
