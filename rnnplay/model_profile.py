"""A classifier's corpus profile (the Inside tab's views 2–4), computed once over its held-out reviews and cached.

The held-out reviews are the card's test split, rebuilt as ``rnnplay.mistakes`` rebuilds it (the card's
corpus and split seed); the statistics are ``rnnplay.runtime.profile``'s. Computing them takes seconds
(3 to 6 s for the shipped BiLSTM on 2 busy cores), so the result is kept in the user's data folder,
``<user data dir>/profiles/`` (``$RNNPLAY_PROFILES_DIR`` overrides it; never ``saved/``), one file per model:
``<sha256 of weights.npz>.json``. A retrained model has new weights, hence a new file.

The file is JSON: a header that says what the profile was computed from (``format``, the model's name,
the sha256 of its weights and vocabulary, its text settings, the corpus, the split seed, the number of
held-out texts, the sampling settings) and the profile itself (``Profile.to_json``). It is written
atomically (a temporary file, then ``os.replace``), so a reader sees the old file or the new one, never
half of one. It is read back bounded (``limits.MAX_PROFILE_BYTES``) and checked: a header that does not
match the model, or any field of the wrong type, shape or range, and the profile is computed again and
the file replaced. A cache that cannot be written (a read-only folder) does not fail the computation;
``ModelProfile.cache_problem`` says why.

Public API (for the CLI, the REPL and the TUI):

- ``model_profile(classifier, progress=None, should_stop=..., folder=None, refresh=False) -> ModelProfile``:
  the cached profile, or computed (``progress(fraction)`` from 0 to 1) and cached. Raises ``RnnplayError``
  (one line) when the model has no held-out split, ``Cancelled`` when ``should_stop()`` turns true.
- ``cached_profile(classifier, folder=None) -> ModelProfile | None``: the cache alone, never computing,
  never raising (the TUI asks it first, to show the views at once when it can).
- ``cache_file(classifier, folder=None) -> Path``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from rnnplay import limits
from rnnplay.card import VOCAB, WEIGHTS
from rnnplay.errors import RnnplayError
from rnnplay.runtime import profile as stats
from rnnplay.runtime.profile import Profile
from rnnplay.store.reading import read_json

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier

PROFILE_FORMAT = 1  # bump when the statistics or the file change: older files are then recomputed
PROFILES_DIR_ENV = "RNNPLAY_PROFILES_DIR"
LOADED = 0.1  # the share of the progress bar that reading and encoding the held-out reviews takes
SAMPLING = {"reviews": stats.CONNECTIVITY_REVIEWS, "length": stats.CONNECTIVITY_LENGTH, "axis_reviews": stats.AXIS_REVIEWS,
            "cloud": stats.CLOUD_POINTS, "components": stats.COMPONENTS, "bins": stats.BINS, "init_seed": stats.INIT_SEED}


@dataclass(frozen=True)
class ModelProfile:
    """One model's profile, and what it was computed from."""

    model: str
    weights: str  # sha256 of the weights it describes
    corpus: str  # the held-out reviews: this corpus's test split …
    seed: int  # … cut with this seed
    texts: int  # held-out texts in the split (the profile reads the first ones, see runtime.profile)
    profile: Profile
    cached: bool = False  # read back from the cache rather than computed now
    cache_problem: str = ""  # why the cache could not be written, when it could not

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "weights_sha256": self.weights, "corpus": self.corpus, "split_seed": self.seed,
                "held_out_texts": self.texts, "cached": self.cached, **self.profile.to_json()}


def profiles_dir() -> Path:
    """The folder of cached profiles (not created until one is written)."""
    if os.environ.get(PROFILES_DIR_ENV):
        return Path(os.environ[PROFILES_DIR_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnnplay")) / "profiles"


def weights_digest(classifier: Classifier) -> str:
    """The sha256 of the model's weights: the card's (checked when the model was loaded), or, for a model
    not saved yet, of its arrays (names, shapes and bytes)."""
    recorded = classifier.card.files.get(WEIGHTS)
    if recorded:
        return recorded
    digest = hashlib.sha256()
    for name in sorted(classifier.stored.arrays):
        array = np.ascontiguousarray(classifier.stored.arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _vocabulary_digest(classifier: Classifier) -> str:
    recorded = classifier.card.files.get(VOCAB)
    if recorded:
        return recorded
    return hashlib.sha256("\n".join(classifier.stored.vocabulary).encode("utf-8", "surrogatepass")).hexdigest()


def cache_file(classifier: Classifier, folder: Path | None = None) -> Path:
    return (folder or profiles_dir()) / f"{weights_digest(classifier)}.json"


def _header(classifier: Classifier, corpus: str, seed: int, texts: int) -> dict[str, Any]:
    return {"format": PROFILE_FORMAT, "model": classifier.name, "weights": weights_digest(classifier),
            "vocabulary": _vocabulary_digest(classifier), "text": asdict(classifier.card.text), "corpus": corpus,
            "split_seed": seed, "held_out_texts": texts, "sampling": SAMPLING}


def cached_profile(classifier: Classifier, folder: Path | None = None) -> ModelProfile | None:
    """The model's cached profile when there is one that fits it, else None (never an error)."""
    from rnnplay.mistakes import recorded_split

    try:
        corpus, seed = recorded_split(classifier.card)
        data = read_json(cache_file(classifier, folder), limits.MAX_PROFILE_BYTES)
        if not isinstance(data, dict) or not isinstance(data.get("header"), dict):
            return None
        header = data["header"]
        texts = header.get("held_out_texts")
        expected = _header(classifier, corpus, seed, texts if type(texts) is int and texts >= 0 else -1)
        if {**header, "model": None} != {**expected, "model": None}:  # a renamed copy of the model may use it
            return None
        profile = Profile.from_json(data.get("profile"), classifier.network)
    except (RnnplayError, OSError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return ModelProfile(classifier.name, weights_digest(classifier), corpus, seed, header["held_out_texts"], profile, cached=True)


def model_profile(classifier: Classifier, progress: Callable[[float], None] | None = None,
                  should_stop: Callable[[], bool] = lambda: False, folder: Path | None = None,
                  refresh: bool = False) -> ModelProfile:
    """The model's profile: from the cache, or computed over its held-out reviews and cached (see the module
    docstring). ``progress(fraction)`` goes from 0 to 1 while it is computed; ``refresh`` ignores the cache."""
    from rnnplay.mistakes import held_out_split, recorded_split

    if not refresh and (found := cached_profile(classifier, folder)) is not None:
        if progress is not None:
            progress(1.0)
        return found
    report = progress or (lambda fraction: None)
    report(0.0)
    corpus, seed = recorded_split(classifier.card)
    test = held_out_split(classifier.card)
    sequences = _encoded(classifier, test.texts, should_stop)
    report(LOADED)
    profile = stats.compute_profile(classifier.network, sequences, np.asarray(test.labels)[: len(sequences)],
                                    progress=lambda f: report(LOADED + (1.0 - LOADED) * f), should_stop=should_stop)
    result = ModelProfile(classifier.name, weights_digest(classifier), corpus, seed, len(test), profile)
    problem = _write(cache_file(classifier, folder), {"header": _header(classifier, corpus, seed, len(test)),
                                                      "profile": profile.to_json()})
    return replace(result, cache_problem=problem)


def _encoded(classifier: Classifier, texts: list[str], should_stop: Callable[[], bool]) -> list[np.ndarray]:
    """The held-out texts as ids, only as many as the profile reads: the first ``AXIS_REVIEWS``, and on until
    ``CONNECTIVITY_REVIEWS`` of them have ``CONNECTIVITY_LENGTH`` words (or the split ends)."""
    sequences: list[np.ndarray] = []
    long_enough = 0
    for text in texts:
        if len(sequences) >= stats.AXIS_REVIEWS and long_enough >= stats.CONNECTIVITY_REVIEWS:
            break
        if len(sequences) % 256 == 0 and should_stop():
            from rnnplay.errors import Cancelled

            raise Cancelled("stopped before the model's profile was computed")
        sequences.append(classifier.encoder.encode(text))
        long_enough += len(sequences[-1]) >= stats.CONNECTIVITY_LENGTH
    return sequences


def _write(path: Path, data: dict[str, Any]) -> str:
    """Write the cache file atomically; the problem in one line when it cannot be written, else ""."""
    from rnnplay.store import atomic_file

    try:
        content = json.dumps(data, allow_nan=False, separators=(",", ":")).encode("utf-8")
        if len(content) > limits.MAX_PROFILE_BYTES:
            return f"the profile is {len(content):,} bytes, more than a cache file may hold"
        with atomic_file(path) as f:
            f.write(content)
    except RnnplayError as error:
        return str(error)
    return ""
