"""The fake at the wire: raw HTTP and websocket calls, no discord.py in between."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from fakediscord import FAKE_TOKEN, BotProcess, Driver, FakeDiscord, World

AUTH = {"Authorization": f"Bot {FAKE_TOKEN}"}


async def _request(method: str, url: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
    async with aiohttp.ClientSession() as session, session.request(method, url, **kwargs) as resp:
        body = await resp.read()
        data = json.loads(body) if resp.headers.get("Content-Type") == "application/json" else body
        return resp.status, dict(resp.headers), data


def request(method: str, url: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
    return asyncio.run(_request(method, url, **kwargs))


def test_unknown_route_is_a_recorded_404(fake: FakeDiscord, world: World) -> None:
    status, _, data = request("GET", fake.api_base + "/guilds/1/nonsense", headers=AUTH)
    assert status == 404
    assert data["code"] == 0
    found = world.drain_violations()
    assert [v.kind for v in found] == ["unknown_route"]
    assert "/guilds/1/nonsense" in found[0].detail


def test_a_wrong_token_gets_401(fake: FakeDiscord, world: World) -> None:
    status, headers, data = request("GET", fake.api_base + "/users/@me", headers={"Authorization": "Bot nope"})
    assert status == 401
    assert headers["Content-Type"] == "application/json"
    status, _, data = request("GET", fake.api_base + "/users/@me", headers=AUTH)
    assert status == 200 and data["bot"] is True


def test_discord_py_reports_a_rejected_token(make_bot, world: World) -> None:
    proc = make_bot("fakediscord.minibot", start=False, extra_env={"DISCORD_TOKEN": "wrong"})
    proc.start(wait=False)
    assert proc.proc is not None
    proc.proc.wait(20)
    assert proc.returncode != 0
    assert "LoginFailure" in proc.log_text() or "Improper token" in proc.log_text()


def test_gateway_rejects_a_wrong_token_with_4004(fake: FakeDiscord) -> None:
    async def identify() -> int | None:
        async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
            hello = await ws.receive_json()
            assert hello["op"] == 10
            await ws.send_json({"op": 2, "d": {"token": "nope", "intents": 0, "properties": {}}})
            msg = await ws.receive()
            assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            return ws.close_code

    assert asyncio.run(identify()) == 4004


def test_message_rate_limit_headers_and_429(fake: FakeDiscord, world: World) -> None:
    chan = world.add_guild("Raw limits").general
    url = f"{fake.api_base}/channels/{chan.id}/messages"
    statuses = []
    for i in range(6):
        status, headers, data = request("POST", url, headers=AUTH, json={"content": f"m{i}"})
        statuses.append(status)
        assert headers["X-RateLimit-Limit"] == "5"
        assert "X-RateLimit-Reset-After" in headers and "X-RateLimit-Bucket" in headers
    assert statuses == [200] * 5 + [429]
    assert headers["Via"] == "1.1 google"
    assert float(headers["Retry-After"]) > 0
    assert data["global"] is False and 0 < data["retry_after"] <= 5
    assert headers["X-RateLimit-Remaining"] == "0"
    assert world.rate_limited[-1] == f"POST /channels/{chan.id}/messages"
    assert len(world.messages(chan)) == 5


def test_fail_on_429_makes_a_429_a_violation(fake: FakeDiscord, world: World) -> None:
    chan = world.add_guild("Strict limits").general
    world.fail_on_429 = True
    for i in range(6):
        request("POST", f"{fake.api_base}/channels/{chan.id}/messages", headers=AUTH, json={"content": str(i)})
    assert [v.kind for v in world.drain_violations()] == ["rate_limited"]


def test_multipart_upload_keeps_bytes_and_checks_payload_json(fake: FakeDiscord, world: World) -> None:
    chan = world.add_guild("Uploads").general
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    form = aiohttp.FormData(quote_fields=False)
    payload = {
        "content": "chart",
        "attachments": [{"id": 0, "filename": "chart.png"}],
        "embeds": [{"title": "t" * 257}],
    }
    form.add_field("payload_json", json.dumps(payload), content_type="application/json")
    form.add_field("files[0]", png, filename="chart.png", content_type="application/octet-stream")
    status, _, data = request("POST", f"{fake.api_base}/channels/{chan.id}/messages", headers=AUTH, data=form)
    assert status == 200
    [msg] = world.messages(chan)
    assert msg.attachments[0].data == png
    assert msg.attachments[0].content_type == "image/png"
    status, _, body = request("GET", data["attachments"][0]["url"])
    assert body == png
    found = {v.kind for v in world.drain_violations()}
    assert found == {"openapi", "message_limit"}


def test_dm_to_closed_dms_is_403_50007(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Closed")
    bob = guild.add_member("bob", dms_closed=True)
    status, _, dm = request(
        "POST", fake.api_base + "/users/@me/channels", headers=AUTH, json={"recipient_id": str(bob.id)}
    )
    assert status == 200 and dm["type"] == 1
    status, _, data = request(
        "POST", f"{fake.api_base}/channels/{dm['id']}/messages", headers=AUTH, json={"content": "hi"}
    )
    assert (status, data["code"]) == (403, 50007)


def test_role_changes_need_manage_roles_and_a_higher_role(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Hierarchy")
    alice = guild.add_member("alice")
    low = guild.add_role("low")
    high = guild.add_role("high", above_bot=True)
    base = f"{fake.api_base}/guilds/{guild.id}/members/{alice.id}/roles/"
    assert request("PUT", base + str(low.id), headers=AUTH)[0] == 204
    assert alice.role_names == ["low"]
    status, _, data = request("PUT", base + str(high.id), headers=AUTH)
    assert (status, data["code"]) == (403, 50013)
    assert request("DELETE", base + str(low.id), headers=AUTH)[0] == 204
    assert alice.roles == []


def test_gateway_resume_replays_missed_events_in_order(
    fake: FakeDiscord, world: World, driver: Driver, minibot: BotProcess
) -> None:
    """Drop the socket, send an interaction while the bot is away: it must RESUME and answer it."""
    guild = world.add_guild("Flaky")
    alice = guild.add_member("alice")
    driver.command("ping", user=alice)
    identifies, resumes = fake.identifies, fake.resumes
    fake.drop_gateway(hold_resume=0.6)
    pending = [driver.send_command("echo", user=alice, text=f"n{i}", loud=True) for i in range(3)]
    answers = [p.answer() for p in pending]
    assert [a.content for a in answers] == ["N0", "N1", "N2"]
    assert fake.resumes == resumes + 1
    assert fake.identifies == identifies
    minibot.wait_for_log("successfully RESUMED")


def test_members_chunk_answers_op8_with_nonce(fake: FakeDiscord, world: World, bot_pool) -> None:
    """A raw client identifies, then asks for members: the chunk echoes its nonce."""
    bot_pool.pause_all()  # the raw client takes over the gateway session
    guild = world.add_guild("Chunky")
    guild.add_member("alice")

    async def run() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
            await ws.receive_json()
            await ws.send_json({"op": 2, "d": {"token": FAKE_TOKEN, "intents": 2, "properties": {}}})
            await ws.send_json({"op": 8, "d": {"guild_id": str(guild.id), "query": "", "limit": 0, "nonce": "n1"}})
            while True:
                frame = await ws.receive_json(timeout=5)
                if frame.get("t") == "GUILD_MEMBERS_CHUNK":
                    return frame["d"]

    chunk = asyncio.run(run())
    assert chunk["nonce"] == "n1"
    assert "alice" in [m["user"]["username"] for m in chunk["members"]]


@pytest.mark.parametrize("with_response", [True, False])
def test_callback_with_response(fake: FakeDiscord, world: World, bot_pool, with_response: bool) -> None:
    """Without a bot: answer an interaction by hand and read Discord's callback response shape."""
    from fakediscord.driver import Driver as _Driver

    bot_pool.pause_all()
    guild = world.add_guild("Callback")
    alice = guild.add_member("alice")
    drv = _Driver(fake)
    world.global_commands.append({"id": "1", "name": "raw", "type": 1, "description": "", "options": []})
    try:
        pending = drv.send_command("raw", user=alice)
    finally:
        world.global_commands.pop()
    inter = pending.interaction
    query = "?with_response=true" if with_response else ""
    url = f"{fake.api_base}/interactions/{inter.id}/{inter.token}/callback{query}"
    answer = {"type": 4, "data": {"content": "hi", "allowed_mentions": {"parse": []}}}
    status, _, data = request("POST", url, json=answer)
    if with_response:
        assert status == 200
        assert data["interaction"]["id"] == str(inter.id)
        assert data["resource"]["type"] == 4 and data["resource"]["message"]["content"] == "hi"
    else:
        assert status == 204
    assert pending.answer().content == "hi"
    status, _, data = request("POST", url, json={"type": 4, "data": {"content": "again"}})
    assert (status, data["code"]) == (400, 40060)
    assert [v.kind for v in world.drain_violations()] == ["double_response"]


def test_member_edit_checks_every_role_it_changes(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Member edit")
    alice = guild.add_member("alice")
    low = guild.add_role("low")
    high = guild.add_role("high", above_bot=True)
    url = f"{fake.api_base}/guilds/{guild.id}/members/{alice.id}"
    status, _, data = request("PATCH", url, headers=AUTH, json={"roles": [str(low.id)]})
    assert status == 200 and data["roles"] == [str(low.id)]
    status, _, data = request("PATCH", url, headers=AUTH, json={"roles": [str(low.id), str(high.id)]})
    assert (status, data["code"]) == (403, 50013)
    assert alice.role_names == ["low"]


def test_threads_archive_and_reopen_on_send(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Archive")
    chan = guild.general
    status, _, msg = request(
        "POST", f"{fake.api_base}/channels/{chan.id}/messages", headers=AUTH, json={"content": "card"}
    )
    status, _, thread = request(
        "POST",
        f"{fake.api_base}/channels/{chan.id}/messages/{msg['id']}/threads",
        headers=AUTH,
        json={"name": "chat", "auto_archive_duration": 60},
    )
    assert status == 201 and thread["id"] == msg["id"]
    url = f"{fake.api_base}/channels/{thread['id']}"
    status, _, data = request("PATCH", url, headers=AUTH, json={"archived": True})
    assert data["thread_metadata"]["archived"] is True
    status, _, _ = request("POST", url + "/messages", headers=AUTH, json={"content": "again"})
    assert status == 200
    assert world.channels[int(thread["id"])].archived is False


def test_channel_overwrites_bind_the_bot_and_interactions(fake: FakeDiscord, world: World, driver: Driver) -> None:
    from fakediscord.constants import SEND_MESSAGES, VIEW_CHANNEL

    guild = world.add_guild("Overwrites")
    quiet, hidden = guild.add_text_channel("quiet"), guild.add_text_channel("hidden")
    world.set_overwrite(quiet, guild.bot_role, deny=SEND_MESSAGES)
    world.set_overwrite(hidden, guild.everyone, deny=VIEW_CHANNEL)
    status, _, data = request(
        "POST", f"{fake.api_base}/channels/{quiet.id}/messages", headers=AUTH, json={"content": "x"}
    )
    assert (status, data["code"]) == (403, 50013)
    status, _, data = request("GET", f"{fake.api_base}/channels/{hidden.id}", headers=AUTH)
    assert (status, data["code"]) == (403, 50001)
    status, _, data = request("GET", f"{fake.api_base}/channels/{quiet.id}", headers=AUTH)
    assert status == 200 and data["permission_overwrites"][0]["deny"] == str(SEND_MESSAGES)
    bot = guild.bot_member
    assert not bot.permissions_in(quiet) & SEND_MESSAGES and bot.permissions_in(guild.general) & SEND_MESSAGES
    alice = guild.add_member("alice")
    assert alice.permissions_in(hidden) == 0  # without View Channel nothing is left
    world.set_overwrite(hidden, alice, allow=VIEW_CHANNEL)  # the member's own overwrite comes last
    assert alice.permissions_in(hidden) & VIEW_CHANNEL
    world.set_overwrite(quiet, guild.bot_role)  # both 0: the overwrite is gone
    assert quiet.overwrites == [] and bot.permissions_in(quiet) & SEND_MESSAGES


def test_a_deleted_role_answers_10011(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Deleted role")
    alice = guild.add_member("alice")
    helpers = guild.add_role("helpers")
    alice.add_role(helpers)
    world.delete_role(helpers)
    assert alice.roles == []
    status, _, data = request(
        "PUT", f"{fake.api_base}/guilds/{guild.id}/members/{alice.id}/roles/{helpers.id}", headers=AUTH
    )
    assert (status, data["code"]) == (404, 10011)


@pytest.mark.parametrize(
    ("allowed", "why"),
    [
        ({"parse": ["users"], "users": ["1"]}, "mutually exclusive"),
        ({"parse": ["people"]}, "unknown values"),
        ({"roles": [str(i + 1) for i in range(101)]}, "limit 100"),
    ],
)
def test_allowed_mentions_discord_refuses(fake: FakeDiscord, world: World, allowed: dict, why: str) -> None:
    chan = world.add_guild("Mentions " + why).general
    body = {"content": "hello", "allowed_mentions": allowed}
    status, _, data = request("POST", f"{fake.api_base}/channels/{chan.id}/messages", headers=AUTH, json=body)
    assert (status, data["code"]) == (400, 50035) and why in data["message"]
    assert world.messages(chan) == []
    assert "bad_allowed_mentions" in [v.kind for v in world.drain_violations()]  # the schema may see it too


def test_routes_beyond_messages_have_their_own_buckets(fake: FakeDiscord, world: World) -> None:
    guild = world.add_guild("Buckets")
    people = [guild.add_member(f"p{i}") for i in range(11)]
    statuses, buckets = [], set()
    for person in people:
        status, headers, _ = request(
            "POST", fake.api_base + "/users/@me/channels", headers=AUTH, json={"recipient_id": str(person.id)}
        )
        statuses.append(status)
        buckets.add(headers["X-RateLimit-Bucket"])
    assert statuses == [200] * 10 + [429] and buckets == {"dm-channels"}
    role = guild.add_role("r")
    url = f"{fake.api_base}/guilds/{guild.id}/members/{people[0].id}/roles/{role.id}"
    statuses = [request("PUT" if i % 2 == 0 else "DELETE", url, headers=AUTH)[0] for i in range(11)]
    assert statuses == [204] * 10 + [429]


def test_a_burst_past_50_per_second_meets_the_global_limit(fake: FakeDiscord, world: World) -> None:
    async def burst() -> list[tuple[int, dict[str, str], Any]]:
        async with aiohttp.ClientSession() as session:

            async def one() -> tuple[int, dict[str, str], Any]:
                async with session.get(fake.api_base + "/users/@me", headers=AUTH) as resp:
                    return resp.status, dict(resp.headers), await resp.json()

            return await asyncio.gather(*(one() for _ in range(60)))

    answers = asyncio.run(burst())
    limited = [(h, d) for s, h, d in answers if s == 429]
    assert limited, "60 requests at once passed the global limit"
    headers, data = limited[0]
    assert data["global"] is True and headers["X-RateLimit-Global"] == "true"


def test_a_repeated_nonce_returns_the_first_message_in_any_channel(fake: FakeDiscord, world: World) -> None:
    """Discord compares an author's enforced nonces across channels, for a few minutes."""
    guild = world.add_guild("Nonces")
    other = guild.add_text_channel("other")
    body = {"content": "once", "nonce": "rota-7", "enforce_nonce": True}
    _, _, first = request("POST", f"{fake.api_base}/channels/{guild.general.id}/messages", headers=AUTH, json=body)
    _, _, again = request("POST", f"{fake.api_base}/channels/{other.id}/messages", headers=AUTH, json=body)
    assert again["id"] == first["id"] and world.messages(other) == []
    body["nonce"] = "rota-7-thread"
    _, _, third = request("POST", f"{fake.api_base}/channels/{other.id}/messages", headers=AUTH, json=body)
    assert third["id"] != first["id"] and [m.text for m in world.messages(other)] == ["once"]
