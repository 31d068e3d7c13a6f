"""``rnnplay inside TEXT``: the five views in print, within 80 columns, every figure from the model; --json."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app

REVIEW = "The first hour is dull, but the ending is wonderful"
runner = CliRunner()


@pytest.fixture
def profiles(shared_profiles, monkeypatch):
    monkeypatch.setenv("RNNPLAY_PROFILES_DIR", str(shared_profiles))
    return shared_profiles


def run(*args: str):
    return runner.invoke(app, ["inside", *args], env={"COLUMNS": "80"})


def test_every_view_fits_80_columns_and_shows_the_models_own_figures(profiles):
    from rnnplay.model_profile import cached_profile
    from rnnplay.runtime.classifier import Classifier
    from tests.conftest import SHIPPED_MODEL

    result = run(REVIEW, "--word", "6")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    for title in ("1 · Step by step", "2 · Gradient through time", "3 · Memory span", "4 · Sentiment axis", "5 · Stream vs re-read"):
        assert sum(line.startswith(title) for line in lines) == 1
    assert "word 6 of 10 · forward" in result.output and "▸but" in result.output
    profile = cached_profile(Classifier.load(SHIPPED_MODEL))  # computed by the command, read back here
    assert profile is not None
    forward, backward = profile.profile.connectivity.first_half
    from rnnplay.render import percent

    held_out = next(line for line in lines if line.strip().startswith("held-out (200"))
    assert held_out.split()[-3:-1] == [percent(forward), percent(backward)]
    assert "n + n(n+1)/2" in result.output and " 65 " in result.output  # 10 + 10·11/2 steps to re-read


def test_json_holds_every_array():
    result = run(REVIEW, "--json", "--no-profile")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tokens"][5] == "but" and data["directions"] == 2 and data["profile"] is None
    forward, backward = data["layers"][0]
    assert set(forward["gates"]) == {"input", "forget", "output", "candidate", "cell"}
    assert len(forward["gates"]["forget"]) == 10 and len(forward["gates"]["forget"][0]) == 32 and len(forward["x"][0]) == 64
    assert backward["direction"] == "backward" and len(data["gradient"]["norm_by_direction"]["backward"]) == 10
    assert data["stream"]["steps_every_word"] == 65 and len(data["stream"]["p_positive_after_each_word"]) == 10
    assert len(data["logit_shares"]) == 10


def test_the_one_directional_model_streams(profiles):
    result = run("not bad at all", "-m", "imdb-lstm", "--view", "steps,stream")
    assert result.exit_code == 0, result.output
    assert "streaming, one direction (this model)" in result.output and "Memory span" not in result.output


@pytest.mark.parametrize("text", ["", "...", "zzqx qqqx"])
def test_no_words_or_unknown_words_get_views_not_errors(text):
    result = run(text, "--no-profile")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    ((REVIEW, "--word", "11"), "--word must be from 1 to 10 (the text has 10 words)"),
    ((REVIEW, "--layer", "2"), "--layer must be from 1 to 1 (imdb-bilstm has 1)"),
    ((REVIEW, "--direction", "backward", "-m", "imdb-lstm"), "imdb-lstm reads one way only"),
    ((REVIEW, "--direction", "up"), "--direction is forward or backward, not 'up'"),
    ((REVIEW, "--view", "steps,heat"), "--view takes all or a comma-separated list of steps, gradient, memory, axis, stream"),
])
def test_usage_mistakes_are_one_line_and_exit_2(args, message):
    result = runner.invoke(app, ["inside", *args, "--no-profile"])
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1


def test_a_long_text_keeps_the_views_that_still_make_sense_and_a_longer_one_is_one_line(monkeypatch):
    import rnnplay.inside_report as inside_report

    monkeypatch.setattr(inside_report, "WORD_LIMIT", 6)
    monkeypatch.setattr(inside_report, "TRACE_LIMIT", 12)
    result = run(REVIEW, "--no-profile")
    assert result.exit_code == 0 and "the leave-one-out shares and a two-way model's re-reading are left out" in result.output
    assert "2 · Gradient through time" in result.output
    result = run(REVIEW + " " + REVIEW, "--no-profile")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "20 words are too many to trace step by step (the limit is 12); the whole text is" in result.output


def test_it_never_imports_tensorflow(profiles):
    import subprocess
    import sys

    code = ("import sys\nfrom rnnplay.cli import main\nsys.argv = ['rnnplay', 'inside', 'not bad at all']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('tensorflow' in sys.modules, 'keras' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "5 · Stream vs re-read" in done.stdout and done.stderr.split()[-2:] == ["False", "False"]
