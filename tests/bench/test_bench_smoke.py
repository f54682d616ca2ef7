"""The benchmarks still run (`python -m bench --quick`). Timings are never asserted here: CI machines
vary, and the figures that matter are ratios read from a full run (bench/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.run import QUICK, run


def test_quick_bench_runs_and_never_overbooks(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    results = run(QUICK, out=out)
    figures = results["figures"]
    assert figures["burst_overbooked"] == 0
    assert figures["burst_claimed"] == figures["burst_places"]
    assert figures["burst_claimed"] + figures["burst_told_full"] == QUICK.burst
    assert figures["burst_cards_settled"]
    assert json.loads(out.read_text())["figures"] == figures
    assert {goal["figure"] for goal in results["goals"]} <= set(figures)
