"""The dissected guess: the context read and skipped, h, and the two rankings — ``guess``'s (with the noise
prior added back) beside gensim's ``predict_output_word`` (W′·h alone) — each word's numbers on its row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.columns import Columns
from rich.table import Table
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.words_view.compare import strip

if TYPE_CHECKING:
    from rnnplay.runtime.guess_dissect import DissectedGuess


def probability(value: float) -> str:
    return f"{value:.3f}" if value >= 0.01 else f"{value:.2g}"


def ranking_table(guess: DissectedGuess, k: int, with_prior: bool) -> Table:
    """One ranking, each word with its score W′·h, its prior (when added) and its probability."""
    if with_prior:
        title, rows = "guess: softmax(W′·h + prior)", guess.ranking(guess.probabilities, k)
    else:
        title, rows = "gensim: softmax(W′·h)", guess.ranking(guess.without_prior, k)
    columns = ["#", "word", "W′·h"] + (["+prior"] if with_prior else []) + ["P"]
    table = Table(*columns, title=title, title_justify="left", title_style="bold", box=None, pad_edge=False,
                  min_width=30)
    for rank, index in enumerate(rows, start=1):
        row = guess.row(index)
        cells: list[Any] = [str(rank), Text(printable(row["word"])), f"{row['score']:+.2f}"]
        if with_prior:
            cells.append(f"{row['prior']:.2f}")
        cells.append(probability(row["probability"] if with_prior else row["without_prior"]))
        table.add_row(*cells)
    return table


def dissect_view(guess: DissectedGuess, k: int = 10, dark: bool | None = None) -> list[Any]:
    """What ``rnnplay guess TEXT --dissect`` prints and the Words tab's guess box shows on demand."""
    space = guess.space
    read = " ".join([*guess.left, "___", *guess.right])
    parts: list[Any] = [Text.assemble(("context read", "bold"), f" ({space.window} known words each side): ",
                                      (printable(read), "bold"), ("  —  " + printable(space.name), "dim"))]
    if guess.skipped:
        parts.append(Text(f"skipped, not in {printable(space.name)}'s vocabulary: {printable(', '.join(guess.skipped))}",
                          style="yellow"))
    if guess.beyond:
        parts.append(Text(f"past the window, not read: {printable(', '.join(guess.beyond))}", style="dim"))
    scale = float(abs(guess.hidden).max()) or 1.0
    parts.append(Text.assemble(("h", "bold"), f" = mean of {len(guess.read)} input vectors ({len(guess.hidden)} numbers, "
                               f"|h|max {scale:.2f}):"))
    parts.append(Text("\n").join(strip(guess.hidden, scale, dark)))
    tables = [ranking_table(guess, k, True)] if guess.prior is not None else []
    tables.append(ranking_table(guess, k, False))
    parts.append(Columns(tables, padding=(0, 3)))
    if guess.prior is None:
        parts.append(Text(f"{printable(space.name)} stores no word counts: no prior to add back; guess ranks by W′·h too",
                          style="dim"))
    else:
        parts.append(Text("prior = 0.75·ln count = log Pn(w) + a constant that cancels. Negative sampling trained W′·h "
                          "against noise words drawn ∝ count^0.75, so W′·h alone favours rare words tied to the context; "
                          "adding the prior back gives the model's own estimate of P(w | context). gensim's "
                          "predict_output_word (right) does not.", style="dim"))
    if guess.exclude_context:
        parts.append(Text("context words left out of both rankings (their probabilities stay the model's)", style="dim"))
    return parts
