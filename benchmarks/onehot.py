"""The embedding lookup against one-hot × Dense at the tutorial's shape, the figure the Words tab measures live.

    python benchmarks/onehot.py            # NumPy: 10,000 × 64 weights, 300 tokens, best of 20
    python benchmarks/onehot.py --keras    # also Keras' Embedding against a bias-free Dense on one-hot inputs

Measured 2026-12 on 2 shared cores: lookup 3.4 µs, float32 product 1.5 ms (about 440×), float64 product
17.6 ms; Keras in a tf.function: Embedding 186 µs, Dense on one-hot 1.5 ms.

The issue quoted 6 µs against 17 ms (10k × 64, 300 tokens). NumPy's product goes through BLAS; on 2
shared cores its time depends on what else runs, so the best of many timings is reported. Keras layers
are timed inside a ``tf.function`` (no Python-side eager overhead), on the same weights and ids.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from common import print_table, row

from rnnplay.render import human_size
from rnnplay.runtime.onehot_cost import one_hot_matrix, random_cost
from rnnplay.words_view.cost import duration, times


def keras_cost(vocab: int, dimension: int, tokens: int, repeats: int) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    weights = rng.normal(0.0, 0.05, (vocab, dimension)).astype(np.float32)
    ids = rng.integers(0, vocab, tokens).astype(np.int32)
    embedding = keras.layers.Embedding(vocab, dimension)
    dense = keras.layers.Dense(dimension, use_bias=False)
    embedding.build((None,))
    dense.build((None, vocab))
    embedding.set_weights([weights])
    dense.set_weights([weights])
    ids_tensor, hot = tf.constant(ids), tf.constant(one_hot_matrix(ids, vocab))
    looked_up = tf.function(lambda: embedding(ids_tensor))
    multiplied = tf.function(lambda: dense(hot))
    same = np.array_equal(looked_up().numpy(), multiplied().numpy())

    def best(call, number: int) -> float:
        call()
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(number):
                call()
            timings.append((time.perf_counter() - start) / number)
        return min(timings)

    lookup, product = best(looked_up, 100), best(multiplied, 5)
    row("Keras Embedding (tf.function)", duration(lookup))
    row("Keras Dense on one-hot, no bias (tf.function)", duration(product), f"{times(product / lookup)} the lookup; same numbers: {same}")


def float64_product(vocab: int, dimension: int, tokens: int, repeats: int) -> None:
    """The same product with a float64 one-hot matrix (``np.eye``'s default dtype): NumPy then multiplies in
    float64, about ten times slower. The issue's 17 ms matches this, not the float32 product."""
    import timeit

    rng = np.random.default_rng(0)
    weights = rng.normal(0.0, 0.05, (vocab, dimension)).astype(np.float32)
    hot = one_hot_matrix(rng.integers(0, vocab, tokens), vocab).astype(np.float64)
    seconds = min(timeit.repeat(lambda: hot @ weights, number=1, repeat=repeats))
    row("NumPy one_hot(ids) @ W, one-hot in float64", duration(seconds), f"input {human_size(hot.nbytes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab", type=int, default=10_000)
    parser.add_argument("--dimension", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keras", action="store_true", help="also time Keras' layers (imports TensorFlow)")
    args = parser.parse_args()
    cost = random_cost(args.vocab, args.dimension, args.tokens, repeats=args.repeats)
    print(f"{args.tokens} tokens, weights {args.vocab:,} × {args.dimension}, best of {args.repeats}:")
    row("NumPy lookup W[ids]", duration(cost.lookup_seconds), f"input {cost.ids_bytes:,} B of ids")
    row("NumPy one_hot(ids) @ W", duration(cost.matmul_seconds),
        f"{times(cost.ratio)} the lookup; input {human_size(cost.one_hot_bytes)}; same numbers: {cost.equal}")
    float64_product(args.vocab, args.dimension, args.tokens, args.repeats)
    if args.keras:
        keras_cost(args.vocab, args.dimension, args.tokens, args.repeats)
    print_table()


if __name__ == "__main__":
    main()
