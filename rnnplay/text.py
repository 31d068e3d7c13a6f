"""Standardize and tokenize text exactly as Keras ``TextVectorization`` does, without TensorFlow.

Training and the NumPy runtime share this module, so a word gets the same id in both worlds.
Keras' default standardization (``lower_and_strip_punctuation``) lowercases ASCII letters only
(``tf.strings.lower``), deletes ASCII punctuation with a regex, and ``tf.strings.split`` splits on
ASCII whitespace only (a no-break space stays inside a token). We reproduce each step; a test checks
the ids against the Keras layer on all 33,530 built-in texts.

IMDB reviews carry ``<br />`` markup, which Keras would turn into the token ``br``. Our own models
strip it first (``strip_markup``); a model imported from the tutorial keeps Keras' behaviour.

``standardize`` is a list of ``Operation`` s run in order, and ``standardization_steps`` runs the same
list one operation at a time, keeping each result: what the Play tab and ``:tokens`` show a learner is
the standardizer itself, taken apart, not a description of it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Sequence

import numpy as np

PAD, OOV = "", "[UNK]"
OOV_ID = 1  # the id of every word the vocabulary does not have
STANDARDIZERS = ("lower_and_strip_punctuation", "lower", "strip_punctuation", "none")
Standardize = Literal["lower_and_strip_punctuation", "lower", "strip_punctuation", "none"]
Truncate = Literal["start", "end"]

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_MARKUP = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACES = " \t\n\r\x0b\x0c"  # what ``tf.strings.split`` splits on: ASCII whitespace only
_TOKEN = re.compile(r"[^ \t\n\r\x0b\x0c]+")


@dataclass(frozen=True)
class Operation:
    """One thing the standardizer does to the whole text; ``standardize`` runs them in order."""

    name: str  # what the Play tab and ``:tokens`` call the step
    rule: str  # what it does, in a few words
    run: Callable[[str], str]
    # For an operation that maps each character on its own and never makes or removes whitespace (so each word
    # changes alone): the characters it changes. None for one that works across words.
    per_word: re.Pattern[str] | None


MARKUP = Operation("<br />", "<br /> becomes a space", lambda text: _MARKUP.sub(" ", text), None)
LOWER = Operation("lower-case", "A-Z become a-z; other letters stay", lambda text: text.translate(_ASCII_LOWER),
                  re.compile("[A-Z]"))
PUNCTUATION = Operation("punctuation", "ASCII punctuation is deleted", lambda text: text.translate(_NO_PUNCTUATION),
                        re.compile(f"[{re.escape(string.punctuation)}]"))


def operations(mode: Standardize = "lower_and_strip_punctuation", strip_markup: bool = True) -> tuple[Operation, ...]:
    """What ``standardize`` does with these settings, in the order it does it."""
    return ((MARKUP,) * strip_markup + (LOWER,) * (mode in ("lower", "lower_and_strip_punctuation"))
            + (PUNCTUATION,) * (mode in ("strip_punctuation", "lower_and_strip_punctuation")))


def standardize(text: str, mode: Standardize = "lower_and_strip_punctuation", strip_markup: bool = True) -> str:
    """Return the text as the Keras layer sees it just before splitting."""
    for operation in operations(mode, strip_markup):
        text = operation.run(text)
    return text


def tokenize(text: str, mode: Standardize = "lower_and_strip_punctuation", strip_markup: bool = True) -> list[str]:
    """Split standardized text on ASCII whitespace, as ``tf.strings.split`` does."""
    return _TOKEN.findall(standardize(text, mode, strip_markup))


Change = tuple[str, str]  # (the words as they were, what the step made of them; '' when they went)


@dataclass(frozen=True)
class Step:
    """One operation of the standardizer applied to the text: what it got, what it gave, which words it changed."""

    operation: Operation
    before: str
    after: str
    changes: tuple[Change, ...]  # in text order

    @property
    def name(self) -> str:
        return self.operation.name

    @property
    def tokens(self) -> list[str]:
        """The text after this step split as ``tokenize`` splits it."""
        return _TOKEN.findall(self.after)


def standardization_steps(settings: TextSettings, text: str) -> list[Step]:
    """The operations ``settings.tokens`` runs, run one by one on ``text``; the last step's ``tokens`` are
    ``settings.tokens(text)`` (with no operation at all, the list is empty and the text is split as it is)."""
    steps = []
    for operation in operations(settings.standardize, settings.strip_markup):
        after = operation.run(text)
        steps.append(Step(operation, text, after, changes(operation, text)))
        text = after
    return steps


def changes(operation: Operation, text: str) -> tuple[Change, ...]:
    """The words ``operation`` changes in ``text``, each with what it makes of them.

    A per-word operation changes each word on its own. Markup can hold spaces (``<br />``) and glue words
    (``good.<br />Then``), so its change is the whole run of text around each match, between whitespace.
    """
    if operation.per_word is not None:
        touched = operation.per_word.search
        return tuple((word, operation.run(word)) for word in _TOKEN.findall(text) if touched(word))
    spans: list[list[int]] = []  # each character is looked at once: a word of 100,000 "<br>" is one run
    for match in _MARKUP.finditer(text):
        start, end = match.start(), match.end()
        seen = spans[-1][1] if spans else 0  # where the last run ended
        if end <= seen:
            continue  # inside the last run
        if start >= seen:
            while start > seen and text[start - 1] not in _SPACES:
                start -= 1
        while end < len(text) and text[end] not in _SPACES:
            end += 1
        if spans and start <= seen:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return tuple((text[start:end], " ".join(_TOKEN.findall(operation.run(text[start:end])))) for start, end in spans)


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
        return self.cut(items)[0]

    def cut(self, items: list) -> tuple[list, list]:
        """``(kept, dropped)``: the ``max_length`` items the model reads and the ones it never sees, each in text order."""
        limit = self.settings.max_length
        if limit is None or len(items) <= limit:
            return items, []
        return (items[:limit], items[limit:]) if self.settings.truncate == "start" else (items[-limit:], items[:-limit])

    def tokens(self, text: str) -> list[str]:
        """The tokens the model reads (after truncation)."""
        return self.truncate(self.settings.tokens(text))

    def ids(self, tokens: Iterable[str]) -> np.ndarray:
        get = self.index.get
        return np.fromiter((get(t, OOV_ID) for t in tokens), dtype=np.int32)

    def encode(self, text: str) -> np.ndarray:
        return self.ids(self.tokens(text))

    def trace(self, text: str) -> Encoding:
        """Every stage from ``text`` to the ids ``encode`` returns, for the front ends that show the encoder at work."""
        steps = standardization_steps(self.settings, text)
        tokens = steps[-1].tokens if steps else _TOKEN.findall(text)
        kept, dropped = self.cut(tokens)
        return Encoding(steps, tokens, kept, dropped, self.ids(kept))


@dataclass(frozen=True)
class Encoding:
    """A text on its way to ids: the standardization steps, the tokens, what truncation kept and dropped."""

    steps: list[Step]
    tokens: list[str]  # every token of the text
    kept: list[str]  # the tokens the model reads (``max_length`` of them at most)
    dropped: list[str]  # the tokens truncation cut off, in text order
    ids: np.ndarray  # the kept tokens' ids: what ``Encoder.encode`` returns


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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str, strip_markup: bool = True) -> list[str]:
    """A text's sentences, for the places that cut reviews into short pieces (the memory probe, training's
    cut sentences): a sentence ends at . ! or ? followed by white space; ``<br />`` is a break first (the
    standardizer's own markup step) unless ``strip_markup`` is off."""
    plain = MARKUP.run(text) if strip_markup else text
    return [part for part in _SENTENCE_END.split(plain) if part.strip()]
