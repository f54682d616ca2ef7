"""`rota playground` as a newcomer runs it: it refuses a real token, serves its page, and Ctrl-C
stops it and the bot it started."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.playground.conftest import Playground


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_real_token_in_the_environment_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "playground"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": "MTIz.real-looking.token"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0], done.stderr
    assert "real-looking" not in done.stderr + done.stdout


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reading child processes needs Linux's /proc")
def test_it_serves_the_page_and_ctrl_c_stops_everything(start_playground) -> None:
    playground: Playground = start_playground()
    address = playground.wait_for_address()
    with urllib.request.urlopen(address + "/", timeout=10) as response:
        assert response.status == 200 and b"Rota playground" in response.read()
    bots = children(playground.proc.pid)
    assert bots, "the playground started no bot process"
    assert playground.interrupt() == 0, playground.output
    assert "stopping the playground" in playground.output
    assert "Traceback" not in playground.output, playground.output
    for pid in bots:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
