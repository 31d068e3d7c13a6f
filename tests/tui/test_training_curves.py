"""The curves keep a bounded number of points (the last one always), skip NaN, and show one plot for CBOW."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from rnnplay.tui.widgets.training_curves import MAX_POINTS, TrainingCurves, legend, round_ticks
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


@pytest.mark.parametrize("low, high, ticks, labels", [
    (0.6931, 0.6931, [0.685, 0.69, 0.695, 0.70, 0.705], ["0.685", "0.690", "0.695", "0.700", "0.705"]),  # flat: a few per cent around it
    (0.2, 0.7, [0.2, 0.4, 0.6, 0.8], ["0.2", "0.4", "0.6", "0.8"]),
    (1.5, 12.3, [0.0, 5.0, 10.0, 15.0], ["0", "5", "10", "15"]),
    (0.00012, 0.00019, [0.0001, 0.00015, 0.0002], ["0.00010", "0.00015", "0.00020"]),
])
def test_y_ticks_are_round_and_short(low: float, high: float, ticks: list[float], labels: list[str]) -> None:
    got, got_labels = round_ticks(low, high)
    assert got == pytest.approx(ticks) and got_labels == labels
    assert got[0] <= low and got[-1] >= high


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_y_ticks_cover_any_range_with_few_labels(low: float, span: float) -> None:
    ticks, labels = round_ticks(low, low + span)
    assert 2 <= len(ticks) <= 7 and len(labels) == len(ticks)
    assert ticks[0] <= low + 1e-9 * max(1.0, abs(low)) and ticks[-1] >= low + span - 1e-9 * max(1.0, abs(low + span))
    assert all(len(label) <= 10 for label in labels)
    assert ticks == sorted(ticks) and len(set(labels)) == len(labels)  # distinct labels for distinct ticks
