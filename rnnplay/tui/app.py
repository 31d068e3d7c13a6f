"""The rnnplay Textual app: four tabs over one shared state (the current classifier and word vectors).

Start-up stays light: models load through the NumPy runtime; TensorFlow is imported only inside a
training worker, when the user starts one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Footer, Header, TabbedContent, TabPane

from rnnplay.errors import RnnplayError
from rnnplay.tui.screens.models import ModelsTab
from rnnplay.tui.screens.play import PlayTab
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.screens.words import WordsTab

TABS = {"play": "Play", "words": "Words", "train": "Train", "models": "Models"}


class RnnplayApp(App[None]):
    """Tabs watch ``classifier``, ``vectors`` and ``catalog`` instead of calling each other."""

    # One stylesheet per tab beside its module (a Widget cannot have its own CSS_PATH).
    CSS_PATH = ["app.tcss", "screens/play.tcss", "screens/words.tcss", "screens/train.tcss", "screens/models.tcss"]
    TITLE = "rnnplay"
    BINDINGS = [
        Binding("f1", "show_tab('play')", "Play"),
        Binding("f2", "show_tab('words')", "Words"),
        Binding("f3", "show_tab('train')", "Train"),
        Binding("f4", "show_tab('models')", "Models"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    classifier: reactive[Any] = reactive(None, always_update=True)  # runtime.classifier.Classifier
    vectors: reactive[Any] = reactive(None, always_update=True)  # runtime.vectors.Vectors
    catalog: reactive[int] = reactive(0)  # bumped when a model is saved or deleted

    def __init__(self, model: str = "imdb-bilstm", vectors: str = "imdb-cbow", models_dir: Path | None = None) -> None:
        super().__init__()
        self.models_dir = models_dir
        self.start_model, self.start_vectors = model, vectors

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="play"):
            for tab_id, title in TABS.items():
                with TabPane(title, id=tab_id):
                    yield {"play": PlayTab, "words": WordsTab, "train": TrainTab, "models": ModelsTab}[tab_id](id=f"{tab_id}-tab")
        yield Footer()

    def on_mount(self) -> None:
        self.use_classifier(self.start_model)
        self.use_vectors(self.start_vectors)

    def action_show_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = tab_id

    def use_classifier(self, name_or_path: str | Path) -> bool:
        """Load a classifier for every tab; a failure is a notification and the current model stays."""
        from rnnplay.runtime.classifier import Classifier
        from rnnplay.store import resolve

        try:
            self.classifier = Classifier.load(resolve(str(name_or_path), self.models_dir))
        except RnnplayError as error:
            self.notify(str(error), title="cannot load model", severity="error")
            return False
        self.sub_title = self.classifier.name
        return True

    def use_vectors(self, name_or_path: str | Path) -> bool:
        """Load word vectors (a vectors model, or a classifier's embedding) for the Words tab."""
        from rnnplay.runtime.vectors import Vectors
        from rnnplay.store import resolve

        try:
            self.vectors = Vectors.load(resolve(str(name_or_path), self.models_dir))
        except RnnplayError as error:
            self.notify(str(error), title="cannot load word vectors", severity="error")
            return False
        return True

    def catalog_changed(self) -> None:
        """Call after saving or deleting a model, so model lists refresh."""
        self.catalog += 1


def run(model: str, vectors: str, models_dir: Path | None = None) -> None:
    RnnplayApp(model=model, vectors=vectors, models_dir=models_dir).run()
