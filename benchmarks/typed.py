"""The hand-written typed set (corpora/typed-reviews.csv): its counts, and how a classifier does on it.

    python benchmarks/typed.py                   # counts, then accuracy and misread lines of the shipped classifiers
    python benchmarks/typed.py saved/imdb-lstm   # one model

A test set only (issue 15): it is read here to *measure* a model, never to choose one. The set is
loaded through ``rnnplay.corpora.load_corpus``, as any user's CSV is, and scored with the NumPy
runtime, so the figures are the ones Play shows.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnnplay.corpora import Corpus, load_corpus

TYPED = ROOT / "corpora" / "typed-reviews.csv"
SHIPPED = ("saved/imdb-bilstm", "saved/imdb-lstm")

# Words that turn a sentence's meaning around: the set is meant to be rich in both.
NEGATION = frozenset(["not", "no", "never", "nothing", "nobody", "neither", "nor", "cannot", "can't", "don't", "didn't", "isn't", "wasn't", "won't", "wouldn't", "couldn't", "doesn't"])
CONTRAST = frozenset(["but", "despite", "although", "though", "yet", "however"])
_WORD = re.compile(r"[a-z']+")


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept (so "can't" is one word, as typed)."""
    return _WORD.findall(text.lower())


def load_typed(path: Path = TYPED) -> Corpus:
    return load_corpus(str(path))


@dataclass(frozen=True)
class Counts:
    texts: int
    positive: int
    negative: int
    with_negation: int
    with_contrast: int


def counts(corpus: Corpus) -> Counts:
    tokens = [set(words(t)) for t in corpus.texts]
    positive = int(corpus.labels.sum())
    return Counts(texts=len(corpus), positive=positive, negative=len(corpus) - positive,
                  with_negation=sum(bool(t & NEGATION) for t in tokens),
                  with_contrast=sum(bool(t & CONTRAST) for t in tokens))


@dataclass(frozen=True)
class Score:
    accuracy: float
    wrong: list[tuple[str, int, float]]  # (text, true label, P(positive))


def score(probabilities: np.ndarray, corpus: Corpus) -> Score:
    """Accuracy at 0.5 and the misread lines, from P(positive) per text (any classifier's)."""
    predicted = (np.asarray(probabilities) >= 0.5).astype(np.int8)
    right = predicted == corpus.labels
    wrong = [(corpus.texts[i], int(corpus.labels[i]), float(probabilities[i])) for i in np.flatnonzero(~right)]
    return Score(float(right.mean()), wrong)


def score_model(path: str | Path, corpus: Corpus | None = None) -> Score:
    """A saved classifier on the typed set, through the NumPy runtime."""
    from rnnplay.runtime.classifier import Classifier

    corpus = corpus if corpus is not None else load_typed()
    return score(Classifier.load(Path(path)).predict(corpus.texts), corpus)


def main(argv: list[str]) -> None:
    corpus = load_typed()
    c = counts(corpus)
    print(f"{c.texts} texts: {c.positive} positive, {c.negative} negative; "
          f"{c.with_negation} with a negation word, {c.with_contrast} with a contrast word")
    for path in argv or [str(ROOT / p) for p in SHIPPED]:
        s = score_model(path, corpus)
        print(f"\n{Path(path).name}: {s.accuracy:.3f} ({len(corpus) - len(s.wrong)}/{len(corpus)})")
        for text, truth, p in s.wrong:
            print(f"  {'pos' if truth else 'neg'} P(pos)={p:.2f}  {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
