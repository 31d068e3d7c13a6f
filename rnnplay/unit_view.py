"""The one-unit lab as Rich text and as JSON: one view shared by ``rnnplay unit``, ``:unit`` and the TUI panel.

Every figure comes from ``runtime.one_unit``; this module only lays them out: the state over the steps as
a sparkline and a short table, how much the end still feels each earlier step (log scale), the product
written out, and the reading line.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from rnnplay.render import sparkline
from rnnplay.runtime.one_unit import UnitRun, UnitSettings, number, power

FORMULAS = {
    "tanh": "h(t) = tanh(w·h(t−1) + u·x(t) + b)",
    "linear": "h(t) = w·h(t−1) + u·x(t) + b",
    "lstm": "c(t) = f·c(t−1) + i·tanh(w·h(t−1) + u·x(t) + b), h(t) = o·tanh(c(t))",
}


def thinned(values: np.ndarray, width: int) -> tuple[np.ndarray, int]:
    """At most ``width`` values: every k-th, and the last (the state at T, which the reading names), so a
    1,000-step run fits a line."""
    every = max(1, math.ceil(len(values) / max(1, width)))
    picked = values[::every]
    if (len(values) - 1) % every:  # the last is off the stride: it takes the final place, within the width
        picked = np.append(picked[: max(1, width) - 1], values[-1])
    return picked, every


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def table_steps(steps: int, columns: int = 7) -> list[int]:
    """The steps the table shows: 0, 1, 2, then round steps up to T."""
    marks = [0, 1, 2, 5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 750, 1000]
    chosen = [t for t in marks if t < steps]
    if len(chosen) >= columns:
        chosen = chosen[: columns - 1]
    return [*chosen, steps]


def settings_line(s: UnitSettings) -> str:
    parts = [f"w {number(s.w)}", f"u {number(s.u)}", f"b {number(s.b)}"]
    if s.cell == "lstm":
        f = f"f {number(s.forget)}" if s.forget is not None else f"f = σ({number(s.forget_u)}·x + {number(s.forget_bias)})"
        parts += [f, f"i {number(s.input_gate)}", f"o {number(s.output_gate)}"]
    start = f"h(0) {number(s.h0)}" + (f", c(0) {number(s.c0)}" if s.cell == "lstm" else "")
    return f"{', '.join(parts)} · {s.steps} steps · {s.input_description()} · {start}"


def range_with_zero(values: np.ndarray) -> tuple[float, float]:
    """The finite values' range, widened to take in 0 so a state's sign shows (0 … 1 when none is finite)."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return 0.0, 1.0
    return min(0.0, float(finite.min())), max(0.0, float(finite.max()))


def state_rows(result: UnitRun, width: int) -> list[tuple[str, str, str]]:
    """(label, sparkline, range) rows: the state (and h for the LSTM), with its range."""
    rows = []
    named = [("c(t)", result.c), ("h(t)", result.h)] if result.c is not None else [("h(t)", result.h)]
    for name, values in named:
        assert values is not None
        picked, every = thinned(values[1:], width)
        low, high = range_with_zero(picked)
        note = f"{number(low)} … {number(high)}" + (f", every {ordinal(every)}" if every > 1 else "")
        rows.append((name, sparkline(picked, low, high), note))
    return rows


def back_row(result: UnitRun, width: int) -> tuple[str, str, str]:
    """How much the end feels each step t (∂state(T)/∂state(t)), on a log scale, t = 0 on the left."""
    back = np.abs(result.back()[1:])  # t = 1..T, under the state's own sparkline
    picked, _ = thinned(back, width)
    with np.errstate(divide="ignore"):
        logs = np.log10(np.where(picked > 0, picked, np.nan))
    finite = logs[np.isfinite(logs)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    shown = np.where(np.isfinite(logs), logs, low)
    state = "c" if result.c is not None else "h"
    return (f"∂{state}(T)/∂{state}(t)", sparkline(shown, low, high), f"log, {number(10 ** low)} … {number(10 ** high)}")


def unit_view(result: UnitRun, width: int = 50) -> list[Any]:
    """The run as Rich renderables: title, sparklines, a table of a few steps, the product, the reading."""
    s = result.settings
    title = Text.assemble((f"one {s.cell} unit", "bold"), "  ", FORMULAS[s.cell])
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True, min_width=11)
    grid.add_column(no_wrap=True, overflow="ellipsis")
    for label, row, note in [*state_rows(result, width), back_row(result, width)]:
        grid.add_row(label, Text.assemble(row, ("  " + note, "dim")))
    steps = table_steps(s.steps)
    table = Table(box=None, pad_edge=False, show_header=True, header_style="dim")
    table.add_column("t", style="dim", no_wrap=True)
    for t in steps:
        table.add_column(str(t), justify="right", no_wrap=True)
    if result.c is not None:
        table.add_row("c(t)", *(number(float(result.c[t])) for t in steps))
    table.add_row("h(t)", *(number(float(result.h[t])) for t in steps))
    if result.forget is not None:
        table.add_row("f(t)", "", *(number(float(result.forget[t - 1])) for t in steps[1:]))
    state = "c" if result.c is not None else "h"
    back = result.back()
    table.add_row(f"∂{state}(T)/∂{state}(t)", *(number(float(back[t])) for t in steps))
    return [title, Text(settings_line(s), style="dim"), grid, table, product_line(result),
            Text.assemble(("reading: ", "bold"), result.reading())]


def product_line(result: UnitRun) -> Text:
    """The product written out with its value."""
    s = result.settings
    T = s.steps
    if s.cell == "lstm":
        carousel = result.carousel
        assert carousel is not None
        return Text(f"∂c({T})/∂c(0): carousel Π f = {number(carousel)}; full (with the path through h, w = {number(s.w)}) "
                    f"Π (f + i·g′·w·o·tanh′(c)) = {number(result.derivative)}")
    if s.cell == "linear":
        return Text(f"∂h({T})/∂h(0) = Π w = {power(s.w, T)} = {number(result.derivative)}")
    assert result.tanh_part is not None
    return Text(f"∂h({T})/∂h(0) = Π w·tanh′(a(t)) = {power(s.w, T)} × Π (1 − h(t)²) = {number(result.w_power)} × "
                f"{number(result.tanh_part)} = {number(result.derivative)}")


def finite_or_none(value: float | None) -> float | None:
    """JSON has no NaN or infinity: an overflow is null (the reading says it overflowed)."""
    return None if value is None or not math.isfinite(value) else float(value)


def unit_json(result: UnitRun) -> dict[str, Any]:
    s = result.settings
    listed = lambda values: [finite_or_none(float(v)) for v in values]
    data: dict[str, Any] = {
        "cell": s.cell, "w": s.w, "u": s.u, "b": s.b, "steps": s.steps, "x": listed(s.inputs()), "h0": s.h0,
        "h": listed(result.h), "factors": listed(result.factors), "derivative": finite_or_none(result.derivative),
        "w_power": finite_or_none(result.w_power), "back": listed(result.back()), "reading": result.reading(),
    }
    if s.cell == "tanh":
        data["tanh_part"] = finite_or_none(result.tanh_part)
    if s.cell == "lstm":
        assert result.c is not None and result.forget is not None
        data.update({"c0": s.c0, "c": listed(result.c), "forget": listed(result.forget), "carousel": finite_or_none(result.carousel),
                     "forget_constant": s.forget, "forget_bias": s.forget_bias, "forget_u": s.forget_u,
                     "input_gate": s.input_gate, "output_gate": s.output_gate})
    return data
