"""A user's own lines for the tiny CBOW trainer (``rnnplay cbow step --lines FILE``), read with bounds.

Lines are read with ``lines.line_batches`` (a long line or bad bytes become a defined error, never a
hang or a traceback); the read stops once the tiny corpus is full, so a huge file costs nothing; and a
line with control characters is refused, since its words would reach the terminal in every view.
"""

from __future__ import annotations

from pathlib import Path

from rnnplay.errors import RnnplayError, UsageError
from rnnplay.limits import MAX_TINY_LINE_BYTES, MAX_TINY_LINES
from rnnplay.lines import line_batches
from rnnplay.printable import excerpt, is_printable, printable


def read_tiny_lines(path: Path) -> list[str]:
    """The file's non-blank lines (at most ``MAX_TINY_LINES``), or one clear error naming the line."""
    name = printable(path)
    if path.is_dir():
        raise UsageError(f"{name} is a folder, not a file of lines")
    texts: list[str] = []
    try:
        with path.open("rb") as stream:
            for batch in line_batches(stream, batch_size=64, max_bytes=MAX_TINY_LINE_BYTES,
                                      too_long=f"longer than {MAX_TINY_LINE_BYTES:,} bytes (the tiny corpus wants short lines)"):
                for line in batch:
                    if line.kind == "error":
                        raise RnnplayError(f"{name}, line {line.number}: {line.problem}")
                    if line.kind == "blank":
                        continue
                    if not is_printable(line.text):
                        raise RnnplayError(f"{name}, line {line.number}: holds control characters ({excerpt(line.text)})")
                    texts.append(line.text)
                    if len(texts) > MAX_TINY_LINES:
                        raise UsageError(f"{name} has more than {MAX_TINY_LINES} lines: the tiny corpus takes at most {MAX_TINY_LINES}")
    except FileNotFoundError:
        raise UsageError(f"no such file: {name}") from None
    except PermissionError:
        raise RnnplayError(f"cannot read {name}: permission denied") from None
    if not texts:
        raise UsageError(f"{name} has no lines of words")
    return texts
