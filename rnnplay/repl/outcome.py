"""The result of one input line, in the two shapes the REPL prints: Rich renderables and a JSON object.

A command computes its answer once and fills both, so the human view and ``--json`` never disagree.
Both shapes are safe to print: an error line and a JSON line carry no control characters, bidirectional
overrides or lone surrogates, whatever a file or an input line held (they show as escapes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TypeVar

from rnnplay.printable import printable

T = TypeVar("T")
# What ``json.dumps`` leaves raw but a terminal acts on: DEL and C1 controls, line and paragraph separators,
# bidirectional overrides and isolates, the BOM, and lone surrogates. They only occur inside JSON strings.
JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
INTERNAL_ERROR = "internal error"


def shortened(value: str, limit: int = 40) -> str:
    """``value`` quoted and escaped for an error message, cut at ``limit`` characters (an argument can be 20,000)."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def on_internal_error(error: Exception) -> None:
    """Called with every exception the REPL turns into an "internal error" line. Does nothing here.

    The test suite replaces it with one that re-raises, so a bug the last resort would hide from people
    fails the tests with its own traceback instead (tests/repl/conftest.py).
    """


@dataclass
class Outcome:
    command: Optional[str]  # "classify", "nn", "train", …; None for a blank or unreadable line
    data: dict[str, Any] = field(default_factory=dict)  # what --json adds after "command"
    view: list[Any] = field(default_factory=list)  # Rich renderables for people
    error: Optional[str] = None  # one line saying what went wrong; the REPL goes on
    quit: bool = False  # stop reading input after this line

    @classmethod
    def failed(cls, command: Optional[str], message: str) -> Outcome:
        """One line, whatever the message held: its own line breaks become spaces, control characters escapes."""
        return cls(command, error=printable(" ".join(message.split())))

    @classmethod
    def internal(cls, command: Optional[str], error: Exception) -> Outcome:
        """The last resort for an exception no command should raise: a bug in rnnplay, not a mistake of the user's.

        Why an outcome and not a crash: the REPL's promise is one answer per input line. A dead session
        loses what the user set up (the models in use, the history, a pipe's remaining lines), and the
        next line — usually unrelated to the bug — would get no answer at all. So the line that hit the bug
        gets one error line that says it is a bug and names the exception (type and message, which is what
        a bug report needs), and the session goes on; in line mode the exit code is 1, as for any failed line.

        Why it does not hide bugs: every such outcome first calls ``on_internal_error``, which the tests
        replace with one that re-raises, so any test that reaches this path fails; and the line starts with
        ``internal error`` so the subprocess tests can look for it.
        """
        on_internal_error(error)
        message = str(error)
        detail = type(error).__name__ + (f": {message[:200]}{'…' if len(message) > 200 else ''}" if message else "")
        return cls.failed(command, f"{INTERNAL_ERROR} ({detail}); this is a bug in rnnplay, please report it — "
                                   "the session goes on")

    @property
    def blank(self) -> bool:
        """True when there is nothing to show people (a blank line, or :quit)."""
        return self.error is None and not self.view

    @property
    def is_internal(self) -> bool:
        return self.error is not None and self.error.startswith(INTERNAL_ERROR)

    def formatted(self, shape: Callable[[Outcome], T]) -> tuple[Outcome, T]:
        """``(self, shape(self))``; when shaping fails (a bug), the internal-error outcome and its shape instead."""
        try:
            return self, shape(self)
        except Exception as error:
            internal = Outcome.internal(self.command, error)
            return internal, shape(internal)

    def json_object(self, line: Optional[int] = None) -> dict[str, Any]:
        record: dict[str, Any] = {} if line is None else {"line": line}
        record["command"] = self.command
        if self.error is not None:
            record["error"] = self.error
        else:
            record.update(self.data)
        return record

    def json_line(self, line: Optional[int] = None) -> str:
        """One line of strict JSON (no NaN), readable (not ASCII-only), with nothing a terminal would act on."""
        text = json.dumps(self.json_object(line), ensure_ascii=False, allow_nan=False)
        return JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
