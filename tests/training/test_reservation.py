"""A training run holds its model name from the start: a second run of the name, or a models folder that
cannot be written, is refused before the corpus is read or TensorFlow starts — not after minutes of work."""

from __future__ import annotations

import errno
import os
import tempfile

import pytest

from rnnplay.config import CbowConfig, ClassifierConfig
from rnnplay.errors import RnnplayError
from rnnplay.store.workspace import NameLock
from rnnplay.training.cbow import train_cbow
from rnnplay.training.classifier import train_classifier
from rnnplay.training.progress import Phase
from tests.conftest import TINY_CSV


def runs():
    return [(train_classifier, ClassifierConfig(epochs=1)), (train_cbow, CbowConfig(epochs=1))]


@pytest.mark.parametrize("train, config", runs())
def test_a_name_another_run_is_writing_is_refused_before_any_work(tmp_path, train, config):
    phases: list[str] = []
    holder = NameLock(tmp_path, "busy")
    assert holder.try_acquire()
    try:
        with pytest.raises(RnnplayError, match=rf"another rnnplay process \(pid {os.getpid()}\) is writing the model busy"):
            train(config, str(TINY_CSV), tmp_path / "busy", listener=lambda e: phases.append(e.text) if isinstance(e, Phase) else None)
    finally:
        holder.release()
    assert phases == []


@pytest.mark.parametrize("train, config", runs())
def test_a_models_folder_that_cannot_be_written_is_refused_before_any_work(tmp_path, monkeypatch, train, config):
    phases: list[str] = []

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(RnnplayError, match="cannot save models in .*: Read-only file system"):
        train(config, str(TINY_CSV), tmp_path / "models" / "m", listener=lambda e: phases.append(e.text) if isinstance(e, Phase) else None)
    assert phases == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(RnnplayError, match="it, or a folder above it, is a file"):
        train(config, str(TINY_CSV), tmp_path / "file" / "m")
