"""Ranked words with a score and a bar each, as many as fit: a taller terminal shows more of the ranking."""

from __future__ import annotations

from typing import Sequence

from rich.console import RenderableType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from rnnplay.render import ranking_table

COLUMN_GAPS = 3 * 2  # the table pads each of its four columns by one space on inner edges


class RankedWords(Widget):
    """A ranking (word, score) drawn with ``render.ranking_table``, cut to the rows the widget has.

    Callers hand over more rows than usually fit (the runtime ranks 50 as fast as 5), so resizing
    the terminal shows more or fewer without asking the model again.
    """

    rows: reactive[tuple[tuple[str, float], ...]] = reactive((), layout=False)

    def __init__(self, column: str, *, relative: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.column = column
        self.relative = relative

    def show(self, rows: Sequence[tuple[str, float]]) -> None:
        self.rows = tuple((word, float(score)) for word, score in rows)

    def render(self) -> RenderableType:
        visible = self.rows[: max(0, self.size.height - 1)]  # one line goes to the header
        if not visible:
            return ""
        rank_width = len(str(len(visible)))
        word_width = max(len("word"), *(len(word) for word, _ in visible))
        score_width = max(len(self.column), *(len(f"{score:.4f}") for _, score in visible))
        bar_width = max(1, self.size.width - rank_width - word_width - score_width - COLUMN_GAPS - 1)
        return ranking_table(visible, self.column, relative=self.relative, width=bar_width)


class AnswerBox(Vertical):
    """A box whose answer is a ranking of words, or one line saying why there is none.

    Subclasses compose a ``RankedWords`` and a ``Static`` with class ``problem``.
    """

    def show_answers(self, rows: Sequence[tuple[str, float]]) -> None:
        self.show_problem("")
        self.query_one(RankedWords).show(rows)

    def show_problem(self, message: str) -> None:
        """Show ``message`` instead of the ranking ("" shows the ranking again)."""
        problem = self.query_one(".problem", Static)
        problem.update(message)
        problem.display = bool(message)
        ranked = self.query_one(RankedWords)
        ranked.display = not message
        if message:
            ranked.show(())

    @property
    def answers(self) -> list[str]:
        """The words shown, best first; none while a problem is shown."""
        ranked = self.query_one(RankedWords)
        return [word for word, _ in ranked.rows] if ranked.display else []

    @property
    def problem(self) -> str:
        """Why there is no ranking; "" while the ranking is shown."""
        problem = self.query_one(".problem", Static)
        return str(problem.content) if problem.display else ""
