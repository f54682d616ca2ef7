"""Fixtures for `rota playground`: the command as a real process, and a real browser on its page.

Why a process: what a newcomer runs is `rota playground`, and Ctrl-C must stop it (and the bot it
started) cleanly; only a process shows that. The browser is Debian's Chromium driven by Playwright;
where either is missing the browser tests skip with one reason, and fail instead under
ROTA_REQUIRE_BROWSER=1 (CI sets it wherever it could install Chromium).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
ADDRESS = re.compile(r"the playground is at (http://127\.0\.0\.1:\d+)")


class Playground:
    """`rota playground --port 0` in a folder of its own, its output collected as it comes."""

    def __init__(self, workdir: Path, *args: str, env: dict[str, str] | None = None) -> None:
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ROTA_"))}
        environ.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "playground", "--port", "0", *args],
            cwd=workdir,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_address(self, timeout: float = 90.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = ADDRESS.search(self.output)
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)  # polling the process's output
        raise AssertionError(f"the playground printed no address:\n{self.output}")

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C, as a person in a terminal would; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError(f"the playground ignored Ctrl-C for {timeout:.0f} s:\n{self.output}") from None
        self._reader.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return code


@pytest.fixture
def start_playground(tmp_path: Path) -> Iterator[Any]:
    """`start_playground(*args, env=None)` runs the command; anything still running is stopped after the test."""
    started: list[Playground] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Playground:
        workdir = tmp_path / f"run{len(started)}"
        workdir.mkdir()
        playground = Playground(workdir, *args, env=env)
        started.append(playground)
        return playground

    yield start
    for playground in started:
        if playground.proc.poll() is None:
            playground.interrupt()


def _unavailable(reason: str) -> None:
    if os.environ.get("ROTA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ROTA_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright (its own browser downloads are never used). One per test:
    Playwright's sync API holds an event loop while it runs, and the database fixtures need theirs."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        _unavailable("no Chromium to drive (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path)
        yield browser
        browser.close()


class PageErrors:
    """Every JavaScript error and console error the page showed; a test fails if there is any."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, page: Any) -> Any:
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("console", lambda msg: msg.type == "error" and self.seen.append(f"console error: {msg.text}"))
        return page


@pytest.fixture
def page_errors() -> Iterator[PageErrors]:
    errors = PageErrors()
    yield errors
    assert not errors.seen, "the page showed JavaScript errors:\n" + "\n".join(errors.seen)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots are kept here (gitignored) for CI to keep as artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
