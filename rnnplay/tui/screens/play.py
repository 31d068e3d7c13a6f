"""The Play tab: type a review and watch the classifier react word by word.

Each keystroke restarts a short timer; when it fires, ``runtime.explain`` runs in a worker thread
(one batched NumPy call) and the four panels update together from its result. A result that arrives
for a text or a model that is no longer current is dropped, so fast typing never shows stale panels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Select, Static, TextArea

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.shared import rnnplay_app
from rnnplay.tui.widgets.classifier_picker import ClassifierPicker, same_folder
from rnnplay.tui.widgets.encoder_view import EncoderView
from rnnplay.tui.widgets.prefix_trace import PrefixTrace
from rnnplay.tui.widgets.probability_gauge import ProbabilityGauge
from rnnplay.tui.widgets.token_shares import TokenShares

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

DEBOUNCE_SECONDS = 0.05  # long enough to skip work between fast keystrokes, short enough to feel instant
HINT = "Type a review: the verdict, each word's share and the encoder's ids follow every keystroke."
EXAMPLES = (  # Ctrl+R cycles through these; they show negation, contrast and unknown words
    "A wonderful film, I loved every minute of it.",
    "The plot was awful and the acting even worse.",
    "Not bad at all.",
    "I expected a masterpiece. It was not.",
    "The first hour is dull, but the ending is brilliant.",
    "Zorblax the Unfathomable was a grimdark snoozefest.",
)


class PlayTab(Vertical):
    """A text box, a model picker, and the panels that explain the current model's verdict on the text."""

    BINDINGS = [
        Binding("ctrl+r", "example", "Example"),
        Binding("ctrl+l", "clear_text", "Clear"),
        Binding("ctrl+o", "pick_model", "Model"),
    ]

    class Explained(Message):
        """A worker finished explaining ``text`` with ``classifier`` (``explanation`` None: ``error`` says why)."""

        def __init__(self, classifier: Any, text: str, explanation: Explanation | None, error: str) -> None:
            super().__init__()
            self.classifier, self.text, self.explanation, self.error = classifier, text, explanation, error

    def compose(self) -> ComposeResult:
        with Horizontal(id="play-model-row"):
            yield Label("Model", id="play-model-label")
            yield ClassifierPicker(id="play-model")
        yield TextArea(id="play-text", placeholder="Type a review here… (Ctrl+R: an example)", soft_wrap=True)
        yield Static(HINT, id="play-status")
        with VerticalScroll(id="play-results"):  # focusable, so the keyboard can scroll it on a small terminal
            yield ProbabilityGauge(id="play-gauge")
            yield TokenShares(id="play-shares")
            with Horizontal(id="play-pair"):  # stacked by play.tcss at every width (side by side cut their text)
                yield PrefixTrace(id="play-prefix")
                yield EncoderView(id="play-encoder")

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self._example = -1
        self.explanation: Explanation | None = None  # what the panels show
        self.shown: tuple[str, Any] | None = None  # the (text, classifier) they show it for
        self._previous: Explanation | None = None  # the latest result, so explain can reuse its prefix trace
        self.query_one(ProbabilityGauge).border_title = "Prediction"
        self.focus_default()
        self.watch(self.app, "catalog", self._list_classifiers)
        self.watch(self.app, "classifier", self._classifier_changed)
        self.watch(self.app, "loading_model", self._loading_changed, init=False)
        self.watch(self.app, "load_error", self._load_failed, init=False)

    def focus_default(self) -> None:
        """Typing is what this tab is for."""
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def up_to_date(self) -> bool:
        """True when the panels show the current text with the current model."""
        return self.shown is not None and self.shown[0] == self.text and self.shown[1] is rnnplay_app(self).classifier

    # The model

    def _current_folder(self) -> Path | None:
        classifier = rnnplay_app(self).classifier
        return None if classifier is None else Path(classifier.stored.path)

    def _list_classifiers(self) -> None:
        self.query_one(ClassifierPicker).list_classifiers(rnnplay_app(self).models_dir, self._current_folder())

    def _classifier_changed(self) -> None:
        self.query_one(ClassifierPicker).show_folder(self._current_folder())
        self._explain_now()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        folder, current = event.value, self._current_folder()
        picker = self.query_one(ClassifierPicker)
        if not isinstance(folder, str):  # the blank entry: there is no "no model", so show the one in use
            if current is not None:
                picker.show_folder(current)
        elif current is None or not same_folder(folder, current):
            rnnplay_app(self).load_classifier(folder)
            if picker.has_focus:
                self.focus_default()  # picked from the list: back to typing

    def _loading_changed(self) -> None:
        if rnnplay_app(self).classifier is None:
            self._explain_now()  # "Loading …" while the first model is read

    def _load_failed(self) -> None:
        """The picker goes back to the model still in use; with no model at all, the panels say why."""
        if not rnnplay_app(self).load_error:
            return
        self.query_one(ClassifierPicker).show_folder(self._current_folder())
        if rnnplay_app(self).classifier is None:
            self._explain_now()

    def action_pick_model(self) -> None:
        picker = self.query_one(ClassifierPicker)
        picker.focus()
        picker.action_show_overlay()

    # The text

    def action_clear_text(self) -> None:
        text_area = self.query_one(TextArea)
        text_area.clear()
        text_area.focus()

    def action_example(self) -> None:
        self._example = (self._example + 1) % len(EXAMPLES)
        text_area = self.query_one(TextArea)
        text_area.load_text(EXAMPLES[self._example])
        text_area.move_cursor(text_area.document.end)
        text_area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._explain_now)

    def _explain_now(self) -> None:
        app = rnnplay_app(self)
        classifier, text = app.classifier, self.text
        if classifier is None:
            if app.loading_model:
                self._show(None, Text(f"Loading {printable(app.loading_model)}…", style="dim"))
            else:
                error = app.load_error or "no classifier loaded"
                self._show(None, Text(f"{error}. Pick a classifier above (Ctrl+O) or in Models (F4).", style="bold red"))
        elif not text.strip():
            self._show(None, Text(HINT, style="dim"))
        else:
            self._explain_in_background(classifier, text, self._previous)

    @work(thread=True, exclusive=True, group="explain")
    def _explain_in_background(self, classifier: Any, text: str, previous: Explanation | None) -> None:
        from rnnplay.runtime.explain import EmptyText, explain

        try:
            explanation, error = explain(classifier, text, previous), ""
        except EmptyText as problem:
            explanation, error = None, f"{sentence(str(problem))} (punctuation is not a word): type some words."
        except RnnplayError as problem:  # e.g. too long to explain word by word; the message says what it can
            explanation, error = None, sentence(str(problem)) + "."
        self.post_message(self.Explained(classifier, text, explanation, error))

    def on_play_tab_explained(self, message: Explained) -> None:
        if message.explanation is not None:
            self._previous = message.explanation  # right for its own text, stale or not
        if message.classifier is not rnnplay_app(self).classifier or message.text != self.text:
            return  # the user typed on, or switched model, while this was computed
        if message.explanation is None:
            self._show(None, Text(message.error, style="bold yellow"))
        else:
            self._show(message.explanation, status(message.explanation))

    def _show(self, explanation: Explanation | None, message: Text) -> None:
        """Update every panel from one explanation, so they never disagree."""
        self.explanation = explanation
        classifier = rnnplay_app(self).classifier
        self.shown = (self.text, classifier)
        gauge = self.query_one(ProbabilityGauge)
        gauge.show(None if explanation is None else explanation.probability, "" if explanation is None else explanation.label)
        self.query_one(TokenShares).show(explanation)
        self.query_one(PrefixTrace).show(explanation)
        self.query_one(EncoderView).show(explanation, None if classifier is None else classifier.encoder)
        self.query_one("#play-status", Static).update(message)


def sentence(message: str) -> str:
    """An error message as the start of a sentence."""
    return message[:1].upper() + message[1:]


def status(explanation: Explanation) -> Text:
    """``3 words read · 1 not in the vocabulary``: what the model actually saw of the text."""
    read = len(explanation.tokens)
    unknown = int(explanation.oov.sum())
    text = Text(f"{read:,} word{'s' if read != 1 else ''} read", style="dim")
    if unknown:
        text.append(f" · {unknown} not in the vocabulary ([UNK])")
    if explanation.dropped:
        text.append(f" · {explanation.dropped:,} past max_length not read")
    return text
