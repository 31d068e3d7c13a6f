"""The freeze hunt (issue 11): the sequences a long session went through, driven fast and many times.

Keys are delivered as a fast typist, or an event loop busy with a TensorFlow import, delivers them:
all queued before the app handles the first (``burst``). After every step the screen must be
consistent: the tab asked for is shown, a widget inside it has the focus, no dialog or drop-down is
left open, nothing waits to be drawn, and a key typed on Play reaches the text box.
"""

from __future__ import annotations

import asyncio
import random
import threading
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, TabbedContent, TextArea

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.widgets.confirm_dialog import ConfirmDialog
from tests.tui.conftest import pilot_test, settle, until, write_user_model

SIZES = ((160, 50), (100, 30), (80, 24), (120, 40))


async def burst(pilot: Pilot, *keys: str) -> None:
    """Queue every key before the app handles the first one, then let it catch up."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause()
    await pilot.pause()


def check(app: RnnplayApp, tab: str) -> None:
    """The screen is what the user asked for, and will take the next key."""
    assert app.query_one(TabbedContent).active == tab
    assert len(app.screen_stack) == 1, f"a stale screen is open: {app.screen_stack}"
    focused = app.focused
    assert focused is not None, f"nothing has the focus on {tab}"
    assert app.query_one(f"#{tab}-tab") in focused.ancestors_with_self, f"{focused!r} has the focus on {tab}"
    assert not [select.id for select in app.query(Select) if select.expanded], "a drop-down stayed open"


async def drawn(pilot: Pilot) -> None:
    """Nothing stays waiting to be drawn: a refresh that is never drawn looks like a frozen screen."""
    screen = pilot.app.screen
    await until(pilot, lambda: not (screen._dirty_widgets or screen._layout_required or screen._repaint_required),
                "the screen is drawn")


async def answers_on_play(pilot: Pilot) -> None:
    """A key typed on Play reaches the text box (and is taken back)."""
    app = pilot.app
    text = app.query_one("#play-text", TextArea)
    before = text.text
    await pilot.press("z")
    assert text.text.endswith("z") and len(text.text) == len(before) + 1
    await pilot.press("backspace")
    assert text.text == before


async def go(pilot: Pilot, key: str, tab: str) -> None:
    await burst(pilot, key)
    await until(pilot, lambda: pilot.app.query_one(TabbedContent).active == tab and pilot.app.focused is not None,
                f"{key} shows {tab}")
    check(pilot.app, tab)
    await drawn(pilot)


async def use_trained(pilot: Pilot, path: Path, loads: bool) -> None:
    """Train's "use new model" on ``path`` as if it had just been trained there."""
    app = pilot.app
    train = app.query_one(TrainTab)
    train.trained = ("classifier", path)
    train._set_running(False)  # what the end of a run does: the button is enabled
    await go(pilot, "f5", "train")
    assert app.focused.id == "train-use"
    await pilot.press("ctrl+u")
    await pilot.pause()
    if loads:
        await until(pilot, lambda: app.classifier is not None and app.classifier.name == path.name, "the model loads")
        await settle(pilot)
        check(app, "play")
        await answers_on_play(pilot)
    else:  # deleted meanwhile: a notification, and Train keeps the focus
        await until(pilot, lambda: any(f"cannot load {path.name}" in n.title for n in app._notifications), "a notification")
        check(app, "train")


async def pick_on_play(pilot: Pilot, name: str) -> None:
    """Ctrl+O, type to find ``name`` in the list, Enter."""
    app = pilot.app
    await go(pilot, "f1", "play")
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert app.query_one("#play-model", Select).expanded
    await pilot.press(*name, "enter")
    await until(pilot, lambda: app.classifier is not None and app.classifier.name == name, f"{name} loads")
    await settle(pilot)
    check(app, "play")


async def delete_on_models(pilot: Pilot, path: Path) -> None:
    """F6, the row, ``d``, F1 (ignored over the dialog), ``y``."""
    app = pilot.app
    await go(pilot, "f6", "models")
    table = app.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(path)))
    await burst(pilot, "d", "f1")
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the dialog opens")
    assert app.query_one(TabbedContent).active == "models"  # F1 does not switch tabs behind a dialog
    await pilot.press("y")
    await until(pilot, lambda: not path.exists() and len(app.screen_stack) == 1, "the model is deleted")
    check(app, "models")


async def the_reported_session(pilot: Pilot, models_dir: Path, round_: int) -> None:
    """Use a new model from Train, pick the shipped one on Play, delete the new one, use it again."""
    tiny = write_user_model(models_dir, f"tiny-{round_}")
    pilot.app.catalog_changed()  # as a run that saved does
    await use_trained(pilot, tiny, loads=True)
    await pick_on_play(pilot, "imdb-bilstm")
    await delete_on_models(pilot, tiny)
    await use_trained(pilot, tiny, loads=False)


async def quick_switches(pilot: Pilot, rng: random.Random, times: int) -> None:
    """Tab keys with typing right behind them, a drop-down left open, loads and thread notifications meanwhile."""
    app = pilot.app
    tabs = ["play", "words", "train", "models"]
    stop = threading.Event()

    def notify_from_a_thread() -> None:  # what a worker reporting back does, while the user switches tabs
        while not stop.wait(0.05):
            try:
                app.call_from_thread(app.notify, "from a thread", timeout=0.2)
            except RuntimeError:
                return

    notifier = threading.Thread(target=notify_from_a_thread)
    notifier.start()
    try:
        for _ in range(times):
            keys = [f"f{1 + tabs.index(tab)}" for tab in rng.sample(tabs, rng.randint(1, 3))]
            if rng.random() < 0.5:
                app.load_classifier("imdb-bilstm")  # a load finishing during the switches
            await burst(pilot, "f1", "ctrl+o", *keys, "f1", *"ok")  # the drop-down opened, then left behind
            await until(pilot, lambda: app.query_one("#play-text", TextArea).text.endswith("ok"), "typing reaches Play")
            check(app, "play")
            await burst(pilot, "backspace", "backspace")
            if rng.random() < 0.5:
                await pilot.resize_terminal(*rng.choice(SIZES))
                await burst(pilot, "f5")  # right after a resize
                await until(pilot, lambda: app.query_one(TabbedContent).active == "train", "f3 after a resize")
                check(app, "train")
    finally:
        stop.set()
        await asyncio.to_thread(notifier.join)  # not join(): its last call_from_thread needs the event loop
    await settle(pilot)
    await drawn(pilot)


async def run_rounds(models_dir: Path, rounds: int, switches: int) -> None:
    rng = random.Random(11)
    async with RnnplayApp().run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        check(pilot.app, "play")
        for round_ in range(rounds):
            await the_reported_session(pilot, models_dir, round_)
            await quick_switches(pilot, rng, switches)
            await pilot.resize_terminal(*SIZES[round_ % len(SIZES)])
            await go(pilot, "f1", "play")
            await answers_on_play(pilot)


@pilot_test
async def test_the_reported_session_and_quick_switches_leave_a_consistent_screen(models_dir: Path) -> None:
    await run_rounds(models_dir, rounds=1, switches=4)


@pytest.mark.slow
@pilot_test
async def test_many_rounds_leave_a_consistent_screen(models_dir: Path) -> None:
    await run_rounds(models_dir, rounds=10, switches=8)


@pilot_test
async def test_keys_typed_right_after_a_tab_key_reach_the_tab_shown() -> None:
    """The cause of the lost typing: they went to the tab being left, or to no widget at all."""
    async with RnnplayApp().run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app = pilot.app
        await burst(pilot, "f5", "f1", *"hi")
        check(app, "play")
        assert app.query_one("#play-text", TextArea).text == "hi"
        await burst(pilot, "f6", "f3", *"good")  # two switches queued: the words reach the second tab
        check(app, "words")
        assert app.query_one("#word").value == "good"
        await burst(pilot, "f1", "f6", "f1", "f5", "f1", *"!")
        check(app, "play")
        assert app.query_one("#play-text", TextArea).text == "hi!"


@pilot_test
async def test_a_tab_key_closes_an_open_drop_down_and_the_tab_shown_keeps_the_focus() -> None:
    async with RnnplayApp().run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app = pilot.app
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.query_one("#play-model", Select).expanded
        await burst(pilot, "f5")
        await pilot.pause()
        check(app, "train")
        await burst(pilot, "f1", "ctrl+o")
        await until(pilot, lambda: app.focused is not None and app.focused.parent.id == "play-model", "the list has the focus")
        await pilot.press("escape")
        check(app, "play")
        assert app.focused.id == "play-model"
