"""The Train tab: the form starts the CLI's training services in a thread; runs save, cancel or fail cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable

import pytest
from textual.widgets import Button, Input, Select, TabbedContent

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.screens.words import WordsTab
from rnnplay.tui.widgets.neighbour_list import NeighbourList
from rnnplay.tui.widgets.training_curves import TrainingCurves
from tests.conftest import TINY_CSV
from tests.tui.conftest import pilot_test

TINY = {"corpus": str(TINY_CSV), "units": "4", "vocab-size": "100", "max-length": "20", "epochs": "2"}


async def open_train(pilot) -> TrainTab:
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.classifier is not None and app.vectors is not None:
            break
    await pilot.press("f3")
    await pilot.pause()
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
        assert message(pilot) == "units must be a whole number from 1 to 1,024, not 0"
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
        await pilot.press("ctrl+l")  # Use new model
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
        await pilot.press("f2", "ctrl+u", *"good", "enter")
        await pilot.pause()
        assert pilot.app.query_one("#vectors-neighbours", NeighbourList).answers
        assert pilot.app.query_one(WordsTab).word == "good"
        assert tab.running

        await pilot.press("f3")
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
