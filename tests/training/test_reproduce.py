"""Slow: run README's documented commands for the shipped models, as a user runs them, and get the same models back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT

slow = pytest.mark.slow  # each trains for a minute or more (and imports TensorFlow)

# README's "The shipped models were made with:" block, in the order it gives them (reviews-cbow first:
# the default preset's embedding starts from it).
DOCUMENTED = {
    "reviews-cbow": "rnnplay cbow train --corpus reviews --dimension 64 --training-split 0 --float16 --name reviews-cbow --models-dir saved --force",
    "imdb-bilstm": "rnnplay train --corpus reviews --preset default --name imdb-bilstm --models-dir saved --force --test-file corpora/typed-reviews.csv",
    "imdb-lstm": "rnnplay train --corpus reviews --preset default --unidirectional --name imdb-lstm --models-dir saved --force --test-file corpora/typed-reviews.csv",
    "imdb-cbow": "rnnplay cbow train --corpus imdb --name imdb-cbow --float16 --models-dir saved --force",
}


def test_readme_documents_exactly_these_commands():  # fast: it keeps README and these tests in step
    readme = (ROOT / "README.md").read_text()
    block = readme.split("The shipped models were made with:", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    assert block.strip().splitlines() == list(DOCUMENTED.values())


def run_documented(name: str, models: Path) -> Path:
    """The command with ``saved`` swapped for a scratch folder; run from the repository, as its paths are relative."""
    arguments = DOCUMENTED[name].split()[1:]
    arguments[arguments.index("saved")] = str(models)
    subprocess.run([sys.executable, "-m", "rnnplay", *arguments], check=True, capture_output=True, cwd=ROOT)
    return models / name


@slow
@pytest.mark.tensorflow
@pytest.mark.parametrize("name", ["imdb-bilstm", "imdb-lstm"])
def test_documented_command_reproduces_the_shipped_classifier(name, tmp_path):
    """The start vectors come from saved/ (a name is looked up in the user's folder, then the shipped one)."""
    shipped = json.loads((ROOT / "saved" / name / "card.json").read_text())
    card = json.loads((run_documented(name, tmp_path) / "card.json").read_text())
    assert card["architecture"] == shipped["architecture"]
    assert card["training"]["config"] == shipped["training"]["config"]
    assert card["training"]["init_embeddings"] == shipped["training"]["init_embeddings"]
    assert card["files"]["vocab.txt"] == shipped["files"]["vocab.txt"]
    assert card["metrics"]["test"]["accuracy"] == pytest.approx(shipped["metrics"]["test"]["accuracy"], abs=0.005)
    for source in ("imdb", "rt"):
        ours, theirs = card["metrics"]["by_source"][source]["test"], shipped["metrics"]["by_source"][source]["test"]
        assert ours["n"] == theirs["n"] and ours["accuracy"] == pytest.approx(theirs["accuracy"], abs=0.01), source
    typed, shipped_typed = card["metrics"]["test_files"]["typed-reviews.csv"], shipped["metrics"]["test_files"]["typed-reviews.csv"]
    assert typed["n"] == shipped_typed["n"] and typed["accuracy"] == pytest.approx(shipped_typed["accuracy"], abs=0.02)


@slow
@pytest.mark.tensorflow
@pytest.mark.parametrize("name", ["reviews-cbow", "imdb-cbow"])
def test_documented_command_reproduces_the_shipped_vectors(name, tmp_path):
    from rnnplay.store import load_model

    shipped, again = load_model(ROOT / "saved" / name), load_model(run_documented(name, tmp_path))
    for key in ("corpus", "texts", "config", "training_split_seed", "raw_tokens", "tokens"):
        assert again.card.section("training").get(key) == shipped.card.section("training").get(key), key
    assert again.vocabulary == shipped.vocabulary
    np.testing.assert_array_equal(again.arrays["counts"], shipped.arrays["counts"])
    for array in ("input", "output"):
        # Identical on the machine that made them; another CPU may round differently inside XLA.
        difference = np.abs(again.arrays[array].astype(np.float32) - shipped.arrays[array].astype(np.float32))
        assert difference.max() < 0.05, array
