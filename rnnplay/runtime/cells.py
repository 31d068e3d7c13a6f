"""The three recurrent cells as a textbook writes them, one step at a time, and their backward passes.

``recurrent`` runs the same cells fast (fused directions, reordered and halved gates, buffers reused);
this module is the version to read: every gate on its own line with what it decides. The Inside views
show what these functions compute, the fused cells are tested against them, and backpropagation through
time (``through_time``) runs their backward passes, written out by hand, no autodiff library.

The weights are Keras' own, in Keras' layouts (``DirectionWeights``): the kernel multiplies the input
x(t), the recurrent kernel multiplies the previous state h(t−1), and the gates sit side by side in
their columns, LSTM ``[i, f, c, o]``, GRU ``[z, r, h]``; a GRU keeps two bias rows (Keras'
``reset_after``). Leading axes broadcast: ``inside`` steps both directions of a layer in one call by
stacking their weights on a first axis (kernel (D, inputs, gates), bias (D, 1, gates), a GRU's bias
(2, D, 1, gates)), which makes the Python loop no longer than one direction's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnplay.runtime.recurrent import DirectionWeights


def sigmoid(a: np.ndarray) -> np.ndarray:
    """1 / (1 + e^−a), written through tanh so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


# --- LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000) --------------------


@dataclass(frozen=True)
class LstmStep:
    input: np.ndarray  # i(t): how much of the candidate is written into the cell
    forget: np.ndarray  # f(t): how much of the old cell is kept
    output: np.ndarray  # o(t): how much of the cell is shown as the state
    candidate: np.ndarray  # g(t): what could be written
    c: np.ndarray  # the cell c(t), the memory the gates guard
    h: np.ndarray  # the state h(t), what the next step and the next layer read


def lstm_step(w: DirectionWeights, x: np.ndarray, h: np.ndarray, c: np.ndarray) -> LstmStep:
    """One LSTM step: from the input x(t), the state h(t−1) and the cell c(t−1) to c(t) and h(t)."""
    u = h.shape[-1]
    a = x @ w.kernel + h @ w.recurrent_kernel + w.bias  # every gate sees x(t) and h(t−1); columns [i, f, c, o]
    squashed = sigmoid(a)  # three of the four are gates, in (0, 1)
    i = squashed[..., :u]  # input gate
    f = squashed[..., u : 2 * u]  # forget gate: near 1 the cell carries its memory on
    o = squashed[..., 3 * u :]  # output gate
    g = np.tanh(a[..., 2 * u : 3 * u])  # the candidate is not a gate: tanh, in (−1, 1)
    c_new = f * c + i * g  # keep part of the old memory, write part of the new
    h_new = o * np.tanh(c_new)  # show part of the memory
    return LstmStep(i, f, o, g, c_new, h_new)


def lstm_backward(w: DirectionWeights, x: np.ndarray, h: np.ndarray, c: np.ndarray, step: LstmStep,
                  dh: np.ndarray, dc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through one LSTM step: given ∂L/∂h(t) and ∂L/∂c(t) (from later steps), return ∂L/∂x(t),
    ∂L/∂h(t−1) and ∂L/∂c(t−1). ``x``, ``h``, ``c`` are the step's inputs, ``step`` what it computed."""
    i, f, o, g = step.input, step.forget, step.output, step.candidate
    tanh_c = np.tanh(step.c)
    dc = dc + dh * o * (1.0 - tanh_c**2)  # the cell reaches the loss directly and through h(t)
    d_o = dh * tanh_c
    d_i, d_g, d_f = dc * g, dc * i, dc * c
    dc_previous = dc * f  # the cell's own path back in time: multiplied by the forget gate, nothing else
    da = np.concatenate([d_i * i * (1 - i), d_f * f * (1 - f), d_g * (1 - g**2), d_o * o * (1 - o)], axis=-1)
    return da @ w.kernel.mT, da @ w.recurrent_kernel.mT, dc_previous


# --- GRU (Cho et al. 2014), as Keras 3 computes it by default (reset_after=True) -----------------------


@dataclass(frozen=True)
class GruStep:
    update: np.ndarray  # z(t): how much of the old state is kept (Keras: h = z·h(t−1) + (1 − z)·candidate)
    reset: np.ndarray  # r(t): how much of the old state the candidate may look at
    candidate: np.ndarray  # the new state on offer
    h: np.ndarray  # the state h(t)
    recurrent_part: np.ndarray  # h(t−1)'s contribution to the candidate, before the reset gate (for the backward pass)


def gru_step(w: DirectionWeights, x: np.ndarray, h: np.ndarray) -> GruStep:
    """One GRU step: from x(t) and h(t−1) to h(t)."""
    u = h.shape[-1]
    x_part = x @ w.kernel + w.bias[0]  # the input's part of each gate, columns [z, r, h]
    h_part = h @ w.recurrent_kernel + w.bias[1]  # the old state's part (Keras keeps the two biases apart)
    x_z, x_r, x_h = x_part[..., :u], x_part[..., u : 2 * u], x_part[..., 2 * u :]
    h_z, h_r, h_h = h_part[..., :u], h_part[..., u : 2 * u], h_part[..., 2 * u :]
    z = sigmoid(x_z + h_z)  # update gate: near 1 the state is carried on unchanged
    r = sigmoid(x_r + h_r)  # reset gate: near 0 the candidate ignores the old state
    candidate = np.tanh(x_h + r * h_h)  # the new state on offer
    h_new = z * h + (1.0 - z) * candidate  # blend: keep z of the old, take 1 − z of the new
    return GruStep(z, r, candidate, h_new, h_h)


def gru_backward(w: DirectionWeights, x: np.ndarray, h: np.ndarray, step: GruStep,
                 dh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradients through one GRU step: given ∂L/∂h(t), return ∂L/∂x(t) and ∂L/∂h(t−1)."""
    z, r, candidate = step.update, step.reset, step.candidate
    d_candidate = dh * (1.0 - z)
    dh_previous = dh * z  # the direct path back in time: multiplied by the update gate
    d_z = dh * (h - candidate)
    d_a = d_candidate * (1.0 - candidate**2)  # through the candidate's tanh
    d_r = d_a * step.recurrent_part
    d_az, d_ar = d_z * z * (1 - z), d_r * r * (1 - r)
    dx = np.concatenate([d_az, d_ar, d_a], axis=-1) @ w.kernel.mT
    dh_previous = dh_previous + np.concatenate([d_az, d_ar, d_a * r], axis=-1) @ w.recurrent_kernel.mT
    return dx, dh_previous


# --- SimpleRNN (Elman 1990) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RnnStep:
    preactivation: np.ndarray  # x(t)·W + h(t−1)·U + b, before the tanh
    h: np.ndarray  # the state h(t)


def rnn_step(w: DirectionWeights, x: np.ndarray, h: np.ndarray) -> RnnStep:
    """One SimpleRNN step: h(t) = tanh(x(t)·W + h(t−1)·U + b). No gate: every step rewrites the whole state."""
    a = x @ w.kernel + h @ w.recurrent_kernel + w.bias
    return RnnStep(a, np.tanh(a))


def rnn_backward(w: DirectionWeights, step: RnnStep, dh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradients through one SimpleRNN step: given ∂L/∂h(t), return ∂L/∂x(t) and ∂L/∂h(t−1).

    Every step back multiplies by (1 − h²)·Uᵀ: the product of many such factors is what vanishes
    (or explodes) through time."""
    da = dh * (1.0 - step.h**2)
    return da @ w.kernel.mT, da @ w.recurrent_kernel.mT
