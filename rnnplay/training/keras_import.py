"""``rnnplay import``: take a user's ``.keras`` classifier into rnnplay, safely and verifiably.

The file is opened with ``safe_mode=True`` (a Lambda layer or any other code in it is refused), its
layers are read by the same converter our own training uses, and the result must reproduce Keras'
probabilities on real texts before anything is saved.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np

from rnnplay.card import CardError
from rnnplay.corpora import load_corpus, split
from rnnplay.errors import RnnplayError
from rnnplay.limits import (
    CLASSIFIER,
    MAX_KERAS_BYTES,
    MAX_KERAS_CONFIG_BYTES,
    MAX_KERAS_MEMBERS,
    MAX_PARAMETERS,
    MAX_TOKEN_BYTES,
    MAX_ZIP_DIRECTORY_BYTES,
    MAX_ZIP_RATIO,
    ZIP_RATIO_FLOOR,
)
from rnnplay.printable import excerpt, printable, surrogate_safe
from rnnplay.runtime.classifier import Classifier
from rnnplay.store import KERAS, atomic_model_dir, ensure_free, new_card, write_model
from rnnplay.text import OOV, PAD, STANDARDIZERS, Standardize, TextSettings
from rnnplay.training import keras_model, tensorflow_modules
from rnnplay.training.classifier import versions
from rnnplay.training.keras_model import shown_setting

PARITY_TEXTS = 200
PARITY_TOLERANCE = 1e-4
CONFIG, METADATA = "config.json", "metadata.json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # Keras colours its messages
END_RECORD, ZIP64_LOCATOR, ZIP64_END_RECORD = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"
COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # Keras stores; a re-zipped file deflates
# What zipfile and zlib raise on a damaged archive (the sizes are bounded before anything is read).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error, zlib.error)


def _size(count: int) -> str:
    return f"{count / 2**20:,.0f} MB" if count >= 2**20 else f"{count:,} bytes"


def _directory(f: BinaryIO) -> tuple[int, int]:
    """(members, central directory bytes) from the zip's end record, ZIP64's when it has one.

    ``zipfile.ZipFile`` reads the whole directory and builds an object per member before anything
    can be checked, so a directory of millions of entries must be refused from these two numbers.
    """
    size = f.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 0xFFFF)  # the end record and at most a 64 KB comment
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = len(tail) - 22 if tail[-22:-18] == END_RECORD else tail.rfind(END_RECORD)  # as zipfile finds it
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory record")
    members, directory = struct.unpack("<10xHL6x", tail[at : at + 22])
    if members == 0xFFFF or directory == 0xFFFFFFFF:
        if at < 20 or tail[at - 20 : at - 16] != ZIP64_LOCATOR:
            raise zipfile.BadZipFile("a ZIP64 archive without its locator")
        (offset,) = struct.unpack("<8xQ4x", tail[at - 20 : at])
        f.seek(offset)
        record = f.read(56)
        if len(record) < 56 or record[:4] != ZIP64_END_RECORD:
            raise zipfile.BadZipFile("a damaged ZIP64 end record")
        members, directory = struct.unpack("<32xQQ8x", record)
    return members, directory


def _check_members(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse from the sizes the archive declares, before a byte is decompressed.

    zipfile never returns more than a member's declared size (and checks its CRC), so the declared
    sizes bound what ``testzip`` and Keras will unpack.
    """
    total = 0
    for info in archive.infolist():
        member = excerpt(info.filename)
        if info.flag_bits & 0x1:
            raise RnnplayError(f"{name}: {member} is encrypted; a .keras file is not")
        if info.compress_type not in COMPRESSIONS:
            raise RnnplayError(f"{name}: {member} uses zip compression method {info.compress_type}; "
                               "a .keras file is stored or deflated")
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise RnnplayError(f"{name}: {member} would expand from {_size(info.compress_size)} to {_size(info.file_size)} "
                               f"(a zip bomb?); refused before unpacking")
        if info.filename in (CONFIG, METADATA) and info.file_size > MAX_KERAS_CONFIG_BYTES:
            raise RnnplayError(f"{name}: its {info.filename} declares {_size(info.file_size)}, more than a model "
                               f"rnnplay can run needs (at most {_size(MAX_KERAS_CONFIG_BYTES)})")
        total += info.file_size
    if total > MAX_KERAS_BYTES:
        raise RnnplayError(f"{name} unpacks to {_size(total)}, more than a model rnnplay can run needs "
                           f"(at most {_size(MAX_KERAS_BYTES)}: {MAX_PARAMETERS:,} weights with Adam's state)")


def check_file(path: Path) -> None:
    """Say what is really wrong with a file Keras would misreport, or that unpacks beyond any model rnnplay runs.

    Keras reports a truncated file as 'File not found'. The archive's declared sizes are checked
    before anything is decompressed, and without TensorFlow: ``rnnplay import`` loads it only once
    this passes.
    """
    path = Path(path)
    name = printable(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise RnnplayError(f"no such file: {name}") from None
    except OSError as error:
        raise RnnplayError(f"cannot read {name}: {error.strerror or error}") from None
    if stat.S_ISDIR(status.st_mode):
        raise RnnplayError(f"{name} is a folder, not a .keras file")
    if not stat.S_ISREG(status.st_mode):
        raise RnnplayError(f"{name} is not a regular file (a device or a pipe?); give a .keras file on disk")
    if status.st_size == 0:
        raise RnnplayError(f"{name} is empty")
    if not zipfile.is_zipfile(path):
        raise RnnplayError(f"{name} is not a Keras 3 .keras file (not a zip archive; truncated or another format?)")
    try:
        with path.open("rb") as f:
            members, directory = _directory(f)
            if members > MAX_KERAS_MEMBERS or directory > MAX_ZIP_DIRECTORY_BYTES:
                raise RnnplayError(f"{name} lists {members:,} members in {_size(directory)}; a .keras file holds a "
                                   f"config, the weights and a few assets (at most {MAX_KERAS_MEMBERS:,})")
            with zipfile.ZipFile(f) as archive:
                names = set(archive.namelist())
                if CONFIG not in names:
                    raise RnnplayError(f"{name} is a zip archive but not a .keras model (no {CONFIG})")
                _check_members(name, archive)
                broken = archive.testzip()
    except ZIP_ERRORS as error:
        raise RnnplayError(f"{name} is a damaged zip archive: {printable(error)[:120]}") from None
    if broken is not None:
        raise RnnplayError(f"{name} is damaged: {excerpt(broken)} fails its checksum")


def _first_line(error: BaseException, width: int = 200) -> str:
    """An exception from Keras as a short printable line (its messages run to pages, with ANSI codes)."""
    lines = [line.strip() for line in ANSI.sub("", str(error)).splitlines() if line.strip()]
    said = [line for line in lines if not line.startswith("Exception encountered when calling")] or lines
    line = printable(said[0]) if said else type(error).__name__
    return line if len(line) <= width else line[:width] + "…"


def load_keras(path: Path) -> Any:
    check_file(path)
    _, keras = tensorflow_modules()
    try:
        from rnnplay.training.keras_model import masked_max_pooling

        masked_max_pooling()  # registered, so a model rnnplay trained with --pooling max loads
        return keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types here; all mean "this file cannot be used"
        raise RnnplayError(f"{printable(path)} cannot be loaded safely: {_first_line(error)}") from None


def encoder_settings(vectorizer: Any) -> tuple[list[str], TextSettings]:
    if vectorizer is None:
        raise RnnplayError("the model has no TextVectorization layer: rnnplay needs the encoder's vocabulary "
                           "(build it as the tutorial does: Sequential([encoder, Embedding, ...]))")
    config = vectorizer.get_config()
    if not isinstance(config, dict):
        raise RnnplayError(f"the TextVectorization layer's settings are not readable ({shown_setting(config)})")
    standardize = config.get("standardize") or "none"
    length = config.get("output_sequence_length")
    problems = []
    if not isinstance(standardize, str) or standardize not in STANDARDIZERS:
        problems.append(f"standardize={shown_setting(standardize)}")
    if config.get("split") != "whitespace":
        problems.append(f"split={shown_setting(config.get('split'))}")
    if config.get("ngrams"):
        problems.append(f"ngrams={shown_setting(config.get('ngrams'))}")
    if config.get("output_mode") != "int":
        problems.append(f"output_mode={shown_setting(config.get('output_mode'))}")
    if length is not None and not CLASSIFIER["max_length"].holds(length):
        problems.append(f"output_sequence_length={shown_setting(length)} (rnnplay keeps {CLASSIFIER['max_length'].describe()})")
    if problems:
        raise RnnplayError(f"unsupported TextVectorization settings: {', '.join(problems)}")
    vocabulary = [str(token) for token in vectorizer.get_vocabulary()]
    if vocabulary[:2] != [PAD, OOV]:
        raise RnnplayError("the encoder's vocabulary does not start with '' and '[UNK]'")
    for token in vocabulary:
        if "\n" in token or "\r" in token or len(token.encode("utf-8", "surrogatepass")) > MAX_TOKEN_BYTES:
            raise RnnplayError(f"the encoder's vocabulary holds a token rnnplay cannot keep (a line break, or longer than "
                               f"{MAX_TOKEN_BYTES:,} bytes): {excerpt(token)}")
    return vocabulary, TextSettings(standardize=cast(Standardize, standardize), strip_markup=False,
                                    max_length=None if length is None else int(length), truncate="start")


def import_keras(path: Path, target: Path, corpus_name: str = "imdb", overwrite: bool = False) -> tuple[Path, dict[str, Any]]:
    """Convert ``path`` into a model folder at ``target`` and return it with the parity figures."""
    ensure_free(target, overwrite)
    model = load_keras(path)
    architecture, arrays, vectorizer = keras_model.to_arrays(model)
    vocabulary, settings = encoder_settings(vectorizer)
    if len(vocabulary) != architecture["vocab_size"]:
        raise RnnplayError(f"the encoder has {len(vocabulary)} tokens but the Embedding {architecture['vocab_size']} rows")
    card = new_card("classifier", target.name, architecture, settings, imported_from=surrogate_safe(str(path)))
    try:  # the bounds every classifier card is held to, and finite weights
        runtime = Classifier.in_memory(target, card, arrays, vocabulary, where="the model")
    except CardError as error:
        raise RnnplayError(f"the model is outside what rnnplay runs: {error}") from None
    card["parity"] = parity(model, runtime, corpus_name, architecture["mask_zero"])
    if not card["parity"]["max_abs_diff"] <= PARITY_TOLERANCE:  # NaN fails too
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
    try:
        if mask_zero:
            logits = _scores(model.predict(tf.constant(texts), verbose=0, batch_size=64), len(texts))
        else:
            texts = texts[:50]
            logits = np.concatenate([_scores(model.predict(tf.constant([t]), verbose=0), 1) for t in texts])
    except RnnplayError:
        raise
    except Exception as error:  # Keras cannot run the model it loaded (an unrolled RNN without a fixed length, …)
        raise RnnplayError(f"Keras cannot run the model on texts, so it cannot be checked: {_first_line(error)}") from None
    keras_p = 1 / (1 + np.exp(-logits)) if runtime.network.output == "logit" else logits
    ours = runtime.predict(texts)
    return {"corpus": corpus_name, "n": len(texts), "max_abs_diff": float(np.max(np.abs(keras_p - ours)))}


def _scores(output: Any, count: int) -> np.ndarray:
    """Keras' output as one score per text; a model with another output is not a classifier rnnplay runs."""
    if not isinstance(output, np.ndarray) or output.shape != (count, 1):
        shape = getattr(output, "shape", type(output).__name__)
        raise RnnplayError(f"the model's output is {shown_setting(shape)}, not one score per text")
    return output[:, 0].astype(np.float64)
