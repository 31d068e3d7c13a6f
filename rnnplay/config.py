"""What a classifier is and how it is trained, in one dataclass, and the named presets.

Model families (``cell``), in the order they were invented:

- ``rnn`` (SimpleRNN): ``h = tanh(x W + h U + b)``. One state vector; gradients through many steps
  shrink or blow up geometrically, so it forgets what it read a few dozen words ago.
- ``lstm``: adds a cell state ``c`` that is carried forward by a forget gate and written through an
  input gate, so gradients can pass many steps almost unchanged: long short-term memory.
- ``gru``: the LSTM's idea with two gates and no separate cell; a little cheaper, often as good.

``bidirectional`` runs a second copy from the end of the text backwards and joins both final states:
better for classifying whole texts, but it cannot stream, because its first output needs the last word.
``layers`` stacks recurrent layers (each reads the sequence of states below it). The head is one
optional ReLU layer and a single logit. ``pooling`` says what the head reads of the last layer: its
final state (``last``, the tutorial's way), or the maximum or the mean of its states over every word
(``max``, ``mean``; padding never counts), so a word early in a long review reaches the head directly
instead of through hundreds of steps.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from rnnplay import limits
from rnnplay.errors import UsageError


@dataclass(frozen=True)
class ClassifierConfig:
    """Defaults are the first shipped recipe and stay so: a card written before a field existed is read with
    the field's default (``from_dict``), which must mean "not used". The ``default`` preset is in ``PRESETS``."""

    cell: Literal["lstm", "gru", "rnn"] = "lstm"
    bidirectional: bool = True
    layers: int = 1  # stacked recurrent layers
    units: int = 32  # per direction
    embedding_dim: int = 64
    vocab_size: int = 10_000  # including the padding and OOV entries
    max_length: int | None = 300  # tokens kept per review; None keeps all (slow: batches pad to the longest)
    truncate: Literal["start", "end"] = "end"  # which part of a long review to keep
    dense_units: int = 64  # hidden ReLU layer in the head; 0 for none
    dropout: float = 0.5  # on the recurrent output, while training only
    batch_size: int = 128
    learning_rate: float = 1e-3  # Adam
    epochs: int = 3
    restore_best: bool = True  # keep the epoch with the best validation accuracy
    strip_markup: bool = True  # turn IMDB's <br /> into spaces before tokenizing
    seed: int = 0  # split, initial weights, shuffling
    init_embeddings: str | None = None  # word vectors (a vectors model) to start the embedding from
    pooling: Literal["last", "max", "mean"] = "last"  # what the head reads of the last layer's states
    schedule: Literal["constant", "cosine"] = "constant"  # the learning rate over the run (cosine: to 0 at the end)
    label_smoothing: float = 0.0  # targets pulled this far towards 1/2 (0 keeps them 0 and 1)
    embedding_dropout: float = 0.0  # whole word vectors dropped while training (SpatialDropout1D)
    bucket: bool = False  # pad each batch to its longest text (in steps of 32) instead of to max_length
    cut_sentences: int = 0  # sentences cut from each training text and added to training, with its label (0: none)

    def check(self) -> ClassifierConfig:
        """Reject values that cannot train, or that no playground machine could hold, with the flag to fix."""
        problems: list[str | None] = []
        if self.cell not in ("lstm", "gru", "rnn"):
            problems.append(f"--cell must be lstm, gru or rnn, not {self.cell!r}")
        if self.truncate not in ("start", "end"):
            problems.append(f"--truncate must be start or end, not {self.truncate!r}")
        if self.pooling not in ("last", "max", "mean"):
            problems.append(f"--pooling must be last, max or mean, not {self.pooling!r}")
        if self.schedule not in ("constant", "cosine"):
            problems.append(f"--schedule must be constant or cosine, not {self.schedule!r}")
        for name in ("layers", "units", "embedding_dim", "vocab_size", "max_length", "dense_units", "dropout",
                     "batch_size", "learning_rate", "epochs", "seed", "label_smoothing", "embedding_dropout", "cut_sentences"):
            problems.append(limits.check(name, getattr(self, name), limits.CLASSIFIER))
        limits.require(problems)
        if (count := self.parameters()) > limits.MAX_PARAMETERS:
            raise UsageError(f"this model would have {count:,} parameters, more than the {limits.MAX_PARAMETERS:,} "
                             "rnnplay trains; lower --vocab-size, --embedding-dim, --units or --layers")
        return self

    def parameters(self) -> int:
        """How many weights the model has (as Keras' ``count_params``), before building it."""
        gates = {"lstm": 4, "gru": 3, "rnn": 1}[self.cell]
        directions = 2 if self.bidirectional else 1
        count, width = self.vocab_size * self.embedding_dim, self.embedding_dim
        for _ in range(self.layers):
            bias = (2 if self.cell == "gru" else 1) * gates * self.units
            count += directions * (width * gates * self.units + self.units * gates * self.units + bias)
            width = directions * self.units
        for units in ([self.dense_units] if self.dense_units else []) + [1]:
            count += width * units + units
            width = units
        return count

    def with_overrides(self, **overrides: Any) -> ClassifierConfig:
        """Apply the command-line flags that were given (``None`` means not given)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if given.get("max_length") == 0:
            given["max_length"] = None
        return replace(self, **given).check()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClassifierConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# The default preset's start vectors (not the Words tab's, commands.common.DEFAULT_VECTORS): CBOW vectors of
# the reviews corpus's training split (seed 0), shipped in saved/; README says how they are made.
# ``--init-embeddings none`` trains the default preset from random vectors instead.
START_VECTORS = "reviews-cbow"
NO_VECTORS = "none"

PRESETS: dict[str, tuple[ClassifierConfig, str]] = {
    # The best row on validation of issue 15's search (benchmarks/default_search.py, row r4-ep4): 64 to
    # 94 s of training on 2 cores for the reviews corpus (the same command, three runs). Its embedding starts from the shipped reviews-cbow vectors.
    "default": (
        ClassifierConfig(vocab_size=20_000, epochs=4, bucket=True, init_embeddings=START_VECTORS),
        f"fast on a CPU: vocab 20k, embedding from {START_VECTORS} (CBOW), BiLSTM 32, last 300 tokens, "
        "dropout 0.5, best of 4 epochs on validation",
    ),
    "tutorial": (
        ClassifierConfig(
            cell="lstm", bidirectional=True, layers=1, units=64, embedding_dim=64, vocab_size=1000,
            max_length=None, truncate="start", dense_units=64, dropout=0.0, batch_size=64,
            learning_rate=1e-4, epochs=10, restore_best=False, strip_markup=False,
        ),
        "TensorFlow's 'Text classification with an RNN': vocab 1000, BiLSTM 64, Adam 1e-4, 10 epochs",
    ),
}


def preset(name: str) -> ClassifierConfig:
    if name not in PRESETS:
        raise UsageError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}")
    return PRESETS[name][0]


@dataclass(frozen=True)
class CbowConfig:
    """Continuous Bag-of-Words as word2vec defines it, with gensim's defaults.

    Each word is guessed from the mean of the vectors of up to ``window`` words on each side (the
    window is shrunk at random, so near words count more), against ``negative`` noise words drawn
    from the unigram distribution raised to 0.75. Frequent words are dropped at random (``sample``),
    and the learning rate falls linearly from ``alpha`` to ``min_alpha`` over the whole run.
    """

    dimension: int = 100  # vector_size
    window: int = 5
    min_count: int = 5  # rarer words are left out of the vocabulary (and out of the windows)
    sample: float = 1e-3  # 0 keeps every word
    negative: int = 5
    epochs: int = 5
    alpha: float = 0.025
    min_alpha: float = 0.0001
    batch_size: int = 256  # windows per sparse update; steps run in compiled chunks
    workers: int = 2  # threads, each on its own share of the text; their updates are summed
    max_vocab: int | None = None  # keep only the most frequent words
    strip_markup: bool = True
    seed: int = 0

    def check(self) -> CbowConfig:
        problems: list[str | None] = [
            limits.check(name, getattr(self, name), limits.CBOW)
            for name in ("dimension", "window", "min_count", "sample", "negative", "epochs", "alpha", "min_alpha",
                         "batch_size", "workers", "max_vocab", "seed")
        ]
        if not problems[6] and not problems[7] and self.min_alpha > self.alpha:
            problems.append(f"--min-alpha ({self.min_alpha:g}) must not be above --alpha ({self.alpha:g})")
        limits.require(problems)
        return self

    def with_overrides(self, **overrides: Any) -> CbowConfig:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None}).check()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
