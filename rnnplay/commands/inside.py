"""``rnnplay inside TEXT``: the recurrent layer at work on a text, the five views of the TUI's Inside tab in print.

NumPy only. The model's corpus profile (views 2–4 compare the text with its held-out reviews) is read
from its cache or computed once, with a progress bar on stderr; ``--no-profile`` skips it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from rnnplay.commands.common import DEFAULT_MODEL, ModelsDir, model_name, user_errors
from rnnplay.errors import UsageError

DIRECTIONS = ("forward", "backward")


def parse_views(value: str) -> list[str]:
    """``steps,gradient`` → the views in that order; ``all`` → every view."""
    from rnnplay.inside_view.report import VIEWS

    if value.strip() == "all":
        return list(VIEWS)
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in VIEWS]
    if unknown or not chosen:
        raise UsageError(f"--view takes all or a comma-separated list of {', '.join(VIEWS)}, not {value!r}")
    return chosen


def corpus_profile(classifier: Any, wanted: bool) -> tuple[Any, str]:
    """The model's corpus profile (with a progress bar on stderr while it is computed), or None and why not."""
    from rich.console import Console

    from rnnplay.errors import RnnplayError
    from rnnplay.model_profile import cached_profile, model_profile

    if not wanted:
        return None, ""
    found = cached_profile(classifier)
    if found is not None:
        return found, ""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("[dim]profiling {task.description} on its held-out reviews (once)"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(classifier.name, total=1.0)
        report: Callable[[float], None] = lambda fraction: progress.update(task, completed=fraction)
        try:
            return model_profile(classifier, progress=report), ""
        except RnnplayError as problem:
            return None, str(problem)


@user_errors
def inside(
    text: str = typer.Argument(..., help="The text to look inside (quote it)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier (name or path)."),
    word: Optional[int] = typer.Option(None, "--word", "-w", help="The word the step-by-step view shows (1 = the first; default the last)."),
    layer: int = typer.Option(1, "--layer", help="The recurrent layer the step-by-step view shows (1 = the first)."),
    direction: str = typer.Option("forward", "--direction", help="forward or backward (a bidirectional layer's halves)."),
    view: str = typer.Option("all", "--view", help="all, or some of steps,gradient,memory,axis,stream, shown in the order given."),
    profile: bool = typer.Option(True, "--profile/--no-profile", help="Compare with the model's held-out reviews "
                                 "(computed once per model, a few seconds, then cached)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object: every state, gate and gradient, the profile, the stream costs."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """How the recurrent layer reads TEXT: its states and gates word by word, the gradient through time, its
    memory span, the sentiment axis, and what a prediction after every word costs."""
    from rich.console import Console

    from rnnplay.inside_report import look_inside
    from rnnplay.inside_view.report import inside_view
    from rnnplay.runtime.models import open_classifier

    views = parse_views(view)
    if direction not in DIRECTIONS:
        raise UsageError(f"--direction is forward or backward, not {direction!r}")
    classifier = open_classifier(model_name(model, "--model"), models_dir)
    network = classifier.network
    if not 1 <= layer <= len(network.layers):
        raise UsageError(f"--layer must be from 1 to {len(network.layers)} ({classifier.name} has {len(network.layers)})")
    way = DIRECTIONS.index(direction)
    if way >= network.layers[0].directions:
        raise UsageError(f"{classifier.name} reads one way only: --direction backward has nothing to show")
    found, why_not = corpus_profile(classifier, profile and bool({"gradient", "memory", "axis"} & set(views)))
    report = look_inside(classifier, text, found, stream="stream" in views)
    words = report.trace.words
    if word is not None and not 1 <= word <= max(words, 1):
        raise UsageError(f"--word must be from 1 to {words} (the text has {words} word{'' if words == 1 else 's'})")
    if json_output:
        typer.echo(json.dumps(report.to_json()))
        return
    console = Console(highlight=False)
    width = min(console.width, 100)
    for part in inside_view(report, views, None if word is None else word - 1, layer - 1, way, width):
        console.print(part)
    if why_not:
        console.print(f"[dim]No corpus figures: {why_not}[/dim]", soft_wrap=True)


def add_inside_command(app: typer.Typer) -> None:
    app.command()(inside)
