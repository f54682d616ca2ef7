"""`python -m bot` (or `rota`): run the bot; `--check` validates the set-up and exits; `rota playground`
runs the real bot against a local Discord stand-in with a web page to try it in.

Exit codes: 0 after a clean shutdown (Ctrl-C or SIGTERM), 2 for a configuration problem or a
token Discord rejects, 1 for anything else. Problems are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import faulthandler
import logging
import signal
import sys
from pathlib import Path

import aiohttp
import discord
import yarl
from dotenv import load_dotenv

from bot.clock import Clock, OffsetFileClock, SystemClock
from bot.config import Config, ConfigError, configure_logging, load_config, load_database
from bot.store.database import DatabaseError

log = logging.getLogger("rota")

# discord.py warns at every client's creation that voice needs PyNaCl and davey; Rota has no voice.
VOICE_WARNINGS = frozenset(
    {
        "PyNaCl is not installed, voice will NOT be supported",
        "davey is not installed, voice will NOT be supported",
    }
)


class _NoVoiceWarnings(logging.Filter):
    """Drops exactly the two voice warnings; every other discord.client record passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in VOICE_WARNINGS


_NO_VOICE_WARNINGS = _NoVoiceWarnings()


def quiet_voice_warnings() -> None:
    """Silence the voice warnings (idempotent: the same filter is only added once)."""
    logging.getLogger("discord.client").addFilter(_NO_VOICE_WARNINGS)


def load_env_file(folder: Path) -> None:
    """Read `.env` from `folder` only, never from a folder above it.

    The tests run `rota` in a fresh temporary folder; pytest may put those folders inside a checkout
    (`--basetemp`, TMPDIR), and a search upwards would find the developer's `.env` there and log
    into Discord with the real token. Variables already set in the environment win.
    """
    path = folder / ".env"
    if path.is_file():
        load_dotenv(path)


def point_at_discord(config: Config) -> None:
    """Tests point the real client at a fake Discord; production leaves discord.py's defaults."""
    if config.api_base:
        discord.http.Route.BASE = config.api_base
    if config.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def make_clock(config: Config) -> Clock:
    return OffsetFileClock(config.test_clock_file) if config.test_clock_file else SystemClock()


async def serve(config: Config) -> int:
    from bot.app import RotaBot
    from bot.web.server import WebPortError

    bot = RotaBot(config, make_clock(config))
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    closing: list[asyncio.Task[None]] = []  # keep a reference so the task is not collected

    def request_stop() -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("shutting down")
            closing.append(loop.create_task(bot.close()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, request_stop)
    try:
        async with bot:
            await bot.start(config.token)
            # discord.py reports "closed" before our close() has finished with the database; wait
            # for it, or asyncio.run would cancel it and leave the database thread running.
            await bot.close()
    except discord.LoginFailure:
        print(
            "rota: Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal "
            "(Bot > Reset Token) into .env.",
            file=sys.stderr,
        )
        return 2
    except DatabaseError as exc:
        print(f"rota: cannot use the database ROTA_DATABASE={bot.db.where!r}: {exc}", file=sys.stderr)
        return 2
    except WebPortError as exc:
        print(f"rota: {exc}", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("rota: Discord refused an intent the bot asked for; see README > Permissions.", file=sys.stderr)
        return 2
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound, discord.ConnectionClosed) as exc:
        log.debug("connection failure", exc_info=exc)
        print(f"rota: could not connect to Discord ({type(exc).__name__}: {exc}); check the network.", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rota",
        description="Run the Rota Discord bot.",
        epilog="`rota migrate --to postgresql://...` copies the SQLite deployment (ROTA_DATABASE) into PostgreSQL. "
        "`rota playground` shows the real bot working in a browser, with nothing to sign up for.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["migrate", "playground"],
        help="migrate: copy this deployment elsewhere; playground: try Rota in a browser, no Discord account needed",
    )
    parser.add_argument("--to", metavar="URL", help="with migrate: the empty PostgreSQL database to copy into")
    parser.add_argument("--port", type=int, default=8765, help="with playground: the web page's port (8765)")
    parser.add_argument("--db", metavar="PATH", help="with playground: keep the bot's SQLite database in this file")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the configuration, database and token, print the invite link, and exit",
    )
    args = parser.parse_args(argv)
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` prints where every thread is
    if args.command == "playground":
        # Before any .env is read: the playground never uses a token of the developer's.
        from fakediscord.playground import run_playground

        return run_playground(port=args.port, database=args.db)
    # The .env of the folder `rota` runs in: not one above it, nor one next to the installed code.
    load_env_file(Path.cwd())
    if args.command == "migrate":
        return run_migrate(args.to)
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"rota: {exc}", file=sys.stderr)
        return 2
    configure_logging(config.log_level)
    quiet_voice_warnings()
    point_at_discord(config)
    if args.check:
        from bot.check import run_check

        return asyncio.run(run_check(config))
    try:
        return asyncio.run(serve(config))
    except KeyboardInterrupt:
        return 0


def run_migrate(destination: str | None) -> int:
    """`rota migrate --to URL`: needs no token, only the two databases."""
    if not destination:
        print("rota: migrate needs --to postgresql://user@host/database (an empty database).", file=sys.stderr)
        return 2
    try:
        source = load_database()
    except ConfigError as exc:
        print(f"rota: {exc}", file=sys.stderr)
        return 2
    configure_logging("WARNING")
    from bot.migrate import migrate

    return asyncio.run(migrate(source, destination))


if __name__ == "__main__":
    sys.exit(main())
