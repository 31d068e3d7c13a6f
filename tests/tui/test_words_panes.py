"""The Words tab's panes: One-hot vs dense (cosines, vectors, the cost on a text), Map, and the dissected guess."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.widgets import Input, Static, TabbedContent, TextArea

from rnnplay.runtime.guess_dissect import dissect
from rnnplay.runtime.vectors import EXAMPLE
from rnnplay.runtime.word_compare import compare_words
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.widgets.blank_guess import BlankGuess
from rnnplay.tui.widgets.dissect_screen import DissectScreen
from rnnplay.tui.widgets.onehot_pane import OnehotPane
from rnnplay.tui.widgets.word_map_pane import WordMapPane
from tests.tui.conftest import pilot_test, steady_cursors, until
from tests.tui.test_words import open_words


def shown(widget: Static, width: int = 100) -> str:
    console = Console(width=width, color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


def active(pilot) -> str:
    return pilot.app.query_one("#words-panes", TabbedContent).active


async def two_words(pilot, a: str, b: str) -> None:
    await pilot.press("ctrl+s", "ctrl+u", *a, "enter")
    await pilot.pause()
    await pilot.press("ctrl+u", *b, "enter")
    await pilot.pause()


@pilot_test
async def test_one_hot_against_dense_compares_the_pair_in_both_spaces() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        assert active(pilot) == "words-queries"
        await two_words(pilot, "good", "great")
        assert active(pilot) == "words-onehot"
        pane = pilot.app.query_one(OnehotPane)
        assert pane.words == ("good", "great")
        expected = compare_words("good", "great", pilot.app.vectors, pilot.app.classifier)
        assert [(s.one_hot_cosine, s.dense_cosine) for s in pane.comparison.spaces] == \
            [(s.one_hot_cosine, s.dense_cosine) for s in expected.spaces]
        text = shown(pilot.app.query_one("#onehot-result", Static))
        assert "(1 at id 49 of 20,000)" in text and "imdb-cbow (word vectors)" in text and "0        +0.68" in text
        await two_words(pilot, "good", "zzzqq")
        text = " ".join(shown(pilot.app.query_one("#onehot-result", Static)).split())
        assert "“zzzqq” is not in imdb-bilstm's vocabulary: read as [UNK] (id 1)" in text


@pilot_test
async def test_the_cost_is_measured_on_plays_text_then_on_the_one_typed() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        pilot.app.query_one(TextArea).load_text("a fine film with a dull ending")
        await open_words(pilot)
        await pilot.press("ctrl+s")
        pane = pilot.app.query_one(OnehotPane)
        await until(pilot, lambda: pane.cost is not None, "the cost of Play's text")
        assert pane.text == "a fine film with a dull ending"
        assert (pane.cost.tokens, pane.cost.vocab, pane.cost.dimension) == (7, 20_000, 64) and pane.cost.equal
        assert "same numbers: yes, exactly" in shown(pilot.app.query_one("#cost-result", Static))
        pilot.app.query_one("#cost-text", Input).focus()
        await pilot.press("ctrl+u", *"good", "enter")
        await until(pilot, lambda: pane.cost.tokens == 1, "the cost of the text typed")
        await pilot.press("ctrl+u", "enter")
        await until(pilot, lambda: pane.cost is None, "no text, no cost")


@pilot_test
async def test_the_map_places_the_default_groups_then_the_words_typed() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        pane = pilot.app.query_one(WordMapPane)
        assert active(pilot) == "words-map" and pilot.app.focused.id == "map-words"
        await until(pilot, lambda: len(pane.maps) == 2, "two maps")
        assert [m.name for m in pane.maps] == ["imdb-cbow", "imdb-bilstm"] and len(pane.maps[0].points) == 10
        assert "of variance" in pane.text and "excellent" in pane.text
        await pilot.press(*"good,bad film zzzqq", "enter")
        await pilot.pause()
        assert [p.word for p in pane.maps[0].points] == ["good", "bad", "film"] and pane.maps[0].missing == ("zzzqq",)
        assert "left off: zzzqq" in " ".join(pane.text.split())


@pilot_test
async def test_ctrl_b_dissects_the_guess_and_esc_closes_it() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert any("guess box first" in n.message for n in pilot.app._notifications)
        assert not isinstance(pilot.app.screen, DissectScreen)
        await pilot.press("ctrl+l", "ctrl+g", *EXAMPLE, "enter", "ctrl+b")  # from another pane: back to Queries
        await pilot.pause()
        assert isinstance(pilot.app.screen, DissectScreen)
        body = shown(pilot.app.screen.query_one("#dissect-body", Static))
        stages = dissect(pilot.app.query_one(BlankGuess).space, EXAMPLE)
        assert "context read" in body and "gensim: softmax(W′·h)" in body
        assert stages.final(1)[0][0] == "effects" and f"{stages.final(1)[0][1]:.3f}" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DissectScreen)


@pilot_test
async def test_the_panes_fit_80_by_24() -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        await open_words(pilot)
        await two_words(pilot, "good", "bad")
        for selector in ("#onehot-a", "#onehot-b", "#onehot-scroll", "#cost-text", "#cost-result"):
            region = pilot.app.query_one(selector).region
            assert region.right <= 80 and region.bottom <= 23, selector
        assert pilot.app.query_one("#onehot-scroll").size.height >= 5
        await pilot.press("ctrl+l")
        pane = pilot.app.query_one(WordMapPane)
        await until(pilot, lambda: len(pane.maps) == 2, "two maps")
        lines = pane.text.splitlines()
        assert max(len(line.rstrip()) for line in lines) <= 78
        assert "imdb-cbow (word vectors)" in lines[0] and "imdb-bilstm (classifier)" in lines[0]  # side by side


def test_words_onehot_snapshot(snap_compare) -> None:
    """One-hot vs dense for good and bad at 100×30 (Play's text is empty, so no timing is drawn)."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await two_words(pilot, "good", "bad")

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
def test_words_map_snapshot(snap_compare, size) -> None:
    """The map of the default groups, at 100×30 and at 80×24."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=size, run_before=run_before)


def test_words_dissect_snapshot(snap_compare) -> None:
    """The guess of the example blank, dissected, at 100×30."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await pilot.press("ctrl+g", *EXAMPLE, "enter", "ctrl+b")
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


@pilot_test
async def test_a_click_on_a_pane_name_takes_the_focus_into_it_and_the_start_leaves_play_focused() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert pilot.app.query_one(TabbedContent).active == "play"
        assert pilot.app.focused is not None and pilot.app.focused.id != "word"  # Play keeps the focus at start
        await open_words(pilot)
        await pilot.click("#words-panes Tab#--content-tab-words-map")
        await pilot.pause()
        assert active(pilot) == "words-map" and pilot.app.focused.id == "map-words"
