"""What a model gets wrong, drawn with Rich for the CLI, the REPL and the TUI alike (numbers: ``mistakes``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.table import Column, Table
from rich.text import Text

from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.mistakes import Mistake, Mistakes

LABELS = ("negative", "positive")
EXCERPT_CHARS = 300  # the most of a review an excerpt looks at (a table cell cuts it to its width anyway)
_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)


def excerpt(text: str, width: int = EXCERPT_CHARS) -> str:
    """The start of a review on one line: ``<br />`` and runs of white space become one space, controls escaped."""
    head = " ".join(_BREAKS.sub(" ", text[: width * 4]).split())
    return printable(head[: width - 1] + "…" if len(head) > width else head)


def summary(result: Mistakes) -> Text:
    """Two lines: what was tested (``imdb-bilstm on reviews's test split (seed 0): 6,706 reviews``), then how it went."""
    line = Text()
    line.append(printable(result.model), "bold")
    line.append(f" on {printable(result.corpus)}'s test split (seed {result.seed}): {result.total:,} reviews\n")
    line.append(f"{len(result.mistakes):,} misclassified, accuracy {result.accuracy:.4f}")
    if result.matches_card:
        line.append(" (as on its card)", "dim")
    elif result.matches_card is False:
        line.append(f"; its card says {result.card_accuracy:.4f}: the corpus changed since training", "bold yellow")
    line.append(f" · {result.seconds:.1f} s", "dim")
    return line


def confusion_table(result: Mistakes) -> Table:
    """Rows the true label, columns the predicted one: each cell a count and its share of the row."""
    table = Table("", *(Column(f"predicted {label}", justify="right") for label in LABELS), Column("texts", justify="right"),
                  box=None, pad_edge=False, header_style="dim", padding=(0, 2, 0, 0))
    for true in (0, 1):
        cells = []
        for predicted in (0, 1):
            style = "green" if true == predicted else "red"
            cells.append(Text.assemble((f"{result.counts[true][predicted]:,}", f"bold {style}"),
                                       (f" {100 * result.rate(true, predicted):5.1f}%", style)))
        table.add_row(Text(f"true {LABELS[true]}", style="dim"), *cells, f"{sum(result.counts[true]):,}")
    return table


def mistake_row(rank: int, mistake: Mistake) -> tuple[str, Text, str, str]:
    """``#``, the true label, P(positive) and the review's start, for one table row."""
    style = "green" if mistake.label == 1 else "red"
    return f"{rank}", Text(LABELS[mistake.label], style=style), f"{mistake.probability:.3f}", excerpt(mistake.text)


def mistakes_table(result: Mistakes, limit: int | None = None) -> Table:
    """The mistakes, most confident first, one line each: the review column is cut to the room left."""
    table = Table(Column("#", justify="right"), "true", Column("P(pos)", justify="right"),
                  Column("review", no_wrap=True, overflow="ellipsis", ratio=1),
                  box=None, pad_edge=False, header_style="dim", expand=True)
    for rank, mistake in enumerate(result.mistakes[:limit], 1):
        table.add_row(*mistake_row(rank, mistake))
    return table


def mistakes_view(result: Mistakes, limit: int | None = None) -> list[Any]:
    """The whole answer, as ``rnnplay models NAME --errors`` and ``:errors`` print it."""
    shown = len(result.mistakes) if limit is None else min(limit, len(result.mistakes))
    view: list[Any] = [summary(result), confusion_table(result)]
    if shown:
        view += [Text(f"the {shown:,} most confident mistakes of {len(result.mistakes):,} (P(pos): the model's P(positive))",
                      style="dim"),
                 mistakes_table(result, shown)]
    else:
        view.append(Text("no mistakes on the test split", style="dim"))
    return view
