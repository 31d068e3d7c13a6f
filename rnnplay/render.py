"""Rich renderings shared by the CLI, the REPL and the TUI, so the three front ends look alike.

Only presentation lives here: every number comes from the runtime (``runtime.explain``,
``runtime.vectors``) or from a model card.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from rich.table import Table
from rich.text import Text

from rnnplay.printable import printable

if TYPE_CHECKING:
    import numpy as np

    from rnnplay.card import Card, ClassifierArchitecture, VectorsArchitecture
    from rnnplay.runtime.explain import Explanation
    from rnnplay.runtime.vectors import Cbow, Vectors
    from rnnplay.store import ListedModel

SPARK = "▁▂▃▄▅▆▇█"
RGB = tuple[int, int, int]
POSITIVE, NEGATIVE = (0, 170, 0), (220, 40, 40)  # for a terminal of unknown background: the CLI, the REPL
GREY = (128, 128, 128)  # a share of 0 on a background of unknown shade
# (neutral, positive, negative) when the background is known to be dark or light (the TUI's themes): each at
# least 4.5:1 (WCAG AA) against Textual's dark (#121212) or light (#E0E0E0) background, and so is every mix.
SHARE_PALETTES: dict[bool, tuple[RGB, RGB, RGB]] = {
    True: ((160, 160, 160), (0, 200, 0), (255, 90, 90)),
    False: ((90, 90, 90), (0, 110, 0), (180, 0, 0)),
}
# (closed, open) for a gate's value in [0, 1] (how much of a signal a sigmoid lets through): blue, not the
# shares' green and red, which mean positive and negative; every mix also at least 4.5:1 on its theme.
GATE_PALETTES: dict[bool, tuple[RGB, RGB]] = {
    True: ((160, 160, 160), (80, 160, 255)),
    False: ((90, 90, 90), (0, 70, 200)),
}
GATE_OPEN = (40, 120, 230)  # a fully open gate on a background of unknown shade
SHARE_SCALE = 0.25  # a share of ±0.25 in P(positive) or more gets the full colour
LOGIT_SHARE_SCALE = 1.0  # on the logit scale, ±1 gets it (near P = 0.5 a logit moves 4× a probability)


def bar(fraction: float, width: int = 20) -> str:
    """A horizontal bar in eighths of a character; nothing for a negative value."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def sparkline(values: Sequence[float] | np.ndarray, low: float = 0.0, high: float = 1.0) -> str:
    """One block character per value, from ``low`` (▁) to ``high`` (█); a value that is not finite (an
    overflow, a NaN) shows as ``!`` rather than failing."""
    span = (high - low) or 1.0
    return "".join(SPARK[min(len(SPARK) - 1, max(0, int((v - low) / span * len(SPARK))))] if math.isfinite(v) else "!"
                   for v in values)


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def accuracy(card: Card) -> str:
    value = card.held_out_accuracy
    return f"{value:.3f}" if value is not None else ""


class RecurrentShape(Protocol):
    """What names a classifier's shape: a card's architecture, or the training config about to make one."""

    @property
    def cell(self) -> str: ...
    @property
    def layers(self) -> int: ...
    @property
    def bidirectional(self) -> bool: ...
    @property
    def units(self) -> int: ...
    @property
    def vocab_size(self) -> int: ...


def describe_architecture(architecture: RecurrentShape) -> str:
    """One line such as ``Bi2×LSTM 32, vocab 10,000`` for tables of models."""
    from rnnplay.card import CELL_NAMES

    layers = f"{architecture.layers}×" if architecture.layers > 1 else ""
    direction = "Bi" if architecture.bidirectional else ""
    return f"{direction}{layers}{CELL_NAMES[architecture.cell]} {architecture.units}, vocab {architecture.vocab_size:,}"


def describe_vectors(architecture: VectorsArchitecture) -> str:
    """One line such as ``CBOW 100-d, window 5, vocab 30,164`` for tables of models."""
    method = {"cbow": "CBOW", "imported": "imported"}.get(architecture.method, printable(architecture.method))
    window = f", window {architecture.window}" if architecture.window is not None else ""
    return f"{method} {architecture.dimension}-d{window}, vocab {architecture.vocab_size:,}"


def describe_model(card: Card) -> str:
    from rnnplay.card import ClassifierArchitecture

    architecture = card.architecture
    return describe_architecture(architecture) if isinstance(architecture, ClassifierArchitecture) else describe_vectors(architecture)


def layer_summary(architecture: ClassifierArchitecture) -> list[dict[str, Any]]:
    """Keras-``summary()``-style rows (layer, output shape, parameters) from a card, without Keras."""
    from rnnplay.card import CELL_NAMES

    specs = architecture.arrays()
    count = lambda prefix: sum(spec.count for name, spec in specs.items() if name.startswith(prefix))
    width = architecture.units * len(architecture.directions)
    cell = CELL_NAMES[architecture.cell]
    rows = [{"layer": "Embedding", "output": f"(batch, time, {architecture.embedding_dim})", "params": count("embedding")}]
    for index in range(architecture.layers):
        last = index == architecture.layers - 1
        rows.append({"layer": f"Bidirectional({cell})" if architecture.bidirectional else cell,
                     "output": f"(batch, {width})" if last else f"(batch, time, {width})",
                     "params": count(f"recurrent/{index}/")})
    for index, dense in enumerate(architecture.head):
        rows.append({"layer": f"Dense({dense.activation})", "output": f"(batch, {dense.units})", "params": count(f"dense/{index}/")})
    return rows


def model_row(entry: ListedModel) -> tuple[str, ...]:
    """name, kind, corpus, architecture, accuracy, size, date; shipped models are marked ``*``.

    Every cell is printable: folder names and card fields can hold control characters.
    """
    name = printable(entry.path.name) + (" *" if entry.source == "shipped" else "")
    card = entry.card
    if card is None:
        return (name, "unreadable", "", "", "", "", "")
    return (name, card.kind, printable(Path(card.corpus).name), describe_model(card), accuracy(card),
            human_size(card.size_bytes), printable(card.created[:10]))


def vectors_label(vectors: Vectors) -> str:
    what = "a classifier's embedding, " if vectors.source_kind == "classifier" else ""
    return f"{printable(vectors.name)} ({what}{len(vectors):,} words × {vectors.vector_size})"


def ranking_table(rows: Sequence[tuple[str, float]], column: str, relative: bool = False, width: int = 20) -> Table:
    """Ranked words: rank, word, score and a bar (scaled to the top score when ``relative``)."""
    table = Table("#", "word", column, "", box=None, pad_edge=False)
    top = rows[0][1] if rows and relative and rows[0][1] > 0 else 1.0
    for rank, (word, score) in enumerate(rows, start=1):
        table.add_row(str(rank), Text(printable(word)), f"{score:.4f}", bar(score / top, width))
    return table


def titled_ranking(title: str, rows: Sequence[tuple[str, float]], column: str, relative: bool = False) -> list[Any]:
    """A title line over a ``ranking_table``: how the CLI and the REPL show every word query."""
    return [Text(title), ranking_table(rows, column, relative)]


def neighbours_view(space: Vectors, word: str, rows: Sequence[tuple[str, float]]) -> list[Any]:
    return titled_ranking(f"nearest to {printable(repr(word))} in {vectors_label(space)}", rows, "cosine")


def analogy_view(space: Vectors, a: str, b: str, c: str, rows: Sequence[tuple[str, float]]) -> list[Any]:
    return titled_ranking(f"{printable(a)} − {printable(b)} + {printable(c)} in {vectors_label(space)}", rows, "cosine")


EXCLUDED_NOTE = "context words left out"


def guess_view(space: Cbow, context: Sequence[str], rows: Sequence[tuple[str, float]], excluded: bool = False) -> list[Any]:
    """``context`` is the words CBOW read around the blank, ``___`` included; ``excluded``: they are not ranked."""
    note = f" ({EXCLUDED_NOTE})" if excluded else ""
    return titled_ranking(f"context ({space.window} each side): {printable(' '.join(context))}{note}  —  {vectors_label(space)}",
                          rows, "probability", relative=True)


def percent(value: float) -> str:
    """A share as a percentage: one decimal near the ends (under 10 %, or over 90 % short of all of it),
    where it matters; "–" when it is not a number (a text too short to have halves)."""
    if not math.isfinite(value):
        return "–"
    return f"{100 * value:.1f}%" if value < 0.1 or 0.9 < value < 1 else f"{100 * value:.0f}%"


def share_colour(share: float, dark: bool | None = None, *, full: float = SHARE_SCALE) -> str:
    """Green for a word that pushes towards positive, red towards negative, stronger for a bigger share;
    ``full`` is the share that gets the full colour (``LOGIT_SHARE_SCALE`` for logit shares).

    ``dark`` says the background's shade when it is known (True dark, False light): the colours are then
    chosen to read well on it; None (a terminal's unknown background) keeps middle tones that read on both.
    """
    strength = min(1.0, abs(share) / full) ** 0.5
    if dark is None:
        neutral, positive, negative = GREY, POSITIVE, NEGATIVE
    else:
        neutral, positive, negative = SHARE_PALETTES[dark]
    target = positive if share > 0 else negative
    r, g, b = (round(n + (c - n) * strength) for n, c in zip(neutral, target))
    return f"rgb({r},{g},{b})"


def gate_colour(value: float, dark: bool | None = None) -> str:
    """Grey for a closed gate (0), blue for an open one (1), mixed in between; ``dark`` as for ``share_colour``."""
    strength = min(1.0, max(0.0, value)) if value == value else 0.0  # NaN reads as closed
    closed, opened = (GREY, GATE_OPEN) if dark is None else GATE_PALETTES[dark]
    r, g, b = (round(n + (c - n) * strength) for n, c in zip(closed, opened))
    return f"rgb({r},{g},{b})"


def word_shares(explanation: Explanation, logit: bool = False) -> tuple[np.ndarray, float]:
    """The shares on the chosen scale, and the share that gets the full colour on it."""
    return (explanation.logit_shares, LOGIT_SHARE_SCALE) if logit else (explanation.shares, SHARE_SCALE)


def shares_text(explanation: Explanation, logit: bool = False, dark: bool | None = None) -> Text:
    """The text's tokens, each coloured by its share (on the logit scale when ``logit``); out-of-vocabulary
    tokens are struck through; ``dark`` as for ``share_colour``)."""
    shares, full = word_shares(explanation, logit)
    text = Text()
    for index, (token, share, oov) in enumerate(zip(explanation.tokens, shares, explanation.oov)):
        if index:
            text.append(" ")
        style = f"bold {share_colour(float(share), dark, full=full)}"
        text.append(printable(token), style=f"{style} strike" if oov else style)
    return text


def verdict(explanation: Explanation) -> Text:
    """``positive 0.912`` in the label's colour."""
    colour = share_colour(explanation.probability - 0.5)
    return Text.assemble((explanation.label, f"bold {colour}"), f" {explanation.probability:.3f}")


def shares_table(explanation: Explanation) -> Table:
    """One row per token: position, token, id, share, and P(positive) after reading up to it."""
    table = Table("#", "token", "id", "share", "after", box=None, pad_edge=False)
    for index, (token, token_id, share, after, oov) in enumerate(
        zip(explanation.tokens, explanation.ids, explanation.shares, explanation.prefix, explanation.oov)
    ):
        table.add_row(str(index), Text(printable(token) + (" (OOV)" if oov else ""), style=share_colour(float(share))),
                      str(int(token_id)), f"{share:+.3f}", f"{after:.3f}")
    return table


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    """What scripts get for a classified text (``--json``)."""
    return {
        "label": explanation.label,
        "probability": round(explanation.probability, 6),
        "logit": round(explanation.logit, 6),
        "tokens": [
            {"token": t, "id": int(i), "oov": bool(o), "share": round(float(s), 6), "logit_share": round(float(ls), 6),
             "after": round(float(p), 6)}
            for t, i, o, s, ls, p in zip(explanation.tokens, explanation.ids, explanation.oov, explanation.shares,
                                         explanation.logit_shares, explanation.prefix)
        ],
        "dropped": explanation.dropped,
    }


def top_shares(explanation: Explanation, n: int = 5) -> Text:
    """The ``n`` words that moved P(positive) most, signed and coloured: the short answer to "why"."""
    order = sorted(range(len(explanation.tokens)), key=lambda i: -abs(float(explanation.shares[i])))[:n]
    text = Text()
    for rank, index in enumerate(order):
        if rank:
            text.append(" · ", style="dim")
        share = float(explanation.shares[index])
        text.append(f"{printable(explanation.tokens[index])} {share:+.3f}", style=share_colour(share))
    return text


def tokens_table(tokens: Sequence[str], ids: Sequence[int] | np.ndarray) -> Table:
    """The encoder's view of a text: each token and its id, out-of-vocabulary tokens marked."""
    from rnnplay.text import OOV_ID

    table = Table("#", "token", "id", "", box=None, pad_edge=False)
    for index, (token, token_id) in enumerate(zip(tokens, ids)):
        unknown = int(token_id) == OOV_ID
        table.add_row(str(index), Text(printable(token), style="strike" if unknown else ""), str(int(token_id)),
                      Text("OOV", style="yellow") if unknown else "")
    return table


def unreadable_notes(listed: Sequence[ListedModel]) -> list[Text]:
    """One line per model that cannot be read, saying why (the table only says "unreadable")."""
    return [Text(f"{printable(entry.path.name)}: {printable(entry.problem)}", style="dim red")
            for entry in listed if entry.card is None]


def models_table(listed: Sequence[ListedModel], in_use: Sequence[Path] | None = None) -> Table:
    """Saved models, readable at 80 columns: only corpus and architecture wrap.

    With ``in_use`` (the REPL's current models), a first column marks those with ``→``.
    """
    marked = {Path(path).resolve() for path in in_use or ()}
    headers = ("name", "kind", "corpus", "architecture", "acc.", "size", "date")
    table = Table(*(("",) if in_use is not None else ()), *headers, box=None, pad_edge=False, collapse_padding=True)
    for column in table.columns:
        column.no_wrap = column.header not in ("corpus", "architecture")
        column.overflow = "fold"
    table.columns[-4].min_width = 16  # architecture
    for entry in listed:
        name, kind, *rest = model_row(entry)
        marker = ("→" if entry.path.resolve() in marked else "",) if in_use is not None else ()
        table.add_row(*marker, Text(name), Text("unreadable", style="red") if entry.card is None else kind, *(Text(cell) for cell in rest))
    return table
