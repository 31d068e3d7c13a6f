"""The Lab tab: the Memory lab's experiments, one pane each in a TabbedContent.

The first pane, **Race**, races recurrent cells on a generated memory task (``rnnplay.training.race``,
the engine ``rnnplay race`` uses): the form (task, length, cells, epochs, seeds and the knobs), start and
cancel, live curves per cell, the results table, the gradient-decay plot on a log scale and the
history of saved races (Enter on one shows it again, to compare). The race runs in a thread worker
(TensorFlow is imported there, when the first race starts); its events arrive as ``RacePane.Progress``
messages, batch events at most every 0.1 s. Cancel stops it at the next batch and nothing is saved.
**One unit** (``OneUnitPanel``) is the one-unit lab: keys change w, u, b and the cell, and h over the steps
and ∂h(T)/∂h(0) follow. **Real text** (``RealTextPanel``) places a decisive sentence from a held-out review
at the start or the end of neutral filler and measures how often the classifier in use still follows it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.printable import printable
from rnnplay.race_view import RaceBoard, decay_table, describe_request, epoch_table, final_scores, results_part
from rnnplay.training.memory_tasks import TASKS
from rnnplay.training.progress import Phase
from rnnplay.training.race_record import (
    CELLS,
    INITIALIZERS,
    OPTIMIZERS,
    TASK_TITLES,
    RaceEvent,
    RaceRequest,
    RaceResult,
    RunBatch,
    RunEnd,
    RunEpoch,
    RunStart,
    SavedRace,
)
from rnnplay.tui.widgets.decay_plot import DecayPlot
from rnnplay.tui.widgets.one_unit_panel import OneUnitPanel
from rnnplay.tui.widgets.race_curves import RaceCurves
from rnnplay.tui.widgets.real_text_panel import RealTextPanel

THROTTLE_SECONDS = 0.1
IDLE = "ctrl+s starts a race (TensorFlow starts with the first one); the other tabs keep working meanwhile."
NUMBER_FIELDS = {  # field id → (label, RaceRequest field)
    "race-length": ("length T", "length"),
    "race-epochs": ("epochs", "epochs"),
    "race-seeds": ("seeds", "seeds"),
    "race-units": ("units", "units"),
    "race-sequences": ("sequences", "sequences"),
    "race-lr": ("learning rate", "learning_rate"),
    "race-clip": ("clip norm", "clipnorm"),
}


class RaceForm(Vertical):
    """The race's settings, every one a field; ``request()`` reads them into a checked ``RaceRequest``."""

    def compose(self) -> ComposeResult:
        defaults = RaceRequest()
        with Grid(classes="race-grid"):
            yield Label("task")
            yield Select([(f"{t}: {TASK_TITLES[t]}", t) for t in TASKS], value=defaults.task, allow_blank=False,
                         compact=True, id="race-task")
            yield Label("cells")
            yield Input(",".join(defaults.cells), compact=True, id="race-cells", placeholder=",".join(CELLS))
            for field_id, (label, name) in NUMBER_FIELDS.items():
                value = getattr(defaults, name)
                yield Label(label)
                yield Input("0" if value is None else f"{value:g}", compact=True, id=field_id, classes="number-field")
            yield Label("optimizer")
            yield Select([(o, o) for o in OPTIMIZERS], value=defaults.optimizer, allow_blank=False, compact=True, id="race-optimizer")
            yield Label("recurrent")
            yield Select([(i, i) for i in INITIALIZERS], value=defaults.initializer, allow_blank=False, compact=True, id="race-init")
            yield Label("LSTM")
            yield Checkbox("forget bias +1", value=defaults.forget_bias, compact=True, id="race-forget")

    def request(self) -> RaceRequest:
        """The form as a request; RnnplayError (one line, every problem) when a field is wrong."""
        values: dict[str, Any] = {}
        problems = []
        for field_id, (label, name) in NUMBER_FIELDS.items():
            text = self.query_one(f"#{field_id}", Input).value.strip()
            try:
                number = float(text)
                values[name] = int(number) if name not in ("learning_rate", "clipnorm") and number.is_integer() else number
            except ValueError:
                problems.append(f"{label} must be a number, not {printable(text)!r}")
        if problems:
            raise RnnplayError("; ".join(problems))
        values["clipnorm"] = values["clipnorm"] or None
        cells = tuple(c.strip().lower() for c in self.query_one("#race-cells", Input).value.split(",") if c.strip())
        request = RaceRequest(task=str(self.query_one("#race-task", Select).value), cells=cells,
                              optimizer=str(self.query_one("#race-optimizer", Select).value),
                              initializer=str(self.query_one("#race-init", Select).value),
                              forget_bias=self.query_one("#race-forget", Checkbox).value, **values)
        problems = [p.replace("--", "", 1) for p in request.problems()]
        if problems:
            raise RnnplayError("; ".join(problems))
        return request


class RacePane(VerticalScroll, can_focus=False):
    """Form and run side by side (one above the other when narrow), then results, decay and history."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start"),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+r", "history", "Reread history", show=False),
        # The pane scrolls from any field: results, decay plot and history are below the form.
        Binding("ctrl+down", "page_down", "Scroll down", show=False),
        Binding("ctrl+up", "page_up", "Scroll up", show=False),
    ]

    class Progress(Message):
        """A race event from the worker thread."""

        def __init__(self, event: RaceEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.board: RaceBoard | None = None
        self.stop = threading.Event()
        self.worker: Worker[Any] | None = None
        self.saved: list[SavedRace] = []
        self._last_batch = 0.0

    def compose(self) -> ComposeResult:
        with Horizontal(id="race-top"):
            with Vertical(id="race-settings"):
                yield RaceForm(id="race-form")
                with Horizontal(id="race-buttons"):
                    yield Button("Start", id="race-start", variant="success", compact=True)
                    yield Button("Cancel", id="race-cancel", variant="error", compact=True, disabled=True)
                yield Static("", id="race-message", markup=False)
            with Vertical(id="race-run"):
                yield Static(IDLE, id="race-status", markup=False)
                yield RaceCurves(id="race-curves")
        yield Static("", id="race-results")
        yield DecayPlot(id="race-decay")
        yield Static("", id="race-decay-table")
        yield Label("Saved races (Enter shows one)", id="race-history-title")
        yield OptionList(id="race-history")

    def on_mount(self) -> None:
        self.query_one("#race-form", RaceForm).border_title = "Race"
        self.action_history()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 90, "-stacked")

    def focus_default(self) -> None:
        (self.query_one("#race-cancel", Button) if self.running else self.query_one("#race-task", Select)).focus()

    @property
    def running(self) -> bool:
        return self.worker is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action == "start":
            return not self.running
        return True

    def on_unmount(self) -> None:
        self.stop.set()  # the app is closing: the race stops at its next batch, nothing saved

    # --- starting and stopping -----------------------------------------------------------------------

    @on(Button.Pressed, "#race-start")
    def action_start(self) -> None:
        if self.running:
            return
        try:
            request = self.query_one(RaceForm).request()
        except RnnplayError as error:
            self.say(str(error), error=True)
            return
        self.say("")
        self.board = RaceBoard(request)
        self.stop = threading.Event()
        self.query_one(RaceCurves).start(request.cells, request.epochs, request.scored_by, self.board.score)
        self.query_one("#race-results", Static).update(Text(describe_request(request), style="dim"))
        self.query_one("#race-decay-table", Static).update("")
        self.query_one(DecayPlot).show(None)
        self.status("starting TensorFlow…")
        self.worker = self.run_race(request)
        self._set_running(True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="race")
    def run_race(self, request: RaceRequest) -> tuple[RaceResult, Path]:
        """The race, then its save; on the worker thread (TensorFlow is imported here)."""
        from rnnplay.training.race import run_race
        from rnnplay.training.race_record import save_race

        worker = get_current_worker()
        stop = self.stop
        result = run_race(request, self._forward, should_stop=lambda: stop.is_set() or worker.is_cancelled)
        if stop.is_set() or worker.is_cancelled:
            raise Cancelled("race cancelled; nothing was saved")
        return result, save_race(result)

    def _forward(self, event: RaceEvent) -> None:
        """On the worker thread: pass events on, batch events at most every ``THROTTLE_SECONDS``."""
        if isinstance(event, RunBatch):
            now = time.monotonic()
            if event.step not in (1, event.steps) and now - self._last_batch < THROTTLE_SECONDS:
                return
            self._last_batch = now
        try:
            self.post_message(self.Progress(event))
        except RuntimeError:  # the event loop is gone: nobody watches any more
            self.stop.set()

    @on(Button.Pressed, "#race-cancel")
    def action_cancel(self) -> None:
        if not self.running:
            return
        self.stop.set()
        self.status("cancelling: stopping at the next batch…")
        self.query_one("#race-cancel", Button).disabled = True

    def _set_running(self, running: bool) -> None:
        self.query_one(RaceForm).disabled = running
        self.query_one("#race-start", Button).disabled = running
        self.query_one("#race-cancel", Button).disabled = not running
        focused = self.app.focused
        if focused is None or self in focused.ancestors:
            self.focus_default()
        self.refresh_bindings()

    # --- what the worker reports ---------------------------------------------------------------------

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        board, event = self.board, message.event
        if board is None or not self.running:
            return
        board(event)
        curves = self.query_one(RaceCurves)
        if isinstance(event, RunBatch):
            curves.add_batch(event.cell, event.epoch - 1 + event.step / event.steps, event.loss)
        elif isinstance(event, (RunEpoch, RunEnd, RunStart, Phase)):
            curves.replot()
            self.query_one("#race-results", Static).update(Group(Text(describe_request(board.request), style="dim"),
                                                                 epoch_table(board.request, board.score)))
        if not self.stop.is_set():
            self.status(board.status())

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        event.stop()
        self.stop.set()
        self.worker = None
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            result, path = event.worker.result
            self.show(result, just_run=True)
            self.status(f"done in {result.seconds:.0f} s; saved as {path.name}")
            self.app.notify(f"saved {path.name}", title="race finished", markup=False)
            self.action_history()
        elif isinstance(event.worker.error, Cancelled) or event.state == WorkerState.CANCELLED:
            self.status("cancelled: nothing was saved")
        else:
            error = event.worker.error
            text = str(error) if isinstance(error, RnnplayError) else f"the race failed: {type(error).__name__}: {error}"
            self.status("failed: nothing was saved")
            self.say(text, error=True)
        self._set_running(False)

    # --- results and history ---------------------------------------------------------------------------

    def show(self, result: RaceResult, just_run: bool = False) -> None:
        """A finished race (this one, or one from the history): tables, curves and the decay plot.

        The race just run keeps its loss curves; a saved one has only its scores per epoch to plot."""
        curves = self.query_one(RaceCurves)
        if just_run:
            curves.score = result.score
            curves.replot()
        else:
            curves.start(result.request.cells, result.request.epochs, result.request.scored_by, result.score)
        self.query_one("#race-results", Static).update(Group(
            Text(f"{result.started.replace('T', ' ')[:19]} · " + describe_request(result.request), style="dim"),
            *results_part(result), Text(f"race took {result.seconds:.1f} s", style="dim")))
        self.query_one(DecayPlot).show(result)
        self.query_one("#race-decay-table", Static).update(Group(
            Text("g(k)/g(0), g(k) = ‖∂h(T)/∂x(T−k)‖ over held-out sequences; decay/step fitted on log g", style="bold"),
            decay_table(result)))

    def action_history(self) -> None:
        from rnnplay.training.race_record import race_history

        self.saved = race_history()
        options = self.query_one("#race-history", OptionList)
        options.clear_options()
        for index, entry in enumerate(self.saved):
            if entry.result is None:
                options.add_option(Option(Text(f"{printable(entry.path.name)}: {entry.problem}", style="red"), id=str(index), disabled=True))
                continue
            r = entry.result
            options.add_option(Option(f"{r.started.replace('T', ' ')[:16]}  {r.request.task} T={r.request.length} "
                                      f"{r.request.epochs}×{r.request.seeds}  {final_scores(r)}", id=str(index)))
        if not self.saved:
            options.add_option(Option("no saved races yet", disabled=True))
        elif options.highlighted is None:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#race-history")
    def _history_selected(self, event: OptionList.OptionSelected) -> None:
        if self.running or event.option.id is None:
            return
        entry = self.saved[int(event.option.id)]
        if entry.result is not None:
            self.show(entry.result)
            self.status(f"showing {entry.path.name}")
            self.scroll_to_widget(self.query_one("#race-results"), top=True)

    def status(self, text: str) -> None:
        self.query_one("#race-status", Static).update(text)

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#race-message", Static)
        message.update(text)
        message.display = bool(text)
        message.set_class(error, "-error")


class LabTab(Vertical):
    """The Memory lab: its experiments as panes (Race first; more join at ``#lab-panes``)."""

    HELP_BINDINGS = [*RacePane.BINDINGS, *OneUnitPanel.BINDINGS, *RealTextPanel.BINDINGS]  # each pane binds its own keys

    def compose(self) -> ComposeResult:
        with TabbedContent(id="lab-panes", initial="lab-race"):
            with TabPane("Race", id="lab-race"):
                yield RacePane(id="race-pane")
            with TabPane("One unit", id="lab-unit"):
                yield OneUnitPanel(id="one-unit")
            with TabPane("Real text", id="lab-real"):
                yield RealTextPanel(id="real-text")

    def on_mount(self) -> None:
        self.watch(self.app, "classifier", self._classifier_changed)

    def _classifier_changed(self, classifier: Any) -> None:
        """The Real text pane probes the classifier in use on Play."""
        if classifier is not None:
            self.query_one(RealTextPanel).use_classifier(classifier)

    def focus_default(self) -> None:
        """Arriving on the tab (the app calls this): the focus goes into the pane shown."""
        active = self.query_one("#lab-panes", TabbedContent).active
        pane = self.query_one(f"#{active}", TabPane)
        race = next(iter(pane.query(RacePane)), None)
        if race is not None:
            race.focus_default()
            return
        panel = next(iter(pane.query("OneUnitPanel, RealTextPanel")), None)
        (panel or pane).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A pane chosen here: the keys follow it. Not the app's business (its handler is for the tabs)."""
        event.stop()
        if event.tabbed_content.id == "lab-panes" and self.app.focused is not None and event.pane not in self.app.focused.ancestors:
            self.focus_default()
