"""The NumPy layers against Keras itself, for every cell, direction and depth, with masked padding."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rnnplay.runtime.cells import lstm_step
from rnnplay.runtime.classifier import Network
from rnnplay.runtime.recurrent import DirectionWeights, RecurrentLayer


def reference_lstm(x, kernel, recurrent, bias):
    """The textbook LSTM of ``runtime.cells``, one step at a time: the last state of one sequence."""
    weights = DirectionWeights(kernel, recurrent, bias)
    h = c = np.zeros(recurrent.shape[0])
    for xt in x:
        step = lstm_step(weights, xt, h, c)
        h, c = step.h, step.c
    return h


def test_fused_lstm_matches_the_textbook_equations_without_tensorflow():
    rng = np.random.default_rng(0)
    kernel, recurrent, bias = rng.normal(size=(5, 12)), rng.normal(size=(3, 12)), rng.normal(size=12)
    layer = RecurrentLayer("lstm", [DirectionWeights(kernel, recurrent, bias)], return_sequences=False)
    lengths = np.array([7, 4, 0])
    x = rng.normal(size=(3, 7, 5)).astype(np.float32)
    out = layer(x, lengths)
    for row, length in enumerate(lengths):
        np.testing.assert_allclose(out[row], reference_lstm(x[row, :length], kernel, recurrent, bias), atol=1e-5)


def test_backward_direction_reads_each_sequence_from_its_own_end():
    rng = np.random.default_rng(1)
    weights = [DirectionWeights(rng.normal(size=(2, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)) for _ in range(2)]
    layer = RecurrentLayer("rnn", weights, return_sequences=False)
    x = rng.normal(size=(2, 5, 2)).astype(np.float32)
    lengths = np.array([5, 3])
    both = layer(x, lengths)
    backward_only = RecurrentLayer("rnn", weights[1:], return_sequences=False)
    flipped = x.copy()
    flipped[0] = x[0, ::-1]
    flipped[1, :3] = x[1, 2::-1]
    np.testing.assert_allclose(both[:, 4:], backward_only(flipped, lengths), atol=1e-6)


@pytest.mark.tensorflow
@pytest.mark.parametrize("cell,bidirectional,layers", list(itertools.product(("lstm", "gru", "rnn"), (False, True), (1, 2))))
def test_network_matches_keras_on_padded_batches(cell, bidirectional, layers):
    from rnnplay.config import ClassifierConfig
    from rnnplay.training import keras_model, tensorflow_modules

    _, keras = tensorflow_modules()
    keras.utils.set_random_seed(5)
    config = ClassifierConfig(cell=cell, bidirectional=bidirectional, layers=layers, units=6, embedding_dim=5,
                              dense_units=4, dropout=0.0)
    model = keras_model.build(config, vocab_size=30)
    # Larger weights than Keras' initialisers, so every non-linearity is exercised.
    model.set_weights([w * 3 + 0.2 for w in model.get_weights()])
    rng = np.random.default_rng(7)
    lengths = [12, 1, 7, 0, 12, 3]
    sequences = [rng.integers(1, 30, size=n).astype(np.int32) for n in lengths]
    padded = np.zeros((len(sequences), max(lengths)), dtype=np.int32)
    for row, seq in enumerate(sequences):
        padded[row, : len(seq)] = seq
    keras_p = 1 / (1 + np.exp(-model.predict(padded, verbose=0)[:, 0].astype(np.float64)))
    architecture, arrays, _ = keras_model.to_arrays(model)
    network = Network.from_arrays(architecture, arrays)
    order = np.argsort([-n for n in lengths], kind="stable")
    ours = np.empty(len(lengths))
    ours[order] = network.probabilities([sequences[i] for i in order])
    np.testing.assert_allclose(ours, keras_p, atol=1e-5)
