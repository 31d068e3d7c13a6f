"""The Inside tab: it follows Play's text and model, has its own line, steps through the words, and never errs."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TabbedContent

from rnnplay.render import percent
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.inside import InsideTab, StepsView, inside_result
from rnnplay.tui.screens.play import PlayTab
from tests.conftest import save_tiny_classifier
from tests.tui.conftest import pilot_test, settle, steady_cursors, until

REVIEW = "The first hour is dull, but the ending is wonderful"


def inside(pilot) -> InsideTab:
    return pilot.app.query_one(InsideTab)


async def caught_up(pilot) -> InsideTab:
    """Wait until the Inside tab shows its current text with the current model (timer, worker, message)."""
    tab = inside(pilot)
    await until(pilot, lambda: tab.up_to_date and not pilot.app.loading_model, "the Inside tab caught up")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return tab


async def open_inside(pilot, play_text: str = REVIEW) -> InsideTab:
    pilot.app.query_one(PlayTab).replace_text(play_text)
    await settle(pilot)
    await pilot.press("f2")
    await until(pilot, lambda: pilot.app.query_one(TabbedContent).active == "inside", "Inside is shown")
    return await caught_up(pilot)


def view(pilot) -> StepsView:
    return pilot.app.query_one(StepsView)


def drawn(steps: StepsView) -> str:
    """What the step-by-step view draws, as plain text."""
    from rich.console import Console

    console = Console(width=steps.size.width, record=True, color_system=None)
    console.print(steps.render())
    return console.export_text()


def drawn_plain(static) -> str:
    """What a pane's Static shows, as plain text."""
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(static.content)
    return console.export_text()


def status(pilot) -> str:
    return str(pilot.app.query_one("#inside-status").content)


@pilot_test
async def test_it_studies_plays_text_with_plays_model(forward_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot)
        assert tab.text == REVIEW and tab.result.trace.words == 10 and tab.result.trace.directions == 2
        assert "imdb-bilstm" in status(pilot) and "Play's text" in status(pilot)
        assert pilot.app.focused is view(pilot)  # the keys go to the view
        pilot.app.load_classifier(forward_model)  # what Play's model list does
        await until(pilot, lambda: tab.result is not None and tab.result.classifier is pilot.app.classifier
                    and pilot.app.classifier.name == "forward-lstm", "the new model is traced")
        assert tab.result.trace.directions == 1 and "forward-lstm" in status(pilot)
        await pilot.press("f1", "ctrl+l", *"not bad")
        await settle(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: tab.text == "not bad", "Play's new text comes in")
        await caught_up(pilot)
        assert tab.result.trace.tokens == ["not", "bad"]


@pilot_test
async def test_its_own_line_studies_another_text_and_leaves_plays_alone() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot)
        box = pilot.app.query_one("#inside-text", Input)
        box.focus()
        await pilot.press("ctrl+u", *"not good at all")
        tab = await caught_up(pilot)
        assert tab.result.trace.tokens == ["not", "good", "at", "all"]
        assert "own text" in status(pilot)
        assert pilot.app.query_one(PlayTab).text == REVIEW  # nothing was written back
        await pilot.press("enter")
        assert pilot.app.focused is view(pilot)
        await pilot.press("f1", "f2")  # Play did not change: the tab keeps its own text
        await pilot.pause()
        assert tab.text == "not good at all"
        pilot.app.query_one(PlayTab).replace_text("bad")
        await settle(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: tab.text == "bad", "Play's change comes back")


@pilot_test
async def test_the_cursor_keys_move_and_stop_at_the_ends() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_inside(pilot)
        steps = view(pilot)
        await pilot.press("left")
        assert steps.cursor == 0
        await pilot.press("right", "right")
        assert steps.cursor == 2
        await pilot.press(*["right"] * 20)
        assert steps.cursor == 9
        await pilot.press("home")
        assert steps.cursor == 0
        await pilot.press("end")
        assert steps.cursor == 9
        await pilot.press("up")
        assert steps.strip == 0
        await pilot.press(*["down"] * 20)
        assert steps.strip == 7  # x, h(t−1), five LSTM rows, h(t)
        await pilot.press("v")  # the gradient pane marks the same word
        await pilot.pause()
        assert inside(pilot).pane == "gradient"
        assert "▸wonderful" in drawn_plain(pilot.app.query_one("#inside-gradient-view .view-body"))
        await pilot.press("left", "home", "right")  # the word keys work on this pane too
        await pilot.pause()
        assert steps.cursor == 1 and "▸first" in drawn_plain(pilot.app.query_one("#inside-gradient-view .view-body"))
        await pilot.press("end")
        await pilot.press("v", "v", "v", "v")
        assert inside(pilot).pane == "steps"
        await pilot.press("left_square_bracket")
        assert steps.unit == 0
        await pilot.press(*["right_square_bracket"] * 40)
        assert steps.unit == 31  # the shipped model has 32 units a direction
        await pilot.pause()
        assert "unit 31 = " in drawn(steps)  # the line under the strips gives the selected unit


@pilot_test
async def test_the_direction_and_layer_keys(models_dir: Path, forward_model: Path) -> None:
    stacked = save_tiny_classifier(models_dir / "stacked-gru", cell="gru", units=6, layers=2, bidirectional=True)
    async with RnnplayApp(model=str(stacked)).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_inside(pilot, "good film bad film")
        steps = view(pilot)
        await pilot.press("d")
        assert steps.way == 1
        await pilot.press("l")
        assert (steps.depth, steps.way) == (1, 1)
        await pilot.press("l", "d")
        assert (steps.depth, steps.way) == (0, 0)
        pilot.app.load_classifier(forward_model)
        tab = inside(pilot)
        await until(pilot, lambda: tab.result is not None and tab.result.classifier is pilot.app.classifier
                    and pilot.app.classifier.name == "forward-lstm", "the one-way model is traced")
        await pilot.press("d", "l")
        assert (steps.depth, steps.way) == (0, 0)  # one direction, one layer: the keys say so and change nothing
        assert any("one way only" in n.message for n in pilot.app._notifications)


@pilot_test
async def test_a_result_for_an_older_request_is_dropped() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot, "good")
        old, again = tab.result, inside_result(pilot.app.classifier, tab.text)
        tab.post_message(InsideTab.Traced(tab._generation - 1, pilot.app.classifier, tab.text, again))  # an older request
        tab.post_message(InsideTab.Traced(tab._generation, object(), tab.text, again))  # another model
        tab.post_message(InsideTab.Traced(tab._generation, pilot.app.classifier, "bad", again))  # another text
        await pilot.pause()
        assert tab.result is old
        pilot.app.query_one("#inside-text", Input).focus()
        await pilot.press("end", *" and bad and dull")  # each keystroke a new request; only the last one shows
        tab = await caught_up(pilot)
        assert tab.result.text == "good and bad and dull" and tab.result.trace.words == 5


@pilot_test
async def test_empty_unknown_and_too_long_texts_get_a_view_not_an_error(monkeypatch) -> None:
    import rnnplay.inside_report as inside_report

    monkeypatch.setattr(inside_report, "WORD_LIMIT", 6)
    monkeypatch.setattr(inside_report, "TRACE_LIMIT", 12)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot, "")
        assert tab.result is None and "Type a text" in status(pilot)
        tab = await open_inside(pilot, "zorblax qwfpgj!")
        assert tab.result.trace.words == 2 and tab.result.unknown == [True, True] and "2 unknown" in status(pilot)
        tab = await open_inside(pilot, "...")
        assert tab.result.trace.words == 0
        assert "no word" in drawn(view(pilot))
        tab = await open_inside(pilot, REVIEW)  # over the explain limit: traced, without the leave-one-out shares
        assert tab.result.trace.words == 10 and tab.result.logit_shares is None
        assert "10 words: the leave-one-out shares and a two-way model's re-reading are left out" in tab.result.note
        assert "are left out" in pane_text(pilot, "gradient") and "‖total‖" in pane_text(pilot, "gradient")
        tab = await open_inside(pilot, REVIEW + " " + REVIEW)  # over the trace limit: the prediction alone
        assert tab.result.trace is None and 0 < tab.result.probability < 1 and f"{tab.result.probability:.3f}" in tab.result.note
        assert "20 words are too many to trace step by step (the limit is 12)" in tab.result.note
        await pilot.press("right", "d", "l", "v")  # nothing to step through: the keys do nothing, and no error
        await pilot.pause()
        assert inside(pilot).pane == "gradient"


@pilot_test
async def test_a_simple_rnn_has_its_preactivation_and_no_gates(models_dir: Path) -> None:
    simple = save_tiny_classifier(models_dir / "simple", cell="rnn", units=5)
    async with RnnplayApp(model=str(simple)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_inside(pilot, "good film")
        steps = view(pilot)
        assert list(steps.trace.at(0, 0).gates) == ["preactivation"]
        await pilot.press(*["down"] * 9)
        assert steps.strip == 3  # x, h(t−1), the pre-activation, h(t)
        assert "pre-activ." in drawn(steps) and "forget" not in drawn(steps)


@pilot_test
async def test_a_model_switch_while_typing_shows_the_new_model(contrary_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot, "good")
        before = tab.result.probability
        pilot.app.query_one("#inside-text", Input).focus()
        await pilot.press("end", *" film")
        pilot.app.load_classifier(contrary_model)
        await pilot.press(*" indeed")
        await until(pilot, lambda: pilot.app.classifier.name == "contrarian", "the contrary model is in use")
        tab = await caught_up(pilot)
        assert tab.result.classifier.name == "contrarian" and tab.result.text == "good film indeed"
        assert before > 0.5 and tab.result.probability < 0.5


def pane_text(pilot, name: str) -> str:
    return drawn_plain(pilot.app.query_one(f"#inside-{name}-view .view-body"))


@pilot_test
async def test_views_two_to_five_show_the_text_beside_the_models_held_out_reviews() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tab = await open_inside(pilot)
        await until(pilot, lambda: tab.profile is not None, "the corpus profile is read or computed", rounds=20_000)
        tab = await caught_up(pilot)
        figures = tab.profile.profile.connectivity
        assert tab.result.path is not None and len(tab.result.path.words) == 10  # one point per word
        gradient = pane_text(pilot, "gradient")
        assert "this text (10 words)" in gradient and "held-out" in gradient
        assert f" {percent(figures.first_half[0])} " in gradient  # the corpus figure is the profile's own
        assert "wonderful" in gradient and "leave-one-out" in gradient
        memory = pane_text(pilot, "memory")
        assert "forget gate" in memory and "at init" in memory and "held-out" in memory
        assert "PC1" in pane_text(pilot, "axis") and "your text after 10 words" in pane_text(pilot, "axis")
        assert tab.result.stream is None  # measured only while its pane is in front
        tab.show_view("stream")
        await until(pilot, lambda: tab.result.stream is not None, "the stream pane measures")
        stream = pane_text(pilot, "stream")
        assert "re-reading, two directions (this model)" in stream and "65" in stream  # 10 + 10·11/2 steps


@pilot_test
async def test_the_profiles_progress_and_a_model_without_held_out_reviews(monkeypatch) -> None:
    import threading

    import rnnplay.model_profile as model_profile
    from rnnplay.errors import RnnplayError

    halfway, go_on = threading.Event(), threading.Event()

    def slow(classifier, progress=None, should_stop=lambda: False, **_):
        progress(0.5)
        halfway.set()
        go_on.wait(30)
        raise RnnplayError(f"{classifier.name} has no test split to check it on (an imported model keeps none)")

    monkeypatch.setattr(model_profile, "cached_profile", lambda classifier, folder=None: None)
    monkeypatch.setattr(model_profile, "model_profile", slow)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app.query_one(PlayTab).replace_text(REVIEW)
        await settle(pilot)
        await pilot.press("f2")  # not open_inside: it waits for every worker, and this one waits for the test
        tab = inside(pilot)
        await until(pilot, lambda: tab.up_to_date and halfway.is_set(), "traced, and the profile half done")
        await until(pilot, lambda: "50%" in pane_text(pilot, "gradient"), "the progress is shown")
        assert "this text (10 words)" in pane_text(pilot, "gradient")  # the text's own figures meanwhile
        tab.show_view("gradient")
        await pilot.press("right")  # the pane is drawn again for the cursor: the progress stays above it
        await pilot.pause()
        assert "▸first" in pane_text(pilot, "gradient") and "50%" in pane_text(pilot, "gradient")
        go_on.set()
        await until(pilot, lambda: "No corpus figures" in pane_text(pilot, "memory"), "the reason is shown")
        assert tab.profile is None and "imported model keeps none" in pane_text(pilot, "gradient")


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)])
@pilot_test
async def test_it_fits_and_resizes(size: tuple[int, int]) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_inside(pilot)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        steps = view(pilot)
        assert steps.region.right <= size[0] and steps.region.bottom <= size[1]
        await pilot.press("end", "v", "v", "v", "v", "v")
        await pilot.pause()
        assert inside(pilot).pane == "steps"


async def show_review(pilot) -> None:
    await settle(pilot)
    await open_inside(pilot)
    await pilot.press("right", "right", "right", "right", "right", "down", "down", "down")
    steady_cursors(pilot)
    await pilot.pause()


def test_snapshot_inside_at_100_by_30(snap_compare) -> None:
    """The step-by-step view on "but": the word line, the LSTM's strips with the forget gate selected, h(t) below."""
    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=show_review)


def test_snapshot_inside_at_80_by_24(snap_compare) -> None:
    assert snap_compare(RnnplayApp(), terminal_size=(80, 24), run_before=show_review)


@pilot_test
async def test_the_tracing_runs_in_a_worker_thread(monkeypatch) -> None:
    import threading

    import rnnplay.tui.screens.inside as inside_module

    threads = []
    real = inside_module.inside_result

    def recorded(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(inside_module, "inside_result", recorded)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_inside(pilot)
        assert threads and all(thread is not threading.main_thread() for thread in threads)


TRACED_WITHOUT_TENSORFLOW = """
import sys
from rnnplay.render import percent
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.inside import InsideTab

class Traced(RnnplayApp):
    def on_ready(self):
        self.set_interval(0.01, self.check)

    def check(self):
        tab = self.query_one(InsideTab)
        if self.classifier is None:
            return
        if tab.text != "not bad at all":
            tab.set_text("not bad at all")
        elif tab.result is not None and tab.result.trace is not None and tab.up_to_date:
            print(tab.result.trace.words, "tensorflow" in sys.modules)
            self.exit()

Traced().run(headless=True)
"""


def test_the_inside_tab_keeps_tensorflow_away() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", TRACED_WITHOUT_TENSORFLOW], capture_output=True, text=True, timeout=60,
                         check=True)
    assert out.stdout.split() == ["4", "False"]
