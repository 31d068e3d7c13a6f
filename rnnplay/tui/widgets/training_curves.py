"""Loss and accuracy while a model trains: the training curve moves batch by batch, validation once an epoch.

Plotted with textual-plotext (braille lines, axes and a legend). The training curve is Keras' running
mean over the epoch so far, at fractional epochs; validation is measured at each epoch's end, so its
points sit on whole epochs. A validation curve that rises while the training curve still falls is
overfitting, which is what these plots are for. CBOW has no accuracy and no validation split: its
run shows one loss plot.
"""

from __future__ import annotations

import math

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

TRAIN_COLOUR = (0, 120, 215)  # mid blue and orange: readable on light and dark backgrounds alike
VALIDATION_COLOUR = (230, 110, 0)
MAX_POINTS = 400  # batch points kept per curve; older ones are thinned to every other
TICKS = 4  # about this many y ticks, at round values: plotext's own are 0.693131-wide and eat a narrow plot


def round_ticks(low: float, high: float, count: int = TICKS) -> tuple[list[float], list[str]]:
    """Ticks at multiples of 1, 2 or 5 × 10^k covering [low, high], and their labels in few digits."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [], []
    need = max(0.02 * max(abs(low), abs(high)), 1e-6)  # a flat curve gets a range of a few per cent, not 13 digits
    if high - low < need:
        middle = (low + high) / 2
        low, high = middle - need / 2, middle + need / 2
    raw = (high - low) / max(1, count - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first + i * step for i in range(math.ceil((high - first) / step - 1e-9) + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    labels = [f"{tick:.{decimals}f}" for tick in ticks]
    if max(map(len, labels)) > 7:  # a loss of millions, or of millionths
        labels = [f"{tick:.4g}" for tick in ticks]
    return ticks, labels


def legend(kind: str) -> Text:
    """The key under the plots, in the plots' colours (plotext's own legend would sit on the curves'
    starting points, top left, exactly where a loss curve begins)."""
    text = Text.assemble(("━━", Style(color=Color.from_rgb(*TRAIN_COLOUR))), " training (running mean)  ")
    if kind == "classifier":
        text.append_text(Text.assemble(("•", Style(color=Color.from_rgb(*VALIDATION_COLOUR), bold=True)),
                                       " validation  "))
    text.append("x: epoch", style="dim")
    return text


class TrainingCurves(Vertical):
    """Two plots side by side (loss, accuracy) and their key, redrawn from the points collected so far."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = "classifier"
        self.epochs = 1
        self.train: dict[str, list[tuple[float, float]]] = {"loss": [], "accuracy": []}
        self.validation: dict[str, list[tuple[float, float]]] = {"loss": [], "accuracy": []}

    def compose(self) -> ComposeResult:
        with Horizontal(id="curves-plots"):
            yield PlotextPlot(id="loss-plot")
            yield PlotextPlot(id="accuracy-plot")
        yield Static(legend(self.kind), id="curves-legend")

    def on_mount(self) -> None:
        self.replot()

    def start(self, kind: str, epochs: int) -> None:
        """Forget the last run; ``kind`` is "classifier" or "vectors" (loss only)."""
        self.kind, self.epochs = kind, max(1, epochs)
        for series in (*self.train.values(), *self.validation.values()):
            series.clear()
        self.query_one("#accuracy-plot").display = kind == "classifier"
        self.query_one("#curves-legend", Static).update(legend(kind))
        self.replot()

    def add_batch(self, x: float, loss: float, accuracy: float | None = None) -> None:
        """A training point at fractional epoch ``x`` (NaN values are skipped: a diverged batch)."""
        self._add(self.train["loss"], x, loss)
        if accuracy is not None:
            self._add(self.train["accuracy"], x, accuracy)
        self.replot()

    def add_epoch(self, epoch: int, loss: float, accuracy: float | None = None,
                  val_loss: float | None = None, val_accuracy: float | None = None) -> None:
        """An epoch's end: its training means, and validation when the run measures it."""
        self._add(self.train["loss"], epoch, loss)
        if accuracy is not None:
            self._add(self.train["accuracy"], epoch, accuracy)
        if val_loss is not None:
            self._add(self.validation["loss"], epoch, val_loss)
        if val_accuracy is not None:
            self._add(self.validation["accuracy"], epoch, val_accuracy)
        self.replot()

    @staticmethod
    def _add(series: list[tuple[float, float]], x: float, y: float) -> None:
        if y != y:  # NaN
            return
        series.append((float(x), float(y)))
        if len(series) > MAX_POINTS:
            kept = series[::2]
            if kept[-1] is not series[-1]:
                kept.append(series[-1])
            series[:] = kept

    def replot(self) -> None:
        for metric in ("loss", "accuracy"):
            plot = self.query_one(f"#{metric}-plot", PlotextPlot)
            plt = plot.plt
            plt.clear_data()
            plt.clear_figure()
            plt.title(metric if self.kind == "classifier" else "CBOW loss (negative sampling)")
            plt.xlim(0, self.epochs)
            if self.epochs <= 10:
                plt.xticks(list(range(self.epochs + 1)))
            values = [y for _, y in self.train[metric] + self.validation[metric]]
            if metric == "accuracy":
                plt.ylim(0.0, 1.0)
                plt.yticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0", ".25", ".5", ".75", "1"])
            elif values:
                ticks, labels = round_ticks(min(values), max(values))
                plt.ylim(ticks[0], ticks[-1])
                plt.yticks(ticks, labels)
            for points, colour, marker in ((self.train[metric], TRAIN_COLOUR, "braille"),
                                           (self.validation[metric], VALIDATION_COLOUR, "dot")):
                if points:
                    xs, ys = zip(*points)
                    plt.plot(list(xs), list(ys), color=colour, marker=marker)
            plot.refresh()
