"""The real-text memory probe as a panel: a decisive sentence at the start or the end of neutral filler, run on
the host's classifier in a worker thread, with progress, then the table position × filler length.

What it needs from its host: a classifier (``runtime.classifier.Classifier`` with a card that records its
corpus and split seed, as trained models do), given at construction or with ``use_classifier`` whenever the
host's model changes (a result for the old model is then cleared). Enter (or ``run()``) starts the probe;
Esc stops it at the next batch. It reads the built-in corpus from disk (about a second) and predicts a few
thousand texts: seconds, never on the UI thread. It posts ``RealTextPanel.Finished`` when a probe ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.memory_probe import DISTANCES, MemoryProbe, probe_held_out
from rnnplay.memory_view import memory_view
from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier

SAMPLES = 100  # the panel's default: about half the CLI's, so a probe takes seconds on 2 cores
IDLE = ("Enter runs the memory probe on {model}: a decisive sentence from its held-out reviews at the start or the "
        "end of neutral filler ({distances} tokens), {samples} samples. Esc stops it.")


class RealTextPanel(Vertical, can_focus=True):
    """How far back the host's classifier remembers on real text: progress while it runs, then the table."""

    DEFAULT_CSS = """
    RealTextPanel { height: 1fr; padding: 0 1; }
    RealTextPanel:focus { background: $boost; }
    RealTextPanel #real-status { color: $text-muted; height: auto; }
    RealTextPanel ProgressBar { height: 1; }
    RealTextPanel #real-body { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "run", "Run probe"),
        Binding("escape", "stop", "Stop"),
        Binding("up", "scroll(-1)", "Scroll", show=False),
        Binding("down", "scroll(1)", "Scroll", show=False),
    ]

    class Finished(Message):
        """A probe ended: ``probe`` is its result, or None with ``problem`` saying why not (stopped, failed)."""

        def __init__(self, probe: MemoryProbe | None, problem: str = "") -> None:
            super().__init__()
            self.probe = probe
            self.problem = problem

    def __init__(self, classifier: Classifier | None = None, *, samples: int = SAMPLES, distances: tuple[int, ...] = DISTANCES,
                 seed: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.classifier = classifier
        self.samples, self.distances, self.seed = samples, distances, seed
        self.probe: MemoryProbe | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(id="real-status")
        yield ProgressBar(total=1.0, show_eta=False, id="real-progress")
        with VerticalScroll(id="real-body"):
            yield Static(id="real-table")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.show_idle()

    def use_classifier(self, classifier: Classifier) -> None:
        """The host's model changed: forget the old result (and stop a probe still running on the old model)."""
        if self.classifier is classifier:
            return
        self.action_stop()
        self.classifier, self.probe = classifier, None
        self.query_one("#real-table", Static).update("")
        self.show_idle()

    def show_idle(self) -> None:
        model = printable(self.classifier.name) if self.classifier is not None else "the classifier (none loaded yet)"
        text = IDLE.format(model=model, distances=", ".join(map(str, self.distances)), samples=self.samples)
        self.query_one("#real-status", Static).update(Text(text))

    # --- running ---------------------------------------------------------------------------------

    def action_run(self) -> None:
        self.run()

    def run(self) -> None:
        """Start the probe on the current classifier (a running one is replaced)."""
        if self.classifier is None:
            self.query_one("#real-status", Static).update(Text("no classifier to probe: load one first", style="red"))
            return
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.update(progress=0.0)
        bar.display = True
        self.query_one("#real-status", Static).update(Text(f"probing {printable(self.classifier.name)}: "
                                                          f"{self.samples} samples × 2 positions × {len(self.distances)} lengths…"))
        self._probe(self.classifier)

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#real-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def action_stop(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "default")
            self.running = False
            self.query_one(ProgressBar).display = False
            self.query_one("#real-status", Static).update(Text("stopped; Enter runs it again", style="yellow"))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _probe(self, classifier: Classifier) -> None:
        worker = get_current_worker()
        report = lambda fraction: self.app.call_from_thread(self._progress, fraction)
        try:
            found = probe_held_out(classifier, self.samples, self.distances, self.seed, progress=report,
                                   cancelled=lambda: worker.is_cancelled)
        except Cancelled:
            return
        except RnnplayError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._done, classifier, None, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._done, classifier, found, "")

    def _progress(self, fraction: float) -> None:
        if self.running:
            self.query_one(ProgressBar).update(progress=fraction)

    def _done(self, classifier: Classifier, found: MemoryProbe | None, problem: str) -> None:
        if classifier is not self.classifier:  # the host changed models meanwhile
            return
        self.running = False
        self.query_one(ProgressBar).display = False
        status = self.query_one("#real-status", Static)
        if found is None:
            status.update(Text(problem, style="red"))
        else:
            self.probe = found
            status.update(Text(f"{printable(found.model)}, {found.samples} samples, seed {found.seed} · Enter runs it again",
                               style="dim"))
            self.query_one("#real-table", Static).update(Group(*memory_view(found, timing=False, compact=True)))
        self.post_message(self.Finished(found, problem))
