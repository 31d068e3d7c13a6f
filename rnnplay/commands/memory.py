"""``rnnplay memory``: how far back the saved classifiers remember on real text (NumPy only, no training).

A decisive sentence from a held-out review at the start or the end of neutral filler, at several filler
lengths; see ``memory_probe``. Without ``--model`` it runs on the shipped classifiers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from rnnplay.commands.common import ModelsDir, model_name, user_errors
from rnnplay.errors import UsageError

SHIPPED = ("imdb-bilstm", "imdb-lstm")


def parse_distances(value: str) -> tuple[int, ...]:
    """``0,25,50`` → (0, 25, 50): filler lengths in tokens."""
    try:
        found = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise UsageError(f"--distances takes whole numbers of tokens separated by commas, not {value[:40]!r}") from None
    if not found or any(not 0 <= d <= 5000 for d in found):
        raise UsageError("--distances takes whole numbers of tokens from 0 to 5,000, separated by commas")
    return found


def checked_samples(samples: int) -> int:
    """``--samples`` within the probe's limit, or one usage line (the CLI's and the REPL's one check)."""
    from rnnplay.memory_probe import MAX_SAMPLES

    if not 1 <= samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be from 1 to {MAX_SAMPLES:,}, not {samples}")
    return samples


def run_probe(classifier: Any, samples: int, distances: tuple[int, ...], seed: int) -> Any:
    """The probe with a progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from rnnplay.memory_probe import probe_held_out

    columns = (TextColumn("[dim]memory probe: {task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(classifier.name, total=1.0)
        report: Callable[[float], None] = lambda fraction: progress.update(task, completed=fraction)
        return probe_held_out(classifier, samples, distances, seed, progress=report)


@user_errors
def memory(
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", metavar="NAME", help="A classifier (name or path); repeat for several. Default: the shipped imdb-bilstm and imdb-lstm."),
    samples: int = typer.Option(200, "--samples", "-n", help="Sentence × filler samples per model (1 to 2,000)."),
    distances: str = typer.Option("0,25,50,100,200,400", "--distances", help="Filler lengths in tokens, separated by commas."),
    seed: int = typer.Option(0, "--seed", help="The seed that picks the sentences and the filler (same seed, same figures)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per model, a line each."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """How far back each classifier remembers on real text: a decisive sentence at the start or the end of neutral filler."""
    from rnnplay.runtime.models import open_classifier

    checked_samples(samples)
    lengths = parse_distances(distances)
    names = list(model or SHIPPED)
    classifiers = [open_classifier(model_name(name, "--model"), models_dir) for name in names]
    from rnnplay.commands.words import show
    from rnnplay.memory_view import memory_view

    for index, classifier in enumerate(classifiers):
        probe = run_probe(classifier, samples, lengths, seed)
        if json_output:
            typer.echo(json.dumps(probe.to_json(), allow_nan=False))
            continue
        if index:
            typer.echo("")
        show(memory_view(probe))


def add_memory_command(app: typer.Typer) -> None:
    app.command()(memory)
