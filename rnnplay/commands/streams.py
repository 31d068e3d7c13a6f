"""The process's standard streams, made safe before a command runs and checked after it.

Whatever stdin, stdout and stderr turn out to be, a command ends with one line on stderr and a
documented exit code, never a traceback:

- A closed descriptor 0, 1 or 2 (``<&-``) is first reopened on /dev/null, so no file the command
  opens can take its number (a model file opened as fd 2 would collect TensorFlow's C++ logs).
- A closed stdout (``>&-``) is an error before anything runs, as for ``echo hi >&-``: the results
  would be lost. A closed stdin is an error only for a command that reads it (``stdin``). A closed
  stderr only silences the messages; the exit code still tells.
- stdout is written through ``Stream``, which turns a write failure (a full disk, a device error)
  into ``OutputError`` (exit 1) and then points the descriptor at /dev/null, so the buffered rest
  cannot fail again at exit. A broken pipe (``| head``) stays a ``BrokenPipeError``: callers stop
  quietly with exit 0, as Unix tools do. A failing stderr drops the message instead.
- An ASCII stream is written as UTF-8: Click already writes UTF-8 to a stream it finds set to ASCII
  (it takes ASCII for a misconfigured C locale, as Python's own UTF-8 mode does), so Rich's tables
  and help text then agree with it instead of raising on "×" or "→". Any other encoding keeps its
  setting, and what it cannot carry comes out as a backslash escape (``\\u2192``) instead of an
  error; so does an undecodable byte of a file name on UTF-8 (``\\udcff``).
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from typing import BinaryIO, TextIO

from rnnplay.errors import RnnplayError


class OutputError(RnnplayError):
    """The results could not be written (stdout closed, on a full disk, or failing)."""


class Stream(io.TextIOWrapper):
    """A standard output stream on its own buffer that says which stream failed, and fails once."""

    def __init__(self, like: TextIO, report: bool) -> None:
        raw = io.FileIO(like.fileno(), "wb", closefd=False)
        super().__init__(io.BufferedWriter(raw), encoding=encoding_for(like), errors="backslashreplace",
                         line_buffering=bool(like.line_buffering))
        self.like = like  # kept open: closing it (when collected) would close the descriptor under us
        self.report = report
        self.broken = False  # the reader went away (a broken pipe)

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as error:
            self.failed(error)
            return len(text)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as error:
            self.failed(error)

    def failed(self, error: OSError) -> None:
        """Send the rest to /dev/null; raise for stdout, drop the text for stderr."""
        discard(self.fileno())
        if isinstance(error, BrokenPipeError):
            self.broken = True
            raise error
        if self.report:
            raise OutputError(f"cannot write the output: {error.strerror or error}") from None


def encoding_for(stream: TextIO) -> str:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return "utf-8" if codecs.lookup(encoding).name == "ascii" else encoding
    except LookupError:
        return "utf-8"


def is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def discard(fd: int) -> None:
    """Point ``fd`` at /dev/null: later writes (and the flush at exit) succeed and go nowhere."""
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def discard_output() -> None:
    """After a broken pipe: nothing more can reach the reader, so let the rest go quietly."""
    try:
        discard(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real descriptor (a test's or the REPL's capture)
        pass


def prepare() -> None:
    """Make the standard streams safe for any command; raises OutputError when stdout is closed."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    for fd, stream in enumerate(streams):
        if stream is None and not is_open(fd):
            discard(fd)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - nowhere to say anything; the exit code still tells
    elif _real(sys.stderr):
        sys.stderr = Stream(sys.stderr, report=False)
    if sys.stdout is None:
        raise OutputError("standard output is closed; send it to /dev/null to discard the results")
    if _real(sys.stdout):
        sys.stdout = Stream(sys.stdout, report=True)


def _real(stream: TextIO) -> bool:
    """True for a stream on a descriptor (not a capture in tests or the REPL), not yet wrapped."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return not isinstance(stream, Stream) and hasattr(stream, "line_buffering")


def finish() -> None:
    """Write out what is still buffered, so a full disk is reported before the exit code is chosen."""
    sys.stdout.flush()
    sys.stderr.flush()


def pipe_broken() -> bool:
    """True when stdout's reader went away; Click ends its help text then with exit 1, we with 0."""
    return bool(getattr(sys.stdout, "broken", False))


def stdin() -> BinaryIO:
    """The bytes of stdin, for a command that reads it; a closed stdin is a one-line error."""
    if sys.stdin is None:
        raise RnnplayError("standard input is closed; redirect it from a file (< FILE) or a pipe")
    return sys.stdin.buffer
