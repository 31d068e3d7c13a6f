"""What the model thought while reading: P(positive) after each prefix of the text, as a small column chart.

The chart has a labelled y axis and a dotted line at 0.5 (where the verdict flips). When the trace moves
little, the y range zooms to the data (its ends are labelled), so steps of 0.01 stay visible; the rows grow
with the terminal's height.

It also says how the trace was obtained, because that is the lesson: a one-directional network reads
left to right, so every prefix is a state it passed through (it can stream); a bidirectional one also
reads right to left, so each prefix has to be read again from its own end.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Sequence

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import share_colour
from rnnplay.tui.shared import dark_background, follow_theme

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

EIGHTHS = " ▁▂▃▄▅▆▇█"
REFERENCE = "┈"  # the 0.5 line, drawn where no column covers it
ROWS_BY_HEIGHT = ((40, 6), (28, 4), (0, 3))  # (terminal rows at least, chart rows): more room, finer steps
ZOOM_STEP = 0.05  # a zoomed range starts and ends on a multiple of this
FULL_RANGE_SPAN = 0.6  # a trace that spans more than this is drawn on the whole 0 … 1 range
STREAMED = "one left-to-right pass"
REREAD = "bidirectional: every prefix re-read"
STREAMED_NOTE = ("Streamed: the model reads left to right once, so P after each word is a state it passed "
                 "through on the way.")
REREAD_NOTE = ("Re-read: this model also reads right to left, starting at the last word, so P after word k "
               "needs its own pass over words 1…k: it cannot stream.")
WHY = ("A one-directional network reads left to right, so P after each word is a state it went through: it can "
       "stream. A bidirectional one also reads right to left from the end, so every prefix must be read again.")


def layout(tokens: Sequence[str], values: Sequence[float], width: int) -> tuple[list[float], list[int], int]:
    """Values, column widths and gap for a chart ``width`` cells wide.

    When the words fit, each column is as wide as its word, so the words can be printed underneath;
    otherwise each column stands for a run of words and keeps the last value of the run.
    """
    if sum(len(t) for t in tokens) + len(tokens) - 1 <= width:
        return list(values), [len(t) for t in tokens], 1
    if len(values) > width:
        step = len(values) / width
        return [values[min(len(values) - 1, int((c + 1) * step) - 1)] for c in range(width)], [1] * width, 0
    cell = max(1, min(3, width // max(1, len(values))))
    return list(values), [cell] * len(values), 0


def y_range(values: Sequence[float]) -> tuple[float, float]:
    """The y range to draw: 0 … 1, or, for a trace that moves little, the data's range widened to
    multiples of ``ZOOM_STEP`` (with room below the lowest value, so its column shows)."""
    low, high = min(values), max(values)
    if high - low > FULL_RANGE_SPAN:
        return 0.0, 1.0
    bottom = max(0.0, math.floor(low / ZOOM_STEP - 0.5) * ZOOM_STEP)
    top = min(1.0, math.ceil(high / ZOOM_STEP + 1e-9) * ZOOM_STEP)
    if top - bottom < 2 * ZOOM_STEP:  # a flat trace: a little room each way
        bottom, top = max(0.0, bottom - ZOOM_STEP), min(1.0, top + ZOOM_STEP)
    return round(bottom, 2), round(top, 2)


def column_chart(values: Sequence[float], widths: Sequence[int], gap: int, rows: int = 4,
                 low: float = 0.0, high: float = 1.0, dark: bool | None = None) -> list[Text]:
    """Rows of block characters, top row first, for values between ``low`` and ``high``; green above 0.5,
    red below; a dotted line at 0.5 (when it is in range) wherever a column does not cover it."""
    span = (high - low) or 1.0
    reference = round((0.5 - low) / span * rows * 8) if low < 0.5 < high else None  # in eighths from the bottom
    lines = []
    for row in range(rows):
        line = Text()
        floor = (rows - 1 - row) * 8  # eighths below this row
        on_reference = reference is not None and floor <= reference < floor + 8
        for index, (value, width) in enumerate(zip(values, widths)):
            eighths = round(max(0.0, min(1.0, (value - low) / span)) * rows * 8) - floor
            if index and gap:
                line.append(REFERENCE * gap if on_reference else " " * gap, style="dim")
            if eighths <= 0 and on_reference:
                line.append(REFERENCE * width, style="dim")
            else:
                line.append(EIGHTHS[max(0, min(8, eighths))] * width, style=share_colour(value - 0.5, dark))
        lines.append(line)
    return lines


def axis_labels(rows: int, low: float, high: float) -> list[str]:
    """One label per chart row, top first: the range's ends, 0.5 on its row when in range (else the middle)."""
    def tick(value: float) -> str:
        return "0" if value == 0 else "1" if value == 1 else f"{value:.2f}".rstrip("0")

    labels = [""] * rows
    labels[0], labels[-1] = tick(high), tick(low)
    if rows >= 3:
        middle = 0.5 if low < 0.5 < high else (low + high) / 2
        row = rows - 1 - min(rows - 1, int((middle - low) / ((high - low) or 1.0) * rows))
        if 0 < row < rows - 1:
            labels[row] = tick(round(middle, 3))
    width = max(map(len, labels)) + 1
    return [label.rjust(width - 1) + " " for label in labels]


class PrefixTrace(Static):
    """A chart of the prefix trace, where it started and ended, the biggest jump, and how it was computed."""

    def on_mount(self) -> None:
        self.border_title = "While reading (P(positive) after each word)"
        self.tooltip = WHY
        self.show(None)
        follow_theme(self, lambda: self.show(self.explanation, self.skipped))

    def on_resize(self) -> None:
        self.show(self.explanation, self.skipped)

    def rows(self) -> int:
        height = self.app.size.height
        return next(rows for at_least, rows in ROWS_BY_HEIGHT if height >= at_least)

    def show(self, explanation: Explanation | None, skipped: str = "") -> None:
        """Chart ``explanation``; with none, ``skipped`` says why there is nothing to chart (if not the obvious)."""
        self.explanation, self.skipped = explanation, skipped
        if explanation is None:
            self.border_subtitle = ""
            self.update(Text(skipped[:1].upper() + skipped[1:] + "." if skipped else "The prediction after each word appears here.",
                             style="dim"))
            return
        self.border_subtitle = STREAMED if explanation.streamed else REREAD
        tokens, trace = explanation.tokens, explanation.prefix.tolist()
        rows = self.rows()
        low, high = y_range(trace)
        labels = axis_labels(rows, low, high)
        indent = len(labels[0])
        values, widths, gap = layout(tokens, trace, max(8, self.content_size.width - indent))
        chart = column_chart(values, widths, gap, rows, low, high, dark_background(self))
        lines = [Text.assemble((label, "dim"), line) for label, line in zip(labels, chart)]  # (``+`` would dim the columns)
        if gap:  # the words fit under their columns
            lines.append(Text(" " * indent + " ".join(map(printable, tokens)), style="dim"))
        notes = [summary(tokens, trace, dark_background(self))]
        if (low, high) != (0.0, 1.0):
            where = "the dotted line is 0.5" if low < 0.5 < high else f"all {'above' if low >= 0.5 else 'below'} 0.5"
            notes.append(Text(f"y zoomed to {low:g} … {high:g} so small steps show ({where})", style="dim"))
        notes.append(Text(STREAMED_NOTE if explanation.streamed else REREAD_NOTE, style="dim italic"))
        self.update(Group(*lines, *notes))


def summary(tokens: Sequence[str], trace: Sequence[float], dark: bool | None = None) -> Text:
    """``0.541 after "a" → 0.857 after "film"; biggest jump +0.320 at "wonderful"``."""
    text = Text(f"{trace[0]:.3f} after “{printable(tokens[0])}”")
    if len(trace) > 1:
        text.append(f" → {trace[-1]:.3f} after “{printable(tokens[-1])}”")
        jumps = [(abs(b - a), b - a, i + 1) for i, (a, b) in enumerate(itertools.pairwise(trace))]
        _, jump, at = max(jumps)
        text.append("; biggest jump ", style="dim")
        text.append(f"{jump:+.3f} at “{printable(tokens[at])}”", style=share_colour(jump, dark))
    return text
