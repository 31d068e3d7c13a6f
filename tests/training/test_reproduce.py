"""Slow: retrain the shipped default with its documented command and get the same model back."""

from __future__ import annotations

import json

import pytest

from rnnplay.config import preset
from tests.conftest import SHIPPED_MODEL

pytestmark = [pytest.mark.slow, pytest.mark.tensorflow]


def test_default_preset_reproduces_the_shipped_model(tmp_path):
    from rnnplay.training.classifier import train_classifier

    shipped = json.loads((SHIPPED_MODEL / "card.json").read_text())
    card = json.loads((train_classifier(preset("default"), "imdb", tmp_path / "again") / "card.json").read_text())
    assert card["training"]["config"] == shipped["training"]["config"]
    assert card["metrics"]["test"]["accuracy"] == pytest.approx(shipped["metrics"]["test"]["accuracy"], abs=0.005)
    assert card["files"]["vocab.txt"] == shipped["files"]["vocab.txt"]
