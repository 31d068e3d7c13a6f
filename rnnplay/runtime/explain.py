"""Why the classifier said what it said: per-word shares (occlusion) and the prefix trace.

A word's *share* is how much P(positive) drops when that word is left out of the text (negative when
leaving it out raises P). Its *logit share* is the same drop on the logit scale, logit(P(text)) −
logit(P(text without it)): on a confident text every probability share is tiny (P cannot pass 1), but
the logit shares still separate the words that matter. The *prefix trace* is P(positive) after each prefix of the text: what the
model thought while reading.

Every variant of a text (the text without word i, the text up to word j) would be a pass of its own.
Instead, the states the variants share with the whole text are computed once, and each variant runs
only from where it differs:

- one bidirectional layer: the forward half of "without word i" continues from the state after word
  i − 1; the backward halves of every variant run in one batch whose rows slide down one table;
- one-directional stacks: the prefix trace falls out of the single full pass (``streamed_states``; ``runtime.streaming`` times it), which is
  why such a model can stream and a bidirectional one cannot;
- stacked bidirectional layers share nothing, so every variant runs in full, in one batch;
- a model that pools its states (max or mean over the words, ``Network.pooling``): the head reads every
  state, not the last, so "without word i" runs in full (one batch); its prefix trace still comes out of
  one pass when it reads left to right (a running max or mean of the states), else every prefix is re-read.

The TUI's Play screen and the REPL both call ``explain``; neither has any model logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier, Network, Pooling, label, running_pool, sigmoid
from rnnplay.runtime.recurrent import Sliding, step_inputs
from rnnplay.text import OOV_ID

WORD_LIMIT = 1_000  # the work grows with the square of the length: 1,000 words took 0.6 s on a BiLSTM 64


class EmptyText(RnnplayError):
    """The text has no tokens, so there is nothing to classify."""


class TextTooLong(RnnplayError):
    """Too many words to explain one by one; the whole text's prediction is still given."""

    def __init__(self, words: int, probability: float) -> None:
        super().__init__(f"{words:,} words are too many to explain word by word (the limit is {WORD_LIMIT:,}); "
                         f"the whole text is {label(probability)} {probability:.3f}")
        self.probability = probability


@dataclass(frozen=True)
class Explanation:
    tokens: list[str]  # the tokens the model reads, after standardizing and truncation
    ids: np.ndarray  # their ids in the encoder's vocabulary (1 = out of vocabulary)
    probability: float  # P(positive) for the whole text
    shares: np.ndarray  # P(text) - P(text without token i), one per token
    prefix: np.ndarray  # P(positive) after tokens[: i + 1], one per token
    dropped: int  # tokens cut off by the model's max_length
    streamed: bool  # True when the prefix trace came out of one left-to-right pass
    network: object = field(default=None, repr=False, compare=False)  # which model said it (for reuse)
    logit: float = float("nan")  # log(P / (1 - P)) for the whole text, from the network's own logit
    logit_shares: np.ndarray = field(default_factory=lambda: np.zeros(0))  # logit(text) - logit(text without token i)

    @property
    def oov(self) -> np.ndarray:
        return self.ids == OOV_ID

    @property
    def label(self) -> str:
        return label(self.probability)


def explain(classifier: Classifier, text: str, previous: Explanation | None = None) -> Explanation:
    """Classify ``text`` and say which words moved the prediction, and how it evolved word by word.

    ``previous``, the explanation before the last edit, lets the prefix trace of the words the two
    texts begin with be reused: typing at the end of a text recomputes one prefix, not all of them.
    """
    encoder = classifier.encoder
    all_tokens = encoder.settings.tokens(text)
    tokens = encoder.truncate(all_tokens)
    if not tokens:
        raise EmptyText("the text has no words to classify")
    ids = encoder.ids(tokens)
    if len(ids) > WORD_LIMIT:
        raise TextTooLong(len(ids), float(classifier.predict_ids([ids])[0]))
    known = None
    if previous is not None and previous.network is classifier.network:
        m = min(len(ids), len(previous.ids))
        same = ids[:m] == previous.ids[:m]
        known = previous.prefix[: m if same.all() else int(np.argmin(same))]
    variants = explain_ids(classifier.network, ids, known)
    return Explanation(tokens, ids, variants.probability, variants.shares, variants.prefix, len(all_tokens) - len(tokens),
                       variants.streamed, classifier.network, variants.logit, variants.logit_shares)


class Variants(NamedTuple):
    """What ``explain_ids`` finds for one id sequence."""

    probability: float  # P(positive) for the whole sequence
    shares: np.ndarray  # P(whole) - P(without token i)
    prefix: np.ndarray  # P(positive) after each prefix
    streamed: bool  # True when the prefix trace came out of one left-to-right pass
    logit: float  # the whole sequence's logit
    logit_shares: np.ndarray  # logit(whole) - logit(without token i), from the variants' own logits


def explain_ids(network: Network, ids: np.ndarray, known_prefix: np.ndarray | None = None) -> Variants:
    """Every variant of one id sequence, each run only from where it differs from the whole text (see the
    module docstring).

    A bidirectional model must re-read every prefix from its end, unless the caller passes
    ``known_prefix``: the trace of a text that began with the same ``p`` words (the text before the last
    keystroke), whose first ``p`` values are then reused. The variants' logits come straight from the
    network's head, so a logit share keeps its precision however confident the text is.
    """
    n = len(ids)
    known = np.asarray(known_prefix if known_prefix is not None else [], dtype=np.float64)[: n - 1]
    if network.pooled:
        full, without, prefix, streamed = _variants_pooled(network, ids, known)
    elif len(network.layers) == 1 and network.layers[0].directions == 2:
        full, without, prefix = _variants_bidirectional(network, ids, known)
        streamed = False
    elif all(layer.directions == 1 for layer in network.layers):
        full, without, prefix = _variants_one_way(network, ids)
        streamed = True
    else:  # stacked bidirectional layers share nothing between variants
        full, without, prefix = variants_batched(network, ids, known)
        streamed = False
    probability = float(sigmoid(np.asarray(full, dtype=np.float64)))
    return Variants(probability, probability - sigmoid(without), prefix, streamed, full, full - without)


def variants_batched(network: Network, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Every variant run in full, all in one batch: right for any architecture, and the slowest way.

    Returns the whole text's logit, the logits without each word, and the prefix trace (probabilities).
    """
    n, p = len(ids), len(known)
    logits = network.logits([ids] + [np.delete(ids, i) for i in range(n)] + [ids[:j] for j in range(n - 1, p, -1)])
    probs = sigmoid(logits)
    return float(logits[0]), logits[1 : n + 1], np.concatenate([known, probs[n + 1 :][::-1], probs[:1]])


def _variants_pooled(network: Network, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """A pooling network: the variants without each word in one batch; the prefix trace streamed (a running
    max or mean of a left-to-right stack's states) or, for a bidirectional one, every prefix re-read."""
    if len(network.layers) == 1 and network.layers[0].directions == 2:
        return (*_variants_bidirectional_pooled(network, ids, known), False)
    if any(layer.directions != 1 for layer in network.layers):
        return (*variants_batched(network, ids, known), False)
    n = len(ids)
    states = streamed_states(network, ids, record="outputs").states[-1][0][1:]  # the last layer's h after 1 … n words
    prefix = network.head_logit(running_pool(states, network.pooling))
    without = network.logits([np.delete(ids, i) for i in range(n)]) if n else np.zeros(0)
    return float(prefix[-1]), without, sigmoid(prefix), True


def _variants_bidirectional_pooled(network: Network, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """One bidirectional layer that pools: ``_variants_bidirectional``'s runs, each recording its states.

    The text without word i keeps the whole text's forward states before i and backward states after i;
    the rest are the continuations that ``_variants_bidirectional`` runs anyway, so the pooled states of
    every variant cost the same steps as its final states did (only recorded, then reduced).
    """
    layer, pool = network.layers[0], Pooling(network.pooling)
    forward, backward = layer.one_way(0), layer.one_way(1)
    n, units = len(ids), layer.units
    vectors = network.embedding[ids]
    ahead, behind = forward.project(vectors), backward.project(vectors)
    _, recorded = layer.run_states(layer.interleave([ahead[:, None], behind[::-1, None]]), np.array([n]), record="states")
    assert recorded is not None
    start_ahead = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, :units]]) for r in recorded]
    start_behind = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, units:]]) for r in recorded]
    ahead_h, behind_h = recorded[0][:, 0, :units], recorded[0][::-1, 0, units:]  # by position, in the text's order
    ahead_before = pool.cumulative(ahead_h)  # row i: forward states of words 0 … i − 1
    behind_after = pool.cumulative(behind_h[::-1])[::-1]  # row i: backward states of words i … n − 1 (row n: none)

    # Forward halves of "without word i": the states before i, then the continuation over words i + 1 … n − 1.
    lengths = n - 1 - np.arange(n)
    _, going = forward.run_states(Sliding(ahead[1:], 1, max(n - 1, 1), n), lengths, [s[:n] for s in start_ahead], record="outputs")
    assert going is not None
    without_ahead = pool.combine(ahead_before[:n], pool.reduced(going[0], lengths, axis=0))

    # Backward halves in one batch, rows as in ``_variants_bidirectional``.
    p = len(known)
    paired = n - 1 - p
    offsets = np.concatenate([1 + np.arange(2 * paired) // 2, np.arange(n - p, n + 1)])
    without_rows = np.concatenate([np.arange(0, 2 * paired, 2), 2 * paired + np.arange(p + 1)])  # i = n-1 … 0
    prefix_rows = np.arange(1, 2 * paired, 2)  # j = n-2 … p
    lengths = n - offsets
    starts = np.zeros(len(offsets), dtype=np.int64)
    starts[without_rows] = np.arange(n)
    _, back = backward.run_states(step_inputs(behind[::-1], offsets, n), lengths, [s[starts] for s in start_behind], record="outputs")
    assert back is not None
    reduced = pool.reduced(back[0], lengths, axis=0)
    without_behind = pool.combine(reduced[without_rows][::-1], behind_after[1:])  # words before i, then the whole text's after i
    prefix_behind = np.concatenate([reduced[prefix_rows][::-1], pool.cumulative(behind_h[::-1])[-1:]])  # prefixes p … n-1

    words = np.arange(p + 1, n + 1)  # the prefixes' lengths
    prefix = network.head_logit(np.concatenate([pool.finish(ahead_before[p + 1 :], words), pool.finish(prefix_behind, words)], axis=1))
    counts = np.full(n, n - 1)
    without = network.head_logit(np.concatenate([pool.finish(without_ahead, counts), pool.finish(without_behind, counts)], axis=1))
    return float(prefix[-1]), without, np.concatenate([known, sigmoid(prefix)])


class Streamed(NamedTuple):
    """One left-to-right pass over a one-directional stack, every state kept."""

    projected: np.ndarray  # (n, gates): the first layer's input projection of each word
    states: list[list[np.ndarray]]  # per layer: its state arrays (h alone with record="outputs") after 0 … n words, (n + 1, width) each


def streamed_states(network: Network, ids: np.ndarray, record: Literal["states", "outputs"] = "states") -> Streamed:
    """Every layer's state after each word, from one pass that keeps its state from word to word.

    This is streaming: the prediction after word t is the head on the last layer's h after t words, so
    a one-directional stack gives a prediction after every word for the cost of one pass (n steps a
    layer). ``runtime.streaming`` times it (``record="outputs"`` keeps h alone, not an LSTM's c);
    ``_variants_one_way`` starts its variants from these states.
    """
    if any(layer.directions != 1 for layer in network.layers):
        raise ValueError("only a one-directional stack can stream")
    n = len(ids)
    by_position = network.layers[0].project(network.embedding[ids])  # (n, gates): every variant reads these
    starts: list[list[np.ndarray]] = []
    x: Any = by_position[:, None]
    for index, layer in enumerate(network.layers):
        projected = x if index == 0 else layer.project(x)
        _, recorded = layer.run_states(projected, np.array([n]), record=record)
        assert recorded is not None
        starts.append([np.concatenate([np.zeros((1, r.shape[2]), np.float32), r[:, 0]]) for r in recorded])
        x = recorded[0]  # time-major (n, 1, width): the next layer's input
    return Streamed(by_position, starts)


def _variants_one_way(network: Network, ids: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Left-to-right stack: the text without word i starts from every layer's state before word i.

    Returns logits for the whole text and each "without", probabilities for the prefixes (as every
    ``_variants_`` function does).
    """
    n = len(ids)
    by_position, starts = streamed_states(network, ids)
    prefix = network.head_logit(starts[-1][0][1:])
    # Row i reads words i + 1 … n - 1 (longest first) from the states after i words; in the
    # first layer, row i at step t reads word i + 1 + t: a window sliding down the table.
    lengths = n - 1 - np.arange(n)
    x: Any = Sliding(by_position[1:], 1, max(n - 1, 1), n)
    for index, layer in enumerate(network.layers):
        projected = x if index == 0 else layer.project(x)
        final, recorded = layer.run_states(projected, lengths, [s[:n] for s in starts[index]], record="outputs" if index < len(network.layers) - 1 else None)
        x = recorded[0] if recorded is not None else None
    return float(prefix[-1]), network.head_logit(final[0]), sigmoid(prefix)


def _variants_bidirectional(network: Network, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """One bidirectional layer: each direction of each variant starts from the whole text's states.

    Every variant reads the text's own words, so input projections are computed once per
    position, and each step of a batch of variants reads a slice of them (``step_inputs``).
    """
    layer = network.layers[0]
    forward, backward = layer.one_way(0), layer.one_way(1)
    n, units = len(ids), layer.units
    vectors = network.embedding[ids]
    ahead, behind = forward.project(vectors), backward.project(vectors)  # (n, gates), by position

    # The whole text, both directions in one pass; row t of a state is after t + 1 words read.
    _, recorded = layer.run_states(layer.interleave([ahead[:, None], behind[::-1, None]]), np.array([n]), record="states")
    assert recorded is not None
    start_ahead = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, :units]]) for r in recorded]
    start_behind = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, units:]]) for r in recorded]

    # Forward half of "without word i": read words i + 1 … n - 1 from the state after i words.
    # Row i at step t reads word i + 1 + t: a window sliding down the table.
    lengths = n - 1 - np.arange(n)
    without_ahead, _ = forward.run_states(Sliding(ahead[1:], 1, max(n - 1, 1), n), lengths, [s[:n] for s in start_ahead])

    # Backward halves in one batch. "Without word i" reads words i - 1 … 0 from the state after
    # words i + 1 … n - 1 (i words); prefix j reads words j … 0 from zero (j + 1 words), for the
    # prefixes not known (the whole text's own is the full pass). Longest first, the rows are
    # pairs (without m, prefix m - 1) down to the known prefixes, then the rest of "without";
    # both rows of a pair read the same word at every step. Row r reads word n - 1 - offset[r] - t.
    p = len(known)
    paired = n - 1 - p  # prefixes to compute: j = n - 2 … p
    offsets = np.concatenate([1 + np.arange(2 * paired) // 2, np.arange(n - p, n + 1)])
    without_rows = np.concatenate([np.arange(0, 2 * paired, 2), 2 * paired + np.arange(p + 1)])  # i = n-1 … 0
    prefix_rows = np.arange(1, 2 * paired, 2)  # j = n-2 … p
    lengths = n - offsets
    starts = np.zeros(len(offsets), dtype=np.int64)  # rows of start_behind: after that many words from the end
    starts[without_rows] = np.arange(n)  # "without word i" (i = n-1 … 0) starts after the n - 1 - i last words
    final, _ = backward.run_states(step_inputs(behind[::-1], offsets, n), lengths, [s[starts] for s in start_behind])
    behind_prefix = np.concatenate([final[0][prefix_rows][::-1], start_behind[0][n:]])  # prefixes p … n-1
    behind_without = final[0][without_rows][::-1]

    prefix = network.head_logit(np.concatenate([start_ahead[0][1 + p :], behind_prefix], axis=1))
    without = network.head_logit(np.concatenate([without_ahead[0], behind_without], axis=1))
    return float(prefix[-1]), without, np.concatenate([known, sigmoid(prefix)])
