"""What one-hot inputs cost: an embedding lookup against a one-hot matrix times the same weights.

The TensorFlow word-embeddings tutorial says an ``Embedding`` layer is a lookup table, and that feeding
one-hot vectors to a ``Dense`` layer would compute the same thing far less efficiently. Both are
measured here on the same weights and the same token ids: ``weights[ids]`` (take the rows) against
``one_hot(ids) @ weights`` (what a bias-free ``Dense`` layer computes on one-hot inputs), with the result
checked equal and the memory each input needs. The one-hot matrix is built before the clock starts, as
a model fed one-hot inputs would receive it; building it is not counted against it.
"""

from __future__ import annotations

import timeit
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from rnnplay.errors import RnnplayError

REPEATS = 5  # best of this many timings: the least disturbed by whatever else the machine does
MIN_TIMING = 0.005  # seconds one timing lasts at least (a fast call is repeated within it, as timeit does)


def best_time(call: Callable[[], Any], repeats: int = REPEATS, min_timing: float = MIN_TIMING) -> float:
    """Seconds one ``call`` takes: the best of ``repeats`` timings, each long enough to measure.

    ``timeit``'s own ``autorange`` aims at 0.2 s a timing, far longer than a pane should wait, so the
    number of calls a timing makes grows tenfold only until ``min_timing`` is reached.
    """
    timer = timeit.Timer(call)
    number = 1
    while (elapsed := timer.timeit(number)) < min_timing and number < 1_000_000:
        number *= 10
    return min([elapsed, *timer.repeat(repeats - 1, number)]) / number


def one_hot_matrix(ids: np.ndarray, size: int) -> np.ndarray:
    """One row per token, ``size`` columns, a single 1.0 in each row at the token's id (float32)."""
    matrix = np.zeros((len(ids), size), dtype=np.float32)
    matrix[np.arange(len(ids)), ids] = 1.0
    return matrix


@dataclass(frozen=True)
class LookupCost:
    """Both ways to turn ``tokens`` ids into vectors with a ``vocab`` × ``dimension`` weight matrix."""

    tokens: int
    vocab: int
    dimension: int
    lookup_seconds: float  # weights[ids]
    matmul_seconds: float  # one_hot(ids) @ weights
    ids_bytes: int  # the lookup's input: the ids
    one_hot_bytes: int  # the product's input: tokens × vocab float32
    weights_bytes: int  # the same for both
    equal: bool  # the two results are the same numbers, exactly
    max_difference: float
    repeats: int

    @property
    def ratio(self) -> float:
        """How many times longer the product takes than the lookup."""
        return self.matmul_seconds / self.lookup_seconds if self.lookup_seconds > 0 else float("inf")

    def to_json(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "vocab": self.vocab, "dimension": self.dimension,
                "lookup_seconds": self.lookup_seconds, "matmul_seconds": self.matmul_seconds, "ratio": self.ratio,
                "ids_bytes": self.ids_bytes, "one_hot_bytes": self.one_hot_bytes, "weights_bytes": self.weights_bytes,
                "equal": self.equal, "max_difference": self.max_difference, "repeats": self.repeats}


def lookup_cost(weights: np.ndarray, ids: np.ndarray, repeats: int = REPEATS) -> LookupCost:
    """Time ``weights[ids]`` against ``one_hot(ids) @ weights`` (best of ``repeats``) and compare the results."""
    weights = np.asarray(weights, dtype=np.float32)
    ids = np.asarray(ids, dtype=np.int32)
    if weights.ndim != 2:
        raise RnnplayError(f"the weights must be a matrix, not shape {weights.shape}")
    if ids.ndim != 1 or not len(ids):
        raise RnnplayError("give at least one token to look up")
    if ids.min() < 0 or ids.max() >= len(weights):
        raise RnnplayError(f"token ids must be from 0 to {len(weights) - 1:,}")
    hot = one_hot_matrix(ids, len(weights))
    looked_up = np.take(weights, ids, axis=0)
    multiplied = hot @ weights
    difference = float(np.abs(looked_up - multiplied).max())
    return LookupCost(len(ids), weights.shape[0], weights.shape[1],
                      best_time(lambda: np.take(weights, ids, axis=0), repeats),
                      best_time(lambda: hot @ weights, repeats),
                      ids.nbytes, hot.nbytes, weights.nbytes, bool(np.array_equal(looked_up, multiplied)), difference,
                      repeats)


def random_cost(vocab: int = 10_000, dimension: int = 64, tokens: int = 300, seed: int = 0, repeats: int = REPEATS) -> LookupCost:
    """The cost at a given shape, on random weights and ids (the tutorial's 10k × 64 with 300 tokens by default)."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(0.0, 0.05, (vocab, dimension)).astype(np.float32)
    return lookup_cost(weights, rng.integers(0, vocab, tokens), repeats)


def text_cost(embedding: np.ndarray, ids: np.ndarray, repeats: int = REPEATS) -> LookupCost:
    """The cost on a text's own ids (as a classifier's encoder gives them) and that classifier's embedding."""
    if not len(ids):
        raise RnnplayError("the text has no words once standardized: nothing to look up")
    return lookup_cost(embedding, ids, repeats)
