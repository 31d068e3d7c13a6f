"""Saved models on disk: where they live, how they are named, written atomically and loaded safely.

A model is a folder: ``card.json`` (what it is, how it was made, how well it does, a sha256 of every
other file), ``weights.npz`` (float32 arrays, or float16 where a card says so; loaded with
``allow_pickle=False``), ``vocab.txt`` (one token a line; for a classifier line 1 is the empty padding
token) and, for classifiers trained or imported through Keras, ``model.keras`` so Keras users can take
the model back into their own code.

Two kinds share the layout: ``classifier`` (embedding → recurrent stack → head) and ``vectors``
(word vectors: ``input`` rows, and for CBOW the ``output`` rows that guess a word from its context and
the training ``counts`` of each word).

Shipped defaults live read-only in the repository's ``saved/``; a user's models go to the user data
directory (``$RNNPLAY_MODELS_DIR``, ``--models-dir``, or the platform's data dir).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterator, NamedTuple

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.text import TextSettings

CARD, WEIGHTS, VOCAB, KERAS = "card.json", "weights.npz", "vocab.txt", "model.keras"
CARD_FORMAT = 1
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "saved"
MODELS_DIR_ENV = "RNNPLAY_MODELS_DIR"


def user_models_dir(override: str | Path | None = None) -> Path:
    """Where models a user trains or imports go (not created until something is saved)."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(MODELS_DIR_ENV):
        return Path(os.environ[MODELS_DIR_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnnplay")) / "models"


def search_dirs(models_dir: str | Path | None = None) -> list[tuple[str, Path]]:
    """User models first, so a user's model can stand in for a shipped one of the same name."""
    return [("user", user_models_dir(models_dir)), ("shipped", SHIPPED_DIR)]


def resolve(name_or_path: str, models_dir: str | Path | None = None) -> Path:
    """A model named by name (looked up in the models folders) or by path to its folder."""
    path = Path(name_or_path).expanduser()
    if os.sep in name_or_path or name_or_path.startswith(".") or (path / CARD).is_file():
        if not path.is_dir():
            raise RnnplayError(f"no model folder at {path}")
        return path
    for _, folder in search_dirs(models_dir):
        if (folder / name_or_path).is_dir():
            return folder / name_or_path
    known = ", ".join(sorted({entry.path.name for entry in list_models(models_dir)})) or "none"
    raise RnnplayError(f"no model named {name_or_path!r} (known: {known})")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_name(name: str) -> str:
    if not name or name.startswith(".") or any(c in name for c in '/\\:*?"<>|') or name.strip() != name:
        raise RnnplayError(f"{name!r} is not a usable model name (letters, digits, '-', '_' and '.' are)")
    return name


def ensure_free(target: Path, overwrite: bool = False) -> None:
    """Refuse to replace a model unless asked; called before minutes of training, and again at saving."""
    check_name(target.name)
    if target.exists() and not overwrite:
        raise RnnplayError(f"a model already exists at {target} (choose another --name, or --force)")


@contextmanager
def atomic_model_dir(target: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it is renamed into place.

    On any exception (a crash, Ctrl-C, a cancelled training) the temporary folder is removed, so a
    half-written model can never be found under the target's name.
    """
    ensure_free(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    _as_ordinary(scratch, 0o777)
    try:
        yield scratch
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, retired / target.name)
            os.replace(scratch, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(scratch, target)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


def new_card(kind: str, name: str, architecture: dict[str, Any], settings: TextSettings, **fields: Any) -> dict[str, Any]:
    """The card fields every model has, whatever made it (trained here, imported, converted)."""
    return {
        "name": name,
        "kind": kind,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "architecture": architecture,
        "text": asdict(settings),
        **fields,
    }


def _as_ordinary(path: Path, mode: int) -> None:
    """mkdtemp/mkstemp make private entries; what we publish gets the permissions the umask gives."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(mode & ~umask)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only once it is completely written (exports)."""
    path = Path(path)
    if path.is_dir():
        raise RnnplayError(f"{path} is a folder, not a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    scratch = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        _as_ordinary(scratch, 0o666)
        os.replace(scratch, path)
    except BaseException:
        scratch.unlink()
        raise


def write_model(folder: Path, card: dict[str, Any], arrays: dict[str, np.ndarray], vocabulary: list[str]) -> None:
    """Write weights, vocabulary and the card (with file hashes) into ``folder``.

    Any other file already in the folder (``model.keras``) is hashed into the card too. Arrays are
    stored as float32, except float16 ones, which stay half size (shipped word vectors).
    """
    if any("\n" in token for token in vocabulary):
        raise ValueError("a vocabulary token contains a newline")
    np.savez(folder / WEIGHTS, **{k: v if v.dtype == np.float16 else np.asarray(v, dtype=np.float32) for k, v in arrays.items()})
    (folder / VOCAB).write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    card = dict(card, format=CARD_FORMAT)
    card["files"] = {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.name != CARD}
    card["size_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
    (folder / CARD).write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class StoredModel:
    """A model folder as read from disk, checked against its card."""

    path: Path
    card: dict[str, Any]
    arrays: dict[str, np.ndarray]
    vocabulary: list[str]

    @property
    def name(self) -> str:
        return self.card.get("name", self.path.name)


def read_card(path: Path) -> dict[str, Any]:
    card_path = path / CARD
    if not card_path.is_file():
        raise RnnplayError(f"{path} is not a saved model: it has no {CARD}")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RnnplayError(f"{card_path} is corrupt: not valid JSON ({error})") from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT or "kind" not in card:
        raise RnnplayError(f"{card_path} is not an rnnplay model card of format {CARD_FORMAT}")
    return card


def load_model(path: Path) -> StoredModel:
    """Read and verify a model folder: every hash must match, arrays load without pickle."""
    card = read_card(path)
    files = card.get("files", {})
    for required in (WEIGHTS, VOCAB):
        if required not in files:
            raise RnnplayError(f"{path / CARD} lists no {required}")
    for name, digest in files.items():
        file = path / name
        if not file.is_file():
            raise RnnplayError(f"{path} is incomplete: {name} is missing")
        if sha256(file) != digest:
            raise RnnplayError(f"{file} does not match its card (sha256 differs): the model is corrupt or was edited")
    try:
        with np.load(path / WEIGHTS, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise RnnplayError(f"{path / WEIGHTS} is corrupt: {error}") from None
    try:
        text = (path / VOCAB).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RnnplayError(f"{path / VOCAB} is corrupt: not UTF-8 ({error.reason} at byte {error.start})") from None
    vocabulary = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    return StoredModel(path, card, arrays, vocabulary)


class ListedModel(NamedTuple):
    source: str  # "user" or "shipped"
    path: Path
    card: dict[str, Any] | None  # None when the card cannot be read


def list_models(models_dir: str | Path | None = None) -> list[ListedModel]:
    """Every model folder in the search dirs, readable or not (a broken one is listed as such)."""
    found = []
    for source, folder in search_dirs(models_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_dir() and not path.name.startswith("."):
                try:
                    card = read_card(path)
                except RnnplayError:
                    card = None
                found.append(ListedModel(source, path, card))
    return found


def delete_model(path: Path, models_dir: str | Path | None = None) -> None:
    """Remove one of the user's models; shipped models and folders outside the user dir are refused.

    The folder is first renamed to a hidden name (atomic), so a crash halfway through the removal
    never leaves a half-deleted model that still lists as a model.
    """
    import shutil

    folder = user_models_dir(models_dir).resolve()
    path = Path(path).resolve()
    if path.parent != folder:
        raise RnnplayError(f"{path.name} is not one of your models (only models in {folder} can be deleted)")
    if not path.is_dir():
        raise RnnplayError(f"no model folder at {path}")
    trash = path.with_name(f".deleting-{path.name}")
    if trash.exists():  # left by a removal that crashed: it is already out of the list
        shutil.rmtree(trash)
    os.replace(path, trash)
    shutil.rmtree(trash)
