"""The web endpoint's settings: off by default, one clear line for each bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": "t", "ROTA_DATABASE": str(tmp_path / "rota.sqlite3"), **extra}


def test_off_by_default(tmp_path: Path) -> None:
    config = load_config(env(tmp_path))
    assert config.web_port is None and config.public_url is None and config.web_host == "127.0.0.1"


def test_port_and_public_address(tmp_path: Path) -> None:
    config = load_config(env(tmp_path, ROTA_WEB_PORT="8080", ROTA_PUBLIC_URL="https://rota.example.org/"))
    assert config.web_port == 8080 and config.public_url == "https://rota.example.org"
    health_only = load_config(env(tmp_path, ROTA_WEB_PORT="9000", ROTA_WEB_HOST="0.0.0.0"))
    assert health_only.web_port == 9000 and health_only.public_url is None and health_only.web_host == "0.0.0.0"


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"ROTA_WEB_PORT": "http"}, "ROTA_WEB_PORT"),
        ({"ROTA_WEB_PORT": "0"}, "ROTA_WEB_PORT"),
        ({"ROTA_WEB_PORT": "70000"}, "ROTA_WEB_PORT"),
        ({"ROTA_WEB_PORT": "8080", "ROTA_WEB_HOST": "a host"}, "ROTA_WEB_HOST"),
        ({"ROTA_PUBLIC_URL": "https://rota.example.org"}, "ROTA_PUBLIC_URL needs ROTA_WEB_PORT"),
        ({"ROTA_WEB_PORT": "8080", "ROTA_PUBLIC_URL": "rota.example.org"}, "ROTA_PUBLIC_URL"),
        ({"ROTA_WEB_PORT": "8080", "ROTA_PUBLIC_URL": "ftp://rota.example.org"}, "ROTA_PUBLIC_URL"),
        ({"ROTA_WEB_PORT": "8080", "ROTA_PUBLIC_URL": "https://x.org/?a=1"}, "ROTA_PUBLIC_URL"),
    ],
)
def test_bad_values_name_the_variable_in_one_line(tmp_path: Path, extra: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env(tmp_path, **extra))
    message = str(caught.value)
    assert message.startswith(needle) and "\n" not in message
