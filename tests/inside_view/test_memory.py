"""View 3 on gates whose values are known by hand, and on every shape of network."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnnplay.inside_view.memory import column_chart, memory_view, ruler, sentence
from rnnplay.runtime.inside import trace_ids
from rnnplay.runtime.profile import BINS, GateStats
from tests.inside_view.rendering import fits
from tests.runtime.networks import EVERY_SHAPE
from tests.runtime.test_profile import zero_network

IDS = np.array([1, 2, 3, 4, 5])


def stats(mean: float, below: float = 0.0, above: float = 0.0, units: np.ndarray | None = None) -> GateStats:
    histogram = np.zeros(BINS)
    histogram[min(BINS - 1, int(mean * BINS))] = 1.0
    unit_means = np.full((1, 1, 4), mean) if units is None else units
    return GateStats("forget", histogram, mean, below, above, unit_means, 100)


def test_a_simple_rnn_has_no_gate_to_show() -> None:
    shown = fits(memory_view(trace_ids(zero_network(cell="rnn"), IDS), None))
    assert "A SimpleRNN has no gate" in " ".join(shown)


def test_a_gate_stuck_open_is_saturated_and_remembers_forever() -> None:
    shown = fits(memory_view(trace_ids(zero_network({"f": 40.0}), IDS), None))
    row = next(line for line in shown if line.startswith("this text"))
    assert row[14:52].strip() == "" and row[52:54] == "██"  # the last bin alone
    assert row.split()[-2:] == ["1.000", "100%"]
    spans = [line for line in shown if line.startswith("this text")][1]
    assert spans.endswith("∞ … ∞")
    assert shown[-1] == "mean forget 1.00 over this text, 100% saturated"
    assert "held-out" in "\n".join(shown) and "not computed yet" in "\n".join(shown)


def test_a_half_open_gate_has_a_span_of_two_words() -> None:
    network = zero_network({"f": 0.0}, bidirectional=True)
    shown = fits(memory_view(trace_ids(network, IDS), None))
    assert shown[0] == "forget gate f, the share of c(t−1) kept · 1 layer × 2 directions × 2 units"
    assert [line for line in shown if line.startswith("this text")][1].endswith("2.0 … 2.0")
    assert shown[-1] == "mean forget 0.50 over this text, none saturated"


def test_the_gru_shows_its_update_gate() -> None:
    shown = fits(memory_view(trace_ids(zero_network({"z": 0.0}, cell="gru"), IDS), None))
    assert shown[0].startswith("update gate z, the share of h(t−1) kept") and shown[-1].startswith("mean update 0.50")


def test_an_empty_text_has_no_gates() -> None:
    shown = fits(memory_view(trace_ids(zero_network(), np.zeros(0, np.int64)), None))
    assert any(line.startswith("this text") and "no words" in line for line in shown)
    assert shown[-1] == "no words: the gates have nothing to show"


def test_beside_the_held_out_reviews_and_initialisation() -> None:
    profile = SimpleNamespace(memory=stats(0.737), memory_at_init=stats(0.731))
    shown = fits(memory_view(trace_ids(zero_network({"f": 1.0}), IDS), profile))
    held_out, at_init = ([line for line in shown if line[:14].strip() == name] for name in ("held-out", "at init"))
    assert held_out[0].split()[-2:] == ["0.737", "none"] and at_init[0].split()[-2:] == ["0.731", "none"]
    assert held_out[1].endswith(f"{1 / (1 - 0.737):.1f} … {1 / (1 - 0.737):.1f}")  # its units' spans
    joined = " ".join(" ".join(shown[-2:]).split())  # the sentence, wrapped at 80 columns
    assert joined.startswith("mean forget 0.74 against 0.73 at initialisation, none saturated: this model barely uses long memory")
    assert f"(its longest span is {1 / (1 - 0.737):.1f} words)" in joined


@pytest.mark.parametrize("ours,init,expected", [
    (stats(0.95, above=0.6), stats(0.73), "some units hold what they read for 20.0 words or more"),
    (stats(0.999999, above=1.0, units=np.full((1, 1, 4), 1.0)), stats(0.73), "for as long as a text lasts"),
    (stats(0.3, below=0.2), stats(0.73), "some units forget what they read at every word"),
    (stats(0.85), stats(0.73), "training lengthened its memory (longest span 6.7 words)"),
    (stats(0.6), stats(0.73), "training shortened its memory (longest span 2.5 words)"),
])
def test_the_sentence_follows_the_numbers(ours: GateStats, init: GateStats, expected: str) -> None:
    said = sentence("forget", None, ours, init)
    assert said.startswith(f"mean forget {ours.mean:.2f} against 0.73 at initialisation") and said.endswith(expected)


def test_histogram_blocks_and_ruler() -> None:
    assert column_chart(np.array([0.0, 0.01, 0.5, 1.0]), 1) == " ▁▄█"
    assert column_chart(np.zeros(3), 2) == "      "
    marks = ruler(2)
    assert len(marks) == 2 * BINS + 1 and marks.startswith("0   .1") and marks.endswith(".9  1") and marks[20:22] == ".5"


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("shape", EVERY_SHAPE, ids=lambda s: str(s))
def test_every_network_shape_fits(profiles: dict, shape: tuple, width: int) -> None:
    network, profile = profiles[shape]
    shown = fits(memory_view(trace_ids(network, np.array([3, 7, 1, 9, 12, 4])), profile, width), width)
    if shape[0] == "rnn":
        assert "no gate" in " ".join(shown)
    else:
        assert sum(line.startswith(("this text", "held-out", "at init")) for line in shown) == 6
        assert "at initialisation" in " ".join(shown) and not math.isnan(profile.memory.mean)
