"""Every size rnnplay accepts, in one table: command-line options, the TUI's form, and model cards.

A bound here is what a playground on a laptop can train or load in memory, not what the maths allows.
Options and cards share the table, so a card can never declare a model that training would have
refused, and a hostile card cannot make the loader ask for terabytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rnnplay.errors import UsageError


@dataclass(frozen=True)
class Bound:
    """A range for a whole number (inclusive), or for a real one (``whole=False``; either end may be open)."""

    low: float
    high: float
    whole: bool = True
    exclusive_low: bool = False
    exclusive_high: bool = False
    zero: str = ""  # an option that also takes 0 for "none" (stored as None): what 0 means there

    def takes(self, value: float) -> bool:
        """Whether an option (a flag, a form's field) may be given this value: the range, or a meaningful 0."""
        return self.holds(value) or (bool(self.zero) and not isinstance(value, bool) and value == 0)

    def holds(self, value: float) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        if self.whole and not float(value).is_integer():
            return False
        above = value > self.low if self.exclusive_low else value >= self.low
        below = value < self.high if self.exclusive_high else value <= self.high
        return above and below

    def describe(self) -> str:
        if self.whole:
            return f"a whole number from {_number(self.low)} to {_number(self.high)}"
        low = f"above {_number(self.low)}" if self.exclusive_low else f"at least {_number(self.low)}"
        high = f"below {_number(self.high)}" if self.exclusive_high else f"at most {_number(self.high)}"
        return f"a number {low} and {high}"

    def describe_option(self) -> str:
        """What an option accepts, in words: ``describe()``, and what 0 means when it takes 0."""
        return f"{self.describe()}, or 0 for {self.zero}" if self.zero else self.describe()


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


# --- a classifier (training options and card architecture) ---------------------------------------
CLASSIFIER = {
    "layers": Bound(1, 8),
    "units": Bound(1, 1024),
    "embedding_dim": Bound(1, 1024),
    "vocab_size": Bound(3, 1_000_000),  # including the padding and [UNK] entries
    "max_length": Bound(1, 100_000, zero="whole texts"),  # tokens kept per text (None keeps all)
    "dense_units": Bound(0, 4096),
    "dropout": Bound(0, 1, whole=False, exclusive_high=True),
    "batch_size": Bound(1, 8192),
    "learning_rate": Bound(0, 10, whole=False, exclusive_low=True),
    "epochs": Bound(1, 1000),
    "seed": Bound(0, 2**32 - 1),
    "label_smoothing": Bound(0, 1, whole=False, exclusive_high=True),
    "embedding_dropout": Bound(0, 1, whole=False, exclusive_high=True),
    "cut_sentences": Bound(0, 100),
}
HEAD_LAYERS = Bound(1, 8)  # Dense layers after the recurrent stack, the last one included
MAX_PARAMETERS = 50_000_000  # 200 MB of float32, and four times that while Adam trains

# --- word vectors (CBOW options, and any vectors card) -------------------------------------------
CBOW = {
    "dimension": Bound(1, 1024),
    "window": Bound(1, 50),
    "min_count": Bound(1, 1_000_000_000),
    "sample": Bound(0, 1, whole=False, exclusive_high=True),
    "negative": Bound(1, 100),
    "epochs": Bound(1, 1000),
    "alpha": Bound(0, 10, whole=False, exclusive_low=True),
    "min_alpha": Bound(0, 10, whole=False, exclusive_low=True),
    "batch_size": Bound(1, 65_536),
    "workers": Bound(1, 64),
    "max_vocab": Bound(2, 5_000_000),
    "seed": Bound(0, 2**32 - 1),
}
VECTORS = {
    "vocab_size": Bound(1, 5_000_000),
    "dimension": Bound(1, 4096),
    "window": Bound(1, 50),
    "negative": Bound(1, 100),
}
MAX_VECTOR_VALUES = 400_000_000  # words × dimension: 1.6 GB of float32 (GoogleNews' 3M × 300 needs a limit)

# --- the Memory lab's race (rnnplay race, :race, the Lab tab) -----------------------------------
RACE = {
    "length": Bound(2, 2_000),  # steps per sequence (temporal order needs 10)
    "sequences": Bound(10, 200_000),  # training and test together (a fifth is the test set)
    "units": Bound(1, 512),
    "embedding_dim": Bound(1, 256),
    "epochs": Bound(1, 500),
    "seeds": Bound(1, 20),
    "seed": Bound(0, 2**31 - 1),
    "batch_size": Bound(1, 8192),
    "learning_rate": Bound(0, 10, whole=False, exclusive_low=True),
    "clipnorm": Bound(0, 1000, whole=False, exclusive_low=True, zero="no clipping"),
}
MAX_RACE_BYTES = 16 << 20  # a saved race: 20 seeds × 4 cells × 500 epochs of scores and two 2,000-step decay curves each fit
MAX_RACES_LISTED = 1_000  # saved races read for the history, newest first
# --- the tiny CBOW trainer (rnnplay cbow step, the Words tab's stepper) ----------------------------
# Small enough that every weight fits on a screen as a heatmap cell.
TINY_CBOW = {
    "hidden": Bound(1, 32),
    "window": Bound(1, 10),
    "learning_rate": Bound(0, 10, whole=False, exclusive_low=True),
    "seed": Bound(0, 2**32 - 1),
    "steps": Bound(0, 100_000),
}
MAX_TINY_LINES = 200  # lines of the tiny corpus
MAX_TINY_VOCABULARY = 60  # distinct words: one heatmap row each
MAX_TINY_LINE_BYTES = 1_000  # one line of a --lines file

# --- classify (command-line options) ------------------------------------------------------------
# A batch holds at most batch_size lines of at most max_line_bytes each.
CLASSIFY_OPTIONS = {
    "batch_size": Bound(1, 8192),
    "max_line_bytes": Bound(1, 1 << 26),  # 64 MiB; a whole novel is about 1 MB
}
BATCH_BYTES = 1 << 26  # a batch also ends once its lines hold this much, whatever batch_size × max_line_bytes allows
MISTAKES_LISTED = 1_000  # misclassified reviews listed at most (--limit, :errors N, the TUI's errors view)

# --- files ----------------------------------------------------------------------------------------
MAX_CARD_BYTES = 1 << 20  # a card with a long training history is about 10 KB
MAX_DEVICES = 64  # devices a card says a model trained on (training.devices)
MAX_DEVICE_NAME = 200  # one device's name ("/job:worker/replica:0/task:12/device:GPU:7" is 43), or a strategy's class name
MAX_TOKEN_BYTES = 1_000  # one vocabulary token (a URL-sized word at most)
# A corpus is read into memory (a file, a pipe or a folder's files together): 15 times the built-in
# IMDB CSV (33 MB), 5 times text8. Tokenized for CBOW, text takes about 10 times its size in memory,
# so this is already 5 GB; the old 2 GiB would have been 20.
MAX_CORPUS_BYTES = 512 << 20
MAX_CORPUS_TEXTS = 5_000_000  # rows, lines or files; Amazon's 3.6 M polarity reviews fit
MAX_TEXT_CHARS = 10_000_000  # one text (a field, a JSON line, a folder's file); IMDB's longest is 14 K
# A corpus streamed from disk (``rnnplay train --stream``) holds 11 bytes a text in memory, not its texts
# (corpus_stream.py): 20 M texts are 220 MB of index; 64 GiB is far past what an epoch on a laptop reads.
MAX_STREAMED_BYTES = 64 << 30
MAX_STREAMED_TEXTS = 20_000_000
MIN_TRAINING_TEXTS = 10  # texts with a word; a seeded 70/10/20 split leaves validation empty below 6
MAX_NAME_BYTES = 200  # a model name: the file system allows 255 bytes, a save adds a prefix and a suffix
MAX_PROFILE_BYTES = 8 << 20  # a cached corpus profile (model_profile); the largest model a card allows needs about 1.5 MB

# --- files users bring to import or evaluate ------------------------------------------------------
# word2vec: every line or record is bounded by what the header declares (a word and DIMENSION numbers).
MAX_WORD2VEC_WORD_BYTES = 10_000  # a record's word (word2vec.c's own limit is 100); longer is not a word2vec record
MAX_NUMBER_CHARS = 64  # one text value with the whitespace before it ("%.9g" writes at most 15 characters)
MAX_HEADER_BYTES = 100  # the "WORDS DIMENSION" line
# .keras: a model rnnplay can run is at most MAX_PARAMETERS float32 weights (200 MB); saved after training,
# Adam's two moments triple that; an encoder's vocabulary (1M tokens) and a JSON config come on top.
KERAS_EXTRA_BYTES = 256 << 20


def keras_bytes(weight_bytes: int) -> int:
    """The most a ``.keras`` file of a model with these weights can hold: the weights, Adam's state, the rest.

    ``rnnplay import`` bounds a user's file with it before unpacking, and loading a saved model bounds
    its ``model.keras`` with it before hashing."""
    return 3 * weight_bytes + KERAS_EXTRA_BYTES


MAX_KERAS_BYTES = keras_bytes(4 * MAX_PARAMETERS)  # all members, uncompressed, as the zip declares them
MAX_KERAS_CONFIG_BYTES = 64 << 20  # config.json or metadata.json, parsed whole by Keras (the tutorial's: 10 KB)
MAX_KERAS_MEMBERS = 1_000  # Keras writes a config, metadata, the weights and a few assets
MAX_ZIP_DIRECTORY_BYTES = 1 << 20  # the central directory (read whole by zipfile): about 100 bytes per member
MAX_ZIP_RATIO = 100  # uncompressed / compressed size of a member above ZIP_RATIO_FLOOR (Keras' own bomb guard)
ZIP_RATIO_FLOOR = 1 << 20  # smaller members may compress as well as they like
# Evaluation data (WordSim-353, SimLex-999, questions-words.txt: 19,544 questions in 600 KB).
MAX_EVAL_LINE_BYTES = 4 * MAX_TOKEN_BYTES + 100  # four words and a score, or a section name
MAX_EVAL_BYTES = 64 << 20
MAX_EVAL_ITEMS = 1_000_000  # pairs or questions in one file


def check(name: str, value: float | None, bounds: dict[str, Bound], flag: str | None = None) -> str | None:
    """The problem with one option's value, or None; ``None`` values (not given) pass."""
    if value is None:
        return None
    bound = bounds[name]
    if not bound.holds(value):  # an option's 0 for "none" is None by now (the config turns it into None)
        return f"{flag or '--' + name.replace('_', '-')} must be {bound.describe_option()}, not {value!r}"
    return None


def require(problems: list[str | None]) -> None:
    """Raise one UsageError that lists every problem found (nothing when all are None)."""
    found = [p for p in problems if p]
    if found:
        raise UsageError("; ".join(found))
