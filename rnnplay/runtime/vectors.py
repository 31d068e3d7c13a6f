"""Word vectors, queried with NumPy: neighbours, analogies, similarity, and CBOW's own guess of a blank.

The query names follow gensim's ``KeyedVectors`` (``index_to_key``, ``key_to_index``, ``similarity``;
``analogy(a, b, c)`` is ``most_similar(positive=[a, c], negative=[b])``), so people who know gensim
find their way. As gensim splits ``KeyedVectors`` (words and their vectors) from ``Word2Vec`` (the model
that can predict a word), ``Vectors`` answers the queries every word space can, and ``Cbow`` adds the
output layer that guesses a blank: whether a space can guess is its type. Two kinds of saved model
carry word vectors:

- ``vectors`` (CBOW trained here, or imported from a word2vec file): ``input`` rows W, one per word of
  ``vocab.txt`` (most frequent first, no padding or ``[UNK]`` entries), and for CBOW the ``output`` rows
  W′ (word2vec's ``syn1neg``) that score every word as the centre of a context: a ``Cbow``.
- ``classifier``: its ``embedding`` rows 2.. (rows 0 and 1 are padding and ``[UNK]``), the space the
  sentiment model learnt; it has no output layer, so it is plain ``Vectors``.

Rows are normalised to unit length once at load (a zero row stays zero), so every cosine ranking is one
matrix-vector product and an ``argpartition``.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.store import StoredModel, load_model
from rnnplay.text import OOV, PAD, TextSettings

BLANK = re.compile(r"_{3,}")
DEFAULT_WINDOW = 5
EXAMPLE = "the special ___ were amazing"  # a blank imdb-cbow fills with "effects" (p ≈ 0.87)


class UnknownWord(RnnplayError):
    """A word the model has no vector for; the message offers the nearest spellings it has."""

    def __init__(self, word: str, model: str, size: int, suggestions: Sequence[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f'"{printable(word)}" is not in {printable(model)}\'s vocabulary ({size:,} words){hint}')
        self.word = word
        self.suggestions = list(suggestions)


def best_first(scores: np.ndarray, k: int) -> np.ndarray:
    """The indices of the ``k`` highest ``scores`` (NaN-free), best first, equal scores in index order.

    ``argpartition`` alone picks any of the scores tied with the k-th, so a ranking cut there could
    differ from the same ranking cut later; the ties are settled by index before cutting.
    """
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    kth = np.partition(-scores, k - 1)[k - 1]
    top = np.flatnonzero(-scores <= kth)  # every score as good as the k-th, ties included, in index order
    return top[np.lexsort((top, -scores[top]))][:k]


def top_rows(values: np.ndarray, k: int, leave_out: Sequence[int] = ()) -> np.ndarray:
    """``best_first`` of ``values`` with the rows ``leave_out`` out of the ranking (``k`` shrinks to what is left)."""
    if not len(leave_out):
        return best_first(values, k)
    ranked = np.array(values, dtype=np.float64)
    ranked[list(leave_out)] = -np.inf  # below every value: the rows left out come last, and are cut
    return best_first(ranked, min(k, len(ranked) - len(set(leave_out))))


def softmax(scores: np.ndarray) -> np.ndarray:
    """exp(score) / Σ exp, shifted by the maximum so no score overflows."""
    probabilities = np.exp(scores - scores.max())
    return probabilities / probabilities.sum()


def one_token(settings: TextSettings, word: str) -> str:
    """``word`` standardized as a model's text was (``Good!`` → ``good``), or one line saying why it is not one word."""
    tokens = settings.tokens(word)
    if not tokens:
        raise RnnplayError(f"{word!r} is empty once standardized: give a word" if word.strip() else "give a word, not an empty string")
    if len(tokens) > 1:
        raise RnnplayError(f"{word!r} is {len(tokens)} words ({' '.join(tokens)}); give one word")
    return tokens[0]


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (float32); a zero row stays zero instead of becoming NaN."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


@dataclass(frozen=True)
class BlankScores:
    """CBOW's reading of one blank, every stage kept: what ``guess`` ranks and ``guess_dissect`` shows."""

    left: tuple[str, ...]  # the words read before the blank
    right: tuple[str, ...]  # and after it
    read: tuple[int, ...]  # their vocabulary rows
    hidden: np.ndarray  # h, the mean of their input vectors
    scores: np.ndarray  # W′·h, float64
    probabilities: np.ndarray  # softmax(W′·h + log Pn), or softmax(W′·h) when no counts are stored


class Vectors:
    """Words and their vectors (gensim's ``KeyedVectors``): neighbours, analogies, similarity."""

    def __init__(self, words: list[str], matrix: np.ndarray, settings: TextSettings, name: str, source_kind: str) -> None:
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[0] != len(words) or matrix.shape[1] == 0:
            raise RnnplayError(f"{name}: the vectors are {matrix.shape} for {len(words):,} words")
        if not len(words):
            raise RnnplayError(f"{name} has no words")
        if not np.isfinite(matrix).all():
            raise RnnplayError(f"{name}: the vectors hold NaN or infinite values")
        self.index_to_key = list(words)
        self.key_to_index = {word: i for i, word in enumerate(self.index_to_key)}
        if len(self.key_to_index) != len(self.index_to_key):
            raise RnnplayError(f"{name}: the vocabulary has repeated words")
        self.vectors = np.asarray(matrix, dtype=np.float32)
        self.unit = unit_rows(self.vectors)
        self.settings = settings
        self.name = name
        self.source_kind = source_kind
        self.path: Path | None = None  # the model folder it was read from (None when built in memory)
        self._by_length: dict[int, list[str]] | None = None

    @classmethod
    def from_stored(cls, stored: StoredModel) -> Vectors:
        """``_from_stored``, remembering the folder: the Models tab marks the vectors in use by it."""
        space = cls._from_stored(stored)
        space.path = stored.path
        return space

    @classmethod
    def _from_stored(cls, stored: StoredModel) -> Vectors:
        """The word vectors of a saved ``vectors`` model (a ``Cbow`` when it kept its output layer), or a
        classifier's embedding space. The loader has checked every shape against the card."""
        card, name, arrays = stored.card, stored.name, stored.arrays
        if card.kind == "vectors":
            if "output" in arrays:
                return Cbow(stored.vocabulary, arrays["input"], arrays["output"], card.text, name,
                            card.vectors.window or DEFAULT_WINDOW, arrays.get("counts"))
            return Vectors(stored.vocabulary, arrays["input"], card.text, name, "vectors")
        if stored.vocabulary[:2] != [PAD, OOV]:
            raise RnnplayError(f"{stored.path} does not match its card: vocab.txt does not start with the padding and [UNK] tokens")
        return Vectors(stored.vocabulary[2:], arrays["embedding"][2:], card.text, name, "classifier")

    @classmethod
    def load(cls, path: Path) -> Vectors:
        return cls.from_stored(load_model(Path(path)))

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: str) -> bool:
        return word in self.key_to_index

    @property
    def vector_size(self) -> int:
        return self.vectors.shape[1]

    @property
    def kind(self) -> str:
        """What the views call the space: "classifier" (an embedding) or "word vectors" (CBOW or imported)."""
        return "classifier" if self.source_kind == "classifier" else "word vectors"

    # --- words ---------------------------------------------------------------------------------

    def lookup(self, word: str) -> int:
        """The row of a word, standardized as the model's text was (``Good!`` finds ``good``)."""
        token = one_token(self.settings, word)
        index = self.key_to_index.get(token)
        if index is None:
            raise UnknownWord(word, self.name, len(self), self.suggestions(token))
        return index

    def suggestions(self, word: str, n: int = 3, cutoff: float = 0.75) -> list[str]:
        """The nearest spellings in the vocabulary (difflib ratio), most frequent first among equals.

        Only words whose length allows the cutoff are compared (a ratio is at most
        2·min(a, b)/(a + b)), which keeps it to a few milliseconds on 30,000 words.
        """
        if self._by_length is None:
            self._by_length = {}
            for key in self.index_to_key:
                self._by_length.setdefault(len(key), []).append(key)
        size = len(word)
        candidates = [key for length, keys in self._by_length.items()
                      if 2 * min(size, length) >= cutoff * (size + length) for key in keys]
        return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        index = self.lookup(word)
        return self.unit[index] if norm else self.vectors[index]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        return float(self.unit[self.lookup(a)] @ self.unit[self.lookup(b)])

    # --- rankings --------------------------------------------------------------------------------

    def _excluded(self, exclude: Iterable[str | int]) -> list[int]:
        rows = []
        for item in exclude:
            if isinstance(item, (int, np.integer)):
                rows.append(int(item))
            elif item in self.key_to_index:
                rows.append(self.key_to_index[item])
            else:
                tokens = self.settings.tokens(item)
                if len(tokens) == 1 and tokens[0] in self.key_to_index:
                    rows.append(self.key_to_index[tokens[0]])
        return rows

    def rank(self, query: np.ndarray, k: int, exclude: Sequence[int] = ()) -> list[tuple[str, float]]:
        """The ``k`` words of highest cosine with ``query`` (any length), best first, skipping rows ``exclude``."""
        if k < 1:
            raise RnnplayError("k must be at least 1")
        query = np.asarray(query, dtype=np.float32)
        if query.shape != (self.vector_size,):
            raise RnnplayError(f"a query vector must have {self.vector_size} values, not shape {query.shape}")
        norm = float(np.linalg.norm(query))
        if not np.isfinite(norm) or norm == 0.0:
            raise RnnplayError("the query vector is zero: it points nowhere to compare with")
        scores = self.unit @ (query / norm)
        if len(exclude):
            scores[list(exclude)] = -np.inf
        k = min(k, len(scores) - len(set(exclude)))
        top = best_first(scores, k)  # best first; equal scores in vocabulary order
        return [(self.index_to_key[i], float(scores[i])) for i in top]

    def neighbours(self, word_or_vector: str | np.ndarray, k: int = 10, exclude: Iterable[str | int] = ()) -> list[tuple[str, float]]:
        """The ``k`` nearest words by cosine; a query word is never its own neighbour."""
        rows = self._excluded(exclude)
        if isinstance(word_or_vector, str):
            index = self.lookup(word_or_vector)
            if not self.unit[index].any():
                raise RnnplayError(f"{word_or_vector!r} has a zero vector in {self.name}: it has no neighbours")
            return self.rank(self.unit[index], k, rows + [index])
        return self.rank(word_or_vector, k, rows)

    def analogy(self, a: str, b: str, c: str, k: int = 10) -> list[tuple[str, float]]:
        """a − b + c (3CosAdd): ``analogy("actor", "man", "woman")`` → actress.

        As gensim's ``most_similar(positive=[a, c], negative=[b])``: the unit vectors are combined, the
        vocabulary ranked by cosine with the result, and the three query words left out.
        """
        ia, ib, ic = self.lookup(a), self.lookup(b), self.lookup(c)
        query = self.unit[ia] - self.unit[ib] + self.unit[ic]
        if not np.any(np.abs(query) > 1e-6):
            raise RnnplayError(f"{a} - {b} + {c} is the zero vector: nothing to compare with")
        return self.rank(query, k, [ia, ib, ic])

    # --- guessing: only CBOW vectors can ----------------------------------------------------------

    @property
    def guess_refusal(self) -> str:
        """Why this space cannot guess a blank ("" when it can): only ``Cbow`` keeps the output layer it scores with."""
        what = "a classifier's embedding" if self.source_kind == "classifier" else "imported vectors"
        return f"{printable(self.name)} is {what}: it has no output layer to guess with; use CBOW vectors"


class Cbow(Vectors):
    """CBOW vectors with the output layer W′ that scores every word as the centre of a context (gensim's
    ``Word2Vec`` beside its ``KeyedVectors``), and the training counts of its noise distribution."""

    def __init__(self, words: list[str], matrix: np.ndarray, output: np.ndarray, settings: TextSettings, name: str,
                 window: int = DEFAULT_WINDOW, counts: np.ndarray | None = None) -> None:
        super().__init__(words, matrix, settings, name, "vectors")
        if np.shape(output) != self.vectors.shape:
            raise RnnplayError(f"{name}: the output matrix is {np.shape(output)}, the input {self.vectors.shape}")
        if not np.isfinite(output).all():
            raise RnnplayError(f"{name}: the output vectors hold NaN or infinite values")
        if counts is not None and (np.shape(counts) != (len(words),) or not np.all(np.asarray(counts) > 0)):
            raise RnnplayError(f"{name}: the word counts are {np.shape(counts)} for {len(words):,} words, or not all positive")
        self.output = np.asarray(output, dtype=np.float32)
        # log of the noise distribution negative sampling drew from (count^0.75), when counts are known
        self.noise_log = None if counts is None else 0.75 * np.log(np.asarray(counts, dtype=np.float64))
        self.window = int(window)

    def context(self, text: str) -> tuple[list[str], list[str]]:
        """The known words CBOW reads around the blank ``___``: up to ``window`` on each side.

        As in word2vec, words outside the vocabulary are dropped before the window is counted (they
        never reached the model in training either).
        """
        left, right = self.around_blank(text)
        left = [t for t in left if t in self.key_to_index]
        right = [t for t in right if t in self.key_to_index]
        return left[max(0, len(left) - self.window):], right[: self.window]

    def around_blank(self, text: str) -> tuple[list[str], list[str]]:
        """Every word before and after the one blank, standardized, known to the model or not."""
        pieces = BLANK.split(text)  # split first: the tokenizer would strip the underscores
        if len(pieces) == 1:
            raise RnnplayError(f"put one blank (___) where the missing word goes, e.g. '{EXAMPLE}'")
        if len(pieces) > 2:
            raise RnnplayError(f"the text has {len(pieces) - 1} blanks (___); CBOW guesses one word at a time")
        return self.settings.tokens(pieces[0]), self.settings.tokens(pieces[1])

    @property
    def guess_refusal(self) -> str:
        return ""

    def guess(self, text: str, k: int = 10, exclude_context: bool = False) -> list[tuple[str, float]]:
        """CBOW's prediction of the blank: the ``k`` words of highest probability in ``score_blank``.

        A context word often ranks high (W′ and W of a word point alike, so "the acting was ___"
        guesses "acting"): ``exclude_context`` leaves the words CBOW read out of the ranking. The
        probabilities stay the model's (over the whole vocabulary), so the rest keep their values.
        """
        if k < 1:
            raise RnnplayError("k must be at least 1")
        blank = self.score_blank(text)
        top = top_rows(blank.probabilities, k, blank.read if exclude_context else ())
        return [(self.index_to_key[i], float(blank.probabilities[i])) for i in top]

    def score_blank(self, text: str) -> BlankScores:
        """Every stage of the guess of the blank: a softmax over W′ · h, h the mean of the context rows of W.

        Negative sampling trains W′·h towards log P(w | context) / (k · Pn(w)), Pn the noise
        distribution (count^0.75), so when the counts are stored we add log Pn(w) back before the
        softmax: the model's own estimate of P(w | context). Without the prior the ranking favours
        rare words tied to the context ("a complete waste of ___" → "piece" before "time"). Training
        never normalised these scores, so read the probabilities as estimates, not calibrated odds.
        ``guess`` ranks these probabilities; ``guess_dissect`` shows every stage.
        """
        if not text.strip():
            raise RnnplayError("give a text with a blank (___), not an empty one")
        left, right = self.context(text)
        if not left and not right:
            raise RnnplayError(self._no_context(text))
        read = tuple(self.key_to_index[t] for t in left + right)
        hidden = self.vectors[list(read)].mean(axis=0)
        scores = (self.output @ hidden).astype(np.float64)
        probabilities = softmax(scores if self.noise_log is None else scores + self.noise_log)
        return BlankScores(tuple(left), tuple(right), read, hidden, scores, probabilities)

    def _no_context(self, text: str) -> str:
        """Why nothing around the blank can be read: no words at all, or none the model knows."""
        left, right = self.around_blank(text)
        words = left + right
        if not words:
            return f"the text has no words around the blank (___) to guess from: write a sentence with a gap, e.g. '{EXAMPLE}'"
        shown = ", ".join(printable(word) for word in words[:5]) + (", …" if len(words) > 5 else "")
        return f"none of the words around the blank ({shown}) is in {printable(self.name)}'s vocabulary: nothing to guess from"


def guesser(space: Vectors) -> Cbow:
    """The space as a ``Cbow`` that can guess a blank, or one line saying why it cannot."""
    if not isinstance(space, Cbow):
        raise RnnplayError(space.guess_refusal)
    return space


def cosines_across(word: str, spaces: Sequence[Vectors], k: int = 3, limit: int = 6) -> list[tuple[str, list[float]]]:
    """The ``k`` nearest words of each space, each with its cosine to ``word`` in every space.

    Two spaces can disagree about what "near" means (CBOW puts "good" beside "bad", a sentiment
    classifier puts them apart); reading the same words' cosines in both makes that visible. Only
    words every space knows can be compared, so each space's ranking is walked past the others'
    unknown words until it gives ``k`` shared ones. Words come in the spaces' order, first space's
    first, each once, at most ``limit`` in all; the cosines are listed in the order of ``spaces``.
    Raises ``UnknownWord`` (as ``neighbours``) when a space does not know ``word``.
    """
    if k < 1 or limit < 1:
        raise RnnplayError("k and limit must be at least 1")
    rows = [space.lookup(word) for space in spaces]  # every space must know the word, before any ranking
    queries = {space.index_to_key[row] for space, row in zip(spaces, rows)}
    chosen: list[str] = []
    for space in spaces:
        shared = (key for key in nearest_first(space, word)
                  if key not in queries and key not in chosen and all(key in other for other in spaces))
        chosen += list(itertools.islice(shared, k))
    return [(key, [float(space.unit[row] @ space.unit[space.key_to_index[key]]) for space, row in zip(spaces, rows)])
            for key in chosen[:limit]]


def nearest_first(space: Vectors, word: str, batch: int = 64) -> Iterator[str]:
    """Every other word of ``space``, nearest to ``word`` first, ranked in growing batches.

    Callers usually stop after a few words, so ranking the whole vocabulary up front would be wasted;
    the ranking is a total order (ties in vocabulary order), so each batch continues the one before.
    """
    done = 0
    while done < len(space) - 1:
        ranked = space.neighbours(word, batch)
        yield from (key for key, _ in ranked[done:])
        done, batch = len(ranked), batch * 4
