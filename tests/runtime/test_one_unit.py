"""One unit: every derivative against central finite differences (float64), and a reading made of the run's figures."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from rnnplay.runtime.one_unit import UnitSettings, check, number, run


def end_state(settings: UnitSettings) -> float:
    result = run(settings)
    return float(result.state[-1])


def central(settings: UnitSettings, name: str, eps: float = 1e-6) -> float:
    """∂ state(T) / ∂ ``name`` (h0 or c0) by central differences."""
    value = getattr(settings, name)
    plus = end_state(dataclasses.replace(settings, **{name: value + eps}))
    minus = end_state(dataclasses.replace(settings, **{name: value - eps}))
    return (plus - minus) / (2 * eps)


SETTINGS = [
    UnitSettings(cell="tanh", w=0.9, steps=20),
    UnitSettings(cell="tanh", w=1.1, steps=20),
    UnitSettings(cell="tanh", w=1.1, u=0.01, steps=30),  # grows from near 0 to the fixed point
    UnitSettings(cell="tanh", w=-0.8, u=0.7, b=0.3, steps=15, h0=0.2),
    UnitSettings(cell="tanh", w=1.0, u=0.0, b=0.0, steps=10, h0=0.5, x=(0.3, -0.2, 0.9)),
    UnitSettings(cell="tanh", w=2.5, u=1.5, b=0.5, steps=4),  # saturating: tanh′ ≈ 0.01 a step
    UnitSettings(cell="linear", w=1.1, steps=50),
    UnitSettings(cell="linear", w=0.5, u=2.0, b=-1.0, steps=12, h0=3.0),
    UnitSettings(cell="lstm", forget=0.95, w=0.0, steps=30),
    UnitSettings(cell="lstm", forget=0.95, w=0.9, steps=30),
    UnitSettings(cell="lstm", w=1.3, u=0.8, b=-0.2, steps=25, forget_u=2.0, forget_bias=0.5, x=(1.0, 0.0, -1.0, 0.5),
                 input_gate=0.6, output_gate=0.8, c0=0.3, h0=0.1),
    UnitSettings(cell="lstm", w=3.0, u=3.0, b=1.0, steps=8, forget=0.9),  # saturated candidate
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.cell}-w{s.w}-u{s.u}-b{s.b}-T{s.steps}")
def test_the_product_is_the_derivative_of_the_end_state_by_its_start(settings: UnitSettings) -> None:
    result = run(settings)
    start = "c0" if settings.cell == "lstm" else "h0"
    assert result.derivative == pytest.approx(central(settings, start), rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.cell}-w{s.w}-u{s.u}-b{s.b}-T{s.steps}")
def test_how_much_the_end_feels_each_step_matches_a_restarted_run(settings: UnitSettings) -> None:
    """back()[t] = ∂state(T)/∂state(t): restart the run at step t from a nudged state, the rest of the input unchanged."""
    result = run(settings)
    x = settings.inputs()
    back = result.back()
    for t in (1, settings.steps // 2, settings.steps - 1):
        if t < 1:
            continue
        eps = 1e-6
        ends = []
        for sign in (1, -1):
            if settings.cell == "lstm":  # h(t) follows c(t): h = o·tanh(c)
                c0 = float(result.c[t]) + sign * eps
                restarted = dataclasses.replace(settings, steps=settings.steps - t, x=tuple(x[t:]), c0=c0,
                                                h0=settings.output_gate * math.tanh(c0))
            else:
                restarted = dataclasses.replace(settings, steps=settings.steps - t, x=tuple(x[t:]), h0=float(result.h[t]) + sign * eps)
            ends.append(end_state(restarted))
        assert back[t] == pytest.approx((ends[0] - ends[1]) / (2 * eps), rel=1e-5, abs=1e-9), t
    assert back[0] == pytest.approx(result.derivative) and back[-1] == 1.0


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.cell}-w{s.w}-u{s.u}-b{s.b}-T{s.steps}")
def test_each_step_factor_is_the_one_step_derivative(settings: UnitSettings) -> None:
    """Per step (relative accuracy even where the product underflows a finite difference): ∂state(t)/∂state(t−1)."""
    result = run(settings)
    x = settings.inputs()
    for t in range(2, settings.steps + 1):
        one = dataclasses.replace(settings, steps=1, x=(float(x[t - 1]),))
        if settings.cell == "lstm":
            f = float(result.forget[t - 1])
            one = dataclasses.replace(one, forget=f)
            c = float(result.c[t - 1])
            step = lambda e, one=one, c=c: end_state(dataclasses.replace(one, c0=c + e, h0=settings.output_gate * math.tanh(c + e)))
        else:
            h = float(result.h[t - 1])
            step = lambda e, one=one, h=h: end_state(dataclasses.replace(one, h0=h + e))
        fd = (step(1e-7) - step(-1e-7)) / 2e-7
        assert result.factors[t - 1] == pytest.approx(fd, rel=1e-6, abs=1e-10)


def test_the_tanh_product_is_w_to_the_t_times_the_tanh_slopes() -> None:
    result = run(UnitSettings(w=0.9, steps=50))
    assert result.w_power == pytest.approx(0.9**50)
    assert result.derivative == pytest.approx(result.w_power * result.tanh_part)
    assert result.tanh_part == pytest.approx(np.prod(1 - np.tanh(result.pre) ** 2))


def test_a_linear_unit_is_exactly_w_to_the_t() -> None:
    result = run(UnitSettings(cell="linear", w=1.1, steps=50))
    assert result.derivative == pytest.approx(1.1**50, rel=1e-12)
    assert result.h[50] == pytest.approx(1.1**49)  # the impulse x(1) = 1 grows by w a step


def test_an_lstm_whose_candidate_ignores_h_has_exactly_the_carousel() -> None:
    result = run(UnitSettings(cell="lstm", forget=0.95, w=0.0, steps=50))
    assert result.carousel == pytest.approx(0.95**50) and result.derivative == pytest.approx(result.carousel)
    gated = run(UnitSettings(cell="lstm", forget_u=1.5, forget_bias=2.0, w=0.0, x=(1.0, 0.0, 1.0), steps=10))
    f = 0.5 * (1 + np.tanh(0.5 * (1.5 * gated.settings.inputs() + 2.0)))
    assert gated.carousel == pytest.approx(np.prod(f))


def figures(line: str) -> list[str]:
    return re.findall(r"-?[0-9][0-9.e+-]*", line)


@pytest.mark.parametrize("settings, words", [
    (UnitSettings(w=0.9), ["vanished", "0.9^50", "decays"]),
    (UnitSettings(w=3.0), ["vanished", "saturates"]),
    (UnitSettings(cell="linear", w=1.1), ["exploded", "1.1^50", "117", "grows"]),
    (UnitSettings(cell="linear", w=1.0), ["kept"]),
    (UnitSettings(cell="lstm", forget=0.999, w=0.0), ["kept", "constant error carousel"]),
    (UnitSettings(cell="lstm", forget=0.95, w=0.0), ["fades", "0.95^50"]),
    (UnitSettings(w=-0.9), ["(-0.9)^50", "alternates"]),
])
def test_the_reading_says_what_the_numbers_show(settings: UnitSettings, words: list[str]) -> None:
    result = run(settings)
    line = result.reading()
    for word in words:
        assert word in line, (word, line)
    assert number(result.derivative if settings.cell != "lstm" else result.carousel) in line


def test_the_reading_follows_the_numbers_not_a_script() -> None:
    """Change w and every figure in the line changes with it."""
    a, b = run(UnitSettings(w=0.9)).reading(), run(UnitSettings(w=0.8)).reading()
    assert set(figures(a)) - {"50", "0"} and not (set(figures(a)) - {"50", "0"}) & (set(figures(b)) - {"50", "0"})


@pytest.mark.parametrize("settings, message", [
    (UnitSettings(cell="gru"), "cell"),
    (UnitSettings(steps=0), "steps"),
    (UnitSettings(w=float("nan")), "w must"),
    (UnitSettings(cell="lstm", forget=1.5), "forget gate"),
])
def test_what_cannot_run_is_refused_in_one_line(settings: UnitSettings, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check(settings)


def test_an_overflowing_linear_unit_says_so_instead_of_failing() -> None:
    result = run(UnitSettings(cell="linear", w=10.0, steps=1000))
    assert math.isinf(result.derivative) and "overflow" in result.reading()


def test_the_input_description_names_what_was_given() -> None:
    assert UnitSettings().input_description() == "x(1) = 1, then 0"
    assert UnitSettings(x=(0.5, 0.0, -1.0)).input_description() == "x(1..3) = 0.5, 0, -1, then 0"
    assert UnitSettings(x=()).input_description() == "x(t) = 0 throughout"
