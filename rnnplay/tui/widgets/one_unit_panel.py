"""The one-unit lab as a panel: keys change w, u, b, the cell and the steps; h over the steps, the product
∂h(T)/∂h(0) and the reading follow at once.

What it needs from its host: nothing but room (it fits 80×24) and focus for its keys. It runs
``runtime.one_unit`` (float64 NumPy, microseconds a run) on every key press; no worker, no model. Mount it
anywhere (``OneUnitPanel()``, or with starting ``UnitSettings``); ``settings`` and ``result`` are public
for a host that wants to show more.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from rnnplay.runtime.one_unit import CELLS, MAX_STEPS, UnitRun, UnitSettings, number, run
from rnnplay.unit_view import FORMULAS, product_line, range_with_zero, settings_line, thinned

EIGHTHS = " ▁▂▃▄▅▆▇█"
STEP = 0.05  # w, u and b move by this a key press
FORGET_STEP = 0.01
STEPS_STEP = 10
PLOT_ROWS = 8


def column_plot(values: np.ndarray, rows: int, width: int) -> list[Text]:
    """The values as columns of eighths between their min (or 0) and max (or 0), a y label at top and bottom.

    More values than ``width`` are thinned to every k-th (the last kept); a value that is not finite shows as ``!``.
    """
    picked, _ = thinned(values, width)
    low, high = range_with_zero(picked)
    span = (high - low) or 1.0
    heights = [round((v - low) / span * rows * 8) if math.isfinite(v) else -1 for v in picked]
    labels = [number(high), *[""] * (rows - 2), number(low)] if rows >= 2 else [number(high)]
    label_width = max(len(label) for label in labels)
    lines = []
    for row in range(rows):
        floor = (rows - 1 - row) * 8  # eighths below this row
        cells = []
        for height in heights:
            if height < 0:
                cells.append("!" if row == rows - 1 else " ")
            else:
                cells.append(EIGHTHS[max(0, min(8, height - floor))])
        lines.append(Text.assemble((labels[row].rjust(label_width) + " ┤", "dim"), "".join(cells)))
    return lines


class OneUnitPanel(Vertical, can_focus=True):
    """h over the steps for one unit, and how much of h(0) the end still feels, changed with the keys."""

    DEFAULT_CSS = """
    OneUnitPanel { height: auto; padding: 0 1; }
    OneUnitPanel:focus-within, OneUnitPanel:focus { background: $boost; }
    OneUnitPanel #unit-title { text-style: bold; }
    OneUnitPanel #unit-settings, OneUnitPanel #unit-keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("w", "nudge('w', -1)", "w−", show=False),
        Binding("W", "nudge('w', 1)", "w", key_display="w/W"),
        Binding("u", "nudge('u', -1)", "u−", show=False),
        Binding("U", "nudge('u', 1)", "u", key_display="u/U"),
        Binding("b", "nudge('b', -1)", "b−", show=False),
        Binding("B", "nudge('b', 1)", "b", key_display="b/B"),
        Binding("c", "cycle_cell", "Cell"),
        Binding("t", "nudge('steps', -1)", "T−", show=False),
        Binding("T", "nudge('steps', 1)", "Steps", key_display="t/T"),
        Binding("f", "nudge('forget', -1)", "f−", show=False),
        Binding("F", "nudge('forget', 1)", "Forget", key_display="f/F"),
        Binding("0", "reset", "Reset"),
    ]

    def __init__(self, settings: UnitSettings | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.start = settings or UnitSettings()
        self.settings = self.start
        self.result: UnitRun = run(self.settings)

    def compose(self) -> ComposeResult:
        yield Static(id="unit-title")
        yield Static(id="unit-settings")
        yield Static(id="unit-plot")
        yield Static(id="unit-product")
        yield Static(id="unit-reading")
        yield Static(Text(f"w/W u/U b/B: −/+{STEP:g} · c: {', '.join(CELLS)} · t/T: steps −/+{STEPS_STEP} · "
                          f"f/F: LSTM forget gate −/+{FORGET_STEP:g} · 0: reset"), id="unit-keys")

    def on_mount(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        self.refresh_view()

    # --- the keys --------------------------------------------------------------------------------

    def action_nudge(self, name: str, direction: int) -> None:
        s = self.settings
        if name == "steps":
            changed = dataclasses.replace(s, steps=max(STEPS_STEP, min(MAX_STEPS, s.steps + direction * STEPS_STEP)))
        elif name == "forget":
            if s.cell != "lstm":
                self.notify("f is the LSTM's forget gate: press c for the lstm cell", severity="warning")
                return
            gate = self.result.forget
            assert gate is not None  # an lstm run always has its forget gate
            current = s.forget if s.forget is not None else float(np.mean(gate))  # from σ(…): its mean over the run
            changed = dataclasses.replace(s, forget=round(max(0.0, min(1.0, current + direction * FORGET_STEP)), 4))
        else:
            changed = dataclasses.replace(s, **{name: round(getattr(s, name) + direction * STEP, 4)})
        self.use(changed)

    def action_cycle_cell(self) -> None:
        cell = CELLS[(CELLS.index(self.settings.cell) + 1) % len(CELLS)]
        self.use(dataclasses.replace(self.settings, cell=cell))

    def action_reset(self) -> None:
        self.use(self.start)

    def use(self, settings: UnitSettings) -> None:
        """Run with ``settings`` and redraw (a host may call it too)."""
        self.settings = settings
        self.result = run(settings)
        self.refresh_view()

    # --- drawing ---------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        s, result = self.settings, self.result
        width = max(10, (self.size.width or 78) - 12)
        self.query_one("#unit-title", Static).update(Text(f"one {s.cell} unit  {FORMULAS[s.cell]}"))
        self.query_one("#unit-settings", Static).update(Text(settings_line(s)))
        name = "c(t)" if result.c is not None else "h(t)"
        plot = column_plot(result.state[1:], PLOT_ROWS, width)
        axis = Text(f"{name} over t = 1 … {s.steps}" + (f" (every {math.ceil(s.steps / width)})" if s.steps > width else ""),
                    style="dim")
        self.query_one("#unit-plot", Static).update(Group(*plot, axis))
        self.query_one("#unit-product", Static).update(product_line(result))
        self.query_one("#unit-reading", Static).update(Text.assemble(("reading: ", "bold"), result.reading()))
