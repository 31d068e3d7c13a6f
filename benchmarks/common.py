"""What every benchmark shares: a table of rows printed as they are measured, and steady-state timing."""

from __future__ import annotations

import statistics
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
