"""Backpropagation through time by hand, against finite differences and TensorFlow's GradientTape,
for every cell × direction × depth."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.classifier import Network
from rnnplay.runtime.inside import trace_ids
from rnnplay.runtime.through_time import connectivity, connectivity_batch
from tests.runtime.networks import EVERY_SHAPE, POOLINGS, RELU_HEAD, random_network


def logit_of_rows(network: Network, rows: np.ndarray) -> float:
    """The logit when the first layer reads ``rows`` (T, embedding_dim) as its words' embeddings."""
    standalone = Network(np.vstack([np.zeros((1, rows.shape[1])), rows]), network.layers, network.head, network.output, network.pooling)
    return trace_ids(standalone, np.arange(1, len(rows) + 1)).logit


def finite_differences(network: Network, ids: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    rows = network.embedding[ids].astype(np.float64)
    grad = np.zeros_like(rows)
    for index in np.ndindex(rows.shape):
        up, down = rows.copy(), rows.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (logit_of_rows(network, up) - logit_of_rows(network, down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
@pytest.mark.parametrize("head,output", [(RELU_HEAD, "logit"), ([{"units": 1, "activation": "sigmoid"}], "probability")])
def test_the_gradient_matches_finite_differences(cell, bidirectional, layers, head, output, pooling):
    network = random_network(cell, bidirectional, layers, seed=11, head=head, output=output, pooling=pooling)
    ids = np.random.default_rng(12).integers(1, 30, size=7)
    found = connectivity(network, trace_ids(network, ids))
    np.testing.assert_allclose(found.gradient, finite_differences(network, ids), atol=1e-7)
    np.testing.assert_allclose(found.by_direction.sum(axis=0), found.gradient)
    assert found.by_direction.shape == (2 if bidirectional else 1, 7, 6)


def test_a_probability_head_without_sigmoid_is_differentiated_through_its_logit():
    """output "probability" with a tanh-free squashing head: logit = log p − log(1 − p) of the head's output."""
    head = [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]
    network = random_network("gru", True, 1, seed=2, head=head, output="probability")
    network.head[-1] = type(network.head[-1])(network.head[-1].kernel, network.head[-1].bias, "tanh")  # squashes, not a sigmoid
    network.head[-1].bias[:] = 0.5  # keep the "probability" inside (0, 1)
    ids = np.array([3, 9, 4, 4, 20])
    found = connectivity(network, trace_ids(network, ids))
    np.testing.assert_allclose(found.gradient, finite_differences(network, ids), atol=1e-6)


def test_many_texts_at_once_equal_one_at_a_time():
    network = random_network("lstm", True, 2, seed=1, head=RELU_HEAD)
    rng = np.random.default_rng(2)
    sequences = [rng.integers(1, 30, size=n) for n in (5, 8, 5, 0, 8, 1)]
    together = connectivity_batch(network, sequences, batch_size=2)
    for ids, batched in zip(sequences, together):
        alone = connectivity(network, trace_ids(network, ids))
        np.testing.assert_allclose(batched.by_direction, alone.by_direction, atol=1e-12)


def test_first_half_shares_and_the_empty_text():
    network = random_network("rnn", True, 1)
    empty = connectivity(network, trace_ids(network, np.zeros(0, dtype=np.int64)))
    assert empty.gradient.shape == (0, 6) and np.isnan(empty.first_half_share())
    found = connectivity(network, trace_ids(network, np.array([1, 2, 3, 4, 5])))
    norms = found.norms[1]
    assert found.first_half_share(1) == pytest.approx(norms[:2].sum() / norms.sum())
    assert found.first_half_share() == pytest.approx(found.total[:2].sum() / found.total.sum())


def test_a_forward_direction_reaches_back_and_a_backward_one_reaches_ahead():
    """Causality, on a bidirectional layer whose forward half alone feeds the head: the logit depends on every
    word through the forward direction and on none through the backward one (its final state is unread)."""
    network = random_network("lstm", True, 1, seed=4)
    network.head[0].kernel[5:] = 0.0  # the head's weights on the backward half's 5 units
    found = connectivity(network, trace_ids(network, np.array([5, 6, 7, 8])))
    assert (found.norms[0] > 1e-6).all()
    assert not found.by_direction[1].any()  # were the directions' parts swapped, this would fail


# --- TensorFlow's own gradient, as the independent reference ------------------------------------------------


def keras_network(cell: str, bidirectional: bool, layers: int, pooling: str = "last"):
    from rnnplay.config import ClassifierConfig
    from rnnplay.training import keras_model, tensorflow_modules

    _, keras = tensorflow_modules()
    keras.utils.set_random_seed(9)
    config = ClassifierConfig(cell=cell, bidirectional=bidirectional, layers=layers, units=6, embedding_dim=5, dense_units=4, dropout=0.0,
                              pooling=pooling)
    model = keras_model.build(config, vocab_size=30)
    model.set_weights([w * 1.5 + 0.1 for w in model.get_weights()])  # larger than Keras' initialisers: every non-linearity works
    architecture, arrays, _ = keras_model.to_arrays(model)
    return model, Network.from_arrays(architecture, arrays)


def tape_gradients(model, rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """∂logit/∂x(t) by GradientTape: whole, and split by the first layer's direction (each direction fed its own copy)."""
    import tensorflow as tf

    first, rest = model.layers[1], model.layers[2:]
    x = tf.Variable(rows[None].astype(np.float32))
    copies = [tf.Variable(rows[None].astype(np.float32)) for _ in range(2)]
    with tf.GradientTape(persistent=True) as tape:
        whole = x
        for layer in model.layers[1:]:
            whole = layer(whole)
        if hasattr(first, "forward_layer"):
            forward, backward = first.forward_layer(copies[0]), first.backward_layer(copies[1])
            if first.return_sequences:  # (also for one layer that pools) back into the text's order
                backward = tf.reverse(backward, axis=[1])
            split = tf.concat([forward, backward], axis=-1)
            for layer in rest:
                split = layer(split)
        else:
            split = whole
        whole_logit, split_logit = whole[0, 0], split[0, 0]  # inside the tape: slicing is an operation too
    total = tape.gradient(whole_logit, x).numpy()[0]
    parts = [tape.gradient(split_logit, c).numpy()[0] for c in copies] if hasattr(first, "forward_layer") else [total]
    return total, parts


@pytest.mark.tensorflow
@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
def test_the_gradient_matches_tensorflows_gradient_tape(cell, bidirectional, layers, pooling):
    """Through the pooling too: a max passes the gradient to the word where each unit peaked, a mean to all."""
    model, network = keras_network(cell, bidirectional, layers, pooling)
    ids = np.random.default_rng(3).integers(1, 30, size=12)
    total, parts = tape_gradients(model, network.embedding[ids])
    found = connectivity(network, trace_ids(network, ids))
    scale = max(1.0, float(np.abs(total).max()))  # TensorFlow sums in float32: 1e-5 of the gradient's size
    assert np.abs(total).max() > 1e-3  # not vanished, or any gradient would pass
    np.testing.assert_allclose(found.gradient, total, rtol=0, atol=1e-5 * scale)
    for direction, part in enumerate(parts):
        np.testing.assert_allclose(found.by_direction[direction], part, rtol=0, atol=1e-5 * scale)


@pytest.mark.tensorflow
@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
def test_the_numpy_runtime_matches_keras_on_padded_batches(cell, bidirectional, layers, pooling):
    """Forward parity within 1e-4, texts of several lengths padded in one batch (the mask must hold the
    padding out of the max and the mean), for every cell × direction × depth × pooling."""
    model, network = keras_network(cell, bidirectional, layers, pooling)
    rng = np.random.default_rng(5)
    sequences = [rng.integers(1, 30, size=n) for n in (13, 9, 9, 4, 1)]
    ids = np.zeros((len(sequences), 13), dtype=np.int32)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = seq
    keras_logits = model(ids, training=False).numpy()[:, 0]
    assert np.ptp(keras_logits) > 1e-3  # texts tell apart: a network that outputs one number would pass anything
    np.testing.assert_allclose(network.logits(sequences), keras_logits, rtol=0, atol=1e-4)
