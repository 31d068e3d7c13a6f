"""The standard streams: a failing stdout says so once, an ASCII one writes UTF-8, stdin may be closed."""

from __future__ import annotations

import io
import os
import sys

import pytest

from rnnplay.commands import streams
from rnnplay.errors import RnnplayError


def stream_on(path: str, report: bool = True, encoding: str = "utf-8") -> streams.Stream:
    like = open(path, "w", encoding=encoding)  # noqa: SIM115 - the Stream under test owns it
    return streams.Stream(like, report=report)


def test_a_failing_write_raises_output_error_and_then_stays_quiet():
    out = stream_on("/dev/full")
    with pytest.raises(streams.OutputError, match="^cannot write the output: No space left on device$"):
        out.write("x" * 100_000)  # more than the buffer holds: this write reaches the device
    assert os.path.samestat(os.fstat(out.fileno()), os.stat(os.devnull))
    out.write("more")
    out.flush()  # now on /dev/null: the flush at exit cannot fail again


def test_a_failing_stderr_drops_the_text():
    err = stream_on("/dev/full", report=False)
    assert err.write("rnnplay: error: x\n" * 10_000) == len("rnnplay: error: x\n" * 10_000)
    err.flush()


def test_a_broken_pipe_stays_a_broken_pipe_and_is_remembered():
    read, write = os.pipe()
    os.close(read)
    out = streams.Stream(os.fdopen(write, "w"), report=True)
    with pytest.raises(BrokenPipeError):
        out.write("x" * 100_000)
    assert out.broken and os.path.samestat(os.fstat(out.fileno()), os.stat(os.devnull))


@pytest.mark.parametrize("encoding,written", [("ascii", "utf-8"), ("ANSI_X3.4-1968", "utf-8"), ("latin-1", "latin-1"),
                                              ("utf-8", "utf-8")])
def test_ascii_is_written_as_utf8_and_other_encodings_escape(tmp_path, encoding, written):
    path = tmp_path / "out.txt"
    out = stream_on(str(path), encoding=encoding)
    out.write("actor − man × 2 " + b"\xff".decode("utf-8", "surrogateescape"))
    out.flush()
    assert out.encoding == written
    expected = {"utf-8": "actor − man × 2 \\udcff", "latin-1": "actor \\u2212 man × 2 \\udcff"}[written]
    assert path.read_bytes().decode(written) == expected


def test_closed_stdin_is_one_line(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(RnnplayError, match="^standard input is closed; redirect it from a file"):
        streams.stdin()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    assert streams.stdin().read() == b"x"
