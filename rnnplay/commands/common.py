"""What every command shares: the defaults, the ``--models-dir`` option, and one-line failures."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from rnnplay.errors import Cancelled, RnnplayError, UsageError
from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.card import Card

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_MODEL = "imdb-bilstm"
DEFAULT_VECTORS = "imdb-cbow"
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
ModelsDir = typer.Option(None, "--models-dir", envvar="RNNPLAY_MODELS_DIR", help="Folder of your own models (default: the user data dir).")


def without_flag_types(params: list[Any]) -> list[Any]:
    """Flags (``--force``, ``--help``) take no value: their type column (Typer writes ``<bool>``) stays empty."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    """Typer's command with help a newcomer can read: flags show no ``<bool>`` (they take no value), and
    an argument is ``FILE`` in the usage line, as Unix help writes it, not ``{file}``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return without_flag_types(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class Group(TyperGroup):
    """A group of commands (``rnnplay``, ``rnnplay cbow``) whose ``--help`` shows no ``<bool>`` either."""

    def get_params(self, ctx: Any) -> list[Any]:
        return without_flag_types(super().get_params(ctx))


class Typer(typer.Typer):
    """``typer.Typer`` whose commands are ``Command``s, so every command's help reads the same way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", Group)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


def command_options(function: Callable[..., Any], name: str, argv: list[str]) -> dict[str, Any]:
    """The options ``argv`` gives the CLI command ``function``, parsed by its own Typer parser without running it
    (the REPL's ``:unit``, ``:memory``). Click raises its usage errors (unknown option, a word where a number goes)."""
    import typer.main

    app = Typer()
    app.command()(function)
    command = typer.main.get_command(app)
    with command.make_context(name, list(argv)) as context:
        return dict(context.params)


def say(message: str) -> None:
    """One error line on stderr: ``rnnplay: error: MESSAGE``.

    Messages carry paths and names from files (and the command line), so control characters are
    escaped (one line, no escape sequences) and undecodable bytes of a file name are shown as ``\\xNN``.
    One ``echo`` writes the line and its newline together, which the REPL's stderr tap relies on.
    """
    typer.echo(f"rnnplay: error: {printable(message)}", err=True)


def fail(message: str, code: int = 1) -> None:
    """``say`` the message and exit with ``code``."""
    say(message)
    raise typer.Exit(code)


def user_errors(command: F) -> F:
    """Turn the failures a user can cause into one line on stderr and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from rnnplay.commands.streams import discard_output

        try:
            return command(*args, **kwargs)
        except RnnplayError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except MemoryError:  # a large allocation failed and was given back: there is room to say so
            fail("out of memory")
        except BrokenPipeError:
            # The reader went away (``| head``): stop quietly, as Unix tools do.
            discard_output()
            raise typer.Exit(0) from None
        except OSError as error:  # a file the command was given or writes, named as Unix tools do
            fail(f"{error.filename}: {error.strerror}" if error.filename is not None else error.strerror or str(error))

    return wrapper  # type: ignore[return-value]


def model_name(value: str, flag: str | None = None) -> str:
    """``value`` unless it is blank: an empty name would otherwise resolve to the models folder itself."""
    if not value.strip():
        raise UsageError(f"give a model name or path ({flag})" if flag else "give a model name or path")
    return value


def run_training(job: Callable[[Any], Path]) -> tuple[Path, Card, Any]:
    """Run ``job(listener)`` with a Rich progress display on stderr; Ctrl-C cancels and nothing is saved.

    Returns the saved model's path, its card and the console, for the command's closing line.
    """
    from rnnplay.store import read_card

    path, console = run_job(job)
    return path, read_card(path), console


def run_job(job: Callable[[Any], Path]) -> tuple[Path, Any]:
    """``run_training`` without reading a saved card: for a training worker that saves nothing (``--strategy
    multi-worker``, not the chief). Returns what ``job`` returned and the console."""
    from rich.console import Console

    from rnnplay.progress_view import RichProgress

    console = Console(stderr=True)
    try:
        with RichProgress(console) as progress:
            path = job(progress)
    except KeyboardInterrupt:
        raise Cancelled("training cancelled; nothing was saved") from None
    return path, console


def shown(path: object) -> str:
    """A path (or any text from a file) for Rich markup: printable, and its brackets not read as markup."""
    from rich.markup import escape

    return escape(printable(path))


def figure(value: float | None, spec: str) -> str:
    """A number a card records, formatted; "?" when the card does not record it (never a made-up 0)."""
    return "?" if value is None else format(value, spec)


def load_vectors(name: str, models_dir: Optional[Path], flag: str | None = "--vectors") -> Any:
    """Word vectors by name or path; a missing default says how to pick others."""
    from rnnplay.runtime.models import open_vectors
    from rnnplay.store import resolve

    try:
        path = resolve(model_name(name, flag), models_dir)
    except UsageError:
        raise
    except RnnplayError as error:
        if name != DEFAULT_VECTORS:
            raise
        raise RnnplayError(f"{error}; pass --vectors NAME (e.g. --vectors imdb-bilstm, the classifier's embedding)") from None
    return open_vectors(path)
