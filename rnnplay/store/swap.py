"""Putting a finished folder in place in one step, and making it last.

Linux's ``renameat2`` can exchange two names atomically (``RENAME_EXCHANGE``) and refuse to replace
an existing one (``RENAME_NOREPLACE``). With them, replacing a model is a single system call: at every
instant the name holds either the old folder or the new one. Python's ``os`` module does not expose
``renameat2``, so it is called through ``ctypes``; where it is missing (another system, an old C
library, a file system that refuses the flags) the callers fall back to a journaled sequence of plain
renames that the next run can always finish (``workspace``).
"""

from __future__ import annotations

import errno
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    try:
        import ctypes
    except ImportError:  # pragma: no cover - a Python built without ctypes
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function: Any = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def _call(source: Path, target: Path, flags: int) -> bool:
    """True when done; False when this system or file system cannot; OSError for a real failure."""
    function = _renameat2()
    if function is None:
        return False
    import ctypes

    if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(target))


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing entries atomically; False when not supported here (nothing was changed)."""
    return _call(a, b, RENAME_EXCHANGE)


def rename_new(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, which must not exist (FileExistsError if it appeared meanwhile)."""
    if not _call(source, target, RENAME_NOREPLACE):
        if os.path.lexists(target):  # the caller holds the name's lock, so only a foreign process races here
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        os.rename(source, target)


def sync_tree(folder: Path) -> None:
    """Flush a folder's files and the folder itself to disk, so a power cut cannot publish empty files."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            sync(Path(entry.path))
    sync(folder)


def sync(path: Path) -> None:
    """fsync one file or folder; file systems that cannot (some network ones) are left as they are."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
