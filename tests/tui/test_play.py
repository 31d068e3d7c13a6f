"""The Play tab: type, and the gauge, the word colours, the prefix trace and the encoder follow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rich.style import Style
from textual.widgets import TextArea

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.play import EXAMPLES, PlayTab
from rnnplay.tui.widgets.classifier_picker import ClassifierPicker
from rnnplay.tui.widgets.encoder_view import EncoderView
from rnnplay.tui.widgets.prefix_trace import REREAD, STREAMED, PrefixTrace, column_chart, layout
from rnnplay.tui.widgets.probability_gauge import ProbabilityGauge
from rnnplay.tui.widgets.token_shares import TokenShares
from tests.tui.conftest import pilot_test, settle, steady_cursors, until

# Every step of the shipped model's encoder: markup, capitals, punctuation, digits, an unknown word, and more
# words than its max_length (300, the last kept), so the first 16 are dropped.
FILLER = "really good acting truly "  # changed by no step, so the short form has room for the steps' changes
ENCODER_TEXT = FILLER * 4 + "Don't miss it.<br /><br />I give it 7/10, the zorblax plot was awful. " + FILLER * 72


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


async def put_text(pilot, text: str) -> None:
    """The text in the box at once, for tests about what the panels show rather than about typing."""
    pilot.app.query_one(PlayTab).replace_text(text)
    await settle(pilot)


async def clear(pilot) -> None:
    await pilot.press("ctrl+l")
    await settle(pilot)


def colour_of(pilot, word: str) -> tuple[int, int, int]:
    """The colour ``word`` is painted in on the Words panel."""
    coloured = pilot.app.query_one(TokenShares).coloured
    for span in coloured.spans:
        if coloured.plain[span.start:span.end] == word:
            return Style.parse(str(span.style)).color.get_truecolor()
    raise AssertionError(f"{word!r} is not on the Words panel")


def probability(pilot) -> float:
    return pilot.app.query_one(ProbabilityGauge).probability


@pilot_test
async def test_a_positive_word_pushes_the_gauge_up_and_is_green() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a film")
        neutral = probability(pilot)
        await clear(pilot)
        await type_text(pilot, "a wonderful film")
        assert probability(pilot) > neutral + 0.1
        assert pilot.app.query_one(ProbabilityGauge).label == "positive"
        red, green, _ = colour_of(pilot, "wonderful")
        assert green > red
        shares = pilot.app.query_one(PlayTab).explanation
        assert shares.shares[shares.tokens.index("wonderful")] > 0


@pilot_test
async def test_a_negative_word_pulls_the_gauge_down_and_is_red() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a film")
        neutral = probability(pilot)
        await clear(pilot)
        await type_text(pilot, "an awful film")
        assert probability(pilot) < neutral - 0.1
        assert pilot.app.query_one(ProbabilityGauge).label == "negative"
        red, green, _ = colour_of(pilot, "awful")
        assert red > green


@pilot_test
async def test_every_panel_follows_each_keystroke() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful")
        first = pilot.app.query_one(PlayTab).explanation
        await type_text(pilot, " zorblaxian film")
        play = pilot.app.query_one(PlayTab)
        explanation = play.explanation
        assert explanation.tokens == ["a", "wonderful", "zorblaxian", "film"]
        assert explanation.tokens[: len(first.tokens)] == first.tokens
        assert pilot.app.query_one(PrefixTrace).explanation is explanation
        assert len(explanation.prefix) == 4
        encoder = pilot.app.query_one(EncoderView)
        assert encoder.explanation is explanation
        assert list(explanation.oov) == [False, False, True, False]  # the unknown word is marked ...
        struck = [span for span in pilot.app.query_one(TokenShares).coloured.spans if "strike" in str(span.style)]
        assert len(struck) == 1  # ... struck through on the Words panel
        assert "1 not in the vocabulary" in str(pilot.app.query_one("#play-status").content)


@pilot_test
async def test_the_prefix_panel_says_how_the_trace_was_made(forward_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        trace = pilot.app.query_one(PrefixTrace)
        assert pilot.app.classifier.card.classifier.bidirectional
        assert not trace.explanation.streamed and trace.border_subtitle == REREAD
        pilot.app.query_one(ClassifierPicker).value = str(forward_model)
        await until(pilot, lambda: pilot.app.classifier.name == "forward-lstm", "the one-directional model is loaded")
        await settle(pilot)
        assert trace.explanation.streamed and trace.border_subtitle == STREAMED


@pilot_test
async def test_the_picker_offers_both_shipped_classifiers_and_switches_between_them() -> None:
    """On a fresh clone: the BiLSTM in use re-reads every prefix; the shipped one-directional LSTM streams."""
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        picker = pilot.app.query_one(ClassifierPicker)
        assert [Path(folder).name for folder in picker.folders] == ["imdb-bilstm", "imdb-lstm"]  # no vectors
        assert pilot.app.classifier.name == "imdb-bilstm" and Path(str(picker.value)).name == "imdb-bilstm"  # the default
        await type_text(pilot, "a wonderful film")
        trace = pilot.app.query_one(PrefixTrace)
        assert not trace.explanation.streamed and trace.border_subtitle == REREAD
        picker.value = picker.folders[1]
        await until(pilot, lambda: pilot.app.classifier.name == "imdb-lstm", "the shipped LSTM is loaded")
        await settle(pilot)
        assert trace.explanation.streamed and trace.border_subtitle == STREAMED


@pilot_test
async def test_an_empty_text_is_an_inline_message() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "!!! ...")
        status = str(pilot.app.query_one("#play-status").content)
        assert "no words" in status
        assert probability(pilot) is None
        assert pilot.app.query_one(PlayTab).explanation is None
        await type_text(pilot, " good")
        assert probability(pilot) is not None


@pilot_test
async def test_a_text_too_long_to_explain_is_an_inline_message_with_its_prediction(monkeypatch) -> None:
    import rnnplay.runtime.explain as runtime_explain

    monkeypatch.setattr(runtime_explain, "WORD_LIMIT", 4)  # the shipped model keeps 300 words, under the real limit
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film with a plot")
        status = str(pilot.app.query_one("#play-status").content)
        assert "too many to explain" in status and "the whole text is" in status
        assert "word panels are skipped" in status and "its own pass" in status  # what is skipped, and why
        assert "type some words" not in status
        assert pilot.app.query_one(PlayTab).explanation is None
        expected = float(pilot.app.classifier.predict(["a wonderful film with a plot"])[0])
        gauge = pilot.app.query_one(ProbabilityGauge)
        assert gauge.probability == pytest.approx(expected) and gauge.label == ("positive" if expected >= 0.5 else "negative")
        assert "skipped" in str(pilot.app.query_one(TokenShares).content)
        assert "skipped" in str(pilot.app.query_one(PrefixTrace).content)


@pilot_test
async def test_a_result_for_an_older_text_is_dropped() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        play = pilot.app.query_one(PlayTab)
        shown = play.explanation
        from rnnplay.runtime.explain import explain

        stale = explain(pilot.app.classifier, "an awful film")
        play.post_message(PlayTab.Explained(pilot.app.classifier, "an awful film", stale, ""))
        await pilot.pause()
        assert play.explanation is shown
        assert probability(pilot) == shown.probability


@pilot_test
async def test_switching_model_updates_everything(contrary_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        before = probability(pilot)
        picker = pilot.app.query_one(ClassifierPicker)
        assert str(contrary_model) in picker.folders  # the user's model is offered beside the shipped one
        picker.value = str(contrary_model)
        await until(pilot, lambda: pilot.app.classifier.name == "contrarian", "the picked model is loaded")
        await settle(pilot)
        assert np.isclose(probability(pilot), 1 - before)
        play = pilot.app.query_one(PlayTab)
        assert play.shown[1] is pilot.app.classifier
        assert pilot.app.query_one(EncoderView).explanation is play.explanation
        red, green, _ = colour_of(pilot, "wonderful")
        assert red > green  # the contrarian reads "wonderful" as negative


@pilot_test
async def test_a_corrupt_model_is_a_notification_and_the_current_model_stays(corrupt_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        before = pilot.app.classifier
        pilot.app.query_one(ClassifierPicker).value = str(corrupt_model)
        await until(pilot, lambda: any("broken" in n.message and "weights.npz" in n.message for n in pilot.app._notifications),
                    "a notification names the broken model and its file")
        await settle(pilot)
        assert pilot.app.classifier is before
        assert probability(pilot) is not None
        assert pilot.app.query_one(ClassifierPicker).value == str(before.stored.path)  # the picker shows the model in use


@pilot_test
async def test_the_example_key_types_a_review() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert pilot.app.query_one(PlayTab).text == EXAMPLES[0]
        assert pilot.app.query_one(PlayTab).explanation is not None


@pilot_test
async def test_play_fits_80_by_24() -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        screen = pilot.app.screen.region
        for widget in ("#play-model", "#play-text", "#play-status", "#play-gauge", "#play-shares"):
            region = pilot.app.query_one(widget).region
            assert region.area and screen.contains_region(region), widget


def test_the_chart_puts_words_under_their_columns_when_they_fit() -> None:
    values, widths, gap = layout(["a", "wonderful"], [0.5, 1.0], 40)
    assert (widths, gap) == ([1, 9], 1)
    top, bottom = column_chart(values, widths, gap, rows=2)
    assert top.plain == "┈┈" + "█" * 9  # 1.0 fills both rows; 0.5 fills the bottom one exactly, under the 0.5 line
    assert bottom.plain == "█ " + "█" * 9


def test_a_long_trace_keeps_the_end_of_each_run_of_words() -> None:
    values, widths, gap = layout(["w"] * 100, [i / 100 for i in range(100)], 10)
    assert len(values) == 10 and widths == [1] * 10 and gap == 0
    assert values[-1] == 0.99 and values[0] == 0.09


def test_snapshot_play_after_typing_a_review(snap_compare) -> None:
    """Play at 100×30 after typing a mixed review: gauge, coloured words, prefix trace, encoder."""

    async def type_review(pilot) -> None:
        steady_cursors(pilot)
        await settle(pilot)
        await type_text(pilot, "A wonderful cast, but the zorblax plot was awful")

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=type_review)


def test_snapshot_play_in_the_light_theme(snap_compare) -> None:
    """The same screen in the light theme, to check it stays readable."""

    async def type_review(pilot) -> None:
        steady_cursors(pilot)
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await type_text(pilot, "A wonderful cast, but the zorblax plot was awful")

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=type_review)


@pilot_test
async def test_the_model_list_opens_from_the_keyboard_and_a_pick_returns_to_typing(forward_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        picker = pilot.app.query_one(ClassifierPicker)
        await until(pilot, lambda: picker.expanded, "the list is open")
        await pilot.press("home", "enter")  # the blank entry: the model in use stays selected
        await until(pilot, lambda: picker.value == str(pilot.app.classifier.stored.path), "the picker shows the model in use")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker.expanded, "the list is open again")
        await pilot.press("up", "enter")  # user models are listed first, above the shipped one in use
        await until(pilot, lambda: pilot.app.classifier.name == "forward-lstm", "the picked model is loaded")
        assert pilot.app.focused.id == "play-text"


@pilot_test
async def test_an_example_and_a_clear_are_undone_by_ctrl_z() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = pilot.app.query_one(PlayTab)
        await type_text(pilot, "my own review")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert play.text == EXAMPLES[0]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert play.text == "my own review"  # the typed text is back, whole
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert play.text == "" and play.explanation is None
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert play.text == "my own review" and play.explanation.tokens == ["my", "own", "review"]


@pilot_test
async def test_replace_text_is_one_undo_step_with_the_cursor_at_the_end() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = pilot.app.query_one(PlayTab)
        await type_text(pilot, "first")
        pilot.app.set_focus(None)
        play.replace_text("a second\ntext")
        await settle(pilot)
        area = pilot.app.query_one("#play-text")
        assert pilot.app.focused is area and area.cursor_location == (1, 4)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert play.text == "first"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert play.text == "a second\ntext"


@pilot_test
async def test_ctrl_f_shows_the_shares_on_the_logit_scale_and_back() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        review = " ".join(["a wonderful, brilliant, beautiful film that i loved"] * 30)
        pilot.app.query_one(PlayTab).replace_text(review)
        await settle(pilot)
        shares = pilot.app.query_one(TokenShares)
        assert "ctrl+f" in {key for key, active in pilot.app.screen.active_bindings.items() if active.binding.show}
        assert "P(positive)" in shares.border_title and "Ctrl+F: logit scale" in shares.border_subtitle
        explanation = pilot.app.query_one(PlayTab).explanation
        assert np.abs(explanation.shares).max() < 0.01  # a confident text: faint on the P scale
        faint = colour_of(pilot, "wonderful")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert "logit" in shares.border_title and "Ctrl+F: P scale" in shares.border_subtitle
        assert "logit P(text) − logit P(text without the word)" in "".join(str(r) for r in shares.content.renderables[2:])
        strong = colour_of(pilot, "wonderful")
        from rnnplay.render import SHARE_PALETTES

        grey = SHARE_PALETTES[pilot.app.current_theme.dark][0]  # a share of 0: the theme's neutral
        assert max(abs(c - g) for c, g in zip(strong, grey)) > 2 * max(abs(c - g) for c, g in zip(faint, grey))  # coloured to the logit scale
        wonderful = sum(float(share) for token, share in zip(explanation.tokens, explanation.logit_shares) if token == "wonderful")
        assert f"wonderful ×30 {wonderful:+.2f}" in shares.content.renderables[1].plain
        assert pilot.app.query_one(PlayTab).explanation is explanation  # the same explanation, drawn again
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert colour_of(pilot, "wonderful") == faint


@pilot_test
async def test_tab_never_stops_on_a_panel_that_shows_no_focus() -> None:
    async with RnnplayApp().run_test(size=(120, 60)) as pilot:  # every panel fits: nothing to scroll, no stop
        await settle(pilot)
        await type_text(pilot, "good")
        results = pilot.app.query_one("#play-results")
        assert results.max_scroll_y == 0
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(pilot.app.focused)
        assert results not in seen and pilot.app.query_one("#play-text") in seen
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:  # panels taller than the screen: a stop, and it scrolls
        await settle(pilot)
        await type_text(pilot, "a wonderful film")
        results = pilot.app.query_one("#play-results")
        assert results.max_scroll_y > 0
        before = results.styles.background_tint.a
        await pilot.press("tab")
        await pilot.pause()
        assert pilot.app.focused is results
        assert results.styles.background_tint.a > before  # the focus shows
        await pilot.press("down")
        await pilot.pause()
        assert results.scroll_y > 0


async def compare(pilot, main: str, second: str) -> None:
    pilot.app.query_one(PlayTab).replace_text(main)
    await pilot.press("ctrl+b")
    await pilot.pause()
    await type_text(pilot, second)


@pilot_test
async def test_compare_shows_both_predictions_and_the_words_where_they_differ() -> None:
    from rnnplay.runtime.explain import explain
    from rnnplay.tui.widgets.text_compare import TextCompare

    for size in ((100, 30), (80, 24)):
        async with RnnplayApp().run_test(size=size) as pilot:
            await settle(pilot)
            play = pilot.app.query_one(PlayTab)
            panel = pilot.app.query_one(TextCompare)
            assert not panel.display
            await compare(pilot, "not bad at all", "bad")
            assert panel.display and pilot.app.focused.id == "play-compare-text"
            assert "ctrl+b" in {key for key, active in pilot.app.screen.active_bindings.items() if active.binding.show}
            first, second = explain(pilot.app.classifier, "not bad at all"), explain(pilot.app.classifier, "bad")
            assert panel.first is play.explanation  # the panels above and the compare panel read one explanation
            assert panel.second.tokens == ["bad"] and panel.second.probability == pytest.approx(second.probability)
            lines = [line.plain for line in panel.content.renderables]
            assert f"{first.probability:.3f}" in lines[0] and f"{second.probability:.3f}" in lines[1]
            assert f"{second.probability - first.probability:+.3f}" in lines[2]
            differ = "\n".join(lines[3:])
            share = dict(zip(first.tokens, first.shares))
            assert f"A: not {share['not']:+.3f}" in differ and f"at {share['at']:+.3f} all {share['all']:+.3f}" in differ
            assert "bad" not in differ.split(":", 1)[1]  # a word both texts share is not a difference
            region = panel.region
            screen = pilot.app.screen.region
            assert region.area and screen.contains_region(pilot.app.query_one("#play-compare-text").region)
            await pilot.press("ctrl+f")  # the logit scale applies to the compare panel too
            await pilot.pause()
            logit_share = dict(zip(first.tokens, first.logit_shares))
            assert f"A: not {logit_share['not']:+.2f}" in "\n".join(line.plain for line in panel.content.renderables)
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert not panel.display and pilot.app.focused.id == "play-text"


@pilot_test
async def test_a_stale_compare_result_is_dropped() -> None:
    from rnnplay.runtime.explain import explain
    from rnnplay.tui.widgets.text_compare import TextCompare

    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await compare(pilot, "a wonderful film", "an awful film")
        play, panel = pilot.app.query_one(PlayTab), pilot.app.query_one(TextCompare)
        shown = panel.second
        stale = explain(pilot.app.classifier, "a dull film")
        play.post_message(PlayTab.Explained(pilot.app.classifier, "a dull film", stale, "", None, "compare"))
        await pilot.pause()
        assert panel.second is shown
        await type_text(pilot, "!!!")  # the compare line changed: its new result replaces the old one
        assert panel.second.tokens == ["an", "awful", "film"]
        pilot.app.query_one(PlayTab).replace_text("a great film")
        await settle(pilot)
        assert panel.first is play.explanation and panel.first.tokens == ["a", "great", "film"]


@pytest.mark.parametrize("size, first, second", [((100, 30), "not bad at all", "bad"), ((80, 24), "not good at all", "good")],
                         ids=["100x30", "80x24"])
def test_snapshot_play_comparing_two_texts(snap_compare, size: tuple[int, int], first: str, second: str) -> None:
    """Play comparing a negated text with its plain word, on a usual and a small terminal."""

    async def run(pilot) -> None:
        steady_cursors(pilot)
        await settle(pilot)
        await compare(pilot, first, second)

    assert snap_compare(RnnplayApp(), terminal_size=size, run_before=run)


@pilot_test
async def test_the_chart_has_more_rows_on_a_taller_terminal_and_labels_its_axis() -> None:
    for size, rows in (((80, 24), 3), ((100, 30), 4), ((100, 44), 6)):
        async with RnnplayApp().run_test(size=size) as pilot:
            await settle(pilot)
            await put_text(pilot, "a wonderful film but awful")  # up to 0.96 and down to 0.19: the whole range
            trace = pilot.app.query_one(PrefixTrace)
            lines = [line.plain for line in trace.content.renderables]
            chart = lines[:rows]
            assert chart[0].split()[0] == "1" and chart[-1].split()[0] == "0", size  # the whole 0 … 1 range ...
            assert any(line.split()[0] == "0.5" and "┈" in line for line in chart[1:-1]), size  # ... with its 0.5 line
            assert lines[rows].split() == ["a", "wonderful", "film", "but", "awful"]  # the words under their columns, after the chart
            assert any(line.startswith("Re-read:") for line in lines)

            await put_text(pilot, "a good film")  # 0.39 to 0.73: zoomed, with the range labelled
            lines = [line.plain for line in trace.content.renderables]
            assert float(lines[0].split()[0]) < 1 and float(lines[rows - 1].split()[0]) > 0
            assert any(line.startswith("y zoomed to") for line in lines)


async def show_the_encoder(pilot, text: str = ENCODER_TEXT) -> EncoderView:
    """Put ``text`` in the box at once (typing 2,000 characters would take a while), then go down to the encoder
    as a user does: focus the results (so no cursor blinks in a snapshot) and scroll to their end."""
    await settle(pilot)
    pilot.app.query_one(TextArea).load_text(text)
    await settle(pilot)
    results = pilot.app.query_one("#play-results")
    results.focus()
    bottom = -1.0
    for _ in range(50):  # the panels may still be laid out once more: scroll again until the end stays put
        results.scroll_end(animate=False, immediate=True)
        await pilot.pause(0.02)
        if results.max_scroll_y > 0 and results.scroll_y == results.max_scroll_y == bottom:
            break
        bottom = results.max_scroll_y
    return pilot.app.query_one(EncoderView)


def panel_rows(view: EncoderView) -> dict[str, str]:
    return {label: row.plain for label, row in view.rows}


@pilot_test
async def test_the_encoder_panel_shows_every_step_at_100_by_30() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        view = await show_the_encoder(pilot)
        rows = panel_rows(view)
        assert list(rows) == ["<br />", "lower-case", "punctuation", "split", "truncate", "ids", "padded", "mask",
                              "round trip", "vocabulary"]
        assert rows["<br />"] == "it.<br /><br />I → it. I"
        assert rows["lower-case"] == "Don't → don't  I → i"
        assert rows["punctuation"] == "don't → dont  it. → it  7/10, → 710  awful. → awful"
        assert rows["split"].startswith("316 tokens")
        assert rows["truncate"].startswith("16 of 316 dropped (the last 300 kept): really good acting truly")
        explanation = pilot.app.query_one(PlayTab).explanation
        assert rows["ids"].startswith("[" + " ".join(str(i) for i in explanation.ids[:12]) + " ")  # what the model read
        assert rows["ids"].endswith("1 × 300, unpadded: what the model reads")
        assert rows["mask"].startswith("all 300 read")
        assert rows["round trip"].startswith("dont miss it i give it 710 the [UNK] plot was awful")
        assert view.region.height > len(rows) + 2  # the long form wraps what does not fit one line


@pilot_test
async def test_the_encoder_panel_is_short_at_80_by_24() -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        view = await show_the_encoder(pilot)
        rows = panel_rows(view)
        assert list(rows) == ["<br />", "lower-case", "punctuation", "truncate", "ids", "mask", "round trip", "vocabulary"]
        assert view.region.height == len(rows) + 2  # one line a row, between the borders
        assert rows["truncate"].startswith("16 of 316 dropped (the last 300 kept): really")
        assert rows["lower-case"] == "Don't → don't  I → i"
        await clear(pilot)
        await type_text(pilot, "a good film")
        assert list(panel_rows(view)) == ["ids", "mask", "round trip", "vocabulary"]  # no step changed a thing


@pilot_test
async def test_the_encoder_panel_escapes_what_was_typed_and_outlives_an_explanation(monkeypatch) -> None:
    import rnnplay.runtime.explain as runtime_explain

    monkeypatch.setattr(runtime_explain, "WORD_LIMIT", 4)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        view = await show_the_encoder(pilot, "\x1b[2JRed \u202eGood film, truly a film")
        assert pilot.app.query_one(PlayTab).explanation is None  # too long to explain: the encoder still shows
        rows = panel_rows(view)
        assert rows["lower-case"] == "\\x1b[2JRed → \\x1b[2jred  \\u202eGood → \\u202egood"
        assert rows["round trip"] == "[UNK] [UNK] film truly a film"
        assert all("\x1b" not in row and "\u202e" not in row for row in rows.values())


def test_snapshot_play_encoder_at_100_by_30(snap_compare) -> None:
    """The encoder panel's long form: every step, truncation, ids, padding, mask."""
    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=show_the_encoder)


def test_snapshot_play_encoder_at_80_by_24(snap_compare) -> None:
    """The encoder panel's short form: one line for each step that changed something."""
    assert snap_compare(RnnplayApp(), terminal_size=(80, 24), run_before=show_the_encoder)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pilot_test
async def test_the_coloured_words_and_the_verdict_read_in_both_themes(theme: str) -> None:
    """The shares' colours follow the theme (Ctrl+T redraws them): every coloured word of the text, the ranked
    movers and the gauge's verdict have at least 4.5:1 contrast (WCAG AA) with the background they sit on."""
    from tests.test_render import AA, contrast

    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await put_text(pilot, "A wonderful cast, but the plot was awful and dull")
        pilot.app.theme = theme
        await pilot.pause()
        checked = 0
        for widget in (pilot.app.query_one(TokenShares), pilot.app.query_one("#play-gauge")):
            region = widget.content_region
            for y in range(region.y, region.y + min(2, region.height)):  # the coloured words, the movers; the verdict
                for x in range(region.x, region.right):
                    style = pilot.app.screen.get_style_at(x, y)
                    if style.color is None or style.dim or not (style.bold or y > region.y):
                        continue  # labels are dim on purpose; the words and the verdict are bold, the movers' line not
                    ratio = contrast(style.color.get_truecolor(), style.bgcolor.get_truecolor())
                    assert ratio >= AA, (theme, widget.id, x - region.x, y - region.y, style, ratio)
                    checked += 1
        assert checked > 40


@pilot_test
async def test_the_encoder_is_traced_in_the_worker_not_on_the_event_loop(monkeypatch) -> None:
    """Tracing a long paste takes a noticeable moment: Play's worker does it with the explanation, and the
    panel draws what it was handed."""
    import threading

    from rnnplay.text import Encoder

    threads: list[str] = []
    original = Encoder.trace

    def recording(self, text):
        threads.append(threading.current_thread().name)
        return original(self, text)

    monkeypatch.setattr(Encoder, "trace", recording)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "Don't miss it")
        assert threads and threading.main_thread().name not in threads
        assert panel_rows(pilot.app.query_one(EncoderView))["lower-case"] == "Don't → don't"
