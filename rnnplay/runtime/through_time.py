"""Backpropagation through time, by hand: how much the logit depends on each word's embedding.

The *connectivity* of word t (Distill's "Visualizing memorization in RNNs") is ‖∂logit/∂x(t)‖₂, the
gradient of the output logit with respect to the embedding row the first layer read at t. It is found
the way training finds gradients: from the logit back through the Dense head, then back through time
step by step with each cell's backward pass (``cells.lstm_backward`` and its siblings), layer by layer
down to the embeddings. No autodiff library runs here; the tests check the result against TensorFlow's
``GradientTape`` and finite differences for every cell, direction and depth.

A model that pools its last layer's states (``Network.pooling``) is differentiated through the pooling: a
mean passes 1/T of the head's gradient to the state at every word, a max passes it all to the word where
each unit peaked; from there it flows back through time as usual. Such a word reaches the head in one
step, which is the point of pooling: an early word need not survive to the end.

For a bidirectional model the gradient is split by the first layer's direction it flows through: the
forward half can only carry a word's influence forward to the end of the text, the backward half back
to its start, and the two parts add up to the whole gradient.

A small gradient is not a small influence: a memory latched firmly (a forget gate near 1) passes little
gradient, since nudging the word barely moves the state, while removing the word changes everything
(Bengio et al. 1994). The Inside view shows connectivity beside the leave-one-out shares for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from rnnplay.runtime.cells import gru_backward, lstm_backward, rnn_backward
from rnnplay.runtime.classifier import ACTIVATIONS, PROBABILITY_FLOOR, Network
from rnnplay.runtime.inside import LayerRun, Trace, final_features, layer_outputs, run_layer, run_layers, stacked
from rnnplay.runtime.recurrent import DirectionWeights


@dataclass(frozen=True)
class Connectivity:
    """∂logit/∂x(t) for each word of one text, whole and per direction of the first layer."""

    gradient: np.ndarray  # (T, input_dim): ∂logit/∂x(t), x(t) the word's embedding row
    by_direction: np.ndarray  # (D, T, input_dim): the part through layer 0's forward / backward direction

    @property
    def norms(self) -> np.ndarray:
        """(D, T): ‖the part of the gradient through each direction‖₂."""
        return np.linalg.norm(self.by_direction, axis=-1)

    @property
    def total(self) -> np.ndarray:
        """(T,): ‖∂logit/∂x(t)‖₂."""
        return np.linalg.norm(self.gradient, axis=-1)

    def first_half_share(self, direction: int | None = None) -> float:
        """The share of the norms (one direction's, or the whole gradient's) on words [0, T // 2).

        A forward direction that forgets gives its first half little; a backward one, much. NaN under 2 words.
        """
        norms = self.total if direction is None else self.norms[direction]
        if len(norms) < 2 or not norms.sum() > 0:
            return float("nan")
        return float(norms[: len(norms) // 2].sum() / norms.sum())


def connectivity(network: Network, trace: Trace) -> Connectivity:
    """The gradient of ``trace``'s logit with respect to each of its words' embeddings."""
    if trace.words == 0:
        directions = network.layers[0].directions
        width = network.embedding.shape[1]
        return Connectivity(np.zeros((0, width)), np.zeros((directions, 0, width)))
    runs = list(trace.runs) or run_layers(network, trace.ids[None, :])
    by_direction = backward(network, runs)[:, :, 0]
    return Connectivity(by_direction.sum(axis=0), by_direction)


def connectivity_batch(network: Network, sequences: Sequence[np.ndarray], batch_size: int = 64) -> list[Connectivity]:
    """``connectivity`` for many id sequences; those of one length run together, a batch at a time."""
    result: list[Connectivity | None] = [None] * len(sequences)
    by_length: dict[int, list[int]] = {}
    for index, ids in enumerate(sequences):
        by_length.setdefault(len(ids), []).append(index)
    for length, indices in by_length.items():
        for start in range(0, len(indices), batch_size):
            chunk = indices[start : start + batch_size]
            if length == 0:
                for index in chunk:
                    result[index] = connectivity(network, _empty(network))
                continue
            runs = run_layers(network, np.stack([np.asarray(sequences[i], dtype=np.int64) for i in chunk]))
            by_direction = backward(network, runs)
            for row, index in enumerate(chunk):
                part = by_direction[:, :, row]
                result[index] = Connectivity(part.sum(axis=0), part)
    return [c for c in result if c is not None]


def _empty(network: Network) -> Trace:
    from rnnplay.runtime.inside import trace_ids

    return trace_ids(network, np.zeros(0, dtype=np.int64))


def backward(network: Network, runs: list[LayerRun]) -> np.ndarray:
    """∂logit/∂x(t) split by the first layer's direction: (D, T, batch, input_dim), in the text's order."""
    d_features = head_backward(network, final_features(runs[-1], network.pooling))  # (batch, D * units)
    # ∂logit/∂(this layer's output sequence), text order (T, batch, width); with pooling, the head reads
    # every state of the last layer, so its gradient reaches them all through the pooling.
    d_output = pooling_backward(runs[-1], network.pooling, d_features) if network.pooled else None
    for depth in range(len(runs) - 1, -1, -1):
        run = runs[depth]
        steps, directions, batch, units = len(run.steps), run.directions, run.x.shape[2], run.state(0).shape[-1]
        if d_output is None:  # the last layer: only each direction's final state reaches the head
            from_above = np.zeros((steps, directions, batch, units))
            from_above[-1] = d_features.reshape(batch, directions, units).transpose(1, 0, 2)
        else:  # every state reaches the next layer; reading order for each direction
            from_above = run.text_order(d_output.reshape(steps, batch, directions, units).transpose(0, 2, 1, 3))
        d_x = run.text_order(backward_layer(run, from_above))  # (T, D, batch, input_dim)
        if depth == 0:
            return d_x.transpose(1, 0, 2, 3)
        d_output = d_x.sum(axis=1)  # the layer below feeds both directions: their parts add up
    raise ValueError("a network has at least one recurrent layer")


def pooling_backward(run: LayerRun, pooling: str, d_features: np.ndarray) -> np.ndarray:
    """∂logit/∂(the last layer's state at every word) (T, batch, width), from ∂logit/∂(pooled features):
    a mean passes 1/T of it to every word; a max passes all of it to the word where each unit peaked."""
    outputs = layer_outputs(run)
    if pooling == "mean":
        return np.broadcast_to(d_features / len(outputs), outputs.shape).copy()
    d_output = np.zeros_like(outputs)
    peak = outputs.argmax(axis=0)  # (batch, width)
    batch, width = np.indices(peak.shape)
    d_output[peak, batch, width] = d_features
    return d_output


def backward_layer(run: LayerRun, from_above: np.ndarray) -> np.ndarray:
    """Back through one layer's steps, last to first, every direction at once: ``from_above`` (T, D, batch,
    units) is what reaches each h(t) from outside (the head or the next layer), in reading order; returns
    ∂/∂x(t), in reading order."""
    w = run.weights
    dh = np.zeros(from_above.shape[1:])
    dc = np.zeros_like(dh)
    dx = np.empty(run.x.shape)
    for s in range(len(run.steps) - 1, -1, -1):
        dh = dh + from_above[s]  # what h(s) owes the output directly, plus what it owes the steps after it
        step, x, h = run.steps[s], run.x[s], run.state(s - 1)
        if run.cell == "lstm":
            dx[s], dh, dc = lstm_backward(w, x, h, run.state(s - 1, "c"), step, dh, dc)
        elif run.cell == "gru":
            dx[s], dh = gru_backward(w, x, h, step, dh)
        else:
            dx[s], dh = rnn_backward(w, step, dh)
    return dx


DERIVATIVES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "linear": lambda a, y: np.ones_like(a),
    "relu": lambda a, y: (a > 0).astype(a.dtype),
    "tanh": lambda a, y: 1.0 - y**2,
    "sigmoid": lambda a, y: y * (1.0 - y),
}
assert set(DERIVATIVES) == set(ACTIVATIONS), "every activation the head may have is differentiated"


def head_backward(network: Network, features: np.ndarray) -> np.ndarray:
    """∂logit/∂features (batch, width), for the logit ``Network.head_logit`` defines."""
    pre, post = [], []
    x = features
    for dense in network.head:
        a = x @ dense.kernel.astype(np.float64) + dense.bias
        x = ACTIVATIONS[dense.activation](a)
        pre.append(a)
        post.append(x)
    last = network.head[-1]
    if network.output == "probability" and last.activation == "sigmoid":
        grad = np.ones_like(pre[-1])  # the logit is the sigmoid's input
    else:
        grad = DERIVATIVES[last.activation](pre[-1], post[-1])
        if network.output == "probability":  # logit = log p − log(1 − p), p kept off 0 and 1
            p = post[-1]
            inside = (p > PROBABILITY_FLOOR) & (p < 1.0 - PROBABILITY_FLOOR)
            grad = np.where(inside, grad / np.where(inside, p * (1.0 - p), 1.0), 0.0)
    for index in range(len(network.head) - 1, -1, -1):
        grad = grad @ network.head[index].kernel.T.astype(np.float64)
        if index > 0:
            grad = grad * DERIVATIVES[network.head[index - 1].activation](pre[index - 1], post[index - 1])
    return grad


def state_gradient(cell: str, directions: Sequence[DirectionWeights], x: np.ndarray) -> np.ndarray:
    """‖∂h(T)/∂x(t)‖ (Frobenius) for one layer over inputs ``x`` (batch, T, input_dim), by distance.

    Returns (D, batch, T): entry k is the norm of the Jacobian of a direction's *final* state with respect
    to the input it read k steps before its last one (k = 0 is the last input it read; for a backward
    direction that is the text's first word). The Jacobian's rows are found with one backward pass per unit
    (``backward_layer``, the same BPTT as ``connectivity``): the batch is repeated once per unit and each
    copy is seeded with that unit's ∂h(T)/∂h(T) = e_u. No head is involved, so it measures the cell alone.
    """
    x = np.asarray(x, dtype=np.float64)
    batch, steps, width = x.shape
    weights = stacked(cell, directions)
    units = weights.recurrent_kernel.shape[1]
    repeated = np.repeat(x, units, axis=0)  # row b * units + u is example b, seeded at unit u
    run = run_layer(cell, weights, repeated.transpose(1, 0, 2))
    seeds = np.zeros((steps, run.directions, batch * units, units))
    seeds[-1, :, np.arange(batch * units), np.tile(np.arange(units), batch)] = 1.0
    d_x = backward_layer(run, seeds)  # (T, D, batch * units, width), each direction's reading order
    jacobians = d_x.reshape(steps, run.directions, batch, units, width)
    norms = np.sqrt((jacobians**2).sum(axis=(3, 4)))  # (T, D, batch), reading order
    return norms[::-1].transpose(1, 2, 0)  # distance 0 first
