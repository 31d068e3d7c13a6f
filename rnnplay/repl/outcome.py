"""The result of one input line, in the two shapes the REPL prints: Rich renderables and a JSON object.

A command computes its answer once and fills both, so the human view and ``--json`` never disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class Outcome:
    command: Optional[str]  # "classify", "nn", "train", …; None for a blank or unreadable line
    data: dict[str, Any] = field(default_factory=dict)  # what --json adds after "command"
    view: list[Any] = field(default_factory=list)  # Rich renderables for people
    error: Optional[str] = None  # one line saying what went wrong; the REPL goes on
    quit: bool = False  # stop reading input after this line

    @classmethod
    def failed(cls, command: Optional[str], message: str) -> "Outcome":
        return cls(command, error=" ".join(message.split()))  # one line, whatever the message held

    @property
    def blank(self) -> bool:
        """True when there is nothing to show people (a blank line, or :quit)."""
        return self.error is None and not self.view

    def json_object(self, line: Optional[int] = None) -> dict[str, Any]:
        record: dict[str, Any] = {} if line is None else {"line": line}
        record["command"] = self.command
        if self.error is not None:
            record["error"] = self.error
        else:
            record.update(self.data)
        return record

    def json_line(self, line: Optional[int] = None) -> str:
        return json.dumps(self.json_object(line), ensure_ascii=False)
