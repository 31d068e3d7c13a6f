"""Shared fixtures: the project's own tiny corpus, the shipped model, and an isolated models dir."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY_CSV = ROOT / "corpora" / "tiny-sentiment.csv"
SHIPPED_MODEL = ROOT / "saved" / "imdb-bilstm"  # the default classifier
SHIPPED_LSTM = ROOT / "saved" / "imdb-lstm"  # its one-directional twin: the Inside tab's streaming comparison
SHIPPED_VECTORS = ROOT / "saved" / "imdb-cbow"


@pytest.fixture(autouse=True)
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user models folder, profile cache and races folder, so nothing touches the real ones."""
    folder = tmp_path / "models"
    monkeypatch.setenv("RNNPLAY_MODELS_DIR", str(folder))
    monkeypatch.setenv("RNNPLAY_PROFILES_DIR", str(tmp_path / "profiles"))
    monkeypatch.setenv("RNNPLAY_RACES_DIR", str(tmp_path / "races"))
    return folder


@pytest.fixture(scope="session")
def shared_profiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One corpus-profile cache for the tests that only read profiles (each takes seconds to compute)."""
    return tmp_path_factory.mktemp("profiles")


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


# Word vectors whose geometry is planted by hand, so neighbours, analogies and guesses have exact answers.
# Axes: 0 sentiment, 1 intensity, 2 person, 3 male, 4 female, 5 acting, 6 royalty, 7 "film talk".
PLANTED_WORDS = ["the", "film", "was", "plot", "good", "great", "excellent", "bad", "awful",
                 "man", "woman", "actor", "actress", "king", "queen", "nothing"]
PLANTED_WINDOW = 2


def planted_arrays() -> dict:
    import numpy as np

    e = np.eye(8)
    rows = {
        "the": e[7], "film": e[7] + 0.5 * e[5], "was": e[7] + 0.2 * e[2], "plot": e[7] + 0.3 * e[6],
        "good": e[0] + 0.3 * e[1], "great": e[0] + 0.5 * e[1], "excellent": e[0] + 0.8 * e[1],
        "bad": -e[0] + 0.3 * e[1], "awful": -e[0] + 0.5 * e[1],
        "man": e[2] + e[3], "woman": e[2] + e[4], "actor": e[5] + e[3], "actress": e[5] + e[4],
        "king": e[6] + e[3], "queen": e[6] + e[4], "nothing": 0 * e[0],
    }
    output = dict.fromkeys(PLANTED_WORDS, 0 * e[0])
    output.update({"great": 2 * e[7], "excellent": e[7] + e[5], "the": 0.5 * e[7], "awful": -e[7]})
    return {"input": np.array([rows[w] for w in PLANTED_WORDS]), "output": np.array([output[w] for w in PLANTED_WORDS])}


def write_vectors_model(target: Path, words: list, arrays: dict, window: int | None = PLANTED_WINDOW, method: str = "cbow") -> Path:
    from rnnplay.store import atomic_model_dir, new_card, write_model
    from rnnplay.text import TextSettings

    architecture = {"method": method, "vocab_size": len(words), "dimension": arrays["input"].shape[1]}
    if window is not None:
        architecture["window"] = window
    if arrays["input"].dtype.name == "float16":
        architecture["dtype"] = "float16"
    with atomic_model_dir(target) as scratch:
        write_model(scratch, new_card("vectors", target.name, architecture, TextSettings()), arrays, list(words))
    return target


@pytest.fixture(scope="session")
def planted_vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved "vectors" model (16 words, 8 dimensions, window 2) with hand-planted geometry."""
    return write_vectors_model(tmp_path_factory.mktemp("vectors") / "planted", PLANTED_WORDS, planted_arrays())


def write_raw_model(folder: Path, card: dict, arrays: dict | None = None, vocabulary: list | None = None,
                    files: dict | None = None) -> Path:
    """A model folder written as given, with no check at all, and hashes that match: what a hostile or
    damaged folder looks like to the loader (``store.write_model`` refuses to write such things).

    ``files`` adds or replaces raw file contents (bytes) by name before hashing.
    """
    import hashlib
    import json

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    if arrays is not None:  # float64 (NumPy's default) is stored as float32, as rnnplay writes; other dtypes as given
        np.savez(folder / "weights.npz", **{k: v.astype(np.float32) if v.dtype == np.float64 else v for k, v in arrays.items()})
    if vocabulary is not None:
        (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    for name, content in (files or {}).items():
        (folder / name).write_bytes(content)
    card = dict(card)
    card.setdefault("format", 1)
    card.setdefault("files", {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                              for p in sorted(folder.iterdir()) if p.name != "card.json" and p.is_file()})
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    return folder


def classifier_card(name: str = "raw", **architecture) -> dict:
    """A valid classifier card of a tiny shape (vocab 5, embedding 3, LSTM 2, one logit), to break field by field."""
    base = {"vocab_size": 5, "embedding_dim": 3, "cell": "lstm", "units": 2, "layers": 1, "bidirectional": False,
            "head": [{"units": 1, "activation": "linear"}], "output": "logit"}
    return {"name": name, "kind": "classifier", "format": 1, "architecture": dict(base, **architecture),
            "text": {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None,
                     "truncate": "start"}}


def classifier_arrays(card: dict, seed: int = 0) -> dict:
    """Random float32 arrays of exactly the shapes a classifier card needs."""
    import numpy as np

    from rnnplay.card import parse_classifier

    rng = np.random.default_rng(seed)
    return {name: rng.normal(0, 0.3, spec.shape).astype(np.float32)
            for name, spec in parse_classifier(card["architecture"]).arrays().items()}


TINY_VOCAB = ["", "[UNK]", "good", "bad", "film"]


def save_tiny_classifier(target: Path, overwrite: bool = False, seed: int = 0, **architecture) -> Path:
    """A valid tiny classifier saved the way rnnplay saves models (atomically, checked)."""
    from rnnplay.store import atomic_model_dir, write_model

    card = classifier_card(target.name, **architecture)
    with atomic_model_dir(target, overwrite=overwrite) as scratch:
        write_model(scratch, card, classifier_arrays(card, seed), TINY_VOCAB)
    return target
