"""The race in Rich: the live epoch × cell table, the results (mean ± spread over seeds, time), the gradient
decay table and the history of saved races. Shared by the CLI, the REPL and the TUI's Lab tab.

``RaceBoard`` gathers a race's progress events (from any thread's listener) so the front ends only draw
it. Every number shown comes from the run: scores from the held-out sequences, decays from
``runtime.decay``, baselines from the generated data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from rich.table import Table
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.training.memory_tasks import ADDING_TOLERANCE
from rnnplay.training.progress import Phase
from rnnplay.training.race_record import (
    CELL_NAMES,
    TASK_TITLES,
    CellRun,
    EpochScore,
    RaceEvent,
    RaceRequest,
    RaceResult,
    RunBatch,
    RunEnd,
    RunEpoch,
    RunStart,
    SavedRace,
    score_at,
)


@dataclass
class RaceBoard:
    """What a race has done so far: every epoch scored, the batch in progress, the runs finished."""

    request: RaceRequest
    scores: dict[tuple[str, int], list[EpochScore]] = field(default_factory=dict)
    runs: list[CellRun] = field(default_factory=list)
    phase: str = ""
    current: RunStart | None = None
    batch: RunBatch | None = None

    def __call__(self, event: RaceEvent) -> None:
        if isinstance(event, Phase):
            self.phase = event.text
        elif isinstance(event, RunStart):
            self.current, self.batch, self.phase = event, None, ""
            self.scores[(event.cell, event.seed)] = []
        elif isinstance(event, RunBatch):
            self.batch = event
        elif isinstance(event, RunEpoch):
            self.scores.setdefault((event.cell, event.seed), []).append(event.score)
        elif isinstance(event, RunEnd):
            self.runs.append(event.run)

    def score(self, cell: str, epoch: int) -> tuple[float, float, int]:
        """Mean and spread over the seeds that have reached ``epoch`` so far, and how many have."""
        return score_at((s for (c, _), s in self.scores.items() if c == cell), epoch)

    def status(self) -> str:
        """One line: which run, epoch and batch, and its loss."""
        if self.current is None:
            return self.phase or "starting"
        c, b = self.current, self.batch
        where = f"{CELL_NAMES[c.cell]} seed {c.seed} (run {c.index}/{c.runs})"
        if b is None or b.cell != c.cell or b.seed != c.seed:
            return f"{where}: compiling"
        return f"{where}: epoch {b.epoch}/{self.request.epochs}, batch {b.step}/{b.steps}, loss {b.loss:.4f}"


def describe_request(request: RaceRequest) -> str:
    """One line: the task, its length and every knob."""
    parts = [f"{TASK_TITLES[request.task]}, T = {request.length}", f"{request.sequences:,} sequences (a fifth held out)",
             f"{request.units} units", f"{request.optimizer} lr {request.learning_rate:g}", f"batch {request.batch_size}",
             f"recurrent init {request.initializer}", f"LSTM forget bias {'+1' if request.forget_bias else '0'}",
             f"clip {request.clipnorm:g}" if request.clipnorm else "no clipping",
             f"{request.epochs} epoch{'s' if request.epochs > 1 else ''} × {request.seeds} seed{'s' if request.seeds > 1 else ''}"]
    if request.task == "adding":
        parts.insert(1, "target 0.5 + (X1 + X2)/4" if request.scaled else "target X1 + X2")
    return "; ".join(parts)


def epoch_table(request: RaceRequest, score: Any, title: str | None = None) -> Table:
    """Epoch × cell: each cell's held-out score (mean over the seeds that reached the epoch, ± their spread)."""
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("epoch", justify="right")
    for cell in request.cells:
        table.add_column(f"{CELL_NAMES[cell]} {request.scored_by}", justify="right")
    for epoch in range(1, request.epochs + 1):
        row, any_value = [str(epoch)], False
        for cell in request.cells:
            mean, spread, count = score(cell, epoch)
            any_value |= count > 0
            row.append(_pm(mean, spread, count, request) if count else "")
        if any_value:
            table.add_row(*row)
    return table


def summary_table(result: RaceResult) -> Table:
    """Per cell: the final score's mean ± spread over the seeds, its range, the time per seed, the size."""
    request = result.request
    table = Table(box=None, pad_edge=False)
    for name, justify in (("cell", "left"), (f"final {request.scored_by}", "right"), ("range", "right"),
                          ("seeds", "right"), ("seconds/seed", "right"), ("parameters", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for cell in request.cells:
        s = result.summary(cell)
        params = result.runs_of(cell)[0].parameters if result.runs_of(cell) else 0
        table.add_row(CELL_NAMES[cell], _pm(s.mean, s.spread, s.seeds, request), f"{_fmt(s.low, request)}–{_fmt(s.high, request)}",
                      str(s.seeds), f"{s.seconds:.1f}", f"{params:,}")
    return table


def result_notes(result: RaceResult) -> list[Text]:
    """The lines under the results table: the baseline, and what its swap column means."""
    swap = swap_line(result)
    return [baseline_line(result)] + ([swap] if swap is not None else [])


def swap_line(result: RaceResult) -> Text | None:
    """Influence beside the gradient (token tasks only): the share of held-out answers that change, after training,
    when the decisive token is swapped; a cell that remembers it changes them all, however small its gradient there."""
    shares = {cell: result.summary(cell).swapped for cell in result.request.cells}
    if all(share is None for share in shares.values()):
        return None
    token = "first token" if result.request.task == "first" else "earlier marked symbol"
    shown = ", ".join(f"{CELL_NAMES[cell]} {share:.0%}" for cell, share in shares.items() if share is not None)
    return Text(f"the {token} swapped (A ↔ B), the answers that change: {shown} "
                "(a cell that remembers it changes them all, whatever the size of its gradient there)")


def baseline_line(result: RaceResult) -> Text:
    if result.request.task == "adding":
        accuracy = {cell: np.mean([r.epochs[-1].accuracy for r in result.runs_of(cell) if r.epochs]) for cell in result.request.cells}
        shown = ", ".join(f"{CELL_NAMES[c]} {a:.2f}" for c, a in accuracy.items())
        return Text(f"predict-the-mean baseline MSE {result.baseline:.4f} (from the data); within {ADDING_TOLERANCE:g} of the target: {shown}")
    return Text(f"chance (always the commonest class of the training set) scores {result.baseline:.3f} on the held-out sequences")


def decay_table(result: RaceResult) -> Table:
    """Per cell, at initialisation and after training: g(k)/g(0) at some distances k and the fitted decay per step.

    g(k) = ‖∂h(T)/∂x(T − k)‖ averaged over held-out sequences and seeds.
    """
    request = result.request
    first = result.decay(request.cells[0], False)
    distances = first.shown() if first is not None else []
    table = Table(box=None, pad_edge=False)
    table.add_column("cell")
    table.add_column("weights")
    for k in distances:
        table.add_column(f"k = {k}", justify="right")
    table.add_column("decay/step", justify="right")
    for cell in request.cells:
        for trained in (False, True):
            curve = result.decay(cell, trained)
            if curve is None:
                continue
            table.add_row(CELL_NAMES[cell] if not trained else "", "trained" if trained else "at init",
                          *[_sci(curve.relative(k)) for k in distances], _decay(curve.decay))
    return table


def race_report(result: RaceResult) -> list[Any]:
    """Everything a finished race shows, in order: settings, epochs, results, baseline, gradient decay."""
    return [Text(describe_request(result.request), style="dim"), *results_part(result, title="held-out score by epoch"), Text(""),
            Text("gradient over distance, ‖∂h(T)/∂x(T−k)‖ ÷ its value at k = 0 (mean over held-out sequences):", style="bold"),
            decay_table(result),
            Text(f"race took {result.seconds:.1f} s (TensorFlow's start included)", style="dim")]


def results_part(result: RaceResult, title: str | None = None) -> list[Any]:
    """The scores by epoch, the results per cell and what they stand against: the CLI's report and the Lab's pane."""
    return [epoch_table(result.request, result.score, title=title), Text(""), summary_table(result), *result_notes(result)]


def final_scores(result: RaceResult) -> str:
    """Each cell's final score, mean over the seeds, on one line (the history's rows)."""
    return ", ".join(f"{CELL_NAMES[c]} {_fmt(result.summary(c).mean, result.request)}" for c in result.request.cells)


def history_table(saved: Sequence[SavedRace]) -> Table:
    """The saved races, newest first: when, the task, the cells' final scores, the file."""
    table = Table(box=None, pad_edge=False)
    for name in ("started", "task", "T", "epochs×seeds", "final scores", "file"):
        table.add_column(name)
    for entry in saved:
        if entry.result is None:
            table.add_row("?", "", "", "", Text(printable(entry.problem), style="red"), printable(entry.path.name))
            continue
        r = entry.result
        table.add_row(r.started.replace("T", " ")[:19], r.request.task, str(r.request.length),
                      f"{r.request.epochs}×{r.request.seeds}", final_scores(r), printable(entry.path.name))
    return table


def _fmt(value: float, request: RaceRequest) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:.4f}" if request.task == "adding" else f"{value:.3f}"


def _pm(mean: float, spread: float, count: int, request: RaceRequest) -> str:
    text = _fmt(mean, request)
    return f"{text} ± {_fmt(spread, request)}" if count > 1 and math.isfinite(spread) else text


def _sci(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:.2f}" if value >= 0.01 else f"{value:.1e}"


def _decay(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.3f}"
