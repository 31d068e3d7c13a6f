"""The tiny CBOW trainer's figures (issue 14's wevi reference) and its speed, in one command.

    python benchmarks/tiny_cbow.py      # about a second

Figures: hidden 5, learning rate 0.2, seed 1, wevi's fruit-and-juice single-word preset (12 pairs, in
wevi's order, cycling). "loss" is the mean of −ln p(target | context) over the 12 pairs under the
weights after that many updates (ln 8 = 2.079 at the start); "cos" is the cosine of apple's and orange's
input vectors. The same run with the output vectors drawn as one N × V array instead of word by word
(the only other draw order we tried) is printed beside it: the starting input vectors, hence the first
cosine, are the same; the loss curve is not. Then the king preset, single-word and with a ±1 window (its
lines have two words, so any wider window is the same).

Speed: the median time of one update (forward pass, gradients, the SGD step and the corpus loss the
views plot) and of 500 of them, and of drawing every view of the CLI once. Timings depend on the
machine's load: run it alone.
"""

from __future__ import annotations

import io
import math

import numpy as np
from common import best_of, print_table, row

from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus

MARKS = (0, 20, 100, 120, 500, 600)


def figures(model: TinyCbow, a: str, b: str) -> dict[int, tuple[float, float]]:
    out = {0: (model.corpus_loss(), model.similarity(a, b))}
    for mark in MARKS[1:]:
        model.run(mark - model.updates)
        out[mark] = (model.corpus_loss(), model.similarity(a, b))
    return out


def drawn_as_one_array(model: TinyCbow) -> TinyCbow:
    """The same model with W_out drawn row by row as an N × V array (W_in as before)."""
    rng = np.random.default_rng(model.seed)
    v, n = len(model.vocabulary), model.hidden
    model.w_in = (rng.random((v, n)) - 0.5) / n
    model.w_out = (rng.random((n, v)) - 0.5) / n
    model.corpus_losses = [model.corpus_loss()]
    return model


def main() -> None:
    fruit = TinyCorpus.preset("fruit")
    print(f"fruit: {len(fruit.vocabulary)} words (ln {len(fruit.vocabulary)} = {math.log(len(fruit.vocabulary)):.3f}), "
          f"{len(fruit.pairs())} single-word pairs")
    ours = figures(TinyCbow(fruit), "apple", "orange")
    other = figures(drawn_as_one_array(TinyCbow(fruit)), "apple", "orange")
    for mark in MARKS:
        row(f"fruit, single word: after {mark} updates (loss, cos apple·orange)", f"{ours[mark][0]:.3f}  {ours[mark][1]:+.3f}",
            f"W_out drawn as one N×V array: {other[mark][0]:.3f}  {other[mark][1]:+.3f}")
    crossing = TinyCbow(fruit)
    while crossing.similarity("apple", "orange") < 0.99:
        crossing.update()
    row("fruit, single word: first update with cos(apple, orange) ≥ 0.99", f"{crossing.updates}")
    for window in (None, 1):
        king = figures(TinyCbow(TinyCorpus.preset("king"), window=window), "king", "queen")
        mode = "single word" if window is None else f"window ±{window}"
        for mark in MARKS:
            row(f"king, {mode}: after {mark} updates (loss, cos king·queen)", f"{king[mark][0]:.3f}  {king[mark][1]:+.3f}")

    model = TinyCbow(fruit)
    row("one update (forward, gradients, SGD, corpus loss)", f"{1e6 * best_of(model.update, 200):.0f} µs")
    row("500 updates", f"{1e3 * best_of(lambda: TinyCbow(fruit).run(500), 5):.0f} ms")
    from rich.console import Console

    from rnnplay.cbow_step_view import forward_view, heatmaps_view, loss_view, map_view, neighbours_view

    model.run(100)
    assert model.last is not None
    last = model.last

    def draw() -> None:
        console = Console(file=io.StringIO(), width=100, color_system="truecolor")
        for view in (forward_view(model, last.forward, last), heatmaps_view(model, last), loss_view(model),
                     map_view(model), neighbours_view(model)):
            console.print(view)

    row("drawing every view once (Rich, 100 columns)", f"{1e3 * best_of(draw, 20):.1f} ms")
    print_table()


if __name__ == "__main__":
    main()
