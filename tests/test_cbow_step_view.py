"""The tiny CBOW views: every figure they print is the model's, the heatmaps mark what moved, and the map
labels every word it has room for."""

from __future__ import annotations

import io
import math

import numpy as np
from rich.console import Console

from rnnplay.cbow_step_view import (
    CHANGED,
    curve,
    forward_view,
    heatmaps_view,
    loss_view,
    map_view,
    neighbours_view,
    step_json,
    weight_colour,
    word_neighbours_view,
)
from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus


def plain(renderable: object, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, record=True)
    console.print(renderable)
    return console.export_text()


def fruit(steps: int, window: int | None = None) -> TinyCbow:
    model = TinyCbow(TinyCorpus.preset("fruit"), window=window)
    model.run(steps)
    return model


def test_forward_view_prints_the_pairs_own_numbers() -> None:
    model = fruit(3, window=1)
    forward = model.forward()
    text = plain(forward_view(model, forward))
    assert "pending (not applied yet)" in text
    assert f"p(target) {forward.target_probability:.3f}" in text and f"loss −ln p {forward.loss:.3f}" in text
    for j, word in enumerate(model.vocabulary):
        assert any(line.split()[:3] == [word, f"{forward.scores[j]:+.3f}", f"{forward.probabilities[j]:.3f}"]
                   or line.split()[:4] == [word, "◀", f"{forward.scores[j]:+.3f}", f"{forward.probabilities[j]:.3f}"]
                   for line in text.splitlines())
    update = model.update()
    text = plain(forward_view(model, forward, applied=update))
    assert "applied" in text and f"loss of this pair {update.loss_after:.3f} (was {forward.loss:.3f})" in text


def test_heatmaps_mark_the_moved_rows_and_the_most_moved_columns() -> None:
    model = fruit(40)
    update = model.update()
    lines = plain(heatmaps_view(model, update)).splitlines()
    context = model.vocabulary[update.forward.pair.context[0]]
    target = model.vocabulary[update.forward.pair.target]
    row = next(line for line in lines if line.split()[0] == context)
    assert row.split(None, 1)[1][: 2 * model.hidden].count(CHANGED) == model.hidden
    target_row = next(line for line in lines if line.split()[0] == target)
    assert target_row.count(CHANGED) >= model.hidden  # the target's output vector moves most
    assert CHANGED not in plain(heatmaps_view(model, None))


def test_weight_colours_run_from_blue_through_white_to_red() -> None:
    assert weight_colour(-1, 1) == "rgb(66,125,168)" and weight_colour(0, 1) == "rgb(225,225,225)"
    assert weight_colour(2, 1) == "rgb(219,59,71)"


def test_loss_view_gives_the_start_and_end_of_the_corpus_loss() -> None:
    model = fruit(120)
    text = plain(loss_view(model, width=30))
    assert f"2.079 (ln 8 = {math.log(8):.3f})" in text and "→ 1.350 after 120 updates" in text
    assert len(curve(model.corpus_losses, 30)) == 30 and curve([1.0, 0.0], 30) == "█▁"


def test_the_map_places_every_word_it_can_label() -> None:
    model = fruit(0)
    text = plain(map_view(model, width=60, height=14))
    assert "PC1" in text and "PC2" in text
    missing = [w for w in model.vocabulary if w not in text]
    assert not missing or f"no room for the label of: {', '.join(missing)}" in text.replace("\n", " ")
    assert text.count("•") == len(model.vocabulary) or "no room" in text  # points may share a cell only when crowded


def test_neighbours_and_json_agree_with_the_model() -> None:
    model = fruit(200)
    table = plain(neighbours_view(model))
    for word in model.vocabulary:
        first, cosine = model.neighbours(word, 1)[0]
        assert f"{first} {cosine:+.2f}" in table
    one = plain(word_neighbours_view(model, "apple", 2))
    assert [line.split()[0] for line in one.splitlines()[1:3]] == [w for w, _ in model.neighbours("apple", 2)]
    data = step_json(model)
    assert data["updates"] == 200 and np.allclose(data["w_out"], model.w_out)
    assert data["last_step"]["loss"] == model.losses[-1]
