"""One embedding space's nearest words to the query, with cosine bars, or why that space cannot answer.

The Words tab shows two of these side by side, so the same word can be seen in two geometries: word
vectors (words used in the same places) and a classifier's embedding (words that push its verdict
the same way).
"""

from __future__ import annotations

from typing import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from rnnplay.tui.widgets.ranked_words import AnswerBox, RankedWords


class NeighbourList(AnswerBox):
    """Title and note say which space this is; below, the ranking or a message with suggested spellings."""

    class Picked(Message):
        """The user chose one of the suggested spellings of an unknown word."""

        def __init__(self, word: str) -> None:
            super().__init__()
            self.word = word

    def __init__(self, title: str, note: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="neighbour-list")
        self.border_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        yield Static(self.note, classes="space-note", markup=False)
        yield RankedWords("cosine")
        yield Static("", classes="problem", markup=False)
        yield Horizontal(classes="suggestions")

    def show_space(self, title: str, size: str, note: str | None = None) -> None:
        """Name the space (model name), its size (``30,684 words × 100``) and, if it changed, what "near" means."""
        self.border_title = title
        self.border_subtitle = size
        if note is not None:
            self.note = note
            self.query_one(".space-note", Static).update(note)

    def show_problem(self, message: str, suggestions: Sequence[str] = ()) -> None:
        """Say why there is no ranking; each suggested spelling becomes a button that queries it."""
        super().show_problem(message)
        box = self.query_one(".suggestions", Horizontal)
        box.remove_children()
        if suggestions:
            box.mount_all([Button(word, name=word, compact=True, classes="suggestion") for word in suggestions])
        box.display = bool(suggestions)

    @on(Button.Pressed, ".suggestion")
    def _pick(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Picked(event.button.name or ""))
