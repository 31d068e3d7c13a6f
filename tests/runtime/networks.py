"""Small random networks of every shape a card can describe, for the runtime's exactness tests."""

from __future__ import annotations

import itertools

from rnnplay.runtime.classifier import Network

# Every cell × direction × depth: the combinations the runtime's parity tests cover.
EVERY_SHAPE = list(itertools.product(("lstm", "gru", "rnn"), (False, True), (1, 2)))
POOLINGS = ("last", "max", "mean")  # what the head reads of the last layer: every runtime path is tested with each
RELU_HEAD = [{"units": 4, "activation": "relu"}, {"units": 1, "activation": "linear"}]
LINEAR_HEAD = [{"units": 1, "activation": "linear"}]


def random_network(cell: str, bidirectional: bool, layers: int, seed: int = 0, head: list | None = None,
                   output: str = "logit", pooling: str = "last") -> Network:
    """A random (untrained) network: the runtime's shortcuts and hand-written gradients must hold for all."""
    architecture = {"vocab_size": 30, "embedding_dim": 6, "cell": cell, "units": 5, "layers": layers,
                    "bidirectional": bidirectional, "head": head or LINEAR_HEAD, "output": output, "pooling": pooling}
    return Network.random(architecture, seed)
