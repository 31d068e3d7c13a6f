"""The map drawn in characters: labels on the grid where their points are, none overlapping."""

from __future__ import annotations

from rich.console import Console

from rnnplay.runtime.word_map import MapPoint, WordMap
from rnnplay.words_view.word_map import maps_view, place, scatter


def plain(parts) -> str:
    console = Console(width=80, color_system=None)
    with console.capture() as captured:
        for part in parts:
            console.print(part)
    return captured.get()


def test_labels_go_where_their_points_are_and_never_overlap():
    points = [("left", 0.0, 0.0), ("right", 1.0, 1.0), ("twin", 0.0, 0.0), ("mid", 0.5, 0.5)]
    placed = place(points, 20, 5)
    by_label = {label: (row, column) for row, column, label, _ in placed}
    assert by_label["left"] == (4, 0) and by_label["right"] == (0, 15) and by_label["mid"] == (2, 10)
    assert by_label["twin"][0] != 4  # moved to the nearest free row
    cells = [(row, column + i) for row, column, label, _ in placed for i in range(len(label))]
    assert len(cells) == len(set(cells))


def test_the_scatter_and_the_view():
    word_map = WordMap("space", "word vectors", (MapPoint("good", 0, 1.0, 0.0), MapPoint("bad", 1, -1.0, 0.0)),
                       ("zzzq",), (1.0, 0.0))
    lines = scatter(word_map, 20, 3).plain.splitlines()
    assert lines[0] == "┌" + "─" * 20 + "┐" and len(lines) == 5
    assert lines[2] == "│bad" + " " * 13 + "good│"
    shown = plain(maps_view([word_map, word_map], 80))
    assert "PC1 100% + PC2 0% = 100% of variance" in shown
    assert "not in space's vocabulary, left off: zzzq" in shown
    empty = WordMap("none", "classifier", (), ("a", "b"), (0.0, 0.0))
    assert "fewer than two of the words are in this vocabulary: no map" in plain(maps_view([empty], 40))
