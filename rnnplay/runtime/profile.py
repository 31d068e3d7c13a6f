"""A classifier's corpus profile: the statistics behind the Inside tab's views 2–4, over held-out reviews.

Three questions, each answered over the model's own held-out reviews, so a user's text can be read
against what is usual for this model:

- **connectivity** (view 2): how much of ‖∂logit/∂x(t)‖ falls on the first half of a review, through
  each direction of layer 0 and through both together (``ConnectivityStats``);
- **memory span** (view 3): the values of the gate that decides what a state keeps (LSTM: forget;
  GRU: update, which in Keras' cell *keeps*: h = z·h(t−1) + (1 − z)·candidate), their distribution,
  how many are saturated, each unit's implied span τ = 1/(1 − mean gate) in words, and the same for a
  network of the same shape at Keras' default initialisation (``GateStats``; None for a SimpleRNN,
  which has no gate);
- **sentiment axis** (view 4): the principal components of the final state (the head's input), how
  much variance each explains, how PC1 correlates with the logit, a cloud of reviews in the PC1–PC2
  plane and the head's readout direction in that plane (``AxisStats``); ``text_path`` puts a user's
  text on that plane, one point per word.

NumPy only (the runtime contract): the reviews arrive as id sequences with their labels; reading the
corpus and caching the result is ``rnnplay.model_profile``'s job. Every figure here is computed, and
``Profile.to_json`` / ``Profile.from_json`` carry it to and from the cache, checked on the way back.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from rnnplay.card import GATES
from rnnplay.runtime.classifier import POOLINGS, Dense, Network, running_pool
from rnnplay.runtime.explain import streamed_states
from rnnplay.runtime.inside import MEMORY_GATE, run_layers
from rnnplay.runtime.recurrent import DirectionWeights, RecurrentLayer
from rnnplay.runtime.streaming import reread_features
from rnnplay.runtime.through_time import connectivity_batch, head_backward

CONNECTIVITY_REVIEWS, CONNECTIVITY_LENGTH = 200, 300  # the reference measurement: 200 reviews of 300 tokens
CONNECTIVITY_CHUNK = 25  # reviews per batch of backpropagation (a progress report after each; larger batches were slower)
AXIS_REVIEWS = 1_000  # held-out reviews whose final states make the PCA (the first ones of the split)
CLOUD_POINTS = 400  # of them drawn as the cloud
COMPONENTS = 10  # principal components kept (their variance ratios are of the total, all components)
BINS = 20  # histogram bins over [0, 1]
LOW, HIGH = 0.1, 0.9  # a gate value below LOW or above HIGH is saturated
PATH_POINTS = 200  # a text longer than this is drawn at this many evenly spaced words
FEATURE_BATCH = 256  # reviews run together for their final states
GATE_CHUNK = 50  # reviews whose gates are computed together (then only counted)
INIT_SEED = 0  # the network at initialisation is drawn with this seed

Progress = Callable[[float], None]


# --- gate statistics (view 3) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One unit's memory: its mean keep-gate value and the span that implies, τ = 1 / (1 − mean) words."""

    layer: int
    direction: int  # 0 forward, 1 backward
    unit: int
    mean: float

    @property
    def tau(self) -> float:
        return math.inf if self.mean >= 1.0 else 1.0 / (1.0 - self.mean)


@dataclass(frozen=True)
class GateStats:
    """The keep gate's values over some texts: every layer, direction, unit and word pooled."""

    gate: str  # "forget" (LSTM) or "update" (GRU)
    histogram: np.ndarray  # (BINS,) the share of the values in each of BINS equal bins over [0, 1]
    mean: float
    below: float  # share of values < LOW
    above: float  # share of values > HIGH
    unit_means: np.ndarray  # (layers, directions, units): each unit's mean over the words and texts
    count: int  # how many values were pooled

    @property
    def saturated(self) -> float:
        return self.below + self.above

    def spans(self) -> list[Span]:
        """Every unit's span, longest first (ties in layer, direction, unit order)."""
        layers, directions, units = self.unit_means.shape
        spans = [Span(layer, d, u, float(self.unit_means[layer, d, u]))
                 for layer in range(layers) for d in range(directions) for u in range(units)]
        return sorted(spans, key=lambda s: -s.mean)

    @classmethod
    def of(cls, gate: str, values: Sequence[Sequence[np.ndarray]]) -> GateStats | None:
        """From ``values[layer][direction]``, arrays (..., units) of gate values; None when there are none."""
        tally = _Tally()
        tally.add(values)
        return tally.stats(gate)

    def to_json(self) -> dict[str, Any]:
        return {"gate": self.gate, "histogram": self.histogram.tolist(), "mean": self.mean, "below": self.below,
                "above": self.above, "unit_means": self.unit_means.tolist(), "count": self.count}

    @classmethod
    def from_json(cls, data: Any, shape: tuple[int, int, int], gate: str) -> GateStats:
        f = _Reader(data, "gate statistics")
        if f.get("gate") != gate:
            raise ValueError(f"gate statistics are of the {f.get('gate')!r} gate, not {gate!r}")
        histogram = f.array("histogram", (BINS,), low=0.0, high=1.0)
        if abs(histogram.sum() - 1.0) > 1e-6:
            raise ValueError("a gate histogram's shares must add up to 1")
        return cls(gate, histogram, f.number("mean", 0.0, 1.0), f.number("below", 0.0, 1.0), f.number("above", 0.0, 1.0),
                   f.array("unit_means", shape, low=0.0, high=1.0), f.whole("count"))


class _Tally:
    """Gate values counted batch by batch, so a corpus's gates never have to be held at once."""

    def __init__(self) -> None:
        self.histogram = np.zeros(BINS, dtype=np.int64)
        self.count = self.below = self.above = 0
        self.total = 0.0
        self.unit_sums: np.ndarray | None = None  # (layers, directions, units)
        self.rows = 0  # values per unit so far

    def add(self, values: Sequence[Sequence[np.ndarray]]) -> None:
        grouped = [[np.asarray(v, dtype=np.float64).reshape(-1, v.shape[-1]) for v in row] for row in values]
        if not grouped or not grouped[0] or grouped[0][0].size == 0:
            return
        pooled = np.concatenate([v.ravel() for row in grouped for v in row])
        self.histogram += np.histogram(np.clip(pooled, 0.0, 1.0), bins=BINS, range=(0.0, 1.0))[0]
        self.count += pooled.size
        self.below += int((pooled < LOW).sum())
        self.above += int((pooled > HIGH).sum())
        self.total += float(pooled.sum())
        sums = np.array([[v.sum(axis=0) for v in row] for row in grouped])
        self.unit_sums = sums if self.unit_sums is None else self.unit_sums + sums
        self.rows += grouped[0][0].shape[0]

    def stats(self, gate: str) -> GateStats | None:
        if self.count == 0 or self.unit_sums is None:
            return None
        return GateStats(gate, self.histogram / self.count, self.total / self.count, self.below / self.count,
                         self.above / self.count, self.unit_sums / self.rows, self.count)


def corpus_gate_stats(network: Network, ids: np.ndarray, chunk: int = GATE_CHUNK) -> GateStats | None:
    """``GateStats`` of the keep gate over the texts ``ids`` (reviews, length), ``chunk`` reviews at a time;
    None for a SimpleRNN or without texts."""
    gate = MEMORY_GATE.get(network.layers[0].cell)
    if gate is None:
        return None
    tally = _Tally()
    for start in range(0, len(ids), chunk):
        tally.add(keep_gates(network, ids[start : start + chunk]) or [])
    return tally.stats(gate)


def keep_gates(network: Network, ids: np.ndarray) -> list[list[np.ndarray]] | None:
    """The keep gate of every layer and direction over a batch of texts of one length, ``ids`` (batch, length).

    Returns ``[layer][direction]`` arrays (length, batch, units) in text order, or None for a SimpleRNN.
    The gates are the ones the textbook cells record (``inside.run_layers``): the same computation the
    Steps view shows, batched.
    """
    gate = MEMORY_GATE.get(network.layers[0].cell)
    if gate is None:
        return None
    found = []
    for run in run_layers(network, np.asarray(ids, dtype=np.int64)):
        recorded = run.text_order(np.stack([getattr(step, gate) for step in run.steps]))  # (length, D, batch, units)
        found.append([recorded[:, d] for d in range(run.directions)])
    return found


def trace_gate_stats(trace: Any) -> GateStats | None:
    """The keep gate over one text, from an ``inside.Trace``; None for a SimpleRNN or a text without words."""
    gate = MEMORY_GATE.get(trace.cell)
    if gate is None or trace.words == 0:
        return None
    return GateStats.of(gate, [[direction.gates[gate] for direction in layer] for layer in trace.layers])


# --- Keras' default initialisation, in NumPy -------------------------------------------------------------------


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Keras' ``glorot_uniform``: U(−a, a), a = √(6 / (fan_in + fan_out))."""
    limit = math.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, shape).astype(np.float32)


def orthogonal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Keras' ``Orthogonal``: the Q of a Gaussian matrix's QR, signs fixed by R's diagonal, transposed when wide,
    so a (units, gates·units) recurrent kernel has orthonormal rows."""
    rows, columns = shape
    q, r = np.linalg.qr(rng.normal(0.0, 1.0, (max(rows, columns), min(rows, columns))))
    q *= np.sign(np.diag(r))
    return (q.T if rows < columns else q).astype(np.float32)


def initial_network(network: Network, seed: int = INIT_SEED) -> Network:
    """A network of ``network``'s shape as Keras initialises it before training.

    Embedding U(−0.05, 0.05); recurrent kernels ``glorot_uniform``, recurrent kernels ``orthogonal``,
    biases zero but an LSTM's forget gate's, which is 1 (``unit_forget_bias``; σ(1) ≈ 0.73), and a GRU's
    bias of two rows (``reset_after``); Dense kernels ``glorot_uniform``, biases zero.
    """
    rng = np.random.default_rng(seed)
    embedding = rng.uniform(-0.05, 0.05, network.embedding.shape).astype(np.float32)
    layers, width = [], network.embedding.shape[1]
    for layer in network.layers:
        cell, units = layer.cell, layer.units
        gates = GATES[cell] * units
        directions = []
        for _ in range(layer.directions):
            bias = np.zeros((2, gates) if cell == "gru" else gates, dtype=np.float32)
            if cell == "lstm":
                bias[units : 2 * units] = 1.0
            directions.append(DirectionWeights(glorot_uniform(rng, (width, gates)), orthogonal(rng, (units, gates)), bias))
        layers.append(RecurrentLayer(cell, directions, layer.return_sequences))
        width = layer.output_dim
    head = []
    for dense in network.head:
        size = dense.kernel.shape[1]
        head.append(Dense(glorot_uniform(rng, (width, size)), np.zeros(size, np.float32), dense.activation))
        width = size
    return Network(embedding, layers, head, network.output, network.pooling)


# --- connectivity (view 2) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectivityStats:
    """How far back ∂logit/∂x(t) reaches, over ``reviews`` held-out reviews cut to their first ``length`` words.

    ``mean_norms[d, t]`` is ‖∂logit/∂x(t)‖ through direction d of layer 0 averaged over the reviews, and
    ``mean_total[t]`` the same for the whole gradient (both directions' parts added before the norm). A
    direction's first-half share is the share of its mean curve on words t < length // 2, which is the share
    of its norms summed over every review and word: a review whose gradient is larger weighs more, as
    in the issue's reference figures (6.6 % forward, 93.7 % backward, 43 % together on the shipped BiLSTM).
    """

    reviews: int
    length: int
    mean_norms: np.ndarray  # (directions, length)
    mean_total: np.ndarray  # (length,)

    @property
    def first_half(self) -> tuple[float, ...]:
        """Per direction of layer 0: the share of its connectivity on the first half (nan if it is all zero)."""
        return tuple(_first_half(curve) for curve in self.mean_norms)

    @property
    def together(self) -> float:
        return _first_half(self.mean_total)

    def to_json(self) -> dict[str, Any]:
        return {"reviews": self.reviews, "length": self.length, "mean_norms": self.mean_norms.tolist(),
                "mean_total": self.mean_total.tolist()}

    @classmethod
    def from_json(cls, data: Any, directions: int) -> ConnectivityStats:
        f = _Reader(data, "connectivity")
        length = f.whole("length", low=2)
        return cls(f.whole("reviews", low=1), length, f.array("mean_norms", (directions, length), low=0.0),
                   f.array("mean_total", (length,), low=0.0))


def _first_half(curve: np.ndarray) -> float:
    total = float(curve.sum())
    return float(curve[: len(curve) // 2].sum()) / total if total > 0 and len(curve) >= 2 else math.nan


def choose_reviews(sequences: Sequence[np.ndarray], count: int = CONNECTIVITY_REVIEWS,
                   length: int = CONNECTIVITY_LENGTH) -> tuple[np.ndarray, int]:
    """The first ``count`` reviews (in split order) with at least ``length`` words, and ``length``.

    When fewer reviews are that long (a corpus of short texts), the ``count`` longest are taken and cut to
    the shortest of them: the length is then less than asked, never below 2 words. Returns no reviews
    when no text has 2 words.
    """
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    chosen = np.flatnonzero(lengths >= length)[:count]
    if len(chosen) < count:
        longest = np.argsort(-lengths, kind="stable")[:count]
        longest = longest[lengths[longest] >= 2]
        chosen = np.sort(longest)
        length = int(lengths[chosen].min()) if len(chosen) else 0
    return chosen, length


def connectivity_stats(network: Network, ids: np.ndarray, progress: Progress | None = None,
                       should_stop: Callable[[], bool] = lambda: False) -> ConnectivityStats:
    """``ConnectivityStats`` of the texts ``ids`` (reviews, length), by backpropagation through time."""
    reviews, length = ids.shape
    norms, totals = [], []
    for start in range(0, reviews, CONNECTIVITY_CHUNK):
        _check(should_stop)
        for found in connectivity_batch(network, list(ids[start : start + CONNECTIVITY_CHUNK]), batch_size=CONNECTIVITY_CHUNK):
            norms.append(found.norms)
            totals.append(found.total)
        if progress is not None:
            progress(min(1.0, (start + CONNECTIVITY_CHUNK) / reviews))
    return ConnectivityStats(reviews, length, np.asarray(norms, dtype=np.float64).mean(axis=0),
                             np.asarray(totals, dtype=np.float64).mean(axis=0))


# --- the sentiment axis (view 4) -------------------------------------------------------------------------------


def final_states(network: Network, sequences: Sequence[np.ndarray], progress: Progress | None = None) -> np.ndarray:
    """The head's input for each id sequence, in input order: (texts, width) float32, as ``Network.logits``
    computes it (batched by length; an empty sequence's state is zeros). With pooling it is the pooled
    states, not the last one: what the head reads, which is what the sentiment axis is about."""
    width = network.layers[-1].output_dim
    out = np.zeros((len(sequences), width), dtype=np.float32)
    order = sorted(range(len(sequences)), key=lambda i: -len(sequences[i]))
    for start in range(0, len(order), FEATURE_BATCH):
        chunk = order[start : start + FEATURE_BATCH]
        lengths = np.array([len(sequences[i]) for i in chunk], dtype=np.int64)
        ids = np.zeros((len(chunk), max(int(lengths[0]), 1)), dtype=np.int64)
        for row, i in enumerate(chunk):
            ids[row, : lengths[row]] = sequences[i]
        out[chunk] = network.features_of_ids(ids, lengths)
        if progress is not None:
            progress(min(1.0, (start + FEATURE_BATCH) / len(order)))
    return out


@dataclass(frozen=True)
class Pca:
    """Principal components of states (SVD of the centred states), PC1 oriented to rise with the logit."""

    mean: np.ndarray  # (width,)
    components: np.ndarray  # (k, width), unit rows
    explained: np.ndarray  # (k,) the share of the total variance along each component
    r: float  # Pearson correlation of the PC1 coordinate with the logit, ≥ 0 by orientation (nan if either is constant)

    def project(self, states: np.ndarray) -> np.ndarray:
        """Coordinates of states (n, width) in the PC1–PC2 plane: (n, 2) (PC2 zero when there is only one)."""
        coordinates = (np.asarray(states, dtype=np.float64) - self.mean) @ self.components[:2].T
        return np.pad(coordinates, ((0, 0), (0, 2 - coordinates.shape[1])))

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "components": self.components.tolist(), "explained": self.explained.tolist(),
                "r": None if math.isnan(self.r) else self.r}

    @classmethod
    def from_json(cls, data: Any, width: int) -> Pca:
        f = _Reader(data, "principal components")
        explained = f.array("explained", None, low=0.0, high=1.0 + 1e-6)
        k = len(explained)
        if not 1 <= k <= min(COMPONENTS, width):
            raise ValueError(f"{k} principal components for a state of {width}")
        r = data.get("r")
        r = math.nan if r is None else f.number("r", -1.0 - 1e-6, 1.0 + 1e-6)
        return cls(f.array("mean", (width,)), f.array("components", (k, width)), explained, r)


def pca(states: np.ndarray, logits: np.ndarray, k: int = COMPONENTS) -> Pca:
    """The top ``k`` principal components of ``states`` (n ≥ 2, width), with PC1 oriented so that it
    correlates positively with ``logits``; every other component points its largest loading up."""
    x = np.asarray(states, dtype=np.float64)
    mean = x.mean(axis=0)
    _, singular, vt = np.linalg.svd(x - mean, full_matrices=False)
    variance = singular**2
    total = variance.sum()
    k = max(1, min(k, vt.shape[0]))
    explained = variance[:k] / total if total > 0 else np.zeros(k)
    components = vt[:k].copy()
    for row in components:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1.0
    r = _correlation((x - mean) @ components[0], np.asarray(logits, dtype=np.float64))
    if r < 0:
        components[0] *= -1.0
        r = -r
    return Pca(mean, components, explained, r)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    scale = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / scale if scale > 0 else math.nan


def readout_direction(network: Network, at: np.ndarray) -> np.ndarray:
    """∂logit/∂features at the state ``at`` (width,), in float64 (``through_time.head_backward``).

    For a head of one linear Dense layer this is its kernel, the same at every state; with hidden layers
    it is the direction the logit rises fastest from ``at`` (the profile takes the mean state).
    """
    return head_backward(network, np.asarray(at, dtype=np.float64)[None, :])[0]


@dataclass(frozen=True)
class AxisStats:
    """The final state over held-out reviews: its principal components and where the head reads it."""

    reviews: int
    pca: Pca  # of the whole final state (both directions for a bidirectional model)
    forward: Pca | None  # of the forward direction's half alone (bidirectional models), else None
    cloud: np.ndarray  # (points, 2): PC1, PC2 of an evenly spaced subsample of the reviews
    labels: np.ndarray  # (points,) their labels, 1 positive
    readout: np.ndarray  # (width,) ∂logit/∂features: the kernel of a one-layer head, else at the mean state
    linear_head: bool  # the head is one Dense layer: ``readout`` holds everywhere
    pooling: str = "last"  # what "the final state" is: the last layer's last state, or its states' max or mean

    @property
    def readout_plane(self) -> np.ndarray:
        """The readout direction's coordinates in the PC1–PC2 plane (2,)."""
        plane = self.pca.components[:2] @ self.readout
        return np.pad(plane, (0, 2 - len(plane)))

    @property
    def readout_in_plane(self) -> float:
        """How much of the readout direction lies in the PC1–PC2 plane: |projection| / |readout| (the cosine)."""
        norm = float(np.linalg.norm(self.readout))
        return float(np.linalg.norm(self.readout_plane)) / norm if norm > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"reviews": self.reviews, "pca": self.pca.to_json(), "forward": None if self.forward is None else self.forward.to_json(),
                "cloud": self.cloud.tolist(), "labels": self.labels.tolist(), "readout": self.readout.tolist(),
                "linear_head": self.linear_head, "pooling": self.pooling}

    @classmethod
    def from_json(cls, data: Any, width: int, units: int, directions: int) -> AxisStats:
        f = _Reader(data, "sentiment axis")
        forward = data.get("forward")
        if (forward is None) != (directions == 1):
            raise ValueError("the forward half's components do not match the model's directions")
        labels = f.array("labels", None, low=0.0, high=1.0)
        if not np.all((labels == 0) | (labels == 1)):
            raise ValueError("labels must be 0 or 1")
        linear = data.get("linear_head")
        if not isinstance(linear, bool):
            raise ValueError("linear_head must be true or false")
        pooling = data.get("pooling", "last")
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}")
        return cls(f.whole("reviews", low=2), Pca.from_json(data.get("pca"), width),
                   None if forward is None else Pca.from_json(forward, units),
                   f.array("cloud", (len(labels), 2)), labels.astype(np.int8), f.array("readout", (width,)), linear, pooling)


def axis_stats(network: Network, sequences: Sequence[np.ndarray], labels: np.ndarray,
               cloud: int = CLOUD_POINTS, progress: Progress | None = None) -> AxisStats | None:
    """``AxisStats`` of the final states of ``sequences`` (None when fewer than two have a word)."""
    keep = [i for i, s in enumerate(sequences) if len(s)]
    if len(keep) < 2:
        return None
    states = final_states(network, [sequences[i] for i in keep], progress)
    logits = network.head_logit(states)
    overall = pca(states, logits)
    layer = network.layers[-1]
    forward = pca(states[:, : layer.units], logits) if layer.directions == 2 else None
    shown = np.unique(np.linspace(0, len(keep) - 1, min(cloud, len(keep))).round().astype(np.int64))
    readout = readout_direction(network, overall.mean)
    return AxisStats(len(keep), overall, forward, overall.project(states[shown]).astype(np.float32),
                     np.asarray(labels, dtype=np.int8)[keep][shown], readout, len(network.head) == 1, network.pooling)


@dataclass(frozen=True)
class TextPath:
    """A text's way through the PC1–PC2 plane: the final state after each prefix."""

    words: np.ndarray  # (points,) how many words each point has read (1 … n; evenly spaced when n > PATH_POINTS)
    points: np.ndarray  # (points, 2) PC1, PC2
    logits: np.ndarray  # (points,) the head's logit at each point


def prefix_states(network: Network, ids: np.ndarray, trace: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The head's input after each prefix of ``ids``: (words read, states (points, width)).

    A stack read left to right gives every prefix in one pass (h(t) of the last layer); a bidirectional
    layer must re-read each prefix from its end, so the prefixes run as one batch, at most
    ``PATH_POINTS`` of them. ``trace``, the text's ``inside.Trace`` when the caller has it, gives the
    left-to-right states without running them again. A pooling model's input after a prefix is the
    running max or mean of those states (``running_pool``), still one pass.
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, network.layers[-1].output_dim), dtype=np.float32)
    words = np.arange(1, n + 1)[_evenly(n)]
    if all(layer.directions == 1 for layer in network.layers):
        return words, running_pool(_forward_states(network, ids, trace), network.pooling)[words - 1]
    return words, reread_features(network, ids, words)


def _forward_states(network: Network, ids: np.ndarray, trace: Any) -> np.ndarray:
    """h(t) of a one-directional stack's last layer after each word (n, units): the text's ``trace`` when it is
    this text's, else one streamed pass (``explain.streamed_states``)."""
    if trace is not None and len(trace.ids) == len(ids) and np.array_equal(trace.ids, ids):
        return np.asarray(trace.at(len(network.layers) - 1, 0).h, dtype=np.float32)
    return streamed_states(network, ids, record="outputs").states[-1][0][1:]  # row 0 is before the first word


def _evenly(n: int) -> np.ndarray:
    """Indices 0 … n − 1, or PATH_POINTS of them evenly spaced (the last always kept)."""
    if n <= PATH_POINTS:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, PATH_POINTS).round().astype(np.int64))


def text_path(network: Network, axis: AxisStats, ids: np.ndarray, trace: Any = None) -> TextPath:
    """``ids`` as a path in the profile's PC1–PC2 plane, one point per word read (see ``prefix_states``;
    pass the text's ``trace`` when there is one: it saves a pass)."""
    words, states = prefix_states(network, np.asarray(ids, dtype=np.int64), trace)
    logits = network.head_logit(states) if len(words) else np.zeros(0)
    return TextPath(words, axis.pca.project(states), logits)


# --- the whole profile ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Views 2–4's corpus statistics of one network (see the module docstring)."""

    cell: str
    layers: int
    directions: int  # of layer 0 (the connectivity's) and of every layer
    units: int
    width: int  # the head's input: the last layer's units × directions
    connectivity: ConnectivityStats | None  # None when no held-out text has 2 words
    memory: GateStats | None  # None for a SimpleRNN (no gate), or without such texts
    memory_at_init: GateStats | None  # the same reviews through the network at Keras' initialisation
    axis: AxisStats | None  # None with fewer than 2 held-out texts that have a word
    seconds: float  # computing it

    def to_json(self) -> dict[str, Any]:
        def part(value: Any) -> Any:
            return None if value is None else value.to_json()

        return {"cell": self.cell, "layers": self.layers, "directions": self.directions, "units": self.units, "width": self.width,
                "connectivity": part(self.connectivity), "memory": part(self.memory), "memory_at_init": part(self.memory_at_init),
                "axis": part(self.axis), "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: Any, network: Network) -> Profile:
        """A profile read back from JSON, checked against ``network``'s shape; ValueError (or TypeError,
        KeyError) for anything that does not fit."""
        f = _Reader(data, "profile")
        shape = describe(network)
        found = (data.get("cell"), f.whole("layers", low=1), f.whole("directions", low=1), f.whole("units", low=1), f.whole("width", low=1))
        if found != shape:
            raise ValueError(f"the profile is of a {found} network, not {shape}")
        cell, layers, directions, units, width = shape
        gate = MEMORY_GATE.get(cell)

        def part(key: str, read: Callable[[Any], Any]) -> Any:
            value = data.get(key)
            return None if value is None else read(value)

        memory = part("memory", lambda v: GateStats.from_json(v, (layers, directions, units), gate or ""))
        at_init = part("memory_at_init", lambda v: GateStats.from_json(v, (layers, directions, units), gate or ""))
        if gate is None and (memory is not None or at_init is not None):
            raise ValueError("gate statistics for a cell without gates")
        return cls(cell, layers, directions, units, width,
                   part("connectivity", lambda v: ConnectivityStats.from_json(v, directions)), memory, at_init,
                   part("axis", lambda v: AxisStats.from_json(v, width, units, directions)), f.number("seconds", 0.0))


def describe(network: Network) -> tuple[str, int, int, int, int]:
    """(cell, layers, directions, units, width): what a profile must agree with to belong to ``network``."""
    first = network.layers[0]
    return first.cell, len(network.layers), first.directions, first.units, network.layers[-1].output_dim


def compute_profile(network: Network, sequences: Sequence[np.ndarray], labels: np.ndarray, *,
                    reviews: int = CONNECTIVITY_REVIEWS, length: int = CONNECTIVITY_LENGTH, axis_reviews: int = AXIS_REVIEWS,
                    progress: Progress | None = None, should_stop: Callable[[], bool] = lambda: False) -> Profile:
    """The profile of ``network`` over held-out id ``sequences`` (split order) and their 0/1 ``labels``.

    Connectivity and gates read the first ``reviews`` texts of at least ``length`` words, cut to
    ``length`` (``choose_reviews``); the axis reads the first ``axis_reviews`` texts whole.
    ``progress(fraction)`` follows the work; ``should_stop`` ends it with ``Cancelled``.
    """
    started = time.perf_counter()
    report = progress or (lambda fraction: None)
    cell, layers, directions, units, width = describe(network)
    chosen, cut = choose_reviews(sequences, reviews, length)
    ids = np.array([sequences[i][:cut] for i in chosen], dtype=np.int64).reshape(len(chosen), cut)
    report(0.0)
    # Shares of the progress bar, as the parts took on the shipped BiLSTM: 0.7 s, 0.6 s, 1.4 s and 3 s.
    connectivity = None
    if len(chosen):
        connectivity = connectivity_stats(network, ids, lambda f: report(0.15 * f), should_stop)
    _check(should_stop)
    memory = at_init = None
    if len(chosen) and cell in MEMORY_GATE:
        memory = corpus_gate_stats(network, ids)
        report(0.25)
        _check(should_stop)
        at_init = corpus_gate_stats(initial_network(network), ids)
    report(0.45)
    _check(should_stop)
    axis = axis_stats(network, sequences[:axis_reviews], np.asarray(labels)[:axis_reviews],
                      progress=lambda f: report(0.45 + 0.55 * f))
    report(1.0)
    return Profile(cell, layers, directions, units, width, connectivity, memory, at_init, axis, time.perf_counter() - started)


# --- helpers ---------------------------------------------------------------------------------------------------


def _check(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        from rnnplay.errors import Cancelled

        raise Cancelled("stopped before the model's profile was computed")


class _Reader:
    """Typed reads of one JSON object of a cached profile, each failure a ValueError naming the field."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{where} must be a JSON object")
        self.data, self.where = data, where

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def number(self, key: str, low: float = -math.inf, high: float = math.inf) -> float:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"{self.where}.{key} must be a number from {low} to {high}")
        return float(value)

    def whole(self, key: str, low: int = 0) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{self.where}.{key} must be a whole number of at least {low}")
        return value

    def array(self, key: str, shape: tuple[int, ...] | None, low: float = -math.inf, high: float = math.inf) -> np.ndarray:
        """A finite float64 array of exactly ``shape`` (any one-dimensional length when None), within [low, high]."""
        value = self.data.get(key)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self.where}.{key} must be an array of numbers") from None
        if (array.shape != shape) if shape is not None else array.ndim != 1:
            raise ValueError(f"{self.where}.{key} has shape {array.shape}, not {shape or '(n,)'}")
        if not np.all(np.isfinite(array)) or (array.size and (array.min() < low or array.max() > high)):
            raise ValueError(f"{self.where}.{key} holds values that are not finite or out of [{low}, {high}]")
        return array
