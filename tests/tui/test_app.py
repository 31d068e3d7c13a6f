"""The app shell: it starts on the shipped models without TensorFlow, switches tabs, and turns a
missing or broken start model into a message instead of a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import TabbedContent

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.play import PlayTab
from tests.tui.conftest import pilot_test, settle

START = """
import sys
from rnnplay.tui.app import RnnplayApp

class Started(RnnplayApp):
    def on_ready(self):
        self.set_interval(0.01, self.check)

    def check(self):
        if self.classifier is not None and self.vectors is not None:
            print(self.classifier.name, self.vectors.name, "tensorflow" in sys.modules)
            self.exit()

Started().run(headless=True)
"""


def test_it_starts_on_the_shipped_models_without_tensorflow() -> None:
    out = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["imdb-bilstm", "imdb-cbow", "False"]


@pilot_test
async def test_function_keys_switch_tabs_and_keys_go_to_the_tab_shown() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tabs = pilot.app.query_one(TabbedContent)
        for key, tab in (("f6", "models"), ("f3", "words"), ("f4", "lab"), ("f5", "train"), ("f1", "play")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab
        assert pilot.app.focused.id == "play-text"
        await pilot.press("f6")
        await pilot.pause()
        assert pilot.app.focused.id == "models-table"


@pilot_test
async def test_a_missing_start_model_is_a_notification_and_an_inline_message() -> None:
    async with RnnplayApp(model="no-such-model").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.classifier is None
        assert any("no-such-model" in n.message for n in pilot.app._notifications)
        status = str(pilot.app.query_one("#play-status").content)
        assert "no model named 'no-such-model'" in status and "Models (F6)" in status
        await pilot.press(*"good")
        await settle(pilot)
        assert pilot.app.query_one(PlayTab).explanation is None  # typing without a model is harmless


@pilot_test
async def test_a_corrupt_start_model_is_a_notification(corrupt_model: Path) -> None:
    async with RnnplayApp(model=str(corrupt_model)).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.classifier is None
        assert any("does not match its card" in n.message for n in pilot.app._notifications)
        assert pilot.app.load_error


@pilot_test
async def test_the_theme_toggles_between_dark_and_light() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        dark = pilot.app.theme
        await pilot.press("ctrl+t")
        assert pilot.app.theme != dark and "light" in pilot.app.theme
        await pilot.press("ctrl+t")
        assert pilot.app.theme == dark


@pilot_test
async def test_use_classifier_reports_failure_and_keeps_the_model(corrupt_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = pilot.app.classifier
        assert pilot.app.use_classifier(corrupt_model) is False
        assert pilot.app.classifier is before
        assert pilot.app.use_classifier("imdb-bilstm") is True
