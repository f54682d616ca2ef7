"""Settings from the environment (and `.env`), validated once at start.

Every problem becomes one `ConfigError` whose message names the variable, so a newcomer sees
exactly what to fix. The token is never logged or shown.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.sharding import IDENTIFY_WINDOW, parse_shard_ids
from bot.store.database import is_postgres

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A missing or bad setting; the message is one line meant for the person running the bot."""


@dataclass(frozen=True, slots=True)
class Config:
    token: str = field(repr=False)
    database: str  # a SQLite file path, or a postgresql:// URL
    dev_guilds: tuple[int, ...] = ()
    log_level: str = "INFO"
    api_base: str | None = None
    gateway_url: str | None = None
    test_clock_file: Path | None = None
    instance: str = "rota"
    shard_count: int | None = None  # None: as many as Discord recommends, all in this process
    shard_ids: tuple[int, ...] | None = None  # None: every shard of shard_count
    identify_window: float = IDENTIFY_WINDOW
    web_port: int | None = None  # None: no web endpoint (calendar feeds, /healthz, /metrics)
    web_host: str = "127.0.0.1"  # loopback: a reverse proxy in front gives HTTPS
    public_url: str | None = None  # where people reach the endpoint; None: no feed links offered


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Read and validate the settings; raise ConfigError naming the first bad variable."""
    env = os.environ if env is None else env
    token = env.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: copy .env.example to .env and put your bot's token there.")
    log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL={log_level!r} is not a log level: use one of {', '.join(LOG_LEVELS)}.")
    database = load_database(env)
    dev_guilds = _guild_ids(env.get("ROTA_DEV_GUILDS", ""))
    api_base = _url(env, "DISCORD_API_BASE", ("http://", "https://"))
    gateway_url = _url(env, "DISCORD_GATEWAY_URL", ("ws://", "wss://"))
    clock = env.get("ROTA_TEST_CLOCK_FILE", "").strip()
    shard_count, shard_ids = _shards(env.get("ROTA_SHARD_COUNT", "").strip(), env.get("ROTA_SHARD_IDS", "").strip())
    default_instance = socket.gethostname() or "rota"
    if shard_ids is not None:  # one name per process on a machine: its shards tell them apart
        default_instance += f":shards-{shard_ids[0]}-{shard_ids[-1]}"
    instance = _instance(env.get("ROTA_INSTANCE", "").strip() or default_instance)
    identify_window = _seconds(env, "ROTA_TEST_IDENTIFY_SECONDS", IDENTIFY_WINDOW)
    web_port, web_host, public_url = _web(env)
    return Config(
        token=token,
        database=database,
        dev_guilds=dev_guilds,
        log_level=log_level,
        api_base=api_base,
        gateway_url=gateway_url,
        test_clock_file=Path(clock) if clock else None,
        instance=instance,
        shard_count=shard_count,
        shard_ids=shard_ids,
        identify_window=identify_window,
        web_port=web_port,
        web_host=web_host,
        public_url=public_url,
    )


def load_database(env: Mapping[str, str] | None = None) -> str:
    """Just ROTA_DATABASE, validated (for commands that need no token, such as `rota migrate`)."""
    env = os.environ if env is None else env
    return _database(env.get("ROTA_DATABASE", "rota.sqlite3").strip() or "rota.sqlite3")


def _database(raw: str) -> str:
    """A PostgreSQL URL as given, or a SQLite path whose folder exists and is writable."""
    if is_postgres(raw):
        if not urlsplit(raw).hostname and "host=" not in raw:
            raise ConfigError(f"ROTA_DATABASE={_hidden(raw)!r} names no server: use postgresql://user@host/database.")
        return raw
    path = Path(raw).expanduser()
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ConfigError(f"ROTA_DATABASE={raw!r} is a folder: give a file path such as rota.sqlite3.")
    if not parent.is_dir():
        raise ConfigError(f"ROTA_DATABASE={raw!r}: the folder {str(parent)!r} does not exist.")
    writable = os.access(path, os.W_OK) if path.exists() else os.access(parent, os.W_OK)
    if not writable:
        raise ConfigError(f"ROTA_DATABASE={raw!r} is not writable by this user.")
    return str(path)


def _hidden(url: str) -> str:
    """A URL with its password replaced, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _shards(count_text: str, ids_text: str) -> tuple[int | None, tuple[int, ...] | None]:
    """ROTA_SHARD_COUNT (a total) and ROTA_SHARD_IDS (this process's part of it)."""
    if not count_text:
        if ids_text:
            raise ConfigError("ROTA_SHARD_IDS needs ROTA_SHARD_COUNT: the total number of shards across processes.")
        return None, None
    if not count_text.isdigit() or not 1 <= int(count_text) <= 10000:
        raise ConfigError(f"ROTA_SHARD_COUNT={count_text!r}: give the total number of shards (1 or more).")
    count = int(count_text)
    if not ids_text:
        return count, None
    try:
        ids = parse_shard_ids(ids_text)
    except ValueError:
        raise ConfigError(f"ROTA_SHARD_IDS={ids_text!r}: give shard numbers like 0-3 or 0,2.") from None
    if ids[-1] >= count:
        raise ConfigError(f"ROTA_SHARD_IDS={ids_text!r}: shards are numbered 0 to {count - 1} (ROTA_SHARD_COUNT).")
    return count, ids


def _web(env: Mapping[str, str]) -> tuple[int | None, str, str | None]:
    """ROTA_WEB_PORT (off when empty), ROTA_WEB_HOST and ROTA_PUBLIC_URL (the address behind the proxy)."""
    port_text = env.get("ROTA_WEB_PORT", "").strip()
    host = env.get("ROTA_WEB_HOST", "").strip() or "127.0.0.1"
    public = env.get("ROTA_PUBLIC_URL", "").strip().rstrip("/")
    if not port_text:
        if public:
            raise ConfigError("ROTA_PUBLIC_URL needs ROTA_WEB_PORT: the port the bot's web endpoint listens on.")
        return None, host, None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ConfigError(f"ROTA_WEB_PORT={port_text!r}: give a port number from 1 to 65535 (e.g. 8080).")
    if not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]{1,255}", host):
        raise ConfigError(f"ROTA_WEB_HOST={host!r}: give an address to listen on, such as 127.0.0.1 or 0.0.0.0.")
    if public:
        parts = urlsplit(public)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ConfigError(
                f"ROTA_PUBLIC_URL={public!r}: give the address people reach the bot at, such as https://rota.example.org."
            )
    return int(port_text), host, public or None


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} must be a number of seconds (it is for tests only).") from None
    if not 0 <= value <= 60:
        raise ConfigError(f"{name}={raw!r} must be between 0 and 60 seconds (it is for tests only).")
    return value


def _instance(raw: str) -> str:
    """This process's name among several sharing a database: letters, digits, `.`, `-`, `_`, `:`."""
    if not re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", raw):
        raise ConfigError(f"ROTA_INSTANCE={raw!r}: use 1-64 letters, digits, dots, dashes, underscores or colons.")
    return raw


def _guild_ids(raw: str) -> tuple[int, ...]:
    ids: list[int] = []
    for part in raw.replace(" ", ",").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise ConfigError(f"ROTA_DEV_GUILDS has {part!r}: give server ids (numbers) separated by commas.")
        ids.append(int(part))
    return tuple(ids)


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(schemes):
        raise ConfigError(f"{name}={raw!r} must start with {' or '.join(schemes)} (it is for tests only).")
    return raw.rstrip("/")


def configure_logging(level: str) -> None:
    """Plain, greppable log lines on stderr."""
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # discord.py's gateway chatter is noise at INFO.
    logging.getLogger("discord").setLevel(max(logging.WARNING, getattr(logging, level)))
