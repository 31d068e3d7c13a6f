"""CBOW's guess of a blank, step by step: ``Cbow.score_blank`` (the stages ``Cbow.guess`` ranks), with
what the view adds around them: the words skipped or past the window, and gensim's prior-free ranking.

1. The context: the words around ``___`` the model knows, up to ``window`` on each side (unknown words
   are skipped before the window is counted, as word2vec drops them; known words past the window are
   not read).
2. h: the mean of the context words' input vectors (rows of W).
3. The output scores W′·h, one per vocabulary word. gensim's ``Word2Vec.predict_output_word`` stops
   here: a softmax of these scores is its ranking.
4. The noise prior added back: negative sampling trains W′·h towards log P(w | context) − log(k·Pn(w)),
   Pn the noise distribution (count^0.75), so ``guess`` adds log Pn(w) = 0.75·ln count(w) + constant
   (the constant cancels in the softmax) before it normalises.
5. The final probabilities: softmax of score + prior: ``guess``'s own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rnnplay.runtime.vectors import Cbow, softmax, top_rows


@dataclass(frozen=True)
class DissectedGuess:
    """Every stage of one guess; ``rows`` and the ranking helpers read them by vocabulary index."""

    space: Cbow
    text: str
    left: tuple[str, ...]  # the words read before the blank
    right: tuple[str, ...]  # and after it
    skipped: tuple[str, ...]  # words around the blank the vocabulary lacks
    beyond: tuple[str, ...]  # known words past the window: not read
    read: tuple[int, ...]  # the vocabulary rows of the words read
    hidden: np.ndarray  # h, the mean of their input vectors
    scores: np.ndarray  # W′·h, float64
    prior: np.ndarray | None  # 0.75·ln count, when the counts are stored
    probabilities: np.ndarray  # softmax(scores + prior): guess's probabilities
    without_prior: np.ndarray  # softmax(scores): predict_output_word's
    exclude_context: bool

    def ranking(self, values: np.ndarray, k: int) -> list[int]:
        """The ``k`` rows of highest ``values``, best first (ties in vocabulary order), context left out if asked."""
        return [int(i) for i in top_rows(values, k, self.read if self.exclude_context else ())]

    def final(self, k: int) -> list[tuple[str, float]]:
        """The guess: what ``Cbow.guess`` returns."""
        return [(self.space.index_to_key[i], float(self.probabilities[i])) for i in self.ranking(self.probabilities, k)]

    def gensim(self, k: int) -> list[tuple[str, float]]:
        """gensim's ``predict_output_word`` on the same context: the softmax of W′·h, no prior."""
        return [(self.space.index_to_key[i], float(self.without_prior[i])) for i in self.ranking(self.without_prior, k)]

    def row(self, index: int) -> dict[str, Any]:
        """One word's way through the stages."""
        prior = None if self.prior is None else float(self.prior[index])
        return {"word": self.space.index_to_key[index], "score": float(self.scores[index]), "prior": prior,
                "probability": float(self.probabilities[index]), "without_prior": float(self.without_prior[index])}

    def to_json(self, k: int = 10) -> dict[str, Any]:
        return {"vectors": self.space.name, "window": self.space.window, "left": list(self.left), "right": list(self.right),
                "skipped": list(self.skipped), "beyond_window": list(self.beyond), "hidden": [round(float(v), 6) for v in self.hidden],
                "prior": self.prior is not None, "exclude_context": self.exclude_context,
                "final": [self.row(i) for i in self.ranking(self.probabilities, k)],
                "gensim": [self.row(i) for i in self.ranking(self.without_prior, k)]}


def dissect(space: Cbow, text: str, exclude_context: bool = False) -> DissectedGuess:
    """Run ``space``'s guess of the blank in ``text`` stage by stage (the same checks and messages as ``guess``)."""
    blank = space.score_blank(text)
    before, after = space.around_blank(text)
    skipped = tuple(dict.fromkeys(t for t in before + after if t not in space.key_to_index))
    known_before = [t for t in before if t in space.key_to_index]
    known_after = [t for t in after if t in space.key_to_index]
    beyond = tuple(known_before[: len(known_before) - len(blank.left)] + known_after[len(blank.right):])
    return DissectedGuess(space, text, blank.left, blank.right, skipped, beyond, blank.read, blank.hidden, blank.scores,
                          space.noise_log, blank.probabilities, softmax(blank.scores), exclude_context)
