"""The gradient-over-distance measure: exact on a linear case, and its Jacobian against finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnplay.runtime.decay import GradientDecay, fit_decay, gradient_decay
from rnnplay.runtime.inside import run_layer, stacked
from rnnplay.runtime.recurrent import DirectionWeights
from rnnplay.runtime.through_time import state_gradient
from tests.runtime.networks import random_network


@pytest.mark.parametrize("w", [0.9, 0.5, 1.1, -0.7])
def test_a_linear_one_unit_rnn_gives_w_to_the_k(w):
    """h(t) = tanh(w·h(t−1) + x(t)) at h = x = 0 is linear (tanh′(0) = 1): ∂h(T)/∂x(T − k) = w^k exactly."""
    weights = DirectionWeights(np.ones((1, 1)), np.full((1, 1), w), np.zeros(1))
    curve = gradient_decay("rnn", [weights], np.zeros((3, 40, 1)))
    np.testing.assert_allclose(curve.norms, np.abs(w) ** np.arange(40), rtol=1e-12)
    assert curve.decay == pytest.approx(abs(w), rel=1e-12)
    assert curve.relative(39) == pytest.approx(abs(w) ** 39, rel=1e-12)


def test_a_scaled_orthogonal_matrix_decays_by_its_scale():
    """U = w·Q (Q orthogonal), kernel I, zero inputs: ‖∂h(T)/∂x(T − k)‖_F = w^k·√units."""
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    weights = DirectionWeights(np.eye(4), 0.8 * q, np.zeros(4))
    curve = gradient_decay("rnn", [weights, weights], np.zeros((2, 20, 4)))  # both directions alike
    np.testing.assert_allclose(curve.norms, 2.0 * 0.8 ** np.arange(20), rtol=1e-12)
    assert curve.decay == pytest.approx(0.8, rel=1e-12)


def final_states(cell: str, weights: list[DirectionWeights], x: np.ndarray) -> np.ndarray:
    run = run_layer(cell, stacked(cell, weights), x.transpose(1, 0, 2)[:, :, :])
    return run.steps[-1].h  # (D, batch, units)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_the_jacobian_norms_match_finite_differences(cell, bidirectional):
    network = random_network(cell, bidirectional, 1, seed=5)
    weights = network.layers[0].weights
    x = np.random.default_rng(6).normal(size=(2, 6, 6))
    found = state_gradient(cell, weights, x)  # (D, batch, T) by distance
    eps = 1e-6
    directions = len(weights)
    jac = np.zeros((directions, 2, 6, 5, 6))  # (D, batch, t, units, input)
    for b, t, i in np.ndindex(2, 6, 6):
        up, down = x.copy(), x.copy()
        up[b, t, i] += eps
        down[b, t, i] -= eps
        jac[:, b, t, :, i] = (final_states(cell, weights, up)[:, b] - final_states(cell, weights, down)[:, b]) / (2 * eps)
    norms = np.sqrt((jac**2).sum(axis=(3, 4)))  # (D, batch, t) in the text's order
    expected = np.stack([norms[0, :, ::-1]] + ([norms[1]] if bidirectional else []))  # by each direction's distance
    np.testing.assert_allclose(found, expected, rtol=1e-6, atol=1e-9)


def test_the_fit_skips_underflow_and_needs_two_points():
    assert fit_decay([1.0, 0.5, 0.25, 0.0]) == pytest.approx(0.5)
    assert math.isnan(fit_decay([1.0, 0.0]))


def test_a_curve_survives_json_and_refuses_bad_values():
    curve = GradientDecay((1.0, 0.5, 0.25), 0.5)
    assert GradientDecay.from_json(curve.to_json()) == curve
    with pytest.raises(ValueError):
        GradientDecay.from_json({"norms": [1.0, -1.0], "decay": 0.5})
    with pytest.raises(ValueError):
        GradientDecay.from_json({"norms": [], "decay": 0.5})
    assert curve.shown() == [1, 2]
