"""``rnnplay import``: take a user's ``.keras`` classifier into rnnplay, safely and verifiably.

The file is opened with ``safe_mode=True`` (a Lambda layer or any other code in it is refused), its
layers are read by the same converter our own training uses, and the result must reproduce Keras'
probabilities on real texts before anything is saved.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from rnnplay.corpora import load_corpus, split
from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier
from rnnplay.store import KERAS, atomic_model_dir, ensure_free, new_card, write_model
from rnnplay.text import OOV, PAD, STANDARDIZERS, TextSettings
from rnnplay.training import keras_model, tensorflow_modules
from rnnplay.training.classifier import versions

PARITY_TEXTS = 200
PARITY_TOLERANCE = 1e-4


def check_file(path: Path) -> None:
    """Say what is really wrong; Keras reports a truncated file as 'File not found'."""
    if not path.exists():
        raise RnnplayError(f"no such file: {path}")
    if path.is_dir():
        raise RnnplayError(f"{path} is a folder, not a .keras file")
    if path.stat().st_size == 0:
        raise RnnplayError(f"{path} is empty")
    if not zipfile.is_zipfile(path):
        raise RnnplayError(f"{path} is not a Keras 3 .keras file (not a zip archive; truncated or another format?)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError) as error:
        raise RnnplayError(f"{path} is a damaged zip archive: {error}") from None
    if broken is not None:
        raise RnnplayError(f"{path} is damaged: {broken} fails its checksum")
    if "config.json" not in names:
        raise RnnplayError(f"{path} is a zip archive but not a .keras model (no config.json)")


def load_keras(path: Path) -> Any:
    check_file(path)
    _, keras = tensorflow_modules()
    try:
        return keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types here; all mean "this file cannot be used"
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise RnnplayError(f"{path} cannot be loaded safely: {first}") from None


def encoder_settings(vectorizer: Any) -> tuple[list[str], TextSettings]:
    if vectorizer is None:
        raise RnnplayError("the model has no TextVectorization layer: rnnplay needs the encoder's vocabulary "
                           "(build it as the tutorial does: Sequential([encoder, Embedding, ...]))")
    config = vectorizer.get_config()
    standardize = config.get("standardize") or "none"
    problems = []
    if standardize not in STANDARDIZERS:
        problems.append(f"standardize={standardize!r}")
    if config.get("split") != "whitespace":
        problems.append(f"split={config.get('split')!r}")
    if config.get("ngrams"):
        problems.append(f"ngrams={config.get('ngrams')!r}")
    if config.get("output_mode") != "int":
        problems.append(f"output_mode={config.get('output_mode')!r}")
    if problems:
        raise RnnplayError(f"unsupported TextVectorization settings: {', '.join(problems)}")
    vocabulary = [str(token) for token in vectorizer.get_vocabulary()]
    if vocabulary[:2] != [PAD, OOV]:
        raise RnnplayError("the encoder's vocabulary does not start with '' and '[UNK]'")
    length = config.get("output_sequence_length")
    return vocabulary, TextSettings(standardize=standardize, strip_markup=False, max_length=length, truncate="start")


def import_keras(path: Path, target: Path, corpus_name: str = "imdb", overwrite: bool = False) -> tuple[Path, dict[str, Any]]:
    """Convert ``path`` into a model folder at ``target`` and return it with the parity figures."""
    ensure_free(target, overwrite)
    model = load_keras(path)
    architecture, arrays, vectorizer = keras_model.to_arrays(model)
    vocabulary, settings = encoder_settings(vectorizer)
    if len(vocabulary) != architecture["vocab_size"]:
        raise RnnplayError(f"the encoder has {len(vocabulary)} tokens but the Embedding {architecture['vocab_size']} rows")
    card = new_card("classifier", target.name, architecture, settings, imported_from=str(path))
    runtime = Classifier.in_memory(target, card, arrays, vocabulary)
    card["parity"] = parity(model, runtime, corpus_name, architecture["mask_zero"])
    if card["parity"]["max_abs_diff"] > PARITY_TOLERANCE:
        raise RnnplayError(f"the converted model does not reproduce Keras (max difference "
                           f"{card['parity']['max_abs_diff']:.2e} > {PARITY_TOLERANCE}); nothing was saved")
    tf, keras = tensorflow_modules()
    card["versions"] = versions(tf, keras)
    with atomic_model_dir(target, overwrite=overwrite) as scratch:
        shutil.copyfile(path, scratch / KERAS)
        write_model(scratch, card, arrays, vocabulary)
    return target, card["parity"]


def parity(model: Any, runtime: Classifier, corpus_name: str, mask_zero: bool) -> dict[str, Any]:
    """Both predictions on held-out texts; without masking Keras must see each text unpadded."""
    tf, _ = tensorflow_modules()
    texts = split(load_corpus(corpus_name), 0).test.texts[:PARITY_TEXTS]
    if mask_zero:
        logits = model.predict(tf.constant(texts), verbose=0, batch_size=64)[:, 0]
    else:
        texts = texts[:50]
        logits = np.array([model.predict(tf.constant([t]), verbose=0)[0, 0] for t in texts])
    keras_p = 1 / (1 + np.exp(-logits.astype(np.float64))) if runtime.network.output == "logit" else logits
    ours = runtime.predict(texts)
    return {"corpus": corpus_name, "n": len(texts), "max_abs_diff": float(np.max(np.abs(keras_p - ours)))}
