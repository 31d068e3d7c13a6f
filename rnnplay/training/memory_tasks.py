"""The Memory lab's synthetic tasks, generated from a seed (nothing downloaded), NumPy only.

Each task asks a recurrent model to carry something across T steps, so the distance a cell can
remember over is what its score measures:

- **first** ("the first token decides"): the label is the first token (0 or 1); the other T − 1 tokens
  are noise drawn from the same vocabulary, so only the position tells the first token apart.
- **adding** (Hochreiter & Schmidhuber 1997, experiment 4): each step is a pair (value, marker); two
  steps are marked, one in each half of the sequence (as in Le et al. 2015 and Arjovsky et al. 2016);
  values U(0, 1) and the target X1 + X2 (``scaled=False``), or values U(−1, 1) and the target
  0.5 + (X1 + X2)/4 as in the 1997 paper (``scaled=True``). Scored by MSE and by the share of
  predictions within 0.04 of the target (the paper's criterion), beside the predict-the-mean baseline.
- **order** (temporal order, Hochreiter 1997; the generator of Pascanu et al.'s trainingRNNs): six
  symbols, A = 0 and B = 1 marked, c–f = 2–5 noise. One of A/B at a position in [T/10, 2T/10), one in
  [5T/10, 6T/10); the class is v0 + 2·v1 (AA, BA, AB, BB).

Token tasks give ids (n, T) for an Embedding; the adding problem gives floats (n, T, 2) read directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TASKS = ("first", "adding", "order")
FIRST_VOCAB = 10  # tokens 0…9: 0 and 1 are the labels when first, every token is noise after it
ORDER_VOCAB = 6  # A, B, c, d, e, f
ORDER_CLASSES = 4
ADDING_TOLERANCE = 0.04  # a prediction this close to the target counts as right (Hochreiter 1997)
MIN_LENGTH = {"first": 2, "adding": 2, "order": 10}  # order needs [T/10, 2T/10) to hold a position


@dataclass(frozen=True)
class TaskData:
    """Inputs and targets of one task; ``kind`` says how to score them."""

    task: str
    inputs: np.ndarray  # (n, T) int32 token ids, or (n, T, 2) float32 for the adding problem
    targets: np.ndarray  # (n,) int32 classes, or float32 values for the adding problem

    @property
    def kind(self) -> str:
        """"binary", "classes" or "regression": the loss and the score the race uses."""
        return {"first": "binary", "order": "classes", "adding": "regression"}[self.task]

    @property
    def vocab(self) -> int:
        """Token ids run from 0 to vocab − 1 (0 for the adding problem, whose inputs are not tokens)."""
        return {"first": FIRST_VOCAB, "order": ORDER_VOCAB, "adding": 0}[self.task]

    @property
    def classes(self) -> int:
        return {"first": 2, "order": ORDER_CLASSES, "adding": 0}[self.task]

    def __len__(self) -> int:
        return len(self.targets)


def generate(task: str, count: int, length: int, seed: int, *, scaled: bool = False) -> TaskData:
    """``count`` sequences of ``length`` steps of ``task``, the same for the same arguments."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; the tasks are {', '.join(TASKS)}")
    if length < MIN_LENGTH[task]:
        raise ValueError(f"the {task} task needs sequences of at least {MIN_LENGTH[task]} steps")
    if count < 1:
        raise ValueError("a task needs at least one sequence")
    rng = np.random.default_rng(seed)
    if task == "first":
        return first_token(rng, count, length)
    if task == "adding":
        return adding(rng, count, length, scaled)
    return temporal_order(rng, count, length)


def first_token(rng: np.random.Generator, count: int, length: int) -> TaskData:
    ids = rng.integers(0, FIRST_VOCAB, size=(count, length), dtype=np.int32)
    labels = rng.integers(0, 2, size=count, dtype=np.int32)
    ids[:, 0] = labels
    return TaskData("first", ids, labels)


def adding(rng: np.random.Generator, count: int, length: int, scaled: bool = False) -> TaskData:
    half = length // 2
    low = -1.0 if scaled else 0.0
    values = rng.uniform(low, 1.0, size=(count, length))
    first = rng.integers(0, half, size=count)
    second = rng.integers(half, length, size=count)
    markers = np.zeros((count, length))
    rows = np.arange(count)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    total = values[rows, first] + values[rows, second]
    targets = 0.5 + total / 4.0 if scaled else total
    inputs = np.stack([values, markers], axis=-1).astype(np.float32)
    return TaskData("adding", inputs, targets.astype(np.float32))


def temporal_order(rng: np.random.Generator, count: int, length: int) -> TaskData:
    tenth = int(length * 0.1)
    p0 = rng.integers(0, tenth, size=count) + tenth
    v0 = rng.integers(0, 2, size=count)
    p1 = rng.integers(0, tenth, size=count) + int(length * 0.5)
    v1 = rng.integers(0, 2, size=count)
    ids = (rng.integers(0, 4, size=(count, length)) + 2).astype(np.int32)
    rows = np.arange(count)
    ids[rows, p0] = v0
    ids[rows, p1] = v1
    return TaskData("order", ids, (v0 + 2 * v1).astype(np.int32))


def swap_decisive(data: TaskData) -> np.ndarray | None:
    """The inputs with the decisive token swapped (A ↔ B, 0 ↔ 1), which swaps the right answer: the first token of
    *first*, the earlier marked symbol of *order*. None for the adding problem, whose answer moves continuously.

    A model that remembers the decisive token changes its answer on every sequence, however small its gradient
    with respect to that token: the measure of influence that sits beside the gradient-over-distance one.
    """
    if data.task == "adding":
        return None
    swapped = data.inputs.copy()
    rows = np.arange(len(swapped))
    column = np.zeros(len(swapped), dtype=np.intp) if data.task == "first" else np.argmax(swapped < 2, axis=1)
    swapped[rows, column] = 1 - swapped[rows, column]
    return swapped


def split(task: str, count: int, length: int, seed: int, test_share: float = 0.2, *, scaled: bool = False) -> tuple[TaskData, TaskData]:
    """Training and test sequences drawn independently (the test set from a seed of its own)."""
    tests = max(1, round(count * test_share))
    train = generate(task, max(1, count - tests), length, seed, scaled=scaled)
    test = generate(task, tests, length, seed + 1_000_003, scaled=scaled)
    return train, test


def mean_baseline(train: TaskData, test: TaskData) -> float:
    """The MSE on ``test`` of always predicting the training targets' mean: what "learned nothing" scores."""
    return float(np.mean((test.targets.astype(np.float64) - float(np.mean(train.targets))) ** 2))


def chance(train: TaskData, test: TaskData) -> float:
    """The accuracy on ``test`` of always answering the training set's most common class."""
    common = int(np.bincount(train.targets).argmax())
    return float(np.mean(test.targets == common))


def within(predictions: np.ndarray, targets: np.ndarray, tolerance: float = ADDING_TOLERANCE) -> float:
    """The share of predictions within ``tolerance`` of their targets (the adding problem's accuracy)."""
    return float(np.mean(np.abs(np.asarray(predictions).reshape(-1) - np.asarray(targets).reshape(-1)) < tolerance))
