"""One recurrent unit over T steps, and how much of its start it still feels at the end.

Why one unit: with a single number for a state, backpropagation through time is a product of numbers,
and a learner can watch it vanish or explode as w changes. Three cells:

- ``tanh``: h(t) = tanh(w·h(t−1) + u·x(t) + b), so ∂h(T)/∂h(0) = Π_t w·tanh′(a(t)) = w^T · Π_t (1 − h(t)²).
- ``linear``: h(t) = w·h(t−1) + u·x(t) + b, the same without the squashing: ∂h(T)/∂h(0) = w^T exactly.
- ``lstm``: one LSTM unit. c(t) = f(t)·c(t−1) + i·g(t), g(t) = tanh(w·h(t−1) + u·x(t) + b), h(t) = o·tanh(c(t)).
  The forget gate f(t) is a constant (``forget``) or σ(forget_u·x(t) + forget_bias), read from the input
  only, so the cell's own path back to c(0) is exactly Π f(t): the "constant error carousel" when f ≈ 1.
  The full ∂c(T)/∂c(0) adds the path through h(t−1) and the candidate (when w ≠ 0); both are given.

The input is x(1..T): by default one impulse, x(1) = 1 then zeros, so what h does afterwards is the
unit's own memory of it. Every figure, including the one line of reading, is computed here from the
run; the tests check each derivative against central finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rnnplay.runtime.cells import sigmoid

CELLS = ("tanh", "linear", "lstm")
MAX_STEPS = 1000
VANISHED, FADING, GROWING, EXPLODED = 1e-2, 0.5, 2.0, 1e2  # |∂ state(T) / ∂ state(0)| thresholds for the reading
SATURATED = 0.99  # |h| above this: tanh′ < 0.02, the unit is pinned
SETTLED = 1e-3  # |h(T) − h(T−1)| below this: the state has stopped moving


@dataclass(frozen=True)
class UnitSettings:
    """What the user sets: the cell, its three numbers, the steps, the input and (LSTM) the gates."""

    cell: str = "tanh"
    w: float = 0.9
    u: float = 1.0
    b: float = 0.0
    steps: int = 50
    x: tuple[float, ...] = (1.0,)  # x(1), x(2), …; the steps after the last given are 0
    h0: float = 0.0
    c0: float = 0.0  # the LSTM's starting cell
    forget: float | None = None  # a constant forget gate; None: σ(forget_u·x(t) + forget_bias)
    forget_bias: float = 1.0  # Keras adds 1 to the forget gate's bias (unit_forget_bias)
    forget_u: float = 0.0
    input_gate: float = 1.0  # i, constant: how much of the candidate is written
    output_gate: float = 1.0  # o, constant: how much of the cell is shown

    def inputs(self) -> np.ndarray:
        """x(1..T) as float64: the given values, then zeros (extra values past T are not read)."""
        x = np.zeros(self.steps, dtype=np.float64)
        given = np.asarray(self.x[: self.steps], dtype=np.float64)
        x[: len(given)] = given
        return x

    def input_description(self) -> str:
        """``x(1) = 1, then 0`` — what the user gave, in words."""
        given = list(self.x[: self.steps])
        while given and given[-1] == 0.0:
            given.pop()
        if not given:
            return "x(t) = 0 throughout"
        if len(given) == 1:
            return f"x(1) = {number(given[0])}, then 0"
        listed = ", ".join(number(v) for v in given)
        rest = ", then 0" if len(given) < self.steps else ""
        return f"x(1..{len(given)}) = {listed}{rest}"


@dataclass(frozen=True)
class UnitRun:
    """The run: the states over the steps, each step's factor of the product, and the product."""

    settings: UnitSettings
    h: np.ndarray  # h(0..T), T + 1 values
    factors: np.ndarray  # ∂state(t)/∂state(t−1) for t = 1..T (h for tanh/linear, c for the LSTM)
    pre: np.ndarray  # t = 1..T: the pre-activation a(t) (tanh, linear), or the LSTM's candidate g(t) = tanh(…) itself
    c: np.ndarray | None = None  # LSTM: c(0..T)
    forget: np.ndarray | None = None  # LSTM: f(1..T)

    @property
    def state(self) -> np.ndarray:
        """The state whose memory is measured: h, or the LSTM's cell c."""
        return self.c if self.c is not None else self.h

    @property
    def derivative(self) -> float:
        """∂h(T)/∂h(0) (tanh, linear) or the full ∂c(T)/∂c(0) (LSTM): the product of the step factors."""
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            return float(np.prod(self.factors))

    @property
    def carousel(self) -> float | None:
        """LSTM: Π f(t), the cell's own path back to c(0); None for the other cells."""
        return None if self.forget is None else float(np.prod(self.forget))

    @property
    def w_power(self) -> float:
        """w^T: the product without tanh′ (what the linear unit gets exactly)."""
        with np.errstate(over="ignore"):
            return float(np.float64(self.settings.w) ** self.settings.steps)

    @property
    def tanh_part(self) -> float | None:
        """tanh cell: Π tanh′(a(t)) = Π (1 − h(t)²), what the squashing takes off w^T."""
        if self.settings.cell != "tanh":
            return None
        return float(np.prod(1.0 - self.h[1:] ** 2))

    def back(self) -> np.ndarray:
        """∂state(T)/∂state(t) for t = 0..T: how much the end still feels each step, from T back to 0."""
        out = np.ones(len(self.factors) + 1)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            out[:-1] = np.cumprod(self.factors[::-1])[::-1]
        return out

    def reading(self) -> str:
        """One line a teacher can read out: what the derivative did and what the state did, every figure from the run."""
        return reading(self)


def check(settings: UnitSettings) -> None:
    """Refuse what cannot be run, in one line (the front ends turn ValueError into a usage error)."""
    if settings.cell not in CELLS:
        raise ValueError(f"the cell is one of {', '.join(CELLS)}, not {settings.cell!r}")
    if not 1 <= settings.steps <= MAX_STEPS:
        raise ValueError(f"steps must be from 1 to {MAX_STEPS:,}, not {settings.steps}")
    numbers = {"w": settings.w, "u": settings.u, "b": settings.b, "h0": settings.h0, "c0": settings.c0,
               "forget bias": settings.forget_bias, "forget u": settings.forget_u}
    for name, value in numbers.items():
        if not math.isfinite(value) or abs(value) > 1e6:
            raise ValueError(f"{name} must be a finite number of at most 1e6 in size, not {value}")
    if not all(math.isfinite(v) and abs(v) <= 1e6 for v in settings.x):
        raise ValueError("every x must be a finite number of at most 1e6 in size")
    for name, gate in (("the forget gate", settings.forget), ("the input gate", settings.input_gate),
                       ("the output gate", settings.output_gate)):
        if gate is not None and not 0.0 <= gate <= 1.0:
            raise ValueError(f"{name} is a share from 0 to 1, not {gate}")


def run(settings: UnitSettings) -> UnitRun:
    """Run the unit for ``settings.steps`` steps in float64."""
    check(settings)
    x = settings.inputs()
    if settings.cell == "lstm":
        return _run_lstm(settings, x)
    w, u, b = settings.w, settings.u, settings.b
    h = np.empty(settings.steps + 1)
    h[0] = settings.h0
    pre = np.empty(settings.steps)
    with np.errstate(over="ignore", invalid="ignore"):  # a linear unit with w = 10 overflows on purpose
        for t in range(1, settings.steps + 1):
            pre[t - 1] = w * h[t - 1] + u * x[t - 1] + b
            h[t] = math.tanh(pre[t - 1]) if settings.cell == "tanh" else pre[t - 1]
    if settings.cell == "tanh":
        factors = w * (1.0 - h[1:] ** 2)  # tanh′(a) = 1 − tanh(a)²
    else:
        factors = np.full(settings.steps, float(w))
    return UnitRun(settings, h, factors, pre)


def _run_lstm(settings: UnitSettings, x: np.ndarray) -> UnitRun:
    w, u, b, i, o = settings.w, settings.u, settings.b, settings.input_gate, settings.output_gate
    steps = settings.steps
    if settings.forget is not None:
        f = np.full(steps, float(settings.forget))
    else:
        f = sigmoid(settings.forget_u * x + settings.forget_bias)  # reads the input only: Π f is exact
    h, c, g = np.empty(steps + 1), np.empty(steps + 1), np.empty(steps)
    h[0], c[0] = settings.h0, settings.c0
    for t in range(1, steps + 1):
        g[t - 1] = math.tanh(w * h[t - 1] + u * x[t - 1] + b)  # the candidate reads the state h(t−1)
        c[t] = f[t - 1] * c[t - 1] + i * g[t - 1]  # keep part of the old memory, write part of the new
        h[t] = o * math.tanh(c[t])
    # ∂c(t)/∂c(t−1) = f(t) + i·g′·w·∂h(t−1)/∂c(t−1); h(0) is given, not made from c(0), so step 1 is f(1) alone.
    through_h = np.zeros(steps)
    through_h[1:] = i * (1.0 - g[1:] ** 2) * w * o * (1.0 - np.tanh(c[1:-1]) ** 2)
    return UnitRun(settings, h, f + through_h, g, c=c, forget=f)


# --- the reading -----------------------------------------------------------------------------------


def number(value: float) -> str:
    """A figure in few characters: 0.9, 117, 5.2e-03, −0.31."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    size = abs(value)
    if size >= 1e4 or size < 1e-2:
        return f"{value:.1e}"
    if size >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


def power(w: float, steps: int) -> str:
    """``0.9^50``, ``(−0.9)^50``."""
    return f"({number(w)})^{steps}" if w < 0 else f"{number(w)}^{steps}"


def verdict(size: float) -> str:
    """What a product of this size did to the start's influence."""
    if not math.isfinite(size):
        return "exploded (overflow)"
    if size < VANISHED:
        return "vanished"
    if size < FADING:
        return "fades"
    if size <= GROWING:
        return "kept"
    if size <= EXPLODED:
        return "grows"
    return "exploded"


def state_behaviour(values: np.ndarray, name: str, squashed: bool) -> str:
    """What the state did over the run, from its numbers: decays, settles, saturates, grows, alternates."""
    end, last = float(values[-1]), values[1:]
    if not math.isfinite(end):
        return f"{name} overflows"
    start_size = float(np.max(np.abs(last[: max(1, len(last) // 10)])))
    flips = int(np.sum(np.sign(last[1:]) * np.sign(last[:-1]) < 0))
    if flips > len(last) // 2:
        return f"{name} alternates in sign ({name}(T) = {number(end)})"
    if squashed and abs(end) > SATURATED:
        return f"{name} saturates at {number(end)} (tanh′ = {number(1 - end * end)})"
    if abs(end) > 10 * max(start_size, 1e-12) and abs(end) > 1:
        return f"{name} grows to {number(end)}"
    if abs(end) > 2 * abs(float(last[0])) and np.all(np.diff(np.abs(last)) >= 0):
        return f"{name} grows to {number(end)}"
    if abs(end) < 0.1 * start_size:
        return f"{name} decays to {number(end)}"
    if len(values) > 2 and abs(end - float(values[-2])) < SETTLED:
        return f"{name} settles at {number(end)}"
    return f"{name} moves from {number(float(last[0]))} to {number(end)}"


def reading(result: UnitRun) -> str:
    s = result.settings
    T = s.steps
    d = result.derivative
    size = abs(d)
    if s.cell == "lstm":
        carousel = result.carousel
        assert carousel is not None and result.c is not None and result.forget is not None
        f_mean = float(np.mean(result.forget))
        f_text = power(f_mean, T) if np.ptp(result.forget) == 0 else f"Π f (mean f {number(f_mean)})"
        line = f"∂c({T})/∂c(0) along the carousel = {f_text} = {number(carousel)}: {verdict(abs(carousel))}"
        if verdict(abs(carousel)) == "kept":
            line += " — the constant error carousel"
        if not math.isclose(d, carousel, rel_tol=1e-6, abs_tol=1e-300):
            line += f"; with the path through h, {number(d)}"
        return f"{line}; {state_behaviour(result.c, 'c', squashed=False)}"
    if s.cell == "linear":
        return f"∂h({T})/∂h(0) = {power(s.w, T)} = {number(d)}: {verdict(size)}; {state_behaviour(result.h, 'h', squashed=False)}"
    tanh_part = result.tanh_part
    assert tanh_part is not None
    per_step = size ** (1.0 / T) if size > 0 else 0.0
    line = (f"∂h({T})/∂h(0) = {power(s.w, T)} × Π tanh′ = {number(result.w_power)} × {number(tanh_part)} = {number(d)}: "
            f"{verdict(size)} ({number(per_step)} a step)")
    return f"{line}; {state_behaviour(result.h, 'h', squashed=True)}"
