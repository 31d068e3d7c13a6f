"""The Lab tab (F4): the Race pane's form starts the race engine in a worker; progress, results, the decay plot
and the history show; cancel stops at the next batch and saves nothing. The engine is stood in for by a fake
(no TensorFlow) except in one real tiny race."""

from __future__ import annotations

import io
import time

import pytest
from textual.widgets import Input, OptionList, Select, TabbedContent

from rnnplay.training import race as engine
from rnnplay.training.progress import Phase, stop_if_asked
from rnnplay.training.race_record import RunBatch, RunEnd, RunEpoch, RunStart, races_dir, save_race
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.lab import LabTab, RacePane
from rnnplay.tui.widgets.race_curves import RaceCurves
from tests.training.test_race_record import made_up_result
from tests.tui.conftest import pilot_test, steady_cursors, until


async def open_lab(pilot) -> RacePane:
    await pilot.press("f4")
    await until(pilot, lambda: pilot.app.query_one(TabbedContent).active == "lab", "the Lab tab shows")
    await pilot.pause()
    return pilot.app.query_one(RacePane)


def text_of(pilot, selector: str) -> str:
    """What a Static shows, as plain text (its Rich tables printed wide)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(pilot.app.query_one(selector).content)
    return console.export_text().strip()


def fake_race(steps: int = 3, wait: float = 0.0):
    """A stand-in for ``run_race``: the made-up result, with the events a real race sends, polling the stop."""

    def run(request, listener, should_stop=lambda: False):
        result = made_up_result()
        listener(Phase("starting TensorFlow"))
        for index, run in enumerate(result.runs, 1):
            listener(RunStart(run.cell, run.seed, index, len(result.runs), steps))
            for epoch in run.epochs:
                for step in range(1, steps + 1):
                    listener(RunBatch(run.cell, run.seed, epoch.epoch, step, steps, 0.7))
                    time.sleep(wait)
                    stop_if_asked(should_stop)
                listener(RunEpoch(run.cell, run.seed, 2, epoch))
            listener(RunEnd(run))
        return result

    return run


@pilot_test
async def test_f4_opens_the_lab_with_the_race_pane_ready_for_more_panes() -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        pane = await open_lab(pilot)
        panes = pilot.app.query_one("#lab-panes", TabbedContent)
        assert panes.active == "lab-race" and pane.parent.id == "lab-race"
        assert pilot.app.focused is pilot.app.query_one("#race-task", Select)  # keyboard first
        assert "ctrl+s starts a race" in text_of(pilot, "#race-status")


@pilot_test
async def test_the_one_unit_and_real_text_panes_take_keys_and_follow_plays_classifier() -> None:
    from rnnplay.runtime.one_unit import run
    from rnnplay.tui.widgets.one_unit_panel import OneUnitPanel
    from rnnplay.tui.widgets.real_text_panel import RealTextPanel

    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        await open_lab(pilot)
        await until(pilot, lambda: pilot.app.classifier is not None, "the classifier loads")
        panes = pilot.app.query_one("#lab-panes", TabbedContent)
        panes.active = "lab-unit"
        await until(pilot, lambda: isinstance(pilot.app.focused, OneUnitPanel), "the one-unit panel has the keys")
        panel = pilot.app.query_one(OneUnitPanel)
        before = panel.settings.w
        await pilot.press("W")
        assert panel.settings.w == pytest.approx(before + 0.05)
        assert panel.result.derivative == pytest.approx(run(panel.settings).derivative)
        panes.active = "lab-real"
        await until(pilot, lambda: isinstance(pilot.app.focused, RealTextPanel), "the real-text panel has the keys")
        assert pilot.app.query_one(RealTextPanel).classifier is pilot.app.classifier  # the one in use on Play


@pilot_test
async def test_a_form_mistake_is_one_message_and_nothing_starts() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        pane = await open_lab(pilot)
        pilot.app.query_one("#race-units", Input).value = "0"
        pilot.app.query_one("#race-epochs", Input).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not pane.running
        assert text_of(pilot, "#race-message") == "epochs must be a number, not 'x'"
        pilot.app.query_one("#race-epochs", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(pilot, "#race-message") == "units must be a whole number from 1 to 512, not 0"


@pilot_test
async def test_a_race_shows_progress_then_results_decay_and_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "run_race", fake_race())
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        pane = await open_lab(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not pane.running and "saved as" in text_of(pilot, "#race-status"), "the race ends", 1000)
        results = text_of(pilot, "#race-results")
        assert "SimpleRNN accuracy" in results and "0.925 ± 0.035" in results  # the made-up seeds' mean ± spread
        assert "decay/step" in text_of(pilot, "#race-decay-table")
        assert pilot.app.query_one(RaceCurves).loss["lstm"]  # the curves got the batches
        assert len(list(races_dir().glob("*.json"))) == 1
        history = pilot.app.query_one("#race-history", OptionList)
        assert history.option_count == 1 and "first T=3" in str(history.get_option_at_index(0).prompt)


@pilot_test
async def test_cancel_stops_at_the_next_batch_and_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "run_race", fake_race(steps=1000, wait=0.01))
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        pane = await open_lab(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pane.board is not None and pane.board.batch is not None, "batches arrive", 1000)
        assert pilot.app.focused is pilot.app.query_one("#race-cancel")
        await pilot.press("escape")
        await until(pilot, lambda: not pane.running, "the race stops", 1000)
        assert text_of(pilot, "#race-status") == "cancelled: nothing was saved"
        assert not races_dir().exists() or not list(races_dir().iterdir())


@pilot_test
async def test_a_saved_race_from_the_history_is_shown_again() -> None:
    save_race(made_up_result())
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_lab(pilot)
        history = pilot.app.query_one("#race-history", OptionList)
        history.focus()
        history.highlighted = 0
        await pilot.press("enter")
        await until(pilot, lambda: "decay/step" in text_of(pilot, "#race-decay-table"), "the saved race shows")
        assert "2026-12-02 16:00:00" in text_of(pilot, "#race-results")


@pytest.mark.tensorflow
@pilot_test
async def test_a_real_tiny_race_in_the_tab() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        pane = await open_lab(pilot)
        for field, value in (("length", "10"), ("epochs", "1"), ("sequences", "40"), ("units", "4")):
            pilot.app.query_one(f"#race-{field}", Input).value = value
        pilot.app.query_one("#race-cells", Input).value = "rnn,lstm"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not pane.running, "the race ends", 12000)
        assert "saved as" in text_of(pilot, "#race-status"), text_of(pilot, "#race-message")
        assert "LSTM" in text_of(pilot, "#race-results")


def test_lab_snapshot(snap_compare) -> None:
    """The Lab tab at 100×30 showing a saved race: the form, its curves, and the results below."""
    save_race(made_up_result())

    async def run_before(pilot) -> None:
        await open_lab(pilot)
        steady_cursors(pilot)
        pilot.app.query_one(LabTab).query_one(RacePane).show(made_up_result())
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)
