"""Stream or re-read: the predictions after every word equal each prefix classified on its own, and the
steps the runtime really runs are the counts the module states."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnplay.runtime import streaming
from rnnplay.runtime.classifier import Classifier, Network
from rnnplay.runtime.recurrent import RecurrentLayer
from rnnplay.runtime.streaming import every_word, formula, measure, measure_ids, steps_every_word
from tests.conftest import SHIPPED_LSTM, SHIPPED_MODEL

ARCHITECTURES = [(False, 1), (False, 2), (True, 1), (True, 2)]


def random_network(cell: str, bidirectional: bool, layers: int, seed: int = 0, pooling: str = "last") -> Network:
    architecture = {"vocab_size": 30, "embedding_dim": 6, "cell": cell, "units": 5, "layers": layers,
                    "bidirectional": bidirectional, "head": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}],
                    "output": "logit", "pooling": pooling}
    return Network.random(architecture, seed)


def each_prefix_alone(network: Network, ids: np.ndarray) -> np.ndarray:
    return np.array([network.probabilities([ids[: j + 1]])[0] for j in range(len(ids))])


class StepCounter:
    """Counts every recurrent step the runtime runs: each row of each step of ``run_states``, times the
    directions fused in it (padding rows are never computed, so they are not counted)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.steps = 0
        original = RecurrentLayer.run_states

        def counting(layer, projected, lengths, *args, **kwargs):
            self.steps += int(np.minimum(lengths, projected.shape[0]).sum()) * layer.directions
            return original(layer, projected, lengths, *args, **kwargs)

        monkeypatch.setattr(RecurrentLayer, "run_states", counting)

    def count(self, work) -> int:
        self.steps = 0
        work()
        return self.steps


@pytest.mark.parametrize("pooling", ["last", "max", "mean"])
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("bidirectional,layers", ARCHITECTURES)
def test_every_word_equals_each_prefix_classified_alone(cell, bidirectional, layers, pooling):
    network = random_network(cell, bidirectional, layers, pooling=pooling)
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 17):
        ids = rng.integers(1, 30, n).astype(np.int64)
        result = measure_ids(network, ids, repeats=1)
        np.testing.assert_allclose(result.probabilities, each_prefix_alone(network, ids), atol=1e-6)
        np.testing.assert_allclose(every_word(network, ids), [network.logits([ids[: j + 1]])[0] for j in range(n)], atol=1e-5)
        assert result.streams == (not bidirectional)


@pytest.mark.parametrize("pooling", ["last", "max"])
@pytest.mark.parametrize("bidirectional,layers", ARCHITECTURES)
def test_the_steps_run_are_the_steps_counted(bidirectional, layers, monkeypatch, pooling):
    network = random_network("lstm", bidirectional, layers, pooling=pooling)
    counter = StepCounter(monkeypatch)
    directions = 2 if bidirectional else 1
    for n in (1, 2, 5, 12):
        ids = np.random.default_rng(n).integers(1, 30, n).astype(np.int64)
        assert counter.count(lambda ids=ids: every_word(network, ids)) == steps_every_word(n, directions, layers)
        assert counter.count(lambda ids=ids: network.logits([ids])) == directions * layers * n  # one whole pass
        result = measure_ids(network, ids, repeats=2)
        assert (result.steps, result.streaming_steps, result.whole_steps) == (steps_every_word(n, directions, layers), layers * n,
                                                                             directions * layers * n)


def test_the_counts_by_hand():
    # One direction: n a layer. One bidirectional layer: n + n(n+1)/2; 12 words, 12 + 78 = 90.
    assert [steps_every_word(12, 1, layers) for layers in (1, 2)] == [12, 24]
    assert steps_every_word(12, 2, 1) == 90
    # Two bidirectional layers: 12 forward, 78 backward in layer 1, 2 × 78 in layer 2.
    assert steps_every_word(12, 2, 2) == 12 + 78 + 156
    assert [formula(1, 1), formula(1, 2), formula(2, 1), formula(2, 2)] == ["n", "2·n", "n + n(n+1)/2", "n + 3·n(n+1)/2"]
    assert steps_every_word(0, 2, 2) == 0


@pytest.mark.parametrize("bidirectional,layers", ARCHITECTURES)
def test_times_are_measured_positive_and_finite(bidirectional, layers):
    result = measure_ids(random_network("gru", bidirectional, layers), np.arange(1, 21), repeats=3)
    assert result.measured and result.repeats == 3
    for seconds in (result.every_word_seconds, result.whole_seconds):
        assert seconds is not None and math.isfinite(seconds) and seconds > 0


def test_stacked_bidirectional_prefixes_in_several_batches_give_the_same_answer(monkeypatch):
    network = random_network("lstm", True, 2, seed=5)
    ids = np.random.default_rng(2).integers(1, 30, 23).astype(np.int64)
    whole = every_word(network, ids)
    monkeypatch.setattr(streaming, "BATCH_VALUES", 1)  # one prefix a batch
    np.testing.assert_allclose(every_word(network, ids), whole, atol=1e-6)
    monkeypatch.setattr(streaming, "BATCH_VALUES", 7 * 23 * 40)  # batches of 7 prefixes (widest layer: 2 × 4 × 5)
    np.testing.assert_allclose(every_word(network, ids), whole, atol=1e-6)


def test_no_words_is_a_result_not_an_error():
    result = measure_ids(random_network("lstm", True, 1), np.zeros(0, dtype=np.int64))
    assert (result.words, result.steps, result.streaming_steps, result.whole_steps) == (0, 0, 0, 0)
    assert not result.measured and result.probabilities.shape == (0,)
    assert math.isfinite(result.whole_seconds)


def test_a_text_too_long_to_re_read_is_counted_but_not_run(monkeypatch):
    monkeypatch.setattr(streaming, "LIMIT", 10)
    ids = np.arange(1, 12)
    bi = measure_ids(random_network("lstm", True, 1), ids)
    assert not bi.measured and bi.steps == 11 + 66 and bi.probabilities.shape == (0,)
    uni = measure_ids(random_network("lstm", False, 1), ids)  # streaming grows with n only: always run
    assert uni.measured and uni.probabilities.shape == (11,)


@pytest.mark.parametrize("model", [SHIPPED_MODEL, SHIPPED_LSTM], ids=lambda path: path.name)
def test_shipped_models_predict_after_every_word_as_each_prefix_alone(model):
    classifier = Classifier.load(model)
    text = "the first hour is dull, but the ending is wonderful " * 3 + "zxqv"
    result = measure(classifier, text, repeats=1)
    ids = classifier.encoder.encode(text)
    assert result.words == len(ids) == 31 and result.dropped == 0 and result.name == model.name
    np.testing.assert_allclose(result.probabilities, classifier.predict_ids([ids[: j + 1] for j in range(len(ids))]), atol=1e-6)
    assert result.streams == (model == SHIPPED_LSTM)
    assert result.steps == (31 if result.streams else 31 + 31 * 32 // 2)


def test_measure_cuts_the_text_as_the_classifier_does(shipped_classifier):
    result = measure(shipped_classifier, "fine " * 305, repeats=1)  # the shipped model keeps the last 300 tokens
    assert (result.words, result.dropped) == (300, 5)
    empty = measure(shipped_classifier, "!!!", repeats=1)
    assert (empty.words, empty.dropped, empty.steps) == (0, 0, 0)
