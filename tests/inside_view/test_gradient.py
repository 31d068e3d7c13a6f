"""View 2 on gradients whose every figure is known by hand, and on every shape of network."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.inside_view.gradient import decades, eighths_bar, gradient_view, log_fraction
from rnnplay.runtime.explain import explain_ids
from rnnplay.runtime.inside import trace_ids
from rnnplay.runtime.profile import ConnectivityStats
from rnnplay.runtime.through_time import Connectivity, connectivity
from tests.inside_view.rendering import fits
from tests.runtime.networks import EVERY_SHAPE

WORDS = ["first", "second", "third", "fourth"]


def made(forward: list[float], backward: list[float] | None = None) -> Connectivity:
    """A one-dimensional embedding: each direction's part is its norm (positive), the whole their sum."""
    parts = [forward] + ([backward] if backward is not None else [])
    by_direction = np.array(parts, dtype=np.float64)[:, :, None]
    return Connectivity(by_direction.sum(axis=0), by_direction)


BOTH = made([1e-3, 1e-2, 1e-1, 1.0], [1.0, 1e-1, 1e-2, 1e-3])  # forward forgets the start, backward the end


def test_the_log_scale_spans_the_decades_of_the_text() -> None:
    assert decades(BOTH.norms) == 3
    assert decades(np.array([[2.0, 3.0]])) == 1 and decades(np.zeros((1, 3))) == 1
    assert decades(np.array([[1.0, 1e-30]])) == 8  # at most MAX_DECADES
    assert log_fraction(1e-2, 1.0, 3) == pytest.approx(1 / 3) and log_fraction(1e-5, 1.0, 3) == 0.0
    assert log_fraction(0.0, 1.0, 3) == 0.0 and log_fraction(1.0, 1.0, 3) == 1.0
    assert eighths_bar(0.5, 4) == "██  " and eighths_bar(1 / 32, 4) == "▏   "


def test_each_word_s_bars_follow_its_gradient_and_its_share() -> None:
    shown = fits(gradient_view(WORDS, BOTH, np.array([0.1, 2.0, -0.1, 0.1]), None))
    assert "1.0e-03 (empty) to 1.0e+00 (full)" in shown[0]
    rows = {line.split()[0]: line for line in shown if line.split() and line.split()[0] in WORDS}
    forward = [rows[w][12:32].count("█") for w in WORDS]
    backward = [rows[w][32:52].count("█") for w in WORDS]
    assert forward == sorted(forward) and forward[0] == 0 and forward[-1] == 19  # the first word's 1e-3 is the empty end
    assert backward == sorted(backward, reverse=True)
    assert rows["second"].endswith("+2.00") and rows["third"].endswith("-0.10")
    assert rows["first"][52:60].strip() == "1.0e+00"  # ‖total‖: 1e-3 + 1


def test_first_half_shares_of_the_text_and_of_held_out_reviews() -> None:
    held_out = ConnectivityStats(200, 4, np.array([[1.0, 1.0, 3.0, 5.0], [3.0, 1.0, 0.0, 0.0]]), np.array([1.0, 1.0, 1.0, 1.0]))
    shown = fits(gradient_view(WORDS, BOTH, np.zeros(4) + 0.1, profile_with(held_out)))
    text = next(line for line in shown if "this text (4 words)" in line)
    assert text.split()[-3:] == ["1.0%", "99.0%", "50%"]  # (0.001 + 0.01) / 1.111, (1 + 0.1) / 1.111, 2.222 / 4.444
    corpus = next(line for line in shown if "held-out (200 × 4 words)" in line)
    assert corpus.split()[-3:] == ["20%", "100%", "50%"]


def profile_with(stats: ConnectivityStats):
    from types import SimpleNamespace

    return SimpleNamespace(connectivity=stats)


def test_the_line_names_the_word_held_firmly() -> None:
    # "second" moves the logit most when left out (2 of 2.3) but has 0.11 of the 2.222 of gradient
    shown = fits(gradient_view(WORDS, BOTH, np.array([0.1, 2.0, -0.1, 0.1]), None))
    assert shown[-1] == '"second" held firmly: 87% of the leave-one-out effect, 5.0% of the gradient'
    agreeing = fits(gradient_view(WORDS, BOTH, np.array([1.0, 0.11, 0.11, 1.0]), None))
    assert agreeing[-1] == '"first": 45% of the leave-one-out effect, 45% of the gradient: they agree'
    nothing = fits(gradient_view(WORDS, BOTH, np.zeros(4), None))
    assert "nothing to compare" in nothing[-1]


def test_a_long_or_hostile_word_is_cut_and_escaped_to_keep_one_line() -> None:
    tokens = ["a" * 60, "ev\x1b[1m", "c", "d"]
    shown = fits(gradient_view(tokens, BOTH, np.array([0.1, 2.0, -0.1, 0.1]), None))
    assert shown[-1].startswith('"ev\\x1b[1m" held firmly: ')
    assert not any("\x1b" in line for line in shown)
    shown = fits(gradient_view(tokens, BOTH, np.array([2.0, 0.1, -0.1, 0.1]), None))
    assert "…" in shown[-1] and len(shown[-1]) <= 80


def test_without_leave_one_out_shares_or_words() -> None:
    shown = fits(gradient_view(WORDS, BOTH, None, None))
    assert "leave-one-out shares are not computed" in shown[-1] and "held-out reviews: not computed yet" in "\n".join(shown)
    assert fits(gradient_view([], made([]), None, None)) == ["no words to take the gradient of"]
    one = fits(gradient_view(["only"], made([0.5], [0.25]), np.array([1.0]), None))
    assert any("one word has no halves" in line for line in one)


def test_one_direction_has_one_bar_and_no_together_column() -> None:
    shown = fits(gradient_view(WORDS, made([1e-3, 1e-2, 1e-1, 1.0]), np.ones(4), None))
    header = next(line for line in shown if "gradient on the first half" in line)
    assert header.split()[-1] == "forward" and "backward" not in header


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("shape", EVERY_SHAPE, ids=lambda s: str(s))
def test_every_network_shape_fits(profiles: dict, shape: tuple, width: int) -> None:
    network, profile = profiles[shape]
    ids = np.array([3, 7, 1, 9, 12, 4, 4, 20])
    trace = trace_ids(network, ids)
    shown = fits(gradient_view(trace.tokens, connectivity(network, trace), explain_ids(network, ids).logit_shares, profile), width)
    assert sum(line.split()[0] in trace.tokens for line in shown if line.split()) >= len(ids)
    assert any("held-out (10 × 20 words)" in line for line in shown)


def test_the_word_under_the_cursor_is_marked() -> None:
    shown = fits(gradient_view(WORDS, BOTH, np.ones(4), None, cursor=1))
    rows = [line for line in shown if line.split() and line.lstrip("▸").split()[0] in WORDS]
    assert [row[0] for row in rows] == [" ", "▸", " ", " "] and rows[1].startswith("▸second")
    group = gradient_view(WORDS, BOTH, np.ones(4), None, cursor=1, dark=True)
    marked = group.renderables[3]  # the title, the header, then one row per word
    assert any("reverse" in str(span.style) for span in marked.spans)
