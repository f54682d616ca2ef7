"""`rota playground` as a newcomer runs it: it refuses a real token, serves its page, and Ctrl-C
stops it and the bot it started."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
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
    for pid in bots:  # the bot talks to the stand-in on this machine, never to discord.com
        environ = dict(
            item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item
        )
        assert environ["DISCORD_API_BASE"].startswith("http://127.0.0.1:"), environ["DISCORD_API_BASE"]
        assert environ["DISCORD_GATEWAY_URL"].startswith("ws://127.0.0.1:"), environ["DISCORD_GATEWAY_URL"]
    foreign = urllib.request.Request(
        address + "/api/clock", data=b'{"seconds": 3600}', headers={"Origin": "http://example.com"}, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(foreign, timeout=10)
    refused.value.close()
    assert refused.value.code == 403  # another site open in the browser may not drive the playground
    assert playground.interrupt() == 0, playground.output
    assert "stopping the playground" in playground.output
    assert "Traceback" not in playground.output, playground.output
    for pid in bots:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_a_kept_database_serves_again_on_the_next_run(start_playground, tmp_path: Path) -> None:
    kept = tmp_path / "kept.sqlite3"
    first: Playground = start_playground("--db", str(kept))
    first.wait_for_address()
    assert first.interrupt() == 0, first.output
    assert kept.is_file()
    # The database remembers that its commands were synced; the new stand-in must get them again.
    second: Playground = start_playground("--db", str(kept))
    second.wait_for_address()
    assert f"kept in {kept}" in second.output
    assert second.interrupt() == 0, second.output
