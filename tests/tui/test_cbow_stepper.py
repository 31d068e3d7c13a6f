"""The CBOW stepper in a small app of its own: two presses a step, runs of 20/100/500, the window and
corpus switches, own lines, neighbours of a chosen word; every figure is the tiny model's."""

from __future__ import annotations

import io

import numpy as np
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Select, Static

from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus
from rnnplay.tui.widgets.cbow_stepper import CbowStepper
from tests.tui.conftest import pilot_test, steady_cursors


class StepperApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CbowStepper(id="stepper")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CbowStepper).focus()


def text_of(app: App, part: str) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(app.query_one(f"#cbow-{part}", Static).content)
    return console.export_text()


@pilot_test
async def test_forward_then_update_is_one_sgd_step_of_the_tiny_model() -> None:
    async with StepperApp().run_test(size=(100, 30)) as pilot:
        stepper = pilot.app.query_one(CbowStepper)
        before = stepper.model.w_in.copy()
        await pilot.press("f")
        pending = stepper.model.pending
        assert pending is not None and np.array_equal(stepper.model.w_in, before)  # nothing applied yet
        forward = text_of(pilot.app, "forward")
        assert "step 1  context eat → target apple" in forward and "pending (not applied yet)" in forward
        assert f"p(target) {pending.target_probability:.3f}" in forward
        await pilot.press("u")
        reference = TinyCbow(TinyCorpus.preset("fruit"))
        reference.run(1)
        np.testing.assert_array_equal(stepper.model.w_in, reference.w_in)
        assert "applied" in text_of(pilot.app, "forward")
        heatmaps = text_of(pilot.app, "heatmaps")
        eat_row = next(line for line in heatmaps.splitlines() if line.strip().startswith("eat"))
        assert eat_row.count("◆") == 5  # the context word's whole input vector moved
        await pilot.press("n", "n")  # wevi's Next: forward, then the update
        assert stepper.model.updates == 2 and stepper.model.pending is None


@pilot_test
async def test_runs_of_20_100_500_and_the_loss_and_neighbours_follow() -> None:
    async with StepperApp().run_test(size=(100, 30)) as pilot:
        stepper = pilot.app.query_one(CbowStepper)
        await pilot.press("1", "2", "3")
        assert stepper.model.updates == 620
        reference = TinyCbow(TinyCorpus.preset("fruit"))
        reference.run(620)
        side = text_of(pilot.app, "side")
        assert f"→ {reference.corpus_losses[-1]:.3f} after 620 updates" in side
        first, cosine = reference.neighbours("apple", 1)[0]
        assert f"{first}" in side and f"{cosine:+.3f}" in side
        await pilot.press("c")
        assert stepper.chosen == "drink"
        assert any(line.split() == ["drink", "cosine"] for line in text_of(pilot.app, "side").splitlines())


@pilot_test
async def test_window_and_corpus_switches_start_a_new_model() -> None:
    async with StepperApp().run_test(size=(80, 24)) as pilot:
        stepper = pilot.app.query_one(CbowStepper)
        await pilot.press("1", "w")
        assert stepper.model.window == 1 and stepper.model.updates == 0 and len(stepper.model.pairs) == 24
        assert "CBOW window ±1" in text_of(pilot.app, "status")
        await pilot.press("w", "w")
        assert stepper.model.window is None
        await pilot.press("p", "1")  # keys right after the switch act on the new corpus
        await pilot.pause()
        assert pilot.app.query_one(Select).value == "king" and "queen" in stepper.model.vocabulary
        assert stepper.model.updates == 20
        assert "negative sampling" in text_of(pilot.app, "status")


@pilot_test
async def test_own_lines_train_and_a_bad_line_is_a_message() -> None:
    async with StepperApp().run_test(size=(80, 24)) as pilot:
        stepper = pilot.app.query_one(CbowStepper)
        steady_cursors(pilot)
        await pilot.press("e")
        box = pilot.app.query_one("#cbow-lines", Input)
        assert pilot.app.focused is box
        box.value = ""
        await pilot.press(*"red wine, white wine, red apple", "enter")
        await pilot.pause()
        assert stepper.model.vocabulary == ("apple", "red", "white", "wine") and pilot.app.focused is stepper
        assert stepper.chosen == "apple"
        await pilot.press("e", "escape")
        assert pilot.app.focused is stepper
        await pilot.press("f", "u")
        assert stepper.model.updates == 1
        await pilot.press("e")
        box.value = "lonely"
        await pilot.press("enter")
        await pilot.pause()
        assert "two words or more" in text_of(pilot.app, "problem")
        assert stepper.model.vocabulary == ("apple", "red", "white", "wine")  # the last good model stays


def test_every_key_has_a_line_in_the_help() -> None:
    from textual.binding import Binding

    from rnnplay.tui.help import KEY_NOTES, keys_markdown

    bindings = [binding for binding in CbowStepper.BINDINGS if isinstance(binding, Binding)]
    assert len(bindings) == len(CbowStepper.BINDINGS)
    assert all(binding.action in KEY_NOTES for binding in bindings)
    listed = keys_markdown(CbowStepper.BINDINGS)
    assert "**f** Forward: the forward pass of the next training pair" in listed and "**3** ×500: runs 500" in listed


def test_snapshot_at_100_by_30(snap_compare) -> None:
    """The stepper after 100 steps and the forward pass of the 101st (gradients pending), at 100×30."""

    async def run_before(pilot) -> None:
        steady_cursors(pilot)
        await pilot.press("2", "f")
        await pilot.pause()

    assert snap_compare(StepperApp(), terminal_size=(100, 30), run_before=run_before)


def test_snapshot_at_80_by_24_after_an_update(snap_compare) -> None:
    """The stepper at 80×24 right after an update: ◆ marks the moved rows and columns."""

    async def run_before(pilot) -> None:
        steady_cursors(pilot)
        await pilot.press("1", "f", "u")
        await pilot.pause()

    assert snap_compare(StepperApp(), terminal_size=(80, 24), run_before=run_before)
