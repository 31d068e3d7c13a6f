"""The gradient against distance back in time, on a log scale: a line per cell, at initialisation (dotted)
and after training (solid). Each point is g(k)/g(0), g(k) = ‖∂h(T)/∂x(T − k)‖ averaged over held-out
sequences and seeds, as the race measured it (``RaceResult.decay``); values that underflowed to 0 are
left out, since a log scale has no place for them (the decay table says so with "–")."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from rnnplay.runtime.decay import FLOOR
from rnnplay.training.race_record import RaceResult
from rnnplay.tui.widgets.race_curves import CELL_COLOURS, cell_legend


class DecayPlot(Vertical):
    """One log-scale plot and its key; ``show(result)`` draws a race, ``show(None)`` empties it."""

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="decay-plot")
        yield Static("", id="decay-legend")

    def on_mount(self) -> None:
        self.show(None)

    def show(self, result: RaceResult | None) -> None:
        plt = self.query_one("#decay-plot", PlotextPlot).plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("gradient g(k)/g(0) against distance k (log scale)")
        legend = self.query_one("#decay-legend", Static)
        if result is None:
            legend.update("each cell's gradient decay shows here once a race has finished")
            self.query_one("#decay-plot", PlotextPlot).refresh()
            return
        plt.yscale("log")
        lowest = 1.0
        for cell in result.request.cells:
            for trained in (False, True):
                curve = result.decay(cell, trained)
                if curve is None:
                    continue
                points = [(k, curve.relative(k)) for k in range(curve.length)]
                points = [(k, v) for k, v in points if math.isfinite(v) and v > FLOOR]
                if points:
                    lowest = min(lowest, min(v for _, v in points))
                    xs, ys = zip(*points)
                    plt.plot(list(xs), list(ys), color=CELL_COLOURS[cell], marker="braille" if trained else "dot")
        last = result.request.length - 1
        plt.xlim(0, last)
        plt.xticks(sorted({round(last * i / 4) for i in range(5)}))
        exponents = range(math.floor(math.log10(lowest)), 1) if lowest > 0 else range(0, 1)
        step = max(1, len(exponents) // 5)
        ticks = [10.0**e for e in exponents][::-step][::-1]
        plt.yticks(ticks, [f"1e{round(math.log10(t))}" if t < 1 else "1" for t in ticks])
        legend.update(cell_legend(result.request.cells, "solid: trained · dotted: at initialisation · x: distance k"))
        self.query_one("#decay-plot", PlotextPlot).refresh()



