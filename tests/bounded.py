"""rnnplay in a separate process with its address space capped (``RLIMIT_AS``): a read that is not bounded
then dies instead of passing, so these tests show every read is bounded by what its file declares.

Classifying one line with the shipped model needs under 300 MB of address space with one OpenBLAS
thread; the caps here leave room for that and nothing like what an unbounded read would take.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

from rnnplay.printable import is_printable

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 600 << 20


def memory_cap(limit: int = MEMORY_LIMIT) -> Callable[[], None]:
    """A ``preexec_fn`` that caps the child's address space at ``limit`` bytes."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child rnnplay: this checkout first on the path, one BLAS thread (less address space)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", **extra}


def run_bounded(*args: str, limit: int = MEMORY_LIMIT, python: tuple[str, ...] = ("-m", "rnnplay"),
                **options: Any) -> subprocess.CompletedProcess:
    """``python -m rnnplay ARGS`` with its address space capped; text output unless ``text=False`` is given."""
    options.setdefault("text", True)
    options.setdefault("env", child_env())
    return subprocess.run([sys.executable, *python, *args], capture_output=True, preexec_fn=memory_cap(limit),
                          timeout=120, **options)


def assert_one_line(error: BaseException, limit: int = 400) -> str:
    """The message a user sees: one printable line of reasonable length."""
    message = str(error)
    assert "\n" not in message and is_printable(message), message
    assert len(message) < limit, message
    return message


def assert_refused(result: subprocess.CompletedProcess, message: str, code: int = 1) -> None:
    """The command ended with exactly one ``rnnplay: error:`` line holding ``message``, and no output."""
    assert result.returncode == code, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("rnnplay: error: "), result.stderr[-2000:]
    assert message in result.stderr and result.stdout == "", result.stderr
