"""The interactive prompt (prompt_toolkit): history, completion, and Rich-coloured result blocks.

Ctrl-C clears the line being typed (and stops a command that is running); Ctrl-D on an empty line
leaves. History persists in the user data directory; if that cannot be written the REPL still runs,
without saving history, and says so once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from rnnplay.repl.blocks import print_block
from rnnplay.repl.dispatch import handle
from rnnplay.repl.outcome import Outcome
from rnnplay.repl.session import Session

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import History
    from rich.console import Console

PROMPT = "› "


def history_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnnplay")) / "repl_history"


def open_history(path: Path) -> "History":
    """A FileHistory at ``path``, or an in-memory one (with a note) when the file cannot be written."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab"):
            pass
    except OSError as error:
        print(f"rnnplay: note: history will not be saved ({path}: {error.strerror or error})", file=sys.stderr)
        return InMemoryHistory()
    return FileHistory(str(path))


def toolbar(session: Session) -> str:
    return f" model {session.classifier.name} · vectors {session.vectors_name} · :help · Tab completes · Ctrl-D quits"


def prompt_session(session: Session, history: "History", **io: Any) -> "PromptSession[str]":
    """The prompt; ``io`` takes ``input=``/``output=`` so tests can drive it with scripted keys."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory

    from rnnplay.repl.completion import ReplCompleter

    return PromptSession(history=history, completer=ReplCompleter(session), complete_while_typing=False,
                         auto_suggest=AutoSuggestFromHistory(), bottom_toolbar=lambda: toolbar(session), **io)


def interact(session: Session, prompt: "PromptSession[str]", console: "Console") -> int:
    """Read, answer, print until Ctrl-D or :quit; the exit code is 0 (a failing line is not a failure here)."""
    console.print(f"[dim]rnnplay repl · model {session.classifier.name} · vectors {session.vectors_name} · "
                  ":help lists the commands · Ctrl-D quits[/dim]", highlight=False)
    while True:
        try:
            line = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue  # Ctrl-C: the line is dropped, the REPL goes on
        except EOFError:
            return 0
        try:
            outcome = handle(session, line)
        except KeyboardInterrupt:
            outcome = Outcome.failed(None, "cancelled")
        print_block(console, outcome)
        if outcome.quit:
            return 0


def run_prompt(session: Session, history: Optional[Path] = None) -> int:
    from rich.console import Console

    return interact(session, prompt_session(session, open_history(history or history_path())), Console(highlight=False))
