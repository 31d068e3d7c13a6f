"""The stream-vs-re-read view: every figure it shows is the result's, and it keeps to its width."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from rnnplay.inside_view.stream import duration, stream_view
from rnnplay.printable import is_printable
from rnnplay.runtime.classifier import Classifier
from rnnplay.runtime.streaming import StreamCost, formula, measure, steps_every_word
from tests.conftest import SHIPPED_LSTM, SHIPPED_MODEL


def cost(words: int, directions: int, layers: int = 1, every: float | None = 0.0123, whole: float = 4.56e-5, name: str = "m",
         dropped: int = 0, cell: str = "lstm") -> StreamCost:
    return StreamCost(name, cell, 32, layers, directions, words, dropped, steps_every_word(words, directions, layers),
                      formula(directions, layers), layers * words, directions * layers * words, every, whole,
                      np.zeros(words if every is not None else 0), 3, 1000)


def render(view, console_width: int = 200) -> str:
    out = io.StringIO()
    Console(file=out, width=console_width, color_system=None).print(view)
    return out.getvalue()


def flat(text: str) -> str:
    """The rendered text as one line of words (the trade-off line wraps)."""
    return " ".join(text.split())


def test_duration_keeps_about_three_figures():
    assert [duration(s) for s in (4.8e-5, 4.1e-4, 0.0123, 0.2136, 1.254)] == ["48 µs", "0.41 ms", "12.3 ms", "213.6 ms", "1.25 s"]


def test_a_bidirectional_result_shows_its_own_figures():
    result = cost(1234, 2)  # 1,234 + 1,234 · 1,235 / 2 = 763,229 steps to re-read; 1,234 to stream
    text = flat(render(stream_view(result)))
    assert "1,234 words" in text and "(BiLSTM 32)" in text and "m" in text
    assert "re-reading, two directions (this model) 763,229 n + n(n+1)/2 12.3 ms" in text
    assert "streaming, one direction 1,234 n —" in text
    assert "one pass over the text, one prediction 2,468 2·n 46 µs" in text
    assert f"took 763,229 steps (12.3 ms, {0.0123 / 4.56e-5:.1f}× one pass)" in text
    assert "a one-directional model streams them in 1,234" in text and "cannot stream" in text


def test_a_one_directional_stack_shows_its_own_figures():
    result = cost(50, 1, layers=2, every=0.0021, whole=0.0019, cell="gru")
    text = flat(render(stream_view(result)))
    assert "(2×GRU 32) · 50 words" in text
    assert "streaming, one direction (this model) 100 2·n 2.10 ms" in text
    assert f"re-reading, two directions {50 + 3 * 1275:,} n + 3·n(n+1)/2 —" in text  # what a stacked BiGRU would need
    assert "one pass over the text, one prediction 100 2·n 1.90 ms" in text
    assert f"took 100 steps (2.10 ms, {0.0021 / 0.0019:.1f}× one pass)" in text and "re-read every prefix, 3,875 steps" in text


@pytest.mark.parametrize("pooling", ["max", "mean"])
def test_a_pooling_model_says_what_streaming_keeps_for_it(pooling):
    """A left-to-right model that pools keeps the running max (or mean) beside its state, so its first words
    need not survive every step; a bidirectional one still re-reads, pooled states and all."""
    one_way = flat(render(stream_view(replace(cost(20, 1), pooling=pooling))))
    assert f"It streams: the head reads the running {pooling} of its states" in one_way
    assert "must survive every step" not in one_way
    both = flat(render(stream_view(replace(cost(20, 2), pooling=pooling))))
    assert f"cannot stream. Pooling ({pooling} over the states) does not change that" in both
    assert "must survive every step" in flat(render(stream_view(cost(20, 1))))


def test_no_words_and_too_many_words_say_so():
    assert "No words yet" in render(stream_view(cost(0, 2, every=None)))
    text = flat(render(stream_view(cost(5000, 2, every=None, dropped=7))))
    assert "would take 12,507,500 steps, too many to run (over 1,000 words)" in text
    assert "re-reading, two directions (this model) 12,507,500 n + n(n+1)/2 not run" in text
    assert "7 words were cut" in text


@pytest.mark.parametrize("model", [SHIPPED_MODEL, SHIPPED_LSTM], ids=lambda path: path.name)
@pytest.mark.parametrize("width", [80, 60])
def test_shipped_models_measured_view_fits_and_quotes_the_measurement(model, width):
    result = measure(Classifier.load(model), "the first hour is dull, but the ending is wonderful", repeats=2)
    output = render(stream_view(result, width=width), console_width=200)
    assert max(cell_len(line.rstrip()) for line in output.splitlines()) <= width
    text = flat(output)
    assert result.every_word_seconds is not None
    for figure in (f"{result.steps:,}", duration(result.every_word_seconds), duration(result.whole_seconds), model.name):
        assert figure in text
    assert f"{result.words} words" in text


@settings(max_examples=150, deadline=None)
@given(words=st.integers(0, 10**7), directions=st.sampled_from([1, 2]), layers=st.integers(1, 8),
       every=st.none() | st.floats(1e-7, 1e5), whole=st.floats(1e-7, 1e5), name=st.text(max_size=60),
       dropped=st.integers(0, 10**6), cell=st.sampled_from(["lstm", "gru", "rnn"]), width=st.integers(30, 160))
def test_any_result_fits_its_width_and_prints_safely(words, directions, layers, every, whole, name, dropped, cell, width):
    output = render(stream_view(cost(words, directions, layers, every, whole, name, dropped, cell), width=width), console_width=200)
    assert all(cell_len(line.rstrip()) <= width for line in output.splitlines())
    assert is_printable(output.replace("\n", ""))
