"""``:train …``, ``:cbow …`` and ``:race …``: the CLI's own Typer commands, run inside the REPL.

Going through ``rnnplay.commands.training.app`` (the CLI's own train, import and cbow commands) keeps
the options, their checks, the progress display and the messages exactly the CLI's. What a command
prints on stdout becomes the result block, and its one-line error (``rnnplay: error: …``) becomes the
outcome's error instead of a second copy on the terminal. While a training runs, everything else on
stderr goes straight through, so the Rich progress stays live; Ctrl-C then stops the training
(``commands.common.run_training`` turns it into ``Cancelled``), not the REPL. After a success, the
model the command saved (the CLI commands that save return the folder) becomes the one in use.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, Optional, TextIO

from rnnplay.errors import UsageError
from rnnplay.repl.outcome import Outcome, shortened
from rnnplay.repl.session import Session

ERROR_PREFIX = "rnnplay: error: "
CBOW_COMMANDS = ("train", "export", "eval", "import", "step")
MODELS_DIR_COMMANDS = ("train", "export", "eval", "import")  # step trains a tiny model in memory: no --models-dir


class StderrTap(io.TextIOBase):
    """Stands in for ``sys.stderr``: keeps the CLI's error lines; passes the rest through, or keeps it too."""

    def __init__(self, target: TextIO, passthrough: bool) -> None:
        super().__init__()
        self.target = target
        self.passthrough = passthrough
        self.error_lines: list[str] = []
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        if text.startswith(ERROR_PREFIX):  # typer.echo writes a message and its newline in one call
            self.error_lines.append(text[len(ERROR_PREFIX):].strip())
        elif self.passthrough:
            self.target.write(text)
        else:
            self.kept.write(text)
        return len(text)

    def flush(self) -> None:
        if self.passthrough:
            self.target.flush()

    def isatty(self) -> bool:  # Rich shows a live progress bar only on a terminal
        return self.passthrough and self.target.isatty()

    def fileno(self) -> int:
        if not self.passthrough:
            raise io.UnsupportedOperation("fileno")
        return self.target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> Optional[str]:  # type: ignore[override]
        return getattr(self.target, "errors", None)


def cli_arguments(session: Session, command: str, args: str) -> list[str]:
    """The argv for ``rnnplay.commands.training.app``; the REPL's ``--models-dir`` goes along unless one is given."""
    try:
        parts = shlex.split(args)
    except ValueError as error:
        raise UsageError(f"cannot read the options: {error}") from None
    if command == "cbow" and (not parts or parts[0] not in CBOW_COMMANDS + ("--help", "-h")):
        given = f", not {shortened(parts[0])}" if parts else ""
        raise UsageError(f":cbow takes a subcommand: train, export, eval, import or step{given} (e.g. :cbow train --help)")
    argv = [command, *parts]
    takes_models_dir = command == "train" or (command == "cbow" and parts[0] in MODELS_DIR_COMMANDS)
    if session.models_dir is not None and takes_models_dir and not any(p.split("=")[0] == "--models-dir" for p in parts):
        argv += ["--models-dir", str(session.models_dir)]
    return argv


def is_training(argv: list[str]) -> bool:
    wants_help = "--help" in argv or "-h" in argv
    return not wants_help and (argv[0] in ("train", "race") or argv[:2] == ["cbow", "train"])


EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra arguments? ?\(?s?\)? \((.*)\)\Z", re.DOTALL)


def usage_problem(error: Exception, help_command: str) -> str:
    """The CLI parser's complaint in the REPL's words, ending with where the options are listed.

    Click's own suggestions compare option names with their dashes, so ``--bogus`` "possibly" meant
    ``--corpus``; an unknown option is named and only a really close name is suggested.
    """
    see = f"; see {help_command}"
    option = getattr(error, "option_name", None)
    if option is not None and hasattr(error, "possibilities"):  # click's NoSuchOption
        return f"unknown option {shortened(option)}{closest_option(error, option)}{see}"
    message = " ".join(str(getattr(error, "format_message", lambda: str(error))()).split())
    extra = EXTRA_ARGUMENTS.match(message)
    if extra:
        return f"unexpected argument {shortened(extra.group(1))}{see}"
    return message.rstrip(".") + see


def closest_option(error: Exception, option: str) -> str:
    """``(did you mean --epochs?)`` for a near miss of one of the command's options; "" otherwise."""
    import difflib

    context = getattr(error, "ctx", None)
    params = getattr(getattr(context, "command", None), "params", None) or []
    names = {name.lstrip("-"): name for param in params for name in getattr(param, "opts", []) if name.startswith("--")}
    close = difflib.get_close_matches(option.lstrip("-"), list(names), n=1, cutoff=0.75)
    return f" (did you mean {names[close[0]]}?)" if close else ""


def run_cli_command(session: Session, command: str, args: str) -> Outcome:
    """Run ``rnnplay COMMAND ARGS`` as the CLI would, and switch to what it saved."""
    from typer import Abort, Exit, TyperException

    from rnnplay.commands.training import app

    argv = cli_arguments(session, command, args)
    stdout, tap = io.StringIO(), StderrTap(sys.stderr, passthrough=is_training(argv))
    problem: Optional[str] = None
    try:
        with redirect_stdout(stdout), redirect_stderr(tap):
            code = app(args=argv, prog_name="rnnplay", standalone_mode=False)
    except TyperException as error:  # a usage mistake: unknown option, bad value
        code, problem = 2, usage_problem(error, f":{' '.join(argv[:2 if command == 'cbow' else 1])} --help")
    except Exit as error:
        code = error.exit_code
    except (Abort, KeyboardInterrupt):
        code = 130
    saved = code if isinstance(code, Path) else None  # what train, cbow train and the imports return
    code = code if isinstance(code, int) else 0
    if code != 0:
        problem = problem or (tap.error_lines[-1] if tap.error_lines else
                              "cancelled" if code == 130 else f"rnnplay {' '.join(argv[:2])} stopped (exit code {code})")
        return Outcome.failed(command, problem)
    output = (stdout.getvalue() + tap.kept.getvalue()).strip("\n")
    return finished(session, command, output, saved)


def finished(session: Session, command: str, output: str, saved: Optional[Path]) -> Outcome:
    from rich.text import Text

    from rnnplay.render import vectors_label
    from rnnplay.repl.commands import model_summary
    from rnnplay.store import read_card

    view: list[Any] = [Text.from_ansi(output)] if output else []  # the CLI's colours as styles, not escapes
    data: dict[str, Any] = {"exit_code": 0, "output": output, "saved": None}
    if saved is not None:
        path = saved
        data["saved"] = str(path)
        if read_card(path).kind == "classifier":
            previous = session.classifier.name
            classifier = session.use_model(str(path))
            data["model"] = classifier.name
            view.append(Text(f"now using {model_summary(classifier)} (:model {previous} goes back)"))
        else:
            previous = session.vectors_name
            space = session.use_vectors(str(path))
            data["vectors"] = space.name
            view.append(Text(f"now using {vectors_label(space)} for :nn, :analogy, :sim, :guess (:vectors {previous} goes back)"))
    if not view:
        view.append(Text("done"))
    return Outcome(command, data, view)


def help_outcome(command: str) -> Outcome:
    """``:unit --help``, ``:memory --help``: the CLI command's own help, as ``rnnplay COMMAND --help`` prints it."""
    from rich.text import Text
    from typer import Exit

    from rnnplay.commands.common import Typer
    from rnnplay.commands.memory import add_memory_command
    from rnnplay.commands.unit import add_unit_command

    app = Typer(name="rnnplay", add_completion=False)
    add_unit_command(app)
    add_memory_command(app)
    stdout = io.StringIO()
    try:
        with redirect_stdout(stdout):
            app(args=[command, "--help"], prog_name="rnnplay", standalone_mode=False)
    except Exit:
        pass
    text = stdout.getvalue().strip("\n")
    return Outcome(command, {"help": text}, [Text.from_ansi(text)])
