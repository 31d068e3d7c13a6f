"""A race's curves, one per cell: the training loss batch by batch, and the held-out score each epoch.

The Train tab's curves (``training_curves``) plot one model; a race trains several, so each cell gets a
colour of its own. The same textual-plotext plots and the same round ticks (``round_ticks``). The
training loss is the run in progress (each cell's current seed, at fractional epochs); the score is the
mean over the seeds that have reached each epoch (``RaceBoard.score``).
"""

from __future__ import annotations

import math
from typing import Callable

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from rnnplay.training.race_record import CELL_NAMES
from rnnplay.tui.widgets.training_curves import MAX_POINTS, round_ticks

# Blue, orange, green, magenta: readable on the light and the dark theme alike.
CELL_COLOURS = {"rnn": (0, 120, 215), "gru": (230, 110, 0), "lstm": (0, 160, 60), "bi-lstm": (190, 40, 170)}


def cell_legend(cells: tuple[str, ...], extra: str = "") -> Text:
    text = Text()
    for cell in cells:
        text.append("━━", style=Style(color=Color.from_rgb(*CELL_COLOURS[cell])))
        text.append(f" {CELL_NAMES[cell]}  ")
    if extra:
        text.append(extra, style="dim")
    return text


class RaceCurves(Vertical):
    """Loss (left) and held-out score (right), a line per cell, and their key."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells: tuple[str, ...] = ()
        self.epochs = 1
        self.scored_by = "accuracy"
        self.loss: dict[str, list[tuple[float, float]]] = {}
        self.score: Callable[[str, int], tuple[float, float, int]] = lambda cell, epoch: (math.nan, math.nan, 0)

    def compose(self) -> ComposeResult:
        with Horizontal(id="race-plots"):
            yield PlotextPlot(id="race-loss-plot")
            yield PlotextPlot(id="race-score-plot")
        yield Static("", id="race-curves-legend")

    def on_mount(self) -> None:
        self.query_one("#race-curves-legend", Static).update(cell_legend(self.cells, "x: epoch") if self.cells else "")
        self.replot()

    def start(self, cells: tuple[str, ...], epochs: int, scored_by: str,
              score: Callable[[str, int], tuple[float, float, int]]) -> None:
        """Forget the last race; ``score(cell, epoch)`` gives the (mean, spread, seeds) to plot."""
        self.cells, self.epochs, self.scored_by, self.score = cells, max(1, epochs), scored_by, score
        self.loss = {cell: [] for cell in cells}
        self.query_one("#race-curves-legend", Static).update(cell_legend(cells, "x: epoch"))
        self.replot()

    def add_batch(self, cell: str, x: float, loss: float) -> None:
        """A loss point; a new seed's run of the cell starts its line again."""
        series = self.loss.setdefault(cell, [])
        if series and x < series[-1][0]:
            series.clear()
        if math.isfinite(loss):
            series.append((x, loss))
            if len(series) > MAX_POINTS:
                series[:] = series[::2] + ([series[-1]] if len(series) % 2 == 0 else [])
        self.replot()

    def replot(self) -> None:
        loss_plot = self.query_one("#race-loss-plot", PlotextPlot).plt
        score_plot = self.query_one("#race-score-plot", PlotextPlot).plt
        for plt, title in ((loss_plot, "training loss"), (score_plot, f"held-out {self.scored_by}")):
            plt.clear_data()
            plt.clear_figure()
            plt.title(title)
            plt.xlim(0, self.epochs)
            if self.epochs <= 10:
                plt.xticks(list(range(self.epochs + 1)))
        losses = [y for series in self.loss.values() for _, y in series]
        if losses:
            ticks, labels = round_ticks(min(losses), max(losses))
            loss_plot.ylim(ticks[0], ticks[-1])
            loss_plot.yticks(ticks, labels)
        scores: dict[str, list[tuple[int, float]]] = {}
        for cell in self.cells:
            points = [(e, self.score(cell, e)[0]) for e in range(1, self.epochs + 1)]
            scores[cell] = [(e, v) for e, v in points if math.isfinite(v)]
        if self.scored_by == "accuracy":
            score_plot.ylim(0.0, 1.0)
            score_plot.yticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0", ".25", ".5", ".75", "1"])
        else:
            values = [v for series in scores.values() for _, v in series]
            if values:
                ticks, labels = round_ticks(min(values), max(values))
                score_plot.ylim(ticks[0], ticks[-1])
                score_plot.yticks(ticks, labels)
        for cell in self.cells:
            colour = CELL_COLOURS[cell]
            if self.loss.get(cell):
                xs, ys = zip(*self.loss[cell])
                loss_plot.plot(list(xs), list(ys), color=colour, marker="braille")
            if scores.get(cell):
                xs2, ys2 = zip(*scores[cell])
                score_plot.plot(list(xs2), list(ys2), color=colour, marker="braille")
        for plot in self.query(PlotextPlot):
            plot.refresh()
