"""What every benchmark shares: a table of rows printed as they are measured, and steady-state timing."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROWS: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"  {what:<56} {value:>14}  {note}", flush=True)


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """Median seconds of ``repeats`` calls after one warm-up call (steady state, caches and allocator warm)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table() -> None:
    print("\n| measure | value | note |\n|---|---|---|")
    for what, value, note in ROWS:
        print(f"| {what} | {value} | {note} |")


def in_fresh_process(script: str, *args: str) -> dict:
    """Run ``script`` in a new Python (TensorFlow's devices are fixed once its runtime starts) and return the
    JSON object its last line prints; ``{"ok": False, "error": ...}`` with stderr's last line if it fails."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env)
    if done.returncode:
        return {"ok": False, "error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_results(name: str, command: str, note: str, table: list[str]) -> None:
    """``benchmarks/results/NAME.md``: the command that made it, what it ran on, the table (also printed)."""
    (ROOT / "benchmarks" / "results" / f"{name}.md").write_text(f"# `{command}`\n\n{note}\n\n" + "\n".join(table) + "\n")
    print("\n".join(table))
