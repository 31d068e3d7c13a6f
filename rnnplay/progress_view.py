"""Show training events in the terminal with Rich: a bar per epoch with loss, accuracy (or words/s) and ETA."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from rnnplay.training.progress import BatchEnd, EpochEnd, EpochStart, Event, Phase, VectorsEpochEnd, VectorsProgress


class RichProgress:
    """A training listener; use as a context manager so the live display is always closed."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=True,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(self, *_: object) -> None:
        if self.progress.live.is_started:
            self.progress.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Phase):
            self.progress.console.print(f"[dim]{event.text}…[/dim]")
        elif isinstance(event, EpochStart):
            if not self.progress.live.is_started:  # started late, so an early error leaves no blank line
                self.progress.start()
            if self.task is not None:
                self.progress.remove_task(self.task)
            self.task = self.progress.add_task(f"epoch {event.epoch}/{event.epochs}", total=event.steps, status="")
        elif isinstance(event, BatchEnd) and self.task is not None:
            self.progress.update(self.task, completed=event.step, status=f"loss {event.loss:.4f}  acc {event.accuracy:.4f}")
        elif isinstance(event, VectorsProgress) and self.task is not None:
            self.progress.update(self.task, completed=event.step, status=f"loss {event.loss:.4f}  "
                                 f"{event.words_per_second / 1000:,.0f}k words/s  lr {event.learning_rate:.4f}")
        elif isinstance(event, VectorsEpochEnd):
            self.progress.console.print(f"epoch {event.epoch}/{event.epochs} {event.seconds:5.1f}s  loss {event.loss:.4f}  "
                                        f"{event.words:,} words, {event.words / max(event.seconds, 1e-9) / 1000:,.0f}k/s")
        elif isinstance(event, EpochEnd):
            mark = " [green]*best[/green]" if event.best else ""
            self.progress.console.print(
                f"epoch {event.epoch}/{event.epochs} {event.seconds:5.1f}s  loss {event.loss:.3f} acc {event.accuracy:.3f}"
                f"  val_loss {event.val_loss:.3f} val_acc {event.val_accuracy:.3f}{mark}", soft_wrap=True,
            )
