"""The engine of ``rnnplay classify``: sources in, exactly one result line per input line out.

Results keep input order and count, so ``paste input.txt <(rnnplay classify input.txt)`` lines up.
Blank and unreadable lines get a line saying so (and unreadable ones a message on stderr).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, Literal, TextIO

from rnnplay.lines import Line, decode, line_batches
from rnnplay.runtime.classifier import Classifier, label

Format = Literal["text", "tsv", "jsonl"]
FORMATS = ("text", "tsv", "jsonl")


@dataclass
class Tally:
    lines: int = 0
    blank: int = 0
    errors: int = 0


@dataclass(frozen=True)
class Result:
    source: str
    line: Line
    probability: float | None = None


def render(result: Result, fmt: Format, threshold: float) -> str:
    line, p = result.line, result.probability
    if fmt == "jsonl":
        record: dict[str, object] = {"source": result.source, "line": line.number}
        if line.kind == "text":
            record.update(label=label(p, threshold), positive=round(p, 6))
        elif line.kind == "blank":
            record.update(label=None, blank=True)
        else:
            record.update(label=None, error=line.problem)
        return json.dumps(record, ensure_ascii=False)
    if line.kind == "text":
        return f"{label(p, threshold)}\t{p:.4f}" if fmt == "tsv" else f"{label(p, threshold):<8} {p:.3f}"
    what = "blank" if line.kind == "blank" else "error"
    return f"{what}\t" if fmt == "tsv" else f"{what:<8} -"


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
            yield [Result(source, line, float(next(probabilities)) if line.kind == "text" else None) for line in batch]

    def write(self, results: list[Result]) -> None:
        for result in results:
            self.tally.lines += 1
            if result.line.kind == "blank":
                self.tally.blank += 1
            elif result.line.kind == "error":
                self.tally.errors += 1
                self.err.write(f"rnnplay: {result.source}:{result.line.number}: {result.line.problem}\n")
            self.out.write(render(result, self.fmt, self.threshold) + "\n")
        self.out.flush()
        self.err.flush()

    def stream(self, source: str, stream: BinaryIO) -> None:
        for results in self.results(source, line_batches(stream, self.batch_size, self.max_line_bytes)):
            self.write(results)

    def texts(self, texts: list[str]) -> None:
        """Texts given on the command line: one result each, newlines inside a text included."""
        lines = [decode(i, t.replace("\n", " ").encode("utf-8", "surrogateescape")) for i, t in enumerate(texts, 1)]
        for results in self.results("arg", iter([lines])):
            self.write(results)


def open_sources(paths: list[str], stdin: BinaryIO) -> Iterator[tuple[str, BinaryIO]]:
    """Each named file (or ``-`` for stdin) in order, opened lazily so a pipe of files stays bounded."""
    for path in paths:
        if path == "-":
            yield "-", stdin
        else:
            with open(path, "rb") as f:
                yield path, f


def missing_sources(paths: list[str]) -> list[str]:
    return [p for p in paths if p != "-" and not Path(p).is_file()]
