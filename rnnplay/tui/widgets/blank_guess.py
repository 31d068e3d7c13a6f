"""CBOW's own task, shown back: guess the word at ``___`` from the words around it.

Only CBOW vectors can do this (they keep the output rows that scored centre words in training); a
classifier's embedding or imported vectors cannot, and the box says so instead of failing.

A word's output row points much like its input row, so the words around the blank often rank first
("the acting was ___" → "acting"); the "hide context" checkbox beside the text leaves them out of the
ranking (``Cbow.guess(exclude_context=True)``), and the subtitle says so.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Static

from rnnplay.errors import RnnplayError
from rnnplay.tui.widgets.ranked_words import AnswerBox, RankedWords

GUESSES = 30  # more than fit; the list shows what its height allows
TITLE = "Guess the blank ___"
HIDE_CONTEXT = "hide context"
HIDE_CONTEXT_HINT = "Leave the words read around the blank out of the ranking (they often rank first)"


class BlankGuess(AnswerBox):
    """A sentence with one blank in; the most probable words for it out, and the context CBOW read."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="word-box")
        self.border_title = TITLE
        self.space: Any = None  # runtime.vectors.Vectors

    def compose(self) -> ComposeResult:
        from rnnplay.runtime.vectors import EXAMPLE

        with Horizontal(classes="guess-line"):
            yield Input(placeholder=EXAMPLE, id="blank-text", compact=True)
            checkbox = Checkbox(HIDE_CONTEXT, id="hide-context", compact=True)
            checkbox.tooltip = HIDE_CONTEXT_HINT
            yield checkbox
        yield RankedWords("probability", relative=True)
        yield Static("", classes="problem", markup=False)

    def set_space(self, vectors: Any) -> None:
        """Guess with these vectors from now on; say at once when they cannot guess."""
        self.space = vectors
        self.border_title = f"{TITLE} · {vectors.name}" if vectors is not None else TITLE
        self.border_subtitle = ""
        cannot = self.cannot_guess()
        if cannot:
            self.show_problem(cannot)
        elif self.text:
            self.guess()
        else:
            self.show_answers(())

    def cannot_guess(self) -> str:
        """Why the current vectors cannot guess, politely; "" when they can."""
        if self.space is None:
            return "no word vectors are loaded: pick CBOW vectors at the top of the tab"
        if self.space.guess_refusal:
            return f"{self.space.guess_refusal} (pick them at the top of the tab)"
        return ""

    @property
    def text(self) -> str:
        return self.query_one("#blank-text", Input).value.strip()

    @property
    def hide_context(self) -> bool:
        """Whether the words read around the blank are left out of the ranking."""
        return self.query_one("#hide-context", Checkbox).value

    @on(Checkbox.Changed, "#hide-context")
    def _hide_context_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.text and not self.cannot_guess():
            self.guess()

    @on(Input.Submitted, "#blank-text")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.guess()

    def guess(self) -> None:
        cannot = self.cannot_guess()
        if cannot:
            self.show_problem(cannot)
            return
        from rnnplay.runtime.vectors import guesser

        try:
            space = guesser(self.space)
            left, right = space.context(self.text)
            rows = space.guess(self.text, GUESSES, exclude_context=self.hide_context)
        except RnnplayError as error:
            self.show_problem(str(error))
            return
        self.show_answers(rows)
        read = "read, not ranked" if self.hide_context else "read"
        self.border_subtitle = f"{read}: {' '.join(left + ['___'] + right)}"

    def show_problem(self, message: str) -> None:
        super().show_problem(message)
        if message:
            self.border_subtitle = ""
