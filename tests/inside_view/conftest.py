"""Profiles of small random networks of every shape, computed once, for the views' tests."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime import profile as P
from tests.runtime.networks import EVERY_SHAPE, RELU_HEAD, random_network


@pytest.fixture(scope="session")
def profiles() -> dict:
    """(cell, bidirectional, layers) -> (network, profile over 40 random texts of 5 to 30 words)."""
    rng = np.random.default_rng(0)
    sequences = [rng.integers(1, 30, n) for n in rng.integers(5, 30, 40)]
    labels = rng.integers(0, 2, 40)
    found = {}
    for shape in EVERY_SHAPE:
        network = random_network(*shape, head=RELU_HEAD)
        found[shape] = network, P.compute_profile(network, sequences, labels, reviews=10, length=20)
    return found
