"""Shared TUI fixtures: user models made from the shipped one without TensorFlow, and a way to wait for
the Play tab to catch up with what was typed (debounce timer, worker thread, then its message)."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any, Awaitable, Callable

import numpy as np
import pytest
from textual.pilot import Pilot

from tests.conftest import SHIPPED_MODEL


@pytest.fixture(autouse=True)
def profiles_computed_once(models_dir: Path, shared_profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model's corpus profile is keyed by its weights, so it is the same in every TUI test: the Inside tab
    computes it once per test process, not once per test (a few seconds each on 2 cores)."""
    monkeypatch.setenv("RNNPLAY_PROFILES_DIR", str(shared_profiles))


def write_user_model(models_dir: Path, name: str, change: Callable[[dict], None] | None = None,
                     architecture: dict | None = None) -> Path:
    """A copy of the shipped classifier saved as the user's model ``name``; ``change`` may edit its arrays
    and ``architecture`` overrides fields of the card's architecture."""
    from rnnplay.store import atomic_model_dir, load_model, write_model

    stored = load_model(SHIPPED_MODEL)
    arrays = dict(stored.arrays)
    if change is not None:
        change(arrays)
    card = {key: value for key, value in stored.card.raw.items() if key not in ("files", "size_bytes", "format")}
    card["architecture"] = dict(card["architecture"], **(architecture or {}))
    target = models_dir / name
    with atomic_model_dir(target) as scratch:
        write_model(scratch, dict(card, name=name), arrays, stored.vocabulary)
    return target


def contrary(arrays: dict) -> None:
    """Negate the output logit, so P(positive) becomes 1 − P: the easiest model to tell apart."""
    arrays["dense/1/kernel"] = -arrays["dense/1/kernel"]
    arrays["dense/1/bias"] = -arrays["dense/1/bias"]


def forward_half(arrays: dict) -> None:
    """Keep the forward LSTM and the head's weights for it (with ``bidirectional: False``, a model that streams)."""
    for key in [key for key in arrays if "/backward/" in key]:
        del arrays[key]
    units = arrays["recurrent/0/forward/recurrent_kernel"].shape[0]
    arrays["dense/0/kernel"] = arrays["dense/0/kernel"][:units]


@pytest.fixture
def user_model(models_dir: Path) -> Path:
    """The shipped model's twin, saved as a user model (so it can be deleted)."""
    return write_user_model(models_dir, "my-bilstm")


@pytest.fixture
def contrary_model(models_dir: Path) -> Path:
    """A user classifier that says exactly the opposite of the shipped one."""
    return write_user_model(models_dir, "contrarian", contrary)


@pytest.fixture
def forward_model(models_dir: Path) -> Path:
    """A one-directional user classifier (the shipped model's forward half)."""
    return write_user_model(models_dir, "forward-lstm", forward_half, {"bidirectional": False})


@pytest.fixture
def corrupt_model(models_dir: Path) -> Path:
    """A user classifier whose weights file was overwritten with garbage after saving."""
    path = write_user_model(models_dir, "broken")
    (path / "weights.npz").write_bytes(np.random.default_rng(0).bytes(4096))
    return path


async def until(pilot: Pilot, condition: Callable[[], bool], what: str, rounds: int = 400) -> None:
    """Wait (without timing anything) until ``condition`` holds: messages between widgets take their turn.

    ``rounds`` pauses of 10 ms at most: more for work that takes seconds (a model's corpus profile)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


async def settle(pilot: Pilot) -> None:
    """Wait until models are loaded and the Play tab shows the current text with the current model."""
    from rnnplay.tui.screens.play import PlayTab
    from rnnplay.tui.shared import DEBOUNCE_SECONDS

    app = pilot.app
    play = app.query_one(PlayTab)
    for _ in range(200):
        await pilot.pause(DEBOUNCE_SECONDS)
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.loading_model and play.up_to_date:
            return
    raise AssertionError("the Play tab never caught up with the text")


def pilot_test(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an ``async def`` test in its own event loop (the project has no pytest async plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def steady_cursors(pilot: Pilot) -> None:
    """No blinking cursors in any text box: a snapshot taken mid-blink would differ from run to run."""
    from textual.widgets import Input, TextArea

    for box in [*pilot.app.query(Input), *pilot.app.query(TextArea)]:
        box.cursor_blink = False
