"""A − B + C in one space of word vectors: "king − man + woman" lands near "queen" when the space learnt it."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from rnnplay.errors import RnnplayError
from rnnplay.tui.widgets.ranked_words import AnswerBox, RankedWords

TITLE = "Analogy A − B + C"
ANSWERS = 30  # more than fit; the list shows what its height allows


class AnalogyBox(AnswerBox):
    """Three words in, the nearest words to A − B + C out (the query words themselves left out)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="word-box")
        self.border_title = TITLE
        self.space: Any = None  # runtime.vectors.Vectors

    def compose(self) -> ComposeResult:
        with Horizontal(classes="analogy-terms"):
            yield Input(placeholder="king", id="analogy-a", compact=True)
            yield Label(" − ", classes="operator")
            yield Input(placeholder="man", id="analogy-b", compact=True)
            yield Label(" + ", classes="operator")
            yield Input(placeholder="woman", id="analogy-c", compact=True)
        yield RankedWords("cosine")
        yield Static("", classes="problem", markup=False)

    def set_space(self, vectors: Any) -> None:
        """Answer in these vectors from now on (and again for the terms already typed)."""
        self.space = vectors
        self.border_title = f"{TITLE} · {vectors.name}" if vectors is not None else TITLE
        if all(self.terms):
            self.solve()
        else:  # answers from the previous space would be stale
            self.show_answers(())

    @property
    def terms(self) -> tuple[str, str, str]:
        return tuple(self.query_one(f"#analogy-{part}", Input).value.strip() for part in "abc")  # type: ignore[return-value]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next empty term, and solves once all three are there."""
        event.stop()
        inputs = [self.query_one(f"#analogy-{part}", Input) for part in "abc"]
        empty = [box for box in inputs if not box.value.strip()]
        if empty:
            empty[0].focus()
            return
        self.solve()

    def solve(self) -> None:
        if self.space is None:
            self.show_problem("no word vectors are loaded: pick some at the top of the tab")
            return
        a, b, c = self.terms
        try:
            rows = self.space.analogy(a, b, c, ANSWERS)
        except RnnplayError as error:
            self.show_problem(str(error))
            return
        self.show_answers(rows)
