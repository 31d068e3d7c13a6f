"""``rnnplay memory`` on a shipped model, small: the table, the truncation note, JSON, one-line mistakes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rnnplay.cli import app

runner = CliRunner()


def test_the_table_says_cut_where_truncation_dropped_the_sentence() -> None:
    result = runner.invoke(app, ["memory", "-m", "imdb-lstm", "--samples", "6", "--distances", "0,20,400"],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Memory on real text · imdb-lstm · reads the last 300 tokens" in result.output
    assert "sentence at the start" in result.output and "cut" in result.output
    assert "forgotten by construction" in result.output


def test_json_is_one_object_per_model_and_deterministic() -> None:
    args = ["memory", "-m", "imdb-lstm", "-m", "imdb-bilstm", "--samples", "4", "--distances", "0,30", "--json"]
    first = [json.loads(line) for line in runner.invoke(app, args).stdout.splitlines()]
    again = [json.loads(line) for line in runner.invoke(app, args).stdout.splitlines()]
    assert [r["model"] for r in first] == ["imdb-lstm", "imdb-bilstm"]
    for record in first + again:
        record.pop("seconds")
    assert first == again
    cell = next(c for c in first[0]["cells"] if c["position"] == "start" and c["distance"] == 30)
    assert cell["read"] == 4 and 0 <= cell["follows"] <= 1


def test_mistakes_are_one_line() -> None:
    result = runner.invoke(app, ["memory", "--samples", "0"])
    assert result.exit_code == 2 and "--samples must be from 1 to 2,000" in result.output
    result = runner.invoke(app, ["memory", "--distances", "a,b"])
    assert result.exit_code == 2 and "--distances takes whole numbers" in result.output
    result = runner.invoke(app, ["memory", "-m", "nowhere-model"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_options_defaults_and_limits_are_the_probes() -> None:
    """The default distances and the samples' limit are written out in the options (the CLI does not import the
    probe at start); they must not drift from the probe's."""
    import inspect

    from rnnplay.commands.memory import memory, parse_distances
    from rnnplay.memory_probe import DISTANCES, MAX_SAMPLES

    options = inspect.signature(memory).parameters
    assert parse_distances(options["distances"].default.default) == DISTANCES
    assert f"1 to {MAX_SAMPLES:,}" in options["samples"].default.help
