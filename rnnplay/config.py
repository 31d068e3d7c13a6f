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
optional ReLU layer and a single logit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from rnnplay.errors import UsageError


@dataclass(frozen=True)
class ClassifierConfig:
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

    def check(self) -> "ClassifierConfig":
        """Reject values that cannot train, with the flag to fix."""
        problems = []
        if self.cell not in ("lstm", "gru", "rnn"):
            problems.append(f"--cell must be lstm, gru or rnn, not {self.cell!r}")
        if self.truncate not in ("start", "end"):
            problems.append("--truncate must be start or end")
        for name in ("layers", "units", "embedding_dim", "batch_size", "epochs"):
            if getattr(self, name) < 1:
                problems.append(f"--{name.replace('_', '-')} must be at least 1")
        if self.vocab_size < 3:
            problems.append("--vocab-size must be at least 3 (padding, OOV and one word)")
        if self.max_length is not None and self.max_length < 1:
            problems.append("--max-length must be at least 1 (or 0 for no limit)")
        if self.dense_units < 0:
            problems.append("--dense-units must be 0 or more")
        if not 0.0 <= self.dropout < 1.0:
            problems.append("--dropout must be in [0, 1)")
        if not self.learning_rate > 0:
            problems.append("--learning-rate must be positive")
        if problems:
            raise UsageError("; ".join(problems))
        return self

    def with_overrides(self, **overrides: Any) -> "ClassifierConfig":
        """Apply the command-line flags that were given (``None`` means not given)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if given.get("max_length") == 0:
            given["max_length"] = None
        return replace(self, **given).check()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClassifierConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


PRESETS: dict[str, tuple[ClassifierConfig, str]] = {
    "default": (
        ClassifierConfig(),
        "fast on a CPU: vocab 10k, BiLSTM 32, last 300 tokens, dropout 0.5, best of 3 epochs on validation",
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

    def check(self) -> "CbowConfig":
        problems = []
        for name in ("dimension", "window", "min_count", "negative", "epochs", "batch_size", "workers"):
            if getattr(self, name) < 1:
                problems.append(f"--{name.replace('_', '-')} must be at least 1")
        if not 0.0 <= self.sample < 1.0:
            problems.append("--sample must be in [0, 1)")
        if not 0 < self.min_alpha <= self.alpha:
            problems.append("--alpha must be positive and at least --min-alpha")
        if self.max_vocab is not None and self.max_vocab < 2:
            problems.append("--max-vocab must be at least 2")
        if problems:
            raise UsageError("; ".join(problems))
        return self

    def with_overrides(self, **overrides: Any) -> "CbowConfig":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None}).check()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
