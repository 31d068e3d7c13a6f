"""``rnnplay race``: usage mistakes are one line and exit 2 before TensorFlow starts; a tiny race prints its tables
and where it was saved; ``--history`` lists saved races; Ctrl-C cancels with 130 and saves nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app
from rnnplay.training.race_record import races_dir

runner = CliRunner()


@pytest.mark.parametrize("args,message", [
    (["--task", "copy"], "--task must be one of first, adding, order, not 'copy'"),
    (["--cells", "rnn,tcn"], "--cells takes rnn, gru, lstm, bi-lstm, not 'tcn'"),
    (["--cells", ","], "--cells needs at least one of rnn, gru, lstm, bi-lstm"),
    (["--length", "1"], "--length must be a whole number from 2 to 2,000, not 1"),
    (["--task", "order", "--length", "9"], "--length must be at least 10 for the order task, not 9"),
    (["--epochs", "0"], "--epochs must be a whole number from 1 to 500, not 0"),
    (["--seeds", "21"], "--seeds must be a whole number from 1 to 20, not 21"),
    (["--units", "0"], "--units must be a whole number from 1 to 512, not 0"),
    (["--optimizer", "lbfgs"], "--optimizer must be one of adam, rmsprop, sgd, not 'lbfgs'"),
    (["--initializer", "zeros"], "--initializer must be one of orthogonal, glorot, not 'zeros'"),
    (["--learning-rate", "0"], "--learning-rate must be a number above 0 and at most 10, not 0.0"),
    (["--clipnorm", "-1"], "--clipnorm must be a number above 0 and at most 1,000, or 0 for no clipping, not -1.0"),
])
def test_a_usage_mistake_is_one_line_and_exit_2(args, message):
    result = runner.invoke(app, ["race", *args])
    assert result.exit_code == 2, result.output
    assert result.output == f"rnnplay: error: {message}\n"


def test_the_history_starts_empty_and_never_imports_tensorflow(tmp_path):
    code = ("import sys\nfrom rnnplay.cli import main\nsys.argv = ['rnnplay', 'race', '--history']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "RNNPLAY_RACES_DIR": str(tmp_path / "none")})
    assert out.returncode == 0, out.stderr
    assert "no saved races yet" in out.stdout and out.stdout.rstrip().endswith("[]")


@pytest.mark.tensorflow
def test_a_tiny_race_prints_its_tables_and_is_in_the_history():
    args = ["race", "--length", "10", "--cells", "rnn,gru", "--epochs", "1", "--sequences", "30", "--units", "4"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for expected in ("held-out score by epoch", "SimpleRNN accuracy", "GRU accuracy", "final accuracy",
                     "decay/step", "at init", "trained", "saved to", "the first token swapped (A ↔ B)"):
        assert expected in result.output
    [saved] = races_dir().glob("*.json")
    history = runner.invoke(app, ["race", "--history", "--json"])
    [entry] = json.loads(history.output)
    assert entry["file"] == str(saved) and entry["race"]["request"]["cells"] == ["rnn", "gru"]


@pytest.mark.tensorflow
def test_ctrl_c_cancels_with_130_and_saves_nothing(monkeypatch):
    from rnnplay.training import race as engine

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "train_cell", interrupted)
    result = runner.invoke(app, ["race", "--length", "10", "--epochs", "1", "--sequences", "30"])
    assert result.exit_code == 130
    assert result.output.endswith("rnnplay: error: race cancelled; nothing was saved\n")
    assert not races_dir().exists()


def test_the_commands_defaults_are_the_requests():
    """The options spell their defaults out (the CLI's start imports no NumPy); they must not drift from RaceRequest's."""
    import typer

    from rnnplay.commands.race import parse_cells
    from rnnplay.training.race_record import RaceRequest

    options = {p.name: p.default for p in typer.main.get_command(app).commands["race"].params}
    request = RaceRequest()
    for name in ("task", "length", "epochs", "seeds", "seed", "sequences", "batch_size", "units", "embedding_dim",
                 "learning_rate", "optimizer", "forget_bias", "initializer", "scaled"):
        assert options[name] == getattr(request, name), name
    assert parse_cells(options["cells"]) == request.cells
    assert (options["clipnorm"] or None) == request.clipnorm
