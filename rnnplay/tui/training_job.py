"""The bridge between a training service running on a worker thread and the screen that shows it.

The services call their listener on the worker thread, once per batch. Forwarding every batch would
flood the event loop (and a Textual message costs more than a small batch), so batch-level events
pass at most every ``interval`` seconds; phases, epoch starts and ends, and an epoch's last batch
always pass. ``cancel`` is read by the service's ``should_stop`` at its next batch; the services save
atomically, so a cancelled run leaves nothing behind.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from rnnplay.training.progress import BatchEnd, EpochEnd, EpochStart, Event, VectorsEpochEnd, VectorsProgress
from rnnplay.tui.training_request import TrainingRequest

THROTTLE_SECONDS = 0.1


class TrainingJob:
    """One run of a ``TrainingRequest``: ``run`` on a worker thread, ``cancel`` from anywhere."""

    def __init__(self, request: TrainingRequest, post: Callable[[Event], object], interval: float = THROTTLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic, also_stop: Callable[[], bool] = lambda: False) -> None:
        self.request = request
        self.post = post
        self.interval = interval
        self.clock = clock
        self.also_stop = also_stop  # e.g. the Textual worker's is_cancelled, set when the app quits
        self._stop = threading.Event()
        self._last_batch = -float("inf")

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def should_stop(self) -> bool:
        if self.also_stop():
            self._stop.set()
        return self._stop.is_set()

    def listener(self, event: Event) -> None:
        """Forward ``event``, unless it is a batch event too soon after the last one forwarded."""
        if isinstance(event, (BatchEnd, VectorsProgress)):
            now = self.clock()
            if event.step not in (1, event.steps) and now - self._last_batch < self.interval:
                return
            self._last_batch = now
        try:
            self.post(event)
        except RuntimeError:  # the app's event loop is gone (it is closing): nobody is watching any more
            self.cancel()

    def run(self) -> Path:
        """Train and save; raises ``Cancelled`` (an RnnplayError) when cancelled, nothing saved."""
        return self.request.run(self.listener, self.should_stop)


def fraction_done(epoch: int, epochs: int, step: int, steps: int) -> float:
    """How much of the whole run is done after ``step`` of ``steps`` in ``epoch`` (1-based) of ``epochs``."""
    if epochs < 1 or steps < 1:
        return 0.0
    return min(1.0, max(0.0, ((epoch - 1) + step / steps) / epochs))


class RunClock:
    """Elapsed time and an ETA; the ETA counts from the first epoch, so loading corpora and starting
    TensorFlow (seconds, before any batch) do not make it swing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.training_started: float | None = None
        self.epochs = 0
        self.fraction = 0.0

    def update(self, event: Event) -> None:
        if isinstance(event, EpochStart):
            self.epochs = event.epochs
            if self.training_started is None:
                self.training_started = self.clock()
        elif isinstance(event, BatchEnd):  # carries no epoch total: the EpochStart before it did
            self.fraction = fraction_done(event.epoch, self.epochs, event.step, event.steps)
        elif isinstance(event, VectorsProgress):
            self.fraction = fraction_done(event.epoch, event.epochs, event.step, event.steps)
        elif isinstance(event, (EpochEnd, VectorsEpochEnd)):
            self.fraction = fraction_done(event.epoch, event.epochs, 1, 1)

    def elapsed(self) -> float:
        return self.clock() - self.started

    def eta(self) -> float | None:
        """Seconds left, or None before there is anything to go on."""
        if self.training_started is None or self.fraction <= 0.0:
            return None
        spent = self.clock() - self.training_started
        return spent * (1.0 - self.fraction) / self.fraction


def clock_text(seconds: float | None) -> str:
    """``1:05`` or ``1:02:03``; ``–`` when unknown."""
    if seconds is None:
        return "–"
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
