"""The lookup against one-hot × weights: the same numbers, the memory each input needs, a timing that is one."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.onehot_cost import best_time, one_hot_matrix, random_cost, text_cost


def test_one_hot_matrix_times_the_weights_is_the_lookup():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(50, 4)).astype(np.float32)
    ids = np.array([3, 3, 0, 49])
    hot = one_hot_matrix(ids, 50)
    assert hot.shape == (4, 50) and (hot.sum(axis=1) == 1).all() and hot[3, 49] == 1.0
    np.testing.assert_array_equal(hot @ weights, weights[ids])


def test_the_cost_report():
    cost = random_cost(vocab=2_000, dimension=16, tokens=30, repeats=2)
    assert (cost.tokens, cost.vocab, cost.dimension, cost.repeats) == (30, 2_000, 16, 2)
    assert cost.equal and cost.max_difference == 0.0
    assert cost.ids_bytes == 30 * 4 and cost.one_hot_bytes == 30 * 2_000 * 4 and cost.weights_bytes == 2_000 * 16 * 4
    assert cost.lookup_seconds > 0 and cost.matmul_seconds > 0
    assert cost.ratio == pytest.approx(cost.matmul_seconds / cost.lookup_seconds)
    assert set(cost.to_json()) >= {"lookup_seconds", "matmul_seconds", "one_hot_bytes", "ids_bytes", "equal"}


def test_best_time_repeats_a_fast_call_until_it_can_be_measured():
    calls = []
    seconds = best_time(lambda: calls.append(1), repeats=3, min_timing=0.001)
    assert seconds > 0 and len(calls) >= 30  # a list append is far under a microsecond: many calls per timing


def test_the_cost_on_a_text(shipped_classifier):
    ids = shipped_classifier.encoder.encode("the acting was wonderful and the plot made no sense")
    cost = text_cost(shipped_classifier.network.embedding, ids, repeats=1)
    assert cost.tokens == 10 and cost.vocab == 20_000 and cost.dimension == 64 and cost.equal


@pytest.mark.parametrize("ids, message", [([], "no words"), ([20_000], "from 0 to 19,999"), ([-1], "from 0 to")])
def test_bad_ids_are_refused(shipped_classifier, ids, message):
    with pytest.raises(RnnplayError, match=message):
        text_cost(shipped_classifier.network.embedding, np.array(ids, dtype=np.int32), repeats=1)
