"""The step-by-step view's renderers: strips of units, the word line and the heatmap, at any width."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from rnnplay.inside_view.steps import (
    BLOCKS,
    LABEL_WIDTH,
    Strip,
    block,
    heatmap,
    hidden_note,
    scale_of,
    step_view,
    strips,
    unit_window,
    units_text,
    values_line,
    word_line,
)
from rnnplay.render import GATE_PALETTES, SHARE_PALETTES
from rnnplay.runtime.inside import GATES_SHOWN, DirectionTrace

TOKENS = ["the", "first", "hour", "is", "dull", "but", "the", "ending", "is", "wonderful"]


def direction_trace(cell: str = "lstm", words: int = len(TOKENS), units: int = 8, dim: int = 5, direction: int = 0,
                    layer: int = 0, seed: int = 0) -> DirectionTrace:
    """Values of the right shapes and ranges (gates in [0, 1], tanh outputs in [−1, 1]); the renderers only draw them."""
    rng = np.random.default_rng(seed)
    gates = {name: (rng.random((words, units)) if name in ("input", "forget", "output", "update", "reset")
                    else rng.normal(0, 2, (words, units))).astype(np.float32) for name in GATES_SHOWN[cell]}
    h = np.tanh(rng.normal(0, 1, (words, units))).astype(np.float32)
    h_prev = np.vstack([np.zeros((min(words, 1), units)), h[:-1]]).astype(np.float32)
    return DirectionTrace(cell=cell, layer=layer, direction=direction, x=rng.normal(0, 0.3, (words, dim)).astype(np.float32),
                          h_prev=h_prev, gates=gates, h=h)


def shown(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text().rstrip("\n").split("\n")


def colour(text: Text, index: int) -> tuple[int, int, int]:
    style = text.get_style_at_offset(Console(), index)
    return style.color.triplet  # type: ignore[union-attr]


def test_a_block_shows_size_by_height_and_sign_or_openness_by_colour():
    assert block(1.0, True, 1.0, True) == ("█", "rgb(80,160,255)")  # a gate wide open: full, blue
    assert block(0.0, True, 1.0, True)[0] == "▁"  # closed: the lowest block, never a blank
    assert block(0.0, True, 1.0, True)[1] == "rgb({},{},{})".format(*GATE_PALETTES[True][0])
    assert block(-1.0, False, 1.0, False) == ("█", "rgb({},{},{})".format(*SHARE_PALETTES[False][2]))  # red
    assert block(0.5, False, 1.0, True)[0] == BLOCKS[4]
    assert block(3.0, False, 6.0, True)[0] == BLOCKS[4]  # an unbounded value is drawn against its scale
    assert block(float("nan"), False, 1.0, None)[0] == "▁" and block(float("inf"), True, 1.0, None)[0] == "▁"


def test_signed_quantities_are_scaled_by_their_largest_magnitude_over_the_text_and_gates_are_not():
    values = np.array([[0.05, -0.1], [0.02, 0.01]])
    assert scale_of("cell", values) == 0.1 and scale_of("h", values) == 0.1 and scale_of("candidate", values) == 0.1
    assert scale_of("forget", values) == 1.0 and scale_of("update", values) == 1.0
    assert scale_of("cell", np.zeros((2, 2))) == 1.0 and scale_of("cell", np.zeros((0, 2))) == 1.0
    trace = direction_trace()
    by_name = {strip.name: strip for strip in strips(trace)}
    assert by_name["h_prev"].scale == by_name["h"].scale == float(np.abs(trace.h).max())  # one scale for the state


@pytest.mark.parametrize(("cell", "names"), [
    ("lstm", ["x", "h_prev", "input", "forget", "output", "candidate", "cell", "h"]),
    ("gru", ["x", "h_prev", "update", "reset", "candidate", "h"]),
    ("rnn", ["x", "h_prev", "preactivation", "h"]),
])
def test_strips_are_the_input_the_state_before_the_gates_and_the_state_after(cell, names):
    found = strips(direction_trace(cell))
    assert [strip.name for strip in found] == names
    assert [strip.gate for strip in found] == [name in ("input", "forget", "output", "update", "reset") for name in names]


def test_the_backward_direction_carries_the_state_of_the_word_after():
    h_prev = strips(direction_trace(direction=1))[1]
    assert h_prev.label(1) == "h(t+1)" and "after" in h_prev.meaning(1)
    assert h_prev.label(0) == "h(t−1)"


def test_the_values_line_gives_the_strips_numbers_at_the_word():
    values = np.array([[0.1, 0.2, 0.3], [0.9, -0.5, 0.0]], dtype=np.float32)
    line = values_line(Strip("h", values, 1.0), 1, 1).plain
    assert "min -0.50 max +0.90 mean +0.13" in line and "unit 1 = -0.500" in line
    assert "unit 2 = +0.000" in values_line(Strip("h", values, 1.0), 1, 99).plain  # the unit is clamped
    assert "full block ±3" in values_line(Strip("cell", values * 3, 3.0), 0, 0).plain
    assert "full block" not in values_line(Strip("forget", values, 1.0), 0, 0).plain


@settings(max_examples=200, deadline=None)
@given(units=st.integers(0, 2000), room=st.integers(0, 300), selected=st.integers(-5, 2100))
def test_a_window_of_units_fits_the_room_and_holds_the_selected_unit(units, room, selected):
    first, count = unit_window(units, room, selected)
    assert count == min(units, room) and first >= 0 and first + count <= units
    if count and 0 <= selected < units:
        assert first <= selected < first + count


def test_hidden_units_and_words_are_counted():
    assert hidden_note(0, 10, 10, "units") == ""
    assert hidden_note(4, 10, 32, "units") == "units 4–13 of 32 (22 hidden)"


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=40), cursor=st.integers(0, 39),
       width=st.integers(1, 120))
def test_the_word_line_fits_its_width_and_highlights_the_cursor(tokens, cursor, width):
    line = word_line(tokens, cursor, width)
    assert line.cell_len <= width and "\n" not in line.plain
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in line.plain)  # printable, whatever was typed
    highlighted = [span for span in line.spans if "reverse" in str(span.style)]
    assert len(highlighted) <= 1


def test_the_word_line_keeps_the_cursor_word_and_marks_what_is_left_out():
    line = word_line(TOKENS, 5, 30)
    assert "but" in line.plain and line.plain.startswith("… ") and line.plain.endswith(" …")
    assert line.plain[slice(*next((s.start, s.end) for s in line.spans if "reverse" in str(s.style)))] == "but"
    assert word_line(TOKENS, 0, 200).plain == " ".join(TOKENS)
    struck = word_line(["good", "zorblax"], 0, 40, [False, True])
    assert any("strike" in str(s.style) and struck.plain[s.start:s.end] == "zorblax" for s in struck.spans)
    assert word_line([], 0, 40).plain == "(no words)"


def test_a_selected_unit_is_marked_in_its_strip():
    text = units_text(np.array([0.1, 0.9, 0.5]), True, 1.0, True, selected=1)
    assert text.plain == "▁▇▄"
    assert "underline" in str(text.spans[1].style) and "underline" not in str(text.spans[0].style)


def test_the_heatmap_has_a_row_per_word_in_the_strips_columns_and_says_what_is_hidden():
    h = np.tanh(np.random.default_rng(1).normal(size=(len(TOKENS), 200)))
    rows = heatmap(h, TOKENS, 5, width=120, height=5, unit=150)
    assert len(rows) == 5 and all(row.cell_len <= 120 for row in rows)
    assert all(row.cell_len == LABEL_WIDTH + 107 for row in rows[1:])  # every column a unit, as many as fit
    title = rows[0].plain
    assert "words 4–7 of 10 (6 hidden)" in title and "units 93–199 of 200 (93 hidden)" in title
    assert heatmap(h, TOKENS, 5, width=30, height=5)[0].cell_len <= 30  # a title too long for the width is cut
    marked = [row.plain for row in rows if row.plain.startswith("▸")]
    assert marked == [rows[3].plain] and marked[0][1:].startswith("but")
    assert heatmap(np.zeros((0, 4)), [], 0, 80, 10)[0].plain.endswith("no words")


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize(("width", "height"), [(98, 22), (78, 16), (58, 12), (20, 4)])
def test_the_step_view_fits_any_size_exactly(cell, width, height):
    trace = direction_trace(cell, units=64, dim=100)
    lines = shown(step_view(trace, TOKENS, 5, selected=3, unit=50, width=width, height=height, dark=True), width)
    assert all(len(line) <= width for line in lines)
    if height >= 16:
        assert len(lines) <= height
        assert "but" in lines[0]
        assert any(line.startswith("▸") and "but" in line for line in lines)  # the heatmap's cursor row


def test_the_step_view_names_the_word_the_direction_and_the_selected_strip():
    lines = shown(step_view(direction_trace("gru", direction=1), TOKENS, 9, selected=3, width=100, height=30), 100)
    assert lines[1].startswith("word 10 of 10 · backward · reset r:")
    assert any(line.startswith("▸ reset r") for line in lines)
    assert any(line.lstrip().startswith("h(t+1)") for line in lines)


def test_a_trace_without_words_is_a_sentence():
    lines = shown(step_view(direction_trace(words=0), [], 0), 80)
    assert lines == ["No words to step through: the model read nothing of this text."]


def test_more_units_than_columns_are_windowed_around_the_selected_unit_and_counted():
    lines = shown(step_view(direction_trace(units=200, dim=300), TOKENS, 0, selected=7, unit=150, width=80, height=40), 80)
    assert any("units" in line and "of 200" in line and "hidden" in line for line in lines)
    assert any("x dims 0–66 of 300 (233 hidden)" in line for line in lines)


def test_a_short_view_gives_up_the_notes_before_the_heatmap():
    lines = shown(step_view(direction_trace(units=64, dim=100), TOKENS, 5, width=58, height=12), 58)
    assert len(lines) == 12 and any(line.startswith("h(t), forward") for line in lines)
    assert not any(line.startswith(("x dims", "word 6 of 10")) for line in lines)
