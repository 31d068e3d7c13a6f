"""Linear baselines beside the shipped classifiers, on the same splits (issue 15), as one table.

    python benchmarks/baselines.py      # ~3 minutes on 2 cores

Each baseline is trained on the training split of the card's corpus split (``rnnplay.corpora.split``
with the shipped cards' seed, 0), never on validation or test, with fixed settings chosen before any
score was seen (nothing is tuned on a test split, and the typed set is a test set only). Both read the
text as our models do (``rnnplay.text.standardize``: lower case, markup and punctuation stripped).

- TF-IDF (word 1–2-grams, min_df 2, sublinear tf) + logistic regression (scikit-learn, liblinear, C=1).
- fastText supervised with word bigrams (training lines shuffled with the seed; 25 epochs, lr 1.0, dim 100,
  2 threads, 200k hash buckets). These are the settings of fastText's own text-classification tutorial,
  not tuned here. Said openly: its defaults (5 epochs, lr 0.1) were run first and scored 0.817 / 0.625 /
  0.588 (IMDB / RT / typed, trained on IMDB); too few updates for 17,500 training reviews.

Each is trained twice: on IMDB's training split, and on IMDB's and Rotten Tomatoes' training splits
together (RT split with the same seed). Scored on IMDB's test split, RT's test split and the typed set
(corpora/typed-reviews.csv). Fit time is wall time of vectorizing and fitting. The shipped models (NumPy
runtime; the `default` preset, both directions and one) were trained on the `reviews` corpus: IMDB's and
RT's training splits, the same texts as the "IMDB+RT" rows, so those are the rows to compare them with;
their training seconds are the card's. Every row of the search for the preset is in
benchmarks/default_search.py. Needs the ``benchmark`` extra: ``pip install -e '.[benchmark]'``.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Callable

import numpy as np
from common import ROOT, print_table, row
from typed import load_typed

from rnnplay.corpora import Corpus, load_corpus, split
from rnnplay.runtime.classifier import Classifier
from rnnplay.text import standardize

SEED = 0  # the shipped cards' split_seed
SHIPPED = ("imdb-bilstm", "imdb-lstm")
Predict = Callable[[list[str]], np.ndarray]  # texts -> predicted labels 0/1


def accuracy(predict: Predict, corpus: Corpus) -> float:
    return float((predict(corpus.texts) == corpus.labels).mean())


def tfidf_logreg(texts: list[str], labels: np.ndarray, probabilities: bool = False) -> Predict:
    """Predicted labels, or with ``probabilities`` P(positive) (``sentence_noise.py`` reads its confidence)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, preprocessor=standardize),
                          LogisticRegression(C=1.0, solver="liblinear"))
    model.fit(texts, labels)
    if probabilities:
        return lambda batch: model.predict_proba(batch)[:, 1]
    return lambda batch: model.predict(batch).astype(np.int8)


def fasttext_bigrams(texts: list[str], labels: np.ndarray) -> Predict:
    import fasttext

    def line(text: str) -> str:
        return " ".join(standardize(text).split())

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.txt")
        with open(path, "w", encoding="utf-8") as out:
            # fastText reads the file in order and does not shuffle: a corpus grouped by label would
            # teach it one label, then the other (IMDB's file is), so the lines go in a seeded shuffle
            for i in np.random.default_rng(SEED).permutation(len(texts)):
                out.write(f"__label__{int(labels[i])} {line(texts[i])}\n")
        model = fasttext.train_supervised(path, wordNgrams=2, epoch=25, lr=1.0, dim=100, thread=2, bucket=200_000,
                                          seed=SEED, verbose=0)

    def predict(batch: list[str]) -> np.ndarray:
        predicted, _ = model.predict([line(t) for t in batch])
        return np.asarray([int(p[0].removeprefix("__label__")) for p in predicted], dtype=np.int8)

    return predict


def shipped_seconds(name: str) -> float | None:
    return Classifier.load(ROOT / "saved" / name).card.number("training", "seconds")


def shipped(name: str) -> Predict:
    classifier = Classifier.load(ROOT / "saved" / name)
    return lambda batch: (classifier.predict(batch) >= 0.5).astype(np.int8)


def scores(what: str, predict: Predict, tests: dict[str, Corpus], fit: float | None) -> None:
    figures = " / ".join(f"{accuracy(predict, corpus):.3f}" for corpus in tests.values())
    row(what, figures, f"fit {fit:.1f} s" if fit is not None else "shipped, NumPy runtime")


def main() -> None:
    imdb, rt = split(load_corpus("imdb"), SEED), split(load_corpus("rt"), SEED)
    tests = {"imdb": imdb.test, "rt": rt.test, "typed": load_typed()}
    trainings = {
        "IMDB": (imdb.train.texts, imdb.train.labels),
        "IMDB+RT": (imdb.train.texts + rt.train.texts, np.concatenate([imdb.train.labels, rt.train.labels])),
    }
    print(f"accuracy on IMDB test ({len(imdb.test)}) / RT test ({len(rt.test)}) / typed ({len(tests['typed'])})")
    for name in SHIPPED:
        corpus = Classifier.load(ROOT / "saved" / name).card.corpus
        scores(f"{name} (preset default, trained on {corpus})", shipped(name), tests, shipped_seconds(name))
    baselines: dict[str, Callable[[list[str], np.ndarray], Predict]] = {
        "TF-IDF 1-2-grams + logistic regression": tfidf_logreg, "fastText supervised, bigrams": fasttext_bigrams}
    for label, make in baselines.items():
        for corpus, (texts, labels) in trainings.items():
            try:
                start = time.perf_counter()
                predict = make(texts, labels)
                fit = time.perf_counter() - start
            except ImportError as error:
                row(f"{label} (trained on {corpus})", "not run", f"not installed: {error.name}")
                continue
            scores(f"{label} (trained on {corpus})", predict, tests, fit)
    print_table()


if __name__ == "__main__":
    main()
