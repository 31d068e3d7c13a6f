"""``rnnplay race``: the Memory lab's race from the command line (and the REPL's ``:race``).

Trains each cell on a generated memory task (``rnnplay.training.race``) with a live epoch × cell table
on stderr, then prints the results, the gradient decay and where the run was saved on stdout.
``--history`` lists the saved races instead. Ctrl-C cancels at the next batch (exit 130) and nothing
is saved. TensorFlow is imported only once a race starts.
"""

from __future__ import annotations

import json
import time
from typing import Any

import typer

from rnnplay import limits
from rnnplay.commands.common import shown, user_errors
from rnnplay.errors import Cancelled, UsageError


def parse_cells(value: str) -> tuple[str, ...]:
    """``rnn,gru,lstm`` → ("rnn", "gru", "lstm"); the request checks the names."""
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


@user_errors
def race(
    task: str = typer.Option("first", "--task", help="first (the first token decides), adding (the adding problem) or order (temporal order)."),
    length: int = typer.Option(100, "--length", "-T", help=f"Steps per sequence, {limits.RACE['length'].describe()}."),
    cells: str = typer.Option("rnn,gru,lstm", "--cells", help="Comma-separated cells to race: rnn, gru, lstm, bi-lstm."),
    epochs: int = typer.Option(10, "--epochs", help="Epochs per cell."),
    seeds: int = typer.Option(1, "--seeds", help="Seeds per cell (each its own data and initialisation); mean ± spread over them."),
    seed: int = typer.Option(0, "--seed", help="The first seed; the others follow it."),
    sequences: int = typer.Option(4000, "--sequences", help="Sequences generated per seed; a fifth are held out for the scores."),
    batch_size: int = typer.Option(64, "--batch-size", help="Sequences per batch."),
    units: int = typer.Option(32, "--units", help="Units of the recurrent layer (per direction)."),
    embedding_dim: int = typer.Option(16, "--embedding-dim", help="Embedding size for the token tasks (adding reads its pairs directly)."),
    learning_rate: float = typer.Option(1e-3, "--learning-rate", "--lr", help="The optimizer's learning rate."),
    optimizer: str = typer.Option("adam", "--optimizer", help="adam, rmsprop or sgd."),
    forget_bias: bool = typer.Option(True, "--forget-bias/--no-forget-bias", help="LSTM: start the forget gate's bias at 1 (Keras' unit_forget_bias) or at 0."),
    initializer: str = typer.Option("orthogonal", "--initializer", help="The recurrent kernel's initialiser: orthogonal (Keras' default) or glorot."),
    clipnorm: float = typer.Option(0.0, "--clipnorm", help="Clip each gradient's norm to this; 0 for no clipping."),
    scaled: bool = typer.Option(False, "--scaled", help="Adding problem: values in (−1, 1) and the target 0.5 + (X1 + X2)/4, as in 1997."),
    json_output: bool = typer.Option(False, "--json", help="Print the finished race (or the history) as JSON."),
    history: bool = typer.Option(False, "--history", help="List the saved races instead of running one."),
) -> None:
    """Race recurrent cells on a memory task: live scores per epoch, then mean ± spread over seeds, the time,
    and each cell's gradient against distance back in time, at initialisation and trained. Saves the run."""
    from rnnplay.training.race_record import RaceRequest

    if history:
        return show_history(json_output)
    request = RaceRequest(task=task.strip().lower(), length=length, cells=parse_cells(cells), epochs=epochs, seeds=seeds,
                          seed=seed, sequences=sequences, batch_size=batch_size, units=units, embedding_dim=embedding_dim,
                          learning_rate=learning_rate, optimizer=optimizer.strip().lower(), forget_bias=forget_bias,
                          initializer=initializer.strip().lower().replace("glorot_uniform", "glorot"),
                          clipnorm=clipnorm or None, scaled=scaled)
    if clipnorm < 0:
        raise UsageError(f"--clipnorm must be {limits.RACE['clipnorm'].describe_option()}, not {clipnorm!r}")
    request.validated()
    result, path = run_live(request)
    from rich.console import Console

    if json_output:
        typer.echo(json.dumps({**result.to_json(), "saved": str(path)}))
        return
    from rnnplay.race_view import race_report

    console = Console()
    for part in race_report(result):
        console.print(part)
    console.print(f"saved to {shown(path)} (rnnplay race --history lists saved races)", soft_wrap=True)


def run_live(request: Any) -> tuple[Any, Any]:
    """Run the race with a live table on stderr; save it once finished. Ctrl-C: Cancelled, nothing saved."""
    from rich.console import Console, Group
    from rich.live import Live
    from rich.text import Text

    from rnnplay.race_view import RaceBoard, epoch_table
    from rnnplay.training.race import run_race
    from rnnplay.training.race_record import RunBatch, save_race

    board = RaceBoard(request)
    last = [0.0]

    def view() -> Any:
        return Group(epoch_table(request, board.score), Text(board.status(), style="dim"))

    with Live(view(), console=Console(stderr=True), transient=True, auto_refresh=False) as live:
        def listener(event: Any) -> None:
            board(event)
            now = time.monotonic()
            if not isinstance(event, RunBatch) or now - last[0] > 0.1:
                last[0] = now
                live.update(view(), refresh=True)

        try:
            result = run_race(request, listener)
        except KeyboardInterrupt:
            raise Cancelled("race cancelled; nothing was saved") from None
    return result, save_race(result)


def show_history(json_output: bool) -> None:
    from rich.console import Console

    from rnnplay.race_view import history_table
    from rnnplay.training.race_record import race_history, races_dir

    saved = race_history()
    if json_output:
        typer.echo(json.dumps([{"file": str(s.path), **({"race": s.result.to_json()} if s.result else {"problem": s.problem})}
                               for s in saved]))
        return
    console = Console()
    if not saved:
        console.print(f"no saved races yet in {shown(races_dir())} (rnnplay race runs one)", soft_wrap=True)
        return
    console.print(history_table(saved))
    console.print(f"in {shown(races_dir())}", style="dim", soft_wrap=True)


def add_race_command(app: typer.Typer) -> None:
    app.command()(race)

