"""Print outcomes as result blocks: the lines of one result, then one empty line.

A block never contains an empty line of its own, so blocks are easy to count and split
(``awk -v RS= …``): N answered input lines give exactly N blocks. On a pipe, lines of text are never broken
(an error stays one line); tables fit the width (80 columns, or ``COLUMNS``). On a terminal, Rich wraps
long lines at word boundaries. Colour follows Rich's detection —
on for a terminal, off for a pipe or a file (``FORCE_COLOR`` / ``NO_COLOR`` override it) — so output
pasted into a blog post or a lesson carries no escape codes.

Text in a view can come from a file (a vocabulary word, a model's name, a card's field) or from the input
line, so every piece of text is escaped here, at the point of printing (``safe_view``): control
characters, bidirectional overrides and lone surrogates show as escapes instead of acting on the terminal
or failing to encode. Line breaks are kept: some views are several lines (``:train --help``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional, TextIO

from rnnplay.printable import printable
from rnnplay.repl.outcome import Outcome

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def console_for(out: TextIO) -> Console:
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=False)


def escaped_lines(text: str) -> str:
    """``printable`` line by line: every unsafe character but the line breaks becomes an escape."""
    return "\n".join(printable(line) for line in text.split("\n"))


def safe_text(text: Text) -> Text:
    """A copy of ``text`` with its unsafe characters escaped and its styles moved along with the characters."""
    from rich.text import Span

    plain = text.plain
    if escaped_lines(plain) == plain:
        return text
    pieces, offsets = [], []
    length = 0
    for character in plain:
        offsets.append(length)
        piece = escaped_lines(character)
        pieces.append(piece)
        length += len(piece)
    offsets.append(length)
    copy = text.blank_copy("".join(pieces))
    end = len(plain)
    copy.spans = [Span(offsets[min(span.start, end)], offsets[min(span.end, end)], span.style) for span in text.spans]
    return copy


def safe_view(part: Any) -> Any:
    """``part`` with its text escaped: a ``Text``, a string (Rich markup), or a ``Table`` and its cells."""
    from rich.table import Table
    from rich.text import Text

    if isinstance(part, Text):
        return safe_text(part)
    if isinstance(part, str):
        return escaped_lines(part)
    if isinstance(part, Table):  # rebuilt in place: a view's table is made for this one outcome
        part.title, part.caption = safe_view(part.title), safe_view(part.caption)
        for column in part.columns:
            column.header, column.footer = safe_view(column.header), safe_view(column.footer)
            column._cells[:] = [safe_view(cell) for cell in column._cells]  # Rich keeps a column's cells here
    return part


def block_text(console: Console, outcome: Outcome) -> Optional[str]:
    """The block for an outcome, or None when there is nothing to show (a blank line, :quit)."""
    from rich.text import Text

    if outcome.error is not None:
        parts: list[Any] = [Text(f"error: {outcome.error}", style="red")]
    elif outcome.blank:
        return None
    else:
        parts = outcome.view
    unbroken = not console.is_terminal  # on a terminal Rich wraps at word boundaries; elsewhere a line stays one line
    with console.capture() as captured:
        for part in parts:
            console.print(safe_view(part), soft_wrap=unbroken and isinstance(part, Text))
    lines = [line.rstrip() for line in captured.get().splitlines() if ANSI.sub("", line).strip()]
    return "\n".join(lines or ["(nothing to show)"]) + "\n\n"


def print_block(console: Console, outcome: Outcome) -> Outcome:
    """Write the outcome's block, if it has one (flushed, so a reader on the other end of a pipe gets it at once).

    Returns the outcome shown: ``outcome``, or its internal error when its view cannot be rendered (a bug).
    """
    shown, text = outcome.formatted(lambda it: block_text(console, it))
    if text is not None:
        console.file.write(text)
        console.file.flush()
    return shown
