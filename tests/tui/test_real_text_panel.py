"""The real-text panel in a small app: Enter runs the probe in a worker, the table appears; a new model clears it."""

from __future__ import annotations

import threading
import time

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Footer, ProgressBar, Static

from rnnplay.errors import Cancelled
from rnnplay.memory_probe import probe_held_out
from rnnplay.runtime.classifier import Classifier
from rnnplay.tui.widgets.real_text_panel import RealTextPanel
from tests.conftest import SHIPPED_LSTM, SHIPPED_MODEL
from tests.tui.conftest import pilot_test, until

SAMPLES, DISTANCES = 6, (0, 25, 400)


class RealApp(App[None]):
    def __init__(self, classifier: Classifier | None) -> None:
        super().__init__()
        self.classifier = classifier
        self.finished: list[RealTextPanel.Finished] = []

    def compose(self) -> ComposeResult:
        yield RealTextPanel(self.classifier, samples=SAMPLES, distances=DISTANCES)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RealTextPanel).focus()

    def on_real_text_panel_finished(self, message: RealTextPanel.Finished) -> None:
        self.finished.append(message)


def table_text(app: App) -> str:
    from rich.console import Console

    console = Console(width=80, color_system=None)
    with console.capture() as captured:
        console.print(app.query_one("#real-table", Static).content)
    return captured.get()


@pilot_test
async def test_enter_runs_the_probe_in_a_worker_and_shows_the_table() -> None:
    lstm = Classifier.load(SHIPPED_LSTM)
    async with RealApp(lstm).run_test(size=(80, 24)) as pilot:
        assert "Enter runs the memory probe on imdb-lstm" in str(pilot.app.query_one("#real-status", Static).render())
        await pilot.press("enter")
        await until(pilot, lambda: bool(pilot.app.finished), "the probe finished", rounds=3000)
        panel = pilot.app.query_one(RealTextPanel)
        expected = probe_held_out(lstm, SAMPLES, DISTANCES)
        assert panel.probe is not None
        assert panel.probe.to_json()["cells"] == expected.to_json()["cells"]  # the same seed, the same figures
        assert "sentence at the start" in table_text(pilot.app) and "cut" in table_text(pilot.app)
        assert not pilot.app.query_one(ProgressBar).display


@pilot_test
async def test_a_new_classifier_clears_the_result_and_none_is_one_line() -> None:
    async with RealApp(None).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert "no classifier to probe" in str(pilot.app.query_one("#real-status", Static).render())
        panel = pilot.app.query_one(RealTextPanel)
        panel.use_classifier(Classifier.load(SHIPPED_MODEL))
        assert "imdb-bilstm" in str(pilot.app.query_one("#real-status", Static).render()) and panel.probe is None


def probe_until_cancelled(started: threading.Event, stopped: threading.Event):
    """A stand-in for ``probe_held_out`` that runs until it is cancelled, so Esc always meets a running probe
    (the real one on 6 samples can end before Esc arrives on a quiet machine)."""

    def probe(classifier, samples, distances, seed, progress=None, cancelled=lambda: False):
        started.set()
        while not cancelled():
            time.sleep(0.01)
        stopped.set()
        raise Cancelled("the memory probe was stopped")

    return probe


@pilot_test
async def test_escape_stops_a_running_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    from rnnplay.tui.widgets import real_text_panel

    started, stopped = threading.Event(), threading.Event()
    monkeypatch.setattr(real_text_panel, "probe_held_out", probe_until_cancelled(started, stopped))
    async with RealApp(Classifier.load(SHIPPED_LSTM)).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, started.is_set, "the probe runs")
        panel = pilot.app.query_one(RealTextPanel)
        assert panel.running
        await pilot.press("escape")
        assert not panel.running and "stopped" in str(pilot.app.query_one("#real-status", Static).render())
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert stopped.is_set() and panel.probe is None and not pilot.app.finished


def test_snapshot_real_text_panel_at_80_by_24(snap_compare) -> None:
    """The finished probe on the shipped LSTM (6 samples): the table, 'cut' at 400 tokens, the reading."""

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await until(pilot, lambda: bool(pilot.app.finished), "the probe finished", rounds=3000)
        await pilot.pause()

    assert snap_compare(RealApp(Classifier.load(SHIPPED_LSTM)), terminal_size=(80, 24), run_before=run_before)
