"""One writer per model name, and leftovers that the next run finishes or removes.

Every name has a workspace ``<models>/.rnnplay/<name>/`` that exists only while the name is being
written: a ``lock`` file (an exclusive ``flock``, released by the kernel if the process dies), the
``partial-*`` folder a save writes into, and, on systems without an atomic exchange, the journal
folders ``new`` (a complete new model about to replace the old one) and ``old`` (the old one, moved
aside). ``recover`` reads that journal after a crash:

- the name is missing and ``new`` exists: the replacement was under way, the new model is complete
  (it became ``new`` only once written): finish by renaming it into place;
- the name is missing and ``old`` exists: put the old model back;
- anything else left (partial writes, a half-removed ``old`` or ``deleting``): remove it.

So the name always ends up holding a complete model, the old or the new one, never neither. The
folders that rnnplay before this version left (``.NAME.xxxxxxxx.partial``, ``.NAME.xxxxxxxx.old/NAME``,
``.deleting-NAME``) are recovered the same way.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import time
from pathlib import Path

from rnnplay.errors import RnnplayError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one writer per name is then not enforced
    fcntl = None  # type: ignore[assignment]

ROOT = ".rnnplay"  # hidden, so listings skip it; a model name cannot start with "."
LOCK, NEW, OLD, DELETING = "lock", "new", "old", "deleting"
LEGACY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.(?P<what>partial|old)|\.deleting-(?P<deleted>.+)")
POLL = 0.05


def workspace(models_dir: Path, name: str) -> Path:
    return models_dir / ROOT / name


class NameLock:
    """An exclusive lock on one model name in one models folder."""

    def __init__(self, models_dir: Path, name: str) -> None:
        self.models_dir, self.name = models_dir, name
        self.folder = workspace(models_dir, name)
        self.fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds for another process to let it go."""
        deadline = time.monotonic() + wait
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                holder = self._holder()
                raise RnnplayError(f"another rnnplay process{holder} is writing the model {self.name}; "
                                   "try again when it has finished")
            time.sleep(POLL)

    def try_acquire(self) -> bool:
        """Take the lock if it is free. The lock file may be removed by a holder letting go: retry then."""
        for _ in range(100):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except (FileNotFoundError, FileExistsError):  # another holder removed the workspace meanwhile
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as error:
                    os.close(fd)
                    if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        return False
                    raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.folder / LOCK).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # we locked a file its holder had already removed: the lock is elsewhere now
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self.fd = fd
            return True
        return False

    def _holder(self) -> str:
        try:
            pid = (self.folder / LOCK).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return f" (pid {pid})" if pid.isascii() and pid.isdigit() else ""

    def release(self) -> None:
        """Let go, removing the workspace if nothing but the lock is left in it (no clutter remains)."""
        if self.fd is None:
            return
        try:
            leftovers = [p for p in self.folder.iterdir() if p.name != LOCK]
            if not leftovers:
                (self.folder / LOCK).unlink()
        except OSError:
            leftovers = [self.folder]
        finally:
            os.close(self.fd)
            self.fd = None
        if not leftovers:
            for folder in (self.folder, self.folder.parent):
                try:
                    folder.rmdir()
                except OSError:
                    break

    def __enter__(self) -> NameLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def recover_name(models_dir: Path, name: str) -> None:
    """Finish or undo an interrupted save or removal of ``name``; the caller holds its lock."""
    target, folder = models_dir / name, workspace(models_dir, name)
    if not os.path.lexists(target):
        for candidate in (folder / NEW, folder / OLD, *_legacy_retired(models_dir, name)):
            if candidate.is_dir():
                os.rename(candidate, target)
                break
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name != LOCK:
                _remove(entry)
    for entry in _legacy_entries(models_dir, name):
        _remove(entry)


def recover(models_dir: Path) -> None:
    """Recover every name whose lock is free. Best effort: a listing must work on a read-only folder too."""
    try:
        names = {entry.name for entry in (models_dir / ROOT).iterdir()} if (models_dir / ROOT).is_dir() else set()
        names |= {_legacy_name(match) for entry in models_dir.iterdir() if (match := LEGACY.fullmatch(entry.name))}
    except OSError:
        return
    for name in sorted(names):
        lock = NameLock(models_dir, name)
        try:
            if lock.try_acquire():
                recover_name(models_dir, name)
        except OSError:
            pass
        finally:
            lock.release()


def _legacy_name(match: re.Match[str]) -> str:
    return match.group("name") or match.group("deleted")


def _legacy_entries(models_dir: Path, name: str) -> list[Path]:
    try:
        entries = list(models_dir.iterdir())
    except OSError:
        return []
    return [e for e in entries if (m := LEGACY.fullmatch(e.name)) and _legacy_name(m) == name]


def _legacy_retired(models_dir: Path, name: str) -> list[Path]:
    """Where an interrupted replace of the earlier rnnplay put the old model: ``.NAME.xxxxxxxx.old/NAME``."""
    return [e / name for e in _legacy_entries(models_dir, name) if e.name.endswith(".old")]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
