"""The shipped classifiers (the default BiLSTM and the one-directional LSTM), as the NumPy runtime runs them:
its card's figures hold, and Keras agrees."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnnplay.corpora import load_corpus, split
from rnnplay.render import layer_summary
from rnnplay.runtime.classifier import Classifier
from tests.conftest import SHIPPED_LSTM, SHIPPED_MODEL


@pytest.fixture(scope="module", params=[SHIPPED_MODEL, SHIPPED_LSTM], ids=lambda path: path.name)
def each_shipped(request, shipped_classifier):
    """Every shipped classifier in turn (the default one is the session's)."""
    return shipped_classifier if request.param == SHIPPED_MODEL else Classifier.load(request.param)


@pytest.fixture(scope="module")
def held_out(shipped_classifier):
    card = shipped_classifier.card
    return split(load_corpus(card.corpus), card.section("training")["split_seed"]).test


def test_card_accuracy_is_what_the_numpy_runtime_measures(each_shipped, held_out, shipped_classifier):
    same_split = lambda card: (card.corpus, card.section("training")["split_seed"])
    assert same_split(each_shipped.card) == same_split(shipped_classifier.card)  # held_out is the default model's
    p = each_shipped.predict(held_out.texts)
    accuracy = float(np.mean((p >= 0.5) == (held_out.labels == 1)))
    assert accuracy == pytest.approx(each_shipped.card.held_out_accuracy, abs=1e-4)
    assert len(held_out) == each_shipped.card.score("test").n == 6706  # 5,000 IMDB reviews, 1,706 RT sentences


@pytest.mark.parametrize("model", [SHIPPED_MODEL, SHIPPED_LSTM], ids=lambda path: path.name)
def test_shipped_model_has_a_complete_card(model):
    card = json.loads((model / "card.json").read_text())
    assert card["kind"] == "classifier" and card["training"]["corpus"] == "reviews" and card["name"] == model.name
    assert card["training"]["config"]["seed"] == 0 and card["training"]["history"]
    assert set(card["files"]) == {"weights.npz", "vocab.txt", "model.keras"}
    assert card["architecture"]["bidirectional"] == (model == SHIPPED_MODEL)  # the default reads both ways; imdb-lstm one


def test_order_and_batching_do_not_change_predictions(shipped_classifier, held_out):
    texts = held_out.texts[:300]
    together = shipped_classifier.predict(texts, batch_size=64)
    alone = np.array([shipped_classifier.predict([t])[0] for t in texts[:20]])
    np.testing.assert_allclose(together[:20], alone, atol=1e-6)
    np.testing.assert_allclose(shipped_classifier.predict(texts[::-1])[::-1], together, atol=1e-6)


def test_progress_follows_every_batch_and_a_stop_between_batches_cancels(shipped_classifier, held_out):
    from rnnplay.errors import Cancelled

    ids = [shipped_classifier.encoder.encode(text) for text in held_out.texts[:100]]
    reports: list[tuple[int, int]] = []
    scored = shipped_classifier.predict_ids(ids, batch_size=32, progress=lambda done, total: reports.append((done, total)))
    assert reports == [(32, 100), (64, 100), (96, 100), (100, 100)]
    np.testing.assert_allclose(scored, shipped_classifier.predict_ids(ids), atol=1e-6)  # batching moves only the last bits
    asked: list[int] = []
    with pytest.raises(Cancelled, match="^enough$"):
        shipped_classifier.predict_ids(ids, batch_size=32, should_stop=lambda: len(asked.append(1) or asked) > 2, stopped="enough")
    assert len(asked) == 3  # asked before each batch: two ran, the third was refused


def test_empty_and_unknown_texts_still_get_a_probability(shipped_classifier):
    p = shipped_classifier.predict(["", "zzxq qqxz", "!!!"])
    assert np.all((p > 0) & (p < 1))


def test_layer_summary_counts_parameters_like_keras(shipped_classifier):
    rows = layer_summary(shipped_classifier.card.classifier)
    arrays = shipped_classifier.stored.arrays
    assert sum(r["params"] for r in rows) == sum(a.size for a in arrays.values())


@pytest.mark.tensorflow
def test_parity_with_keras_on_the_whole_held_out_split(each_shipped, held_out):
    from rnnplay.training import tensorflow_modules

    _, keras = tensorflow_modules()
    full = keras.saving.load_model(each_shipped.stored.path / "model.keras", safe_mode=True)
    on_ids = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), *full.layers[1:]])
    sequences = [each_shipped.encoder.encode(t) for t in held_out.texts]
    padded = np.zeros((len(sequences), max(map(len, sequences))), dtype=np.int32)
    for row, seq in enumerate(sequences):
        padded[row, : len(seq)] = seq
    keras_p = 1 / (1 + np.exp(-on_ids.predict(padded, verbose=0, batch_size=500)[:, 0].astype(np.float64)))
    assert np.max(np.abs(each_shipped.predict_ids(sequences) - keras_p)) <= 1e-4
