"""A map of words drawn in characters: each word's label placed on a grid at its PC1–PC2 position,
coloured by group, with the share of variance the plane keeps. Two spaces side by side when they fit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from rich.columns import Columns
from rich.console import Group
from rich.text import Text

from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.runtime.word_map import WordMap

GROUP_COLOURS = ("green", "red", "cyan", "magenta", "yellow", "blue")


def place(points: Sequence[tuple[str, float, float]], width: int, height: int) -> list[tuple[int, int, str, int]]:
    """(row, column, label, index) for each point: scaled into ``width`` × ``height`` cells (PC2 up), a label
    starting at its point; a label that would overlap one already placed moves to the nearest free row."""
    if not points:
        return []
    xs = [x for _, x, _ in points]
    ys = [y for _, _, y in points]
    x_low, x_span = min(xs), max(xs) - min(xs)
    y_low, y_span = min(ys), max(ys) - min(ys)
    taken = [[False] * width for _ in range(height)]
    placed = []
    for index, (label, x, y) in enumerate(points):
        label = label[:width]
        across = (x - x_low) / x_span if x_span else 0.5  # all in a line: the middle
        up = (y - y_low) / y_span if y_span else 0.5
        column = min(width - len(label), round(across * (width - 1)))
        row = round((1.0 - up) * (height - 1))
        for shift in sorted(range(-height, height + 1), key=abs):
            candidate = row + shift
            start = max(0, column - 1)
            if 0 <= candidate < height and not any(taken[candidate][start:column + len(label) + 1]):
                row = candidate
                break
        for cell in range(column, column + len(label)):
            taken[row][cell] = True
        placed.append((row, column, label, index))
    return placed


def scatter(word_map: WordMap, width: int = 36, height: int = 10) -> Text:
    """The map's points as labels on a ``width`` × ``height`` grid framed by a thin border."""
    grid = [[(" ", "")] * width for _ in range(height)]
    labelled = place([(printable(p.word), p.x, p.y) for p in word_map.points], width, height)
    for row, column, label, index in labelled:
        colour = GROUP_COLOURS[word_map.points[index].group % len(GROUP_COLOURS)]
        for offset, char in enumerate(label):
            grid[row][column + offset] = (char, f"bold {colour}")
    text = Text("┌" + "─" * width + "┐\n", style="dim")
    for line in grid:
        text.append("│", style="dim")
        for char, style in line:
            text.append(char, style=style)
        text.append("│\n", style="dim")
    text.append("└" + "─" * width + "┘", style="dim")
    return text


def caption(word_map: WordMap) -> Text:
    pc1, pc2 = word_map.explained
    text = Text(printable(f"{word_map.name} ({word_map.kind})"), style="bold")
    if word_map.points:
        text.append(f"\nPC1 {pc1:.0%} + PC2 {pc2:.0%} = {word_map.kept:.0%} of variance", style="dim")
    return text


def missing_note(word_map: WordMap) -> Text | None:
    if not word_map.missing:
        return None
    words = ", ".join(printable(word) for word in word_map.missing)
    return Text(f"not in {printable(word_map.name)}'s vocabulary, left off: {words}", style="yellow")


def map_panel(word_map: WordMap, width: int = 36, height: int = 10) -> Group:
    """One space's map: caption, scatter (or why there is none), missing words."""
    parts: list[Any] = [caption(word_map)]
    if word_map.points:
        parts.append(scatter(word_map, width, height))
    else:
        parts.append(Text("fewer than two of the words are in this vocabulary: no map", style="yellow"))
    note = missing_note(word_map)
    if note is not None:
        parts.append(note)
    return Group(*parts)


def maps_view(maps: Sequence[WordMap], total_width: int = 80, height: int = 10) -> list[Any]:
    """The maps side by side when two fit in ``total_width`` (else one under the other), and how to read them."""
    side_by_side = total_width >= 2 * 30 + 4
    width = max(20, (total_width - 6) // 2 - 2) if side_by_side and len(maps) > 1 else max(20, total_width - 2)
    panels = [map_panel(m, width, height) for m in maps]
    body: Any = Columns(panels, padding=(0, 2)) if side_by_side and len(maps) > 1 else Group(*panels)
    return [body, Text("PCA of the words' unit vectors; left–right is PC1, up–down PC2. Distances on a plane that keeps "
                       "little of the variance mislead.", style="dim")]
