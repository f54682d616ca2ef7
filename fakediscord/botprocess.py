"""The bot under test as a real process (`python -m bot`), pointed at the fake.

Why a process: start-up, SIGTERM handling, crash recovery and the database surviving a restart are
part of what users rely on; only a real process exercises them.
"""

from __future__ import annotations

import asyncio
import copy
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import asyncpg

from bot.store.database import is_postgres
from bot.store.postgres import numbered

if TYPE_CHECKING:
    from .server import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[1]


class BotProcess:
    """Start, stop, kill and restart the bot on one database; read its log; move its clock."""

    def __init__(
        self,
        fake: FakeDiscord,
        workdir: Path,
        *,
        module: str = "bot",
        ready_text: str = "Rota is ready",
        extra_env: dict[str, str] | None = None,
        expect_commands: bool = True,
        same_application_as: BotProcess | None = None,
    ) -> None:
        self.fake = fake
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.module = module
        self.ready_text = ready_text
        self.extra_env = dict(extra_env or {})
        self.expect_commands = expect_commands
        self.database = self.workdir / "rota.sqlite3"
        self.clock_file = self.workdir / "clock"
        self.log_path = self.workdir / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._log_start = 0
        self.starts = 0
        # Discord keeps an application's commands between runs. Each BotProcess stands for its own
        # application, while the fake has one: its commands are put back when it starts again.
        self._commands: tuple[list[Any], dict[Any, Any]] | None = None
        # A process of the same application (same database) finds the commands another one synced.
        self.same_application_as = same_application_as

    # -- lifecycle -------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
        env.update(
            DISCORD_TOKEN=self.fake.token,
            ROTA_DATABASE=str(self.database),
            DISCORD_API_BASE=self.fake.api_base,
            DISCORD_GATEWAY_URL=self.fake.gateway_url,
            LOG_LEVEL="INFO",
            ROTA_TEST_CLOCK_FILE=str(self.clock_file),
            PYTHONUNBUFFERED="1",
            ROTA_TEST_IDENTIFY_SECONDS="0.25",  # the fake's identify window in tests (tests/e2e/conftest.py)
            # It runs in its own folder (no .env of the developer's is anywhere above it), so the
            # code is found through the path rather than the working directory.
            PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 20.0, wait: bool = True) -> BotProcess:
        """Launch the bot and wait for its ready line (and its commands in the fake)."""
        if self.running:
            raise RuntimeError("the bot is already running")
        self._write_clock()
        self._restore_commands()
        self._log = self.log_path.open("ab")
        self._log_start = self._log.tell()
        self.starts += 1
        self._log.write(f"\n===== start #{self.starts} ({self.module}) =====\n".encode())
        self._log.flush()
        self._log_start = self._log.tell()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module],
            cwd=self.workdir,
            env=self.env(),
            stdout=self._log,
            stderr=self._log,
            stdin=subprocess.DEVNULL,
        )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"the bot exited with code {self.proc.returncode} before it was ready:\n{self.log_tail()}"
                )
            ready = self.ready_text in self.log_text(since_start=True)
            if ready and (not self.expect_commands or self.fake.world.global_commands) and self.fake.connected:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the bot did not log {self.ready_text!r} within {timeout:.0f} s "
                    f"(commands registered: {len(self.fake.world.global_commands)}):\n{self.log_tail()}"
                )
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self.proc.poll() if self.proc is not None else None

    def stop(self, timeout: float = 15.0, check: bool = True) -> int:
        """SIGTERM, as a service manager would; a clean shutdown exits 0."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                self._close_log()
                raise AssertionError(f"the bot ignored SIGTERM for {timeout:.0f} s:\n{self.log_tail()}") from None
        code = self.proc.returncode
        self._close_log()
        if check and code != 0:
            raise AssertionError(f"the bot exited with code {code} after SIGTERM:\n{self.log_tail()}")
        return code

    def kill(self) -> None:
        """SIGKILL: a crash or power cut, with no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._close_log()

    def restart(self, *, kill: bool = False, timeout: float = 20.0) -> BotProcess:
        """Stop (or kill) and start again on the same database."""
        if kill:
            self.kill()
        else:
            self.stop()
        return self.start(timeout)

    def _restore_commands(self) -> None:
        world = self.fake.world
        if self._commands is None and self.same_application_as is not None:
            self._commands = self.same_application_as._commands
        with world.lock:
            if self._commands is None:
                world.global_commands.clear()
                world.guild_commands.clear()
            else:
                world.global_commands[:] = copy.deepcopy(self._commands[0])
                world.guild_commands.clear()
                world.guild_commands.update(copy.deepcopy(self._commands[1]))

    def _save_commands(self) -> None:
        world = self.fake.world
        with world.lock:
            self._commands = (copy.deepcopy(world.global_commands), copy.deepcopy(world.guild_commands))

    def _close_log(self) -> None:
        self._save_commands()
        if self._log is not None:
            self._log.close()
            self._log = None

    # -- clock -----------------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> None:
        """Move time forward for the bot and the fake together (the bot re-reads the clock file)."""
        self.fake.world.advance_clock(seconds)
        self._write_clock()

    def sync_clock(self) -> None:
        """Catch this bot's clock up with the fake's (after another bot moved it)."""
        self._write_clock()

    def _write_clock(self) -> None:
        tmp = self.clock_file.with_suffix(".tmp")
        tmp.write_text(repr(self.fake.world.clock_offset))
        tmp.replace(self.clock_file)

    @property
    def database_url(self) -> str:
        """The database the bot uses: its own SQLite file, or the PostgreSQL URL a test gave it."""
        return self.extra_env.get("ROTA_DATABASE", str(self.database))

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the bot's database as it stands now (WAL lets a second connection read beside the bot);
        a test may also change it, to set up a state such as a crash would leave (committed at once)."""
        if is_postgres(self.database_url):
            return asyncio.run(_postgres_rows(self.database_url, sql, params))
        conn = sqlite3.connect(self.database)
        try:
            with conn:
                return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    # -- log -------------------------------------------------------------------------------------
    def log_text(self, since_start: bool = False) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as fh:
            if since_start:
                fh.seek(self._log_start)
            return fh.read().decode("utf-8", errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def wait_for_log(self, text: str, timeout: float = 10.0) -> None:
        """Block until the bot (since its last start) logs a line containing `text`."""
        deadline = time.monotonic() + timeout
        while text not in self.log_text(since_start=True):
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not log {text!r} within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.05)


async def _postgres_rows(url: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """`rows` on PostgreSQL: the store's own placeholder rewriting, one short connection."""
    conn = await asyncpg.connect(url)
    try:
        text, _ = numbered(sql)
        if sql.lstrip().upper().startswith("SELECT"):
            return [tuple(row) for row in await conn.fetch(text, *params)]
        await conn.execute(text, *params)
        return []
    finally:
        await conn.close()
