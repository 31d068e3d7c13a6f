"""One text through every recurrent layer and direction, with every gate of every step recorded.

This is what the Inside views show: for each word, the input x(t) the cell read, the state h(t−1) it
started from, what each gate decided and the state h(t) it left. It runs the textbook cells of
``cells`` (in float64, so the figures are the model's and not rounding), not the fused ones the
classifier uses; the tests check the two agree. A backward direction reads the text from its end, so
its h(t−1) is the state after word t + 1; everything here is given in the text's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from rnnplay.runtime.cells import GruStep, LstmStep, RnnStep, gru_step, lstm_step, rnn_step
from rnnplay.runtime.classifier import Classifier, Network, sigmoid
from rnnplay.runtime.recurrent import DirectionWeights

GATES_SHOWN: dict[str, tuple[str, ...]] = {
    "lstm": ("input", "forget", "output", "candidate", "cell"),
    "gru": ("update", "reset", "candidate"),
    "rnn": ("preactivation",),
}
MEMORY_GATE = {"lstm": "forget", "gru": "update"}  # the gate that decides how much of the past is kept
DIRECTION_NAMES = ("forward", "backward")


@dataclass(frozen=True)
class LayerRun:
    """One layer run over a batch of texts of one length, its directions stepped together.

    Direction d's arrays are in its own reading order (the backward direction's step 0 is the last word).
    Kept for the backward pass (``through_time``): the inputs and every step as the cells returned them.
    """

    cell: str
    weights: DirectionWeights  # every direction's, stacked on a first axis, in float64 (see ``cells``)
    x: np.ndarray  # (T, D, batch, input_dim), each direction's reading order
    steps: list[Any]  # LstmStep / GruStep / RnnStep of (D, batch, units) arrays, one per step

    @property
    def directions(self) -> int:
        return self.x.shape[1]

    def state(self, index: int, part: str = "h") -> np.ndarray:
        """h (or c) after reading step ``index``; before the first step, zeros."""
        if index < 0:
            return np.zeros(self.x.shape[1:3] + (self.weights.recurrent_kernel.shape[1],))
        return getattr(self.steps[index], part)

    def text_order(self, array: np.ndarray) -> np.ndarray:
        """(T, D, ...) arrays in each direction's reading order to the text's order (the backward one flipped)."""
        result = array.copy()
        if self.directions == 2:
            result[:, 1] = array[::-1, 1]
        return result


@dataclass(frozen=True)
class DirectionTrace:
    """One direction of one layer on one text, every array in the text's order, one row per word."""

    cell: str  # "lstm" | "gru" | "rnn"
    layer: int  # 0 is the layer reading the embeddings
    direction: int  # 0 forward, 1 backward (reads the text from its end)
    x: np.ndarray  # (T, input_dim): the input at each word
    h_prev: np.ndarray  # (T, units): the state before the cell read the word (backward: after word t + 1)
    gates: dict[str, np.ndarray]  # GATES_SHOWN[cell] -> (T, units)
    h: np.ndarray  # (T, units): the state after the word

    @property
    def name(self) -> str:
        """"forward", "backward", or with the layer when it is not the first: "layer 2 backward"."""
        return DIRECTION_NAMES[self.direction] if self.layer == 0 else f"layer {self.layer + 1} {DIRECTION_NAMES[self.direction]}"

    @property
    def units(self) -> int:
        return self.h.shape[1]


@dataclass(frozen=True)
class Trace:
    """A text as the classifier reads it, every layer, direction and gate recorded."""

    tokens: list[str]
    ids: np.ndarray  # (T,) token ids
    dropped: int  # tokens cut off by the model's max_length
    layers: tuple[tuple[DirectionTrace, ...], ...]  # [layer][direction]
    features: np.ndarray  # (width,) the head's input: the last layer's final states (or pooled states), forward first
    logit: float
    runs: tuple[LayerRun, ...] = field(default=(), repr=False, compare=False)  # for the backward pass

    @property
    def probability(self) -> float:
        return float(sigmoid(np.array(self.logit)))

    @property
    def words(self) -> int:
        return len(self.ids)

    @property
    def directions(self) -> int:
        return len(self.layers[0])

    @property
    def cell(self) -> str:
        return self.layers[0][0].cell

    def at(self, layer: int, direction: int) -> DirectionTrace:
        return self.layers[layer][direction]


def stacked(cell: str, directions: Sequence[DirectionWeights]) -> DirectionWeights:
    """The directions' weights in float64, stacked on a first axis so that one call of a cell steps them all."""
    kernel = np.stack([np.asarray(w.kernel, dtype=np.float64) for w in directions])
    recurrent = np.stack([np.asarray(w.recurrent_kernel, dtype=np.float64) for w in directions])
    gates = kernel.shape[-1]
    if cell == "gru":
        bias = np.stack([np.asarray(w.bias, dtype=np.float64).reshape(2, 1, gates) for w in directions], axis=1)  # (2, D, 1, G)
    else:
        bias = np.stack([np.asarray(w.bias, dtype=np.float64).reshape(-1, gates).sum(axis=0, keepdims=True) for w in directions])
    return DirectionWeights(kernel, recurrent, bias)


def run_layer(cell: str, weights: DirectionWeights, x: np.ndarray) -> LayerRun:
    """Step every direction through ``x`` (T, batch, input_dim), given in the text's order."""
    reading = np.stack([x, x[::-1]][: weights.kernel.shape[0]], axis=1)  # (T, D, batch, input_dim)
    h = np.zeros(reading.shape[1:3] + (weights.recurrent_kernel.shape[1],))
    c = np.zeros_like(h)
    steps: list[Any] = []
    step: LstmStep | GruStep | RnnStep
    for x_t in reading:
        if cell == "lstm":
            step = lstm_step(weights, x_t, h, c)
            c = step.c
        elif cell == "gru":
            step = gru_step(weights, x_t, h)
        else:
            step = rnn_step(weights, x_t, h)
        h = step.h
        steps.append(step)
    return LayerRun(cell, weights, reading, steps)


def run_layers(network: Network, ids: np.ndarray) -> list[LayerRun]:
    """Every layer over a batch of texts of one length, ``ids`` (batch, T), T ≥ 1."""
    x = network.embedding[ids.T].astype(np.float64)  # (T, batch, embedding_dim)
    runs: list[LayerRun] = []
    for layer in network.layers:
        run = run_layer(layer.cell, stacked(layer.cell, layer.weights), x)
        runs.append(run)
        x = layer_outputs(run)  # what the next layer reads: forward half first
    return runs


def layer_outputs(run: LayerRun) -> np.ndarray:
    """A layer's state at every word, (T, batch, D * units) in the text's order, forward half first."""
    states = run.text_order(np.stack([s.h for s in run.steps]))  # (T, D, batch, units)
    return np.concatenate(list(states.transpose(1, 0, 2, 3)), axis=-1)


def final_features(run: LayerRun, pooling: str = "last") -> np.ndarray:
    """The last layer's output for the head: each direction's state after its last step, forward first, or
    with ``pooling`` the max or mean of its states over the words (a run's texts all have its length)."""
    if pooling == "last":
        return np.concatenate(list(run.steps[-1].h), axis=-1)
    outputs = layer_outputs(run)
    return outputs.max(axis=0) if pooling == "max" else outputs.mean(axis=0)


def trace_ids(network: Network, ids: np.ndarray, tokens: list[str] | None = None, dropped: int = 0) -> Trace:
    """Record one text (token ids, already encoded and truncated) through every layer."""
    ids = np.asarray(ids, dtype=np.int64)
    tokens = list(tokens) if tokens is not None else [str(i) for i in ids]
    if len(ids) == 0:
        return _empty_trace(network, tokens, dropped)
    runs = run_layers(network, ids[None, :])
    layers = tuple(_direction_traces(run, index) for index, run in enumerate(runs))
    features = final_features(runs[-1], network.pooling)[0]
    logit = float(network.head_logit(features[None, :])[0])  # in float64, as the states
    return Trace(tokens, ids, dropped, layers, features, logit, tuple(runs))


def trace(classifier: Classifier, text: str) -> Trace:
    """Record ``text`` as the classifier reads it: standardized, tokenized and truncated as ``explain`` does."""
    encoder = classifier.encoder
    all_tokens = encoder.settings.tokens(text)
    tokens = encoder.truncate(all_tokens)
    return trace_ids(classifier.network, encoder.ids(tokens), tokens, len(all_tokens) - len(tokens))


FIELDS = {"lstm": {"input": "input", "forget": "forget", "output": "output", "candidate": "candidate", "cell": "c"},
          "gru": {"update": "update", "reset": "reset", "candidate": "candidate"},
          "rnn": {"preactivation": "preactivation"}}  # the gate shown -> the step's field


def _direction_traces(run: LayerRun, layer: int) -> tuple[DirectionTrace, ...]:
    """Each direction's record of text row 0, in the text's order; every array is stacked once for all directions."""
    def text_order(field: str) -> np.ndarray:  # (T, D, units)
        return run.text_order(np.stack([getattr(step, field)[:, 0] for step in run.steps]))

    reading_h = np.stack([step.h[:, 0] for step in run.steps])
    h_prev = run.text_order(np.concatenate([np.zeros_like(reading_h[:1]), reading_h[:-1]]))  # the state each step started from
    h, x = run.text_order(reading_h), run.text_order(run.x[:, :, 0])
    gates = {name: text_order(field) for name, field in FIELDS[run.cell].items()}
    return tuple(DirectionTrace(run.cell, layer, d, x[:, d], h_prev[:, d], {name: g[:, d] for name, g in gates.items()}, h[:, d])
                 for d in range(run.directions))


def _empty_trace(network: Network, tokens: list[str], dropped: int) -> Trace:
    """Nothing to read: every array has no rows, the head sees zero states (what Keras gives an all-masked text)."""
    layers = []
    width = network.embedding.shape[1]
    for index, layer in enumerate(network.layers):
        units = layer.units
        empty = np.zeros((0, units))
        layers.append(tuple(DirectionTrace(layer.cell, index, d, np.zeros((0, width)), empty, dict.fromkeys(GATES_SHOWN[layer.cell], empty), empty)
                            for d in range(layer.directions)))
        width = layer.output_dim
    features = np.zeros(network.layers[-1].output_dim)
    logit = float(network.head_logit(features[None, :])[0])  # in float64, as the states
    return Trace(tokens, np.zeros(0, dtype=np.int64), dropped, tuple(layers), features, logit)

