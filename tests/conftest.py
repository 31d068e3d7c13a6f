"""Shared fixtures: the project's own tiny corpus, the shipped model, and an isolated models dir."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY_CSV = ROOT / "corpora" / "tiny-sentiment.csv"
SHIPPED_MODEL = ROOT / "saved" / "imdb-bilstm"


@pytest.fixture(autouse=True)
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user models folder, so nothing touches the real one."""
    folder = tmp_path / "models"
    monkeypatch.setenv("RNNPLAY_MODELS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def shipped_classifier():
    from rnnplay.runtime.classifier import Classifier

    return Classifier.load(SHIPPED_MODEL)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A classifier trained on the tiny corpus in a few seconds (TensorFlow)."""
    from rnnplay.config import ClassifierConfig
    from rnnplay.training.classifier import train_classifier

    config = ClassifierConfig(units=8, embedding_dim=8, dense_units=8, max_length=20, epochs=8, batch_size=32,
                              learning_rate=1e-2, dropout=0.0)
    return train_classifier(config, str(TINY_CSV), tmp_path_factory.mktemp("trained") / "tiny")
