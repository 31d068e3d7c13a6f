"""The guess box's guess, dissected, over the Words tab (Ctrl+B): the context read and skipped, h, W′·h, the
noise prior added back, and gensim's ``predict_output_word`` ranking beside. Esc closes it."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class DissectScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,ctrl+b,q", "close", "Close")]
    DEFAULT_CSS = """
    DissectScreen { align: center middle; }
    #dissect-box { width: 100%; height: 100%; border: round $primary; border-title-style: bold; padding: 0 1;
                   background: $surface; }
    """

    def __init__(self, parts: list[Any], title: str) -> None:
        super().__init__()
        self.parts, self.title_text = parts, title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dissect-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Esc closes"
            yield Static(Group(*self.parts), id="dissect-body")

    def on_mount(self) -> None:
        self.query_one("#dissect-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
