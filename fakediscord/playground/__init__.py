"""`rota playground`: the real bot, a local Discord stand-in and a web page to try it in.

Why: a newcomer, a translator or a reviewer should see Rota work without a Discord account. The stand-in
is the fake Discord the end-to-end tests use, and the page acts through the tests' own Driver, so what
the page sends is exactly what the tests send. Nothing here talks to discord.com: the bot's API base
and gateway point at the fake (BotProcess), and a real token in the environment is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import asyncpg

from bot.store.database import is_postgres

from ..botprocess import BotProcess
from ..server import FakeDiscord
from .scene import Scene, build_scene, set_up_rota
from .web import PageServer

#: The only token the playground's bot ever holds; it means nothing outside this machine.
PLAYGROUND_TOKEN = "rota-playground"
BOT_START_SECONDS = 60.0


def refuses_token(environ: Mapping[str, str]) -> bool:
    """A DISCORD_TOKEN that is not the playground's own may be a real bot's: never run beside it."""
    token = environ.get("DISCORD_TOKEN", "").strip()
    return bool(token) and token != PLAYGROUND_TOKEN


def run_playground(port: int = 8765, database: str | None = None) -> int:
    """Start everything, print the address, and run until Ctrl-C (or SIGTERM); 0 after a clean stop."""
    if refuses_token(os.environ):
        print(
            "rota: the playground will not run with a real DISCORD_TOKEN in the environment; "
            "unset it (the playground needs no token and never contacts Discord).",
            file=sys.stderr,
        )
        return 2
    if not 0 <= port <= 65535:
        print(f"rota: --port {port} is not a port number (0-65535).", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="rota-playground-"))
    try:
        return asyncio.run(_serve(port, database, workdir))
    except KeyboardInterrupt:
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _start(bot: BotProcess, fake: FakeDiscord, scene: Scene) -> None:
    bot.start(BOT_START_SECONDS)
    set_up_rota(fake, scene)


def kept_database(database: str) -> str:
    """`--db`: a SQLite file (made absolute: the bot runs in its own folder) or a postgresql:// URL."""
    return database if is_postgres(database) else str(Path(database).resolve())


def forget_synced_commands(bot: BotProcess) -> None:
    """A kept database remembers that its commands were synced, but each playground's stand-in starts
    empty: forget the sync so the bot registers its commands again."""
    if is_postgres(bot.database_url):
        with contextlib.suppress(asyncpg.PostgresError):  # a database Rota never used has no meta yet
            bot.rows("DELETE FROM meta WHERE key LIKE ?", "command_hash:%")
        return
    path = Path(bot.database_url)
    if not path.is_file():
        return
    conn = sqlite3.connect(path)
    try:
        with conn, contextlib.suppress(sqlite3.Error):
            conn.execute("DELETE FROM meta WHERE key LIKE ?", ("command_hash:%",))
    finally:
        conn.close()


async def _serve(port: int, database: str | None, workdir: Path) -> int:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stopping.set)
    fake = FakeDiscord(token=PLAYGROUND_TOKEN).start()
    page: PageServer | None = None
    bot: BotProcess | None = None
    starting: asyncio.Future[None] | None = None
    try:
        scene: Scene = build_scene(fake.world)
        env = {"ROTA_DATABASE": kept_database(database)} if database else {}
        bot = BotProcess(fake, workdir, extra_env=env)
        if database:
            await asyncio.to_thread(forget_synced_commands, bot)  # it runs its own event loop
        page = PageServer(fake, bot, scene)
        try:
            await page.start(port)
        except OSError as exc:
            print(f"rota: cannot serve the page on 127.0.0.1:{port} ({exc.strerror}); try --port.", file=sys.stderr)
            return 2
        print("rota: starting the bot against a local Discord stand-in...", flush=True)
        starting = asyncio.ensure_future(asyncio.to_thread(_start, bot, fake, scene))
        if not await _first_or_stopped(starting, stopping):
            print("rota: stopping the playground...", flush=True)
            return 0
        try:
            starting.result()
        except (RuntimeError, AssertionError, TimeoutError, ValueError) as exc:
            print(f"rota: the playground's bot did not start: {exc}", file=sys.stderr)
            return 1
        page.hidden_interactions.update(scene.setup_interactions)
        print(f"rota: the playground is at http://127.0.0.1:{page.port} (Ctrl-C stops it)", flush=True)
        print(f"rota: the bot's log, while it runs: {bot.log_path}", flush=True)
        if database:
            print(f"rota: the bot's database is kept in {bot.database_url}", flush=True)
        return await _run_until_stopped(bot, stopping)
    finally:
        if page is not None:
            await page.stop()
        if bot is not None:
            await asyncio.to_thread(bot.stop, 15.0, False)
            if starting is not None:
                # Stopped while starting: the start ends once its process is gone (or, if it had not yet
                # begun, once the bot is up), and then that process is stopped too. Its failure is no news.
                with contextlib.suppress(Exception):
                    await starting
                await asyncio.to_thread(bot.stop, 15.0, False)
        fake.stop()


async def _first_or_stopped(work: asyncio.Future[None], stopping: asyncio.Event) -> bool:
    """Wait for `work`, unless Ctrl-C comes first (then False: the caller's clean-up ends the work)."""
    interrupted: asyncio.Future[Any] = asyncio.ensure_future(stopping.wait())
    await asyncio.wait([work, interrupted], return_when=asyncio.FIRST_COMPLETED)
    interrupted.cancel()
    return work.done()


async def _run_until_stopped(bot: BotProcess, stopping: asyncio.Event) -> int:
    """Serve until Ctrl-C (0); if the bot dies meanwhile, say why and stop (1)."""
    while not stopping.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), 1.0)
        if not bot.running and not stopping.is_set():
            print(
                f"rota: the bot stopped unexpectedly (exit code {bot.returncode}); the end of its log:\n"
                f"{bot.log_tail(30)}",
                file=sys.stderr,
            )
            return 1
    print("rota: stopping the playground...", flush=True)
    return 0
