"""What a classifier gets wrong, over the Models tab: its test split's confusion matrix and its mistakes.

The numbers come from ``rnnplay.mistakes`` (computed by the Models tab in a worker thread, which feeds
this view its progress and then its result); the pictures from ``rnnplay.mistakes_view``, as the CLI and
the REPL print them. Enter on a mistake dismisses the view with that review's text, for the Play tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from rnnplay.limits import MISTAKES_LISTED
from rnnplay.printable import printable

if TYPE_CHECKING:
    from rnnplay.mistakes import Mistakes

HINT = "↑↓ choose · enter: open the review on Play · esc: close"
FIXED_COLUMNS = 32  # the box's border and padding, "#", "true", "P(pos)", cell padding and a scroll bar: the review gets the rest


class ErrorsView(ModalScreen[str | None]):
    """Dismissed with the text of the mistake chosen (Enter), or None (Escape)."""

    DEFAULT_CSS = """
    ErrorsView {
        align: center middle;
    }
    #errors-box {
        width: 100%;
        max-width: 140;
        height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    #errors-status, #errors-matrix {
        height: auto;
        margin: 0 0 1 0;
    }
    #errors-list {
        height: 1fr;
    }
    #errors-hint {
        height: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, model: str, result: Mistakes | None = None) -> None:
        super().__init__()
        self.model, self.result = model, result
        self.error = ""  # why there is no result, once the worker said so
        self.counted = (0, 0)  # the worker's progress: (predicted, of)
        self._ready = False  # the worker may answer before the screen is mounted: on_mount shows the latest news

    def compose(self) -> ComposeResult:
        with Vertical(id="errors-box"):
            yield Static(id="errors-status")
            yield Static(id="errors-matrix")
            yield DataTable(id="errors-list", cursor_type="row", zebra_stripes=True)
            yield Static(HINT, id="errors-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#errors-box").border_title = f"What {printable(self.model)} gets wrong"
        table = self.query_one(DataTable)
        for name in ("#", "true", "P(pos)", "review"):
            table.add_column(name, key=name)
        table.focus()
        self._ready = True
        if self.result is not None:
            self.show(self.result)
        elif self.error:
            self.failed(self.error)
        else:
            self.progress(*self.counted)

    def progress(self, done: int, total: int) -> None:
        """``computing…`` with how far the prediction got, while the worker runs."""
        self.counted = (done, total)
        if self._ready:
            counted = f" {done:,} of {total:,} reviews predicted" if total else " reading the test split"
            self.query_one("#errors-status", Static).update(Text(f"computing…{counted}", style="bold"))

    def failed(self, message: str) -> None:
        self.error = message
        if self._ready:
            self.query_one("#errors-status", Static).update(Text(printable(message), style="bold red"))
            self.query_one("#errors-list").display = False

    def show(self, result: Mistakes) -> None:
        from rnnplay.mistakes_view import confusion_table, summary

        self.result = result
        if self._ready:
            self.query_one("#errors-status", Static).update(summary(result))
            self.query_one("#errors-matrix", Static).update(confusion_table(result))
            self._fill()

    def _fill(self) -> None:
        """One row per mistake (at most ``MISTAKES_LISTED``), the review cut to the width the table has."""
        from rnnplay.mistakes_view import excerpt, mistake_row

        if self.result is None or not self._ready:
            return
        table = self.query_one(DataTable)
        table.clear()
        self._filled_for = self.size.width
        width = max(20, min(self.size.width, 140) - FIXED_COLUMNS)
        for rank, mistake in enumerate(self.result.mistakes[:MISTAKES_LISTED], 1):
            *cells, _ = mistake_row(rank, mistake)
            table.add_row(*cells, excerpt(mistake.text, width), key=str(rank - 1))
        hint = self.query_one("#errors-hint", Static)
        if not self.result.mistakes:
            hint.update("no mistakes on the test split · esc: close")
        elif len(self.result.mistakes) > MISTAKES_LISTED:
            hint.update(f"the {MISTAKES_LISTED:,} surest of {len(self.result.mistakes):,} mistakes · {HINT}")

    def on_resize(self) -> None:
        if self.result is not None and self.size.width != getattr(self, "_filled_for", None):
            self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.result is not None and event.row_key.value is not None:
            self.dismiss(self.result.mistakes[int(event.row_key.value)].text)

    def action_close(self) -> None:
        self.dismiss(None)
