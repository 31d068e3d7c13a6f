"""Word vectors in and out: the original word2vec formats, and TensorFlow's Embedding Projector files.

word2vec (Mikolov et al.'s ``word2vec.c``, read by gensim's ``KeyedVectors.load_word2vec_format``):

- a header line ``V N`` (vocabulary size, dimension) in ASCII, then one record per word;
- text: ``word v1 v2 … vN`` and a newline;
- binary: the word's UTF-8 bytes, a space, N little-endian float32 (4·N bytes), and a newline
  (``word2vec.c`` writes it; gensim writes none; the reader accepts both).

Words cannot hold ASCII whitespace in either format. The Embedding Projector
(projector.tensorflow.org, "Load") takes ``vectors.tsv`` (one row of tab-separated values per word, no
header) and ``metadata.tsv`` (one word a line; a single column has no header row).

Every file is written through ``store.atomic_file`` (a temporary file beside its target, renamed into
place), so an interrupted export never leaves a half-written file under the real name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterator

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.store import atomic_file, atomic_model_dir, ensure_free, new_card, sha256, write_model
from rnnplay.text import TextSettings

if TYPE_CHECKING:
    from rnnplay.runtime.vectors import Vectors

ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
MAX_WORD_BYTES = 10_000  # a binary record whose word runs longer is not a word2vec record
CHUNK_ROWS = 2_000


def _checked_words(words: list[str]) -> None:
    for word in words:
        if not word or any(c in ASCII_WHITESPACE for c in word):
            raise RnnplayError(f"the word {word!r} cannot be written in these formats (empty, or holds whitespace)")


def _rows(vectors: "Vectors") -> Iterator[tuple[list[str], np.ndarray]]:
    words, matrix = vectors.index_to_key, vectors.vectors
    for start in range(0, len(words), CHUNK_ROWS):
        yield words[start : start + CHUNK_ROWS], np.asarray(matrix[start : start + CHUNK_ROWS], dtype=np.float32)


def write_word2vec(vectors: "Vectors", path: Path, binary: bool = False) -> Path:
    """Write the vectors (``input`` rows, not normalised) in word2vec's text or binary format.

    Text values are printed with 9 significant digits, which gives back the exact float32.
    """
    _checked_words(vectors.index_to_key)
    count, dimension = vectors.vectors.shape
    line = " ".join(["%.9g"] * dimension)
    with atomic_file(path) as f:
        f.write(f"{count} {dimension}\n".encode("ascii"))
        for words, rows in _rows(vectors):
            if binary:
                little = rows.astype("<f4")
                f.write(b"".join(word.encode("utf-8") + b" " + row.tobytes() + b"\n" for word, row in zip(words, little)))
            else:
                f.write("".join(f"{word} {line % tuple(row)}\n" for word, row in zip(words, rows.tolist())).encode("utf-8"))
    return Path(path)


def write_projector(vectors: "Vectors", folder: Path) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` and ``metadata.tsv`` for the TensorFlow Embedding Projector."""
    _checked_words(vectors.index_to_key)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise RnnplayError(f"{folder} is a file; the projector export writes a folder")
    line = "\t".join(["%.6g"] * vectors.vector_size)
    with atomic_file(folder / "vectors.tsv") as f:
        for _, rows in _rows(vectors):
            f.write("".join(line % tuple(row) + "\n" for row in rows.tolist()).encode("ascii"))
    with atomic_file(folder / "metadata.tsv") as f:
        f.write("".join(word + "\n" for word in vectors.index_to_key).encode("utf-8"))
    return folder / "vectors.tsv", folder / "metadata.tsv"


# --- reading -------------------------------------------------------------------------------------


def _header(path: Path, f: BinaryIO) -> tuple[int, int]:
    line = f.readline(200)
    if not line:
        raise RnnplayError(f"{path} is empty")
    parts = line.split()
    try:
        count, dimension = (int(p) for p in parts)  # ValueError for anything but two integers
        if count < 1 or dimension < 1:
            raise ValueError
    except ValueError:
        shown = line.decode("utf-8", "replace").rstrip("\n")[:60]
        raise RnnplayError(f"{path} is not a word2vec file: the first line should be 'WORDS DIMENSION', not {shown!r}") from None
    rest = os.fstat(f.fileno()).st_size - f.tell()
    if rest < count * 2 * dimension:  # each value takes at least 2 bytes in either format
        raise RnnplayError(f"{path}: the header promises {count:,} words × {dimension} values, but only {rest:,} bytes follow")
    return count, dimension


def _floats(fields: list[bytes]) -> np.ndarray | None:
    try:
        return np.array(fields, dtype=np.float32)
    except ValueError:
        return None


def _looks_textual(sample: bytes, dimension: int) -> bool:
    """Text if the first record reads as a word and ``dimension`` numbers, or as text at all.

    A binary record would have to spell out exactly ``dimension`` numbers in its float bytes, or be
    valid UTF-8 with no control characters, to pass: real vectors do neither.
    """
    first = sample.split(b"\n", 1)[0].split()
    if len(first) == dimension + 1 and _floats(first[1:]) is not None:
        return True
    space = sample.find(b" ")
    body = sample[space + 1 : space + 1 + 4 * dimension] if space >= 0 else sample
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


def _read_text(path: Path, f: BinaryIO, count: int, dimension: int) -> tuple[list[str], np.ndarray]:
    words: list[str] = []
    matrix = np.empty((count, dimension), dtype=np.float32)
    for number, line in enumerate(f, start=2):
        fields = line.split()  # ASCII whitespace only, as the tokenizer splits
        if not fields:
            continue
        if len(words) == count:
            raise RnnplayError(f"{path}, line {number}: more rows than the {count:,} the header announces")
        try:
            word = fields[0].decode("utf-8")
        except UnicodeDecodeError:
            raise RnnplayError(f"{path}, line {number}: the word is not valid UTF-8") from None
        if len(fields) != dimension + 1:
            raise RnnplayError(f"{path}, line {number}: {len(fields) - 1} values for {word!r}, the header says {dimension}")
        values = _floats(fields[1:])
        if values is None:
            raise RnnplayError(f"{path}, line {number}: a value for {word!r} is not a number")
        matrix[len(words)] = values
        words.append(word)
    if len(words) < count:
        raise RnnplayError(f"{path}: the header announces {count:,} words, the file holds {len(words):,}")
    return words, matrix


class _Buffer:
    """Bounded-memory reads of a binary file: a word up to its space, then a fixed number of bytes."""

    def __init__(self, f: BinaryIO) -> None:
        self.f, self.data, self.pos = f, b"", 0

    def _more(self) -> bool:
        block = self.f.read(1 << 20)
        self.data, self.pos = self.data[self.pos :] + block, 0
        return bool(block)

    def word(self) -> bytes | None:
        while True:
            while self.pos < len(self.data) and self.data[self.pos] in b"\n":
                self.pos += 1
            end = self.data.find(b" ", self.pos, self.pos + MAX_WORD_BYTES + 1)
            if end >= 0:
                word, self.pos = self.data[self.pos : end], end + 1
                return word
            if len(self.data) - self.pos > MAX_WORD_BYTES or not self._more():
                return None if self.pos == len(self.data) else b""

    def take(self, size: int) -> bytes:
        while len(self.data) - self.pos < size and self._more():
            pass
        chunk, self.pos = self.data[self.pos : self.pos + size], self.pos + size
        return chunk

    def rest_is_blank(self) -> bool:
        while True:
            if self.data[self.pos :].strip():
                return False
            self.pos = len(self.data)
            if not self._more():
                return True


def _read_binary(path: Path, f: BinaryIO, count: int, dimension: int) -> tuple[list[str], np.ndarray]:
    words: list[str] = []
    matrix = np.empty((count, dimension), dtype=np.float32)
    buffer, size = _Buffer(f), 4 * dimension
    for number in range(1, count + 1):
        raw = buffer.word()
        if raw is None:
            raise RnnplayError(f"{path}: the header announces {count:,} words, the file holds {number - 1:,}")
        if not raw:
            raise RnnplayError(f"{path}, record {number}: no word followed by a space (not a word2vec binary file?)")
        try:
            word = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RnnplayError(f"{path}, record {number}: the word is not valid UTF-8") from None
        values = buffer.take(size)
        if len(values) < size:
            raise RnnplayError(f"{path}, record {number} ({word!r}): the file ends inside its {dimension} values")
        matrix[number - 1] = np.frombuffer(values, dtype="<f4")
        words.append(word)
    if not buffer.rest_is_blank():
        raise RnnplayError(f"{path}: more data after the {count:,} records the header announces")
    return words, matrix


def read_word2vec(path: Path) -> tuple[list[str], np.ndarray, bool]:
    """``(words, float32 matrix, binary?)`` from a word2vec file, text or binary (detected)."""
    path = Path(path)
    if not path.is_file():
        raise RnnplayError(f"no such file: {path}")
    try:
        with path.open("rb") as f:
            count, dimension = _header(path, f)
            start = f.tell()
            binary = not _looks_textual(f.read(MAX_WORD_BYTES + 40 * dimension), dimension)
            f.seek(start)
            words, matrix = (_read_binary if binary else _read_text)(path, f, count, dimension)
    except OSError as error:
        raise RnnplayError(f"cannot read {path}: {error.strerror or error}") from None
    bad = ~np.isfinite(matrix).all(axis=1)
    if bad.any():
        raise RnnplayError(f"{path}: the vector of {words[int(np.argmax(bad))]!r} holds NaN or infinite values")
    return words, matrix, binary


def import_word2vec(path: Path, target: Path, overwrite: bool = False, settings: TextSettings = TextSettings()) -> Path:
    """Save a word2vec file as a ``vectors`` model (``method: imported``; no output rows, so no guessing).

    Words that are empty or hold whitespace, and repeats of a word (the first row is kept), are skipped;
    the card's ``import`` entry counts them and says which words the text settings cannot reach
    (``Paris`` under lowercasing: it still shows up as a neighbour, but a query finds ``paris``).
    """
    path, target = Path(path), Path(target)
    ensure_free(target, overwrite)
    words, matrix, binary = read_word2vec(path)
    keep, seen, blank, repeated = [], set(), [], []
    for index, word in enumerate(words):
        if not word or any(c in ASCII_WHITESPACE for c in word):
            blank.append(word)
        elif word in seen:
            repeated.append(word)
        else:
            seen.add(word)
            keep.append(index)
    if not keep:
        raise RnnplayError(f"{path}: no usable word (all are empty or hold whitespace)")
    kept = [words[i] for i in keep]
    unreachable = [w for w in kept if settings.tokens(w) != [w]]
    notes = []
    if repeated:
        notes.append(f"skipped {len(repeated):,} repeated words (the first row of each is kept), e.g. {', '.join(repeated[:5])}")
    if blank:
        notes.append(f"skipped {len(blank):,} words that are empty or hold whitespace, e.g. {', '.join(map(repr, blank[:5]))}")
    if unreachable:
        notes.append(f"{len(unreachable):,} words cannot be queried under {settings.standardize} (e.g. {', '.join(unreachable[:5])}); "
                     "they still appear as neighbours")
    details = {"file": path.name, "format": "word2vec-binary" if binary else "word2vec", "sha256": sha256(path),
               "rows": len(words), "skipped_repeated": len(repeated), "skipped_whitespace": len(blank),
               "unreachable": len(unreachable), "notes": notes}
    architecture = {"method": "imported", "vocab_size": len(kept), "dimension": matrix.shape[1]}
    card = new_card("vectors", target.name, architecture, settings, **{"import": details})
    with atomic_model_dir(target, overwrite) as scratch:
        write_model(scratch, card, {"input": matrix[keep]}, kept)
    return target
