"""How fast a recurrent cell's gradient fades with distance back in time, and the decay per step it implies.

For a layer's weights and a batch of inputs, ``gradient_decay`` averages ‖∂h(T)/∂x(T − k)‖ over the batch
(and over both directions of a bidirectional layer, each by its own reading distance) for every distance
k, and fits log g(k) = a + k·log(decay) by least squares: ``decay`` is the factor the gradient is
multiplied by per step (a linear RNN with recurrent weight w gives exactly w). ``relative(k)`` is g(k)/g(0),
the issue's "first token's gradient over the last token's" when k = T − 1.

The norms come from ``through_time.state_gradient`` (hand-written BPTT, tested against TensorFlow and
finite differences), so this module only averages and fits. NumPy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from rnnplay.runtime.recurrent import DirectionWeights
from rnnplay.runtime.through_time import state_gradient

FLOOR = 1e-300  # norms at or below this (underflow) are left out of the fit
SHOWN_DISTANCES = (1, 10, 50, 100, 200, 500)  # distances a table shows, those shorter than the sequence


@dataclass(frozen=True)
class GradientDecay:
    """Mean ‖∂h(T)/∂x(T − k)‖ for k = 0 … T − 1, and its fitted decay per step."""

    norms: tuple[float, ...]  # index k: the mean norm at distance k
    decay: float  # exp(slope of log norm against k); nan when fewer than two norms are above FLOOR

    @property
    def length(self) -> int:
        return len(self.norms)

    def relative(self, distance: int) -> float:
        """g(k) / g(0); nan when g(0) is 0 or k is out of range."""
        if not 0 <= distance < self.length or not self.norms[0] > 0:
            return math.nan
        return self.norms[distance] / self.norms[0]

    def shown(self) -> list[int]:
        """The distances of ``SHOWN_DISTANCES`` this curve reaches, and its farthest one."""
        reach = [k for k in SHOWN_DISTANCES if k < self.length]
        return reach + ([self.length - 1] if self.length - 1 not in reach and self.length > 1 else [])

    def to_json(self) -> dict[str, Any]:
        return {"norms": [float(n) for n in self.norms], "decay": None if math.isnan(self.decay) else self.decay}

    @classmethod
    def from_json(cls, data: Any) -> GradientDecay:
        if not isinstance(data, dict) or not isinstance(data.get("norms"), list):
            raise ValueError("a gradient decay must be an object with a list of norms")
        norms = data["norms"]
        if not norms or not all(isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) and n >= 0
                                for n in norms):
            raise ValueError("a gradient decay's norms must be finite numbers ≥ 0")
        decay = data.get("decay")
        if decay is not None and not (isinstance(decay, (int, float)) and not isinstance(decay, bool) and math.isfinite(decay) and decay >= 0):
            raise ValueError("a gradient decay's decay must be a number ≥ 0 or null")
        return cls(tuple(float(n) for n in norms), math.nan if decay is None else float(decay))


def fit_decay(norms: Sequence[float]) -> float:
    """exp of the least-squares slope of log(norm) against distance, over the norms above FLOOR."""
    values = np.asarray(norms, dtype=np.float64)
    distances = np.arange(len(values))
    kept = values > FLOOR
    if kept.sum() < 2:
        return math.nan
    slope = np.polyfit(distances[kept], np.log(values[kept]), 1)[0]
    return float(np.exp(slope))


def gradient_decay(cell: str, directions: Sequence[DirectionWeights], x: np.ndarray) -> GradientDecay:
    """The decay curve of one recurrent layer over inputs ``x`` (batch, T, input_dim)."""
    norms = state_gradient(cell, directions, x).mean(axis=(0, 1))  # over directions and the batch
    return GradientDecay(tuple(float(n) for n in norms), fit_decay(norms))
