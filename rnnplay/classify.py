"""The engine of ``rnnplay classify``: sources in, exactly one result line per input line out.

Results keep input order and count, so ``paste input.txt <(rnnplay classify input.txt)`` lines up.
Blank and unreadable lines get a line saying so (and unreadable ones a message on stderr), and so
does a line the model gives no probability for (non-finite weights). A source that cannot be read at
all (a file deleted or replaced by a folder since the command started, a device) gets one message
on stderr and no lines; the other sources are still classified. jsonl is always valid JSON: ASCII
with escapes, no NaN, and a file name's undecodable bytes as ``\\xNN``.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator, Literal, TextIO

from rnnplay.lines import Line, decode, line_batches
from rnnplay.printable import printable, surrogate_safe
from rnnplay.runtime.classifier import Classifier, label

Format = Literal["text", "tsv", "jsonl"]
FORMATS = ("text", "tsv", "jsonl")


@dataclass
class Tally:
    lines: int = 0
    blank: int = 0
    errors: int = 0  # lines that got an error line
    unreadable: int = 0  # sources that could not be read (to the end)


@dataclass(frozen=True)
class Result:
    source: str
    line: Line
    probability: float | None = None


class Unreadable(Exception):
    """A source that cannot be opened or read on; the message says why, in a few words."""


def render(result: Result, fmt: Format, threshold: float) -> str:
    line, p = result.line, result.probability if result.probability is not None else float("nan")
    if fmt == "jsonl":
        record: dict[str, object] = {"source": surrogate_safe(result.source), "line": line.number}
        if line.kind == "text":
            record.update(label=label(p, threshold), positive=round(p, 6))
        elif line.kind == "blank":
            record.update(label=None, blank=True)
        else:
            record.update(label=None, error=line.problem)
        # ASCII with \u escapes: valid JSON on any stdout encoding, and no raw control characters
        return json.dumps(record, allow_nan=False)
    if line.kind == "text":
        return f"{label(p, threshold)}\t{p:.4f}" if fmt == "tsv" else f"{label(p, threshold):<8} {p:.3f}"
    what = "blank" if line.kind == "blank" else "error"
    return f"{what}\t" if fmt == "tsv" else f"{what:<8} -"


def scored(source: str, line: Line, probability: float) -> Result:
    """The result for a text line; a value that is no probability (NaN, inf) becomes an error line."""
    if 0.0 <= probability <= 1.0:
        return Result(source, line, probability)
    problem = f"the model gave {probability!r}, not a probability (are its weights broken?)"
    return Result(source, Line(line.number, "error", problem=problem))


@dataclass
class Classify:
    """Classify batches from each source and write results as they are ready."""

    classifier: Classifier
    out: TextIO
    err: TextIO
    fmt: Format = "text"
    threshold: float = 0.5
    batch_size: int = 256
    max_line_bytes: int = 1 << 20
    tally: Tally = field(default_factory=Tally)

    def results(self, source: str, batches: Iterator[list[Line]]) -> Iterator[list[Result]]:
        for batch in batches:
            texts = [line for line in batch if line.kind == "text"]
            probabilities = iter(self.classifier.predict([line.text for line in texts], self.batch_size)) if texts else iter(())
            yield [scored(source, line, float(next(probabilities))) if line.kind == "text" else Result(source, line)
                   for line in batch]

    def write(self, results: list[Result]) -> None:
        for result in results:
            self.tally.lines += 1
            if result.line.kind == "blank":
                self.tally.blank += 1
            elif result.line.kind == "error":
                self.tally.errors += 1
                self.err.write(f"rnnplay: {printable(result.source)}:{result.line.number}: {result.line.problem}\n")
            self.out.write(render(result, self.fmt, self.threshold) + "\n")
        self.out.flush()
        self.err.flush()

    def stream(self, source: str, stream: BinaryIO) -> None:
        try:
            for results in self.results(source, readable(line_batches(stream, self.batch_size, self.max_line_bytes))):
                self.write(results)
        except Unreadable as error:
            self.unreadable(source, str(error))

    def unreadable(self, source: str, reason: str) -> None:
        self.tally.unreadable += 1
        self.out.flush()  # the lines before it come first
        self.err.write(f"rnnplay: {printable(source)}: {reason}\n")
        self.err.flush()

    def texts(self, texts: list[str]) -> None:
        """Texts given on the command line: one result each, newlines inside a text included."""
        lines = [decode(i, t.replace("\n", " ").encode("utf-8", "surrogateescape")) for i, t in enumerate(texts, 1)]
        for results in self.results("arg", iter([lines])):
            self.write(results)

    def sources(self, paths: list[str], stdin: Callable[[], BinaryIO]) -> None:
        """Each named file (or ``-`` for stdin) in order, opened only when its turn comes."""
        for path in paths:
            if path == "-":
                self.stream("-", stdin())
                continue
            try:
                source = open_source(path)
            except Unreadable as error:
                self.unreadable(path, str(error))
                continue
            with source:
                self.stream(path, source)

    @property
    def failed(self) -> bool:
        """Some input was unreadable: a line or a whole source (exit code 1)."""
        return bool(self.tally.errors or self.tally.unreadable)


def readable(batches: Iterator[list[Line]]) -> Iterator[list[Line]]:
    """``batches``, with a read failure turned into ``Unreadable`` (a failure to write is not caught)."""
    read = 0
    try:
        for batch in batches:
            read += len(batch)
            yield batch
    except OSError as error:
        where = f"cannot read past line {read}" if read else "cannot read it"
        raise Unreadable(f"{where}: {reason(error)}") from None


def reason(error: OSError) -> str:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file"
    if error.errno == errno.EISDIR:
        return "is a folder"
    return error.strerror or str(error)


def kind_problem(mode: int) -> str | None:
    """What is wrong with a source of this kind, or None: files, pipes and character devices pass.

    Whether a character device is a terminal (or /dev/null) is only known once it is open
    (``open_source``); a check by name must not open devices.
    """
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file (use - to read stdin)"
    return "is a device, not a file, pipe or terminal"


def source_problems(paths: list[str]) -> list[str]:
    """Why named sources cannot be classified, checked before any is read: a typo fails at once."""
    missing, problems = [], []
    for path in paths:
        if path == "-":
            continue
        try:
            problem = kind_problem(os.stat(path).st_mode)
        except OSError as error:
            problem = reason(error)
        if problem == "no such file":
            missing.append(path)
        elif problem is not None:
            problems.append(f"{path} {problem}" if problem.startswith("is ") else f"{path}: {problem}")
    return ([f"no such file: {', '.join(missing)}"] if missing else []) + problems


def open_source(path: str) -> BinaryIO:
    """``path`` opened for reading: a file, a pipe (a FIFO, ``<(cmd)``, /dev/stdin), a terminal or /dev/null."""
    try:
        source = open(path, "rb")  # noqa: SIM115 - handed to the caller, who reads and closes it
    except OSError as error:
        raise Unreadable(reason(error)) from None
    mode = os.fstat(source.fileno()).st_mode
    problem = kind_problem(mode)
    if problem is None and stat.S_ISCHR(mode) and not source.isatty() and not _is_null(source):
        problem = "is a device, not a file, pipe or terminal"
    if problem is not None:
        source.close()
        raise Unreadable(problem)
    return source


def _is_null(source: BinaryIO) -> bool:
    return os.fstat(source.fileno()).st_rdev == os.stat(os.devnull).st_rdev
