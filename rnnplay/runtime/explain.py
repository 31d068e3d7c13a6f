"""Why the classifier said what it said: per-word shares (occlusion) and the prefix trace.

A word's *share* is how much P(positive) drops when that word is left out of the text (negative when
leaving it out raises P). The *prefix trace* is P(positive) after each prefix of the text: what the
model thought while reading. All variants of a text are computed in one batched NumPy call.

The TUI's Play screen and the REPL both call ``explain``; neither has any model logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier, label
from rnnplay.text import OOV_ID


WORD_LIMIT = 1_000  # the work grows with the square of the length: 1,000 words took 0.6 s on a BiLSTM 64


class EmptyText(RnnplayError):
    """The text has no tokens, so there is nothing to classify."""


class TextTooLong(RnnplayError):
    """Too many words to explain one by one; the whole text's prediction is still given."""

    def __init__(self, words: int, probability: float) -> None:
        super().__init__(f"{words:,} words are too many to explain word by word (the limit is {WORD_LIMIT:,}); "
                         f"the whole text is {label(probability)} {probability:.3f}")
        self.probability = probability


@dataclass(frozen=True)
class Explanation:
    tokens: list[str]  # the tokens the model reads, after standardizing and truncation
    ids: np.ndarray  # their ids in the encoder's vocabulary (1 = out of vocabulary)
    probability: float  # P(positive) for the whole text
    shares: np.ndarray  # P(text) - P(text without token i), one per token
    prefix: np.ndarray  # P(positive) after tokens[: i + 1], one per token
    dropped: int  # tokens cut off by the model's max_length
    streamed: bool  # True when the prefix trace came out of one left-to-right pass
    network: object = field(default=None, repr=False, compare=False)  # which model said it (for reuse)

    @property
    def oov(self) -> np.ndarray:
        return self.ids == OOV_ID

    @property
    def label(self) -> str:
        return label(self.probability)


def explain(classifier: Classifier, text: str, previous: Explanation | None = None) -> Explanation:
    """Classify ``text`` and say which words moved the prediction, and how it evolved word by word.

    ``previous``, the explanation before the last edit, lets the prefix trace of the words the two
    texts begin with be reused: typing at the end of a text recomputes one prefix, not all of them.
    """
    encoder = classifier.encoder
    all_tokens = encoder.settings.tokens(text)
    tokens = encoder.truncate(all_tokens)
    if not tokens:
        raise EmptyText("the text has no words to classify")
    ids = encoder.ids(tokens)
    if len(ids) > WORD_LIMIT:
        raise TextTooLong(len(ids), float(classifier.predict_ids([ids])[0]))
    known = None
    if previous is not None and previous.network is classifier.network:
        m = min(len(ids), len(previous.ids))
        same = ids[:m] == previous.ids[:m]
        known = previous.prefix[: m if same.all() else int(np.argmin(same))]
    probability, shares, prefix, streamed = classifier.network.explain(ids, known)
    return Explanation(tokens, ids, probability, shares, prefix, len(all_tokens) - len(tokens), streamed, classifier.network)
