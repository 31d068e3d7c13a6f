"""What a classifier gets wrong: its test split's confusion matrix and the reviews it misclassified.

The test split is rebuilt exactly as training made it: the card records the corpus (``training.corpus``)
and the seed (``training.split_seed``), and ``corpora.split`` is deterministic, so the same texts come
back in the same order. The NumPy runtime then predicts them in length-sorted batches (almost no
padding), with the threshold the card's figures use (P ≥ 0.5 is positive), so the accuracy found here
is the card's held-out test accuracy; when it is not, the corpus changed since training, and
``matches_card`` says so.

One module for every front end (the TUI's errors view, ``rnnplay models NAME --errors``, ``:errors``):
it returns numbers and texts, never a picture.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.card import Card
    from rnnplay.corpora import Corpus
    from rnnplay.runtime.classifier import Classifier

LABELS = ("negative", "positive")  # index = label
CARD_DIGITS = 4  # training rounds the card's accuracy to 4 decimals


@dataclass(frozen=True)
class Mistake:
    """One misclassified review of the test split."""

    index: int  # its place in the test split
    text: str
    label: int  # the true label: 1 positive, 0 negative
    probability: float  # the model's P(positive)

    @property
    def predicted(self) -> int:
        return int(self.probability >= 0.5)

    @property
    def confidence(self) -> float:
        """How sure the model was of its wrong answer: P of the label it chose, 0.5 to 1."""
        return max(self.probability, 1.0 - self.probability)


@dataclass(frozen=True)
class Mistakes:
    """The test split of one model, scored: ``counts[true][predicted]`` and the mistakes, most confident first."""

    model: str
    corpus: str
    seed: int
    counts: tuple[tuple[int, int], tuple[int, int]]  # rows: true negative/positive; columns: predicted
    mistakes: tuple[Mistake, ...]
    card_accuracy: float | None  # the card's held-out test accuracy, None when it records none
    seconds: float  # reading the corpus and predicting, for people who wonder what a click costs

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))

    @property
    def correct(self) -> int:
        return self.counts[0][0] + self.counts[1][1]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def rate(self, true: int, predicted: int) -> float:
        """The share of the texts of label ``true`` predicted as ``predicted`` (a row of the matrix sums to 1)."""
        row = sum(self.counts[true])
        return self.counts[true][predicted] / row if row else 0.0

    @property
    def matches_card(self) -> bool | None:
        """Whether this accuracy is the card's (as the card rounds it); None when the card has none."""
        if self.card_accuracy is None:
            return None
        return round(self.accuracy, CARD_DIGITS) == round(self.card_accuracy, CARD_DIGITS)

    def to_json(self, limit: int | None = None) -> dict[str, Any]:
        shown = self.mistakes if limit is None else self.mistakes[:limit]
        return {
            "model": self.model, "corpus": self.corpus, "split_seed": self.seed, "texts": self.total,
            "accuracy": round(self.accuracy, 6), "card_accuracy": self.card_accuracy, "matches_card": self.matches_card,
            "confusion": {f"true_{LABELS[t]}": {f"predicted_{LABELS[p]}": self.counts[t][p] for p in (0, 1)} for t in (0, 1)},
            "misclassified": len(self.mistakes), "seconds": round(self.seconds, 2),
            "mistakes": [{"index": m.index, "label": LABELS[m.label], "p_positive": round(m.probability, 6), "text": m.text}
                         for m in shown],
        }


def recorded_split(card: Card) -> tuple[str, int]:
    """The corpus and seed the card's test split was cut with, or one line saying there is none."""
    training = card.section("training")
    corpus, seed = training.get("corpus"), training.get("split_seed")
    name = printable(card.name)
    if not isinstance(corpus, str) or not corpus or isinstance(seed, bool) or not isinstance(seed, int):
        how = "an imported model keeps none" if "imported_from" in card.raw else "its card records no corpus and seed"
        raise RnnplayError(f"{name} has no test split to check it on ({how})")
    return corpus, seed


def held_out_split(card: Card) -> Corpus:
    """The card's test split, the very texts training held out; one line when it cannot be rebuilt.

    A user's corpus file may be gone, moved, or edited since training. Gone is the loader's message;
    a different number of texts than the card's split sizes says the file changed. (An edit that keeps
    the count is only seen afterwards, by the accuracy: ``Mistakes.matches_card``.)
    """
    from rnnplay.corpora import BUILTIN, load_corpus, split

    corpus_name, seed = recorded_split(card)
    name = printable(card.name)
    if corpus_name not in BUILTIN and not _exists(corpus_name):
        where = "" if corpus_name.startswith("~") or Path(corpus_name).is_absolute() else f" (read from {_cwd()})"
        raise RnnplayError(f"{name} was trained on {printable(corpus_name)}, which is not there any more{where}: "
                           "its test split cannot be rebuilt")
    try:
        corpus = load_corpus(corpus_name)
    except RnnplayError as error:
        raise RnnplayError(f"cannot rebuild {name}'s test split from {printable(corpus_name)}: {error}") from None
    sizes = card.section("training").get("split")
    if isinstance(sizes, Mapping) and all(isinstance(sizes.get(k), int) for k in ("train", "validation", "test")):
        then = sizes["train"] + sizes["validation"] + sizes["test"]
        if then != len(corpus):
            raise RnnplayError(f"{printable(corpus_name)} has changed since {name} was trained ({len(corpus):,} texts now, "
                               f"{then:,} then): its test split cannot be rebuilt")
    return split(corpus, seed).test


def _cwd() -> str:
    try:
        return printable(Path.cwd())
    except OSError:  # the current folder was deleted
        return "a folder that is gone"


def _exists(name: str) -> bool:
    try:
        return Path(name).expanduser().exists()
    except (OSError, ValueError, RuntimeError):  # a NUL in the name; ``~someone`` unknown here
        return False


def find_mistakes(classifier: Classifier, progress: Callable[[int, int], None] | None = None,
                  should_stop: Callable[[], bool] = lambda: False) -> Mistakes:
    """Score ``classifier`` on its own test split. ``progress(done, total)`` follows the prediction;
    ``should_stop`` ends it early with ``Cancelled`` (the TUI's worker, when the view is closed)."""
    started = time.perf_counter()
    corpus, seed = recorded_split(classifier.card)
    test = held_out_split(classifier.card)
    ids = [classifier.encoder.encode(text) for text in test.texts]
    probabilities = classifier.predict_ids(ids, progress=progress, should_stop=should_stop, stopped="stopped before the test split was scored")
    return scored(classifier.name, corpus, seed, test, probabilities, classifier.card.held_out_accuracy,
                  time.perf_counter() - started)


def scored(model: str, corpus: str, seed: int, test: Corpus, probabilities: np.ndarray, card_accuracy: float | None,
           seconds: float = 0.0) -> Mistakes:
    """The confusion matrix and the mistakes, most confident first (ties in split order)."""
    labels = np.asarray(test.labels, dtype=np.int64)
    predicted = (probabilities >= 0.5).astype(np.int64)
    counts = np.zeros((2, 2), dtype=np.int64)
    np.add.at(counts, (labels, predicted), 1)
    wrong = np.flatnonzero(labels != predicted)
    confidence = np.maximum(probabilities[wrong], 1.0 - probabilities[wrong])  # exactly Mistake.confidence
    wrong = wrong[np.lexsort((wrong, -confidence))]
    mistakes = tuple(Mistake(int(i), test.texts[i], int(labels[i]), float(probabilities[i])) for i in wrong)
    matrix = ((int(counts[0, 0]), int(counts[0, 1])), (int(counts[1, 0]), int(counts[1, 1])))
    return Mistakes(model, corpus, seed, matrix, mistakes, card_accuracy, seconds)
