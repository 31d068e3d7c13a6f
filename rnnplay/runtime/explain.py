"""Why the classifier said what it said: per-word shares (occlusion) and the prefix trace.

A word's *share* is how much P(positive) drops when that word is left out of the text (negative when
leaving it out raises P). The *prefix trace* is P(positive) after each prefix of the text: what the
model thought while reading. All variants of a text are computed in one batched NumPy call.

The TUI's Play screen and the REPL both call ``explain``; neither has any model logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier
from rnnplay.text import OOV_ID


class EmptyText(RnnplayError):
    """The text has no tokens, so there is nothing to classify."""


@dataclass(frozen=True)
class Explanation:
    tokens: list[str]  # the tokens the model reads, after standardizing and truncation
    ids: np.ndarray  # their ids in the encoder's vocabulary (1 = out of vocabulary)
    probability: float  # P(positive) for the whole text
    shares: np.ndarray  # P(text) - P(text without token i), one per token
    prefix: np.ndarray  # P(positive) after tokens[: i + 1], one per token
    dropped: int  # tokens cut off by the model's max_length
    streamed: bool  # True when the prefix trace came out of one left-to-right pass

    @property
    def oov(self) -> np.ndarray:
        return self.ids == OOV_ID

    @property
    def label(self) -> str:
        return "positive" if self.probability >= 0.5 else "negative"


def explain(classifier: Classifier, text: str) -> Explanation:
    """Classify ``text`` and say which words moved the prediction, and how it evolved word by word."""
    encoder = classifier.encoder
    all_tokens = encoder.settings.tokens(text)
    tokens = encoder.truncate(all_tokens)
    if not tokens:
        raise EmptyText("the text has no words to classify")
    ids = encoder.ids(tokens)
    probability, shares, prefix, streamed = classifier.network.explain(ids)
    return Explanation(tokens, ids, probability, shares, prefix, len(all_tokens) - len(tokens), streamed)
