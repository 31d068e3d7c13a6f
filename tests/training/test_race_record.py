"""A race as data: requests checked, results summarised, saved atomically and read back checked and bounded."""

from __future__ import annotations

import json
import math

import pytest

from rnnplay import limits
from rnnplay.errors import RnnplayError, UsageError
from rnnplay.runtime.decay import GradientDecay
from rnnplay.training.race_record import CellRun, EpochScore, RaceRequest, RaceResult, race_history, races_dir, read_race, save_race


def made_up_result(seeds: int = 2) -> RaceResult:
    request = RaceRequest(task="first", length=3, cells=("rnn", "lstm"), epochs=2, seeds=seeds, sequences=20)
    runs = []
    for seed in request.seed_list:
        for cell, final in (("rnn", 0.9 + 0.05 * seed), ("lstm", 0.5)):
            epochs = (EpochScore(1, 0.7, 0.5, 0.5, 1.0), EpochScore(2, 0.5, final, final, 1.0))
            runs.append(CellRun(cell, seed, epochs, 2.0 + seed, GradientDecay((1.0, 0.5, 0.25), 0.5),
                                GradientDecay((1.0, 0.9, 0.81), 0.9), 100, 1.0 if cell == "rnn" else 0.1 * seed))
    return RaceResult(request, tuple(runs), 0.5, "2026-12-02T16:00:00+00:00", 12.5, {"keras": "3"})


def test_the_summary_is_the_mean_and_sample_spread_over_seeds():
    result = made_up_result()
    s = result.summary("rnn")
    assert s.mean == pytest.approx(0.925) and s.spread == pytest.approx(0.05 / math.sqrt(2))
    assert (s.low, s.high, s.seeds, s.seconds) == pytest.approx((0.9, 0.95, 2, 2.5))
    assert result.summary("lstm").spread == 0.0
    assert result.score("rnn", 1) == (0.5, 0.0, 2)
    assert result.decay("rnn", trained=True).decay == pytest.approx(0.9)
    assert made_up_result(seeds=1).summary("rnn").spread == 0.0
    assert (s.swapped, result.summary("lstm").swapped) == pytest.approx((1.0, 0.05))


def test_a_race_saved_before_the_swap_was_measured_reads_with_none_and_a_wrong_share_is_refused():
    saved = made_up_result().to_json()
    assert [run["swapped"] for run in saved["runs"]] == [1.0, 0.0, 1.0, 0.1]
    for run in saved["runs"]:
        del run["swapped"]
    older = RaceResult.from_json(saved)
    assert all(run.swapped is None for run in older.runs) and older.summary("rnn").swapped is None
    saved["runs"][0]["swapped"] = 1.5
    with pytest.raises(ValueError, match="answers changed must be from 0 to 1"):
        RaceResult.from_json(saved)


def test_a_saved_race_reads_back_equal_and_a_second_one_keeps_the_first(tmp_path):
    result = made_up_result()
    first, second = save_race(result), save_race(result)
    assert first != second and first.parent == races_dir()
    assert read_race(first) == result
    assert [s.path for s in race_history()] == sorted([first, second], key=lambda p: p.name, reverse=True)
    assert not list(races_dir().glob("*.partial"))


@pytest.mark.parametrize("damage,message", [
    (lambda d: d.update(format=99), "format"),
    (lambda d: d["request"].update(units=0), "--units"),
    (lambda d: d["request"].update(cells="rnn"), "cells"),
    (lambda d: d["runs"][0].update(cell="gru"), "did not have"),
    (lambda d: d["runs"][0].update(seed=7), "seed"),
    (lambda d: d["runs"][0]["epochs"][0].update(epoch=3), "numbered"),
    (lambda d: d["runs"][0]["at_init"].update(norms=[1.0]), "one value per step"),
    (lambda d: d["runs"][0]["trained"].update(norms=[1.0, "x", 0.5]), "norms"),
    (lambda d: d.update(seconds=None), "seconds"),
    (lambda d: d["request"].update(extra=1), "unknown fields"),
])
def test_a_damaged_file_is_refused_in_one_line(tmp_path, damage, message):
    data = made_up_result().to_json()
    damage(data)
    path = tmp_path / "race.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RnnplayError, match=message) as caught:
        read_race(path)
    assert "\n" not in str(caught.value)


def test_an_oversized_or_broken_file_is_listed_with_its_problem(monkeypatch):
    races_dir().mkdir(parents=True)
    (races_dir() / "a.json").write_text("{not json")
    monkeypatch.setattr(limits, "MAX_RACE_BYTES", 10)
    (races_dir() / "b.json").write_text(json.dumps(made_up_result().to_json()))
    listed = race_history()
    assert [s.result for s in listed] == [None, None]
    assert "larger than 10 bytes" in listed[0].problem and "not a saved race" in listed[1].problem


def test_a_request_lists_every_problem():
    problems = RaceRequest(task="order", length=5, cells=("rnn", "rnn", "tcn"), optimizer="lbfgs", initializer="zeros",
                           seeds=0, clipnorm=-1.0).problems()
    assert len(problems) == 7, problems
    with pytest.raises(UsageError):
        RaceRequest(epochs=0).validated()
    assert RaceRequest().validated() == RaceRequest()
    assert RaceRequest.from_json(RaceRequest(clipnorm=1.0).to_json()) == RaceRequest(clipnorm=1.0)
