"""The default race's time, against the issue's target: 3 cells, T = 100, 1 seed, within 2 minutes on 2 cores.

    python benchmarks/race_default.py

Runs ``rnnplay race``'s defaults (``RaceRequest()``: first token decides, rnn/gru/lstm, 4,000 sequences,
10 epochs, batch 64, 32 units) in this process, TensorFlow's import included, and prints the wall time,
the process's CPU time and each cell's training time. Nothing is saved. A loaded machine inflates the
wall time, not the CPU time: compare the two.
"""

from __future__ import annotations

import time

from rnnplay.training.race import run_race
from rnnplay.training.race_record import RaceRequest

TARGET_SECONDS = 120.0


def main() -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run_race(RaceRequest())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for run in result.runs:
        print(f"{run.cell:<5} {run.seconds:6.1f} s  final accuracy {run.final:.3f}")
    verdict = "within" if wall <= TARGET_SECONDS else "over"
    print(f"default race: {wall:.1f} s wall ({verdict} the {TARGET_SECONDS:.0f} s target), {cpu:.1f} s CPU in this process")


if __name__ == "__main__":
    main()
