"""A Keras ``model.summary()``-style listing of a saved model's layers, read from its card (no TensorFlow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Column, Table
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from rnnplay.card import Card


def summary_table(card: Card) -> Table:
    """Layer, output shape and parameter count per layer, with the total as ``model.summary()`` ends."""
    from rnnplay.render import layer_summary

    table = Table("Layer (type)", "Output Shape", Column("Param #", justify="right"), box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False, show_footer=True)
    rows = layer_summary(card.classifier)
    for row in rows:
        table.add_row(row["layer"], row["output"], f"{row['params']:,}")
    total = sum(row["params"] for row in rows)
    table.columns[0].footer = "Total params"
    table.columns[2].footer = Text(f"{total:,}", justify="right")
    table.columns[1].footer = Text(f"float32: {total * 4 / 1e6:.2f} MB", style="dim")
    return table


def vectors_table(card: Card) -> Table:
    """Word vectors have no layers to list: what they hold instead, one row per stored matrix."""
    architecture = card.vectors
    words, dimension = architecture.vocab_size, architecture.dimension
    table = Table("Matrix", "Shape", Column("Values", justify="right"), box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_row("input vectors (the embeddings)", f"({words:,}, {dimension})", f"{words * dimension:,}")
    if architecture.method == "cbow":
        table.add_row("output vectors (guess a word)", f"({words:,}, {dimension})", f"{words * dimension:,}")
    return table


class LayerSummary(Static):
    """The selected model's layers; an inline message when its card cannot describe them."""

    def on_mount(self) -> None:
        self.border_title = "model.summary()"
        self.show(None)

    def show(self, card: Card | None) -> None:
        if card is None:
            self.update(Text("No readable card.", style="dim"))
            return
        self.update(Group(vectors_table(card) if card.kind == "vectors" else summary_table(card)))
