"""View 4, the sentiment axis: the final state of held-out reviews in the plane of its two principal
components, coloured by label, with the head's readout direction and the user's text as a path.
For a model that pools its states (max or mean over the words) the head reads no final state: the view is
of the pooled states instead, and says so; the text's path is then the pooled states after each prefix.

``axis_view(profile, path, width=80, height=16, tokens=None, *, dark=None) -> Group``

- ``profile``: the model's ``runtime.profile.Profile`` (its ``axis``), or None while it is not computed;
- ``path``: ``runtime.profile.text_path(network, profile.axis, ids)`` for the text, or None;
- ``tokens``: the text's words, to name the numbered points of the path;
- ``dark``: the background's shade when known (the TUI's theme), for the labels' colours
  (``render.SHARE_PALETTES``; None: middle tones that read on both).

A trained sentiment RNN tends to keep its final state near one line (a "line attractor", Maheswaranathan
et al. 2019): PC1 then explains most of the variance, correlates with the logit, and the readout
direction lies along it. The view prints those figures above a character plot: reviews as dots (green
positive, red negative; ● where several share a cell), the readout direction as a line through the mean
state whose end ◆ is where the logit rises, and the text as numbered points joined by dots.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Sequence

import numpy as np
from rich.console import Group
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.render import NEGATIVE, POSITIVE, RGB, SHARE_PALETTES, percent

if TYPE_CHECKING:
    from rnnplay.runtime.profile import AxisStats, Profile, TextPath

MARKS = "123456789abcdefghijklmnopqrstuvwxyz"  # one character per labelled point of the path
LABELLED = len(MARKS)  # a longer path labels the first, the last and points evenly spaced between
PATH_STYLE, READOUT_STYLE, AXES_STYLE = "bold yellow", "bold blue", "grey50"
CELL_ASPECT = 2.0  # a terminal cell is about twice as tall as it is wide


class Canvas:
    """A grid of styled characters over the data rectangle [x0, x1] × [y0, y1]."""

    def __init__(self, columns: int, rows: int, x: tuple[float, float], y: tuple[float, float]) -> None:
        self.columns, self.rows = columns, rows
        self.x0, self.x1 = x
        self.y0, self.y1 = y
        self.chars = [[" "] * columns for _ in range(rows)]
        self.styles: list[list[str]] = [[""] * columns for _ in range(rows)]

    def cell(self, x: float, y: float) -> tuple[int, int]:
        """(column, row) of a data point; may fall outside the grid."""
        column = (x - self.x0) / (self.x1 - self.x0) * (self.columns - 1)
        row = (self.y1 - y) / (self.y1 - self.y0) * (self.rows - 1)
        return round(column), round(row)

    def inside(self, column: int, row: int) -> bool:
        return 0 <= column < self.columns and 0 <= row < self.rows

    def put(self, column: int, row: int, char: str, style: str) -> None:
        if self.inside(column, row):
            self.chars[row][column], self.styles[row][column] = char, style

    def line(self, start: tuple[int, int], end: tuple[int, int], char: str, style: str) -> None:
        """Cells between two cells (ends excluded), on blanks and dots only."""
        (c0, r0), (c1, r1) = start, end
        steps = max(abs(c1 - c0), abs(r1 - r0))
        for k in range(1, steps):
            column, row = round(c0 + (c1 - c0) * k / steps), round(r0 + (r1 - r0) * k / steps)
            if self.inside(column, row) and self.chars[row][column] in " ·•●─│╱╲":
                self.put(column, row, char, style)

    def text(self) -> Text:
        out = Text()
        for r in range(self.rows):
            for c in range(self.columns):
                out.append(self.chars[r][c], self.styles[r][c] or None)
            if r < self.rows - 1:
                out.append("\n")
        return out


def _bounds(values: np.ndarray) -> tuple[float, float]:
    low, high = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    pad = 0.04 * (high - low)
    return low - pad, high + pad


def labelled(points: int) -> list[int]:
    """Indices of the path points that get a number: all of a short path, else the first, the last and between."""
    if points <= LABELLED:
        return list(range(points))
    return sorted(set(np.linspace(0, points - 1, LABELLED).round().astype(int).tolist()))


def axis_view(profile: Profile | None, path: TextPath | None, width: int = 80, height: int = 16,
              tokens: Sequence[str] | None = None, *, dark: bool | None = None) -> Group:
    """Figures, the plot and its legend (module docstring)."""
    axis = profile.axis if profile is not None else None
    if axis is None:
        why = "not computed yet" if profile is None else "not found: too few held-out reviews with a word"
        return Group(Text(f"the held-out reviews' sentiment axis is {why}", style="dim"))
    lines = figures(axis)
    colours = (POSITIVE, NEGATIVE) if dark is None else SHARE_PALETTES[dark][1:]
    canvas = plot(axis, path, max(10, width), max(5, height), colours)
    lines.append(canvas.text())
    lines.append(legend(path, tokens, colours))
    return Group(*lines)


def figures(axis: AxisStats) -> list[Text]:
    explained = axis.pca.explained
    second = f", PC2 {percent(explained[1])}" if len(explained) > 1 else ""
    # With pooling the head reads no final state: the plane is of what it reads, said so (the text's path is
    # then the running max or mean after each word, which only a left-to-right model computes in one pass).
    what = "final state" if axis.pooling == "last" else f"{axis.pooling}-pooled states (what the head reads)"
    lines = [Text(f"{what} of {axis.reviews:,} held-out reviews: PC1 {percent(explained[0])} of the variance{second}",
                  style="bold")]
    correlation = Text(f"r(PC1, logit) = {axis.pca.r:.3f}")
    if axis.forward is not None:
        correlation.append(f"; the forward half alone: PC1 {percent(axis.forward.explained[0])}, r = {axis.forward.r:.3f}")
    lines.append(correlation)
    how = "the head's weights" if axis.linear_head else "the logit's gradient at the mean state"
    if not np.any(axis.readout):
        lines.append(Text(f"no readout direction: {how} is zero", style="dim"))
    else:
        lines.append(Text(f"◆ readout ({how}): {percent(axis.readout_in_plane)} of it in this plane", style="dim"))
    return lines


def plot(axis: AxisStats, path: TextPath | None, columns: int, rows: int,
         colours: tuple[RGB, RGB] = (POSITIVE, NEGATIVE)) -> Canvas:
    points = axis.cloud
    trail = path.points if path is not None and len(path.points) else np.zeros((0, 2))
    both = np.concatenate([points, trail]) if len(trail) else points
    canvas = Canvas(columns, rows, _bounds(both[:, 0]), _bounds(both[:, 1]))
    origin = canvas.cell(0.0, 0.0)  # the mean state
    counts: dict[tuple[int, int], list[int]] = {}
    for (x, y), label in zip(points, axis.labels):
        counts.setdefault(canvas.cell(x, y), [0, 0])[int(label)] += 1
    for (column, row), (negative, positive) in counts.items():
        total = negative + positive
        char = "·" if total == 1 else "•" if total <= 3 else "●"
        colour = colours[0] if positive > negative else colours[1] if negative > positive else (200, 160, 0)
        canvas.put(column, row, char, f"rgb({colour[0]},{colour[1]},{colour[2]})")
    readout(canvas, axis.readout_plane, origin)
    canvas.put(*origin, "+", AXES_STYLE)
    if len(trail):
        cells = [canvas.cell(x, y) for x, y in trail]
        for a, b in itertools.pairwise(cells):
            canvas.line(a, b, "∙", PATH_STYLE)
        for mark, index in zip(MARKS, labelled(len(cells))):
            canvas.put(*cells[index], mark, PATH_STYLE)
    return canvas


def readout(canvas: Canvas, direction: np.ndarray, origin: tuple[int, int]) -> None:
    """The readout direction through the mean state, to the plot's edges; ◆ at the end where the logit rises."""
    dx = direction[0] / (canvas.x1 - canvas.x0) * (canvas.columns - 1)
    dy = -direction[1] / (canvas.y1 - canvas.y0) * (canvas.rows - 1)
    length = math.hypot(dx, dy)
    if length == 0:
        return
    dx, dy = dx / length, dy / length
    angle = math.degrees(math.atan2(-dy * CELL_ASPECT, dx)) % 180  # as it looks on screen
    char = "─" if angle < 22.5 or angle >= 157.5 else "╱" if angle < 67.5 else "│" if angle < 112.5 else "╲"
    last = origin
    for sign in (1, -1):
        k = 1
        while True:
            column, row = round(origin[0] + sign * k * dx), round(origin[1] + sign * k * dy)
            if not canvas.inside(column, row):
                break
            if canvas.chars[row][column] == " ":
                canvas.put(column, row, char, READOUT_STYLE)
            if sign == 1:
                last = (column, row)
            k += 1
    canvas.put(*last, "◆", READOUT_STYLE)


def legend(path: TextPath | None, tokens: Sequence[str] | None, colours: tuple[RGB, RGB] = (POSITIVE, NEGATIVE)) -> Text:
    colour = lambda rgb: f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    text = Text("PC1 →, PC2 ↑ · + mean · ", style="dim")
    text.append("● positive", colour(colours[0]))
    text.append(" ", "dim")
    text.append("● negative", colour(colours[1]))
    text.append(" review · ", "dim")
    text.append("◆ readout", READOUT_STYLE)
    if path is None or not len(path.points):
        return text
    text.append(" · ", "dim")
    marked = labelled(len(path.points))
    text.append(f"1–{MARKS[len(marked) - 1]} your text" if len(marked) > 1 else "1 your text", PATH_STYLE)
    words = [f"{mark} {_word(tokens, int(path.words[index]))}" for mark, index in zip(MARKS, marked)]
    text.append("\n" + "  ".join(words), PATH_STYLE)
    end = path.points[-1]
    text.append(f"\nyour text after {int(path.words[-1]):,} words: PC1 {end[0]:+.2f}, PC2 {end[1]:+.2f}, logit "
                f"{path.logits[-1]:+.2f}", style="dim")
    return text


def _word(tokens: Sequence[str] | None, words_read: int) -> str:
    if tokens is None or words_read > len(tokens):
        return f"word {words_read}"
    shown = printable(tokens[words_read - 1])
    return shown if len(shown) <= 12 else shown[:11] + "…"
