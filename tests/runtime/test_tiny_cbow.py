"""The tiny CBOW trainer: its gradients against central finite differences, its pairs, its determinism,
and the wevi reference figures the issue quotes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnplay.errors import UsageError
from rnnplay.runtime.tiny_cbow import PRESETS, Pair, TinyCbow, TinyCorpus, pair_loss


def numeric_gradients(model: TinyCbow, pair: Pair, eps: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Central differences of the pair's loss with respect to every weight of both matrices."""
    grads = []
    for matrix in (model.w_in, model.w_out):
        grad = np.zeros_like(matrix)
        for index in np.ndindex(matrix.shape):
            kept = matrix[index]
            matrix[index] = kept + eps
            up = pair_loss(model.w_in, model.w_out, pair)
            matrix[index] = kept - eps
            down = pair_loss(model.w_in, model.w_out, pair)
            matrix[index] = kept
            grad[index] = (up - down) / (2 * eps)
        grads.append(grad)
    return grads[0], grads[1]


def trained(model: TinyCbow, steps: int) -> TinyCbow:
    """Weights away from their small start, so the gradients are not all near zero."""
    model.run(steps)
    return model


@pytest.mark.parametrize("window", [None, 1, 2])
def test_gradients_match_central_finite_differences(window: int | None) -> None:
    corpus = TinyCorpus.from_lines(["the cat sat on the mat", "a dog sat on a log", "the dog ate the cat"])
    model = trained(TinyCbow(corpus, hidden=4, window=window, seed=3), 7)
    for _ in range(len(model.pairs)):
        forward = model.forward()
        grad_in, grad_out = numeric_gradients(model, forward.pair)
        assert np.abs(forward.grad_in - grad_in).max() < 1e-7
        assert np.abs(forward.grad_out - grad_out).max() < 1e-7
        assert forward.loss == pytest.approx(pair_loss(model.w_in, model.w_out, forward.pair), abs=1e-12)
        model.update()


def test_a_word_twice_in_a_window_counts_twice() -> None:
    corpus = TinyCorpus.from_lines(["a b a"])
    model = TinyCbow(corpus, window=1, seed=0)
    forward = model.forward()
    assert [corpus.vocabulary[i] for i in forward.pair.context] == ["b"]
    model.update()
    forward = model.forward()  # target b, context (a, a)
    assert forward.pair == Pair((0, 0), 1)
    grad_in, _ = numeric_gradients(model, forward.pair)
    assert np.abs(forward.grad_in - grad_in).max() < 1e-7
    np.testing.assert_allclose(forward.hidden, model.w_in[0])


def test_forward_computes_without_applying_and_update_is_a_plain_sgd_step() -> None:
    model = trained(TinyCbow(TinyCorpus.preset("king"), window=2, learning_rate=0.3), 5)
    w_in, w_out = model.w_in.copy(), model.w_out.copy()
    forward = model.forward()
    assert model.forward() is forward  # a second press shows the same pending pass
    np.testing.assert_array_equal(model.w_in, w_in)
    np.testing.assert_array_equal(model.w_out, w_out)
    update = model.update()
    np.testing.assert_allclose(model.w_in, w_in - 0.3 * forward.grad_in, rtol=0, atol=1e-15)
    np.testing.assert_allclose(model.w_out, w_out - 0.3 * forward.grad_out, rtol=0, atol=1e-15)
    changed = np.flatnonzero(np.abs(model.w_in - w_in).max(axis=1))
    assert tuple(changed) == update.rows == tuple(sorted(set(forward.pair.context)))
    np.testing.assert_allclose(update.row_change, np.linalg.norm((model.w_in - w_in)[list(update.rows)], axis=1))
    np.testing.assert_allclose(update.column_change, np.linalg.norm(model.w_out - w_out, axis=0))
    assert update.loss_after < forward.loss  # a small step down the gradient lowers that pair's loss
    assert model.updates == 6 and model.losses[-1] == forward.loss and model.pending is None


def test_the_target_column_is_pulled_towards_h_the_others_pushed_away() -> None:
    model = TinyCbow(TinyCorpus.preset("fruit"))
    update = model.update()
    forward = update.forward
    moves = update.delta_out.T @ forward.hidden  # each output vector's change along h
    assert moves[forward.pair.target] > 0
    assert (np.delete(moves, forward.pair.target) < 0).all()


def test_training_is_deterministic_for_a_seed_and_differs_across_seeds() -> None:
    corpus = TinyCorpus.preset("fruit")
    a, b, c = (trained(TinyCbow(corpus, seed=seed), 50) for seed in (7, 7, 8))
    np.testing.assert_array_equal(a.w_in, b.w_in)
    np.testing.assert_array_equal(a.w_out, b.w_out)
    assert a.losses == b.losses
    assert not np.array_equal(a.w_in, c.w_in)


def test_single_word_pairs_are_wevis_fruit_and_juice_pairs_in_order() -> None:
    corpus = TinyCorpus.preset("fruit")
    words = [(corpus.vocabulary[p.context[0]], corpus.vocabulary[p.target]) for p in corpus.pairs()]
    wevi = ("eat|apple,eat|orange,eat|rice,drink|juice,drink|milk,drink|water,orange|juice,apple|juice,"
            "rice|milk,milk|drink,water|drink,juice|drink")
    assert words == [tuple(pair.split("|")) for pair in wevi.split(",")]
    assert len(corpus.vocabulary) == 8


def test_windows_take_k_words_either_side_within_a_line() -> None:
    corpus = TinyCorpus.from_lines(["a b c d e", "f"])
    named = [("".join(corpus.vocabulary[i] for i in p.context), corpus.vocabulary[p.target]) for p in corpus.pairs(2)]
    assert named == [("bc", "a"), ("acd", "b"), ("abde", "c"), ("bce", "d"), ("cd", "e")]  # "f" alone has no context


def test_the_fruit_reference_is_reproduced() -> None:
    """The issue's NumPy replica of wevi: hidden 5, rate 0.2, single-word fruit preset."""
    model = TinyCbow(TinyCorpus.preset("fruit"), hidden=5, learning_rate=0.2)
    assert model.corpus_loss() == pytest.approx(math.log(8), abs=0.005)
    assert model.similarity("apple", "orange") == pytest.approx(-0.28, abs=0.005)
    model.run(120)
    assert model.corpus_loss() == pytest.approx(1.35, abs=0.005)
    assert model.similarity("apple", "orange") >= 0.99
    model.run(480)
    assert model.corpus_loss() == pytest.approx(0.59, abs=0.005)


def test_neighbours_and_map() -> None:
    model = trained(TinyCbow(TinyCorpus.preset("fruit")), 300)
    assert model.neighbours("apple", 1)[0][0] == "orange"
    found = model.input_map()
    assert found.coordinates.shape == (8, 2)
    assert 0 < found.explained[1] <= found.explained[0] <= 1
    np.testing.assert_allclose(found.coordinates, (model.w_in - model.w_in.mean(axis=0)) @ found.components.T)
    mirrored = type(found)(found.coordinates, found.explained, -found.components)
    model.update()
    moved = model.input_map(mirrored)  # each axis keeps the side it had on the previous map
    assert (np.sum(moved.components * mirrored.components, axis=1) > 0).all()


def test_bad_input_is_one_clear_usage_error() -> None:
    with pytest.raises(UsageError, match="two words"):
        TinyCorpus.from_lines(["one", "", "two"])
    with pytest.raises(UsageError, match="no preset"):
        TinyCorpus.preset("nope")
    with pytest.raises(UsageError, match="--hidden"):
        TinyCbow(TinyCorpus.preset("fruit"), hidden=0)
    with pytest.raises(UsageError, match="not in the tiny vocabulary"):
        TinyCbow(TinyCorpus.preset("fruit")).neighbours("pear")
    with pytest.raises(UsageError, match="at most 60"):
        TinyCorpus.from_lines([" ".join(f"w{i}" for i in range(61))])
    assert set(PRESETS) == {"fruit", "king"}


def test_the_corpus_loss_is_the_mean_of_every_pairs_loss_and_is_kept_after_each_update() -> None:
    model = trained(TinyCbow(TinyCorpus.preset("king"), window=1), 9)
    expected = np.mean([pair_loss(model.w_in, model.w_out, pair) for pair in model.pairs])
    assert model.corpus_loss() == pytest.approx(expected, abs=1e-12)
    assert len(model.corpus_losses) == 10 and model.corpus_losses[-1] == model.corpus_loss()


def test_the_draw_order_of_the_output_vectors_is_what_moves_the_120_update_figure() -> None:
    """initial_weights' docstring: drawn as one N × V array, W_out gives 1.30 after 120 updates, not 1.35."""
    model = TinyCbow(TinyCorpus.preset("fruit"))
    rng = np.random.default_rng(model.seed)
    w_in = (rng.random((8, 5)) - 0.5) / 5
    np.testing.assert_array_equal(w_in, model.w_in)  # the input vectors are the same either way
    model.w_out = (rng.random((5, 8)) - 0.5) / 5
    model.run(120)
    assert model.corpus_loss() == pytest.approx(1.30, abs=0.005)
