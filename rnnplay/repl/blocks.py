"""Print outcomes as result blocks: the lines of one result, then one empty line.

A block never contains an empty line of its own, so blocks are easy to count and split
(``awk -v RS= …``): N answered input lines give exactly N blocks. On a pipe, lines of text are never broken
(an error stays one line); tables fit the width (80 columns, or ``COLUMNS``). On a terminal, Rich wraps
long lines at word boundaries. Colour follows Rich's detection —
on for a terminal, off for a pipe or a file (``FORCE_COLOR`` / ``NO_COLOR`` override it) — so output
pasted into a blog post or a lesson carries no escape codes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, TextIO

from rnnplay.repl.outcome import Outcome

if TYPE_CHECKING:
    from rich.console import Console

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def console_for(out: TextIO) -> "Console":
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=False)


def block_text(console: "Console", outcome: Outcome) -> Optional[str]:
    """The block for an outcome, or None when there is nothing to show (a blank line, :quit)."""
    from rich.text import Text

    if outcome.error is not None:
        parts = [Text(f"error: {outcome.error}", style="red")]
    elif outcome.blank:
        return None
    else:
        parts = outcome.view
    unbroken = not console.is_terminal  # on a terminal Rich wraps at word boundaries; elsewhere a line stays one line
    with console.capture() as captured:
        for part in parts:
            console.print(part, soft_wrap=unbroken and isinstance(part, Text))
    lines = [line.rstrip() for line in captured.get().splitlines() if ANSI.sub("", line).strip()]
    return "\n".join(lines or ["(nothing to show)"]) + "\n\n"


def print_block(console: "Console", outcome: Outcome) -> None:
    """Write the outcome's block, if it has one (flushed, so a reader on the other end of a pipe gets it at once)."""
    text = block_text(console, outcome)
    if text is not None:
        console.file.write(text)
        console.file.flush()
