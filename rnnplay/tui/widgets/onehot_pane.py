"""The Words tab's "One-hot vs dense" pane: two words in, their cosines under one-hot, the word vectors and the
classifier's embedding out, with the one-hot vectors drawn compactly beside the dense ones; under it, what
one-hot inputs would cost on a text (Play's text until another is typed), measured live.

The numbers come from ``runtime.word_compare`` and ``runtime.onehot_cost``, the pictures from ``words_view``:
the same as ``rnnplay onehot`` prints. The cost is timed in a worker thread (tens of milliseconds of BLAS).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from rnnplay.errors import RnnplayError
from rnnplay.tui.shared import dark_background, follow_theme, rnnplay_app

HINT = "two words, then Enter: their cosine under one-hot vectors and under dense ones"
COST_HINT = "a text, then Enter: its embedding lookup against one-hot × Dense (Play's text until you type one)"


class OnehotPane(Vertical):
    """Words bar, the comparison (scrolls), the cost line and its measurement."""

    class Measured(Message):
        """The worker timed ``text`` (``cost``) with ``classifier``, or could not (``error``)."""

        def __init__(self, text: str, cost: Any = None, source: str = "", error: str = "") -> None:
            super().__init__()
            self.text, self.cost, self.source, self.error = text, cost, source, error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison: Any = None  # runtime.word_compare.WordComparison shown
        self.problem = ""
        self.cost: Any = None
        self.cost_source = ""
        self.cost_text_seen: str | None = None  # Play's text when it was last taken

    def compose(self) -> ComposeResult:
        with Horizontal(id="onehot-bar"):
            yield Label("Words", classes="field-label")
            yield Input(placeholder="good", id="onehot-a", compact=True)
            yield Input(placeholder="great", id="onehot-b", compact=True)
        with VerticalScroll(id="onehot-scroll"):
            yield Static(Text(HINT, style="dim"), id="onehot-result")
        with Horizontal(id="cost-bar"):
            yield Label("Cost on", classes="field-label")
            yield Input(placeholder="a text (Play's text comes here)", id="cost-text", compact=True)
        yield Static(Text(COST_HINT, style="dim"), id="cost-result")

    def on_resize(self) -> None:
        if self.comparison is not None:
            self.redraw()

    def on_mount(self) -> None:
        follow_theme(self, self.redraw)
        self.watch(self.app, "vectors", lambda _: self.compare(), init=False)
        self.watch(self.app, "classifier", lambda _: self.classifier_changed(), init=False)

    def on_show(self) -> None:
        """Shown: Play's text comes into the cost line if it changed there (and is measured)."""
        from rnnplay.tui.screens.play import PlayTab

        plays = self.screen.query(PlayTab)
        text = plays.first().text if plays else ""
        if text != self.cost_text_seen:
            self.cost_text_seen = text
            self.query_one("#cost-text", Input).value = " ".join(text.split())
            self.measure()

    def focus_default(self) -> None:
        self.query_one("#onehot-a", Input).focus()

    @property
    def words(self) -> tuple[str, str]:
        return self.query_one("#onehot-a", Input).value.strip(), self.query_one("#onehot-b", Input).value.strip()

    def set_words(self, a: str, b: str) -> None:
        self.query_one("#onehot-a", Input).value, self.query_one("#onehot-b", Input).value = a, b
        self.compare()

    @on(Input.Submitted, "#onehot-a")
    def _first_given(self, event: Input.Submitted) -> None:
        event.stop()
        if self.words[1]:
            self.compare()
        else:
            self.query_one("#onehot-b", Input).focus()

    @on(Input.Submitted, "#onehot-b")
    def _second_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.compare()

    @on(Input.Submitted, "#cost-text")
    def _cost_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.measure()

    def compare(self) -> None:
        """Compare the two words in both spaces (each missing word said in the result), or say what is missing."""
        from rnnplay.runtime.word_compare import compare_words

        a, b = self.words
        app = rnnplay_app(self)
        self.comparison, self.problem = None, ""
        if not a or not b:
            self.problem = HINT if not a and not b else "give two words"
        elif app.vectors is None and app.classifier is None:
            self.problem = "no word vectors and no classifier are loaded yet"
        else:
            try:
                self.comparison = compare_words(a, b, app.vectors, app.classifier)
            except RnnplayError as error:
                self.problem = str(error)
        self.redraw()

    def redraw(self) -> None:
        from rnnplay.words_view.compare import onehot_view
        from rnnplay.words_view.cost import cost_view

        result = self.query_one("#onehot-result", Static)
        if self.comparison is None:
            result.update(Text(self.problem or HINT, style="dim" if self.problem in ("", HINT) else "yellow"))
        else:
            dark = dark_background(self)
            # the strips get what the word, "one-hot" and the gaps leave of the width (and 1 for a scroll bar)
            longest = max(len(placed.word) for space in self.comparison.spaces for placed in space.words)
            width = max(16, (self.query_one("#onehot-scroll").size.width or 80) - longest - 11)
            result.update(Group(*onehot_view(self.comparison, dark, min(64, width))))
        if self.cost is not None:
            self.query_one("#cost-result", Static).update(Group(*cost_view(self.cost, self.cost_source)))

    def classifier_changed(self) -> None:
        self.compare()
        self.measure()

    @property
    def text(self) -> str:
        return self.query_one("#cost-text", Input).value

    def measure(self) -> None:
        """Time the lookup against one-hot × Dense on the cost line's text, in a worker."""
        classifier = rnnplay_app(self).classifier
        if not self.text.strip():
            self.cost = None
            self.query_one("#cost-result", Static).update(Text(COST_HINT, style="dim"))
            return
        if classifier is None:
            self.query_one("#cost-result", Static).update(Text("no classifier is loaded yet", style="dim"))
            return
        self.query_one("#cost-result", Static).update(Text("measuring…", style="dim"))
        self._measure(classifier, self.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="onehot-cost")
    def _measure(self, classifier: Any, text: str) -> None:
        from rnnplay.runtime.onehot_cost import text_cost

        try:
            cost = text_cost(classifier.network.embedding, classifier.encoder.encode(text))
            self.post_message(self.Measured(text, cost, f"{classifier.name}'s embedding"))
        except RnnplayError as error:
            self.post_message(self.Measured(text, error=str(error)))

    def on_onehot_pane_measured(self, event: Measured) -> None:
        event.stop()
        if event.text != self.text:
            return  # an older text's answer
        if event.error:
            self.cost = None
            self.query_one("#cost-result", Static).update(Text(event.error, style="yellow"))
            return
        self.cost, self.cost_source = event.cost, event.source
        self.redraw()
