"""The Models tab: every saved model in a table, the selected one's card and layers; load or delete it,
or see what a classifier gets wrong (``e``).

The list is read from the models folders (``store.list_models``) whenever the app's ``catalog`` changes
(a model was trained, imported or deleted) or the user presses ``r``; nothing here loads weights until
the user asks to load a model or its errors. Errors are computed in a worker thread and kept for the
session, per model folder and weights (``errors_key``): a second look is instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.render import model_row
from rnnplay.store import ListedModel
from rnnplay.tui.shared import rnnplay_app
from rnnplay.tui.widgets.classifier_picker import same_folder
from rnnplay.tui.widgets.confirm_dialog import ConfirmDialog
from rnnplay.tui.widgets.errors_view import ErrorsView
from rnnplay.tui.widgets.layer_summary import LayerSummary
from rnnplay.tui.widgets.model_card import ModelCard

COLUMNS = ("name", "kind", "corpus", "arch.", "acc.", "size", "date")  # short headers: 80 columns hold them all
IN_USE = "●"
FLEXIBLE = "arch."  # the architecture: the one column cut to fit a narrow terminal (the card below shows it whole)
MIN_FLEXIBLE = 8  # "BiLSTM …"
LEGEND = f"{IN_USE} in use   * shipped (read-only)   enter/l load · d delete · r refresh · e errors"
ErrorsKey = tuple[str, str]


def loaded_folder(model: Any) -> Path | None:
    """The folder a runtime Classifier (``stored.path``) or Vectors (``path``) came from; None when nothing
    is loaded, or for vectors built in memory."""
    stored = getattr(model, "stored", None)
    path = getattr(stored, "path", None) or getattr(model, "path", None)
    return None if path is None else Path(path)


def errors_key(path: Path, card: Any) -> ErrorsKey:
    """What a computed errors view stays valid for: the folder, and the weights its card vouches for (a model
    trained again under the same name is another model)."""
    return str(Path(path).resolve()), str(card.files.get("weights.npz", ""))


class ModelsTab(Vertical):
    """A table of saved models over the selected model's layer listing and card."""

    BINDINGS = [
        Binding("l", "load", "Load"),
        Binding("d,delete", "delete", "Delete"),
        Binding("r", "refresh", "Refresh"),
        Binding("e", "errors", "Errors"),
    ]

    class ErrorsProgress(Message):
        def __init__(self, key: ErrorsKey, done: int, total: int) -> None:
            super().__init__()
            self.key, self.done, self.total = key, done, total

    class ErrorsFound(Message):
        """The worker's answer for ``key``: ``result`` (a ``mistakes.Mistakes``), or ``error`` saying why not."""

        def __init__(self, key: ErrorsKey, result: Any, error: str) -> None:
            super().__init__()
            self.key, self.result, self.error = key, result, error

    def compose(self) -> ComposeResult:
        yield DataTable(id="models-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(LEGEND, style="dim"), id="models-legend")
        with VerticalScroll(id="models-detail"):  # Tab, then arrows, scroll the card
            with Horizontal(id="models-pair"):  # side by side on a wide terminal, stacked otherwise
                yield LayerSummary(id="models-layers")
                yield ModelCard(id="models-card")

    def on_mount(self) -> None:
        self.entries: dict[str, ListedModel] = {}
        self._requested: Path | None = None  # a model this tab asked the app to load
        self.rows: dict[str, tuple[str, ...]] = {}
        self.errors: dict[ErrorsKey, Any] = {}  # computed errors views, for the session
        self._computing: set[ErrorsKey] = set()
        self._errors_view: tuple[ErrorsKey, ErrorsView] | None = None  # the view on screen, and what it shows
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self.watch(self.app, "catalog", self.list_models)
        self.watch(self.app, "classifier", self._model_loaded, init=False)
        self.watch(self.app, "vectors", self._model_loaded, init=False)

    def focus_default(self) -> None:
        self.query_one(DataTable).focus()

    # The table

    def list_models(self) -> None:
        """Re-read the models folders, keeping the cursor on the same model when it is still there."""
        from rnnplay.store import list_models

        selected = self.selected()
        self.entries, self.rows = {}, {}
        for entry in list_models(rnnplay_app(self).models_dir):
            key = str(entry.path)
            self.entries[key] = entry
            self.rows[key] = model_row(entry)  # the card was checked when read; a broken one is listed as such
        self._fill_table(None if selected is None else str(selected.path))
        self._show(self.selected())

    def _fill_table(self, cursor_key: str | None) -> None:
        """Rows from the last listing, the architecture column cut to what the terminal's width leaves."""
        table = self.query_one(DataTable)
        table.clear()
        self._fitted_to = table.size.width
        column = table.columns[FLEXIBLE]  # type: ignore[index]
        if self.rows and table.size.width:
            index = COLUMNS.index(FLEXIBLE)
            widest = [max(len(name), *(len(row[i]) for row in self.rows.values())) for i, name in enumerate(COLUMNS)]
            widest[0] += 2  # the in-use mark
            # rows beyond the table's height bring a vertical scrollbar, which takes its width from the row
            scrollbar = table.styles.scrollbar_size_vertical if len(self.rows) + 1 > table.size.height else 0
            room = table.size.width - scrollbar - 2 * table.cell_padding * len(COLUMNS) - (sum(widest) - widest[index])
            column.auto_width = False
            column.width = max(MIN_FLEXIBLE, min(widest[index], room))
        index, width = COLUMNS.index(FLEXIBLE), column.width
        for key, row in self.rows.items():
            cells = list(row[1:])
            if not column.auto_width and len(row[index]) > width:  # say it was cut rather than show a wrong number
                cells[index - 1] = row[index][: width - 1] + "…"
            table.add_row(self._name_cell(key), *cells, key=key)
        if cursor_key in self.rows:
            table.move_cursor(row=table.get_row_index(cursor_key))

    def in_use(self, entry: ListedModel) -> bool:
        return any(same_folder(entry.path, loaded_folder(model)) for model in (rnnplay_app(self).classifier, rnnplay_app(self).vectors))

    def _name_cell(self, key: str) -> str:
        return f"{IN_USE if self.in_use(self.entries[key]) else ' '} {self.rows[key][0]}"

    def _model_loaded(self) -> None:
        table = self.query_one(DataTable)
        for key in self.entries:
            table.update_cell(key, "name", self._name_cell(key), update_width=True)
        classifier = rnnplay_app(self).classifier
        if self._requested is not None and same_folder(self._requested, loaded_folder(classifier)):
            self.notify(f"Play now uses {printable(classifier.name)}", title="model loaded", markup=False)
            self._requested = None

    def on_resize(self) -> None:
        if self.query_one(DataTable).size.width != getattr(self, "_fitted_to", None):
            selected = self.selected()
            self._fill_table(None if selected is None else str(selected.path))

    def selected(self) -> ListedModel | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(key or "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show(self.entries.get(event.row_key.value or ""))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_load()

    def _show(self, entry: ListedModel | None) -> None:
        self.query_one(LayerSummary).show(None if entry is None else entry.card)
        self.query_one(ModelCard).show(entry)

    # Actions

    def action_refresh(self) -> None:
        self.list_models()

    def action_load(self) -> None:
        """A classifier becomes the Play model, word vectors the Words model."""
        entry = self.selected()
        if entry is None:
            return
        if entry.card is None:
            self.notify(f"{printable(entry.path.name)} has no readable card, so it cannot be loaded", severity="error", markup=False)
        elif entry.card.kind == "vectors":
            rnnplay_app(self).load_vectors(entry.path)
            self.notify(f"the Words tab will use {printable(entry.path.name)}", title="loading word vectors", markup=False)
        else:
            self._requested = entry.path
            rnnplay_app(self).load_classifier(entry.path)

    def action_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.source == "shipped":
            self.notify(f"{printable(entry.path.name)} is shipped with rnnplay: it cannot be deleted (your own models can)",
                        title="not deleted", severity="warning", markup=False)
            return
        in_use = " It stays loaded until you pick another model." if self.in_use(entry) else ""
        self.app.push_screen(
            ConfirmDialog(f"Delete {entry.path.name}?", f"{entry.path}\nThe folder is removed for good.{in_use}", "Delete"),
            lambda yes: self._delete(entry) if yes else None,
        )

    def _delete(self, entry: ListedModel) -> None:
        from rnnplay.store import delete_model

        try:
            delete_model(entry.path, rnnplay_app(self).models_dir)
        except (RnnplayError, OSError) as error:
            self.notify(str(error), title="not deleted", severity="error", markup=False)
            return
        self.notify(f"{printable(entry.path.name)} deleted", title="deleted", markup=False)
        rnnplay_app(self).catalog_changed()

    # What a classifier gets wrong

    def action_errors(self) -> None:
        """Open the errors view of the selected classifier; computed once per session in a worker thread."""
        entry = self.selected()
        if entry is None:
            return
        name = printable(entry.path.name)
        if entry.card is None:
            self.notify(f"{name} has no readable card: nothing to test", severity="error", markup=False)
            return
        if entry.card.kind != "classifier":
            self.notify(f"{name} is word vectors: only a classifier gets reviews wrong", title="no errors view",
                        severity="warning", markup=False)
            return
        key = errors_key(entry.path, entry.card)
        view = ErrorsView(entry.path.name, self.errors.get(key))  # named as the table names it
        self._errors_view = (key, view)
        self.app.push_screen(view, self._errors_closed)
        if key not in self.errors and key not in self._computing:
            self._computing.add(key)
            classifier = rnnplay_app(self).classifier  # reused when it is this very model
            folder = loaded_folder(classifier)
            reuse = folder is not None and errors_key(folder, classifier.card) == key
            self._compute_errors(key, entry.path, classifier if reuse else None)

    @work(thread=True, group="errors")
    def _compute_errors(self, key: ErrorsKey, path: Path, classifier: Any) -> None:
        from rnnplay.mistakes import find_mistakes
        from rnnplay.runtime.models import open_classifier

        worker = get_current_worker()
        try:
            model = classifier if classifier is not None else open_classifier(path)
            def progress(done: int, total: int) -> None:
                self.post_message(self.ErrorsProgress(key, done, total))

            result = find_mistakes(model, progress, lambda: worker.is_cancelled)
        except RnnplayError as error:
            self.post_message(self.ErrorsFound(key, None, str(error)))
        else:
            self.post_message(self.ErrorsFound(key, result, ""))

    def on_models_tab_errors_progress(self, message: ErrorsProgress) -> None:
        if self._errors_view is not None and self._errors_view[0] == message.key:
            self._errors_view[1].progress(message.done, message.total)

    def on_models_tab_errors_found(self, message: ErrorsFound) -> None:
        self._computing.discard(message.key)
        if message.result is not None:
            self.errors[message.key] = message.result  # a failure is not kept: the corpus may come back
        if self._errors_view is None or self._errors_view[0] != message.key:
            return
        view = self._errors_view[1]
        if message.result is not None:
            view.show(message.result)
        else:
            view.failed(message.error)

    def _errors_closed(self, text: str | None) -> None:
        self._errors_view = None
        if text is not None:
            rnnplay_app(self).show_on_play(text)
