"""Rich renderings shared by the front ends: colours that read on the background they are drawn on."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnplay.render import GATE_PALETTES, SHARE_PALETTES, gate_colour, ranking_table, share_colour

RGB = tuple[int, int, int]
# Textual's built-in themes: background and surface (panels), dark and light.
BACKGROUNDS: dict[bool, list[RGB]] = {True: [(0x12, 0x12, 0x12), (0x1E, 0x1E, 0x1E)], False: [(0xE0, 0xE0, 0xE0), (0xD8, 0xD8, 0xD8)]}
AA = 4.5  # WCAG 2 AA for normal text


def contrast(foreground: RGB, background: RGB) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""

    def luminance(rgb: RGB) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(colour: str) -> RGB:
    r, g, b = map(int, re.fullmatch(r"rgb\((\d+),(\d+),(\d+)\)", colour).groups())
    return r, g, b


def test_contrast_is_the_wcag_ratio():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)  # the classic #777 on white


@pytest.mark.parametrize("colour_of, low, high", [(share_colour, -1.0, 1.0), (gate_colour, -0.5, 1.5)],
                         ids=["shares", "gates"])
@settings(max_examples=300, deadline=None)
@given(data=st.data(), dark=st.booleans())
def test_colours_read_on_the_theme_they_are_chosen_for(colour_of, low, high, data, dark):
    """Every share (every strength of green or red) and every gate value (closed to open, and past either end,
    clamped), on both the background and the panels of its theme."""
    value = data.draw(st.floats(low, high, allow_nan=False))
    colour = rgb(colour_of(value, dark))
    for background in BACKGROUNDS[dark]:
        assert contrast(colour, background) >= AA, (value, dark, colour, background)


def test_gate_colours_go_from_grey_to_blue():
    for dark, (closed, opened) in GATE_PALETTES.items():
        assert rgb(gate_colour(0.0, dark)) == closed and rgb(gate_colour(1.0, dark)) == opened
        assert opened[2] > opened[0] and opened[2] > opened[1]  # blue: not the shares' green or red
    assert rgb(gate_colour(float("nan"), True)) == GATE_PALETTES[True][0]


def test_share_colours_keep_their_meaning_in_both_palettes():
    for dark, (neutral, positive, negative) in SHARE_PALETTES.items():
        assert rgb(share_colour(0.0, dark)) == neutral
        assert rgb(share_colour(1.0, dark)) == positive and rgb(share_colour(-1.0, dark)) == negative
        assert positive[1] > positive[0] and negative[0] > negative[1]  # green is green, red is red
    assert share_colour(0.5) == "rgb(0,170,0)"  # an unknown background keeps the middle tones


def test_the_ranking_table_sets_no_colour_of_its_own():
    """Its text takes the foreground of wherever it is drawn (the theme's text in the TUI, the terminal's in the
    CLI), so it reads on any background: no segment carries a colour or a dimming of its own."""
    from rich.console import Console

    table = ranking_table([("time", 0.2), ("piece", 0.03), ("[red]x[/]", 0.01)], "probability", relative=True)
    segments = list(Console(width=60, color_system="truecolor").render(table))
    assert "".join(segment.text for segment in segments).count("\n") == 4
    styles = [segment.style for segment in segments if segment.style is not None and segment.text.strip()]
    assert styles and all(style.color is None and style.bgcolor is None and not style.dim for style in styles)


def test_a_sparkline_marks_a_value_that_is_not_finite_instead_of_failing():
    from rnnplay.render import sparkline

    assert sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([0.0, float("inf"), float("nan"), 1.0]) == "▁!!█"
