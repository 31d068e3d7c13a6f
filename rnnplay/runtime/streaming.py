"""Stream or re-read: what a prediction after every word costs a one- and a two-directional model.

The tutorial's trade-off, counted and timed on the text being typed. A *step* is one cell update of
one direction of one layer on one word.

- A one-directional model keeps its state from word to word: the prediction after word t is the head
  on h(t), so predictions after all n words cost one pass, n steps a layer (``L·n`` for L layers).
  That is streaming (``explain.streamed_states`` does it).
- A bidirectional layer's backward half reads the text from its end, so each new word changes every
  backward state: the prediction after word t needs the backward half re-run over words t … 1. One
  bidirectional layer: n forward steps (the forward half still keeps its state) and 1 + 2 + … + n =
  n(n+1)/2 backward ones, ``n + n(n+1)/2``.
- Stacked bidirectional layers: layer 1's forward half still streams (n), its backward half re-reads
  every prefix (n(n+1)/2), and every layer above reads layer 1's output, whose backward part at
  *every* position changes with each new word, so both its halves re-read every prefix too (2·n(n+1)/2
  a layer): ``n + (2L − 1)·n(n+1)/2`` for L layers. A model shares its direction count across layers.

A model that pools its last layer's states (max or mean over the words, ``Network.pooling``) streams as
well: the head's input after word t is the running max (or mean) of h(1) … h(t), one comparison (or
sum) a word more, no extra step. A bidirectional one re-reads exactly the prefixes above (each prefix's
backward states are recorded, and pooled), so the counts are the same.

These counts are what ``every_word`` runs (the tests count its steps), and ``measure`` times it
beside one pass over the whole text (``D·L·n`` steps, one prediction).

Public API (the Inside tab, the REPL and ``rnnplay inside`` call these; NumPy only):

    measure(classifier, text, repeats=3) -> StreamCost    # encodes as explain does (max_length, truncation)
    measure_ids(network, ids, repeats=3, name="", dropped=0) -> StreamCost
    every_word(network, ids) -> np.ndarray                 # logits after each word: streamed or re-read
    steps_every_word(words, directions, layers) -> int     # the counts above
    formula(directions, layers) -> str                     # the same, in words: "n + n(n+1)/2"

``StreamCost`` (frozen): ``name`` (the model's folder name, not yet printable-escaped), ``cell``,
``units``, ``layers``, ``directions``, ``words`` (n), ``dropped`` (tokens cut by max_length),
``steps`` and ``formula`` (what a prediction after every word takes this model), ``streaming_steps``
(what a one-directional model of the same depth takes, L·n), ``whole_steps`` (one pass, D·L·n),
``every_word_seconds`` (measured: predictions after every word the way this model must — stream or
re-read; ``None`` when not run: no words, or more than ``LIMIT`` words to re-read),
``whole_seconds`` (measured: one pass over the whole text), ``probabilities`` (P(positive) after
each word; empty when not run), ``repeats``, ``limit`` (the most words re-read), ``pooling`` (the
network's: last, max or mean); properties ``streams`` and ``measured``.
Times are the best of ``repeats`` runs of ``time.perf_counter``, so ``measure`` costs ``repeats`` times
(every word + one pass); re-reading grows with n², so where latency matters (as the user types a long
text) pass ``repeats=1``. ``benchmarks/interactive.py`` times both shipped classifiers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from rnnplay.runtime.classifier import Classifier, Network, pool, running_pool, sigmoid
from rnnplay.runtime.explain import WORD_LIMIT, streamed_states
from rnnplay.runtime.recurrent import step_inputs

LIMIT = WORD_LIMIT  # re-reading grows with the square of the length: no more words than explain takes
BATCH_VALUES = 1 << 23  # float32 values a batch of re-read prefixes may hold above the first layer (32 MB)



@dataclass(frozen=True)
class StreamCost:
    """The cost of a prediction after every word of one text (see the module docstring for each field)."""

    name: str
    cell: str
    units: int
    layers: int
    directions: int
    words: int
    dropped: int
    steps: int
    formula: str
    streaming_steps: int
    whole_steps: int
    every_word_seconds: float | None
    whole_seconds: float
    probabilities: np.ndarray = field(repr=False)
    repeats: int = 3
    limit: int = LIMIT
    pooling: str = "last"  # what the head reads: the last state, or the running max / mean of the states

    @property
    def streams(self) -> bool:
        """True when the model reads left to right only, so it can keep its state and stream."""
        return self.directions == 1

    @property
    def measured(self) -> bool:
        """Whether the predictions after every word were run and timed (see ``every_word_seconds``)."""
        return self.every_word_seconds is not None


def steps_every_word(words: int, directions: int, layers: int) -> int:
    """Recurrent steps a prediction after every one of ``words`` words takes (module docstring)."""
    if directions == 1:
        return layers * words
    triangle = words * (words + 1) // 2
    return words + (2 * layers - 1) * triangle


def formula(directions: int, layers: int) -> str:
    """``steps_every_word`` in words, with n the number of words."""
    if directions == 1:
        return "n" if layers == 1 else f"{layers}·n"
    return "n + n(n+1)/2" if layers == 1 else f"n + {2 * layers - 1}·n(n+1)/2"


def every_word(network: Network, ids: np.ndarray) -> np.ndarray:
    """The logit after each word (float64, one per word): streamed by a one-directional model, re-read
    by a bidirectional one. Equal to running the network on each prefix on its own."""
    if len(ids) == 0:
        return np.zeros(0)
    if network.layers[0].directions == 1:
        states = streamed_states(network, ids, record="outputs").states[-1][0]  # the last layer's h after 0 … n words
        return network.head_logit(running_pool(states[1:], network.pooling))
    return _reread(network, ids)


def _reread(network: Network, ids: np.ndarray) -> np.ndarray:
    """Bidirectional: the logit after every word, each prefix re-read (``reread_features``)."""
    n = len(ids)
    return network.head_logit(reread_features(network, ids, np.arange(1, n + 1)))


def reread_features(network: Network, ids: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The head's input after each prefix ``ids[:w]``, ``w`` in ``words`` (ascending, 1 … n), for a model
    whose first layer is bidirectional: (len(words), width), in the order of ``words``.

    The forward half of layer 1 runs once; everything else re-reads every prefix. The prefixes run as
    one batch (longest first), row r reading its own prefix from its end, so the rows read the reversed
    projections as a window sliding down one table (``step_inputs``; consecutive prefixes share one slice).
    """
    n = len(ids)
    first = network.layers[0]
    forward, backward = first.one_way(0), first.one_way(1)
    vectors = network.embedding[ids]
    _, recorded = forward.run_states(forward.project(vectors)[:, None], np.array([n]), record="outputs")
    assert recorded is not None
    ahead = recorded[0][:, 0]  # (n, units): forward h after each word, kept as a streaming model keeps it
    behind = backward.project(vectors)[::-1]  # row m: word n - 1 - m
    stacked = len(network.layers) > 1
    sequences = stacked or network.pooled  # the whole first-layer output of every prefix is needed
    widest = max(layer.kernels[0].shape[1] * layer.directions for layer in network.layers)
    longest_first = np.asarray(words, dtype=np.int64)[::-1]
    rows = max(1, BATCH_VALUES // (n * widest)) if sequences else max(1, len(longest_first))
    features = np.empty((len(longest_first), network.layers[-1].output_dim), dtype=np.float32)
    for start in range(0, len(longest_first), rows):
        lengths = longest_first[start : start + rows]  # the prefixes of this batch, longest first
        # Row r reads word lengths[r] - 1 - t at step t: behind[n - lengths[r] + t].
        inputs = step_inputs(behind, n - lengths, int(lengths[0]))
        final, recorded = backward.run_states(inputs, lengths, record="outputs" if sequences else None)
        if sequences:
            assert recorded is not None
            x = _first_layer_output(ahead, recorded[0], lengths)
            for layer in network.layers[1:]:
                x = layer(x, lengths)
            features[start : start + len(lengths)] = pool(x, lengths, network.pooling) if network.pooled else x
        else:
            features[start : start + len(lengths)] = np.concatenate([ahead[lengths - 1], final[0]], axis=1)
    return features[::-1]


def _first_layer_output(ahead: np.ndarray, behind: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Layer 1's output for each prefix, (rows, time, 2 · units) in text order, zeros at padding.

    ``behind`` is the backward half's time-major record: row r's step s read word lengths[r] - 1 - s.
    """
    steps = int(lengths[0])
    back_step = lengths[:, None] - 1 - np.arange(steps)[None, :]  # (rows, time): the step that read word t
    valid = back_step >= 0
    back = behind[np.where(valid, back_step, 0), np.arange(len(lengths))[:, None]]
    front = np.broadcast_to(ahead[:steps], back.shape)
    x = np.concatenate([front, back], axis=2)
    x[~valid] = 0.0
    return x


def measure_ids(network: Network, ids: np.ndarray, repeats: int = 3, name: str = "", dropped: int = 0) -> StreamCost:
    """Count and time a prediction after every word of ``ids``, and one pass over them all.

    Each time is the best of ``repeats`` runs (perf_counter), and the two are run in turn, one pass then
    every word, so that whatever else the machine (or another thread holding the GIL) does at the time
    slows both alike: their ratio is what the view reports.
    """
    n, layers, directions = len(ids), len(network.layers), network.layers[0].directions
    every = bool(n) and (directions == 1 or n <= LIMIT)
    whole_seconds, every_seconds = math.inf, math.inf
    logits = np.zeros(0)
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        network.logits([ids])
        whole_seconds = min(whole_seconds, time.perf_counter() - start)
        if every:
            start = time.perf_counter()
            logits = every_word(network, ids)
            every_seconds = min(every_seconds, time.perf_counter() - start)
    every_word_seconds = every_seconds if every else None
    probabilities = sigmoid(logits) if every else np.zeros(0)
    return StreamCost(name, network.layers[0].cell, network.layers[0].units, layers, directions, n, dropped,
                      steps_every_word(n, directions, layers), formula(directions, layers), layers * n,
                      directions * layers * n, every_word_seconds, whole_seconds, probabilities, max(1, repeats), LIMIT,
                      network.pooling)


def measure(classifier: Classifier, text: str, repeats: int = 3) -> StreamCost:
    """``measure_ids`` on ``text`` as the classifier reads it (standardized, cut to its max_length)."""
    encoder = classifier.encoder
    all_tokens = encoder.settings.tokens(text)
    tokens = encoder.truncate(all_tokens)
    ids = encoder.ids(tokens) if tokens else np.zeros(0, dtype=np.int64)
    return measure_ids(classifier.network, ids, repeats, classifier.name, len(all_tokens) - len(tokens))
