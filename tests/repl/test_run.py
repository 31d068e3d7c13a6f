"""``rnnplay repl`` end to end (``rnnplay.repl.run``, in the package's ``__init__``), in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def repl(*args: str, stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnnplay", "repl", *args], input=stdin, capture_output=True, env=ENV, timeout=timeout)


def test_a_pipe_gets_plain_blocks_and_exit_0_at_end_of_input():
    result = repl(stdin=b"a wonderful film\n:nn good 3\n")
    out = result.stdout.decode()
    assert result.returncode == 0 and result.stderr == b""
    assert out.count("\n\n") == 2 and "nearest to 'good' in imdb-cbow" in out and "\x1b" not in out


def test_end_of_input_at_once_never_loops():
    assert repl(stdin=b"", timeout=60).returncode == 0
    with open(os.devnull, "rb") as nothing:
        result = subprocess.run([sys.executable, "-m", "rnnplay", "repl"], stdin=nothing, capture_output=True, env=ENV, timeout=60)
    assert result.returncode == 0 and result.stdout == b""


def test_json_through_the_cli_and_exit_1_when_a_line_failed(tmp_path):
    result = repl("--json", "--vectors", "imdb-bilstm", stdin=b"good\n\n:nn zzzzqq\n")
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.returncode == 1 and [r["line"] for r in records] == [1, 2, 3]
    assert records[0]["command"] == "classify" and records[1]["blank"] and "zzzzqq" in records[2]["error"]


def test_forced_colour_is_honoured():
    result = subprocess.run([sys.executable, "-m", "rnnplay", "repl"], input=b"a wonderful film\n", capture_output=True,
                            env={**ENV, "FORCE_COLOR": "1"}, timeout=60)
    assert b"\x1b[" in result.stdout and result.returncode == 0


def test_a_model_that_cannot_be_used_is_one_line_at_start():
    result = repl("--model", "nope", stdin=b"good\n")
    err = result.stderr.decode()
    assert result.returncode == 1 and err.count("\n") == 1 and err.startswith("rnnplay: error: no model named 'nope'")
    assert repl("--model", "imdb-cbow").stderr.decode().startswith("rnnplay: error: imdb-cbow is word vectors, not a classifier")


def test_the_repl_never_imports_tensorflow():
    code = ("import io, sys\nfrom rnnplay.repl import run\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'good\\n:nn good\\n:guess a ___ film\\n:tokens x\\n:prefix a b\\n"
            ":models\\n:help\\n:train --help\\n:cbow train --help\\n:vectors imdb-bilstm\\n'))\n"
            "sys.stdout = io.StringIO()\ncode = run('imdb-bilstm', 'imdb-cbow')\n"
            "sys.stdout = sys.__stdout__\n"
            "print(code, sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "0 []", out.stderr


def test_output_closed_early_is_quiet():
    process = subprocess.Popen([sys.executable, "-m", "rnnplay", "repl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV)
    process.stdout.close()
    _, err = process.communicate(b"good\n" * 2000, timeout=120)
    assert b"Traceback" not in err and process.returncode == 0


def test_hostile_input_through_the_cli_gets_one_json_object_a_line():
    lines = [b":nn good \xc2\xb3", b"nul\x00here", b"\xff\xfe", b"\xed\xa0\x80", b":", b"::", b":train \"--name",
             b"x" * 20_001, b":analogy a b c " + b"9" * 5000, b"\x1b]0;title\x07", b":model " + b"a" * 400, b"good"]
    result = repl("--json", stdin=b"\n".join(lines) + b"\n")
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.returncode == 1 and result.stderr == b"" and len(records) == len(lines)
    assert records[0]["error"] == "k must be a whole number from 1 to 1,000, not '³' (usage: :nn WORD [k])"
    assert not any("internal error" in r.get("error", "") for r in records) and records[-1]["label"] == "positive"
    assert b"\x1b" not in result.stdout
