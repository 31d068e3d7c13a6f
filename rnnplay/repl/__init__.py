"""``rnnplay repl``: classify what you type, query word vectors, train — at a prompt or from a script.

Two front ends over one core (``dispatch.handle``: a line in, an ``Outcome`` out):

- ``prompt``: on a terminal, a prompt_toolkit prompt with history, completion and Rich colours;
- ``pipe``: when stdin or stdout is not a terminal, or with ``--json``, one line in, one result out,
  no decorations, and the end of input ends the REPL.

Start-up reads one model with NumPy; prompt_toolkit and Rich are imported only by the front end that
uses them, and TensorFlow only by ``:train`` and ``:cbow train``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional


def run(model: str, vectors: str, json_lines: bool = False, models_dir: Optional[Path] = None) -> int:
    """Run the REPL on the process's stdin and stdout; returns the exit code."""
    from rnnplay.repl.session import Session

    session = Session(model, vectors, models_dir)  # a model that cannot be read fails here, as one line
    if not json_lines and sys.stdin.isatty() and sys.stdout.isatty():
        from rnnplay.repl.prompt import run_prompt

        return run_prompt(session)
    from rnnplay.repl.pipe import run_lines

    if sys.stdin.isatty():
        print("rnnplay: reading lines from the terminal; end with Ctrl-D", file=sys.stderr)
    return run_lines(session, sys.stdin.buffer, sys.stdout, json_lines)
