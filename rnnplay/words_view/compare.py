"""Two words under one-hot and dense vectors: the cosines side by side, the one-hot vectors drawn compactly
(length, one 1, its position named) beside the dense vectors as strips of one character per number.

What ``rnnplay similarity`` / ``rnnplay onehot`` and ``:sim`` / ``:onehot`` print, and what the Words
tab's "One-hot vs dense" pane shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from rich.table import Table
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.render import share_colour, sparkline

if TYPE_CHECKING:
    from rnnplay.runtime.word_compare import Placed, SpaceComparison, WordComparison

STRIP_WIDTH = 64  # numbers per line of a dense strip; a 100-number CBOW vector takes two lines


def signed(value: float | None) -> str:
    """``+0.68``, ``−0.42``, ``0`` for an exact zero (a one-hot cosine), ``—`` when there is none."""
    if value is None:
        return "—"
    if value == 0.0:
        return "0"
    return (f"{value:+.3f}" if abs(value) < 0.005 else f"{value:+.2f}").replace("-", "\u2212")


def space_label(space: SpaceComparison) -> str:
    return f"{printable(space.name)} ({space.kind})"


def cosines_table(comparison: WordComparison, dark: bool | None = None) -> Table:
    """One row per space: the pair's one-hot cosine, its dense cosine, and the sizes behind them."""
    table = Table("space", "one-hot", "dense", "vectors", box=None, pad_edge=False)
    for space in comparison.spaces:
        dense = Text(signed(space.dense_cosine))
        if space.dense_cosine is not None:
            dense.stylize(share_colour(space.dense_cosine, dark, full=1.0))
        sizes = f"{space.size:,} long · {space.dimension} numbers"
        table.add_row(space_label(space), signed(space.one_hot_cosine), dense, Text(sizes, style="dim"))
    return table


def title(comparison: WordComparison) -> Text:
    a, b = printable(comparison.a), printable(comparison.b)
    return Text.assemble(("cosine", "bold"), f"({a}, {b}): one-hot against dense")


def notes(comparison: WordComparison) -> list[Text]:
    """Words missing from a vocabulary, said plainly; and why one-hot says 0 (or 1)."""
    lines = [Text(printable(space.note), style="yellow") for space in comparison.spaces if space.note]
    hot = [space.one_hot_cosine for space in comparison.spaces if space.one_hot_cosine is not None]
    if hot and all(value == 0.0 for value in hot):
        lines.append(Text("one-hot: every word is its own axis, so two different words are orthogonal (cosine 0), "
                          "whatever they mean", style="dim"))
    elif any(value == 1.0 for value in hot):
        lines.append(Text("one-hot 1: the same position, so the same one-hot vector (and the same embedding row)",
                          style="dim"))
    return lines


def similarity_view(comparison: WordComparison, dark: bool | None = None) -> list[Any]:
    """``rnnplay similarity A B``: the title, the cosines table, the notes."""
    return [title(comparison), cosines_table(comparison, dark), *notes(comparison)]


def one_hot_line(placed: Placed, size: int, what: str) -> Text:
    """``0…0 1 0…0  (1 at id 49 of 10,000)``; the zeros on one side only at either end."""
    if placed.index is None:
        return Text("no one-hot vector: not in the vocabulary", style="yellow")
    before, after = placed.index, size - placed.index - 1
    drawn = " ".join(part for part in ("0…0" if before > 1 else "0" * before, "1",
                                        "0…0" if after > 1 else "0" * after) if part)
    return Text.assemble(drawn, (f"  (1 at {what} {placed.index:,} of {size:,})", "dim"))


def strip(vector: np.ndarray, scale: float, dark: bool | None = None, width: int = STRIP_WIDTH) -> list[Text]:
    """One block character per number, its height from −``scale`` (▁) to +``scale`` (█), green when
    positive and red when negative; ``width`` numbers a line."""
    lines = []
    for start in range(0, len(vector), width):
        line = Text()
        values = vector[start:start + width]
        for block, value in zip(sparkline(values, -(scale or 1.0), scale or 1.0), values):
            line.append(block, style=share_colour(float(value), dark, full=scale or 1.0))
        lines.append(line)
    return lines


def vectors_view(comparison: WordComparison, dark: bool | None = None, width: int = STRIP_WIDTH) -> list[Any]:
    """Each space: each word's one-hot vector drawn compactly, then its dense vector as a strip."""
    parts: list[Any] = []
    label_width = max(len(printable(p.word)) for space in comparison.spaces for p in space.words)
    for space in comparison.spaces:
        what = "id" if space.kind == "classifier" else "row"
        parts.append(Text(f"{space_label(space)}: one-hot {space.size:,} long, dense {space.dimension} numbers",
                          style="bold"))
        vectors = [p.vector for p in space.words if p.vector is not None]
        scale = float(max(np.abs(v).max() for v in vectors)) if vectors else 1.0
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column()
        for placed in space.words:
            word = Text(printable(placed.word).ljust(label_width), style="bold")
            grid.add_row(word, "one-hot", one_hot_line(placed, space.size, what))
            if placed.vector is None:
                grid.add_row("", "dense", Text("no vector", style="yellow"))
            else:
                grid.add_row("", "dense", Text("\n").join(strip(placed.vector, scale, dark, width)))
        parts.append(grid)
    parts.append(Text("strips: one character per number, ▁ at −max … █ at +max of the pair's largest |value|; "
                      "green positive, red negative", style="dim"))
    return parts


def onehot_view(comparison: WordComparison, dark: bool | None = None, width: int = STRIP_WIDTH) -> list[Any]:
    """``rnnplay onehot A B``: the cosines, then the vectors themselves."""
    return [*similarity_view(comparison, dark), *vectors_view(comparison, dark, width)]

