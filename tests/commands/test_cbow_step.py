"""``rnnplay cbow step``: the tiny CBOW trainer in print and as JSON, its user lines, its one-line errors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app
from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return runner.invoke(app, ["cbow", "step", *args], env={"COLUMNS": "80"})


def test_prints_the_last_forward_pass_loss_heatmaps_map_and_neighbours_within_80_columns() -> None:
    result = run("--preset", "fruit", "--steps", "100")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    model = TinyCbow(TinyCorpus.preset("fruit"))
    model.run(100)
    last = model.last
    assert last is not None
    out = result.output
    assert "negative sampling" in out and "full softmax" in out
    assert "step 100  context drink → target juice" in out
    assert f"p(target) {last.forward.target_probability:.3f}" in out and f"loss −ln p {last.forward.loss:.3f}" in out
    assert f"2.079 (ln 8 = {math.log(8):.3f})\n→ {model.corpus_losses[-1]:.3f} after 100 updates" in out
    assert "W_in" in out and "W_out" in out and "PC1" in out
    near = model.neighbours("apple", 3)
    assert "apple   " + "  ".join(f"{w} {c:+.2f}" for w, c in near) in out


def test_json_has_the_run_and_matches_the_runtime() -> None:
    result = run("--preset", "king", "--steps", "20", "--window", "1", "--hidden", "3", "--lr", "0.5", "--seed", "4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    model = TinyCbow(TinyCorpus.preset("king"), hidden=3, learning_rate=0.5, window=1, seed=4)
    model.run(20)
    assert data["updates"] == 20 and data["window"] == 1 and data["softmax"] == "full"
    assert data["corpus_loss"] == model.corpus_losses and data["w_in"] == model.w_in.tolist()
    assert data["last_step"]["target"] == model.vocabulary[model.pairs[19].target]


def test_reads_the_users_own_lines(tmp_path: Path) -> None:
    lines = tmp_path / "mine.txt"
    lines.write_text("the cat sat\n\nthe dog sat\n")
    result = run("--lines", str(lines), "--steps", "5", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["vocabulary"] == ["cat", "dog", "sat", "the"]


@pytest.mark.parametrize("args, message", [
    (["--preset", "pear"], "no preset 'pear'"),
    (["--hidden", "0"], "--hidden must be a whole number from 1 to 32"),
    (["--lr", "0"], "--lr must be a number above 0"),
    (["--steps", "-1"], "--steps must be"),
    (["--window", "11"], "--window must be"),
    (["--lines", "/nonexistent/lines.txt"], "no such file"),
    (["--lines", "x.txt", "--preset", "king"], "give --preset or --lines, not both"),
])
def test_mistakes_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnnplay: error: ") and message in lines[0], result.output


def test_a_line_with_control_characters_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"eat apple\ndrink \x1b[31mjuice\n")
    result = run("--lines", str(bad))
    assert result.exit_code == 1
    assert "line 2: holds control characters" in result.output and "\x1b" not in result.output


def test_cbow_step_never_imports_tensorflow() -> None:
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom rnnplay.cli import app\n"
            "r = CliRunner().invoke(app, ['cbow', 'step', '--steps', '3'])\nassert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stderr
