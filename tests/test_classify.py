"""``rnnplay classify`` as a shell user runs it: real processes, real pipes, bad bytes included."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SHIPPED_MODEL

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnnplay", "classify", *args], input=stdin, capture_output=True, env=ENV, timeout=120)


def test_stdin_gives_one_line_per_input_line_in_order():
    result = run("-", stdin=b"a moving, beautifully acted film\n\nan awful, boring mess\n")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0, result.stderr
    assert len(lines) == 3
    assert lines[0].startswith("positive") and lines[1].startswith("blank") and lines[2].startswith("negative")


def test_default_reads_stdin_and_files_and_text_arguments(tmp_path):
    reviews = tmp_path / "reviews.txt"
    reviews.write_text("wonderful\nterrible\n")
    result = run("--text", "great fun", str(reviews), "-", stdin=b"dreadful\n")
    assert result.returncode == 0
    assert [l.split()[0] for l in result.stdout.decode().splitlines()] == ["positive", "positive", "negative", "negative"]


def test_jsonl_and_tsv_formats(tmp_path):
    result = run("--format", "jsonl", stdin=b"superb\n\n")
    records = [json.loads(l) for l in result.stdout.decode().splitlines()]
    assert records[0]["label"] == "positive" and 0.5 <= records[0]["positive"] <= 1
    assert records[1] == {"source": "-", "line": 2, "label": None, "blank": True}
    tsv = run("--format", "tsv", "--threshold", "1.0", stdin=b"superb\n").stdout.decode()
    label, probability = tsv.rstrip("\n").split("\t")
    assert label == "negative" and 0 < float(probability) < 1


def test_bad_input_lines_get_an_error_line_a_message_and_exit_1():
    data = b"fine film\nbad \xff utf8\nnul\x00byte\n" + b"long " * 2_000_000 + b"\nlast good one\n"
    result = run("--format", "tsv", stdin=data)
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1
    assert [l.split("\t")[0] for l in lines] == ["positive", "error", "error", "error", "positive"]
    stderr = result.stderr.decode()
    assert "-:2: invalid UTF-8" in stderr and "-:3: contains a NUL byte" in stderr and "-:4: longer than" in stderr
    assert "Traceback" not in stderr


def test_a_10_mb_line_can_be_classified_when_allowed():
    result = run("--max-line-bytes", "20000000", stdin=b"good " * 2_000_000 + b"\n")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1


def test_empty_input_gives_no_lines_and_success():
    result = run("-", stdin=b"")
    assert (result.returncode, result.stdout) == (0, b"")


@pytest.mark.parametrize("args,code,message", [
    (["--format", "xml"], 2, "--format must be one of"),
    (["--threshold", "2"], 2, "--threshold must be between 0 and 1"),
    (["missing.txt"], 1, "no such file: missing.txt"),
    (["--model", "nope"], 1, "no model named 'nope'"),
])
def test_usage_and_missing_things_are_one_line_errors(args, code, message):
    result = run(*args, stdin=b"x\n")
    assert result.returncode == code
    assert message in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_corrupt_model_is_a_one_line_error(tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(SHIPPED_MODEL, broken)
    (broken / "weights.npz").write_bytes(b"garbage")
    result = run("--model", str(broken), stdin=b"x\n")
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1 and "does not match its card" in result.stderr.decode()


def test_output_closed_early_is_quiet():
    process = subprocess.Popen([sys.executable, "-m", "rnnplay", "classify"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV)
    process.stdout.close()
    _, err = process.communicate(b"good\n" * 5000, timeout=120)
    assert b"Traceback" not in err


def test_classify_never_imports_tensorflow():
    code = ("import sys, io\nfrom typer.testing import CliRunner\nfrom rnnplay.cli import app\n"
            "r = CliRunner().invoke(app, ['classify', '-t', 'good film'])\nassert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr


def test_help_is_instant_and_light():
    code = "import sys\nfrom rnnplay.cli import app\nprint('tensorflow' in sys.modules, 'numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False False"
    result = subprocess.run([sys.executable, "-m", "rnnplay", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "classify" in result.stdout
