"""One input line in, one ``Outcome`` out: the core both front ends (prompt and pipe) share.

A line is a command when it starts with ``:`` and a letter (``:nn good``); anything else, including
``:)`` or ``:-(``, is text to classify, except ``:`` alone, which is answered with what it lacks. ``handle`` is total: whatever the line holds, it returns exactly
one outcome and never raises (Ctrl-C aside), so the REPL always goes on:

- a mistake the user can fix (``RnnplayError``, e.g. a bad argument) is one error line;
- the operating system refusing something (``OSError``: a name too long, a permission) is one error
  line too — it is about the machine, not a bug, and the user can act on it;
- any other exception is a bug, answered by ``Outcome.internal`` (why, and how tests still catch it:
  see there).
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from rnnplay.errors import RnnplayError
from rnnplay.repl.commands import classify, did_you_mean, find
from rnnplay.repl.outcome import Outcome, shortened
from rnnplay.repl.session import Session

MAX_LINE_CHARS = 20_000  # longer than any review in the built-in corpora; bounds the per-word explanation
COMMAND = re.compile(r":([A-Za-z?][\w-]*)(?:\s+(.*))?\Z", re.DOTALL)
SURROGATE = re.compile("[\ud800-\udfff]")


def too_long() -> str:
    return f"the line is longer than {MAX_LINE_CHARS:,} characters, the most the REPL takes (rnnplay classify FILE takes long texts)"


def unreadable(line: str) -> Optional[str]:
    """Why ``line`` cannot be answered at all, or None. Line mode refuses the same lines before they get here.

    At the prompt, bytes that are not UTF-8 arrive as lone surrogates (prompt_toolkit decodes with
    ``surrogateescape``); no output stream can encode them, and no model has such a word.
    """
    if len(line) > MAX_LINE_CHARS:
        return too_long()
    if "\x00" in line:
        return f"the line contains a NUL character at character {line.index(chr(0)) + 1} (binary input?)"
    bad = SURROGATE.search(line)
    if bad is not None:
        code = ord(bad.group())
        what = f"byte 0x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else f"a lone surrogate U+{code:04X}"
        return f"the line is not valid UTF-8 ({what} at character {bad.start() + 1}; is the terminal set to UTF-8?)"
    return None


def handle(session: Session, line: str) -> Outcome:
    """Run one line. A blank line is an outcome with nothing to show (``--json`` still reports it)."""
    return attempt(None, lambda: dispatch(session, line))


def dispatch(session: Session, line: str) -> Outcome:
    problem = unreadable(line)
    if problem is not None:
        return Outcome.failed(None, problem)
    text = line.strip()
    if not text:
        return Outcome(None, {"blank": True})
    if text == ":":  # a command begun and not named: there is no text to classify either
        return Outcome.failed(None, "a command name goes after ':' (e.g. :nn good); :help lists them")
    match = COMMAND.match(text)
    if match is None:
        return attempt("classify", lambda: classify(session, text))
    name, args = match.group(1), match.group(2) or ""
    command = find(name)
    if command is None:
        return Outcome.failed(name, f"unknown command :{name}{did_you_mean(name)} (:help lists the commands)")
    return attempt(command.name, lambda: command.run(session, args))


def os_problem(error: OSError) -> str:
    """``File name too long: 'aaaa…'``: what the system said and the file it said it about (shortened)."""
    reason = error.strerror or str(error) or type(error).__name__
    return f"{reason}: {shortened(str(error.filename))}" if error.filename is not None else reason


def attempt(name: Optional[str], run: Callable[[], Outcome]) -> Outcome:
    try:
        return run()
    except RnnplayError as error:
        return Outcome.failed(name, str(error))
    except OSError as error:
        return Outcome.failed(name, os_problem(error))
    except Exception as error:
        return Outcome.internal(name, error)
