"""Load a saved classifier and run it with NumPy: Embedding → recurrent stack → pooling → Dense head → probability.

The head reads the last layer's final state (``pooling="last"``), or the maximum or mean of its states
over the words of the text (``"max"``, ``"mean"``), padding left out as Keras' mask leaves it out.

Inputs are sorted by length and cut into batches of similar lengths, so almost no padding is ever
computed (the recurrent layers skip what padding is left, see ``recurrent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from rnnplay import card as cards
from rnnplay.card import ClassifierArchitecture
from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.runtime.recurrent import DirectionWeights, RecurrentLayer
from rnnplay.store import StoredModel, load_model
from rnnplay.text import Encoder

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),
}
PROBABILITY_FLOOR = 1e-12  # a probability head's output is kept this far from 0 and 1 to take its logit
assert set(ACTIVATIONS) == set(cards.ACTIVATIONS), "the runtime runs every activation a card may name"


@dataclass(frozen=True)
class Dense:
    kernel: np.ndarray
    bias: np.ndarray
    activation: str

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ACTIVATIONS[self.activation](x @ self.kernel + self.bias)


POOLINGS = cards.POOLINGS  # last: the final state; max, mean: over the words


class Pooling:
    """Max or mean over a layer's states, as a reduction that can be done in parts (max, or a sum then a division
    by the count): one mechanism for the forward pass (``pool``), streaming (``running_pool``) and explain,
    which combines the reduced states of a text's two sides without re-running them."""

    def __init__(self, pooling: str) -> None:
        if pooling not in ("max", "mean"):
            raise ValueError(f"unknown pooling {pooling!r}")
        self.max = pooling == "max"
        self.empty = -np.inf if self.max else 0.0  # the reduction of no state

    def reduced(self, states: np.ndarray, lengths: np.ndarray, axis: int) -> np.ndarray:
        """Each row's reduction over its first ``lengths[r]`` steps along ``axis`` (1 for (batch, time, width),
        0 for a (time, batch, width) record); padding is left out."""
        steps = np.arange(states.shape[axis]).reshape((1, -1, 1) if axis == 1 else (-1, 1, 1))
        valid = steps < (lengths[:, None, None] if axis == 1 else lengths[None, :, None])
        if self.max:
            return np.where(valid, states, -np.inf).max(axis=axis, initial=-np.inf)
        return np.where(valid, states, 0.0).sum(axis=axis, dtype=np.float64)

    def cumulative(self, states: np.ndarray) -> np.ndarray:
        """(n + 1, width): the reduction of states[:k] for k = 0 … n (row 0 is the empty one)."""
        running = np.maximum.accumulate(states, axis=0) if self.max else np.cumsum(states, axis=0, dtype=np.float64)
        return np.concatenate([np.full((1, states.shape[1]), self.empty), running])

    def combine(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.maximum(a, b) if self.max else a + b

    def finish(self, reduced: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The head's input from reductions over ``counts`` states each (a row of no state gives zeros)."""
        if self.max:
            return np.where(counts[:, None] > 0, reduced, 0.0).astype(np.float32)
        return (reduced / np.maximum(counts, 1)[:, None]).astype(np.float32)


def pool(states: np.ndarray, lengths: np.ndarray, pooling: str) -> np.ndarray:
    """The head's input from every state of the last layer, (batch, time, width): the max or the mean over
    each row's first ``lengths`` steps (a row of no words gives zeros)."""
    reduction = Pooling(pooling)
    return reduction.finish(reduction.reduced(states, lengths, axis=1), lengths)


def running_pool(states: np.ndarray, pooling: str) -> np.ndarray:
    """``pool`` after each prefix of one text's states (n, width), in one pass: what a left-to-right model
    that pools can stream (a running max, a running mean); ``last`` gives the states themselves."""
    if pooling == "last" or len(states) == 0:
        return states
    reduction = Pooling(pooling)
    return reduction.finish(reduction.cumulative(states)[1:], np.arange(1, len(states) + 1))


class Network:
    """The forward pass on token ids."""

    def __init__(self, embedding: np.ndarray, layers: Sequence[RecurrentLayer], head: Sequence[Dense], output: str,
                 pooling: str = "last") -> None:
        if pooling not in POOLINGS:
            raise ValueError(f"unknown pooling {pooling!r}")
        self.embedding = embedding
        self.layers = list(layers)
        self.head = list(head)
        self.output = output  # "logit" or "probability"
        self.pooling = pooling  # what the head reads of the last layer: "last", "max" or "mean"
        if pooling != "last" and not self.layers[-1].return_sequences:
            raise ValueError("a pooling network's last layer returns its whole sequence")

    @property
    def pooled(self) -> bool:
        return self.pooling != "last"

    @classmethod
    def from_arrays(cls, architecture: ClassifierArchitecture | Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Network:
        """Build from a card's architecture and the arrays of ``weights.npz``, checking every shape.

        A plain mapping (tests, benchmarks) is checked as a card's ``architecture`` would be.
        """
        if not isinstance(architecture, ClassifierArchitecture):
            architecture = cards.parse_classifier(dict(architecture))
        for name, spec in architecture.arrays().items():
            if name not in arrays:
                raise ValueError(f"the weights have no {name} array")
            if tuple(arrays[name].shape) != spec.shape:
                raise ValueError(f"{name} has shape {tuple(arrays[name].shape)}; the architecture needs {spec.shape}")
        layers = []
        for index in range(architecture.layers):
            weights = [DirectionWeights(*(arrays[f"recurrent/{index}/{d}/{part}"] for part in ("kernel", "recurrent_kernel", "bias")))
                       for d in architecture.directions]
            last = index == architecture.layers - 1
            layers.append(RecurrentLayer(architecture.cell, weights, return_sequences=not last or architecture.pooling != "last"))  # type: ignore[arg-type]
        head = [Dense(arrays[f"dense/{index}/kernel"], arrays[f"dense/{index}/bias"], spec.activation)
                for index, spec in enumerate(architecture.head)]
        return cls(arrays["embedding"], layers, head, architecture.output, architecture.pooling)

    @classmethod
    def random(cls, architecture: ClassifierArchitecture | Mapping[str, Any], seed: int = 0, scale: float = 0.5) -> Network:
        """An untrained network of any shape a card can describe, weights drawn from N(0, scale²).

        Tests check the runtime's shortcuts against its own definitions on every architecture with it,
        and benchmarks time shapes that no saved model has.
        """
        if not isinstance(architecture, ClassifierArchitecture):
            architecture = cards.parse_classifier(dict(architecture))
        rng = np.random.default_rng(seed)
        arrays = {name: rng.normal(0.0, scale, spec.shape).astype(np.float32) for name, spec in architecture.arrays().items()}
        for index in range(len(architecture.head)):
            arrays[f"dense/{index}/bias"][:] = 0.0
        return cls.from_arrays(architecture, arrays)

    def probabilities(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """P(positive) for id sequences that arrive sorted by length, longest first."""
        return sigmoid(self.logits(sequences))

    def logits(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """log(P / (1 − P)) for id sequences sorted longest first: what explain's logit shares subtract."""
        return self.head_logit(self.features(sequences))

    def features(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """The head's input (batch, width) for id sequences sorted longest first: the last layer's final
        state, or its states pooled."""
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
        steps = int(lengths[0]) if len(lengths) else 0
        ids = np.zeros((len(sequences), max(steps, 1)), dtype=np.int64)
        for row, seq in enumerate(sequences):
            ids[row, : len(seq)] = seq
        return self.features_of_ids(ids, lengths)

    def features_of_ids(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """``features`` of padded ids (batch, time), rows sorted by ``lengths`` descending."""
        x = self.layers[0].on_tokens(ids, lengths, self.embedding)
        for layer in self.layers[1:]:
            x = layer(x, lengths)
        return pool(x, lengths, self.pooling) if self.pooled else x

    def head_probability(self, features: np.ndarray) -> np.ndarray:
        """P(positive) from the last recurrent layer's output (batch, width)."""
        return sigmoid(self.head_logit(features))

    def head_logit(self, features: np.ndarray) -> np.ndarray:
        """The logit from the last recurrent layer's output, in float64.

        A head that ends in a sigmoid gives the sigmoid's input, not the logit of its rounded float32
        output, so a confident text's logit keeps its precision.
        """
        x = features
        for dense in self.head[:-1]:
            x = dense(x)
        last = self.head[-1]
        if self.output == "probability" and last.activation == "sigmoid":
            return (x @ last.kernel + last.bias)[:, 0].astype(np.float64)
        score = last(x)[:, 0].astype(np.float64)
        if self.output == "logit":
            return score
        p = np.clip(score, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
        return np.log(p) - np.log1p(-p)


def sigmoid(logit: np.ndarray) -> np.ndarray:
    """P from a logit, in the form that neither overflows nor loses the tails."""
    return 0.5 * (1.0 + np.tanh(0.5 * logit))


def label(probability: float, threshold: float = 0.5) -> str:
    """The classifier's decision for P(positive): the verdict every front end prints."""
    return "positive" if probability >= threshold else "negative"


class Classifier:
    """A saved sentiment classifier, ready to predict on raw text."""

    def __init__(self, stored: StoredModel) -> None:
        card = stored.card
        architecture = card.classifier  # a vectors model is refused here, with its kind named
        try:
            self.encoder = Encoder(stored.vocabulary, card.text)
            self.network = Network.from_arrays(architecture, stored.arrays)
        except ValueError as error:
            raise RnnplayError(f"{stored.path} does not match its card: {error}") from None
        self.stored = stored
        self.name = stored.name
        self.card = card

    @classmethod
    def load(cls, path: Path) -> Classifier:
        return cls(load_model(path))

    @classmethod
    def in_memory(cls, path: Path, card: Mapping[str, Any], arrays: Mapping[str, np.ndarray], vocabulary: list[str],
                  where: str = "the trained model") -> Classifier:
        """A classifier not yet saved (training and import measure it before writing), checked as a loaded
        one is: a ``CardError`` for a shape out of bounds, an ``RnnplayError`` for weights that are not finite."""
        from rnnplay.store import check_arrays

        parsed = cards.parse(dict(card, format=cards.CARD_FORMAT))
        arrays = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        check_arrays(parsed, arrays, where)
        return cls(StoredModel(Path(path), parsed, arrays, list(vocabulary)))

    def predict_ids(self, sequences: Sequence[np.ndarray], batch_size: int = 256, progress: Callable[[int, int], None] | None = None,
                    should_stop: Callable[[], bool] = lambda: False, stopped: str = "stopped before every text was scored") -> np.ndarray:
        """P(positive) for each id sequence, in input order. Longest first, so each batch pads little;
        ``progress(done, total)`` after each batch, and ``should_stop()`` before each ends it with ``Cancelled(stopped)``
        (a worker whose view was closed)."""
        order = sorted(range(len(sequences)), key=lambda i: -len(sequences[i]))
        result = np.empty(len(sequences), dtype=np.float64)
        for start in range(0, len(order), batch_size):
            if should_stop():
                raise Cancelled(stopped)
            chunk = order[start : start + batch_size]
            result[chunk] = self.network.probabilities([sequences[i] for i in chunk])
            if progress is not None:
                progress(min(start + batch_size, len(order)), len(order))
        return result

    def predict(self, texts: Iterable[str], batch_size: int = 256) -> np.ndarray:
        return self.predict_ids([self.encoder.encode(t) for t in texts], batch_size)
