"""Fault injection: a save or a removal killed or failing at any step leaves the old or the new model,
complete and listed, never neither; the next run cleans what it left."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.store import list_models, load_model, swap
from rnnplay.store.workspace import ROOT
from tests.conftest import ROOT as PROJECT
from tests.conftest import classifier_arrays, classifier_card, save_tiny_classifier

# A --force save of "m" in a separate process, killed (os._exit, as by SIGKILL) just before the K-th
# call of the step functions a replace goes through. STEPS counts those calls in a replace.
KILLED_SAVE = """
import os, shutil, sys
from pathlib import Path
import rnnplay.store.writing as writing
from rnnplay.store import swap
from tests.conftest import save_tiny_classifier

folder, k, journaled = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "journaled"
calls = [0]

def dies_at_k(real):
    def step(*args, **kwargs):
        calls[0] += 1
        if calls[0] == k:
            os._exit(9)
        return real(*args, **kwargs)
    return step

if journaled:
    swap.exchange = lambda a, b: False  # a file system without RENAME_EXCHANGE
writing.os.rename = dies_at_k(os.rename)
writing.swap.exchange = dies_at_k(swap.exchange)
writing.shutil.rmtree = dies_at_k(shutil.rmtree)
save_tiny_classifier(folder / "m", overwrite=True, seed=2)
print("saved", calls[0])
"""
STEPS = {"exchange": 2, "journaled": 5}  # exchange, remove old | exchange refused, rename ×3, remove old


def embedding(seed):
    return classifier_arrays(classifier_card(), seed)["embedding"]


def killed_save(folder, k, mode):
    return subprocess.run([sys.executable, "-c", KILLED_SAVE, str(folder), str(k), mode], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("mode", ["exchange", "journaled"])
def test_a_save_killed_at_any_step_leaves_a_complete_model(tmp_path, mode):
    if mode == "exchange":
        probe_a, probe_b = tmp_path / "a", tmp_path / "b"
        probe_a.mkdir(), probe_b.mkdir()
        if not swap.exchange(probe_a, probe_b):
            pytest.skip("this file system cannot exchange atomically")
        probe_a.rmdir(), probe_b.rmdir()
    outcomes = set()
    for k in range(1, STEPS[mode] + 2):  # the last k is past every step: the save completes
        folder = tmp_path / f"{mode}-{k}"
        save_tiny_classifier(folder / "m", seed=1)
        result = killed_save(folder, k, mode)
        assert result.returncode == (0 if k > STEPS[mode] else 9), result.stderr
        if k > STEPS[mode]:
            assert result.stdout.split() == ["saved", str(STEPS[mode])]  # every step was counted
        listed = [entry for entry in list_models(folder) if entry.source == "user"]  # the next run recovers
        assert [entry.path.name for entry in listed] == ["m"] and listed[0].card is not None
        found = load_model(folder / "m").arrays["embedding"]
        which = 1 if np.array_equal(found, embedding(1)) else 2 if np.array_equal(found, embedding(2)) else None
        assert which is not None, f"killed before step {k}: neither the old nor the new model"
        outcomes.add(which)
        assert sorted(p.name for p in folder.iterdir()) == ["m"], f"killed before step {k}: leftovers not cleaned"
    assert outcomes == {1, 2}  # early kills keep the old model, late ones the new


# The steps a replace takes that can fail (rename and exchange raise; removing the old model ignores errors):
# the exchange itself; or the refused exchange, then the journal's three renames.
FAILING_STEPS = [("exchange", 1)] + [("journaled", step) for step in range(1, 5)]


@pytest.mark.parametrize("mode, failing", FAILING_STEPS)
def test_a_save_failing_at_any_step_is_one_error_and_leaves_a_complete_model(tmp_path, monkeypatch, mode, failing):
    """The same steps raising (a rename refused, the disk gone) instead of killing the process: one error line,
    and the name holds a complete model at once, before any other run's recovery, with nothing left beside it."""
    import rnnplay.store.writing as writing

    save_tiny_classifier(tmp_path / "m", seed=1)
    calls = [0]

    def fails_at(real):
        def step(*args, **kwargs):
            calls[0] += 1
            if calls[0] == failing:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            return real(*args, **kwargs)
        return step

    if mode == "journaled":
        monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    monkeypatch.setattr(writing.os, "rename", fails_at(os.rename))
    monkeypatch.setattr(writing.swap, "exchange", fails_at(swap.exchange))
    with pytest.raises(RnnplayError, match=r"cannot put .*/m in place: Input/output error; it holds the old model or the new one"):
        save_tiny_classifier(tmp_path / "m", overwrite=True, seed=2)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # recovered by the failed save itself
    found = load_model(tmp_path / "m").arrays["embedding"]
    assert np.array_equal(found, embedding(1)) or np.array_equal(found, embedding(2))


def test_a_journal_left_midway_is_finished_by_the_next_run(tmp_path):
    """The name missing, the new model complete in the journal: the replacement is rolled forward."""
    old, new = save_tiny_classifier(tmp_path / "old-m", seed=1), save_tiny_classifier(tmp_path / "new-m", seed=2)
    work = tmp_path / "models" / ROOT / "m"
    work.mkdir(parents=True)
    os.rename(new, work / "new")
    os.rename(old, work / "old")
    renamed = [entry.path.name for entry in list_models(tmp_path / "models") if entry.source == "user"]
    assert renamed == ["m"]
    np.testing.assert_array_equal(load_model(tmp_path / "models" / "m").arrays["embedding"], embedding(2))
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["m"]


def test_what_earlier_versions_left_is_recovered(tmp_path):
    """rnnplay before the journal replaced by two renames: a crash between them left the name missing,
    the old model in .NAME.xxxxxxxx.old/NAME and the new one in .NAME.xxxxxxxx.partial."""
    models = tmp_path / "models"
    old = save_tiny_classifier(tmp_path / "m", seed=1)
    (models / ".m.ab12cd34.old").mkdir(parents=True)
    os.rename(old, models / ".m.ab12cd34.old" / "m")
    shutil.copytree(models / ".m.ab12cd34.old" / "m", models / ".m.x9y8z7w6.partial")
    shutil.copytree(models / ".m.ab12cd34.old" / "m", models / ".deleting-gone")
    assert [entry.path.name for entry in list_models(models) if entry.source == "user"] == ["m"]
    np.testing.assert_array_equal(load_model(models / "m").arrays["embedding"], embedding(1))
    assert sorted(p.name for p in models.iterdir()) == ["m"]


def test_a_removal_killed_midway_finishes(tmp_path):
    models = tmp_path / "models"
    save_tiny_classifier(models / "m")
    save_tiny_classifier(models / "kept")
    work = models / ROOT / "m"
    work.mkdir(parents=True)
    os.rename(models / "m", work / "deleting")
    (work / "deleting" / "card.json").unlink()  # half removed
    assert [entry.path.name for entry in list_models(models) if entry.source == "user"] == ["kept"]
    assert sorted(p.name for p in models.iterdir()) == ["kept"]


def test_a_name_being_written_is_left_alone_by_recovery(tmp_path):
    from rnnplay.store.workspace import NameLock

    models = tmp_path / "models"
    save_tiny_classifier(models / "m")
    lock = NameLock(models, "m")
    assert lock.try_acquire()
    (lock.folder / "partial-abc").mkdir()  # another process's save in progress
    try:
        list_models(models)
        assert (lock.folder / "partial-abc").is_dir()
    finally:
        lock.release()
    list_models(models)
    assert sorted(p.name for p in models.iterdir()) == ["m"]
