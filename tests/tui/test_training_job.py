"""The worker-thread bridge: batch events are thinned, the rest always pass; cancel reaches should_stop;
the clock's ETA counts from the first epoch. Time is a fake clock, so nothing here waits."""

from __future__ import annotations

from pathlib import Path

from rnnplay.config import CbowConfig
from rnnplay.training.progress import BatchEnd, EpochEnd, EpochStart, Phase, VectorsProgress
from rnnplay.tui.training_job import RunClock, TrainingJob, clock_text, fraction_done
from rnnplay.tui.training_request import TrainingRequest


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def request() -> TrainingRequest:
    return TrainingRequest("vectors", "rt", Path("unused"), CbowConfig())


def batch(step: int, steps: int = 10) -> BatchEnd:
    return BatchEnd(1, step, steps, 0.5, 0.5)


def test_batch_events_are_thinned_but_first_last_and_the_rest_always_pass() -> None:
    clock, posted = FakeClock(), []
    job = TrainingJob(request(), posted.append, interval=0.1, clock=clock)
    job.listener(Phase("loading"))
    job.listener(EpochStart(1, 2, 10))
    for step in range(1, 11):  # ten batches within a few milliseconds
        clock.now += 0.001
        job.listener(batch(step))
    assert [e.step for e in posted if isinstance(e, BatchEnd)] == [1, 10]
    assert posted[:2] == [Phase("loading"), EpochStart(1, 2, 10)]
    clock.now += 0.5
    job.listener(batch(3, 20))  # enough time has passed: this one goes through
    job.listener(VectorsProgress(1, 1, 4, 20, 1.0, 1e5, 0.02))  # too soon after it
    assert posted[-1] == batch(3, 20)
    job.listener(EpochEnd(1, 2, 0.5, 0.5, 0.6, 0.6, 1.0, True))
    assert isinstance(posted[-1], EpochEnd)


def test_cancel_is_what_the_service_polls() -> None:
    job = TrainingJob(request(), lambda event: None)
    assert not job.should_stop()
    job.cancel()
    assert job.should_stop() and job.cancelled


def test_a_cancelled_worker_stops_the_run_too() -> None:
    worker_cancelled = False
    job = TrainingJob(request(), lambda event: None, also_stop=lambda: worker_cancelled)
    assert not job.should_stop()
    worker_cancelled = True  # the app is quitting
    assert job.should_stop() and job.cancelled


def test_a_closed_event_loop_cancels_the_run() -> None:
    def closed(event: object) -> None:
        raise RuntimeError("Event loop is closed")

    job = TrainingJob(request(), closed)
    job.listener(Phase("saving"))
    assert job.should_stop()


def test_fraction_done_counts_whole_epochs_and_steps() -> None:
    assert fraction_done(1, 4, 5, 10) == 0.125
    assert fraction_done(4, 4, 10, 10) == 1.0
    assert fraction_done(1, 0, 1, 1) == 0.0


def test_the_eta_counts_from_the_first_epoch_not_from_loading() -> None:
    clock = FakeClock()
    run = RunClock(clock)
    clock.now += 30  # loading the corpus and starting TensorFlow
    run.update(Phase("starting TensorFlow"))
    assert run.eta() is None
    run.update(EpochStart(1, 2, 10))
    clock.now += 10
    run.update(BatchEnd(1, 5, 10, 0.6, 0.6))  # a quarter of the run in 10 s
    assert run.fraction == 0.25
    assert run.eta() == 30.0
    assert run.elapsed() == 40.0
    run.update(EpochEnd(1, 2, 0.5, 0.7, 0.5, 0.7, 20.0, True))
    assert run.fraction == 0.5


def test_clock_text() -> None:
    assert clock_text(None) == "–"
    assert clock_text(65.4) == "1:05"
    assert clock_text(3723) == "1:02:03"
