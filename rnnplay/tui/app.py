"""The rnnplay Textual app: four tabs over one shared state (the current classifier and word vectors).

Start-up stays light: the first screen is painted before any model is read, models load through the
NumPy runtime in a worker thread, and TensorFlow is imported only inside a training worker, when the
user starts one.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterable

from textual.app import App, ComposeResult, SystemCommand, get_system_commands_provider
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane
from textual.worker import get_current_worker

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.commands import RnnplayCommands
from rnnplay.tui.screens.models import ModelsTab
from rnnplay.tui.screens.play import PlayTab
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.screens.words import WordsTab
from rnnplay.tui.widgets.help_footer import HelpFirstFooter
from rnnplay.tui.widgets.help_screen import HelpScreen

HERE = Path(__file__).resolve().parent
TABS = {"play": "Play", "words": "Words", "train": "Train", "models": "Models"}
THEMES = ("textual-dark", "textual-light")


def read_classifier(name_or_path: str | Path, models_dir: Path | None) -> Any:
    """A runtime Classifier by name or folder; every way a model folder can be broken is an RnnplayError."""
    from rnnplay.runtime.models import open_classifier

    return open_classifier(name_or_path, models_dir)


def read_vectors(name_or_path: str | Path, models_dir: Path | None) -> Any:
    """Runtime word Vectors (a vectors model, or a classifier's embedding) by name or folder."""
    from rnnplay.runtime.models import open_vectors

    return open_vectors(name_or_path, models_dir)


class RnnplayApp(App[None]):
    """Tabs watch ``classifier``, ``vectors`` and ``catalog`` instead of calling each other."""

    # One stylesheet per tab beside its module (a Widget cannot have its own CSS_PATH); absolute, so a
    # subclass defined elsewhere (a test, a benchmark probe) finds them too.
    CSS_PATH = [HERE / name for name in ("app.tcss", "screens/play.tcss", "screens/words.tcss", "screens/train.tcss",
                                         "screens/models.tcss")]
    TITLE = "rnnplay"
    # Screen classes the stylesheets use to fit 80×24 and to use the room a big terminal gives.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-medium-height"), (40, "-tall")]
    BINDINGS = [
        Binding("f1", "show_tab('play')", "Play"),
        Binding("f2", "show_tab('words')", "Words"),
        Binding("f3", "show_tab('train')", "Train"),
        Binding("f4", "show_tab('models')", "Models"),
        Binding("f5", "help", "Help", priority=True),  # priority: even a text box that has the focus lets it through
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    # rnnplay's own commands in the Ctrl+P palette, beside Textual's (cut down to what fits this app).
    COMMANDS = {get_system_commands_provider, RnnplayCommands}
    SYSTEM_COMMANDS = ("Quit", "Screenshot")  # Textual's "Theme" and "Keys" would compete with Ctrl+T and F5

    classifier: reactive[Any] = reactive(None, always_update=True)  # runtime.classifier.Classifier
    vectors: reactive[Any] = reactive(None, always_update=True)  # runtime.vectors.Vectors
    catalog: reactive[int] = reactive(0)  # bumped when a model is saved or deleted
    loading_model: reactive[str] = reactive("")  # the classifier being loaded in the background, "" when none
    load_error: reactive[str] = reactive("", always_update=True)  # why the last classifier could not be loaded ("" after a success)

    def __init__(self, model: str = "imdb-bilstm", vectors: str = "imdb-cbow", models_dir: Path | None = None) -> None:
        super().__init__()
        self.models_dir = models_dir
        self.start_model, self.start_vectors = model, vectors
        self.set_reactive(RnnplayApp.loading_model, Path(model).name)  # tabs mount first: "loading", not "no model"

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="play"):
            for tab_id, title in TABS.items():
                with TabPane(title, id=tab_id):
                    yield {"play": PlayTab, "words": WordsTab, "train": TrainTab, "models": ModelsTab}[tab_id](id=f"{tab_id}-tab")
        yield HelpFirstFooter(compact=True)

    def on_mount(self) -> None:
        # Both loads run in threads, so the screen appears (and takes keys) before any model is read.
        self.load_classifier(self.start_model)
        self.load_vectors(self.start_vectors)

    def action_show_tab(self, tab_id: str) -> None:
        # Let go of the focus first: a focused widget in the pane being hidden would make the screen pass
        # the focus to a neighbour in that pane, and the tabs would follow it back there.
        tabs = self.query_one(TabbedContent)
        if tabs.active != tab_id:
            self.screen.set_focus(None)
            tabs.active = tab_id

    def show_on_play(self, text: str) -> None:
        """Switch to Play with ``text`` in its box, as one edit Ctrl+Z undoes (a review from Models' errors view)."""
        self.action_show_tab("play")
        self.query_one(PlayTab).replace_text(text)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Keys go to the tab just shown: every tab says where with its ``focus_default()``."""
        event.pane.query_one(f"#{event.pane.id}-tab").focus_default()  # type: ignore[attr-defined]

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_help(self) -> None:
        """Open the help for the tab in front; F5 on the help closes it."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        elif not any(isinstance(screen, HelpScreen) for screen in self.screen_stack):
            self.push_screen(HelpScreen(self.screen_stack[0].query_one(TabbedContent).active))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return (command for command in super().get_system_commands(screen) if command.title in self.SYSTEM_COMMANDS)

    # Loading models. The synchronous ``use_*`` methods suit callers that already run off the event loop
    # or need the answer at once; ``load_*`` return at once and load in a worker thread.

    def use_classifier(self, name_or_path: str | Path) -> bool:
        """Load a classifier for every tab; a failure is a notification and the current model stays."""
        return self._use(read_classifier, name_or_path, self._set_classifier, self._classifier_failed)

    def use_vectors(self, name_or_path: str | Path) -> bool:
        """Load word vectors (a vectors model, or a classifier's embedding) for the Words tab."""
        return self._use(read_vectors, name_or_path, self._set_vectors, self._vectors_failed)

    def load_classifier(self, name_or_path: str | Path) -> None:
        """Like ``use_classifier`` without blocking the screen; a newer request supersedes an older one."""
        self.loading_model = Path(str(name_or_path)).name
        self._load_in_background(read_classifier, name_or_path, self._set_classifier, self._classifier_failed,
                                 "load-classifier")

    def load_vectors(self, name_or_path: str | Path) -> None:
        """Like ``use_vectors`` without blocking the screen."""
        self._load_in_background(read_vectors, name_or_path, self._set_vectors, self._vectors_failed, "load-vectors")

    def _use(self, read: Callable[[str | Path, Path | None], Any], name_or_path: str | Path,
             loaded: Callable[[Any], None], failed: Callable[[str | Path, RnnplayError], None]) -> bool:
        try:
            model = read(name_or_path, self.models_dir)
        except RnnplayError as error:
            failed(name_or_path, error)
            return False
        loaded(model)
        return True

    def _load_in_background(self, read: Callable[[str | Path, Path | None], Any], name_or_path: str | Path,
                            loaded: Callable[[Any], None], failed: Callable[[str | Path, RnnplayError], None],
                            group: str) -> None:
        """``_use`` in a thread; the outcome is applied on the event loop unless a newer load in ``group`` superseded it."""

        def load() -> None:
            try:
                outcome = functools.partial(loaded, read(name_or_path, self.models_dir))
            except RnnplayError as error:
                outcome = functools.partial(failed, name_or_path, error)
            if not get_current_worker().is_cancelled:
                self.call_from_thread(outcome)

        self.run_worker(load, thread=True, exclusive=True, group=group)

    def _set_classifier(self, classifier: Any) -> None:
        self.classifier = classifier
        self.sub_title = printable(classifier.name)
        self.loading_model = ""
        self.set_reactive(RnnplayApp.load_error, "")  # no watcher: a success is not news to them

    def _classifier_failed(self, name_or_path: str | Path, error: RnnplayError) -> None:
        self.loading_model = ""
        self.load_error = str(error)
        keeps = f" (still using {self.classifier.name})" if self.classifier is not None else ""
        self.notify(f"{error}{keeps}", title=f"cannot load {printable(Path(str(name_or_path)).name)}", severity="error",
                    timeout=10, markup=False)

    def _set_vectors(self, vectors: Any) -> None:
        self.vectors = vectors

    def _vectors_failed(self, name_or_path: str | Path, error: RnnplayError) -> None:
        self.notify(str(error), title="cannot load word vectors", severity="error", markup=False)

    def catalog_changed(self) -> None:
        """Call after saving or deleting a model, so model lists refresh."""
        self.catalog += 1


def run(model: str, vectors: str, models_dir: Path | None = None) -> None:
    RnnplayApp(model=model, vectors=vectors, models_dir=models_dir).run()
