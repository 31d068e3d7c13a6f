"""Rich renderings of the tiny CBOW trainer (``runtime.tiny_cbow``), shared by ``rnnplay cbow step`` and the
TUI's ``CbowStepper``, so both show the same forward pass, heatmaps, map and loss curve.

Every number comes from the model: the forward pass of a pair (``Forward``), what an update moved
(``Update``), the mean loss over the corpus after each update, the input vectors' principal components.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from rnnplay.inside_view.axis import Canvas
from rnnplay.printable import printable
from rnnplay.render import bar, sparkline
from rnnplay.runtime.tiny_cbow import NEGATIVE_SAMPLING_NOTE, Forward, InputMap, TinyCbow, Update

NEGATIVE_RGB, NEUTRAL_RGB, POSITIVE_RGB = (66, 125, 168), (225, 225, 225), (219, 59, 71)  # wevi's blue-white-red
CHANGED = "◆"  # a heatmap cell that the last update moved


def words(model: TinyCbow, ids: Sequence[int]) -> str:
    return " ".join(printable(model.vocabulary[i]) for i in ids)


def describe_pairs(model: TinyCbow) -> str:
    mode = "single-word context (each word predicts the next)" if model.window is None else f"CBOW window ±{model.window}"
    return (f"{len(model.vocabulary)} words, {len(model.corpus.lines)} lines, {len(model.pairs)} pairs, {mode}; "
            f"hidden {model.hidden}, learning rate {model.learning_rate:g}, seed {model.seed}")


def weight_colour(value: float, scale: float) -> str:
    """Blue for a negative weight, red for a positive one, white near 0 (wevi's palette), full at ±``scale``."""
    strength = min(1.0, abs(value) / scale) if scale > 0 else 0.0
    target = POSITIVE_RGB if value > 0 else NEGATIVE_RGB
    r, g, b = (round(n + (c - n) * strength) for n, c in zip(NEUTRAL_RGB, target))
    return f"rgb({r},{g},{b})"


def vector_text(values: np.ndarray, digits: int = 2) -> Text:
    return Text(" ".join(f"{v:+.{digits}f}" for v in values))


def forward_view(model: TinyCbow, forward: Forward, applied: Update | None = None) -> Group:
    """The pipeline of one pair: context → input vectors → h → scores → softmax → p(target), loss, gradients."""
    pair = forward.pair
    target = printable(model.vocabulary[pair.target])
    head = Text.assemble(("step ", "dim"), (f"{forward.step}", "bold"), ("  context ", "dim"), (words(model, pair.context), "bold cyan"),
                         (" → target ", "dim"), (target, "bold yellow"), (" ◀", "bold yellow"))
    inputs = Table("", "input vector (row of W_in)", box=None, pad_edge=False)
    inputs.columns[0].no_wrap = True
    for i, vector in zip(pair.context, forward.inputs):
        inputs.add_row(Text(printable(model.vocabulary[i]), style="cyan"), vector_text(vector))
    mean = "h = mean of the context's input vectors" if len(pair.context) > 1 else "h = the context word's input vector"
    inputs.add_row(Text("h", style="bold"), vector_text(forward.hidden))
    order = np.argsort(-forward.probabilities)
    scores = Table("word", "h·v_out", "softmax", "", box=None, pad_edge=False)
    for j in order:
        word = printable(model.vocabulary[j])
        p = float(forward.probabilities[j])
        style = "bold yellow" if j == pair.target else ""
        scores.add_row(Text(word + (" ◀" if j == pair.target else ""), style=style), f"{forward.scores[j]:+.3f}",
                       f"{p:.3f}", Text(bar(p, 12) or "▏", style=style or "dim"))
    grad_rows = ", ".join(f"{printable(model.vocabulary[i])} {np.linalg.norm(forward.grad_in[i]):.3f}"
                          for i in sorted(set(pair.context)))
    summary = Text.assemble(
        ("p(target) ", "dim"), (f"{forward.target_probability:.3f}", "bold"), ("   loss −ln p ", "dim"), (f"{forward.loss:.3f}", "bold"),
        ("\ngradients ", "dim"), ("applied" if applied else "pending (not applied yet)", "bold green" if applied else "bold magenta"),
        (f": ‖∂/∂v_in‖ {grad_rows}; ‖∂/∂W_out‖ {np.linalg.norm(forward.grad_out):.3f} over all {len(model.vocabulary)} columns", "dim"))
    parts: list[Any] = [head, Text(mean, style="dim"), inputs, scores, summary]
    if applied is not None:
        parts.append(Text.assemble(("after the update: ", "dim"), (f"loss of this pair {applied.loss_after:.3f}", "bold"),
                                   (f" (was {forward.loss:.3f})", "dim")))
    return Group(*parts)


def cell(value: float, scale: float, changed: bool) -> str:
    """Two characters over the weight's colour: ◆ when the last update moved it, and its sign when it is
    more than half the largest weight, so the map still reads without colour (a pipe, a log)."""
    sign = ("+" if value > 0 else "−") if abs(value) > scale / 2 else " "
    return (CHANGED if changed else " ") + sign


def heatmaps_view(model: TinyCbow, changed: Update | None = None) -> Group:
    """W_in (one row a word's input vector) beside W_out transposed (W_outᵀ: one row a word's output vector), a
    coloured cell a weight; ◆ marks what the last update moved most (its context rows in W_in, and in W_out
    the columns that moved by at least half the largest move)."""
    scale = float(max(np.abs(model.w_in).max(), np.abs(model.w_out).max(), 1e-9))
    rows_changed = set(changed.rows) if changed is not None else set()
    columns_changed: set[int] = set()
    if changed is not None:
        moves = changed.column_change
        columns_changed = {int(j) for j in np.flatnonzero(moves >= 0.5 * moves.max())}
    label = max(len(printable(w)) for w in model.vocabulary)
    n = model.hidden
    title = Text(f"{'':{label}} " + "W_in".ljust(2 * n) + "   " + "W_outᵀ", style="bold")
    lines = [title]
    for i, word in enumerate(model.vocabulary):
        line = Text(printable(word).rjust(label) + " ", style="bold cyan" if i in rows_changed else "")
        for value in model.w_in[i]:
            line.append(cell(value, scale, i in rows_changed), style=f"black on {weight_colour(value, scale)}")
        line.append("   ")
        for value in model.w_out[:, i]:
            line.append(cell(value, scale, i in columns_changed), style=f"black on {weight_colour(value, scale)}")
        lines.append(line)
    legend = Text.assemble(("  ", f"on {weight_colour(-scale, scale)}"), (f" −{scale:.2f}  ", "dim"), ("  ", f"on {weight_colour(0, scale)}"),
                           (" 0  ", "dim"), ("  ", f"on {weight_colour(scale, scale)}"), (f" +{scale:.2f}", "dim"))
    if changed is not None:
        legend.append(f"\n{CHANGED} moved by the last step", style="dim")
    legend.append("\n± over half the largest", style="dim")
    lines.append(legend)
    return Group(*lines)


def curve(values: Sequence[float], width: int) -> str:
    """A sparkline of ``values`` squeezed into ``width`` characters (each the mean of its share), from its
    lowest (▁) to its highest (█) character: the shape; the figures beside it give the scale."""
    if not values:
        return ""
    chunks = [float(c.mean()) for c in np.array_split(np.asarray(values, dtype=float), min(width, len(values)))]
    return sparkline(chunks, min(chunks), max(chunks))


def loss_view(model: TinyCbow, width: int = 60) -> Text:
    """The mean loss over the corpus, from the start (about ln V) to now, with its two end figures."""
    start, now = model.corpus_losses[0], model.corpus_losses[-1]
    v = len(model.vocabulary)
    text = Text.assemble(("mean loss over the corpus ", "dim"), (f"{start:.3f}", "bold"), (f" (ln {v} = {math.log(v):.3f})", "dim"),
                         ("\n→ ", "dim"), (f"{now:.3f}", "bold"), (f" after {model.updates} updates", "dim"))
    if model.updates:
        text.append("\n" + curve(model.corpus_losses, width), style="green")
    return text


def map_view(model: TinyCbow, width: int = 40, height: int = 12, found: InputMap | None = None) -> Group:
    """The input vectors on their first two principal components (``found``, or computed afresh), as a
    character scatter with the words."""
    found = found or model.input_map()
    coordinates, explained = found.coordinates, found.explained
    x, y = coordinates[:, 0], coordinates[:, 1]
    pad = lambda low, high: (low - 0.08 * (high - low or 1), high + 0.08 * (high - low or 1))
    canvas = Canvas(width, height, pad(float(x.min()), float(x.max())), pad(float(y.min()), float(y.max())))
    cells = [canvas.cell(px, py) for px, py in coordinates.tolist()]
    for column, row in cells:  # every point first, so no label hides one
        canvas.put(column, row, "•", "bold yellow")
    unlabelled = []
    for word, (column, row) in sorted(zip(model.vocabulary, cells), key=lambda item: item[1]):
        label = printable(word)
        for start in (column + 1, column - len(label)):  # right of the point, else left of it
            if all(canvas.inside(start + k, row) and canvas.chars[row][start + k] == " " for k in range(len(label))):
                for k, char in enumerate(label):
                    canvas.put(start + k, row, char, "cyan")
                break
        else:
            unlabelled.append(label)
    head = Text(f"input vectors on PC1 ({100 * explained[0]:.0f}% of the variance) × PC2 ({100 * explained[1]:.0f}%)", style="dim")
    parts: list[Any] = [head, canvas.text()]
    if unlabelled:
        parts.append(Text(f"no room for the label of: {', '.join(unlabelled)} (see the neighbours)", style="dim"))
    return Group(*parts)


def neighbours_view(model: TinyCbow, chosen: Sequence[str] | None = None, n: int = 3) -> Table:
    """Each word's (or each chosen word's) nearest words by the cosine of their input vectors."""
    table = Table("word", f"nearest {n} by cosine of input vectors", box=None, pad_edge=False)
    for word in chosen or model.vocabulary:
        near = model.neighbours(word, n)
        table.add_row(Text(printable(word), style="bold cyan"),
                      Text("  ".join(f"{printable(w)} {c:+.2f}" for w, c in near)))
    return table


def word_neighbours_view(model: TinyCbow, word: str, n: int = 4) -> Table:
    """One word's nearest words, one a line, with the cosine of their input vectors."""
    table = Table(box=None, pad_edge=False)
    table.add_column(Text(printable(word), style="bold cyan"))
    table.add_column("cosine")
    for other, value in model.neighbours(word, n):
        table.add_row(printable(other), f"{value:+.3f}")
    return table


def note() -> Text:
    return Text(NEGATIVE_SAMPLING_NOTE, style="dim italic")


def step_json(model: TinyCbow) -> dict[str, Any]:
    """What ``--json`` prints: the settings, the last step, the weights, the curve and the neighbours."""
    last = model.last
    data: dict[str, Any] = {
        "vocabulary": list(model.vocabulary), "lines": [list(line) for line in model.corpus.lines],
        "hidden": model.hidden, "learning_rate": model.learning_rate, "window": model.window, "seed": model.seed,
        "pairs": len(model.pairs), "updates": model.updates, "softmax": "full", "note": NEGATIVE_SAMPLING_NOTE,
        "corpus_loss": model.corpus_losses, "step_loss": model.losses,
        "w_in": model.w_in.tolist(), "w_out": model.w_out.tolist(),
        "neighbours": {w: [[o, c] for o, c in model.neighbours(w, 3)] for w in model.vocabulary},
    }
    if last is not None:
        f = last.forward
        data["last_step"] = {
            "step": f.step, "context": [model.vocabulary[i] for i in f.pair.context], "target": model.vocabulary[f.pair.target],
            "hidden": f.hidden.tolist(), "scores": f.scores.tolist(), "probabilities": f.probabilities.tolist(),
            "target_probability": f.target_probability, "loss": f.loss, "loss_after": last.loss_after,
            "rows_changed": {model.vocabulary[i]: float(c) for i, c in zip(last.rows, last.row_change)},
            "columns_changed": {w: float(c) for w, c in zip(model.vocabulary, last.column_change)},
        }
    return data
