"""Word vectors in and out: the original word2vec formats, and TensorFlow's Embedding Projector files.

word2vec (Mikolov et al.'s ``word2vec.c``, read by gensim's ``KeyedVectors.load_word2vec_format``):

- a header line ``V N`` (vocabulary size, dimension) in ASCII, then one record per word;
- text: ``word v1 v2 … vN`` and a newline;
- binary: the word's UTF-8 bytes, a space, N little-endian float32 (4·N bytes), and a newline
  (``word2vec.c`` writes it; gensim writes none; the reader accepts both).

Words cannot hold ASCII whitespace in either format. Reading is bounded by the header (see below);
a file larger than rnnplay holds can be read in part, its first (most frequent) words only. The Embedding Projector
(projector.tensorflow.org, "Load") takes ``vectors.tsv`` (one row of tab-separated values per word, no
header) and ``metadata.tsv`` (one word a line; a single column has no header row).

Every file is written through ``store.atomic_file`` (a temporary file beside its target, renamed into
place), so an interrupted export never leaves a half-written file under the real name.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator, NamedTuple

import numpy as np

from rnnplay.errors import RnnplayError, UsageError
from rnnplay.limits import (
    MAX_HEADER_BYTES,
    MAX_NUMBER_CHARS,
    MAX_TOKEN_BYTES,
    MAX_VECTOR_VALUES,
    MAX_WORD2VEC_WORD_BYTES,
    VECTORS,
    check,
    require,
)
from rnnplay.printable import excerpt, printable, surrogate_safe
from rnnplay.store import atomic_file, atomic_model_dir, ensure_free, new_card, sha256, write_model
from rnnplay.text import TextSettings

if TYPE_CHECKING:
    from rnnplay.runtime.vectors import Vectors

ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
CHUNK_ROWS = 2_000


def _checked_words(words: list[str]) -> None:
    for word in words:
        if not word or any(c in ASCII_WHITESPACE for c in word):
            raise RnnplayError(f"the word {word!r} cannot be written in these formats (empty, or holds whitespace)")


def _rows(vectors: Vectors) -> Iterator[tuple[list[str], np.ndarray]]:
    words, matrix = vectors.index_to_key, vectors.vectors
    for start in range(0, len(words), CHUNK_ROWS):
        yield words[start : start + CHUNK_ROWS], np.asarray(matrix[start : start + CHUNK_ROWS], dtype=np.float32)


def write_word2vec(vectors: Vectors, path: Path, binary: bool = False) -> Path:
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


def write_projector(vectors: Vectors, folder: Path) -> tuple[Path, Path]:
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
# Every read is bounded by what the header declares: a line or record holds a word of at most
# MAX_WORD2VEC_WORD_BYTES and DIMENSION numbers, and the header's words × dimension is bounded by the
# vectors table of rnnplay.limits (and by what the file's size can hold) before anything is allocated.


class Word2VecFile(NamedTuple):
    words: list[str]
    matrix: np.ndarray  # float32, one row per word
    binary: bool
    declared: int  # the header's word count (more than len(words) when a limit cut the file short)


def _check_regular(path: Path) -> None:
    """A missing file, a folder and a device each get their own message (a device has no size to check)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise RnnplayError(f"no such file: {printable(path)}") from None
    except OSError as error:
        raise RnnplayError(f"cannot read {printable(path)}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise RnnplayError(f"{printable(path)} is a folder, not a word2vec file")
    if not stat.S_ISREG(mode):
        raise RnnplayError(f"{printable(path)} is not a regular file (a device or a pipe?); give a word2vec file on disk")


def _header(name: str, f: BinaryIO) -> tuple[int, int]:
    line = f.readline(MAX_HEADER_BYTES + 1)
    if not line:
        raise RnnplayError(f"{name} is empty")
    try:
        if len(line) > MAX_HEADER_BYTES:
            raise ValueError
        count, dimension = (int(p) for p in line.split())  # ValueError for anything but two integers
        if count < 1 or dimension < 1:
            raise ValueError
    except ValueError:
        shown = excerpt(line.rstrip(b"\r\n"))
        raise RnnplayError(f"{name} is not a word2vec file: the first line should be 'WORDS DIMENSION', not {shown}") from None
    return count, dimension


def _rows_to_read(name: str, count: int, dimension: int, limit: int | None) -> int:
    """How many rows to read: the header's count, cut to ``limit``; refused beyond what rnnplay holds."""
    most_dimension = int(VECTORS["dimension"].high)
    if dimension > most_dimension:
        raise RnnplayError(f"{name}: the header declares {dimension:,} values per word; rnnplay holds at most {most_dimension:,}")
    most = min(int(VECTORS["vocab_size"].high), MAX_VECTOR_VALUES // dimension)
    rows = count if limit is None else min(count, limit)
    if rows > most:
        if limit is None:
            raise RnnplayError(f"{name}: {count:,} words × {dimension} values are more than rnnplay holds ({MAX_VECTOR_VALUES:,} "
                               f"values); the most frequent words come first: import them with --limit {most:,} or less")
        raise UsageError(f"--limit {limit:,} is more than rnnplay holds at {dimension} values per word (at most {most:,})")
    return rows


def _check_size(name: str, f: BinaryIO, declared: int, rows: int, dimension: int, binary: bool) -> None:
    """Refuse a header that promises more than the file's bytes can hold, before allocating for it."""
    rest = os.fstat(f.fileno()).st_size - f.tell()
    smallest = 4 * dimension + 2 if binary else 2 * dimension + 1  # a 1-byte word, its values, a separator each
    if rest < rows * smallest:
        raise RnnplayError(f"{name}: the header promises {declared:,} words × {dimension} values, but only {rest:,} bytes follow")


def _matrix(name: str, rows: int, dimension: int) -> np.ndarray:
    try:
        return np.empty((rows, dimension), dtype=np.float32)  # pages are only taken as rows are filled
    except MemoryError:
        raise RnnplayError(f"{name}: not enough memory for {rows:,} words × {dimension} values; "
                           "import fewer with --limit") from None


def _floats(fields: list[bytes]) -> np.ndarray | None:
    try:
        return np.array(fields, dtype=np.float32)
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None


def _is_text_record(line: bytes, dimension: int) -> bool:
    fields = line.split()
    return len(fields) == dimension + 1 and _floats(fields[1:]) is not None


def _looks_textual(sample: bytes, dimension: int) -> bool:
    """Text if the first record reads as a word and ``dimension`` numbers, or if the sample is text at all.

    A binary record passes only if its float bytes spell numbers, filling exactly the first line, and
    the next line does too, or if the whole sample is clean UTF-8: real vectors do neither (a file of
    a few 1-dimension rows can). A malformed text file is still read as text, so its error names the line.
    """
    lines = [line for line in sample.split(b"\n")[:-1] if line.strip()][:2] or [sample]  # complete lines
    if _is_text_record(lines[0], dimension):
        could_be_floats = len(lines[0]) == lines[0].find(b" ") + 1 + 4 * dimension
        if not could_be_floats or len(lines) == 1 or _is_text_record(lines[1], dimension):
            return True
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(sample)  # a character cut by the sample's end is fine
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


def _word(name: str, where: str, raw: bytes) -> str:
    if len(raw) > MAX_WORD2VEC_WORD_BYTES:
        raise RnnplayError(f"{name}, {where}: the word is longer than {MAX_WORD2VEC_WORD_BYTES:,} bytes "
                           f"(not a word2vec file?); it starts {excerpt(raw)}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RnnplayError(f"{name}, {where}: the word is not valid UTF-8 ({excerpt(raw)})") from None


def _read_text(name: str, f: BinaryIO, rows: int, declared: int, dimension: int) -> tuple[list[str], np.ndarray]:
    words: list[str] = []
    matrix = _matrix(name, rows, dimension)
    longest = MAX_WORD2VEC_WORD_BYTES + (dimension + 1) * MAX_NUMBER_CHARS
    number = 1
    while len(words) < rows or rows == declared:  # with a limit, stop at the last row wanted
        line = f.readline(longest + 1)
        if not line:
            break
        number += 1
        if len(line) > longest:
            raise RnnplayError(f"{name}, line {number}: longer than a word and {dimension} values can be "
                               f"({longest:,} bytes; not a word2vec file?); it starts {excerpt(line)}")
        fields = line.split()  # ASCII whitespace only, as the tokenizer splits
        if not fields:
            continue
        if len(words) == rows:
            raise RnnplayError(f"{name}, line {number}: more rows than the {declared:,} the header announces")
        word = _word(name, f"line {number}", fields[0])
        if len(fields) != dimension + 1:
            raise RnnplayError(f"{name}, line {number}: {len(fields) - 1:,} values for {excerpt(word)}, the header says {dimension}")
        values = _floats(fields[1:])
        if values is None:
            bad = next(field for field in fields[1:] if _floats([field]) is None)
            raise RnnplayError(f"{name}, line {number}: a value for {excerpt(word)} is not a number: {excerpt(bad)}")
        matrix[len(words)] = values
        words.append(word)
    if len(words) < rows:
        raise RnnplayError(f"{name}: the header announces {declared:,} words, the file holds {len(words):,}")
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
        """The next word; None at the end of the file, b"" when no space comes within the longest word."""
        while True:
            while self.pos < len(self.data) and self.data[self.pos] in b"\n":
                self.pos += 1
            end = self.data.find(b" ", self.pos, self.pos + MAX_WORD2VEC_WORD_BYTES + 1)
            if end >= 0:
                word, self.pos = self.data[self.pos : end], end + 1
                return word
            if len(self.data) - self.pos > MAX_WORD2VEC_WORD_BYTES or not self._more():
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


def _read_binary(name: str, f: BinaryIO, rows: int, declared: int, dimension: int) -> tuple[list[str], np.ndarray]:
    words: list[str] = []
    matrix = _matrix(name, rows, dimension)
    buffer, size = _Buffer(f), 4 * dimension
    for number in range(1, rows + 1):
        raw = buffer.word()
        if raw is None:
            raise RnnplayError(f"{name}: the header announces {declared:,} words, the file holds {number - 1:,}")
        if not raw:
            raise RnnplayError(f"{name}, record {number}: no word followed by a space within "
                               f"{MAX_WORD2VEC_WORD_BYTES:,} bytes (not a word2vec binary file?)")
        word = _word(name, f"record {number}", raw)
        values = buffer.take(size)
        if len(values) < size:
            raise RnnplayError(f"{name}, record {number} ({excerpt(word)}): the file ends inside its {dimension} values")
        matrix[number - 1] = np.frombuffer(values, dtype="<f4")
        words.append(word)
    if rows == declared and not buffer.rest_is_blank():
        raise RnnplayError(f"{name}: more data after the {declared:,} records the header announces")
    return words, matrix


def read_word2vec(path: Path, limit: int | None = None) -> Word2VecFile:
    """A word2vec file, text or binary (detected); only its first ``limit`` words when given.

    word2vec files list the most frequent words first, so a limit keeps the useful part of a file too
    big for rnnplay (as gensim's ``load_word2vec_format(limit=...)``).
    """
    path = Path(path)
    name = printable(path)
    require([check("vocab_size", limit, VECTORS, flag="--limit")])
    _check_regular(path)
    try:
        with path.open("rb") as f:
            declared, dimension = _header(name, f)
            rows = _rows_to_read(name, declared, dimension, limit)
            start = f.tell()
            binary = not _looks_textual(f.read(MAX_WORD2VEC_WORD_BYTES + 40 * dimension), dimension)
            f.seek(start)
            _check_size(name, f, declared, rows, dimension, binary)
            words, matrix = (_read_binary if binary else _read_text)(name, f, rows, declared, dimension)
    except OSError as error:
        raise RnnplayError(f"cannot read {name}: {error.strerror or error}") from None
    bad = ~np.isfinite(matrix).all(axis=1)
    if bad.any():
        raise RnnplayError(f"{name}: the vector of {excerpt(words[int(np.argmax(bad))])} holds NaN or infinite values")
    return Word2VecFile(words, matrix, binary, declared)


def _some(words: list[str], width: int = 30) -> str:
    """Up to five words for a note, each cut short and made printable."""
    return ", ".join(printable(word[:width]) + ("…" if len(word) > width else "") for word in words[:5])


def import_word2vec(path: Path, target: Path, overwrite: bool = False, settings: TextSettings = TextSettings(),
                    limit: int | None = None) -> Path:
    """Save a word2vec file as a ``vectors`` model (``method: imported``; no output rows, so no guessing).

    Only the first ``limit`` words are read when given. Words that are empty or hold whitespace, words
    longer than a vocabulary token may be, and repeats of a word (the first row is kept) are skipped;
    the card's ``import`` entry counts them and says which words the text settings cannot reach
    (``Paris`` under lowercasing: it still shows up as a neighbour, but a query finds ``paris``).
    """
    path, target = Path(path), Path(target)
    ensure_free(target, overwrite)
    read = read_word2vec(path, limit)
    words, matrix = read.words, read.matrix
    keep, seen, blank, long, repeated = [], set(), [], [], []
    for index, word in enumerate(words):
        if not word or any(c in ASCII_WHITESPACE for c in word):
            blank.append(word)
        elif len(word.encode("utf-8")) > MAX_TOKEN_BYTES:
            long.append(word)
        elif word in seen:
            repeated.append(word)
        else:
            seen.add(word)
            keep.append(index)
    if not keep:
        raise RnnplayError(f"{printable(path)}: no usable word (all are empty, hold whitespace or are too long)")
    kept = [words[i] for i in keep]
    unreachable = [w for w in kept if settings.tokens(w) != [w]]
    notes = []
    if len(words) < read.declared:
        notes.append(f"read the first {len(words):,} of the {read.declared:,} words the file holds (limit)")
    if repeated:
        notes.append(f"skipped {len(repeated):,} repeated words (the first row of each is kept), e.g. {_some(repeated)}")
    if blank:
        notes.append(f"skipped {len(blank):,} words that are empty or hold whitespace, e.g. {', '.join(excerpt(w, 30) for w in blank[:5])}")
    if long:
        notes.append(f"skipped {len(long):,} words longer than {MAX_TOKEN_BYTES:,} bytes, e.g. {_some(long)}")
    if unreachable:
        notes.append(f"{len(unreachable):,} words cannot be queried under {settings.standardize} (e.g. {_some(unreachable)}); "
                     "they still appear as neighbours")
    details: dict[str, Any] = {"file": surrogate_safe(path.name), "format": "word2vec-binary" if read.binary else "word2vec", "sha256": sha256(path),
               "rows": len(words), "skipped_repeated": len(repeated), "skipped_whitespace": len(blank),
               "skipped_long": len(long), "unreachable": len(unreachable), "notes": notes}
    if len(words) < read.declared:
        details.update(declared=read.declared, limit=limit)
    architecture = {"method": "imported", "vocab_size": len(kept), "dimension": matrix.shape[1]}
    card = new_card("vectors", target.name, architecture, settings, **{"import": details})
    with atomic_model_dir(target, overwrite) as scratch:
        write_model(scratch, card, {"input": matrix[keep]}, kept)
    return target
