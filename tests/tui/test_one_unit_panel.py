"""The one-unit panel in a small app: keys change w, u, b, the cell and the steps, and the plot, product and reading follow."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from rnnplay.runtime.one_unit import UnitSettings, run
from rnnplay.tui.widgets.one_unit_panel import OneUnitPanel, column_plot
from tests.tui.conftest import pilot_test


class UnitApp(App[None]):
    def compose(self) -> ComposeResult:
        yield OneUnitPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OneUnitPanel).focus()


def text_of(app: App, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


@pilot_test
async def test_keys_change_w_and_everything_shown_follows() -> None:
    async with UnitApp().run_test(size=(80, 24)) as pilot:
        panel = pilot.app.query_one(OneUnitPanel)
        assert panel.settings.w == 0.9 and "0.9^50" in text_of(pilot.app, "#unit-reading")
        await pilot.press("W", "W", "W", "W")  # 0.9 + 4 × 0.05
        assert panel.settings.w == pytest.approx(1.1)
        expected = run(UnitSettings(w=1.1))
        assert panel.result.derivative == pytest.approx(expected.derivative)
        assert " ".join(expected.reading().split()) in " ".join(text_of(pilot.app, "#unit-reading").split())
        await pilot.press("u", "b", "B", "B")
        assert panel.settings.u == pytest.approx(0.95) and panel.settings.b == pytest.approx(0.05)


@pilot_test
async def test_c_cycles_the_cell_and_f_moves_the_lstm_forget_gate() -> None:
    async with UnitApp().run_test(size=(80, 24)) as pilot:
        panel = pilot.app.query_one(OneUnitPanel)
        await pilot.press("c")
        assert panel.settings.cell == "linear" and "Π w" in text_of(pilot.app, "#unit-product")
        await pilot.press("c")
        assert panel.settings.cell == "lstm" and "carousel" in text_of(pilot.app, "#unit-product")
        await pilot.press("F")  # from the gate's own value σ(1) = 0.731 up by 0.01
        assert panel.settings.forget == pytest.approx(0.7411, abs=1e-4)
        assert panel.result.carousel == pytest.approx(panel.settings.forget ** 50)
        await pilot.press("t", "t")
        assert panel.settings.steps == 30 and "0.741^30" in text_of(pilot.app, "#unit-reading")
        await pilot.press("0")
        assert panel.settings == UnitSettings()


def test_the_plot_is_as_tall_as_asked_and_thins_long_runs() -> None:
    import numpy as np

    lines = column_plot(np.linspace(0, 1, 200), rows=4, width=50)
    assert len(lines) == 4
    columns = lines[0].plain.split("┤")[1]
    assert len(columns) == 50 and columns[-1] == "█"  # 200 values at every 4th, the largest column full
    assert lines[-1].plain.split("┤")[0].strip() == "0"


def test_snapshot_one_unit_panel_at_80_by_24(snap_compare) -> None:
    """The panel after w/W made w = 1.1: h settles where w·tanh′ < 1, and the product vanishes anyway."""

    async def run_before(pilot) -> None:
        await pilot.press("W", "W", "W", "W")

    assert snap_compare(UnitApp(), terminal_size=(80, 24), run_before=run_before)


def test_the_help_and_the_key_line_give_the_panels_own_step_sizes() -> None:
    """The help (F7) is written by hand: it must name the steps the keys really take."""
    from rnnplay.tui.help import KEY_NOTES, LAB
    from rnnplay.tui.widgets.one_unit_panel import FORGET_STEP, STEP, STEPS_STEP

    assert f"by {STEP:g}" in KEY_NOTES["nudge('w', 1)"] and f"(by {STEP:g})" in LAB.split("## One unit")[1]
    assert f"adds {STEPS_STEP}" in KEY_NOTES["nudge('steps', 1)"] and f"takes {STEPS_STEP} away" in KEY_NOTES["nudge('steps', 1)"]
    assert f"by {FORGET_STEP:g}" in KEY_NOTES["nudge('forget', 1)"]


@pilot_test
async def test_the_key_line_under_the_panel_gives_its_step_sizes() -> None:
    from rnnplay.tui.widgets.one_unit_panel import FORGET_STEP, STEP, STEPS_STEP

    async with UnitApp().run_test(size=(120, 24)) as pilot:
        keys = " ".join(text_of(pilot.app, "#unit-keys").split())
        assert f"−/+{STEP:g}" in keys and f"steps −/+{STEPS_STEP}" in keys and f"−/+{FORGET_STEP:g}" in keys
