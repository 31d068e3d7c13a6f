"""The shipped default model, as the NumPy runtime runs it: its card's figures hold, and Keras agrees."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnnplay.corpora import load_corpus, split
from rnnplay.render import layer_summary
from tests.conftest import SHIPPED_MODEL


@pytest.fixture(scope="module")
def held_out(shipped_classifier):
    card = shipped_classifier.card
    return split(load_corpus(card.corpus), card.section("training")["split_seed"]).test


def test_card_accuracy_is_what_the_numpy_runtime_measures(shipped_classifier, held_out):
    p = shipped_classifier.predict(held_out.texts)
    accuracy = float(np.mean((p >= 0.5) == (held_out.labels == 1)))
    assert accuracy == pytest.approx(shipped_classifier.card.held_out_accuracy, abs=1e-4)
    assert len(held_out) == shipped_classifier.card.score("test").n == 5000


def test_shipped_model_has_a_complete_card():
    card = json.loads((SHIPPED_MODEL / "card.json").read_text())
    assert card["kind"] == "classifier" and card["training"]["corpus"] == "imdb"
    assert card["training"]["config"]["seed"] == 0 and card["training"]["history"]
    assert set(card["files"]) == {"weights.npz", "vocab.txt", "model.keras"}


def test_order_and_batching_do_not_change_predictions(shipped_classifier, held_out):
    texts = held_out.texts[:300]
    together = shipped_classifier.predict(texts, batch_size=64)
    alone = np.array([shipped_classifier.predict([t])[0] for t in texts[:20]])
    np.testing.assert_allclose(together[:20], alone, atol=1e-6)
    np.testing.assert_allclose(shipped_classifier.predict(texts[::-1])[::-1], together, atol=1e-6)


def test_empty_and_unknown_texts_still_get_a_probability(shipped_classifier):
    p = shipped_classifier.predict(["", "zzxq qqxz", "!!!"])
    assert np.all((p > 0) & (p < 1))


def test_layer_summary_counts_parameters_like_keras(shipped_classifier):
    rows = layer_summary(shipped_classifier.card.classifier)
    arrays = shipped_classifier.stored.arrays
    assert sum(r["params"] for r in rows) == sum(a.size for a in arrays.values())


@pytest.mark.tensorflow
def test_parity_with_keras_on_the_whole_held_out_split(shipped_classifier, held_out):
    from rnnplay.training import tensorflow_modules

    _, keras = tensorflow_modules()
    full = keras.saving.load_model(SHIPPED_MODEL / "model.keras", safe_mode=True)
    on_ids = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), *full.layers[1:]])
    sequences = [shipped_classifier.encoder.encode(t) for t in held_out.texts]
    padded = np.zeros((len(sequences), max(map(len, sequences))), dtype=np.int32)
    for row, seq in enumerate(sequences):
        padded[row, : len(seq)] = seq
    keras_p = 1 / (1 + np.exp(-on_ids.predict(padded, verbose=0, batch_size=500)[:, 0].astype(np.float64)))
    assert np.max(np.abs(shipped_classifier.predict_ids(sequences) - keras_p)) <= 1e-4
