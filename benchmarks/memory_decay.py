"""The gradient over distance at Keras' initialisation, NumPy only (no training, no TensorFlow): what issue 13's
"connectivity at initialisation" quotes, measured two ways for SimpleRNN, GRU and LSTM.

    python benchmarks/memory_decay.py [--length 50] [--seeds 3] [--units 32]

The networks are drawn as Keras initialises them (``runtime.profile.initial_network``: glorot_uniform
kernels, orthogonal recurrent kernels, the LSTM's forget bias at 1, an Embedding of 16 in U(−0.05, 0.05),
a Dense(1) head), one per seed, and read 64 random token sequences of the "first token decides" task:

- **connectivity** (the Inside tab's, Distill's): ‖∂logit/∂x(0)‖ / ‖∂logit/∂x(T−1)‖, the first token's
  gradient over the last token's, averaged over the sequences (``through_time.connectivity_batch``);
- **state gradient** (the race's): g(T−1)/g(0) with g(k) = ‖∂h(T)/∂x(T−k)‖ (``runtime.decay``), and the
  decay per step fitted to log g.
"""

from __future__ import annotations

import argparse

import numpy as np

from rnnplay.runtime.classifier import Network
from rnnplay.runtime.decay import gradient_decay
from rnnplay.runtime.profile import initial_network
from rnnplay.runtime.through_time import connectivity_batch
from rnnplay.training.memory_tasks import FIRST_VOCAB, generate


def measure(cell: str, length: int, seed: int, units: int, sequences: int = 64) -> tuple[float, float, float]:
    architecture = {"vocab_size": FIRST_VOCAB + 2, "embedding_dim": 16, "cell": cell, "units": units, "layers": 1,
                    "bidirectional": False, "head": [{"units": 1, "activation": "linear"}], "output": "logit"}
    network = initial_network(Network.random(architecture, seed), seed=seed)
    ids = generate("first", sequences, length, seed).inputs.astype(np.int64) + 2  # past padding and [UNK]
    found = connectivity_batch(network, list(ids))
    connectivity = float(np.mean([c.total[0] / c.total[-1] for c in found]))
    curve = gradient_decay(cell, network.layers[0].weights, network.embedding[ids].astype(np.float64))
    return connectivity, curve.relative(length - 1), curve.decay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--units", type=int, default=32)
    args = parser.parse_args()
    print(f"at initialisation, T = {args.length}, {args.units} units, {args.seeds} seeds: mean (range)")
    print(f"{'cell':<5} {'connectivity first/last':<28} {'g(T-1)/g(0)':<28} {'decay/step':<22} per step from connectivity")
    for cell in ("rnn", "gru", "lstm"):
        values = np.array([measure(cell, args.length, seed, args.units) for seed in range(args.seeds)])
        mean, low, high = values.mean(axis=0), values.min(axis=0), values.max(axis=0)
        print(f"{cell:<5} {f'{mean[0]:.2g} ({low[0]:.2g}–{high[0]:.2g})':<28} {f'{mean[1]:.2g} ({low[1]:.2g}–{high[1]:.2g})':<28} "
              f"{f'{mean[2]:.3f} ({low[2]:.3f}–{high[2]:.3f})':<22} {mean[0] ** (1 / (args.length - 1)):.3f}")


if __name__ == "__main__":
    main()
