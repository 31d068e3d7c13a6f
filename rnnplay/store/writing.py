"""Saving models: a checked name, a writable folder, one writer per name, and an atomic replacement.

A save reserves the name first (``reserve``: the name is valid, the folder can be written, no other
process is writing it, it is free or may be replaced), so a training that could not be saved fails
before it starts rather than after minutes of work. The model is written into a folder of the name's
workspace and put in place by one atomic exchange (``swap``), or by the journaled renames
``workspace.recover`` can finish. Whatever happens, the name holds the old model or the new one,
complete, never neither.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Mapping

import numpy as np

from rnnplay import card as cards
from rnnplay import limits
from rnnplay.card import CARD_FORMAT, VOCAB, WEIGHTS
from rnnplay.errors import RnnplayError
from rnnplay.printable import is_printable, printable
from rnnplay.store import swap
from rnnplay.store.reading import CARD, check_arrays, sha256
from rnnplay.store.workspace import DELETING, NEW, OLD, NameLock, recover_name
from rnnplay.text import TextSettings

LOCK_WAIT = 10.0  # seconds a quick save waits for another process's save of the same name
FORBIDDEN = set('/\\:*?"<>|')


def check_name(name: str) -> str:
    """A model name is a plain folder name that prints on one line: refuse anything else, saying why."""
    shown = printable(repr(name))
    if not name:
        raise RnnplayError("give a model name (letters, digits, '-', '_' and '.')")
    if name.startswith(".") or FORBIDDEN & set(name):
        raise RnnplayError(f"{shown} is not a usable model name: it may not start with '.' or hold any of / \\ : * ? \" < > |")
    if not is_printable(name) or not name.isprintable():
        raise RnnplayError(f"{shown} is not a usable model name: it holds control characters or line breaks")
    if name.strip() != name:
        raise RnnplayError(f"{shown} is not a usable model name: it starts or ends with a space")
    if len(name.encode("utf-8", "surrogateescape")) > limits.MAX_NAME_BYTES:
        raise RnnplayError(f"a model name is at most {limits.MAX_NAME_BYTES} bytes; this one has "
                           f"{len(name.encode('utf-8', 'surrogateescape')):,}")
    return name


def prepare_folder(folder: Path) -> Path:
    """Create the models folder if needed and prove it can be written, before any work is spent."""
    shown = printable(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise RnnplayError(f"cannot save models in {shown}: it, or a folder above it, is a file") from None
    except OSError as error:
        raise RnnplayError(f"cannot save models in {shown}: {error.strerror}") from None
    if not folder.is_dir():
        raise RnnplayError(f"cannot save models in {shown}: it is not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".rnnplay-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise RnnplayError(f"cannot save models in {shown}: {error.strerror or error}") from None
    return folder


def ensure_free(target: Path, overwrite: bool = False) -> None:
    """Everything ``reserve`` checks, without keeping the lock: for commands that check before they start."""
    with reserve(target, overwrite):
        pass


class Reservation:
    """The right to write one model name, from before the work starts until the model is in place."""

    def __init__(self, target: Path, overwrite: bool, lock: NameLock) -> None:
        self.target, self.overwrite, self.lock = target, overwrite, lock

    @contextmanager
    def writing(self) -> Iterator[Path]:
        """A folder to write the model into; on success it replaces (or becomes) the target.

        On any failure (an exception, Ctrl-C, a full disk, a rename refused halfway through the
        journal) the name's workspace is recovered at once, while the name is still ours: the target
        holds the old model or the new one, complete, and the partial folder is gone. (A process killed
        outright leaves that to the next run's recovery.)
        """
        scratch = Path(tempfile.mkdtemp(prefix="partial-", dir=self.lock.folder))
        _as_ordinary(scratch, 0o777)
        published = False
        try:
            try:
                yield scratch
            except OSError as error:
                raise RnnplayError(f"cannot save {printable(self.target)}: {error.strerror or error}; "
                                   "nothing was changed") from None
            try:
                self.publish(scratch)
            except OSError as error:
                raise RnnplayError(f"cannot put {printable(self.target)} in place: {error.strerror or error}; "
                                   "it holds the old model or the new one, complete") from None
            published = True
        finally:
            if not published:
                self._recover()

    def _recover(self) -> None:
        try:
            recover_name(self.lock.models_dir, self.target.name)
        except OSError:
            pass  # the next run's recovery tries again

    def publish(self, scratch: Path) -> None:
        swap.sync_tree(scratch)
        if not os.path.lexists(self.target):
            swap.rename_new(scratch, self.target)
        elif not self.overwrite:
            raise RnnplayError(f"a model already exists at {printable(self.target)} (choose another --name, or --force)")
        elif swap.exchange(scratch, self.target):
            shutil.rmtree(scratch, ignore_errors=True)  # it holds the old model now
        else:
            self._journaled(scratch)
        swap.sync(self.target.parent)

    def _journaled(self, scratch: Path) -> None:
        """Replace by plain renames, in an order ``workspace.recover`` can finish from any point."""
        new, old = self.lock.folder / NEW, self.lock.folder / OLD
        os.rename(scratch, new)  # complete: from here on, recovery rolls forward
        os.rename(self.target, old)
        os.rename(new, self.target)
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def reserve(target: Path, overwrite: bool = False, wait: float = 0.0) -> Iterator[Reservation]:
    """Hold the name ``target`` for writing: checked, locked against other processes, leftovers recovered."""
    target = Path(target)
    check_name(target.name)
    folder = prepare_folder(target.parent)
    lock = NameLock(folder, target.name)
    try:
        lock.acquire(wait)
    except OSError as error:
        raise RnnplayError(f"cannot save models in {printable(folder)}: {error.strerror or error}") from None
    try:
        recover_name(folder, target.name)
        if os.path.lexists(target) and not overwrite:
            raise RnnplayError(f"a model already exists at {printable(target)} (choose another --name, or --force)")
        yield Reservation(target, overwrite, lock)
    finally:
        lock.release()


@contextmanager
def atomic_model_dir(target: Path, overwrite: bool = False) -> Iterator[Path]:
    """Reserve ``target`` and yield a folder to write; on success it is put in place atomically."""
    with reserve(target, overwrite, wait=LOCK_WAIT) as slot, slot.writing() as scratch:
        yield scratch


def delete_model(path: Path, models_dir: str | Path | None = None) -> None:
    """Remove one of the user's models: out of every listing at once (a rename), then from the disk.

    Shipped models and folders outside the user's models folder are refused.
    """
    from rnnplay.store.places import user_models_dir

    folder = user_models_dir(models_dir).resolve()
    path = Path(path)
    if path.resolve().parent != folder and path.parent.resolve() != folder:
        raise RnnplayError(f"{printable(path.name)} is not one of your models (only models in {printable(folder)} can be deleted)")
    path = folder / path.name
    if not path.is_dir():
        raise RnnplayError(f"no model folder at {printable(path)}")
    with NameLock(folder, path.name) as lock:
        lock.acquire(LOCK_WAIT)
        recover_name(folder, path.name)
        trash = lock.folder / DELETING
        try:
            os.rename(path, trash)
        except OSError as error:
            raise RnnplayError(f"cannot delete {printable(path)}: {error.strerror}") from None
        shutil.rmtree(trash, ignore_errors=True)


def new_card(kind: str, name: str, architecture: Mapping[str, Any], settings: TextSettings, **fields: Any) -> dict[str, Any]:
    """The card fields every model has, whatever made it (trained here, imported, converted)."""
    from dataclasses import asdict

    return {
        "name": name,
        "kind": kind,
        "format": CARD_FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "architecture": dict(architecture),
        "text": asdict(settings),
        **fields,
    }


def write_model(folder: Path, card: Mapping[str, Any], arrays: Mapping[str, np.ndarray], vocabulary: list[str]) -> None:
    """Write weights, vocabulary and the card (with file hashes) into ``folder``.

    The card is checked as a loader will check it, and the arrays against it (names, shapes, finite
    values), so nothing is saved that could not be loaded: a training that diverged to NaN is refused
    here. Any other file already in the folder (``model.keras``) is hashed into the card too. Arrays
    are stored as float32, except float16 ones, which stay half size (shipped word vectors).
    """
    if any("\n" in token or "\r" in token for token in vocabulary):
        raise RnnplayError("a vocabulary token holds a line break; it cannot be saved one token a line")
    stored = {k: v if v.dtype == np.float16 else np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
    card = dict(card, format=CARD_FORMAT)
    parsed = cards.parse(card)
    check_arrays(parsed, stored, "the model to save")
    np.savez(folder / WEIGHTS, **stored)  # type: ignore[arg-type]
    (folder / VOCAB).write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    card["files"] = {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.name != CARD}
    card["size_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
    text = json.dumps(card, indent=2, sort_keys=False, allow_nan=False) + "\n"
    (folder / CARD).write_text(text, encoding="utf-8")


def _as_ordinary(path: Path, mode: int) -> None:
    """mkdtemp/mkstemp make private entries; what we publish gets the permissions the umask gives."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(mode & ~umask)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only once it is completely written (exports).

    A failure to write (a full disk, a read-only folder) is one RnnplayError; the file is then
    left as it was.
    """
    path = Path(path)
    shown = printable(path)
    if path.is_dir():
        raise RnnplayError(f"{shown} is a folder, not a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:
        raise RnnplayError(f"cannot write {shown}: {_reason(error)}") from None
    scratch = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _as_ordinary(scratch, 0o666)
        os.replace(scratch, path)
    except OSError as error:
        scratch.unlink(missing_ok=True)
        raise RnnplayError(f"cannot write {shown}: {_reason(error)}") from None
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a folder on its path is a file"
    return error.strerror or str(error)
