"""The Train tab: the form starts the CLI's training services in a thread; runs save, cancel or fail cleanly."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path
from typing import Callable

import pytest
from textual.widgets import Button, Input, Select, TabbedContent

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.screens.words import WordsTab
from rnnplay.tui.widgets.confirm_dialog import ConfirmDialog
from rnnplay.tui.widgets.neighbour_list import NeighbourList
from rnnplay.tui.widgets.training_curves import TrainingCurves
from rnnplay.tui.widgets.training_form import TrainingForm
from tests.conftest import TINY_CSV
from tests.tui.conftest import pilot_test, steady_cursors, write_user_model
from tests.tui.test_models import open_models

TINY = {"corpus": str(TINY_CSV), "units": "4", "vocab-size": "100", "max-length": "20", "epochs": "2"}


async def open_train(pilot) -> TrainTab:
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.classifier is not None and app.vectors is not None:
            break
    await pilot.press("f5")
    await pilot.pause()
    steady_cursors(pilot)  # a snapshot taken mid-blink of a field's cursor differed from run to run
    return app.query_one(TrainTab)


def fill(pilot, **fields: str) -> None:
    """Set form fields by the ids' last part (``corpus``, ``units``, ``name``, …)."""
    for key, value in fields.items():
        pilot.app.query_one(f"#train-{key}", Input).value = value


async def until(pilot, condition: Callable[[], object], what: str) -> None:
    """Let the app run until ``condition`` holds (a training run takes seconds, not a fixed time)."""
    for _ in range(2400):
        if condition():
            await pilot.pause()  # and let what it set off (focus, notifications) settle
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def status(pilot) -> str:
    return str(pilot.app.query_one("#train-status").content)


def message(pilot) -> str:
    return str(pilot.app.query_one("#train-message").content)


def problem(pilot) -> str:
    """What the form says is wrong with its number fields ("" when nothing is)."""
    return pilot.app.query_one(TrainingForm).problem


def training_workers(pilot) -> list:
    return [worker for worker in pilot.app.workers if worker.group == "training"]


def no_folders_left(models_dir: Path) -> bool:
    """Nothing at all in the models folder: no model, and no hidden ``.name.*.partial`` scratch folder."""
    return not models_dir.exists() or not any(models_dir.iterdir())


@pilot_test
async def test_arriving_on_train_focuses_the_form_and_its_keys_show() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        assert pilot.app.focused.id == "train-kind"
        keys = {binding.key for _, binding, enabled, _ in pilot.app.screen.active_bindings.values() if enabled}
        assert "ctrl+s" in keys
        assert not tab.check_action("cancel", ()) and not tab.check_action("use_trained", ())  # nothing to cancel or use


@pilot_test
async def test_a_mistake_in_the_form_is_an_inline_message_and_nothing_starts(models_dir: Path, tmp_path: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        fill(pilot, corpus=str(tmp_path / "missing.csv"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unknown corpus" in message(pilot) and "no file or folder by that name" in message(pilot)
        assert any("unknown corpus" in n.message for n in pilot.app._notifications)
        fill(pilot, corpus="rt", units="0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem(pilot) == "units must be a whole number from 1 to 1,024, not 0"  # under the fields
        assert message(pilot) == ""  # not twice
        assert pilot.app._notifications and list(pilot.app._notifications)[-1].message == problem(pilot)
        assert not tab.running and training_workers(pilot) == []
        assert no_folders_left(models_dir)


@pilot_test
async def test_a_corpus_the_service_rejects_is_a_message_not_a_crash(models_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "one-sided.csv"
    corpus.write_text("text,label\ngreat film,1\nloved it,1\n", encoding="utf-8")
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        fill(pilot, corpus=str(corpus))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not tab.running, "the run ends")
        assert "has only one label" in message(pilot)
        assert status(pilot) == "failed: nothing was saved"
        assert any("only one label" in n.message and n.severity == "error" for n in pilot.app._notifications)
        assert not pilot.app.query_one("#train-start", Button).disabled  # ready for another try
        assert no_folders_left(models_dir)


@pytest.mark.tensorflow
@pilot_test
async def test_a_tiny_run_saves_a_model_that_play_can_use_at_once(models_dir: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        fill(pilot, **TINY, name="tiny-tui")
        catalog = pilot.app.catalog
        await pilot.press("ctrl+s")
        assert tab.running and pilot.app.focused.id == "train-cancel"
        await until(pilot, lambda: not tab.running, "the run ends")
        assert pilot.app.focused.id == "train-use"  # the next step has the focus
        assert (models_dir / "tiny-tui" / "card.json").is_file()
        assert pilot.app.catalog == catalog + 1  # model lists elsewhere refresh
        assert status(pilot).startswith("saved tiny-tui: held-out accuracy")
        assert any(n.title == "model saved" and "tiny-tui" in n.message for n in pilot.app._notifications)
        curves = tab.query_one(TrainingCurves)
        assert [x for x, _ in curves.validation["loss"]] == [1.0, 2.0]  # one validation point per epoch
        assert len(curves.train["loss"]) >= 2
        assert pilot.app.query_one("#train-name", Input).placeholder != "tiny-tui"
        await pilot.press("ctrl+u")  # Use new model
        await pilot.pause()
        assert pilot.app.classifier.name == "tiny-tui"
        assert pilot.app.query_one(TabbedContent).active == "play"


@pytest.mark.tensorflow
@pilot_test
async def test_cancel_stops_the_run_and_leaves_no_folder_while_other_tabs_keep_answering(models_dir: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        fill(pilot, **dict(TINY, epochs="500"), name="never-saved")
        await pilot.press("ctrl+s")
        curves = tab.query_one(TrainingCurves)
        await until(pilot, lambda: curves.train["loss"], "the first batch is shown")

        # While it trains, the Words tab answers a query.
        await pilot.press("f3", "ctrl+u", *"good", "enter")
        await pilot.pause()
        assert pilot.app.query_one("#vectors-neighbours", NeighbourList).answers
        assert pilot.app.query_one(WordsTab).word == "good"
        assert tab.running

        await pilot.press("f5")
        await pilot.pause()
        job = tab.job
        await pilot.press("ctrl+s")  # a second start is refused
        await pilot.pause()
        assert tab.job is job and len(training_workers(pilot)) == 1
        assert any(n.title == "one run at a time" for n in pilot.app._notifications)

        await pilot.press("escape")
        await until(pilot, lambda: not tab.running, "the run stops")
        assert status(pilot) == "cancelled: nothing was saved"
        assert no_folders_left(models_dir)
        assert tab.trained is None and pilot.app.query_one("#train-use", Button).disabled


@pytest.mark.tensorflow
def test_quitting_while_training_stops_the_run_and_saves_nothing(models_dir: Path) -> None:
    async def quit_mid_run() -> None:
        async with RnnplayApp().run_test(size=(100, 30)) as pilot:
            tab = await open_train(pilot)
            fill(pilot, **dict(TINY, epochs="500"), name="never-saved")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: tab.query_one(TrainingCurves).train["loss"], "the first batch is shown")
            await pilot.press("ctrl+q")

    # asyncio.run returns only once the worker thread has finished: a run that went on unseen after
    # the app quit would still be training (500 epochs) or would have saved by now.
    asyncio.run(quit_mid_run())
    assert no_folders_left(models_dir)


def test_train_form_snapshot(snap_compare) -> None:
    """The idle Train tab at 100×30: the classifier form, empty curves, Start in the footer."""

    async def run_before(pilot) -> None:
        await open_train(pilot)

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


def test_train_cbow_form_snapshot(snap_compare) -> None:
    """The form for CBOW vectors (chosen with the keyboard), a single loss plot."""

    async def run_before(pilot) -> None:
        await open_train(pilot)
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert pilot.app.query_one("#train-kind", Select).value == "vectors"

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


# --- the number fields: what is typed stays, and what the CLI refuses is refused -------------------------

def finish(tab: TrainTab, path: Path) -> None:
    """What a run that saved ``path`` does when its worker ends (without TensorFlow: the model is a copy)."""
    tab._saved(None, path)
    tab._set_running(False)


REFUSED = [
    ("epochs", "2.5", "epochs must be a whole number from 1 to 1,000, not '2.5'"),
    ("epochs", "1e3", "epochs must be a whole number from 1 to 1,000, not '1e3'"),
    ("epochs", "abc", "epochs must be a whole number from 1 to 1,000, not 'abc'"),
    ("epochs", "0", "epochs must be a whole number from 1 to 1,000, not 0"),
    ("epochs", "99999999999999999999", "epochs must be a whole number from 1 to 1,000, not 99,999,999,999,999,999,999"),
    ("units", "99999", "units must be a whole number from 1 to 1,024, not 99,999"),
    ("max-length", "-1", "max length must be a whole number from 1 to 100,000, or 0 for whole texts, not -1"),
]


async def type_into(pilot, field: str, text: str) -> Input:
    """Focus a field, clear it with its own ctrl+u (no new model is on offer), and type ``text`` key by key."""
    box = pilot.app.query_one(f"#train-{field}", Input)
    box.focus()
    await pilot.press("end", "ctrl+u", *text)
    await pilot.pause()
    return box


@pilot_test
async def test_a_number_field_keeps_what_is_typed_and_refuses_what_the_cli_refuses(models_dir: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        for field, text, expected in REFUSED:
            box = await type_into(pilot, field, text)
            assert box.value == text  # nothing dropped: 2.5 is not 25, 1e3 is not 13
            assert box.has_class("-invalid")  # the field's own validation state
            assert problem(pilot) == expected and pilot.app.query_one("#form-problem").display
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert list(pilot.app._notifications)[-1].message == expected  # and again on Start
            assert not tab.running and training_workers(pilot) == []
            await type_into(pilot, field, "3" if field != "max-length" else "0")
            assert not box.has_class("-invalid") and problem(pilot) == ""
            assert not pilot.app.query_one("#form-problem").display
        assert no_folders_left(models_dir)


@pilot_test
async def test_the_cbow_fields_are_bounded_as_cbow_train_is() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_train(pilot)
        pilot.app.query_one("#train-kind", Select).value = "vectors"
        await pilot.pause()
        box = pilot.app.query_one("#cbow-window", Input)
        box.focus()
        await pilot.press("end", "ctrl+u", *"51")
        await pilot.pause()
        assert box.value == "51" and box.has_class("-invalid")
        assert problem(pilot) == "window must be a whole number from 1 to 50, not 51"


@pilot_test
async def test_direction_says_its_state_and_the_note_follows_the_form() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_train(pilot)
        direction = pilot.app.query_one("#train-bidirectional", Select)

        def note() -> str:
            return str(pilot.app.query_one("#preset-note").content)

        assert direction.selection is True and "both ways" in str(direction.query_one("SelectCurrent #label").content)
        assert note().startswith("default: fast on a CPU")
        direction.value = False
        pilot.app.query_one("#train-cell", Select).value = "gru"
        await pilot.pause()
        assert str(direction.query_one("SelectCurrent #label").content) == "left to right only"
        await type_into(pilot, "layers", "2")
        assert note() == ("default, edited: GRU 32, 2 layers, left to right, vocab 20,000, last 300 tokens, 4 epochs; "
                          "the rest as default")
        pilot.app.query_one("#train-preset", Select).value = "tutorial"
        await pilot.pause()
        assert note().startswith("tutorial: TensorFlow's")  # a preset chosen again is the preset


@pilot_test
async def test_the_devices_field_reaches_the_request(models_dir: Path) -> None:
    from rnnplay.tui.widgets.training_form import TrainingForm

    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_train(pilot)
        form = pilot.app.query_one(TrainingForm)
        assert form.request(models_dir).strategy == "auto"
        pilot.app.query_one("#train-strategy", Select).value = "mirrored"
        await pilot.pause()
        assert form.request(models_dir).strategy == "mirrored"


# --- the new model's offer: ctrl+u, and gone with the model ----------------------------------------------

@pilot_test
async def test_ctrl_u_uses_the_new_model_even_from_a_field_and_clears_the_field_otherwise(models_dir: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        box = await type_into(pilot, "name", "some name")
        await pilot.press("ctrl+u")  # nothing trained: the field's own ctrl+u
        await pilot.pause()
        assert box.value == "" and pilot.app.query_one(TabbedContent).active == "train"
        finish(tab, write_user_model(models_dir, "just-trained"))
        await pilot.pause()
        assert status(pilot).endswith("ctrl+u (Use new model) loads it on Play.")
        assert not pilot.app.query_one("#train-use", Button).disabled
        box.focus()
        await pilot.pause()  # the focus moves on the next turn: before then, it would pull the tabs back to Train
        assert pilot.app.focused is box
        await pilot.press("ctrl+u")
        await until(pilot, lambda: pilot.app.query_one(TabbedContent).active == "play", "Play shows the new model")
        assert pilot.app.classifier.name == "just-trained"


@pilot_test
async def test_deleting_the_model_just_trained_withdraws_the_offer(models_dir: Path) -> None:
    """Train, then on Models ``d`` and ``y``: back on Train, no ctrl+u and no button for a model that is gone."""
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        tab = await open_train(pilot)
        trained = write_user_model(models_dir, "just-trained")
        finish(tab, trained)
        await pilot.pause()
        assert not pilot.app.query_one("#train-use", Button).disabled
        await pilot.press("f6")
        table = await open_models(pilot, "just-trained")
        assert table.row_count == 5  # just-trained, then the four shipped models
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question is asked")
        await pilot.press("y")
        await until(pilot, lambda: not trained.exists(), "the model is deleted")
        await pilot.press("f5")
        await until(pilot, lambda: tab.trained is None, "the offer is withdrawn")
        assert pilot.app.query_one("#train-use", Button).disabled
        assert not tab.check_action("use_trained", ())
        assert "ctrl+u" not in status(pilot) and status(pilot).startswith("just-trained is no longer in your models.")
        keys = {binding.key for _, binding, enabled, _ in pilot.app.screen.active_bindings.values() if enabled}
        assert "ctrl+u" not in keys or pilot.app.focused.__class__.__name__ == "Input"  # an Input's own ctrl+u


# --- layout: every field and Start reachable at 40×15, plots that keep their width at 80×24 ---------------

@pilot_test
async def test_at_the_smallest_size_tab_reaches_every_field_and_start_and_shows_it() -> None:
    from rnnplay.tui.app import MIN_SIZE

    async with RnnplayApp().run_test(size=MIN_SIZE) as pilot:  # smaller, the app says the terminal is too small
        await open_train(pilot)
        seen: list[str] = []
        for _ in range(20):
            focused = pilot.app.focused
            if focused is None or focused.id in seen:
                break
            seen.append(focused.id)
            region = focused.region
            assert region.height and pilot.app.screen.region.contains_region(region), focused.id  # on screen
            if focused.id == "train-start":
                break
            await pilot.press("tab")
            await pilot.pause()
        assert seen[-1] == "train-start"
        assert {"train-corpus", "train-epochs", "train-name"} <= set(seen)
        assert not {"train-body", "train-settings"} & set(seen)  # the scrolling containers are no focus stops
        await pilot.press("shift+tab")
        assert pilot.app.focused.id == "train-name"  # and back


def screen_text(app) -> str:
    """The screen as text, as a terminal shows it."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO(), color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def feed(curves: TrainingCurves, epochs: int = 4) -> None:
    """A run's worth of points without TensorFlow: a loss falling from ln 2, accuracy rising."""
    curves.start("classifier", epochs)
    for step in range(1, 3 * epochs + 1):
        x = step / 3
        curves.add_batch(x, 0.693131 - 0.02 * x, 0.5 + 0.05 * x)
        if step % 3 == 0:
            curves.add_epoch(int(x), 0.693131 - 0.02 * x, 0.5 + 0.05 * x, 0.6935 - 0.015 * x, 0.5 + 0.04 * x)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
@pilot_test
async def test_the_plots_keep_a_readable_width_and_round_ticks(size: tuple[int, int]) -> None:
    from textual_plotext import PlotextPlot

    async with RnnplayApp().run_test(size=size) as pilot:
        tab = await open_train(pilot)
        feed(tab.query_one(TrainingCurves))
        await pilot.pause()
        for plot in tab.query(PlotextPlot):
            assert plot.size.width >= 24, (size, plot.id, plot.size)
        assert tab.has_class("-stacked") == (size[0] < 90)
        if tab.has_class("-stacked"):
            tab.query_one("#train-body").scroll_to_widget(tab.query_one("#train-curves"), top=True, animate=False)
            await pilot.pause()
        shown = screen_text(pilot.app)
        assert "0.69313" not in shown and "0.6931" not in shown  # plotext's own ticks
        assert re.search(r"\s0\.6[0-9]┤", shown), shown  # round ones, two decimals here


def test_train_80x24_snapshot(snap_compare) -> None:
    """80×24: the form with a refused field, its message, and the edited note (the run goes below it)."""

    async def run_before(pilot) -> None:
        await open_train(pilot)
        await type_into(pilot, "epochs", "2.5")

    assert snap_compare(RnnplayApp(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_train_curves_snapshot(snap_compare, size: tuple[int, int]) -> None:
    """A run's curves (fed without TensorFlow): round y ticks, plots of a readable width, below the form at 80."""

    async def run_before(pilot) -> None:
        tab = await open_train(pilot)
        feed(tab.query_one(TrainingCurves))
        if tab.has_class("-stacked"):
            tab.query_one("#train-body").scroll_to_widget(tab.query_one("#train-run"), top=True, animate=False)
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=size, run_before=run_before)
