"""The Rich progress listener: every training event renders, and the per-epoch lines say what happened."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from rnnplay.progress_view import RichProgress
from rnnplay.training.progress import BatchEnd, EpochEnd, EpochStart, Phase, VectorsEpochEnd, VectorsProgress


def render(*events) -> str:
    out = StringIO()
    with RichProgress(Console(file=out, width=120, color_system=None)) as progress:
        for event in events:
            progress(event)
    return out.getvalue()


def test_word_vector_events_render_with_words_per_second():
    text = render(
        Phase("counting words"),
        EpochStart(1, 2, 3),
        VectorsProgress(1, 2, 1, 3, 2.71828, 123_456.0, 0.025),
        VectorsProgress(1, 2, 3, 3, 2.5, 130_000.0, 0.02),
        VectorsEpochEnd(1, 2, 2.5, 65_536, 0.5),
        EpochStart(2, 2, 3),
        VectorsProgress(2, 2, 3, 3, 2.25, 1e6, 0.0001),
        VectorsEpochEnd(2, 2, 2.25, 1_234_567, 2.0),
        Phase("saving /tmp/x"),
    )
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [
        "counting words…",
        "epoch 1/2   0.5s  loss 2.5000  65,536 words, 131k/s",
        "epoch 2/2   2.0s  loss 2.2500  1,234,567 words, 617k/s",
        "saving /tmp/x…",
    ]


def test_an_epoch_that_takes_no_time_does_not_divide_by_zero():
    assert "epoch 1/1   0.0s  loss 1.0000  10 words, 10,000,000k/s" in render(VectorsEpochEnd(1, 1, 1.0, 10, 0.0))


def test_progress_before_any_epoch_is_ignored():
    # A progress event without an epoch bar (no EpochStart yet) must not fail.
    assert render(VectorsProgress(1, 1, 1, 1, 1.0, 1.0, 0.01), BatchEnd(1, 1, 1, 0.5, 0.5)).strip() == ""


def test_classifier_events_render_and_mark_the_best_epoch():
    text = render(
        EpochStart(1, 2, 4),
        BatchEnd(1, 4, 4, 0.6931, 0.5),
        EpochEnd(1, 2, 0.69, 0.5, 0.68, 0.55, 1.25, True),
        EpochStart(2, 2, 4),
        EpochEnd(2, 2, 0.5, 0.8, 0.7, 0.52, 1.0, False),
    )
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [
        "epoch 1/2   1.2s  loss 0.690 acc 0.500  val_loss 0.680 val_acc 0.550 *best",
        "epoch 2/2   1.0s  loss 0.500 acc 0.800  val_loss 0.700 val_acc 0.520",
    ]


def test_the_bar_shows_loss_words_per_second_and_learning_rate():
    with RichProgress(Console(file=StringIO(), width=120)) as progress:
        progress(EpochStart(1, 3, 10))
        progress(VectorsProgress(1, 3, 4, 10, 2.71828, 123_456.0, 0.025))
        (task,) = progress.progress.tasks
        assert (task.description, task.total, task.completed) == ("epoch 1/3", 10, 4)
        assert task.fields["status"] == "loss 2.7183  123k words/s  lr 0.0250"
        progress(EpochStart(2, 3, 10))  # a new epoch replaces the bar
        assert [t.description for t in progress.progress.tasks] == ["epoch 2/3"]
