"""View 4 on a network whose states lie on a known line, and on every shape of network."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from rnnplay.inside_view.axis import axis_view, labelled
from rnnplay.runtime import profile as P
from rnnplay.runtime.inside import trace_ids
from tests.inside_view.rendering import fits
from tests.runtime.networks import EVERY_SHAPE
from tests.runtime.test_profile import last_word_network

# vocabulary of last_word_network: 2 → e = 1.0, 3 → −1.0, 4 → 0.2, 5 → 0.5
TOKENS = ["good", "bad", "fine"]


@pytest.fixture
def line() -> tuple:
    network = last_word_network()
    axis = P.axis_stats(network, [np.array([w]) for w in (2, 3, 4, 5, 2, 3)], np.array([1, 0, 1, 1, 1, 0]))
    return network, SimpleNamespace(axis=axis)


def test_not_computed_or_not_found() -> None:
    assert fits(axis_view(None, None)) == ["the held-out reviews' sentiment axis is not computed yet"]
    assert "too few held-out reviews" in fits(axis_view(SimpleNamespace(axis=None), None))[0]


def test_figures_of_states_on_a_line(line: tuple) -> None:
    _, profile = line
    shown = fits(axis_view(profile, None, height=10))
    assert shown[0] == "final state of 6 held-out reviews: PC1 100% of the variance, PC2 0.0%"
    assert shown[1] == "r(PC1, logit) = 1.000"  # one direction: no forward half to report
    assert shown[2] == "◆ readout (the head's weights): 100% of it in this plane"
    plot = shown[3:13]
    assert len(plot) == 10 and all(len(row) <= 80 for row in plot)
    row = next(r for r in plot if "◆" in r)
    assert row.rstrip().endswith("◆") and len(row.rstrip()) == 80  # the logit rises along +PC1: the right edge
    assert row.count("─") > 20 and "+" in row  # the readout runs through the mean along PC1
    assert sum(r.count("·") + r.count("•") + r.count("●") for r in plot) >= 2


@pytest.mark.parametrize("pooling", ["max", "mean"])
def test_a_pooling_model_s_axis_is_of_the_pooled_states_and_says_so(pooling: str) -> None:
    network = last_word_network()
    network.layers[-1].return_sequences = True  # the same one-unit network, its head reading the pooled states
    pooled = type(network)(network.embedding, network.layers, network.head, network.output, pooling)
    axis = P.axis_stats(pooled, [np.array([w, 2]) for w in (2, 3, 4, 5, 2, 3)], np.array([1, 0, 1, 1, 1, 0]))
    assert axis.pooling == pooling
    assert fits(axis_view(SimpleNamespace(axis=axis), None, height=8))[0].startswith(
        f"{pooling}-pooled states (what the head reads) of 6 held-out reviews")
    back = P.AxisStats.from_json(axis.to_json(), axis.readout.size, 1, 1)
    assert back.pooling == pooling


def test_the_text_is_a_numbered_path(line: tuple) -> None:
    network, profile = line
    path = P.text_path(network, profile.axis, np.array([2, 3, 5]))
    shown = fits(axis_view(profile, path, height=10, tokens=TOKENS))
    plot = "\n".join(shown[3:13])
    assert all(str(k) in plot for k in (1, 2, 3))
    assert shown[-2] == "1 good  2 bad  3 fine"
    end = np.tanh(0.5) - np.tanh([1.0, -1.0, 0.2, 0.5, 1.0, -1.0]).mean()
    assert shown[-1] == f"your text after 3 words: PC1 {end:+.2f}, PC2 +0.00, logit {3 * np.tanh(0.5):+.2f}"
    # word 1 ("good", tanh 1) is right of word 3 ("fine", tanh 0.5), which is right of word 2 ("bad")
    columns = {k: next(r.index(str(k)) for r in shown[3:13] if str(k) in r) for k in (1, 2, 3)}
    assert columns[2] < columns[3] < columns[1]


def test_a_long_path_numbers_nine_points() -> None:
    assert labelled(5) == [0, 1, 2, 3, 4]
    assert labelled(35) == list(range(35))  # every word of a short text has its mark: 1–9, then a–z
    found = labelled(100)
    assert len(found) == 35 and found[0] == 0 and found[-1] == 99 and found == sorted(set(found))


@pytest.mark.parametrize("width,height", [(80, 16), (60, 8)])
@pytest.mark.parametrize("shape", EVERY_SHAPE, ids=lambda s: str(s))
def test_every_network_shape_fits(profiles: dict, shape: tuple, width: int, height: int) -> None:
    network, profile = profiles[shape]
    ids = np.arange(1, 25)
    trace = trace_ids(network, ids)
    shown = fits(axis_view(profile, P.text_path(network, profile.axis, ids), width, height, trace.tokens), width)
    legend = next(i for i, row in enumerate(shown) if row.startswith("PC1 →"))
    plot = shown[legend - height : legend]  # (at 60 columns the figures above it wrap)
    drawn = any("◆" in row for row in plot)
    assert drawn == bool(np.any(profile.axis.readout)) and shown[-1].startswith("your text after 24 words")
    assert drawn or "no readout direction: the logit's gradient at the mean state is zero" in " ".join(shown)  # a ReLU head off there
    assert ("forward half alone" in " ".join(shown[:legend])) == shape[1]


@pytest.mark.parametrize("dark", [True, False, None])
def test_the_labels_take_the_theme_s_colours(line: tuple, dark: bool | None) -> None:
    from rnnplay.render import NEGATIVE, POSITIVE, SHARE_PALETTES

    _, profile = line
    positive, negative = (POSITIVE, NEGATIVE) if dark is None else SHARE_PALETTES[dark][1:]
    group = axis_view(profile, None, height=10, dark=dark)
    styles = {str(span.style) for renderable in group.renderables for span in getattr(renderable, "spans", [])}
    assert f"rgb({positive[0]},{positive[1]},{positive[2]})" in styles
    assert f"rgb({negative[0]},{negative[1]},{negative[2]})" in styles
