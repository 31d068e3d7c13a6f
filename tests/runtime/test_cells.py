"""The textbook cells: the fused fast cells agree with them, and their backward passes with finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.cells import gru_backward, gru_step, lstm_backward, lstm_step, rnn_backward, rnn_step
from rnnplay.runtime.inside import trace_ids
from rnnplay.runtime.recurrent import DirectionWeights, RecurrentLayer
from tests.runtime.networks import EVERY_SHAPE, POOLINGS, random_network

GATE_COUNT = {"lstm": 4, "gru": 3, "rnn": 1}


def fused_states(layer: RecurrentLayer, direction: int, x: np.ndarray) -> list[np.ndarray]:
    """One direction of a fused layer over ``x`` (T, features) in the text's order: h (and c), text order."""
    one_way = layer.one_way(direction)
    reading = x if direction == 0 else x[::-1]
    projected = one_way.interleave([one_way.project(reading.astype(np.float32))[:, None, :]])
    _, states = one_way.run_states(projected, np.array([len(x)]), record="states")
    assert states is not None
    return [s[:, 0] if direction == 0 else s[::-1, 0] for s in states]


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
def test_the_fused_cells_compute_what_the_textbook_cells_do(cell, bidirectional, layers, pooling):
    network = random_network(cell, bidirectional, layers, seed=3, pooling=pooling)
    ids = np.random.default_rng(4).integers(1, 30, size=11)
    recorded = trace_ids(network, ids)
    assert recorded.logit == pytest.approx(float(network.logits([ids])[0]), abs=1e-5)
    for depth, layer in enumerate(network.layers):
        for direction in range(layer.directions):
            step = recorded.at(depth, direction)
            states = fused_states(layer, direction, step.x)
            np.testing.assert_allclose(step.h, states[0], atol=1e-5)
            if cell == "lstm":
                np.testing.assert_allclose(step.gates["cell"], states[1], atol=1e-5)
        if depth + 1 < layers:  # the next layer reads this one's states, forward half first
            np.testing.assert_allclose(recorded.at(depth + 1, 0).x, np.hstack([d.h for d in recorded.layers[depth]]))


@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
def test_each_words_gates_and_previous_state_are_the_ones_that_made_its_state(cell, bidirectional, layers):
    """In the text's order, for either direction: h(t) follows from h_prev(t) and the gates of word t."""
    network = random_network(cell, bidirectional, layers, seed=5)
    recorded = trace_ids(network, np.random.default_rng(6).integers(1, 30, size=9))
    for layer in recorded.layers:
        for step in layer:
            g = step.gates
            if cell == "lstm":
                c_prev = np.vstack([np.zeros((1, step.units)), g["cell"][:-1]]) if step.direction == 0 else \
                    np.vstack([g["cell"][1:], np.zeros((1, step.units))])
                np.testing.assert_allclose(g["cell"], g["forget"] * c_prev + g["input"] * g["candidate"], atol=1e-12)
                np.testing.assert_allclose(step.h, g["output"] * np.tanh(g["cell"]), atol=1e-12)
            elif cell == "gru":
                np.testing.assert_allclose(step.h, g["update"] * step.h_prev + (1 - g["update"]) * g["candidate"], atol=1e-12)
            else:
                np.testing.assert_allclose(step.h, np.tanh(g["preactivation"]), atol=1e-12)
            following = step.h[:-1] if step.direction == 0 else step.h[1:]
            np.testing.assert_array_equal(step.h_prev[1:] if step.direction == 0 else step.h_prev[:-1], following)
            assert not step.h_prev[0 if step.direction == 0 else -1].any()  # each direction starts from zeros


def random_weights(cell: str, rng: np.random.Generator, inputs: int = 4, units: int = 3) -> DirectionWeights:
    width = GATE_COUNT[cell] * units
    bias = rng.normal(size=(2, width)) if cell == "gru" else rng.normal(size=width)
    return DirectionWeights(rng.normal(size=(inputs, width)), rng.normal(size=(units, width)), bias)


def numerical_gradient(loss, point: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        up, down = point.copy(), point.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (loss(up) - loss(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_each_cells_backward_pass_matches_finite_differences(cell):
    rng = np.random.default_rng({"lstm": 1, "gru": 2, "rnn": 3}[cell])
    w = random_weights(cell, rng)
    x, h, c = rng.normal(size=(2, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    weigh_h, weigh_c = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))  # L = Σ weigh_h·h(t) + Σ weigh_c·c(t)

    def loss(x_: np.ndarray, h_: np.ndarray, c_: np.ndarray) -> float:
        if cell == "lstm":
            step = lstm_step(w, x_, h_, c_)
            return float((weigh_h * step.h).sum() + (weigh_c * step.c).sum())
        return float((weigh_h * (gru_step(w, x_, h_) if cell == "gru" else rnn_step(w, x_, h_)).h).sum())

    if cell == "lstm":
        dx, dh, dc = lstm_backward(w, x, h, c, lstm_step(w, x, h, c), weigh_h, weigh_c)
        np.testing.assert_allclose(dc, numerical_gradient(lambda v: loss(x, h, v), c), atol=1e-7)
    elif cell == "gru":
        dx, dh = gru_backward(w, x, h, gru_step(w, x, h), weigh_h)
    else:
        dx, dh = rnn_backward(w, rnn_step(w, x, h), weigh_h)
    np.testing.assert_allclose(dx, numerical_gradient(lambda v: loss(v, h, c), x), atol=1e-7)
    np.testing.assert_allclose(dh, numerical_gradient(lambda v: loss(x, v, c), h), atol=1e-7)


def test_the_textbook_gates_follow_keras_layouts():
    """Keras' LSTM kernel columns are [i, f, c, o]: a bias that opens only the forget block must show as the forget gate."""
    units = 2
    bias = np.zeros(4 * units)
    bias[units : 2 * units] = 30.0  # the forget block
    w = DirectionWeights(np.zeros((1, 4 * units)), np.zeros((units, 4 * units)), bias)
    step = lstm_step(w, np.zeros((1, 1)), np.zeros((1, units)), np.ones((1, units)))
    np.testing.assert_allclose(step.forget, 1.0, atol=1e-12)
    np.testing.assert_allclose(step.input, 0.5)  # each its own call: `a and b` would skip b, a returns None
    np.testing.assert_allclose(step.output, 0.5)
    gru_bias = np.zeros((2, 3 * units))
    gru_bias[0, :units] = 30.0  # GRU columns are [z, r, h]: the update block
    gru = gru_step(DirectionWeights(np.zeros((1, 3 * units)), np.zeros((units, 3 * units)), gru_bias), np.zeros((1, 1)), np.full((1, units), 0.7))
    np.testing.assert_allclose(gru.update, 1.0, atol=1e-12)
    np.testing.assert_allclose(gru.h, 0.7, atol=1e-12)  # an update gate of 1 keeps the old state
