"""Rota's benchmarks: the real bot process against the fake Discord, every figure from one run.

Why through the harness: what a member feels is the round trip (gateway event in, REST answer out),
and start-up, memory and reminders belong to the process, so the bot runs as `python -m bot` against
`fakediscord` on a temporary database. Each scenario gets its own fake, so one scenario's
servers never slow another's start. Ratios compare two figures measured in the same run, which
makes them meaningful on any machine; the absolute figures are printed for the record.

    python -m bench            # full sizes (about two minutes)
    python -m bench --quick    # small sizes, a smoke test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.store.sqlite import SqliteDatabase as Database  # noqa: E402
from fakediscord import BotProcess, Driver, FakeDiscord, Guild, Member, World  # noqa: E402
from fakediscord.entities import snowflake_time  # noqa: E402
from tests.support import postgres  # noqa: E402

GAP = 0.02  # seconds between timed commands, so each is measured on an idle bot
RESULTS = Path(__file__).resolve().parent / "results.json"
READY = "Rota is ready"
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*" + re.escape(READY), re.MULTILINE)


@dataclass(frozen=True)
class Sizes:
    latency_samples: int = 200
    burst: int = 250
    burst_rounds: int = 3
    burst_cards: int = 5
    big_shifts: int = 100_000
    small_shifts: int = 10
    pending_jobs: int = 100_000
    reminders: int = 10
    servers: int = 1000
    memory_points: tuple[int, ...] = (100, 1000, 2500, 5000)


QUICK = Sizes(
    latency_samples=20,
    burst=30,
    burst_rounds=1,
    burst_cards=1,
    big_shifts=2_000,
    pending_jobs=2_000,
    reminders=3,
    servers=20,
    memory_points=(10, 40),
)


@dataclass(frozen=True)
class Goal:
    name: str
    figure: str
    limit: float
    at_most: bool  # True: figure <= limit; False: figure >= limit

    def met(self, figures: dict[str, Any]) -> bool | None:
        value = figures.get(self.figure)
        if value is None:
            return None
        return value <= self.limit if self.at_most else value >= self.limit


GOALS = [
    Goal("claim vs /help latency, p50 ratio", "latency_ratio_p50", 1.3, True),
    Goal("claim vs /help latency, p99 ratio", "latency_ratio_p99", 1.3, True),
    Goal("claim burst rate vs /help burst rate", "burst_rate_ratio", 0.8, False),
    Goal("overbooked shifts after the burst", "burst_overbooked", 0, True),
    Goal("claim p50 with many stored shifts vs few", "stored_ratio_p50", 1.2, True),
    Goal("start-up with pending reminder jobs (s)", "startup_with_jobs_s", 2.0, True),
    Goal("reminder due time to DM, worst (s)", "reminder_delay_max_s", 1.0, True),
    Goal("resident memory with many servers (MB)", "rss_mb", 100.0, True),
]


# --- helpers ------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of [1, 2, 3, 4] is 2)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def round_trip(answer: Any) -> float:
    """Seconds from the interaction leaving the client to the bot's answer reaching Discord."""
    inter = answer.interaction
    assert inter.responded_at is not None
    return inter.responded_at - inter.sent_at


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def future_when(days: int = 2) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d 10:00")


def create_schema(path: Path) -> None:
    """Apply the bot's migrations to an empty database, so the bench can seed it with SQL."""

    async def build() -> None:
        db = Database(path)
        await db.open()
        await db.close()

    asyncio.run(build())


def overbooked(database: Path) -> int:
    """Shifts holding more people than places, or whose counter disagrees with the rows."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute(
            "SELECT COUNT(*) FROM shifts s WHERE s.taken > s.places"
            " OR s.taken != (SELECT COUNT(*) FROM shift_places p WHERE p.shift_id = s.id)"
        ).fetchone()[0]
    finally:
        conn.close()


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB, from /proc."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return round(fields["VmRSS"], 1), round(fields["VmHWM"], 1)


class Scenario:
    """A fresh fake Discord and a temporary folder; bots made here are stopped at the end."""

    def __init__(self, root: Path, name: str) -> None:
        self.dir = root / name
        self.dir.mkdir()
        self.fake = FakeDiscord().start()
        # Start-up figures measure Rota, not Discord's 5 s identify window between quick restarts
        # (the shared test fixture shortens it the same way).
        self.fake.gateway.identify_interval = 0.25
        self.world: World = self.fake.world
        self.driver = Driver(self.fake, timeout=30)
        self.bots: list[BotProcess] = []

    def bot(self, name: str = "bot", **kwargs: Any) -> BotProcess:
        # No scenario moves the clock, so the bot keeps production's clock: the tests' clock reads
        # a file on every call, which a claim (several calls) pays and `/help` (none) does not.
        kwargs["extra_env"] = {"ROTA_TEST_CLOCK_FILE": "", **kwargs.get("extra_env", {})}
        proc = BotProcess(self.fake, self.dir / name, **kwargs)
        self.bots.append(proc)
        return proc

    def close(self) -> None:
        for proc in self.bots:
            if proc.running:
                proc.stop(check=False)
        self.fake.stop()


@contextmanager
def scenario(root: Path, name: str) -> Iterator[Scenario]:
    scene = Scenario(root, name)
    try:
        yield scene
    finally:
        scene.close()


def members(guild: Guild, count: int, prefix: str = "m") -> list[Member]:
    return [guild.add_member(f"{prefix}{i}") for i in range(count)]


def offer(driver: Driver, user: Member, *, places: int, where: str) -> int:
    answer = driver.command("shift offer", user=user, when=future_when(), where=where, places=places, join=False)
    found = re.search(r"#(\d+)", answer.text)
    if not found:
        raise RuntimeError(f"could not offer a shift: {answer.text}")
    return int(found.group(1))


def timed_claims(driver: Driver, people: list[Member], shift_ids: list[int]) -> list[float]:
    times = []
    for i, person in enumerate(people):
        answer = driver.command("shift claim", user=person, shift=shift_ids[i % len(shift_ids)])
        if "You have a place" not in answer.text:
            raise RuntimeError(f"claim failed: {answer.text}")
        times.append(round_trip(answer))
    return times


# --- scenarios ----------------------------------------------------------------------------------


def bench_latency(root: Path, sizes: Sizes) -> dict[str, Any]:
    """`/shift claim` and `/help`, alternated one at a time, after a warm-up of each."""
    n, warm = sizes.latency_samples, 10
    with scenario(root, "latency") as s:
        s.bot().start()
        guild = s.world.add_guild("Latency")
        owner = guild.add_member("owner")
        people = members(guild, n + warm)
        shifts = [offer(s.driver, owner, places=50, where=f"Stall {i}") for i in range(-(-(n + warm) // 50))]
        claims: list[float] = []
        helps: list[float] = []
        for i, person in enumerate(people):
            time.sleep(GAP)  # the previous command's follow-up work (card edit, thread) is done
            help_time = round_trip(s.driver.command("help", user=person))
            time.sleep(GAP)
            claim_time = timed_claims(s.driver, [person], [shifts[i // 50]])[0]
            if i >= warm:
                helps.append(help_time)
                claims.append(claim_time)
    out = {
        "latency_samples": n,
        "claim_p50_ms": ms(percentile(claims, 50)),
        "claim_p99_ms": ms(percentile(claims, 99)),
        "help_p50_ms": ms(percentile(helps, 50)),
        "help_p99_ms": ms(percentile(helps, 99)),
    }
    out["latency_ratio_p50"] = round(out["claim_p50_ms"] / out["help_p50_ms"], 2)
    out["latency_ratio_p99"] = round(out["claim_p99_ms"] / out["help_p99_ms"], 2)
    return out


def burst_rate(driver: Driver, calls: list[Callable[[], Any]]) -> tuple[float, list[Any]]:
    """Answers per second for calls sent together: count / (last answer - first send)."""
    answers = driver.concurrently(calls, timeout=120)
    start = min(a.interaction.sent_at for a in answers)
    end = max(a.interaction.responded_at for a in answers)
    return len(answers) / (end - start), answers


def bench_burst(root: Path, sizes: Sizes) -> dict[str, Any]:
    """Everyone at once: claims on a few cards (more claimants than places) vs as many `/help`.

    Bursts alternate (help, claims, help, claims...) and each rate is the median of its rounds,
    because one burst of hundreds of threads in the driver is at the mercy of the scheduler."""
    n, cards, rounds = sizes.burst, sizes.burst_cards, sizes.burst_rounds
    places = max(1, (n * 4 // 5) // cards)  # a fifth of the claimants find their shift full
    with scenario(root, "burst") as s:
        bot = s.bot().start()
        guild = s.world.add_guild("Burst")
        owner = guild.add_member("owner")
        s.driver.concurrently([lambda p=p: s.driver.command("help", user=p) for p in members(guild, 20, "w")])
        help_rates, claim_rates, answers, shift_ids = [], [], [], []
        for r in range(rounds):
            helpers = members(guild, n, f"h{r}-")
            claimers = members(guild, n, f"c{r}-")
            ids = [offer(s.driver, owner, places=places, where=f"Stall {r}.{i}") for i in range(cards)]
            shift_ids += ids
            time.sleep(0.2)
            rate, _ = burst_rate(s.driver, [lambda p=p: s.driver.command("help", user=p) for p in helpers])
            help_rates.append(rate)
            time.sleep(0.2)
            rate, got = burst_rate(
                s.driver,
                [
                    lambda i=i, p=p, ids=ids: s.driver.command("shift claim", user=p, shift=ids[i % cards])
                    for i, p in enumerate(claimers)
                ],
            )
            claim_rates.append(rate)
            answers += got
        claimed = sum("You have a place" in a.text for a in answers)
        told_full = sum("Every place" in a.text for a in answers)
        settled = all(a.ephemeral for a in answers) and s.world.wait_until(
            lambda: all(f"{places}/{places} taken" in _card_text(s.world, guild, i) for i in shift_ids),
            timeout=60,
            what="the cards to settle",
        )
        bad = overbooked(bot.database)
        help_rate, claim_rate = statistics.median(help_rates), statistics.median(claim_rates)
    return {
        "burst_size": n,
        "burst_rounds": rounds,
        "burst_places": places * cards * rounds,
        "burst_claimed": claimed,
        "burst_told_full": told_full,
        "burst_help_per_s": round(help_rate, 1),
        "burst_claims_per_s": round(claim_rate, 1),
        "burst_rate_ratio": round(claim_rate / help_rate, 2),
        "burst_overbooked": bad + max(0, claimed - places * cards * rounds),
        "burst_cards_settled": bool(settled),
        "burst_429s": len(s.world.rate_limited),
    }


def _card_text(world: World, guild: Guild, shift_id: int) -> str:
    for message in world.messages(guild.general):
        if message.embed and f"Shift #{shift_id} " in (message.embed.get("title") or ""):
            return message.text
    return ""


def seed_shifts(database: Path, guild_id: int, count: int, *, open_places: int, now: float) -> list[int]:
    """`count` shifts in one server over the coming year, each with two of three places taken (and
    their reminder jobs); the first `open_places` shifts have 50 free places for the bench to claim."""
    rng = random.Random(7)
    conn = sqlite3.connect(database)
    try:
        with conn:
            shift_rows = []
            for i in range(count):
                start = int(now) + 86400 + rng.randrange(0, 360 * 86400)
                places, taken = (50, 0) if i < open_places else (3, 2)
                shift_rows.append((guild_id, 1, "Seeder", start, start + 7200, f"Place {i}", places, taken, now))
            conn.executemany(
                "INSERT INTO shifts (guild_id, offerer_id, offerer_name, starts_at, ends_at, location, places, taken,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                shift_rows,
            )
            ids = [row[0] for row in conn.execute("SELECT id FROM shifts WHERE guild_id = ? ORDER BY id", (guild_id,))]
            places_rows, job_rows = [], []
            for shift_id, row in zip(ids, shift_rows, strict=True):
                for _ in range(row[7]):
                    user = rng.randrange(10**17, 10**18)
                    places_rows.append((shift_id, user, "Seeded", now))
                    payload = json.dumps({"shift_id": shift_id, "user_id": user}, sort_keys=True)
                    job_rows.append(("shift_reminder", row[3] - 3600, payload, f"remind:{shift_id}:{user}:60", now))
            conn.executemany(
                "INSERT OR IGNORE INTO shift_places (shift_id, user_id, user_name, claimed_at) VALUES (?, ?, ?, ?)",
                places_rows,
            )
            conn.executemany(
                "INSERT OR IGNORE INTO jobs (kind, due_at, payload, key, created_at) VALUES (?, ?, ?, ?, ?)", job_rows
            )
        return ids[:open_places]
    finally:
        conn.close()


def bench_stored(root: Path, sizes: Sizes) -> dict[str, Any]:
    """The same claims against a database holding few shifts and one holding many (same server).

    Two fakes and two bots run side by side and the claims alternate between them, so both sizes
    are measured under the same conditions."""
    n = sizes.latency_samples
    out: dict[str, Any] = {}
    times: dict[str, list[float]] = {"small": [], "big": []}
    with ExitStack() as stack:
        sides = {}
        for label, count in (("small", sizes.small_shifts), ("big", sizes.big_shifts)):
            s = stack.enter_context(scenario(root, f"stored-{label}"))
            guild = s.world.add_guild(f"Stored {label}")
            people = members(guild, n + 10)
            bot = s.bot()
            create_schema(bot.database)
            open_ids = seed_shifts(bot.database, guild.id, count, open_places=5, now=time.time())
            bot.start()
            sides[label] = (s, people, open_ids)
            out[f"stored_{label}_shifts"] = count
        for i in range(n + 10):
            for label, (s, people, open_ids) in sides.items():
                time.sleep(GAP)
                spent = timed_claims(s.driver, [people[i]], [open_ids[i % len(open_ids)]])[0]
                if i >= 10:
                    times[label].append(spent)
    for label, spent in times.items():
        out[f"claim_{label}_p50_ms"] = ms(percentile(spent, 50))
        out[f"claim_{label}_p99_ms"] = ms(percentile(spent, 99))
    out["stored_ratio_p50"] = round(out["claim_big_p50_ms"] / out["claim_small_p50_ms"], 2)
    out["stored_ratio_p99"] = round(out["claim_big_p99_ms"] / out["claim_small_p99_ms"], 2)
    return out


def postgres_database() -> tuple[str, Callable[[], None]] | None:
    """A fresh, empty PostgreSQL database and how to drop it; None without a reachable server."""
    url = postgres.server_url()
    if asyncio.run(postgres.unreachable_reason(url)) is not None:
        return None
    name = asyncio.run(postgres.create_database(url, "rota_bench_"))
    return postgres.with_database(url, name), lambda: asyncio.run(postgres.drop_database(url, name))


def claim_burst(s: Scenario, guilds: list[Guild], n: int, cards: int) -> tuple[float, list[Any]]:
    """`n` members claiming at once on `cards` shifts per server; a fifth of them find it full."""
    places = max(1, min(50, (n * 4 // 5) // (cards * len(guilds))))
    calls: list[Callable[[], Any]] = []
    for g, guild in enumerate(guilds):
        owner = guild.add_member(f"owner{g}")
        ids = [offer(s.driver, owner, places=places, where=f"Stall {g}.{c}") for c in range(cards)]
        for i, person in enumerate(members(guild, n // len(guilds), f"b{g}-")):
            calls.append(lambda p=person, shift=ids[i % cards]: s.driver.command("shift claim", user=p, shift=shift))
    time.sleep(0.2)
    return burst_rate(s.driver, calls)


def bench_backends(root: Path, sizes: Sizes) -> dict[str, Any]:
    """The same claims on SQLite and on PostgreSQL: two fakes and two bots side by side, claims
    alternating between them one at a time, then a burst on each."""
    made = postgres_database()
    if made is None:
        print("  backends: skipped (no PostgreSQL server reachable)", file=sys.stderr)
        return {}
    url, drop = made
    n = sizes.latency_samples
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    out: dict[str, Any] = {}
    try:
        with ExitStack() as stack:
            sides = {}
            for label in times:
                s = stack.enter_context(scenario(root, f"backend-{label}"))
                env = {"ROTA_DATABASE": url} if label == "postgresql" else {}
                s.bot(extra_env=env).start()
                guild = s.world.add_guild(f"Backend {label}")
                owner = guild.add_member("owner")
                shifts = [offer(s.driver, owner, places=50, where=f"Stall {i}") for i in range(-(-(n + 10) // 50))]
                sides[label] = (s, members(guild, n + 10), shifts)
            for i in range(n + 10):
                for label, (s, people, shifts) in sides.items():
                    time.sleep(GAP)
                    spent = timed_claims(s.driver, [people[i]], [shifts[i // 50]])[0]
                    if i >= 10:
                        times[label].append(spent)
            for label, (s, _, _) in sides.items():
                rate, _ = claim_burst(s, [s.world.add_guild(f"Burst {label}")], sizes.burst, sizes.burst_cards)
                out[f"{label}_burst_claims_per_s"] = round(rate, 1)
    finally:
        drop()
    for label, spent in times.items():
        out[f"{label}_claim_p50_ms"] = ms(percentile(spent, 50))
        out[f"{label}_claim_p99_ms"] = ms(percentile(spent, 99))
    out["postgres_vs_sqlite_claim_p50"] = round(out["postgresql_claim_p50_ms"] / out["sqlite_claim_p50_ms"], 2)
    out["postgres_vs_sqlite_burst"] = round(out["postgresql_burst_claims_per_s"] / out["sqlite_burst_claims_per_s"], 2)
    return out


def bench_processes(root: Path, sizes: Sizes) -> dict[str, Any]:
    """A claim burst over two servers on PostgreSQL: one process running both shards, then two
    processes (shard 0 and shard 1) on one database. Rounds alternate; each rate is the median."""
    made = postgres_database()
    if made is None:
        print("  processes: skipped (no PostgreSQL server reachable)", file=sys.stderr)
        return {}
    url, drop = made
    rates: dict[str, list[float]] = {"one": [], "two": []}
    try:
        with scenario(root, "processes") as s:
            s.fake.gateway.recommended_shards = 2
            alone = s.bot("one", extra_env={"ROTA_DATABASE": url, "ROTA_INSTANCE": "one"})
            layouts = {
                "one": [alone],
                "two": [
                    s.bot(
                        f"two-{shard}",
                        same_application_as=alone,
                        extra_env={
                            "ROTA_DATABASE": url,
                            "ROTA_SHARD_COUNT": "2",
                            "ROTA_SHARD_IDS": str(shard),
                            "ROTA_INSTANCE": f"two-{shard}",
                        },
                    )
                    for shard in (0, 1)
                ],
            }
            for r in range(sizes.burst_rounds):
                for label, procs in layouts.items():
                    for proc in procs:
                        proc.start(wait=False)
                    for proc in procs:
                        proc.wait_ready()
                    guilds = [s.world.add_guild_on_shard(f"{label} {r}", shard, 2) for shard in (0, 1)]
                    rate, _ = claim_burst(s, guilds, sizes.burst, sizes.burst_cards)
                    rates[label].append(rate)
                    for proc in procs:
                        proc.stop(check=False)
                    time.sleep(s.fake.gateway.identify_wait())
    finally:
        drop()
    one, two = statistics.median(rates["one"]), statistics.median(rates["two"])
    return {
        "one_process_claims_per_s": round(one, 1),
        "two_processes_claims_per_s": round(two, 1),
        "two_vs_one_process_rate": round(two / one, 2),
    }


def seed_jobs(database: Path, count: int, *, now: float) -> None:
    """`count` pending reminder jobs over the coming month (shifts far ahead; none falls due)."""
    rng = random.Random(11)
    conn = sqlite3.connect(database)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    (
                        "shift_reminder",
                        now + 3600 + rng.random() * 30 * 86400,
                        json.dumps({"shift_id": 10**9 + i, "user_id": 1}),
                        f"remind:{10**9 + i}:1:60",
                        now,
                    )
                    for i in range(count)
                ),
            )
    finally:
        conn.close()


def seed_due_reminders(database: Path, guild_id: int, people: list[Member], due: list[float], now: float) -> None:
    """One shift tomorrow held by `people`; person i's reminder falls due at due[i]."""
    conn = sqlite3.connect(database)
    try:
        with conn:
            start = int(now) + 86400
            cur = conn.execute(
                "INSERT INTO shifts (guild_id, offerer_id, offerer_name, starts_at, ends_at, location, places, taken,"
                " created_at) VALUES (?, ?, 'Seeder', ?, ?, 'Reminder Square', 50, ?, ?)",
                (guild_id, people[0].id, start, start + 7200, len(people), now),
            )
            shift_id = cur.lastrowid
            for person, at in zip(people, due, strict=True):
                conn.execute(
                    "INSERT INTO shift_places (shift_id, user_id, user_name, claimed_at) VALUES (?, ?, ?, ?)",
                    (shift_id, person.id, person.name, now),
                )
                payload = json.dumps({"shift_id": shift_id, "user_id": person.id}, sort_keys=True)
                conn.execute(
                    "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES ('shift_reminder', ?, ?, ?, ?)",
                    (at, payload, f"remind:{shift_id}:{person.id}:1440", now),
                )
    finally:
        conn.close()


def ready_seconds(bot: BotProcess, launched: float, timeout: float = 60) -> float:
    """Seconds from launching the process to its ready line (read from the log's own timestamp)."""
    bot.wait_ready(timeout)
    found = LOG_TIME.search(bot.log_text(since_start=True))
    if found is None:
        raise RuntimeError("the ready line has no timestamp")
    stamp = time.mktime(time.strptime(found.group(1), "%Y-%m-%d %H:%M:%S")) + int(found.group(2)) / 1000
    return stamp - launched


def bench_startup(root: Path, sizes: Sizes) -> dict[str, Any]:
    """Start-up on an empty database, then on the same one with many pending jobs; then reminders
    falling due just after the start. The first start (which registers the commands) is not timed."""
    out: dict[str, Any] = {}
    with scenario(root, "startup") as s:
        guild = s.world.add_guild("Startup")
        people = members(guild, sizes.reminders)
        bot = s.bot()
        create_schema(bot.database)
        bot.start()
        bot.stop()
        launched = time.time()
        bot.start(wait=False)
        out["startup_empty_s"] = round(ready_seconds(bot, launched), 2)
        bot.stop()

        seed_jobs(bot.database, sizes.pending_jobs, now=time.time())
        first_due = time.time() + 2.5  # start-up takes about one second
        due = [first_due + 0.5 * i for i in range(sizes.reminders)]
        seed_due_reminders(bot.database, guild.id, people, due, time.time())
        launched = time.time()
        bot.start(wait=False)
        out["startup_pending_jobs"] = sizes.pending_jobs
        out["startup_with_jobs_s"] = round(ready_seconds(bot, launched), 2)
        delays = []
        for person, at in zip(people, due, strict=True):
            dms = s.world.wait_until(lambda p=person: s.world.dms(p), timeout=30, what="a reminder DM")
            delays.append(snowflake_time(dms[0].id) - at)
        out["reminder_delay_p50_s"] = round(percentile(delays, 50), 3)
        out["reminder_delay_max_s"] = round(max(delays), 3)
    return out


def seed_servers(database: Path, guilds: list[Guild], now: float) -> None:
    """A season of activity per server: settings, 20 shifts with 3 people each, reminders, audit rows."""
    rng = random.Random(13)
    conn = sqlite3.connect(database)
    try:
        with conn:
            for guild in guilds:
                conn.execute(
                    "INSERT INTO guild_settings (guild_id, timezone, shift_channel_id, updated_at)"
                    " VALUES (?, 'Europe/London', ?, ?)",
                    (guild.id, guild.general.id, now),
                )
                people = list(guild.members.values())
                for i in range(20):
                    start = int(now) + rng.randrange(86400, 60 * 86400)
                    cur = conn.execute(
                        "INSERT INTO shifts (guild_id, offerer_id, offerer_name, starts_at, ends_at, location,"
                        " notes, places, taken, created_at) VALUES (?, ?, 'Organiser', ?, ?, ?, ?, 4, 3, ?)",
                        (guild.id, people[0].id, start, start + 7200, f"Stall {i}", "Bring leaflets " * 5, now),
                    )
                    for person in rng.sample(people, 3):
                        conn.execute(
                            "INSERT INTO shift_places (shift_id, user_id, user_name, claimed_at) VALUES (?, ?, ?, ?)",
                            (cur.lastrowid, person.id, person.name, now),
                        )
                        payload = json.dumps({"shift_id": cur.lastrowid, "user_id": person.id}, sort_keys=True)
                        conn.execute(
                            "INSERT INTO jobs (kind, due_at, payload, key, created_at) VALUES (?, ?, ?, ?, ?)",
                            ("shift_reminder", start - 3600, payload, f"remind:{cur.lastrowid}:{person.id}:60", now),
                        )
                        conn.execute(
                            "INSERT INTO audit_log (guild_id, actor_id, actor_name, kind, action, subject, created_at)"
                            " VALUES (?, ?, ?, 'shifts', 'shift_claimed', ?, ?)",
                            (guild.id, person.id, person.name, str(cur.lastrowid), now),
                        )
    finally:
        conn.close()


def bench_memory(root: Path, sizes: Sizes) -> dict[str, Any]:
    """RSS once the bot has every server in its cache and has served a command in many of them."""
    rss, peak = memory_with(root, sizes.servers, "memory", probes=50)
    return {"servers": sizes.servers, "rss_mb": rss, "rss_peak_mb": peak}


def memory_with(root: Path, count: int, label: str, *, probes: int = 20) -> tuple[float, float]:
    """RSS and peak RSS of one process once it holds `count` servers (3 channels, 8 members each;
    Discord's recommended shards: one per 1,000), each with its seeded history (20 shifts, 60 places,
    60 jobs, 60 audit rows), after serving commands in `probes` of them."""
    with scenario(root, label) as s:
        s.fake.gateway.recommended_shards = max(1, -(-count // 1000))
        guilds = []
        for i in range(count):
            guild = s.world.add_guild(f"Group {i}")
            guild.add_text_channel("shifts")
            guild.add_text_channel("log")
            for j in range(8):
                guild.add_member(f"g{i}m{j}")
            guilds.append(guild)
        bot = s.bot()
        create_schema(bot.database)
        seed_servers(bot.database, guilds, time.time())
        bot.start(timeout=180)
        time.sleep(1.0)  # let the last GUILD_CREATEs be parsed
        for guild in guilds[:: max(1, len(guilds) // probes)]:
            person = next(m for m in guild.members.values() if m.user.username.startswith("g"))
            s.driver.command("shift list", user=person, show="all", days=90)
            s.driver.command("help", user=person)
        assert bot.pid is not None
        return rss_mb(bot.pid)


def bench_memory_slope(root: Path, sizes: Sizes) -> dict[str, Any]:
    """Resident memory at several numbers of servers, and the least-squares slope per 1,000 servers:
    what a process needs for the servers it holds, so a deployment can be sized."""
    points = [(count, memory_with(root, count, f"memory-{count}")[0]) for count in sizes.memory_points]
    xs, ys = [c / 1000 for c, _ in points], [mb for _, mb in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    out: dict[str, Any] = {f"rss_mb_{count}_servers": mb for count, mb in points}
    out["rss_mb_per_1000_servers"] = round(slope, 1)
    out["rss_mb_base"] = round(mean_y - slope * mean_x, 1)
    out["memory_points"] = ", ".join(f"{c}: {mb} MB" for c, mb in points)
    return out


# --- the run ------------------------------------------------------------------------------------

SCENARIOS: list[tuple[str, Callable[[Path, Sizes], dict[str, Any]]]] = [
    ("latency", bench_latency),
    ("burst", bench_burst),
    ("stored", bench_stored),
    ("startup", bench_startup),
    ("memory", bench_memory),
    ("backends", bench_backends),
    ("processes", bench_processes),
    ("memory-slope", bench_memory_slope),
]

ROWS = [
    ("/shift claim round trip p50 / p99 (ms)", "claim_p50_ms", "claim_p99_ms"),
    ("/help round trip p50 / p99 (ms)", "help_p50_ms", "help_p99_ms"),
    ("claim / help ratio p50 / p99", "latency_ratio_p50", "latency_ratio_p99"),
    ("burst: /help answered per s", "burst_help_per_s", None),
    ("burst: claims answered per s", "burst_claims_per_s", None),
    ("burst: claim / help rate ratio", "burst_rate_ratio", None),
    ("burst: claimed / told full", "burst_claimed", "burst_told_full"),
    ("burst: overbooked shifts / 429s served", "burst_overbooked", "burst_429s"),
    ("claim p50 / p99 (ms), few stored shifts", "claim_small_p50_ms", "claim_small_p99_ms"),
    ("claim p50 / p99 (ms), many stored shifts", "claim_big_p50_ms", "claim_big_p99_ms"),
    ("many / few stored shifts ratio p50 / p99", "stored_ratio_p50", "stored_ratio_p99"),
    ("start-up, empty database (s)", "startup_empty_s", None),
    ("start-up with pending jobs (s)", "startup_with_jobs_s", None),
    ("reminder due to DM p50 / max (s)", "reminder_delay_p50_s", "reminder_delay_max_s"),
    ("resident memory / peak (MB)", "rss_mb", "rss_peak_mb"),
    ("claim p50 / p99 (ms), SQLite", "sqlite_claim_p50_ms", "sqlite_claim_p99_ms"),
    ("claim p50 / p99 (ms), PostgreSQL", "postgresql_claim_p50_ms", "postgresql_claim_p99_ms"),
    ("PostgreSQL / SQLite claim p50 ratio", "postgres_vs_sqlite_claim_p50", None),
    ("burst claims per s, SQLite / PostgreSQL", "sqlite_burst_claims_per_s", "postgresql_burst_claims_per_s"),
    ("PostgreSQL / SQLite burst rate ratio", "postgres_vs_sqlite_burst", None),
    ("burst claims per s, one / two processes", "one_process_claims_per_s", "two_processes_claims_per_s"),
    ("two / one process burst rate ratio", "two_vs_one_process_rate", None),
    ("resident memory at each size", "memory_points", None),
    ("memory per 1,000 servers / base (MB)", "rss_mb_per_1000_servers", "rss_mb_base"),
]


def table(figures: dict[str, Any]) -> str:
    lines = [f"{'figure':<44} {'value':>18}", "-" * 63]
    for label, first, second in ROWS:
        if first not in figures:
            continue
        value = f"{figures[first]}" + (f" / {figures[second]}" if second and second in figures else "")
        lines.append(f"{label:<44} {value:>18}")
    lines.append("")
    lines.append(f"{'goal':<44} {'limit':>8} {'value':>9}  met")
    lines.append("-" * 68)
    for goal in GOALS:
        met = goal.met(figures)
        sign = "<=" if goal.at_most else ">="
        shown = "yes" if met else ("n/a" if met is None else "NO")
        lines.append(f"{goal.name:<44} {sign}{goal.limit:>6} {figures.get(goal.figure, '-')!s:>9}  {shown}")
    return "\n".join(lines)


def run(sizes: Sizes, only: list[str] | None = None, out: Path | None = RESULTS) -> dict[str, Any]:
    """Run the scenarios, print the table, write results.json; return everything measured."""
    figures: dict[str, Any] = {}
    durations: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="rota-bench-") as tmp:
        for name, func in SCENARIOS:
            if only and name not in only:
                continue
            began = time.monotonic()
            figures.update(func(Path(tmp), sizes))
            durations[name] = round(time.monotonic() - began, 1)
            print(f"  {name}: done in {durations[name]} s", file=sys.stderr, flush=True)
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.system()},
        "sizes": asdict(sizes),
        "figures": figures,
        "goals": [{**asdict(goal), "value": figures.get(goal.figure), "met": goal.met(figures)} for goal in GOALS],
        "scenario_seconds": durations,
    }
    print(table(figures))
    if out is not None:
        out.write_text(json.dumps(results, indent=2) + "\n")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test in a few seconds")
    parser.add_argument("--only", action="append", choices=[name for name, _ in SCENARIOS], help="run one scenario")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    run(QUICK if args.quick else Sizes(), args.only, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
