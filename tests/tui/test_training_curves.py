"""The curves keep a bounded number of points (the last one always), skip NaN, and show one plot for CBOW."""

from __future__ import annotations

from textual.app import App, ComposeResult

from rnnplay.tui.widgets.training_curves import MAX_POINTS, TrainingCurves, legend
from tests.tui.conftest import pilot_test


class CurvesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TrainingCurves(id="curves")


@pilot_test
async def test_a_long_run_is_thinned_and_keeps_its_latest_point() -> None:
    async with CurvesApp().run_test(size=(80, 24)) as pilot:
        curves = pilot.app.query_one(TrainingCurves)
        curves.start("classifier", 3)
        steps = 3 * MAX_POINTS
        for step in range(1, steps + 1):
            curves.add_batch(step / MAX_POINTS, 1.0 / step, 0.5)
        await pilot.pause()
        loss = curves.train["loss"]
        assert len(loss) <= MAX_POINTS
        assert loss[-1] == (steps / MAX_POINTS, 1.0 / steps)
        assert [x for x, _ in loss] == sorted(x for x, _ in loss)


@pilot_test
async def test_nan_is_skipped_and_validation_sits_on_whole_epochs() -> None:
    async with CurvesApp().run_test(size=(80, 24)) as pilot:
        curves = pilot.app.query_one(TrainingCurves)
        curves.start("classifier", 2)
        curves.add_batch(0.5, float("nan"), 0.5)
        curves.add_epoch(1, 0.6, 0.7, 0.65, 0.68)
        await pilot.pause()
        assert curves.train["loss"] == [(1.0, 0.6)]
        assert curves.train["accuracy"] == [(0.5, 0.5), (1.0, 0.7)]
        assert curves.validation["accuracy"] == [(1.0, 0.68)]


@pilot_test
async def test_cbow_shows_one_loss_plot_and_a_new_run_starts_empty() -> None:
    async with CurvesApp().run_test(size=(80, 24)) as pilot:
        curves = pilot.app.query_one(TrainingCurves)
        curves.start("classifier", 2)
        curves.add_batch(0.5, 0.6, 0.5)
        curves.start("vectors", 5)
        await pilot.pause()
        assert not curves.query_one("#accuracy-plot").display
        assert curves.train == {"loss": [], "accuracy": []}
        assert "validation" not in legend("vectors").plain and "validation" in legend("classifier").plain
