"""The step-by-step view: one word's x(t), h(t−1), gates and h(t) as strips of units, and h(t) over the text.

Every strip and the heatmap draw one character per unit, in the same columns, so unit j of a gate sits
above unit j of h(t) in the heatmap below. A value is drawn twice: by the height of its block (its size)
and by its colour (its sign, or for a gate how open it is), so the view reads without colour too.
Sigmoid gates are drawn on their own scale, 0 to 1, so a gate that hardly moves looks it. Every signed
quantity is drawn against the largest magnitude it reaches over the whole text (a trained model's states
can stay within ±0.1, which on a ±1 scale would all look empty): stepping from word to word never
rescales a strip, and h(t−1) shares h(t)'s scale, as does the heatmap.

Only presentation lives here (numbers come from ``rnnplay.runtime.inside``); the functions return Rich
renderables for any width, so the TUI, the CLI and the REPL draw the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np
from rich.console import Group
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.render import gate_colour, share_colour

if TYPE_CHECKING:
    from rich.console import RenderableType

    from rnnplay.runtime.inside import DirectionTrace

BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL_WIDTH = 13  # "candidate h̃ " and the heatmap's words fit; the units start in this column
GATES = frozenset({"input", "forget", "output", "update", "reset"})  # sigmoid outputs: in [0, 1]
LABELS = {
    "x": "x(t)", "h_prev": "h(t−1)", "input": "input i", "forget": "forget f", "output": "output o",
    "candidate": "candidate", "cell": "cell c(t)", "update": "update z", "reset": "reset r",
    "preactivation": "pre-activ.", "h": "h(t)",
}
MEANINGS = {
    "x": "the word's embedding row, what the cell reads",
    "h_prev": "the state carried from the word before",
    "input": "how much of the candidate is written to the cell",
    "forget": "how much of the old cell is kept",
    "output": "how much of the cell is shown as h(t)",
    "candidate": "the new content proposed from x(t) and h(t−1)",
    "cell": "the memory cell after this word",
    "update": "how much of the old state is kept (1 keeps it all)",
    "reset": "how much of h(t−1) the candidate may read",
    "preactivation": "W·x(t) + U·h(t−1) + b, before the tanh",
    "h": "the state after this word",
}


@dataclass(frozen=True)
class Strip:
    """One quantity of a direction, at every word: ``values`` is (T, n) in text order."""

    name: str  # "x", "h_prev", a gate's name, or "h"
    values: np.ndarray
    scale: float  # the magnitude drawn as a full block

    @property
    def gate(self) -> bool:
        return self.name in GATES

    def label(self, direction: int = 0) -> str:
        """``h(t+1)`` for a backward direction: it reads the text from its end, so it carries the word after."""
        if self.name == "h_prev" and direction == 1:
            return "h(t+1)"
        return LABELS.get(self.name, printable(self.name))

    def meaning(self, direction: int = 0) -> str:
        if self.name == "h_prev" and direction == 1:
            return "the state carried from the word after (this direction reads backwards)"
        return MEANINGS.get(self.name, "")


def strips(trace: DirectionTrace) -> list[Strip]:
    """x(t), h(t−1), the cell's gates in the order the runtime names them, and h(t); h(t−1) on h(t)'s scale."""
    found = [("x", trace.x), ("h_prev", trace.h_prev), *trace.gates.items(), ("h", trace.h)]
    state = scale_of("h", trace.h)
    return [Strip(name, np.asarray(values, dtype=np.float32), state if name == "h_prev" else scale_of(name, values))
            for name, values in found]


def scale_of(name: str, values: np.ndarray) -> float:
    """1 for a gate; for a signed quantity its largest magnitude over the text (1 when it is all zeros)."""
    if name in GATES:
        return 1.0
    values = np.asarray(values)
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    return largest if np.isfinite(largest) and largest > 1e-12 else 1.0


def block(value: float, gate: bool, scale: float, dark: bool | None) -> tuple[str, str]:
    """A character whose height is the value's size and a colour for its sign (a gate: how open it is)."""
    size = value if gate else abs(value) / scale
    size = 0.0 if not np.isfinite(size) else min(1.0, max(0.0, size))
    char = BLOCKS[max(1, round(size * (len(BLOCKS) - 1)))]  # never blank: a zero still shows as ▁
    colour = gate_colour(value, dark) if gate else share_colour(value, dark, full=scale)
    return char, colour


def units_text(row: np.ndarray, gate: bool, scale: float, dark: bool | None, first: int = 0, count: int | None = None,
               selected: int | None = None) -> Text:
    """Units ``first`` to ``first + count`` of one row, a block each; the ``selected`` unit is underlined and bold."""
    end = len(row) if count is None else min(len(row), first + count)
    text = Text()
    for unit in range(first, end):
        char, colour = block(float(row[unit]), gate, scale, dark)
        text.append(char, style=f"{colour} bold underline reverse" if unit == selected else colour)
    return text


def unit_window(units: int, room: int, selected: int) -> tuple[int, int]:
    """(first, count): as many units as ``room`` columns hold, the selected one among them."""
    count = max(0, min(units, room))
    if count == 0:
        return 0, 0
    first = min(max(0, selected - count // 2), units - count)
    return first, count


def word_window(words: int, room: int, cursor: int) -> tuple[int, int]:
    """(first, count) of the words (rows) shown, the cursor among them."""
    return unit_window(words, room, cursor)


def hidden_note(first: int, count: int, total: int, what: str, base: int = 0) -> str:
    """``units 0–63 of 128 (64 hidden)``, or "" when everything is shown; ``base`` 1 numbers from 1 (words,
    as "word 6 of 10" does; units and dimensions are array indices, from 0)."""
    if count >= total:
        return ""
    return f"{what} {first + base}–{first + count - 1 + base} of {total} ({total - count} hidden)"


def word_line(tokens: Sequence[str], cursor: int, width: int, unknown: Sequence[bool] | np.ndarray | None = None) -> Text:
    """The words on one line, the one under the cursor highlighted, as many around it as fit in ``width``;
    ``…`` marks words left out at either end, and unknown words are struck through."""
    if not tokens:
        return Text("(no words)", style="dim")
    cursor = min(max(0, cursor), len(tokens) - 1)
    shown = [printable(token) for token in tokens]
    first = last = cursor
    used = len(shown[cursor])
    while True:  # grow the window one word at a time, alternating sides, while it fits (with room for the …)
        grew = False
        for side in (1, -1):
            index = last + 1 if side == 1 else first - 1
            if 0 <= index < len(shown) and used + 1 + len(shown[index]) + 4 <= width:
                used += 1 + len(shown[index])
                first, last = (first, index) if side == 1 else (index, last)
                grew = True
        if not grew:
            break
    text = Text()
    if first > 0:
        text.append("… ", style="dim")
    for index in range(first, last + 1):
        if index > first:
            text.append(" ")
        struck = unknown is not None and bool(unknown[index])
        style = "bold reverse" if index == cursor else ""
        text.append(shown[index], style=f"{style} strike".strip() if struck else style)
    if last < len(shown) - 1:
        text.append(" …", style="dim")
    text.truncate(max(1, width), overflow="ellipsis")
    return text


def values_line(strip: Strip, t: int, unit: int, direction: int = 0) -> Text:
    """The numbers behind the selected strip at word ``t``: its min, max and mean, and the selected unit's value."""
    row = strip.values[t]
    text = Text()
    text.append(strip.label(direction), style="bold")
    if not len(row):
        return text.append(": no units")
    unit = min(max(0, unit), len(row) - 1)
    text.append(f"  min {row.min():+.2f} max {row.max():+.2f} mean {row.mean():+.2f} · ")
    text.append(f"{'dim' if strip.name == 'x' else 'unit'} {unit} = {row[unit]:+.3f}", style="bold")
    if not strip.gate:
        text.append(f" · full block ±{strip.scale:.3g}", style="dim")
    return text


def strip_rows(found: Sequence[Strip], t: int, selected: int, unit: int, width: int, direction: int = 0,
               dark: bool | None = None) -> tuple[list[Text], str]:
    """One row per strip at word ``t`` (the ``selected`` strip marked ▸), and a note on what is hidden.

    The state's strips show the same window of units, around the selected unit; x(t) has a column per
    embedding dimension instead, and shows its own window (around the unit only when it is the strip selected).
    """
    room = max(1, width - LABEL_WIDTH)
    rows: list[Text] = []
    notes: dict[str, str] = {}
    for index, strip in enumerate(found):
        n = strip.values.shape[1]
        is_x = strip.name == "x"
        first, count = unit_window(n, room, unit if index == selected or not is_x else 0)
        marked = min(unit, n - 1) if index == selected else None
        label = ("▸ " if index == selected else "  ") + strip.label(direction)
        row = Text(label[: LABEL_WIDTH - 1].ljust(LABEL_WIDTH), style="bold" if index == selected else "")
        row.append_text(units_text(strip.values[t], strip.gate, strip.scale, dark, first, count, marked))
        rows.append(row)
        note = hidden_note(first, count, n, "x dims" if is_x else "units")
        if note:
            notes.setdefault("x" if is_x else "units", note)
    return rows, " · ".join(notes.values())


def heatmap(h: np.ndarray, tokens: Sequence[str], cursor: int, width: int, height: int, unit: int = 0,
            dark: bool | None = None, title: str = "h(t)") -> list[Text]:
    """h(t) over the text: a row per word (the cursor's marked ▸), a column per unit, in the strips' columns.

    ``height`` rows at most, the title line included; as many words and units as fit, and the title says
    how many are hidden.
    """
    words, units = (h.shape[0], h.shape[1]) if h.ndim == 2 else (0, 0)
    if words == 0:
        return [Text(f"{title}: no words", style="dim")]
    room = max(1, width - LABEL_WIDTH)
    first_unit, count = unit_window(units, room, unit)
    first_word, shown = word_window(words, max(1, height - 1), cursor)
    notes = [note for note in (hidden_note(first_word, shown, words, "words", base=1),
                               hidden_note(first_unit, count, units, "units")) if note]
    scale = scale_of("h", h)
    head = Text(title, style="bold")
    # What is hidden comes first: a narrow terminal cuts the end of the line.
    about = notes or ["a row per word, a column per unit"]
    head.append(f" · {' · '.join(about)} · full block ±{scale:.3g}", style="dim")
    head.truncate(max(1, width), overflow="ellipsis")
    rows = [head]
    for t in range(first_word, first_word + shown):
        mark = "▸" if t == cursor else " "
        label = Text(f"{mark}{printable(tokens[t])}"[: LABEL_WIDTH - 1].ljust(LABEL_WIDTH),
                     style="bold reverse" if t == cursor else "")
        label.append_text(units_text(h[t], False, scale, dark, first_unit, count, unit if t == cursor else None))
        rows.append(label)
    return rows


def step_view(trace: DirectionTrace, tokens: Sequence[str], t: int, selected: int = 0, unit: int = 0,
              width: int = 80, height: int = 24, dark: bool | None = None,
              unknown: Sequence[bool] | np.ndarray | None = None) -> RenderableType:
    """The whole step-by-step view of one direction at word ``t``, in ``width`` × ``height`` cells.

    The word line, where the cursor is and what the selected strip means, the strips at word ``t``, the
    selected strip's numbers, then the heatmap of h(t) over the text in the rows left (at least a title
    and one word). Every line is cut to ``width``, so the height is exact.
    """
    words = len(tokens)
    if words == 0 or trace.h.shape[0] == 0:
        return Text("No words to step through: the model read nothing of this text.", style="dim")
    t = min(max(0, t), words - 1)
    found = strips(trace)
    selected = min(max(0, selected), len(found) - 1)
    unit = min(max(0, unit), max(0, trace.h.shape[1] - 1))
    rows, note = strip_rows(found, t, selected, unit, width, trace.direction, dark)
    strip = found[selected]
    head = Text(f"word {t + 1} of {words} · {trace.name}", style="dim")
    meaning = strip.meaning(trace.direction)
    if meaning:
        head.append(f" · {strip.label(trace.direction)}: {meaning}", style="dim")
    lines: list[Text] = [word_line(tokens, t, width, unknown), head, *rows,
                         values_line(strip, t, unit, trace.direction)]
    if note:
        lines.append(Text(note, style="dim"))
    for optional in (note and lines[-1], head):  # a short terminal keeps the heatmap before these two lines
        if optional and height - len(lines) < 3:
            lines = [line for line in lines if line is not optional]
    lines.extend(heatmap(trace.h, tokens, t, width, max(2, height - len(lines)), unit, dark, f"h(t), {trace.name}"))
    for line in lines:
        line.no_wrap = True
        line.truncate(max(1, width), overflow="ellipsis")
    return Group(*lines)
