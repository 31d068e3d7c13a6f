"""The Memory lab's race as data: what to run (``RaceRequest``), what came out (``RaceResult``), the
progress events in between, and the saved runs in ``<user data>/races/``. No TensorFlow here, so the
front ends import it at start-up; ``rnnplay.training.race`` does the training.

A race trains one small model per cell and seed on a generated task (``memory_tasks``) and scores it on
held-out sequences after every epoch: accuracy for the token tasks, MSE for the adding problem (with
the share within 0.04 beside it). Beside the scores, each run keeps its gradient decay
(``runtime.decay``) at initialisation and after training. Every figure is measured in the run.

Saved runs are JSON, written atomically (a temporary file, then a rename) only when the race has
finished, so a cancelled race leaves nothing. ``$RNNPLAY_RACES_DIR`` overrides the folder. Files are
read back bounded (``limits.MAX_RACE_BYTES``) and checked field by field (``RaceResult.from_json``).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, Union

import numpy as np

from rnnplay import limits
from rnnplay.errors import RnnplayError, UsageError
from rnnplay.runtime.decay import GradientDecay, fit_decay
from rnnplay.store.reading import read_json
from rnnplay.training.memory_tasks import MIN_LENGTH, TASKS
from rnnplay.training.progress import Phase

RACE_FORMAT = 1
RACES_DIR_ENV = "RNNPLAY_RACES_DIR"
CELLS = ("rnn", "gru", "lstm", "bi-lstm")
CELL_NAMES = {"rnn": "SimpleRNN", "gru": "GRU", "lstm": "LSTM", "bi-lstm": "BiLSTM"}
OPTIMIZERS = ("adam", "rmsprop", "sgd")
INITIALIZERS = ("orthogonal", "glorot")  # the recurrent kernel's initialiser (Keras' default: orthogonal)
TASK_TITLES = {"first": "the first token decides", "adding": "the adding problem", "order": "temporal order"}


# --- the request -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceRequest:
    """One race's settings. The defaults are the default race: it ends within 2 minutes on 2 cores."""

    task: str = "first"
    length: int = 100
    cells: tuple[str, ...] = ("rnn", "gru", "lstm")
    epochs: int = 10
    seeds: int = 1
    seed: int = 0  # the first seed; the others follow it
    sequences: int = 4_000  # a fifth of them are the test set
    batch_size: int = 64
    units: int = 32
    embedding_dim: int = 16  # token tasks only: the adding problem reads its (value, marker) pairs directly
    learning_rate: float = 1e-3
    optimizer: str = "adam"
    forget_bias: bool = True  # Keras' unit_forget_bias: the LSTM forget gate's bias starts at 1
    initializer: str = "orthogonal"
    clipnorm: float | None = None  # clip each gradient's norm to this (None: no clipping)
    scaled: bool = False  # adding problem: 0.5 + (X1 + X2)/4 on values in (−1, 1), as in 1997

    def problems(self) -> list[str]:
        """Every way this request is wrong, one sentence each (none: it is fine)."""
        found: list[str | None] = []
        if self.task not in TASKS:
            found.append(f"--task must be one of {', '.join(TASKS)}, not {self.task!r}")
        elif limits.RACE["length"].holds(self.length) and self.length < MIN_LENGTH[self.task]:
            found.append(f"--length must be at least {MIN_LENGTH[self.task]} for the {self.task} task, not {self.length}")
        if not self.cells:
            found.append(f"--cells needs at least one of {', '.join(CELLS)}")
        unknown = [c for c in self.cells if c not in CELLS]
        if unknown:
            found.append(f"--cells takes {', '.join(CELLS)}, not {', '.join(map(repr, unknown))}")
        if len(set(self.cells)) != len(self.cells):
            found.append("--cells names a cell twice")
        if self.optimizer not in OPTIMIZERS:
            found.append(f"--optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}")
        if self.initializer not in INITIALIZERS:
            found.append(f"--initializer must be one of {', '.join(INITIALIZERS)}, not {self.initializer!r}")
        for name in ("length", "sequences", "units", "embedding_dim", "epochs", "seeds", "seed", "batch_size",
                     "learning_rate", "clipnorm"):
            found.append(limits.check(name, getattr(self, name), limits.RACE))
        if not isinstance(self.forget_bias, bool) or not isinstance(self.scaled, bool):
            found.append("forget_bias and scaled are true or false")
        return [p for p in found if p]

    def validated(self) -> RaceRequest:
        """This request, or a UsageError listing its problems."""
        problems = self.problems()
        if problems:
            raise UsageError("; ".join(problems))
        return self

    @property
    def seed_list(self) -> list[int]:
        return [self.seed + i for i in range(self.seeds)]

    @property
    def scored_by(self) -> str:
        """What each epoch's score is: "accuracy" (higher is better) or "MSE" (lower is better)."""
        return "MSE" if self.task == "adding" else "accuracy"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cells"] = list(self.cells)
        return data

    @classmethod
    def from_json(cls, data: Any) -> RaceRequest:
        if not isinstance(data, dict):
            raise ValueError("a race's request must be a JSON object")
        names = {f.name for f in fields(cls)}
        extra = set(data) - names
        if extra:
            raise ValueError(f"a race's request has unknown fields: {', '.join(sorted(extra))}")
        values = dict(data)
        if not isinstance(values.get("cells"), list) or not all(isinstance(c, str) for c in values["cells"]):
            raise ValueError("a race's cells must be a list of names")
        values["cells"] = tuple(values["cells"])
        for name in ("length", "epochs", "seeds", "seed", "sequences", "batch_size", "units", "embedding_dim"):
            if name in values and (isinstance(values[name], bool) or not isinstance(values[name], int)):
                raise ValueError(f"a race's {name} must be a whole number")
        for name in ("task", "optimizer", "initializer"):
            if name in values and not isinstance(values[name], str):
                raise ValueError(f"a race's {name} must be text")
        request = cls(**values)
        problems = request.problems()
        if problems:
            raise ValueError(problems[0])
        return request


# --- the result ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EpochScore:
    """One epoch of one run, scored on the held-out sequences."""

    epoch: int
    loss: float  # training loss, mean over the epoch
    score: float  # accuracy, or MSE for the adding problem
    accuracy: float  # accuracy; for the adding problem the share within 0.04 of the target
    seconds: float


@dataclass(frozen=True)
class CellRun:
    """One cell trained with one seed."""

    cell: str
    seed: int
    epochs: tuple[EpochScore, ...]
    seconds: float  # training and scoring, all epochs
    at_init: GradientDecay
    trained: GradientDecay
    parameters: int
    # the share of held-out answers that change when the decisive token is swapped, after training (None: adding)
    swapped: float | None = None

    @property
    def final(self) -> float:
        return self.epochs[-1].score if self.epochs else math.nan


@dataclass(frozen=True)
class Summary:
    """One cell's final score over the seeds: mean, sample standard deviation (0 for one seed), range."""

    cell: str
    mean: float
    spread: float
    low: float
    high: float
    seeds: int
    seconds: float  # mean training time per seed
    swapped: float | None = None  # mean share of answers changed by swapping the decisive token (None: adding)


@dataclass(frozen=True)
class RaceResult:
    """A finished race: its request, every run, the baseline and when and how long."""

    request: RaceRequest
    runs: tuple[CellRun, ...]
    baseline: float  # the adding problem's predict-the-mean MSE; the token tasks' majority-class accuracy (mean over seeds)
    started: str  # ISO 8601, UTC
    seconds: float  # the whole race, TensorFlow's start included
    versions: dict[str, str] = field(default_factory=dict)

    def runs_of(self, cell: str) -> list[CellRun]:
        return [r for r in self.runs if r.cell == cell]

    def score(self, cell: str, epoch: int) -> tuple[float, float, int]:
        """The mean and spread over the seeds of ``cell``'s score at ``epoch``, and how many seeds reached it."""
        return score_at((r.epochs for r in self.runs_of(cell)), epoch)

    def summary(self, cell: str) -> Summary:
        runs = self.runs_of(cell)
        swaps = [r.swapped for r in runs if r.swapped is not None]
        finals = [r.final for r in runs]
        mean, spread = mean_spread(finals)
        return Summary(cell, mean, spread, min(finals, default=math.nan), max(finals, default=math.nan), len(runs),
                       float(np.mean([r.seconds for r in runs])) if runs else math.nan,
                       _nanmean(swaps) if swaps else None)

    def decay(self, cell: str, trained: bool) -> GradientDecay | None:
        """The cell's mean decay curve over its seeds (norms averaged distance by distance, the decay refitted)."""
        curves = [(r.trained if trained else r.at_init).norms for r in self.runs_of(cell)]
        if not curves:
            return None
        norms = np.mean(np.asarray(curves), axis=0)
        return GradientDecay(tuple(float(n) for n in norms), fit_decay(norms))

    @property
    def name(self) -> str:
        """The file name it is saved under: when, the task and the length."""
        stamp = self.started.replace("-", "").replace(":", "").split(".")[0].replace("+0000", "")
        return f"{stamp}-{self.request.task}-T{self.request.length}.json"

    def to_json(self) -> dict[str, Any]:
        return {"format": RACE_FORMAT, "request": self.request.to_json(), "baseline": _finite(self.baseline),
                "started": self.started, "seconds": self.seconds, "versions": dict(self.versions),
                "runs": [{"cell": r.cell, "seed": r.seed, "seconds": r.seconds, "parameters": r.parameters,
                          "epochs": [{k: _finite(v) for k, v in asdict(e).items()} for e in r.epochs],
                          "at_init": r.at_init.to_json(), "trained": r.trained.to_json(), "swapped": r.swapped} for r in self.runs]}

    @classmethod
    def from_json(cls, data: Any) -> RaceResult:
        """Read back a saved race, every field checked (ValueError naming the first that is wrong)."""
        if not isinstance(data, dict):
            raise ValueError("a race must be a JSON object")
        if data.get("format") != RACE_FORMAT:
            raise ValueError(f"a race of format {data.get('format')!r}; this rnnplay reads format {RACE_FORMAT}")
        request = RaceRequest.from_json(data.get("request"))
        started = data.get("started")
        if not isinstance(started, str):
            raise ValueError("a race's start time must be text")
        datetime.fromisoformat(started)
        versions = data.get("versions", {})
        if not isinstance(versions, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in versions.items()):
            raise ValueError("a race's versions must map names to text")
        raw_runs = data.get("runs")
        if not isinstance(raw_runs, list):
            raise ValueError("a race's runs must be a list")
        runs = tuple(_run(r, request) for r in raw_runs)
        return cls(request, runs, _number(data.get("baseline"), "baseline", nan=True), started,
                   _number(data.get("seconds"), "seconds"), versions)


def _run(data: Any, request: RaceRequest) -> CellRun:
    if not isinstance(data, dict):
        raise ValueError("a race's run must be a JSON object")
    cell = data.get("cell")
    if cell not in request.cells:
        raise ValueError(f"a run of cell {cell!r}, which the race did not have")
    seed = data.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed not in request.seed_list:
        raise ValueError(f"a run with seed {seed!r}, which the race did not have")
    epochs = data.get("epochs")
    if not isinstance(epochs, list) or len(epochs) > request.epochs:
        raise ValueError("a run's epochs must be a list no longer than the race's epochs")
    scores = []
    for number, e in enumerate(epochs, 1):
        if not isinstance(e, dict) or e.get("epoch") != number:
            raise ValueError("a run's epochs must be numbered 1, 2, …")
        scores.append(EpochScore(number, *(_number(e.get(k), k, nan=True) for k in ("loss", "score", "accuracy", "seconds"))))
    parameters = data.get("parameters")
    if isinstance(parameters, bool) or not isinstance(parameters, int) or parameters < 0:
        raise ValueError("a run's parameters must be a whole number")
    at_init, trained = GradientDecay.from_json(data.get("at_init")), GradientDecay.from_json(data.get("trained"))
    if at_init.length != request.length or trained.length != request.length:
        raise ValueError("a run's decay curves must have one value per step of the sequence")
    swapped = data.get("swapped")  # absent in races saved before it was measured
    if swapped is not None and not 0.0 <= _number(swapped, "swapped") <= 1.0:
        raise ValueError("a run's share of answers changed must be from 0 to 1")
    return CellRun(cell, seed, tuple(scores), _number(data.get("seconds"), "seconds"), at_init, trained, parameters,
                   None if swapped is None else float(swapped))


def _number(value: Any, name: str, nan: bool = False) -> float:
    if value is None and nan:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"a race's {name} must be a finite number")
    return float(value)


def _finite(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def score_at(histories: Iterable[Sequence[EpochScore]], epoch: int) -> tuple[float, float, int]:
    """The mean and spread of the scores at ``epoch`` over the histories (one a seed) that reached it, and how many did."""
    scores = [history[epoch - 1].score for history in histories if len(history) >= epoch]
    return mean_spread(scores) + (len(scores),)


def mean_spread(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for one value) of the finite values."""
    clean = [v for v in values if math.isfinite(v)]
    if not clean:
        return math.nan, math.nan
    return float(np.mean(clean)), float(np.std(clean, ddof=1)) if len(clean) > 1 else 0.0


def _nanmean(values: Sequence[float]) -> float:
    clean = [v for v in values if math.isfinite(v)]
    return float(np.mean(clean)) if clean else math.nan


# --- progress events -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunStart:
    """A cell with a seed starts: run ``index`` (1-based) of ``runs``."""

    cell: str
    seed: int
    index: int
    runs: int
    steps: int  # batches per epoch


@dataclass(frozen=True)
class RunBatch:
    cell: str
    seed: int
    epoch: int
    step: int  # 1-based
    steps: int
    loss: float  # running mean over the epoch so far


@dataclass(frozen=True)
class RunEpoch:
    cell: str
    seed: int
    epochs: int
    score: EpochScore


@dataclass(frozen=True)
class RunEnd:
    run: CellRun


RaceEvent = Union[Phase, RunStart, RunBatch, RunEpoch, RunEnd]
RaceListener = Callable[[RaceEvent], None]


def ignore_race(_: RaceEvent) -> None:
    """A listener for callers that show no progress."""


# --- saved races -----------------------------------------------------------------------------------------------


def races_dir() -> Path:
    """The folder of saved races (created when the first is saved)."""
    if os.environ.get(RACES_DIR_ENV):
        return Path(os.environ[RACES_DIR_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnnplay")) / "races"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_race(result: RaceResult, folder: Path | None = None) -> Path:
    """Write the race atomically; its path. RnnplayError (one line) when it cannot be written."""
    from rnnplay.store import atomic_file

    path = (folder or races_dir()) / result.name
    content = json.dumps(result.to_json(), allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(content) > limits.MAX_RACE_BYTES:
        raise RnnplayError(f"the race is {len(content):,} bytes, more than a saved race may hold")
    stem, counter = path.stem, 1
    while path.exists():  # two races in one second: keep both
        counter += 1
        path = path.with_name(f"{stem}-{counter}.json")
    with atomic_file(path) as f:
        f.write(content)
    return path


def read_race(path: Path) -> RaceResult:
    """A saved race, read bounded and checked; RnnplayError (one line) when it is not one."""
    from rnnplay.printable import printable

    try:
        return RaceResult.from_json(read_json(path, limits.MAX_RACE_BYTES))
    except OSError as error:
        raise RnnplayError(f"cannot read {printable(path)}: {error.strerror or error}") from None
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise RnnplayError(f"{printable(path)} is not a saved race: {printable(str(error))}") from None


@dataclass(frozen=True)
class SavedRace:
    """One file of the history: the race, or why it could not be read."""

    path: Path
    result: RaceResult | None
    problem: str = ""


def race_history(folder: Path | None = None) -> list[SavedRace]:
    """The saved races, newest first (at most ``limits.MAX_RACES_LISTED``); unreadable files say why."""
    folder = folder or races_dir()
    try:
        paths = sorted((p for p in folder.glob("*.json") if p.is_file()), key=lambda p: p.name, reverse=True)
    except OSError:
        return []
    found = []
    for path in paths[: limits.MAX_RACES_LISTED]:
        try:
            found.append(SavedRace(path, read_race(path)))
        except RnnplayError as error:
            found.append(SavedRace(path, None, str(error)))
    return found
