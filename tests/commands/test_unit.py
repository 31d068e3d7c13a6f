"""``rnnplay unit``: the view a teacher puts on a slide, its JSON, and one-line refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app
from rnnplay.runtime.one_unit import UnitSettings, run

runner = CliRunner()


def test_the_view_shows_h_the_product_and_the_reading() -> None:
    result = runner.invoke(app, ["unit", "--w", "0.9", "--steps", "50"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    expected = run(UnitSettings(w=0.9, steps=50))
    assert "h(t) = tanh(w·h(t−1) + u·x(t) + b)" in result.output
    assert "x(1) = 1, then 0" in result.output
    assert " ".join(expected.reading().split()) in " ".join(result.output.split())  # the whole line, however wrapped
    assert "5.2e-03" in result.output  # 0.9^50, computed
    assert any(ch in result.output for ch in "▁▂▃▄▅▆▇█")


@pytest.mark.parametrize("args, words", [
    (["--cell", "linear", "--w", "1.1"], ["1.1^50 = 117", "exploded"]),
    (["--cell", "lstm", "--forget", "0.95", "--w", "0"], ["0.95^50 = 0.0769", "carousel"]),
    (["--w", "-0.9"], ["(-0.9)^50"]),
])
def test_each_setting_is_one_line_of_options(args: list[str], words: list[str]) -> None:
    result = runner.invoke(app, ["unit", *args], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.output


def test_json_holds_every_state_and_the_product() -> None:
    result = runner.invoke(app, ["unit", "--cell", "lstm", "--forget", "0.9", "--steps", "20", "--json"])
    data = json.loads(result.output)
    assert len(data["c"]) == 21 and len(data["h"]) == 21 and len(data["factors"]) == 20
    assert data["carousel"] == pytest.approx(0.9**20)
    assert data["reading"] == run(UnitSettings(cell="lstm", forget=0.9, steps=20)).reading()


def test_an_overflow_is_null_in_json_not_infinity() -> None:
    result = runner.invoke(app, ["unit", "--cell", "linear", "--w", "100", "--steps", "400", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["derivative"] is None


@pytest.mark.parametrize("args, message", [
    (["--cell", "gru"], "the cell is one of tanh, linear, lstm"),
    (["--steps", "0"], "steps must be from 1"),
    (["--x", "1,a"], "--x takes numbers"),
    (["--cell", "lstm", "--forget", "2"], "forget gate is a share from 0 to 1"),
])
def test_mistakes_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["unit", *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_an_overflow_shows_in_the_sparkline_as_a_mark() -> None:
    from rnnplay.runtime.one_unit import UnitSettings, run
    from rnnplay.unit_view import state_rows

    (_, row, _), = state_rows(run(UnitSettings(cell="linear", w=10.0, steps=1000)), width=50)
    assert row.endswith("!") and row[0] != "!"


@pytest.mark.parametrize("count, width", [(200, 50), (1000, 50), (51, 50), (50, 50), (7, 50), (100, 66)])
def test_a_thinned_line_fits_its_width_and_ends_at_the_last_step(count: int, width: int) -> None:
    import numpy as np

    from rnnplay.unit_view import thinned

    values = np.arange(count, dtype=float)
    picked, every = thinned(values, width)
    assert len(picked) <= width and picked[0] == 0 and picked[-1] == count - 1
    assert np.all(np.diff(picked)[:-1] == every)  # every k-th; the last gap is what is left to the end
