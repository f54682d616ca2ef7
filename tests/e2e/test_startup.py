"""Starting the bot as an operator would: a rejected token and `--check`, against the fake Discord."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fakediscord import FakeDiscord, World

REPO = Path(__file__).resolve().parents[2]


def run_bot(
    fake: FakeDiscord, tmp_path: Path, *args: str, token: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
    env.update(
        DISCORD_TOKEN=token or fake.token,
        ROTA_DATABASE=str(tmp_path / "rota.sqlite3"),
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_rejected_token_is_one_line_and_exit_2(fake: FakeDiscord, tmp_path: Path) -> None:
    result = run_bot(fake, tmp_path, token="not-the-right-token")
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if "WARNING discord.client" not in line]
    assert len(problems) == 1 and "rejected DISCORD_TOKEN" in problems[0], result.stderr
    assert "Traceback" not in result.stderr


def test_check_prints_name_servers_invite_and_what_is_missing(fake: FakeDiscord, world: World, tmp_path: Path) -> None:
    world.add_guild("Checked Club")
    bare = world.add_guild("Bare Club", bot_permissions=0)
    result = run_bot(fake, tmp_path, "--check")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot: Rota" in out
    invite = next(line for line in out.splitlines() if line.startswith("invite: "))
    assert "scope=bot+applications.commands" in invite and "permissions=" in invite
    assert "Checked Club" in out and f"Bare Club ({bare.id}): missing" in out
    assert "send_messages" in out.split("Bare Club")[1].splitlines()[0]


def test_commands_sync_only_when_they_changed(make_bot, world: World) -> None:
    def syncs() -> int:
        with world.lock:
            return sum(1 for r in world.requests if r.startswith("PUT ") and r.endswith("/commands"))

    bot = make_bot()
    first = syncs()
    assert first >= 1
    bot.restart()
    assert syncs() == first  # same commands: no second sync, which Discord would rate-limit
