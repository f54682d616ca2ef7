"""The web endpoint end to end: calendar feeds, /healthz and /metrics of the real bot process.

Each test starts its own bot (make_bot) with ROTA_WEB_PORT on a free port, talks to it over HTTP
as a calendar app or Prometheus would, and drives Discord through the fake.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from prometheus_client.parser import text_string_to_metric_families

from fakediscord import BotProcess, Driver, FakeDiscord, World

REPO = Path(__file__).resolve().parents[2]
LINK = re.compile(r"<(http://127\.0\.0\.1:\d+/calendar/([A-Za-z0-9_-]+)\.ics)>")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Http:
    """A tiny client: (status, headers, body) for any answer, 4xx/5xx included."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path_or_url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture
def web_bot(make_bot: Callable[..., BotProcess]) -> tuple[BotProcess, Http]:
    port = free_port()
    env = {"ROTA_WEB_PORT": str(port), "ROTA_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    return make_bot("bot", extra_env=env), Http(port)


@pytest.fixture
def group(world: World) -> dict[str, Any]:
    guild = world.add_guild("Leafleters")
    return {
        "guild": guild,
        "alice": guild.add_member("alice"),
        "bob": guild.add_member("bob"),
        "cara": guild.add_member("cara"),
    }


def day(world: World, ahead: int) -> str:
    """A date some days ahead of the fake's clock (other tests move it)."""
    return f"{datetime.fromtimestamp(world.now(), UTC).date() + timedelta(days=ahead):%Y-%m-%d}"


def offer(driver: Driver, user: Any, world: World, ahead: int, where: str, places: int = 2) -> int:
    answer = driver.command("shift offer", user=user, when=f"{day(world, ahead)} 10:00", where=where, places=places)
    assert "Posted" in answer.text, answer
    match = re.search(r"#(\d+)", answer.text)
    assert match
    return int(match.group(1))


def link_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    assert f"webcal://127.0.0.1:{match.group(1).split(':')[2]}" in text  # the webcal:// form too
    return match.group(1)


def events(body: bytes) -> dict[int, Any]:
    """The feed's events by shift number (parsing it checks it is valid iCalendar)."""
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["VERSION"]) == "2.0"
    assert "REFRESH-INTERVAL" in parsed and "X-PUBLISHED-TTL" in parsed
    found = {}
    for event in parsed.walk("VEVENT"):
        match = re.match(r"shift-(\d+)-", str(event["UID"]))
        assert match
        found[int(match.group(1))] = event
    return found


def test_personal_feed_follows_claim_edit_leave_cancel_and_dies_on_reset_and_delete(
    web_bot: tuple[BotProcess, Http], world: World, driver: Driver, group: dict[str, Any]
) -> None:
    bot, http = web_bot
    alice, bob = group["alice"], group["bob"]
    kept = offer(driver, alice, world, 3, "Market Square")
    left = offer(driver, alice, world, 4, "Station")

    first = driver.command("shift calendar", user=bob)
    assert first.ephemeral and first.attachments  # the file as before, and the link
    url = link_in(first.text)
    status, headers, body = http.get(url)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age" in headers["Cache-Control"] and headers["ETag"]
    assert events(body) == {}

    driver.command("shift claim", user=bob, shift=kept)
    driver.command("shift claim", user=bob, shift=left)
    status, headers, body = http.get(url)
    claimed = events(body)
    assert set(claimed) == {kept, left}
    event = claimed[kept]
    assert str(event["SUMMARY"]) == f"Shift #{kept}: Market Square" and str(event["LOCATION"]) == "Market Square"
    assert event.decoded("SEQUENCE") == 0 and str(event["STATUS"]) == "CONFIRMED"
    thread = bot.rows("SELECT thread_id FROM shifts WHERE id = ?", kept)[0][0]
    assert str(event["URL"]) == f"https://discord.com/channels/{group['guild'].id}/{thread}"
    assert str(event["URL"]) in str(event["DESCRIPTION"])
    unchanged_etag = headers["ETag"]
    assert http.get(url, If_None_Match=unchanged_etag)[0] == 304

    driver.command("shift edit", user=alice, shift=kept, when=f"{day(world, 5)} 11:00")
    status, headers, body = http.get(url, If_None_Match=unchanged_etag)
    assert status == 200 and headers["ETag"] != unchanged_etag  # a stale ETag gets the new feed
    moved = events(body)[kept]
    assert moved.decoded("SEQUENCE") == 1 and str(moved["UID"]) == str(event["UID"])
    assert moved.decoded("LAST-MODIFIED") >= event.decoded("LAST-MODIFIED")
    assert moved.decoded("DTSTART").strftime("%H:%M") == "11:00"

    driver.command("shift leave", user=bob, shift=left)
    assert set(events(http.get(url)[2])) == {kept}  # a shift they left vanishes from their calendar

    driver.command("shift cancel", user=alice, shift=kept, reason="Rain")
    cancelled = events(http.get(url)[2])[kept]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.decoded("SEQUENCE") == 2

    again = driver.command("shift calendar", user=bob)
    assert not LINK.search(again.text) and "can't show it again" in again.text
    reset = driver.command("shift calendar", user=bob, reset=True)
    new_url = link_in(reset.text)
    assert new_url != url
    gone = http.get(url)
    assert gone[0] == 404 and gone[2] == http.get("/calendar/" + "A" * 43 + ".ics")[2]  # revoked = never existed
    assert http.get(new_url)[0] == 200

    ask = driver.command("mydata delete", user=bob)
    driver.click(ask, "Yes, delete my data here", user=bob)
    world.wait_until(lambda: http.get(new_url)[0] == 404, what="the link to die with the member's data")
    assert bot.rows("SELECT COUNT(*) FROM calendar_feeds") == [(0,)]


def test_group_feed_counts_open_places_without_names_and_limits_hammering(
    web_bot: tuple[BotProcess, Http], world: World, driver: Driver, group: dict[str, Any]
) -> None:
    _, http = web_bot
    alice, bob, cara = group["alice"], group["bob"], group["cara"]
    roomy = offer(driver, alice, world, 3, "Market Square", places=3)
    full = offer(driver, alice, world, 3, "Park Gate", places=1)
    driver.command("shift claim", user=bob, shift=roomy)  # the offerer holds one place too
    waitlist = driver.command("shift claim", user=cara, shift=full)  # the offerer holds its only place
    driver.click(waitlist, "Join the waitlist", user=cara)
    waiting = events(http.get(link_in(driver.command("shift calendar", user=cara).text))[2])[full]
    assert str(waiting["STATUS"]) == "TENTATIVE" and str(waiting["SUMMARY"]).endswith("(on the waitlist)")

    answer = driver.command("shift calendar", user=cara, show="group")
    assert answer.ephemeral and not answer.attachments and "never names" in answer.text
    url = link_in(answer.text)
    status, headers, body = http.get(url)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    shown = events(body)
    assert set(shown) == {roomy}  # a full shift has no open place
    assert str(shown[roomy]["SUMMARY"]) == f"Shift #{roomy}: Market Square (1 of 3 places open)"
    text = body.decode("utf-8").lower()
    for person in (alice, bob, cara):
        assert person.name.lower() not in text and str(person.id) not in text

    other = driver.command("shift calendar", user=bob, show="group")
    assert link_in(other.text) != url  # each member's group link is their own to revoke

    statuses = [http.get(url) for _ in range(25)]
    limited = [s for s in statuses if s[0] == 429]
    assert limited and int(limited[0][1]["Retry-After"]) >= 1


def test_health_follows_the_gateway_and_metrics_count_interactions(
    make_bot: Callable[..., BotProcess], fake: FakeDiscord, world: World, driver: Driver, group: dict[str, Any]
) -> None:
    port = free_port()
    make_bot("bot", extra_env={"ROTA_WEB_PORT": str(port)})  # no public address: health and metrics only
    http = Http(port)
    assert http.get("/healthz")[:3:2] == (200, b"ok\n")
    assert http.get("/calendar/" + "A" * 43 + ".ics")[0] == 404  # no links are given out, none served
    refused = driver.command("shift calendar", user=group["bob"], show="group")
    assert "not turned on" in refused.text

    for _ in range(3):
        driver.command("help", user=group["alice"])
    missing = driver.command("shift show", user=group["bob"], shift=999_999)
    assert "can't find" in missing.text
    world.inject_429("POST", "/channels/{channel_id}/messages", times=2, retry_after=0.1)
    offer(driver, group["alice"], world, 3, "Market Square")  # its card waits out two 429s

    resumes = fake.resumes
    fake.drop_gateway(hold_resume=3.0)
    down = world.wait_until(lambda: (r := http.get("/healthz"))[0] == 503 and r, what="/healthz to say 503")
    assert down[2].decode().count("\n") == 1 and "gateway" in down[2].decode()
    world.wait_until(lambda: http.get("/healthz")[0] == 200, timeout=15, what="/healthz to recover")
    assert fake.resumes == resumes + 1

    def samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        status, headers, body = http.get("/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        text = body.decode()
        for person in group.values():  # no ids or names of anyone
            assert str(person.id) not in text
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }

    def counted(found: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> bool:
        return (
            found.get(("rota_answer_seconds_count", (("kind", "application_command"),)), 0) >= 6
            and found.get(("rota_discord_rate_limited_total", (("route", "/channels/{id}/messages"),)), 0) == 2
            and found.get(("rota_gateway_reconnects_total", (("how", "resume"), ("shard", "0"))), 0) == 1
        )

    found = world.wait_until(lambda: (f := samples()) and counted(f) and f, what="the metrics to count it all")
    assert found[("rota_interactions_total", (("command", "help"), ("outcome", "ok")))] == 3
    assert found[("rota_interactions_total", (("command", "shift show"), ("outcome", "refused")))] == 1
    assert found[("rota_interactions_total", (("command", "shift calendar"), ("outcome", "ok")))] == 1
    assert found[("rota_gateway_connected", (("shard", "0"),))] == 1
    assert found[("rota_db_transaction_seconds_count", ())] >= 1
    assert ("rota_jobs_due", ()) in found


def test_a_port_in_use_stops_the_bot_with_one_line_naming_the_variable(fake: FakeDiscord, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
        env.update(
            DISCORD_TOKEN=fake.token,
            ROTA_DATABASE=str(tmp_path / "rota.sqlite3"),
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
            ROTA_WEB_PORT=str(port),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(REPO),
        )
        result = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("rota:")]
    assert len(said) == 1 and f"ROTA_WEB_PORT={port}: cannot listen" in said[0], result.stderr
    assert "Traceback" not in result.stderr
