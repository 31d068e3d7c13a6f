"""Stream vs re-read, drawn: the steps and the measured times of a prediction after every word.

    stream_view(result: StreamCost, width: int = 80) -> rich renderable

A title (the model and the number of words), a table — a prediction after every word by streaming
(one direction) and by re-reading (two directions), then one pass over the whole text; the row this
model must take carries its measured time — and one line on the tutorial's trade-off composed from
the measurement. Every figure comes from ``result`` (``runtime.streaming``); nothing is asserted.
The whole view stays within ``width`` columns, whatever the console's width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.constrain import Constrain
from rich.table import Column, Table
from rich.text import Text

from rnnplay.card import CELL_NAMES
from rnnplay.printable import printable
from rnnplay.runtime.streaming import formula, steps_every_word

if TYPE_CHECKING:
    from rnnplay.runtime.streaming import StreamCost


def duration(seconds: float) -> str:
    """A measured time with three figures or so: ``48 µs``, ``0.41 ms``, ``12.3 ms``, ``1.25 s``."""
    if seconds < 1e-4:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1e-2:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def shape(result: StreamCost) -> str:
    """``BiLSTM 32``, ``2×GRU 16``: the model's recurrent part, as the models table names it."""
    layers = f"{result.layers}×" if result.layers > 1 else ""
    return f"{'Bi' if result.directions == 2 else ''}{layers}{CELL_NAMES.get(result.cell, printable(result.cell))} {result.units}"


def _words(n: int) -> str:
    return f"{n:,} word" + ("" if n == 1 else "s")


def trade_off(result: StreamCost) -> Text:
    """The one line on the tutorial's trade-off, from the figures measured on this text."""
    n = result.words
    if n == 0:
        return Text("No words yet: type some, and see what a prediction after each one costs.", style="dim")
    other = f"{steps_every_word(n, 1 if result.directions == 2 else 2, result.layers):,}"
    each = f"a prediction after each of the {_words(n)}"
    seconds = result.every_word_seconds
    if seconds is None:
        took = f"would take {result.steps:,} steps, too many to run (over {result.limit:,} words)"
    else:
        ratio = seconds / result.whole_seconds if result.whole_seconds > 0 else float("inf")
        took = f"took {result.steps:,} steps ({duration(seconds)}, {ratio:.1f}× one pass)"
    if result.streams:
        memory = ("It streams, but its first words must survive every step to the end." if result.pooling == "last" else
                  f"It streams: the head reads the running {result.pooling} of its states, kept beside the state from word "
                  "to word, so an early word reaches the head without surviving every step.")
        return Text(f"Reads left to right: {each} {took}; a bidirectional model would re-read every prefix, {other} steps. {memory}")
    pooled = "" if result.pooling == "last" else (f" Pooling ({result.pooling} over the states) does not change that: every new "
                                                  "word changes every backward state, so the pooled states are re-read too.")
    return Text(f"Reads both ways: {each} {took}; a one-directional model streams them in {other}. "
                f"It sees the whole text at once, but cannot stream.{pooled}")


def stream_view(result: StreamCost, width: int = 80) -> RenderableType:
    """The title, the table of steps and times, and the trade-off line, within ``width`` columns."""
    title = Text.assemble(("Stream vs re-read", "bold"), " · ", (printable(result.name), "bold") if result.name else "",
                          " " if result.name else "", f"({shape(result)})", " · ", _words(result.words))
    parts: list[RenderableType] = [title]
    if result.dropped:
        parts.append(Text(f"{result.dropped:,} words were cut to the model's max length; it reads these {result.words:,}.",
                          style="dim"))
    table = Table(Column("a prediction after every word", ratio=3), Column("steps", justify="right", no_wrap=True),
                  Column("formula", style="dim"), Column("measured", justify="right", no_wrap=True),
                  box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="dim")
    n, layers = result.words, result.layers
    for directions, label in ((1, "streaming, one direction"), (2, "re-reading, two directions")):
        own = directions == result.directions
        if own:
            measured = Text(duration(result.every_word_seconds)) if result.every_word_seconds is not None else \
                Text("not run" if n else "—", style="dim")
        else:
            measured = Text("—", style="dim")  # a model of the other kind: not measured here
        table.add_row(Text(label + (" (this model)" if own else ""), style="bold" if own else ""),
                      f"{steps_every_word(n, directions, layers):,}", formula(directions, layers), measured)
    table.add_row(Text("one pass over the text, one prediction"), f"{result.whole_steps:,}",
                  formula(1, result.directions * layers), Text(duration(result.whole_seconds)))
    parts += [table, trade_off(result)]
    return Constrain(Group(*parts), width)
