"""At 160 columns no panel cuts text it shows whole at 100 (issue 11: "at 160 columns panels truncate text
that fits at 100").

The cause was the ``-wide`` breakpoint: Play put its prefix trace and encoder side by side, each then
narrower than alone at 100 columns (the words under the chart went, the encoder's settings line lost
its end), and Models gave the layer listing a fixed width that wrapped the vectors' matrix names. The
check is generic, so it keeps holding as panels change: every word a panel shows at 100×30 is also
shown, whole, at 160×50, and the layer listing keeps each row on one line.
"""

from __future__ import annotations

import re

from textual.geometry import Region
from textual.widgets import DataTable, Input

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.play import PlayTab
from tests.tui.conftest import pilot_test, settle, until

REVIEW = "I expected a masterpiece, but the plot was thin and the acting was wooden; still, the ending is brilliant."
DRAWING = re.compile(r"[\u2500-\u259f…]")  # borders, bars and chart blocks, and the mark of a cut
HEAD = re.compile(r"\[:\d+\]")  # encoder.get_vocabulary()[:7] at 100 is [:16] at 160: more of the same list
PANELS = {
    "play": ["#play-gauge", "#play-shares", "#play-prefix", "#play-encoder"],
    "words": ["#vectors-neighbours", "#embedding-neighbours", "#cross-space", "#analogy", "#guess"],
    "train": ["#training-form", "#train-status", "#train-buttons"],
    "models": ["#models-layers", "#models-card"],
}


def shown_words(panel) -> set[str]:
    """The words a panel and the widgets in it draw (border titles included), without drawing characters.

    Each widget is drawn whole, so a panel below the fold of a small terminal counts as shown.
    """
    words = set()
    for widget in [panel, *panel.query("*")]:
        if widget.display and widget.visible and widget.outer_size.area:
            for line in widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height)):
                words.update(HEAD.sub("[:n]", word) for word in line.text.split() if not DRAWING.search(word))
    return words


def table_rows(panel) -> set[str]:
    """The lines inside a bordered panel whose table keeps its rows whatever the width (no reflow)."""
    lines = panel.render_lines(Region(0, 0, panel.outer_size.width, panel.outer_size.height))[1:-1]
    return {line.text.strip().strip("│").strip() for line in lines} - {""}


async def everything_shown(size: tuple[int, int]) -> dict[str, set[str]]:
    """Words per panel after using every tab as a learner does: a review, a word, an analogy, a guess, each model."""
    seen: dict[str, set[str]] = {}
    async with RnnplayApp().run_test(size=size) as pilot:
        app = pilot.app
        await settle(pilot)
        app.query_one(PlayTab).replace_text(REVIEW)  # what the panels show is the subject here, not typing
        await settle(pilot)
        for selector in PANELS["play"]:
            seen[selector] = shown_words(app.query_one(selector))
        await pilot.press("f3")
        await pilot.pause()
        for selector, value in (("#word", "good"), ("#analogy-a", "king"), ("#analogy-b", "man"), ("#analogy-c", "woman"),
                                ("#blank-text", "the acting was ___ and the plot made no sense at all")):
            box = app.query_one(selector, Input)
            box.value = value
            await box.action_submit()
        await pilot.pause(0.2)
        for selector in PANELS["words"]:
            seen[selector] = shown_words(app.query_one(selector))
        assert "queen" in seen["#analogy"] and "decent" in seen["#vectors-neighbours"]  # the answers are there
        await pilot.press("f5")
        await pilot.pause()
        for selector in PANELS["train"]:
            seen[selector] = shown_words(app.query_one(selector))
        await pilot.press("f6")
        table = app.query_one(DataTable)
        await until(pilot, lambda: table.row_count > 0, "the models are listed")
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            for selector in PANELS["models"]:
                seen[f"{selector} {row}"] = shown_words(app.query_one(selector))
            seen[f"layer rows {row}"] = table_rows(app.query_one("#models-layers"))  # one line per layer or matrix
    return seen


@pilot_test
async def test_every_word_shown_at_100_columns_is_shown_at_160() -> None:
    at_100, at_160 = await everything_shown((100, 30)), await everything_shown((160, 50))
    assert at_100.keys() == at_160.keys()
    for panel, words in at_100.items():
        assert words, panel
        assert words <= at_160[panel], f"{panel} at 160 columns lacks {sorted(words - at_160[panel])}"
