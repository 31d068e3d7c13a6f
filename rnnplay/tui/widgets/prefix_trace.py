"""What the model thought while reading: P(positive) after each prefix of the text, as a small column chart.

It also says how the trace was obtained, because that is the lesson: a one-directional network reads
left to right, so every prefix is a state it passed through (it can stream); a bidirectional one also
reads right to left, so each prefix has to be read again from its own end.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Sequence

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import share_colour

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

EIGHTHS = " ▁▂▃▄▅▆▇█"
CHART_ROWS = 2  # 16 levels between 0 and 1
AXIS = ("1 ", "0 ")  # P(positive) runs from 0 at the bottom to 1 at the top
STREAMED = "one left-to-right pass"
REREAD = "bidirectional: every prefix re-read"
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


def column_chart(values: Sequence[float], widths: Sequence[int], gap: int, rows: int = CHART_ROWS) -> list[Text]:
    """Rows of block characters, top row first, for values in [0, 1]; green above 0.5, red below."""
    lines = []
    for row in range(rows):
        line = Text()
        floor = (rows - 1 - row) * 8  # eighths below this row
        for index, (value, width) in enumerate(zip(values, widths)):
            eighths = round(max(0.0, min(1.0, value)) * rows * 8) - floor
            if index and gap:
                line.append(" " * gap)
            line.append(EIGHTHS[max(0, min(8, eighths))] * width, style=share_colour(value - 0.5))
        lines.append(line)
    return lines


class PrefixTrace(Static):
    """A chart of the prefix trace, where it started and ended, the biggest jump, and how it was computed."""

    def on_mount(self) -> None:
        self.border_title = "While reading (P(positive) after each word)"
        self.tooltip = WHY
        self.show(None)

    def on_resize(self) -> None:
        self.show(self.explanation)

    def show(self, explanation: Explanation | None) -> None:
        self.explanation = explanation
        if explanation is None:
            self.border_subtitle = ""
            self.update(Text("The prediction after each word appears here.", style="dim"))
            return
        self.border_subtitle = STREAMED if explanation.streamed else REREAD
        tokens, trace = explanation.tokens, explanation.prefix.tolist()
        values, widths, gap = layout(tokens, trace, max(8, self.content_size.width - len(AXIS[0])))
        lines = [Text(axis, style="dim") + line for axis, line in zip(AXIS, column_chart(values, widths, gap))]
        if gap:  # the words fit under their columns
            lines.append(Text(" " * len(AXIS[0]) + " ".join(map(printable, tokens)), style="dim"))
        self.update(Group(*lines, summary(tokens, trace)))


def summary(tokens: Sequence[str], trace: Sequence[float]) -> Text:
    """``0.541 after "a" → 0.857 after "film"; biggest jump +0.320 at "wonderful"``."""
    text = Text(f"{trace[0]:.3f} after “{printable(tokens[0])}”", style="dim")
    if len(trace) > 1:
        text.append(f" → {trace[-1]:.3f} after “{printable(tokens[-1])}”")
        jumps = [(abs(b - a), b - a, i + 1) for i, (a, b) in enumerate(itertools.pairwise(trace))]
        _, jump, at = max(jumps)
        text.append("; biggest jump ")
        text.append(f"{jump:+.3f} at “{printable(tokens[at])}”", style=share_colour(jump))
    return text
