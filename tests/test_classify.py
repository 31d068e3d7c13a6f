"""``rnnplay classify`` as a shell user runs it: real processes, real pipes, bad bytes included.

The engine (``rnnplay.classify``) is also driven in-process with hostile bytes, names and models.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnplay.classify import FORMATS, Classify
from rnnplay.printable import is_printable
from tests.bounded import memory_cap
from tests.conftest import SHIPPED_MODEL

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnnplay", "classify", *args], input=stdin, capture_output=True, env=ENV, timeout=120)


def one_error_line(result: subprocess.CompletedProcess, code: int, message: str) -> str:
    """The run ended with ``code`` and exactly one stderr line holding ``message``; returns that line."""
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert stderr.count("\n") == 1 and message in stderr and "Traceback" not in stderr, stderr
    return stderr


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
    assert [row.split()[0] for row in result.stdout.decode().splitlines()] == ["positive", "positive", "negative", "negative"]


def test_jsonl_and_tsv_formats(tmp_path):
    result = run("--format", "jsonl", stdin=b"superb\n\n")
    records = [json.loads(row) for row in result.stdout.decode().splitlines()]
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
    assert [row.split("\t")[0] for row in lines] == ["positive", "error", "error", "error", "positive"]
    stderr = result.stderr.decode()
    assert "-:2: invalid UTF-8" in stderr and "-:3: contains a NUL byte" in stderr and "-:4: longer than" in stderr
    assert "Traceback" not in stderr


def test_a_10_mb_line_can_be_classified_when_allowed():
    result = run("--max-line-bytes", "20000000", stdin=b"good " * 2_000_000 + b"\n")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1


def run_capped(*args: str, line_mb: int, megabytes: int = 600) -> subprocess.CompletedProcess:
    """classify in an address space of ``megabytes``, fed a good line, one of ``line_mb`` MB and another good line."""
    process = subprocess.Popen([sys.executable, "-m", "rnnplay", "classify", "-f", "tsv", *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, preexec_fn=memory_cap(megabytes << 20))
    feeder = threading.Thread(target=feed, args=(process.stdin, line_mb))
    feeder.start()
    out, err = process.stdout.read(), process.stderr.read()  # a few short lines each (communicate would close stdin)
    process.wait(timeout=300)
    feeder.join(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def feed(pipe, line_mb: int) -> None:
    try:
        pipe.write(b"a wonderful film\n")
        for _ in range(line_mb):
            pipe.write(b"good " * 200_000)
        pipe.write(b"\nan awful film\n")
        pipe.close()
    except (BrokenPipeError, ValueError):  # the command stopped reading
        pass


def test_a_300_mb_line_is_skipped_in_bounded_memory():
    result = run_capped(line_mb=300)
    assert [row.split("\t")[0] for row in result.stdout.decode().splitlines()] == ["positive", "error", "negative"]
    one_error_line(result, 1, "rnnplay: -:2: longer than 1,048,576 bytes (see --max-line-bytes)")


def test_running_out_of_memory_on_an_allowed_line_is_one_line():
    """64 MiB lines are allowed, but tokenizing one takes about 1 GB: the line before it is out, then one error line."""
    result = run_capped("--max-line-bytes", str(1 << 26), line_mb=60)
    (first,) = result.stdout.decode().splitlines()
    assert first.startswith("positive")
    one_error_line(result, 1, "rnnplay: error: out of memory on a batch of lines; lower --max-line-bytes or --batch-size")


def test_empty_input_gives_no_lines_and_success():
    result = run("-", stdin=b"")
    assert (result.returncode, result.stdout) == (0, b"")


@pytest.mark.parametrize("args,code,message", [
    (["--format", "xml"], 2, "--format must be one of"),
    (["--threshold", "2"], 2, "--threshold must be between 0 and 1"),
    (["missing.txt"], 1, "no such file: missing.txt"),
    (["--model", "nope"], 1, "no model named 'nope'"),
    (["--model", ""], 2, "give a model name or path (--model)"),
    (["--batch-size", "0"], 2, "--batch-size must be a whole number from 1 to 8,192, not 0"),
    (["--batch-size", "100000"], 2, "--batch-size must be a whole number from 1 to 8,192, not 100000"),
    (["--max-line-bytes", str(1 << 40)], 2, "--max-line-bytes must be a whole number from 1 to 67,108,864"),
    (["--threshold", "nan"], 2, "--threshold must be between 0 and 1"),
])
def test_usage_and_missing_things_are_one_line_errors(args, code, message):
    one_error_line(run(*args, stdin=b"x\n"), code, message)


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



# --- what can be named as input: pipes yes, folders and devices no --------------------------------------

def test_a_fifo_is_read(tmp_path):
    fifo = tmp_path / "reviews.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"a wonderful film\nan awful film\n"))
    writer.start()
    result = run(str(fifo))
    writer.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert [row.split()[0] for row in result.stdout.decode().splitlines()] == ["positive", "negative"]


def test_process_substitution_and_dev_stdin_are_read():
    shell = subprocess.run(["bash", "-c", 'exec "$0" -m rnnplay classify <(printf "a wonderful film\\nan awful film\\n")', sys.executable],
                           capture_output=True, env=ENV, timeout=120)
    assert shell.returncode == 0, shell.stderr
    assert [row.split()[0] for row in shell.stdout.decode().splitlines()] == ["positive", "negative"]
    piped = run("/dev/stdin", stdin=b"a wonderful film\n")
    assert piped.returncode == 0 and piped.stdout.decode().startswith("positive"), piped.stderr


def test_dev_null_is_empty_input():
    result = run(os.devnull)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_a_folder_is_named_as_one_and_nothing_is_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("fine\n")
    result = run(str(good), str(tmp_path))
    one_error_line(result, 1, f"rnnplay: error: {tmp_path} is a folder")
    assert result.stdout == b""


def test_missing_files_are_listed_together(tmp_path):
    one_error_line(run("a.txt", str(tmp_path), "b.txt"), 1, f"no such file: a.txt, b.txt; {tmp_path} is a folder")


def test_a_device_that_is_no_terminal_is_refused_in_one_line():
    result = run("/dev/zero", "-", stdin=b"a wonderful film\n")
    one_error_line(result, 1, "rnnplay: /dev/zero: is a device, not a file, pipe or terminal")
    assert result.stdout.decode().startswith("positive")  # the next input is still classified


@pytest.mark.parametrize("replace", ["delete", "folder"])
def test_a_file_gone_when_its_turn_comes_is_one_line_and_the_rest_still_runs(tmp_path, replace):
    """Checked at the start, then deleted (or replaced by a folder) while stdin is read: works as root too."""
    later, after = tmp_path / "later.txt", tmp_path / "after.txt"
    later.write_text("never read\n")
    after.write_text("an awful film\n")
    process = subprocess.Popen([sys.executable, "-m", "rnnplay", "classify", "-", str(later), str(after)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    process.stdin.write(b"a wonderful film\n")
    process.stdin.flush()
    first = process.stdout.readline()  # stdin's line is out: the files were checked and later.txt is not open yet
    later.unlink()
    if replace == "folder":
        later.mkdir()
    process.stdin.close()
    rest, err = process.stdout.read(), process.stderr.read()  # stderr holds one line: no deadlock
    process.wait(timeout=120)
    assert first.startswith(b"positive")
    assert [row.split()[0] for row in rest.decode().splitlines()] == ["negative"]  # after.txt still classified
    reason = "no such file" if replace == "delete" else "is a folder"
    assert err.decode() == f"rnnplay: {later}: {reason}\n" and process.returncode == 1


def test_a_read_failure_mid_file_keeps_the_lines_before_it(shipped_classifier):
    class Failing(io.RawIOBase):
        def __init__(self):
            self.calls = 0

        def readable(self):
            return True

        def read1(self, n=-1):
            self.calls += 1
            if self.calls == 1:
                return b"a wonderful film\nan awful film\n"
            raise OSError(5, "Input/output error")

    out, err = io.StringIO(), io.StringIO()
    engine = Classify(shipped_classifier, out, err)
    engine.sources(["-", "-"], lambda: Failing())
    assert [row.split()[0] for row in out.getvalue().splitlines()] == ["positive", "negative"] * 2
    assert err.getvalue() == "rnnplay: -: cannot read past line 2: Input/output error\n" * 2
    assert engine.failed and engine.tally.unreadable == 2


# --- the engine never prints anything but one line per input line ----------------------------------

def engine_run(classifier, data: bytes, fmt: str = "text", source: str = "-", **kwargs) -> tuple[Classify, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    engine = Classify(classifier, out, err, fmt, **kwargs)  # type: ignore[arg-type]
    engine.stream(source, io.BufferedReader(io.BytesIO(data)))
    assert out.getvalue() == "" or out.getvalue().endswith("\n")
    return engine, out.getvalue().splitlines(), err.getvalue()


def input_line_count(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


hostile_lines = st.lists(st.one_of(st.text(max_size=30), st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
                                   st.sampled_from(["", " ", "\r", "bad \udcff", "nul\x00", "a\u2028b", "\ufeffgood", "é" * 20])),
                         max_size=12)


def to_bytes(lines: list[str]) -> bytes:
    return b"\n".join(line.encode("utf-8", "surrogateescape") for line in lines)


@settings(max_examples=200, deadline=None)
@given(lines=hostile_lines, fmt=st.sampled_from(FORMATS), batch_size=st.integers(1, 4), max_line_bytes=st.integers(1, 40),
       trailing_newline=st.booleans())
def test_every_input_line_gives_exactly_one_output_line(shipped_classifier, lines, fmt, batch_size, max_line_bytes, trailing_newline):
    data = to_bytes(lines) + (b"\n" if trailing_newline and lines else b"")
    engine, out, err = engine_run(shipped_classifier, data, fmt, batch_size=batch_size, max_line_bytes=max_line_bytes)
    assert len(out) == input_line_count(data) == engine.tally.lines
    assert len(err.splitlines()) == engine.tally.errors and engine.failed == bool(engine.tally.errors)
    for number, line in enumerate(out, 1):
        if fmt == "jsonl":
            record = json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
            assert record["line"] == number and record["source"] == "-"
            assert record["label"] in ("positive", "negative", None)
            assert record["label"] is None or 0 <= record["positive"] <= 1
        else:
            assert line.split()[0] in ("positive", "negative", "blank", "error")


@settings(max_examples=100, deadline=None)
@given(name=st.binary(min_size=1, max_size=24).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_any_file_name_gives_valid_json_and_one_line_messages(shipped_classifier, name):
    """Undecodable bytes and control characters in a name: jsonl stays ASCII JSON, stderr one printable line."""
    _, out, err = engine_run(shipped_classifier, b"fine\n\xff\n", "jsonl", source=name)
    for line in out:
        assert line.isascii() and json.loads(line)["source"].encode("utf-8")  # no lone surrogates left
    (message,) = err.splitlines()
    assert is_printable(message) and message.encode("utf-8") and message.endswith(":2: invalid UTF-8 (byte 0xff at byte 1)")
    _, text_out, _ = engine_run(shipped_classifier, b"fine\n\xff\n", "text", source=name)
    assert len(text_out) == 2


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.binary(max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape")), min_size=1, max_size=6),
       fmt=st.sampled_from(FORMATS))
def test_text_arguments_give_one_line_each(shipped_classifier, texts, fmt):
    out, err = io.StringIO(), io.StringIO()
    engine = Classify(shipped_classifier, out, err, fmt)  # type: ignore[arg-type]
    engine.texts(texts)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(texts)
    if fmt == "jsonl":
        assert [json.loads(line)["line"] for line in lines] == list(range(1, len(texts) + 1))


class Fixed:
    """A stand-in classifier answering the given values in turn."""

    def __init__(self, values):
        self.values = values

    def predict(self, texts, batch_size):
        return [self.values[i % len(self.values)] for i in range(len(texts))]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_that_is_no_probability_is_an_error_line_never_nan(fmt):
    engine, out, err = engine_run(Fixed([math.nan, 0.75, math.inf, -0.5]), b"a\nb\nc\nd\n", fmt)
    if fmt == "jsonl":
        records = [json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} is not JSON")) for line in out]
        assert [r["label"] for r in records] == [None, "positive", None, None]
        assert records[0]["error"] == "the model gave nan, not a probability (are its weights broken?)"
    else:
        assert [line.split()[0] for line in out] == ["error", "positive", "error", "error"]
    assert err.splitlines() == [f"rnnplay: -:{n}: the model gave {v!r}, not a probability (are its weights broken?)"
                                for n, v in ((1, math.nan), (3, math.inf), (4, -0.5))]
    assert engine.failed


def test_a_model_with_nan_weights_gives_error_lines(tmp_path):
    """The real forward pass on poisoned weights (the loader refuses such files; the engine must not rely on it)."""
    import numpy as np

    from rnnplay.runtime.classifier import Classifier, Dense

    classifier = Classifier.load(SHIPPED_MODEL)
    last = classifier.network.head[-1]
    classifier.network.head[-1] = Dense(np.full_like(last.kernel, np.nan), last.bias, last.activation)
    engine, out, _ = engine_run(classifier, b"a wonderful film\n\nan awful film\n", "jsonl")
    records = [json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} is not JSON")) for line in out]
    assert [r.get("error", "").startswith("the model gave nan") for r in records] == [True, False, True]
    assert records[1]["blank"] and engine.failed


def test_undecodable_file_names_in_every_format(tmp_path):
    name = os.fsdecode(bytes(tmp_path) + b"/caf\xe9\x1b[2J.txt")
    with open(name, "wb") as f:
        f.write(b"a wonderful film\n\xff\n")
    jsonl = run("-f", "jsonl", name)
    records = [json.loads(line) for line in jsonl.stdout.decode("utf-8").splitlines()]
    assert records[0]["source"] == str(tmp_path) + "/caf\\xe9\x1b[2J.txt" and jsonl.returncode == 1
    assert "\x1b" not in jsonl.stdout.decode() and "\x1b" not in jsonl.stderr.decode()
    text = run(name)
    one_error_line(text, 1, "/caf\\xe9\\x1b[2J.txt:2: invalid UTF-8")
    assert len(text.stdout.splitlines()) == 2
