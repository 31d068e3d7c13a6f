"""One input line in, one ``Outcome`` out: the core both front ends (prompt and pipe) share.

A line is a command when it starts with ``:`` and a letter (``:nn good``); anything else, including
``:)`` or ``:-(``, is text to classify. Every failure a user can cause comes back as an outcome with
one error line, so the REPL always goes on.
"""

from __future__ import annotations

import re
from typing import Callable

from rnnplay.errors import RnnplayError
from rnnplay.repl.commands import classify, did_you_mean, find
from rnnplay.repl.outcome import Outcome
from rnnplay.repl.session import Session

MAX_LINE_CHARS = 20_000  # longer than any review in the built-in corpora; bounds the per-word explanation
COMMAND = re.compile(r":([A-Za-z?][\w-]*)(?:\s+(.*))?\Z", re.DOTALL)


def too_long() -> str:
    return f"the line is longer than {MAX_LINE_CHARS:,} characters, the most the REPL takes (rnnplay classify FILE takes long texts)"


def handle(session: Session, line: str) -> Outcome:
    """Run one line. A blank line is an outcome with nothing to show (``--json`` still reports it)."""
    if len(line) > MAX_LINE_CHARS:
        return Outcome.failed(None, too_long())
    text = line.strip()
    if not text:
        return Outcome(None, {"blank": True})
    match = COMMAND.match(text)
    if match is None:
        return attempt("classify", lambda: classify(session, text))
    name, args = match.group(1), match.group(2) or ""
    command = find(name)
    if command is None:
        return Outcome.failed(name, f"unknown command :{name}{did_you_mean(name)} (:help lists the commands)")
    return attempt(command.name, lambda: command.run(session, args))


def attempt(name: str, run: Callable[[], Outcome]) -> Outcome:
    try:
        return run()
    except RnnplayError as error:
        return Outcome.failed(name, str(error))
