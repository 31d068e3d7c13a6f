"""Standardize and tokenize text exactly as Keras ``TextVectorization`` does, without TensorFlow.

Training and the NumPy runtime share this module, so a word gets the same id in both worlds.
Keras' default standardization (``lower_and_strip_punctuation``) lowercases ASCII letters only
(``tf.strings.lower``), deletes ASCII punctuation with a regex, and ``tf.strings.split`` splits on
ASCII whitespace only (a no-break space stays inside a token). We reproduce each step; a test checks
the ids against the Keras layer on all 33,530 built-in texts.

IMDB reviews carry ``<br />`` markup, which Keras would turn into the token ``br``. Our own models
strip it first (``strip_markup``); a model imported from the tutorial keeps Keras' behaviour.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Iterable, Literal, Sequence

import numpy as np

PAD, OOV = "", "[UNK]"
OOV_ID = 1  # the id of every word the vocabulary does not have
STANDARDIZERS = ("lower_and_strip_punctuation", "lower", "strip_punctuation", "none")
Standardize = Literal["lower_and_strip_punctuation", "lower", "strip_punctuation", "none"]
Truncate = Literal["start", "end"]

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_MARKUP = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TOKEN = re.compile(r"[^ \t\n\r\x0b\x0c]+")


def standardize(text: str, mode: Standardize = "lower_and_strip_punctuation", strip_markup: bool = True) -> str:
    """Return the text as the Keras layer sees it just before splitting."""
    if strip_markup:
        text = _MARKUP.sub(" ", text)
    if mode in ("lower", "lower_and_strip_punctuation"):
        text = text.translate(_ASCII_LOWER)
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = text.translate(_NO_PUNCTUATION)
    return text


def tokenize(text: str, mode: Standardize = "lower_and_strip_punctuation", strip_markup: bool = True) -> list[str]:
    """Split standardized text on ASCII whitespace, as ``tf.strings.split`` does."""
    return _TOKEN.findall(standardize(text, mode, strip_markup))


@dataclass(frozen=True)
class TextSettings:
    """How raw text becomes tokens; stored in every model card so runtime and training agree."""

    standardize: Standardize = "lower_and_strip_punctuation"
    strip_markup: bool = True
    max_length: int | None = None  # tokens kept per text; None keeps all
    truncate: Truncate = "start"  # which part of a long text to keep

    def tokens(self, text: str) -> list[str]:
        return tokenize(text, self.standardize, self.strip_markup)


class Encoder:
    """Text to token ids, like ``TextVectorization(output_mode="int")``: 0 pads, 1 is out-of-vocabulary."""

    def __init__(self, vocabulary: Sequence[str], settings: TextSettings = TextSettings()) -> None:
        if len(vocabulary) < 2 or vocabulary[0] != PAD or vocabulary[1] != OOV:
            raise ValueError("a vocabulary starts with the padding token '' and the OOV token '[UNK]'")
        self.vocabulary = list(vocabulary)
        self.settings = settings
        self.index = {token: i for i, token in enumerate(self.vocabulary)}
        if len(self.index) != len(self.vocabulary):
            raise ValueError("the vocabulary has repeated tokens")

    def __len__(self) -> int:
        return len(self.vocabulary)

    def truncate(self, items: list) -> list:
        """Keep ``max_length`` items from the start or the end, as the settings say."""
        limit = self.settings.max_length
        if limit is None or len(items) <= limit:
            return items
        return items[:limit] if self.settings.truncate == "start" else items[-limit:]

    def tokens(self, text: str) -> list[str]:
        """The tokens the model reads (after truncation)."""
        return self.truncate(self.settings.tokens(text))

    def ids(self, tokens: Iterable[str]) -> np.ndarray:
        get = self.index.get
        return np.fromiter((get(t, OOV_ID) for t in tokens), dtype=np.int32)

    def encode(self, text: str) -> np.ndarray:
        return self.ids(self.tokens(text))


def build_vocabulary(token_lists: Iterable[Sequence[str]], max_size: int) -> list[str]:
    """Most frequent tokens first, ties broken alphabetically, so the same corpus gives the same ids.

    ``max_size`` counts the padding and OOV entries, as ``TextVectorization(max_tokens=...)`` does.
    """
    from collections import Counter

    counts: Counter[str] = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    counts.pop(OOV, None)
    counts.pop(PAD, None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [PAD, OOV] + [token for token, _ in ranked[: max(0, max_size - 2)]]
