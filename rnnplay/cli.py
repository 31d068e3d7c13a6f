"""The ``rnnplay`` command: assembles one Typer app from the commands, and runs it (``main``).

The training, cbow and word-query commands live in ``rnnplay.commands``, which the REPL shares; the
front ends (tui, repl), classify and the listings are here. Start-up stays light: nothing NumPy-heavy
or TensorFlow is imported at the top of any of these modules; each command imports what it needs, and
only ``train``, ``import`` and ``cbow train`` ever load TensorFlow.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from rnnplay import limits
from rnnplay.commands import streams
from rnnplay.commands.common import CONTEXT_SETTINGS, DEFAULT_MODEL, DEFAULT_VECTORS, ModelsDir, Typer, model_name, say, user_errors
from rnnplay.commands.inside import add_inside_command
from rnnplay.commands.memory import add_memory_command
from rnnplay.commands.race import add_race_command
from rnnplay.commands.training import add_cbow_group, add_training_commands
from rnnplay.commands.unit import add_unit_command
from rnnplay.commands.words import add_word_commands
from rnnplay.errors import RnnplayError, UsageError
from rnnplay.printable import printable

EXIT_CODES = ("Exit codes: 0 done; 1 a failure (unreadable input, a missing or broken model, an output that is "
              "closed or full); 2 a usage mistake; 130 interrupted.")
app = Typer(
    name="rnnplay",
    help="A terminal playground for recurrent text models: train, classify, compare.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)


def load_classifier(model: str, models_dir: Optional[Path]) -> Any:
    from rnnplay.runtime.models import open_classifier

    return open_classifier(model_name(model, "--model"), models_dir)


@app.command()
@user_errors
def tui(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier to start with (name or path)."),
    vectors: str = typer.Option(DEFAULT_VECTORS, "--vectors", help="The word vectors the Words screen starts with."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """The playground: type and watch the prediction, explore words, train with live curves."""
    from rnnplay.tui.app import run

    run(model=model_name(model, "--model"), vectors=model_name(vectors, "--vectors"), models_dir=models_dir)


@app.command()
@user_errors
def repl(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier to start with (name or path)."),
    vectors: str = typer.Option(DEFAULT_VECTORS, "--vectors", help="The word vectors :nn, :analogy, :sim and :guess use."),
    json_lines: bool = typer.Option(False, "--json", help="One JSON object per input line (for scripts)."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """A prompt: classify what you type, query words, train; reads commands line by line from a pipe."""
    from rnnplay.repl import run

    streams.stdin()  # a closed stdin is one line here, not a failure inside the REPL
    raise typer.Exit(run(model=model_name(model, "--model"), vectors=model_name(vectors, "--vectors"),
                         json_lines=json_lines, models_dir=models_dir))


@app.command()
@user_errors
def classify(
    inputs: list[str] = typer.Argument(None, help="Files to classify line by line; '-' reads stdin. None: stdin."),
    text: list[str] = typer.Option(None, "--text", "-t", help="A text to classify (repeatable); one output line each."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model name or path to a model folder."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text (label, probability), tsv, or jsonl."),
    threshold: float = typer.Option(0.5, help="P(positive) at or above which the label is positive."),
    batch_size: int = typer.Option(256, help=f"Lines classified together, at most {limits.CLASSIFY_OPTIONS['batch_size'].high:,} (memory is bounded by this)."),
    max_line_bytes: int = typer.Option(1 << 20, help=f"Longer lines get an error line instead of a prediction; at most {limits.CLASSIFY_OPTIONS['max_line_bytes'].high:,}."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """Classify text: exactly one output line per input line, in order, ready to paste back.

    A line that cannot be read (bad UTF-8, a NUL byte, too long) gets an error line and a message on stderr. A named file that is missing, or a folder, stops the command before anything is read; one that cannot be read when its turn comes (a device, a file deleted meanwhile) gets a message on stderr and no lines, and the other inputs are still classified. Pipes (<(cmd), FIFOs, /dev/stdin) and terminals are read like files.

    Exit codes: 0 all lines classified (blank lines included); 1 some input was unreadable (a line or a whole input), or another failure (a missing model, a full disk, out of memory); 2 usage.
    """
    from rnnplay.classify import FORMATS, Classify, source_problems

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not 0.0 <= threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    limits.require([limits.check("batch_size", batch_size, limits.CLASSIFY_OPTIONS),
                    limits.check("max_line_bytes", max_line_bytes, limits.CLASSIFY_OPTIONS)])
    inputs = list(inputs or [])
    if problems := source_problems(inputs):
        raise RnnplayError("; ".join(problems))
    if not inputs and not text:
        inputs = ["-"]
    if "-" in inputs:
        stdin = streams.stdin()
        if stdin.isatty():
            typer.echo("rnnplay: reading lines from the terminal; end with Ctrl-D", err=True)
    engine = Classify(load_classifier(model, models_dir), sys.stdout, sys.stderr, fmt, threshold, batch_size, max_line_bytes)  # type: ignore[arg-type]
    try:
        if text:
            engine.texts(text)
        engine.sources(inputs, streams.stdin)
    except MemoryError:
        raise RnnplayError("out of memory on a batch of lines; lower --max-line-bytes or --batch-size") from None
    if engine.failed:
        raise typer.Exit(1)


add_training_commands(app)


@app.command()
@user_errors
def models(
    name: Optional[str] = typer.Argument(None, help="A classifier (name or path) to study with --errors."),
    errors: bool = typer.Option(False, "--errors", help="What NAME gets wrong: its test split's confusion matrix and "
                                "misclassified reviews, most confident first."),
    limit: int = typer.Option(10, "--limit", "-n", help=f"With --errors: the mistakes listed, at most {limits.MISTAKES_LISTED:,}."),
    json_output: bool = typer.Option(False, "--json", help="With --errors: one JSON object (every count, the listed mistakes' texts)."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """List saved models: yours and the shipped defaults (marked *). With NAME --errors: what it gets wrong."""
    if name is not None or errors:
        return model_errors(name, errors, limit, json_output, models_dir)
    if json_output:
        raise UsageError("--json goes with NAME --errors")
    from rich.console import Console
    from rich.text import Text

    from rnnplay.printable import printable
    from rnnplay.render import models_table, unreadable_notes
    from rnnplay.store import list_models, user_models_dir

    listed = list_models(models_dir)
    table = models_table(listed)
    console = Console()
    console.print(table)
    for note in unreadable_notes(listed):
        console.print(note, soft_wrap=True)
    if any(entry.source == "shipped" for entry in listed):
        console.print(Text(f"* shipped with rnnplay (read-only); yours are in {printable(user_models_dir(models_dir))}",
                           style="dim"), soft_wrap=True)


def model_errors(name: Optional[str], errors: bool, limit: int, json_output: bool, models_dir: Optional[Path]) -> None:
    """``rnnplay models NAME --errors``: the model's own test split, rebuilt from its card and scored."""
    if name is None:
        raise UsageError("--errors needs a classifier: rnnplay models NAME --errors")
    if not errors:
        raise UsageError(f"rnnplay models {printable(name)} needs --errors (rnnplay models alone lists every model)")
    if not 1 <= limit <= limits.MISTAKES_LISTED:
        raise UsageError(f"--limit must be a whole number from 1 to {limits.MISTAKES_LISTED:,}, not {limit}")
    import json

    from rich.console import Console

    from rnnplay.mistakes import find_mistakes
    from rnnplay.mistakes_view import mistakes_view
    from rnnplay.runtime.models import open_classifier

    result = find_mistakes(open_classifier(model_name(name), models_dir))
    if json_output:
        typer.echo(json.dumps(result.to_json(limit)))
        return
    console = Console()
    for part in mistakes_view(result, limit):
        console.print(part)


@app.command()
@user_errors
def corpora() -> None:
    """List the built-in corpora (user files are named by path)."""
    from rnnplay.corpora import BUILTIN

    for name, (_, description) in BUILTIN.items():
        typer.echo(f"{name:<6} {description}")
    typer.echo("or a path: CSV/TSV/JSONL with text and label columns, or a folder with pos/ and neg/")


add_word_commands(app)
add_inside_command(app)
add_cbow_group(app)
add_race_command(app)
add_unit_command(app)
add_memory_command(app)


def main() -> None:
    """Run the app; every failure is one line on stderr (when there is one) and a documented exit code.

    A usage mistake (unknown option, missing argument, bad value) exits 2; a closed or failing
    stdout 1; a broken pipe (``| head``) ends quietly with 0. See ``streams`` for the rest.
    """
    try:
        streams.prepare()
        code = app(standalone_mode=False)
        streams.finish()
    except typer.TyperException as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # a bare ``rnnplay`` or ``rnnplay cbow``: the help
            error.show()  # type: ignore[attr-defined]
        else:
            context = getattr(error, "ctx", None)
            hint = f" (see: {context.command_path} --help)" if context is not None else ""
            say(f"{error.format_message()}{hint}")
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    except BrokenPipeError:  # the help or the last buffered lines met a closed reader
        streams.discard_output()
        sys.exit(0)
    except SystemExit:
        if streams.pipe_broken():  # Click exits 1 when the help text meets a closed reader; Unix tools say 0
            sys.exit(0)
        raise
    except RnnplayError as error:  # stdout closed or failing outside a command (help text, the last flush)
        say(str(error))
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else 0)

