"""The Words tab's "Map" pane: chosen words on the PCA plane of the word vectors and of the classifier's
embedding, side by side (stacked when the width is short), each with the share of variance it keeps.

The maps come from ``runtime.word_map``; the drawing is ``words_view.word_map``'s, redrawn at the pane's size.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from rnnplay.errors import RnnplayError
from rnnplay.tui.shared import follow_theme, rnnplay_app

PLACEHOLDER = "good,great,excellent bad,awful,terrible actor,actress,king,queen"
CHROME = 6  # lines of the pane a map's grid does not get: caption (2), frame (2), the note under the maps (2)


class WordMapPane(Vertical):
    """A line of words (commas join a group) and the maps."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.maps: list[Any] = []
        self.problem = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="map-bar"):
            yield Label("Words", classes="field-label")
            yield Input(placeholder=PLACEHOLDER, id="map-words", compact=True)
        with VerticalScroll(id="map-scroll"):
            yield Static("", id="map-result")

    def on_mount(self) -> None:
        follow_theme(self, self.redraw)
        self.watch(self.app, "vectors", lambda _: self.draw(), init=False)
        self.watch(self.app, "classifier", lambda _: self.draw(), init=False)

    def on_show(self) -> None:
        """Drawn once laid out: the maps' size follows the pane's."""
        self.call_after_refresh(self.draw if not self.maps and not self.problem else self.redraw)

    def focus_default(self) -> None:
        self.query_one("#map-words", Input).focus()

    @on(Input.Submitted, "#map-words")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.draw()

    def on_resize(self, event: events.Resize) -> None:
        self.redraw()

    def draw(self) -> None:
        """Map the words given (the default groups when none) in both spaces."""
        from rnnplay.runtime.vectors import Vectors
        from rnnplay.runtime.word_map import parse_groups, word_maps

        app = rnnplay_app(self)
        spaces: list[Any] = [app.vectors]
        self.problem = ""
        try:
            spaces.append(None if app.classifier is None else Vectors.from_stored(app.classifier.stored))
            if all(space is None for space in spaces):
                raise RnnplayError("no word vectors and no classifier are loaded yet")
            self.maps = word_maps(spaces, parse_groups(self.query_one("#map-words", Input).value.split()))
        except RnnplayError as error:
            self.maps, self.problem = [], str(error)
        self.redraw()

    def redraw(self) -> None:
        from rnnplay.words_view.word_map import maps_view

        result = self.query_one("#map-result", Static)
        if not self.maps:
            result.update(Text(self.problem, style="yellow"))
            return
        scroll = self.query_one("#map-scroll")
        width = scroll.size.width or 80
        side_by_side = width >= 64
        room = (scroll.size.height or 20) - CHROME
        height = max(5, room if side_by_side else room // 2 - 2)
        result.update(Group(*maps_view(self.maps, width - 1, height)))

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (tests)."""
        from rich.console import Console

        console = Console(width=self.query_one("#map-scroll").size.width or 80, color_system=None)
        with console.capture() as captured:
            console.print(self.query_one("#map-result", Static).content)
        return captured.get()
