"""The Train tab: fill in a form, start, and watch the model learn; cancel at any batch, nothing is saved.

Training is the same service ``rnnplay train`` / ``rnnplay cbow train`` call, run in a thread worker
(TensorFlow is imported there, on first use), so the rest of the app keeps answering while it runs.
The worker's events arrive here as ``TrainTab.Progress`` messages; batch events are throttled by
``TrainingJob`` so the event loop is never flooded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, ProgressBar, RichLog, Select, Static
from textual.worker import Worker, WorkerState

from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.training.progress import BatchEnd, EpochEnd, Event, Phase, VectorsEpochEnd, VectorsProgress
from rnnplay.tui.shared import rnnplay_app
from rnnplay.tui.training_job import RunClock, TrainingJob, clock_text
from rnnplay.tui.widgets.training_curves import TrainingCurves
from rnnplay.tui.widgets.training_form import TrainingForm

IDLE = "ctrl+s starts; the other tabs keep working while it trains."
STACK_BELOW = 90  # columns: narrower, the run (status, curves, log) goes below the form, so the plots keep their width
PLOTS_BELOW = 60  # columns: narrower still, the accuracy plot goes below the loss plot


def seconds_text(seconds: float) -> str:
    """An epoch's time: ``13.5s``, or ``0.05s`` for the tiny corpora epochs take a blink on."""
    return f"{seconds:.1f}s" if seconds >= 1 else f"{seconds:.2f}s"


class TrainBody(ScrollableContainer, can_focus=False):
    """Settings beside the run; below ``STACK_BELOW`` columns one above the other, and then it scrolls.
    Not a focus stop: Tab goes to the fields, and focusing one scrolls it into view."""


class SettingsColumn(VerticalScroll, can_focus=False):
    """The form and its buttons; it scrolls when the terminal is too short for them (not a focus stop)."""


class TrainTab(Vertical):
    """Form and buttons on the left; status, progress bar, clock, curves and log on the right."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start"),
        Binding("escape", "cancel", "Cancel run"),
        # A priority key, so it works from the form's fields too; while there is no new model to use,
        # check_action refuses it and the fields keep their own ctrl+u (delete to the start).
        Binding("ctrl+u", "use_trained", "Use new model", priority=True),
    ]

    class Progress(Message):
        """A training event from the worker thread."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.job: TrainingJob | None = None
        self.worker: Worker[Path] | None = None
        self.clock: RunClock | None = None
        self.ticker: Timer | None = None
        self.trained: tuple[str, Path] | None = None  # (kind, path) of the last model saved here

    def compose(self) -> ComposeResult:
        with TrainBody(id="train-body"):
            with SettingsColumn(id="train-settings"):
                yield TrainingForm(id="training-form")
                with Horizontal(id="train-buttons"):
                    yield Button("Start", id="train-start", variant="success", compact=True)
                    yield Button("Cancel", id="train-cancel", variant="error", compact=True, disabled=True)
                    yield Button("Use new model", id="train-use", variant="primary", compact=True, disabled=True)
                yield Static("", id="train-message", markup=False)
            with Vertical(id="train-run"):
                yield Static(IDLE, id="train-status", markup=False)
                with Horizontal(id="train-progress-row"):
                    yield ProgressBar(total=100, show_eta=False, id="train-progress")
                    yield Static("", id="train-clock")
                yield TrainingCurves(id="train-curves")
                yield RichLog(id="train-log", wrap=True, markup=False, max_lines=500, min_width=20)

    def on_mount(self) -> None:
        self.query_one(TrainingForm).border_title = "What to train"
        self.query_one("#train-log", RichLog).border_title = "Log"
        self.watch(self.app, "catalog", self._catalog_changed, init=False)

    def _catalog_changed(self, _: int) -> None:
        """A model was saved or deleted: a new default name, and no offer to load a model that is gone."""
        self.query_one(TrainingForm).refresh_default_name()
        if self.trained is not None and not (self.trained[1] / "card.json").is_file():
            gone = self.trained[1].name
            self.trained = None
            self.query_one("#train-use", Button).disabled = True
            self.status(f"{gone} is no longer in your models. {IDLE}")
            self.refresh_bindings()

    def on_resize(self) -> None:
        self.set_class(self.size.width < STACK_BELOW, "-stacked")
        self.set_class(self.size.width < PLOTS_BELOW, "-one-column")

    def focus_default(self) -> None:
        """Arriving on the tab (the app calls this) puts the focus inside it, so ctrl+s and esc work at once."""
        self._focus_next_step()

    def _focus_next_step(self) -> None:
        """Focus what comes next: Cancel while running, the new model when there is one, else the form."""
        if self.running:
            self.query_one("#train-cancel", Button).focus()
        elif self.trained is not None:
            self.query_one("#train-use", Button).focus()
        else:
            self.query_one("#train-kind").focus()

    def on_unmount(self) -> None:
        if self.job is not None:  # the app is closing: stop at the next batch, save nothing
            self.job.cancel()

    @property
    def running(self) -> bool:
        return self.job is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys show in the footer only when they can do something now."""
        if action == "cancel":
            return self.running
        if action == "use_trained":
            return self.trained is not None and not self.running
        return True

    # --- starting and stopping ---------------------------------------------------------------------

    @on(Button.Pressed, "#train-start")
    def action_start(self) -> None:
        if self.running:
            self.app.notify("A training run is already going: cancel it first (esc), or wait for it to finish.",
                            title="one run at a time", severity="warning")
            return
        try:
            request = self.query_one(TrainingForm).request(rnnplay_app(self).models_dir)
        except RnnplayError as error:
            # A field's problem already shows under the fields (and the field is marked): not twice.
            self.say("" if str(error) == self.query_one(TrainingForm).problem else str(error), error=True)
            self.app.notify(str(error), title="cannot start training", severity="error", markup=False)
            return
        self.say("")
        self.job = TrainingJob(request, post=lambda event: self.post_message(self.Progress(event)))
        self.clock = RunClock()
        self.trained = None
        self.query_one(TrainingCurves).start(request.kind, request.config.epochs)
        self.query_one("#train-progress", ProgressBar).update(progress=0)
        log = self.query_one("#train-log", RichLog)
        log.clear()
        log.write(f"training {request.name}: {request.describe()}")
        self.status(f"starting {request.name}…")
        self._set_running(True)
        if self.has_class("-stacked"):  # show the run, not the form it was started from
            self.call_after_refresh(self.query_one("#train-body").scroll_to_widget, self.query_one("#train-run"), top=True)
        self.ticker = self.set_interval(1.0, self._tick)
        self._tick()
        worker = self.worker = self.run_worker(self.job.run, name=f"train {request.name}", group="training",
                                               thread=True, exit_on_error=False)
        # Quitting the app cancels its workers; the job then stops at the next batch instead of training on unseen.
        self.job.also_stop = lambda: worker.is_cancelled

    @on(Button.Pressed, "#train-cancel")
    def action_cancel(self) -> None:
        if self.job is None:
            return
        self.job.cancel()
        self.status("cancelling: stopping at the next batch…")
        self.query_one("#train-cancel", Button).disabled = True

    @on(Button.Pressed, "#train-use")
    async def action_use_trained(self) -> None:
        """Load the model just trained where it is used: a classifier on Play, vectors on Words."""
        if self.trained is None or self.running:
            return
        kind, path = self.trained
        if kind == "classifier":
            loaded, tab, where = rnnplay_app(self).use_classifier(path), "play", "the model on Play"
        else:
            loaded, tab, where = rnnplay_app(self).use_vectors(path), "words", "the word-vector space on Words"
        if loaded:
            self.app.notify(f"{path.name} is {where} now", title="model loaded", markup=False)
            await self.app.run_action(f"app.show_tab('{tab}')")

    def _set_running(self, running: bool) -> None:
        self.query_one(TrainingForm).disabled = running
        self.query_one("#train-start", Button).disabled = running
        self.query_one("#train-cancel", Button).disabled = not running
        self.query_one("#train-use", Button).disabled = running or self.trained is None
        focused = self.app.focused
        if focused is None or self in focused.ancestors:
            self._focus_next_step()  # but never pull the focus away from another tab
        self.refresh_bindings()

    @on(Select.Changed, "#train-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        """Idle curves show what the chosen kind will plot (CBOW: loss only)."""
        if not self.running and event.value == event.select.value:
            self.query_one(TrainingCurves).start(str(event.value), 1)

    # --- what the worker reports ---------------------------------------------------------------------

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self.job is None or self.clock is None:
            return  # a straggler from a run that has ended
        event = message.event
        self.clock.update(event)
        curves = self.query_one(TrainingCurves)
        log = self.query_one("#train-log", RichLog)
        if isinstance(event, Phase):
            log.write(f"{clock_text(self.clock.elapsed())}  {event.text}")
            self._show_step(event.text + "…")
        elif isinstance(event, BatchEnd):
            curves.add_batch(event.epoch - 1 + event.step / event.steps, event.loss, event.accuracy)
            self._show_step(f"epoch {event.epoch}/{self.clock.epochs} · batch {event.step}/{event.steps} · "
                            f"loss {event.loss:.4f} · accuracy {event.accuracy:.4f}")
        elif isinstance(event, VectorsProgress):
            curves.add_batch(event.epoch - 1 + event.step / event.steps, event.loss)
            self._show_step(f"epoch {event.epoch}/{event.epochs} · step {event.step}/{event.steps} · loss {event.loss:.4f} · "
                            f"{event.words_per_second / 1000:,.0f}k words/s")
        elif isinstance(event, EpochEnd):
            curves.add_epoch(event.epoch, event.loss, event.accuracy, event.val_loss, event.val_accuracy)
            log.write(f"epoch {event.epoch}/{event.epochs} {seconds_text(event.seconds)} · loss {event.loss:.3f} "
                      f"(val {event.val_loss:.3f}) · accuracy {event.accuracy:.3f} (val {event.val_accuracy:.3f})"
                      + (" · best so far" if event.best else ""))
        elif isinstance(event, VectorsEpochEnd):
            curves.add_epoch(event.epoch, event.loss)
            log.write(f"epoch {event.epoch}/{event.epochs} {seconds_text(event.seconds)}  loss {event.loss:.4f}  {event.words:,} words")
        self.query_one("#train-progress", ProgressBar).update(progress=100 * self.clock.fraction)

    def _show_step(self, text: str) -> None:
        """Progress in the status line, unless a cancel is on its way (its notice stays until the run stops)."""
        if self.job is not None and not self.job.cancelled:
            self.status(text)

    def _tick(self) -> None:
        if self.clock is not None:
            eta = f" · ETA {clock_text(self.clock.eta())}" if self.running else ""
            self.query_one("#train-clock", Static).update(f"elapsed {clock_text(self.clock.elapsed())}{eta}")

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        event.stop()
        job = self.job
        if job is not None:
            job.cancel()  # a cancelled worker's thread runs on until it polls: make sure it stops there
        self.job, self.worker = None, None
        if self.ticker is not None:
            self.ticker.stop()
        self._tick()
        if event.state == WorkerState.SUCCESS:
            self._saved(job, event.worker.result)
        elif isinstance(event.worker.error, Cancelled) or event.state == WorkerState.CANCELLED:
            self.status("cancelled: nothing was saved")
            self.query_one("#train-log", RichLog).write("cancelled: nothing was saved")
            self.app.notify("Training cancelled; nothing was saved.", title="cancelled")
        else:
            self._failed(event.worker.error)
        self._set_running(False)

    def _saved(self, job: TrainingJob | None, path: Any) -> None:
        from rnnplay.store import read_card

        path = Path(path)
        kind = job.request.kind if job is not None else "classifier"
        self.trained = (kind, path)
        try:
            card = read_card(path)
        except RnnplayError:
            card = None
        if kind == "classifier":
            test = card.held_out_accuracy if card is not None else None
            score = f"held-out accuracy {test:.3f}" if test is not None else "saved"
            where = "on Play"
        else:
            loss = card.number("metrics", "loss") if card is not None else None
            words = f"{card.architecture.vocab_size:,} words" if card is not None else "saved"
            score = words + (f", final loss {loss:.3f}" if loss is not None else "")
            where = "on Words"
        self.query_one("#train-progress", ProgressBar).update(progress=100)
        self.status(f"saved {path.name}: {score}. ctrl+u (Use new model) loads it {where}.")
        self.query_one("#train-log", RichLog).write(f"saved {path}")
        self.app.notify(f"{path.name}: {score}", title="model saved", markup=False)
        rnnplay_app(self).catalog_changed()

    def _failed(self, error: BaseException | None) -> None:
        """Any error a run meets is a message, never a crash: a user's corpus can be wrong in many ways."""
        if isinstance(error, RnnplayError):
            text = str(error)
        else:
            text = f"training failed: {type(error).__name__}: {error}"
        self.status("failed: nothing was saved")
        self.say(text, error=True)
        self.query_one("#train-log", RichLog).write(text)
        self.app.notify(text, title="training failed", severity="error", timeout=10, markup=False)

    # --- text on screen --------------------------------------------------------------------------

    def status(self, text: str) -> None:
        self.query_one("#train-status", Static).update(text)

    def say(self, text: str, error: bool = False) -> None:
        """The inline message under the buttons (form mistakes, failures)."""
        message = self.query_one("#train-message", Static)
        message.update(text)
        message.set_class(error, "-error")
        message.display = bool(text)
