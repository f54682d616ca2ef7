"""Fixtures for end-to-end tests: the fake Discord, a driver, and the bot as a real process.

Why these scopes: one fake and one shared bot for the whole run keep the suite fast, and each test
makes its own guild so tests stay independent. A test that kills or restarts the bot asks for
`fresh_bot` (its own database); only one bot is connected at a time, so the shared one is
stopped while a fresh one runs and started again when next needed.
"""

from __future__ import annotations

import asyncio
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# tests/e2e has no __init__.py; make `fakediscord` importable however pytest is invoked.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from fakediscord import BotProcess, Driver, FakeDiscord, World  # noqa: E402
from tests.conftest import BACKENDS  # noqa: E402
from tests.support import postgres  # noqa: E402

MINIBOT = "fakediscord.minibot"


class BotPool:
    """At most one shared bot process runs at a time (one per module and database); a fresh bot
    pauses them. Their PostgreSQL databases are made on first use and dropped at the end."""

    def __init__(self, fake: FakeDiscord, factory: pytest.TempPathFactory) -> None:
        self.fake = fake
        self.factory = factory
        self.shared: dict[str, BotProcess] = {}
        self.databases: list[str] = []

    def get(self, module: str, ready_text: str, *, postgres_template: str | None = None) -> BotProcess:
        key = module if postgres_template is None else f"{module}@postgresql"
        self.pause_all(except_key=key)
        proc = self.shared.get(key)
        if proc is None:
            workdir = self.factory.mktemp(key.replace(".", "-").replace("@", "-"))
            env = {} if postgres_template is None else {"ROTA_DATABASE": self.new_database(postgres_template)}
            proc = BotProcess(self.fake, workdir, module=module, ready_text=ready_text, extra_env=env)
            self.shared[key] = proc
        if not proc.running:
            proc.start()
        self.fake.wait_connected()
        return proc

    def new_database(self, template: str) -> str:
        """A fresh PostgreSQL database (dropped when the run ends)."""
        name = asyncio.run(postgres.copy_database(postgres.server_url(), template))
        self.databases.append(name)
        return postgres.with_database(postgres.server_url(), name)

    def pause_all(self, except_key: str | None = None) -> None:
        for key, proc in self.shared.items():
            if key != except_key and proc.running:
                proc.stop()

    def close(self) -> None:
        for proc in self.shared.values():
            if proc.running:
                proc.stop()
        for name in self.databases:
            asyncio.run(postgres.drop_database(postgres.server_url(), name))


# Discord allows one IDENTIFY per 5 s (per rate-limit bucket), and the fake refuses a sooner one with
# op 9 as Discord does; discord.py then waits 5 s and identifies again. Every restart, kill + start and
# switch between the shared and a fresh bot identifies about 1 s after the last one, so with the real
# window the suite ran 275 s instead of 111 s (and a raw client, which does not retry, failed). The
# shared fake keeps the rule with a window shorter than any restart (the quickest measured: 0.5 s), so
# a bot identifying twice in a row is still refused; tests/e2e/test_fake_sharding.py tests the rule.
SHARED_IDENTIFY_INTERVAL = 0.25


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeDiscord]:
    server = FakeDiscord().start()
    server.gateway.identify_interval = SHARED_IDENTIFY_INTERVAL
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bot_pool(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotPool]:
    pool = BotPool(fake, tmp_path_factory)
    yield pool
    pool.close()


@pytest.fixture
def world(fake: FakeDiscord) -> World:
    return fake.world


@pytest.fixture
def driver(fake: FakeDiscord) -> Driver:
    return Driver(fake)


@pytest.fixture(autouse=True)
def discord_rules(fake: FakeDiscord) -> Iterator[None]:
    """Fail any test after which the fake holds a violation of Discord's rules or an unknown route."""
    world = fake.world
    with world.lock:
        # Each test starts with Discord's rate-limit windows empty, as after a quiet minute: one
        # test's burst of DMs must not slow the next test's answers. Within a test the limits hold.
        fake.rest.ratelimits.clear()
        leftover = list(world.violations)
        world.violations.clear()
        world.pings_are_violations = True
        world.fail_on_429 = False
        world.injected_429.clear()
    if leftover:
        # Recorded between tests (after the previous test had been checked): say so, do not lose it.
        lines = "; ".join(str(v) for v in leftover)
        warnings.warn(f"violations recorded between tests: {lines}", stacklevel=1)
    yield
    with world.lock:
        found = list(world.violations)
        world.violations.clear()
    if found:
        lines = "\n".join(f"  - {v}" for v in found)
        pytest.fail(f"the bot broke Discord's rules ({len(found)} violation(s)):\n{lines}", pytrace=False)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the Rota processes of a test use: every such test runs on SQLite and on PostgreSQL."""
    return str(request.param)


def _template(request: pytest.FixtureRequest, backend: str) -> str | None:
    return str(request.getfixturevalue("postgres_template")) if backend == "postgresql" else None


@pytest.fixture
def bot(bot_pool: BotPool, backend: str, request: pytest.FixtureRequest) -> BotProcess:
    """The shared Rota process of this database (started on first use, kept for the session)."""
    return bot_pool.get("bot", "Rota is ready", postgres_template=_template(request, backend))


@pytest.fixture
def minibot(bot_pool: BotPool) -> BotProcess:
    """The fake's own test bot (fakediscord/minibot.py), shared like `bot`."""
    return bot_pool.get(MINIBOT, "minibot is ready")


@pytest.fixture
def make_bot(
    bot_pool: BotPool, fake: FakeDiscord, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BotProcess]]:
    """A factory for bots of this test alone, each with its own database of the test's backend:
    `make_bot(module="bot", start=True, extra_env=None)`."""
    made: list[BotProcess] = []
    template = _template(request, backend)

    def make(module: str = "bot", *, start: bool = True, ready_text: str | None = None, **kwargs: Any) -> BotProcess:
        bot_pool.pause_all()
        text = ready_text or ("minibot is ready" if module == MINIBOT else "Rota is ready")
        if template is not None and module != MINIBOT:
            env = kwargs.setdefault("extra_env", {})
            env.setdefault("ROTA_DATABASE", bot_pool.new_database(template))
        proc = BotProcess(fake, tmp_path / f"bot{len(made)}", module=module, ready_text=text, **kwargs)
        made.append(proc)
        if start:
            proc.start()
        return proc

    yield make
    for proc in made:
        if proc.running:
            proc.stop()


@pytest.fixture
def fresh_bot(make_bot: Callable[..., BotProcess]) -> BotProcess:
    """A Rota process with its own database, for tests that kill, restart or stop it."""
    return make_bot("bot")


LOOKED = "scheduler looked at its jobs"  # bot/scheduler.py, at DEBUG, after each pass over the jobs


@pytest.fixture
def scheduler_looked_again() -> Callable[..., None]:
    """`scheduler_looked_again(proc)` blocks until the bot's scheduler has made a whole pass over its
    jobs (every due one run) that began after the call: the positive signal that lets a test assert
    that nothing more happened. The bot must log at DEBUG: `make_bot(extra_env={"LOG_LEVEL": "DEBUG"})`."""

    def wait(proc: BotProcess, timeout: float = 10.0) -> None:
        # The first new line may end a pass already under way when we were called; the second cannot.
        target = proc.log_text(since_start=True).count(LOOKED) + 2
        deadline = time.monotonic() + timeout
        while proc.log_text(since_start=True).count(LOOKED) < target:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the scheduler did not look at its jobs again within {timeout:.0f} s "
                    f"(is the bot running with LOG_LEVEL=DEBUG?):\n{proc.log_tail()}"
                )
            time.sleep(0.05)  # polling the log file

    return wait


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On failure, attach the tail of every bot log the test used, and the fake's recent requests."""
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("call", "setup") or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    procs = [v for v in funcargs.values() if isinstance(v, BotProcess)]
    pool = funcargs.get("bot_pool")
    if isinstance(pool, BotPool):
        procs += [p for p in pool.shared.values() if p not in procs and p.running]
    for proc in procs:
        report.sections.append((f"bot log tail ({proc.module}, {proc.workdir.name})", proc.log_tail(80)))
    fake = funcargs.get("fake")
    if isinstance(fake, FakeDiscord):
        report.sections.append(("fake Discord: last requests", "\n".join(fake.world.requests[-30:])))
