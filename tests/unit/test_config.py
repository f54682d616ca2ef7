"""Config: each bad value is one clear line naming the variable; the entry point exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]


def test_a_postgresql_url_is_taken_as_given_and_its_password_never_shown() -> None:
    url = "postgresql://rota:s3cret@db.example:5432/rota"
    config = load_config({"DISCORD_TOKEN": "abc", "ROTA_DATABASE": url, "ROTA_INSTANCE": "rota-1"})
    assert config.database == url and config.instance == "rota-1"
    with pytest.raises(ConfigError) as caught:
        load_config({"DISCORD_TOKEN": "abc", "ROTA_DATABASE": "postgresql://rota:s3cret@/rota"})
    assert "s3cret" not in str(caught.value) and "ROTA_DATABASE" in str(caught.value)


def test_minimal_config_has_defaults(tmp_path: Path) -> None:
    config = load_config({"DISCORD_TOKEN": "abc", "ROTA_DATABASE": str(tmp_path / "x.sqlite3")})
    assert config.log_level == "INFO"
    assert config.dev_guilds == ()
    assert config.api_base is None
    assert "abc" not in repr(config)  # the token never shows up in logs


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "   "}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "t", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DISCORD_TOKEN": "t", "ROTA_DATABASE": "/no/such/folder/rota.sqlite3"}, "ROTA_DATABASE"),
        ({"DISCORD_TOKEN": "t", "ROTA_DEV_GUILDS": "12,abc"}, "ROTA_DEV_GUILDS"),
        ({"DISCORD_TOKEN": "t", "DISCORD_API_BASE": "ftp://x"}, "DISCORD_API_BASE"),
        ({"DISCORD_TOKEN": "t", "DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL"),
        ({"DISCORD_TOKEN": "t", "ROTA_DATABASE": "postgresql:///rota"}, "ROTA_DATABASE"),
        ({"DISCORD_TOKEN": "t", "ROTA_INSTANCE": "two words"}, "ROTA_INSTANCE"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    message = str(caught.value)
    assert needle in message
    assert "\n" not in message


def test_database_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ROTA_DATABASE"):
        load_config({"DISCORD_TOKEN": "t", "ROTA_DATABASE": str(tmp_path)})


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_database_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ConfigError, match="not writable"):
        load_config({"DISCORD_TOKEN": "t", "ROTA_DATABASE": str(locked / "rota.sqlite3")})


def test_dev_guilds_are_parsed() -> None:
    config = load_config({"DISCORD_TOKEN": "t", "ROTA_DEV_GUILDS": "1, 2,3"})
    assert config.dev_guilds == (1, 2, 3)


def test_entry_point_without_token_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN" in lines[0] and ".env.example" in lines[0]


def test_entry_point_with_bad_log_level_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO), "DISCORD_TOKEN": "t", "LOG_LEVEL": "chatty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "LOG_LEVEL" in result.stderr


# A newcomer's checkout holds `.env` with their token (the README says to create it first). If the
# tests read it, a test that starts `rota` would log into Discord with it. Each `.env` below also
# points at a closed local port, so even a regression sends nothing to discord.com.
DOTENV = "DISCORD_TOKEN=MTIz.fake.token\nDISCORD_API_BASE=http://127.0.0.1:9/api/v10\nLOG_LEVEL=INFO\n"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_", "LOG_LEVEL"))}
    return {**env, "PYTHONPATH": str(REPO)}


def test_a_dotenv_in_a_folder_above_the_working_directory_is_never_read(tmp_path: Path) -> None:
    """As when pytest's temporary folders are inside a checkout (`--basetemp`, TMPDIR)."""
    (tmp_path / ".env").write_text(DOTENV)
    workdir = tmp_path / ".pytest-tmp" / "test0"
    workdir.mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=workdir, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("rota: DISCORD_TOKEN is not set") and result.stderr.count("\n") == 1


def test_the_dotenv_of_the_working_directory_is_read(tmp_path: Path) -> None:
    """What an operator does: `.env` next to where `rota` runs (here: Discord unreachable, exit 1)."""
    (tmp_path / ".env").write_text(DOTENV + f"ROTA_DATABASE={tmp_path / 'rota.sqlite3'}\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--check"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "rota: could not connect to Discord" in result.stderr and "127.0.0.1:9" in result.stderr


def test_a_test_run_in_a_checkout_with_a_dotenv_never_reads_it(tmp_path: Path) -> None:
    """The newcomer's case end to end: pytest runs in a folder whose `.env` holds a token, with its
    temporary folders inside it, and the tests that start the entry point still pass."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".env").write_text(DOTENV)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(REPO / "tests" / "unit" / "test_config.py"),
            "-k",
            "entry_point",  # the tests that start `rota` without a token; not this one
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={checkout / '.pytest-tmp'}",
        ],
        cwd=checkout,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
