"""Slow: retrain the shipped defaults with their documented commands and get the same models back."""

from __future__ import annotations

import json

import pytest

from rnnplay.config import preset
from tests.conftest import SHIPPED_MODEL, SHIPPED_VECTORS

pytestmark = [pytest.mark.slow, pytest.mark.tensorflow]


def test_default_preset_reproduces_the_shipped_model(tmp_path):
    from rnnplay.training.classifier import train_classifier

    shipped = json.loads((SHIPPED_MODEL / "card.json").read_text())
    card = json.loads((train_classifier(preset("default"), "imdb", tmp_path / "again") / "card.json").read_text())
    # The shipped card predates --init-embeddings; a config without the key is one that did not use it.
    assert card["training"]["config"] == {"init_embeddings": None, **shipped["training"]["config"]}
    assert card["metrics"]["test"]["accuracy"] == pytest.approx(shipped["metrics"]["test"]["accuracy"], abs=0.005)
    assert card["files"]["vocab.txt"] == shipped["files"]["vocab.txt"]


def test_documented_cbow_command_reproduces_the_shipped_vectors(tmp_path):
    """The README's command, run as a user runs it; the same seed gives the same vectors."""
    import subprocess
    import sys

    import numpy as np

    from rnnplay.store import load_model

    command = [sys.executable, "-m", "rnnplay", "cbow", "train", "--corpus", "imdb", "--name", "imdb-cbow", "--float16",
               "--models-dir", str(tmp_path), "--force"]
    subprocess.run(command, check=True, capture_output=True)
    shipped, again = load_model(SHIPPED_VECTORS), load_model(tmp_path / "imdb-cbow")
    assert again.card.section("training")["config"] == shipped.card.section("training")["config"]
    assert again.vocabulary == shipped.vocabulary
    np.testing.assert_array_equal(again.arrays["counts"], shipped.arrays["counts"])
    for name in ("input", "output"):
        # Identical on the machine that made them; another CPU may round differently inside XLA.
        difference = np.abs(again.arrays[name].astype(np.float32) - shipped.arrays[name].astype(np.float32))
        assert difference.max() < 0.05, name


def test_documented_command_reproduces_the_shipped_one_directional_lstm(tmp_path):
    """The README's command for saved/imdb-lstm, run as a user runs it: the same settings and the same figures."""
    import subprocess
    import sys

    from tests.conftest import ROOT, SHIPPED_LSTM

    documented = "rnnplay train --corpus imdb --preset default --unidirectional --name imdb-lstm --models-dir saved --force"
    assert documented in (ROOT / "README.md").read_text()
    arguments = documented.split()[1:]
    arguments[arguments.index("saved")] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "rnnplay", *arguments], check=True, capture_output=True)
    shipped = json.loads((SHIPPED_LSTM / "card.json").read_text())
    card = json.loads((tmp_path / "imdb-lstm" / "card.json").read_text())
    assert card["architecture"] == shipped["architecture"] and not card["architecture"]["bidirectional"]
    assert card["training"]["config"] == shipped["training"]["config"]
    assert card["metrics"]["test"]["accuracy"] == pytest.approx(shipped["metrics"]["test"]["accuracy"], abs=0.005)
    assert card["files"]["vocab.txt"] == shipped["files"]["vocab.txt"]
