"""The interactive prompt (prompt_toolkit): history, completion, and Rich-coloured result blocks.

Ctrl-C clears the line being typed (and stops a command that is running); Ctrl-D on an empty line
leaves. Every line entered gets exactly one block (``dispatch.handle`` is total; a view that fails to
render becomes an internal-error line). History persists in the user data directory; if that cannot be
written, at start or later (disk full, folder removed), the REPL still runs, without saving history, and
says so once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from prompt_toolkit.history import FileHistory

from rnnplay.printable import printable
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


def history_note(path: object, error: OSError) -> str:
    return f"rnnplay: note: history will not be saved ({printable(path)}: {error.strerror or error})"


class SavedHistory(FileHistory):
    """A ``FileHistory`` that stops saving when a write fails, instead of failing the line just entered.

    prompt_toolkit saves the line while accepting it, so an ``OSError`` there would end in its traceback
    screen. The note waits in ``note`` until the prompt is done drawing (``interact`` prints it).
    """

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self.broken = False
        self.note: Optional[str] = None

    def store_string(self, string: str) -> None:
        if self.broken:
            return
        try:
            super().store_string(string)
        except OSError as error:
            self.broken, self.note = True, history_note(self.filename, error)


def open_history(path: Path) -> History:
    """A SavedHistory at ``path``, or an in-memory one (with a note) when the file cannot be written."""
    from prompt_toolkit.history import InMemoryHistory

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab"):
            pass
    except OSError as error:
        print(history_note(path, error), file=sys.stderr)
        return InMemoryHistory()
    return SavedHistory(str(path))


def in_use(session: Session) -> str:
    """``model imdb-bilstm · vectors imdb-cbow``: folder names, so escaped (a name can hold control characters)."""
    return f"model {printable(session.classifier.name)} · vectors {printable(session.vectors_name)}"


def toolbar(session: Session) -> str:
    return f" {in_use(session)} · :help · Tab completes · Ctrl-D quits"


def prompt_session(session: Session, history: History, **io: Any) -> PromptSession[str]:
    """The prompt; ``io`` takes ``input=``/``output=`` so tests can drive it with scripted keys."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory

    from rnnplay.repl.completion import ReplCompleter

    return PromptSession(history=history, completer=ReplCompleter(session), complete_while_typing=False,
                         auto_suggest=AutoSuggestFromHistory(), bottom_toolbar=lambda: toolbar(session), **io)


def interact(session: Session, prompt: PromptSession[str], console: Console) -> int:
    """Read, answer, print until Ctrl-D or :quit; the exit code is 0 (a failing line is not a failure here)."""
    from rich.text import Text

    # Text, not markup: a model named "[/dim]" would be a markup error
    console.print(Text(f"rnnplay repl · {in_use(session)} · :help lists the commands · Ctrl-D quits", style="dim"),
                  highlight=False)
    while True:
        try:
            line = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue  # Ctrl-C: the line is dropped, the REPL goes on
        except EOFError:
            return 0
        if isinstance(prompt.history, SavedHistory) and prompt.history.note:
            print(prompt.history.note, file=sys.stderr)
            prompt.history.note = None
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
