"""The race engine: a tiny race runs end to end (TensorFlow), and a cancelled one raises and saves nothing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnplay.errors import Cancelled
from rnnplay.training.race_record import RaceRequest, RunBatch, RunEnd, RunEpoch, RunStart, race_history, races_dir, save_race

TINY = RaceRequest(task="first", length=10, cells=("rnn", "bi-lstm"), epochs=1, seeds=1, sequences=40, batch_size=16, units=4)


@pytest.mark.tensorflow
def test_a_tiny_race_runs_scores_measures_and_saves():
    from rnnplay.training.race import run_race

    events: list = []
    result = run_race(TINY, events.append)
    assert [r.cell for r in result.runs] == ["rnn", "bi-lstm"]
    starts = [e for e in events if isinstance(e, RunStart)]
    assert [(s.index, s.runs, s.steps) for s in starts] == [(1, 2, 2), (2, 2, 2)]  # 32 training sequences, batch 16
    assert sum(isinstance(e, RunBatch) for e in events) == 4
    assert [e.score.epoch for e in events if isinstance(e, RunEpoch)] == [1, 1]
    assert len([e for e in events if isinstance(e, RunEnd)]) == 2
    for run in result.runs:
        assert 0.0 <= run.final <= 1.0 and run.epochs[0].score == run.epochs[0].accuracy
        assert run.at_init.length == run.trained.length == 10
        assert math.isfinite(run.at_init.decay) and run.at_init.norms[0] > 0
        assert run.swapped is not None and 0.0 <= run.swapped <= 1.0
    assert result.runs[0].parameters == 10 * 16 + (16 * 4 + 4 * 4 + 4) + 5  # embedding, SimpleRNN, Dense(1)
    assert 0.0 <= result.baseline <= 1.0
    path = save_race(result)
    assert path.parent == races_dir()
    [saved] = race_history()
    assert saved.result == result and saved.path == path


@pytest.mark.tensorflow
@pytest.mark.parametrize("task", ["adding", "order"])
def test_the_other_tasks_train_with_their_own_scores(task):
    from rnnplay.training.race import run_race

    request = RaceRequest(task=task, length=10, cells=("gru",), epochs=1, sequences=40, batch_size=16, units=4,
                          initializer="glorot", optimizer="rmsprop", clipnorm=1.0)
    result = run_race(request)
    [run] = result.runs
    if task == "adding":
        assert run.final > 0 and 0.0 <= run.epochs[0].accuracy <= 1.0 and result.baseline > 0  # MSE, within 0.04
        assert run.swapped is None  # no decisive token to swap
    else:
        assert 0.0 <= run.final <= 1.0 and run.swapped is not None


class Reader:
    """A stand-in model whose answer is a rule of its inputs (what a perfectly remembering or a blind model does)."""

    def __init__(self, rule):
        self.rule = rule

    def predict(self, inputs, batch_size=None, verbose=0):
        return self.rule(np.asarray(inputs))


@pytest.mark.parametrize("task", ["first", "order"])
def test_swap_flips_is_every_answer_for_a_model_that_reads_the_decisive_token_and_none_for_a_blind_one(task):
    from rnnplay.training.memory_tasks import generate
    from rnnplay.training.race import answers_changed

    data = generate(task, 200, 20, 3)
    if task == "first":
        remembers = Reader(lambda x: (x[:, :1] * 2.0 - 1.0))  # logit > 0 for a first token of 1
    else:
        def remembers_order(x):
            marked = np.argsort(x >= 2, axis=1, kind="stable")[:, :2]  # the two marked positions, in order
            classes = x[np.arange(len(x)), marked[:, 0]] + 2 * x[np.arange(len(x)), marked[:, 1]]
            return np.eye(4)[classes]
        remembers = Reader(remembers_order)
    blind = Reader(lambda x: np.tile([[0.3, 0.1, 0.2, 0.4]], (len(x), 1))[:, : (1 if task == "first" else 4)])
    kind = data.kind
    assert answers_changed(remembers, kind, data) == 1.0
    assert answers_changed(blind, kind, data) == 0.0
    assert answers_changed(blind, "regression", generate("adding", 10, 20, 0)) is None


@pytest.mark.tensorflow
def test_a_cancelled_race_raises_and_leaves_nothing_saved():
    from rnnplay.training.race import run_race

    batches = []

    def listener(event):
        if isinstance(event, RunBatch):
            batches.append(event)

    with pytest.raises(Cancelled):
        run_race(TINY, listener, should_stop=lambda: len(batches) >= 1)
    assert len(batches) == 1  # stopped at the next batch
    assert not races_dir().exists() or not any(races_dir().iterdir())


def test_cancel_before_tensorflow_starts():
    from rnnplay.training.race import run_race

    with pytest.raises(Cancelled):
        run_race(TINY, should_stop=lambda: True)


def test_a_bad_request_is_a_usage_error():
    from rnnplay.errors import UsageError
    from rnnplay.training.race import run_race

    with pytest.raises(UsageError, match="--units"):
        run_race(RaceRequest(units=0))

