"""How good are word vectors? Word-pair similarity (WordSim-353, SimLex-999) and word analogies.

Both scores count exactly as gensim's ``KeyedVectors.evaluate_word_pairs`` and
``evaluate_word_analogies`` do, so figures can be compared with published ones:

- Words are matched case-insensitively (folded with ``str.upper``, as gensim does); when a vocabulary
  holds several case variants, the first (most frequent) one stands for them all.
- Only the first ``restrict_vocab`` words of the vocabulary take part (they are sorted by frequency).
- A pair or question with a word outside them is skipped, and counted: ``used`` of ``total``.
- Pairs: Spearman's rank correlation between the human scores and the cosines (Pearson's too).
- Analogies ``a b c d`` ("a is to b as c is to d"): the answer is the word nearest to b − a + c
  (unit vectors, cosine), leaving a, b and c out; accuracy is correct / used.

The analogy search is batched: one matrix product per chunk of questions, so the 19,544 questions of
``questions-words.txt`` take seconds.

The data files are not part of rnnplay; gensim ships them in ``gensim/test/test_data``
(``wordsim353.tsv``, ``simlex999.txt``, ``questions-words.txt``).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NamedTuple, Sequence

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.limits import MAX_EVAL_BYTES, MAX_EVAL_ITEMS, MAX_EVAL_LINE_BYTES
from rnnplay.printable import excerpt, printable

if TYPE_CHECKING:
    from rnnplay.runtime.vectors import Vectors

RESTRICT_VOCAB = 300_000
Pair = tuple[str, str, float]


class Question(NamedTuple):
    section: str
    a: str
    b: str
    c: str
    expected: str


class PairsResult(NamedTuple):
    spearman: float
    pearson: float
    used: int  # pairs with both words in the vocabulary
    total: int


class SectionScore(NamedTuple):
    correct: int
    used: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.used if self.used else 0.0


class AnalogyResult(NamedTuple):
    accuracy: float  # correct / used, 0 when nothing was used
    correct: int
    used: int
    total: int
    sections: dict[str, SectionScore]


def reference_data() -> Path | None:
    """gensim's copies of WordSim-353, SimLex-999 and questions-words.txt, found without importing gensim."""
    from importlib.util import find_spec

    spec = find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "test" / "test_data"
    return folder if (folder / "questions-words.txt").is_file() else None


# --- reading the data sets -------------------------------------------------------------------------


def _lines(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """Numbered, stripped lines of a text file; every line and the whole read are bounded.

    A device or a pipe is read too (``<(curl …)``), so the bound is on what is read, not on the size.
    """
    path = Path(path)
    name = printable(path)
    if path.is_dir():
        raise RnnplayError(f"{name} is a folder, not {what}")
    try:
        with path.open("rb") as f:
            read = 0
            for number in itertools.count(1):
                raw = f.readline(MAX_EVAL_LINE_BYTES + 1)
                if not raw:
                    return
                read += len(raw)
                if read > MAX_EVAL_BYTES:
                    raise RnnplayError(f"{name} is longer than {MAX_EVAL_BYTES >> 20} MB: not {what}?")
                if len(raw) > MAX_EVAL_LINE_BYTES and not raw.endswith(b"\n"):
                    raise RnnplayError(f"{name}, line {number}: longer than {MAX_EVAL_LINE_BYTES:,} bytes "
                                       f"(not {what}?); it starts {excerpt(raw)}")
                if b"\0" in raw:
                    raise RnnplayError(f"{name}, line {number}: holds NUL bytes (a binary file, not {what}?)")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise RnnplayError(f"{name}, line {number}: not valid UTF-8 ({excerpt(raw)})") from None
                yield number, line.strip()
    except FileNotFoundError:
        raise RnnplayError(f"no such file: {name}") from None
    except OSError as error:
        raise RnnplayError(f"cannot read {name}: {error.strerror or error}") from None


def _counted(items: list, name: str, number: int) -> None:
    if len(items) >= MAX_EVAL_ITEMS:
        raise RnnplayError(f"{name}, line {number}: more than {MAX_EVAL_ITEMS:,} entries; evaluate a smaller file")


def read_pairs(path: Path, delimiter: str | None = None) -> list[Pair]:
    """``(word1, word2, score)`` rows of a WordSim-353 / SimLex-999 file as gensim ships them.

    ``#`` lines are comments. Fields are split on ``delimiter``, or else on a tab, a comma, or spaces,
    whichever the line has first in that order. Scores must be finite numbers.
    """
    pairs: list[Pair] = []
    name = printable(path)
    for number, line in _lines(path, "a word-pairs file"):
        if not line or line.startswith("#"):
            continue
        separator = delimiter or ("\t" if "\t" in line else "," if "," in line else None)
        fields = [field.strip() for field in line.split(separator)]
        try:
            a, b, score = fields
            value = float(score)
            if not a or not b or not math.isfinite(value):
                raise ValueError
        except ValueError:
            raise RnnplayError(f"{name}, line {number}: expected 'word1<TAB>word2<TAB>score', got {excerpt(line, 60)}") from None
        _counted(pairs, name, number)
        pairs.append((a, b, value))
    if not pairs:
        raise RnnplayError(f"{name} holds no word pairs")
    return pairs


def read_analogies(path: Path) -> list[Question]:
    """The questions of a ``questions-words.txt`` file: ``: section`` lines, then ``a b c d`` lines.

    Section names are labels shown on the terminal, so their control characters are kept as escapes.
    """
    questions: list[Question] = []
    section = None
    name = printable(path)
    for number, line in _lines(path, "an analogies file"):
        if not line:
            continue
        if line.startswith(":"):
            section = printable(line.lstrip(": ").strip())
            continue
        words = line.split()
        if len(words) != 4:
            raise RnnplayError(f"{name}, line {number}: expected four words 'a b c d', got {excerpt(line, 60)}")
        if section is None:
            raise RnnplayError(f"{name}, line {number}: a question before the first ': section' line")
        _counted(questions, name, number)
        questions.append(Question(section, *words))
    if not questions:
        raise RnnplayError(f"{name} holds no analogy questions")
    return questions


# --- statistics ------------------------------------------------------------------------------------


def average_ranks(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Ranks from 1, tied values sharing the mean of their ranks (as ``scipy.stats.rankdata``)."""
    x = np.asarray(values, dtype=np.float64)
    order = np.argsort(x, kind="mergesort")
    ordered = x[order]
    bounds = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1], True])
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.repeat((bounds[:-1] + bounds[1:] + 1) / 2.0, np.diff(bounds))
    return ranks


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Pearson's correlation; NaN when either side is constant (or shorter than 2)."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(a) != len(b):
        raise ValueError("x and y differ in length")
    if len(a) < 2:
        return float("nan")
    a, b = a - a.mean(), b - b.mean()
    denominator = np.sqrt((a @ a) * (b @ b))
    return float(np.clip((a @ b) / denominator, -1.0, 1.0)) if denominator > 0 else float("nan")


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation: Pearson's on average ranks."""
    return pearson(average_ranks(x), average_ranks(y))


# --- evaluation ------------------------------------------------------------------------------------


def folded_index(vectors: Vectors, restrict_vocab: int = RESTRICT_VOCAB) -> dict[str, int]:
    """Upper-cased word → row of its first (most frequent) case variant, over the first rows only."""
    index: dict[str, int] = {}
    for row, word in enumerate(vectors.index_to_key[:restrict_vocab]):
        index.setdefault(word.upper(), row)
    return index


def evaluate_pairs(vectors: Vectors, pairs: Sequence[Pair], restrict_vocab: int = RESTRICT_VOCAB) -> PairsResult:
    """Rank correlation of the model's cosines with human similarity scores (gensim's evaluate_word_pairs)."""
    index = folded_index(vectors, restrict_vocab)
    found = [(index[a.upper()], index[b.upper()], score) for a, b, score in pairs if a.upper() in index and b.upper() in index]
    if not found:
        raise RnnplayError(f"none of the {len(pairs):,} word pairs has both words in {vectors.name}'s vocabulary")
    rows_a, rows_b, gold = (np.array(column) for column in zip(*found))
    cosines = np.einsum("ij,ij->i", vectors.unit[rows_a], vectors.unit[rows_b]).astype(np.float64)
    return PairsResult(spearman(gold, cosines), pearson(gold, cosines), len(found), len(pairs))


def _chunk_rows(vocabulary: int) -> int:
    """Questions per matrix product: about 4 M scores (16 MB) at a time."""
    return max(1, min(4096, (1 << 22) // max(vocabulary, 1)))


def evaluate_analogies(vectors: Vectors, questions: Sequence[Question], restrict_vocab: int = RESTRICT_VOCAB) -> AnalogyResult:
    """Accuracy on ``a b c d`` questions by 3CosAdd, counted as gensim's evaluate_word_analogies."""
    words = vectors.index_to_key[:restrict_vocab]
    folded = [word.upper() for word in words]
    index = folded_index(vectors, restrict_vocab)
    unit = vectors.unit[: len(words)]
    usable, rows = [], []
    for number, question in enumerate(questions):
        keys = [w.upper() for w in question[1:]]
        if all(key in index for key in keys):
            usable.append(number)
            rows.append([index[key] for key in keys])
    correct = np.zeros(len(questions), dtype=bool)
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    step = _chunk_rows(len(words))
    for start in range(0, len(table), step):
        a, b, c, expected = table[start : start + step].T
        scores = (unit[b] - unit[a] + unit[c]) @ unit.T
        lines = np.arange(len(a))
        for query in (a, b, c):
            scores[lines, query] = -np.inf
        best = np.argmax(scores, axis=1)
        for line in range(len(a)):
            number = usable[start + line]
            ignore = {folded[a[line]], folded[b[line]], folded[c[line]]}
            predicted = folded[best[line]] if np.isfinite(scores[line, best[line]]) else None
            if predicted in ignore:  # a case variant of a query word came first: gensim looks down its top 5
                predicted = _first_other(scores[line], folded, ignore)
            correct[number] = predicted == folded[expected[line]]
    sections: dict[str, list[int]] = {}
    for number, question in enumerate(questions):
        score = sections.setdefault(question.section, [0, 0, 0])
        score[0] += int(correct[number])
        score[2] += 1
    for number in usable:
        sections[questions[number].section][1] += 1
    used, right = len(usable), int(correct.sum())
    return AnalogyResult(right / used if used else 0.0, right, used, len(questions),
                         {name: SectionScore(*counts) for name, counts in sections.items()})


def _first_other(scores: np.ndarray, folded: list[str], ignore: set[str], topn: int = 5) -> str | None:
    """Among the ``topn`` best (query rows already left out), the first word that is no query word.

    As gensim: when all ``topn`` are case variants of the query words, the last one is the answer.
    """
    count = min(topn, int(np.isfinite(scores).sum()))
    if count == 0:
        return None
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.argsort(-scores[top], kind="stable")]
    for row in top:
        if folded[row] not in ignore:
            return folded[row]
    return folded[top[-1]]
