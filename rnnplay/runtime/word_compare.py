"""Two words under one-hot vectors and under dense ones: the contrast word vectors are taught by.

Under one-hot vectors every word is its own axis, so two different words are orthogonal (cosine 0) and
"good" is as far from "great" as from "have"; a dense space puts words near one another for a reason:
CBOW because they occur in the same contexts, a classifier's embedding because they push its verdict
the same way. Every cosine here is computed from the vectors themselves (the one-hot ones built at
their true length), never asserted.

Two vocabularies answer differently for a word they lack. CBOW drops unknown words (they never reached
the model), so such a word has no vector at all. A classifier's encoder reads every unknown word as
``[UNK]`` (id 1): two unknown words then share one one-hot vector and one embedding row, cosine 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier
from rnnplay.runtime.vectors import Vectors, one_token
from rnnplay.text import OOV, OOV_ID


def one_hot(index: int, size: int) -> np.ndarray:
    """The vector a one-hot encoding gives the word at ``index`` of a vocabulary of ``size`` words."""
    vector = np.zeros(size, dtype=np.float32)
    vector[index] = 1.0
    return vector


def cosine(a: np.ndarray, b: np.ndarray) -> float | None:
    """The cosine of two vectors; None when either is zero (it points nowhere)."""
    a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norms = float(np.linalg.norm(a64) * np.linalg.norm(b64))
    return None if norms == 0.0 else float(a64 @ b64) / norms


@dataclass(frozen=True)
class Placed:
    """One word in one vocabulary: its token, its one-hot position and its dense vector (None: missing)."""

    word: str  # as the user typed it
    token: str  # standardized as the model's text ("Good!" → "good"); "" when nothing is left
    index: int | None  # its one-hot position (the embedding row); None when the vocabulary has no place for it
    vector: np.ndarray | None
    unknown: bool  # not in the vocabulary (a classifier still reads it, as [UNK])
    suggestions: tuple[str, ...] = ()  # the nearest spellings the vocabulary has, for an unknown word

    def to_json(self) -> dict[str, Any]:
        return {"word": self.word, "token": self.token, "index": self.index, "unknown": self.unknown,
                "vector": None if self.vector is None else [round(float(v), 6) for v in self.vector]}


@dataclass(frozen=True)
class SpaceComparison:
    """A pair of words in one space: cosine of their one-hot vectors and of their dense vectors."""

    name: str
    kind: str  # "word vectors" or "classifier"
    size: int  # the one-hot length: the vocabulary's size (a classifier's counts padding and [UNK])
    dimension: int
    words: tuple[Placed, Placed]
    one_hot_cosine: float | None  # None when a word has no one-hot vector here
    dense_cosine: float | None  # None when a word has no vector, or a zero one

    @property
    def note(self) -> str:
        """What a reader must know to read the row: words missing, or read as [UNK]."""
        notes = []
        for placed in self.words:
            if placed.unknown and placed.index is None:
                hint = f"; did you mean: {', '.join(placed.suggestions)}?" if placed.suggestions else ""
                notes.append(f"“{placed.word}” is not in {self.name}'s vocabulary ({self.size:,} words): no vector{hint}")
            elif placed.unknown:
                notes.append(f"“{placed.word}” is not in {self.name}'s vocabulary: read as {OOV} (id {OOV_ID})")
        return "; ".join(notes)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "size": self.size, "dimension": self.dimension,
                "one_hot_cosine": _rounded(self.one_hot_cosine), "dense_cosine": _rounded(self.dense_cosine),
                "words": [placed.to_json() for placed in self.words], "note": self.note}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass(frozen=True)
class WordComparison:
    a: str
    b: str
    spaces: tuple[SpaceComparison, ...]

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "spaces": [space.to_json() for space in self.spaces]}


def in_vectors(space: Vectors, word: str, offset: int = 0) -> Placed:
    """A word in a ``Vectors`` space: its row there (its one-hot position ``offset`` further on), or no vector
    at all (CBOW never saw it)."""
    token = one_token(space.settings, word)
    index = space.key_to_index.get(token)
    if index is None:
        return Placed(word, token, None, None, True, tuple(space.suggestions(token)))
    return Placed(word, token, index + offset, space.vectors[index], False)


def in_classifier(classifier: Classifier, word: str) -> Placed:
    """A word as the classifier reads it: its encoder id (``[UNK]``'s when unknown) and that embedding row."""
    token = one_token(classifier.encoder.settings, word)
    index = int(classifier.encoder.ids([token])[0])
    return Placed(word, token, index, classifier.network.embedding[index], index == OOV_ID)


def compare_in(name: str, kind: str, size: int, dimension: int, placed: Sequence[Placed]) -> SpaceComparison:
    """Both cosines of two placed words, the one-hot vectors built at their full length."""
    a, b = placed
    if a.index is None or b.index is None:
        hot = None
    else:
        hot = cosine(one_hot(a.index, size), one_hot(b.index, size))
    dense = None if a.vector is None or b.vector is None else cosine(a.vector, b.vector)
    return SpaceComparison(name, kind, size, dimension, (a, b), hot, dense)


def compare_words(a: str, b: str, vectors: Vectors | None, classifier: Classifier | None) -> WordComparison:
    """``a`` and ``b`` in the word vectors (CBOW) and in the classifier's embedding, whichever are given."""
    if vectors is None and classifier is None:
        raise RnnplayError("give word vectors or a classifier to compare the words in")
    spaces = []
    if vectors is not None:
        # a classifier's one-hot positions count its padding and [UNK] rows, which Vectors leaves out
        offset = 2 if vectors.source_kind == "classifier" else 0
        placed = [in_vectors(vectors, word, offset) for word in (a, b)]
        spaces.append(compare_in(vectors.name, vectors.kind, len(vectors) + offset, vectors.vector_size, placed))
    if classifier is not None:
        spaces.append(compare_in(classifier.name, "classifier", len(classifier.encoder), classifier.network.embedding.shape[1],
                                 [in_classifier(classifier, word) for word in (a, b)]))
    return WordComparison(a, b, tuple(spaces))

