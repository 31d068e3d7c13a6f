"""Line mode, for a pipe, a file or ``--json``: one command or text per line, one result per line.

No prompt and no decorations, so a session can be scripted and its output pasted as it is:

- text: one block per non-blank line (a blank line gives none, as at the prompt); a failing line gives
  a one-line ``error: …`` block in its place;
- ``--json``: one JSON object per input line, blank (``"blank": true``) and failing (``"error"``)
  lines included, so the n-th object answers the n-th line. An object is strict JSON on one line
  (no ``NaN``; control characters, bidirectional overrides and lone surrogates as ``\\u`` escapes).

Whatever a line holds, it gets its block or object (``dispatch.handle`` is total, and a result that
cannot be rendered or written as JSON becomes an internal-error line), so nothing is lost or shifted.

End of input ends the REPL at once: it never waits for more and never loops (fastText's ``nn`` does).
A line that is not UTF-8 or is too long is one error, and reading goes on with the next line.
Exit code: 0 when every line was answered, 1 when some line gave an error (the others still ran).
"""

from __future__ import annotations

from typing import BinaryIO, Iterator, TextIO

from rnnplay.lines import Line, line_batches
from rnnplay.repl.blocks import console_for, print_block
from rnnplay.repl.dispatch import MAX_LINE_CHARS, handle, too_long
from rnnplay.repl.outcome import Outcome
from rnnplay.repl.session import Session


def read_lines(stream: BinaryIO, max_chars: int = MAX_LINE_CHARS) -> Iterator[Line]:
    """Lines read as ``rnnplay classify`` reads them, each as soon as it has arrived; memory stays bounded.

    The byte bound lets through every line of ``max_chars`` characters (UTF-8 takes at most 4 bytes
    a character, then ``\r``); ``handle`` refuses what is longer in characters.
    """
    for batch in line_batches(stream, batch_size=1, max_bytes=4 * max_chars + 1, too_long=too_long()):
        yield from batch


def answer(session: Session, line: Line) -> Outcome:
    if line.kind == "error":
        return Outcome.failed(None, f"line {line.number}: {line.problem}")
    return handle(session, line.text)


def run_lines(session: Session, stream: BinaryIO, out: TextIO, json_lines: bool = False) -> int:
    """Answer every line of ``stream`` on ``out``; the exit code (0, or 1 when a line failed)."""
    console = console_for(out)
    failed = False
    for line in read_lines(stream):
        outcome = answer(session, line)
        if json_lines:
            shown, text = outcome.formatted(lambda it: it.json_line(line.number))  # noqa: B023 - called at once
            out.write(text + "\n")
            out.flush()
        else:
            shown = print_block(console, outcome)
        failed = failed or shown.error is not None
        if outcome.quit:
            break
    return 1 if failed else 0
