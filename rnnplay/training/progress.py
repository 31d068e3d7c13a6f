"""Typed progress events a training job sends to whoever shows it (Rich bar, Textual screen, tests).

Kept free of TensorFlow so front ends can import them at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from rnnplay.errors import Cancelled


@dataclass(frozen=True)
class Phase:
    """A step before or after the epochs (loading, tokenizing, evaluating, saving)."""

    text: str


@dataclass(frozen=True)
class EpochStart:
    epoch: int  # 1-based
    epochs: int
    steps: int  # batches (or compiled calls, for word vectors) in this epoch


@dataclass(frozen=True)
class BatchEnd:
    epoch: int
    step: int  # 1-based
    steps: int
    loss: float  # running mean over the epoch so far
    accuracy: float


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    epochs: int
    loss: float
    accuracy: float
    val_loss: float
    val_accuracy: float
    seconds: float
    best: bool  # the best validation accuracy so far


@dataclass(frozen=True)
class VectorsProgress:
    """Word vectors after one compiled call (tens of thousands of windows)."""

    epoch: int
    epochs: int
    step: int
    steps: int
    loss: float  # mean negative-sampling loss per window, this epoch so far
    words_per_second: float  # windows (centre words after subsampling) per second, this epoch
    learning_rate: float


@dataclass(frozen=True)
class VectorsEpochEnd:
    epoch: int
    epochs: int
    loss: float
    words: int  # windows trained this epoch
    seconds: float


Event = Union[Phase, EpochStart, BatchEnd, EpochEnd, VectorsProgress, VectorsEpochEnd]
Listener = Callable[[Event], None]


def ignore(_: Event) -> None:
    """A listener for callers that do not show progress."""


def stop_if_asked(should_stop: Callable[[], bool]) -> None:
    """Training's cancel point: nothing has been saved yet, and nothing will be."""
    if should_stop():
        raise Cancelled("training cancelled; nothing was saved")
