"""The Play tab: type a review and watch the classifier react word by word.

Each keystroke restarts a short timer; when it fires, ``runtime.explain`` runs in a worker thread
(one batched NumPy call) and the panels update together from its result. A result that arrives
for a text or a model that is no longer current is dropped, so fast typing never shows stale panels.
The compare line (Ctrl+B) is explained the same way, in a worker of its own, and the compare panel
reads the main text's explanation from the same place the other panels do, so no two panels disagree.
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
from textual.widgets import Input, Label, Select, Static, TextArea

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.shared import debounce, rnnplay_app
from rnnplay.tui.widgets.classifier_picker import ClassifierPicker, same_folder
from rnnplay.tui.widgets.encoder_view import EncoderView
from rnnplay.tui.widgets.prefix_trace import PrefixTrace
from rnnplay.tui.widgets.probability_gauge import ProbabilityGauge
from rnnplay.tui.widgets.text_compare import TextCompare
from rnnplay.tui.widgets.token_shares import TokenShares

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation
    from rnnplay.text import Encoding

HINT = "Type a review: the verdict, each word's share and the encoder's ids follow every keystroke."
MAIN, COMPARE = "main", "compare"  # which text an explanation is for
EXAMPLES = (  # Ctrl+R cycles through these; they show negation, contrast and unknown words
    "A wonderful film, I loved every minute of it.",
    "The plot was awful and the acting even worse.",
    "Not bad at all.",
    "I expected a masterpiece. It was not.",
    "The first hour is dull, but the ending is brilliant.",
    "Zorblax the Unfathomable was a grimdark snoozefest.",
)


class Results(VerticalScroll):
    """The panels. Focusable only while they overflow (then the keyboard scrolls them), so Tab never
    stops on something that shows no focus and does nothing."""

    def allow_focus(self) -> bool:
        return self.max_scroll_y > 0


class PlayTab(Vertical):
    """A text box, a model picker, and the panels that explain the current model's verdict on the text."""

    BINDINGS = [
        Binding("ctrl+r", "example", "Example"),
        Binding("ctrl+l", "clear_text", "Clear"),
        Binding("ctrl+o", "pick_model", "Model"),
        Binding("ctrl+f", "toggle_scale", "Logit/P"),
        Binding("ctrl+b", "toggle_compare", "Compare"),
    ]

    class Explained(Message):
        """A worker finished explaining ``text`` with ``classifier`` (``explanation`` None: ``error`` says why,
        and ``probability`` is the whole text's when it is known); ``which`` is ``MAIN`` or ``COMPARE``."""

        def __init__(self, classifier: Any, text: str, explanation: Explanation | None, error: str,
                     probability: float | None = None, which: str = MAIN) -> None:
            super().__init__()
            self.classifier, self.text, self.explanation, self.error = classifier, text, explanation, error
            self.probability, self.which = probability, which
            self.encoding: Encoding | None = None  # the encoder's trace of ``text`` (the main text only)

    def compose(self) -> ComposeResult:
        with Horizontal(id="play-model-row"):
            yield Label("Model", id="play-model-label")
            yield ClassifierPicker(id="play-model")
        yield TextArea(id="play-text", placeholder="Type a review here… (Ctrl+R: an example)", soft_wrap=True)
        with Horizontal(id="play-compare-row"):
            yield Label("Compare B", id="play-compare-label")
            yield Input(id="play-compare-text", placeholder="a second text to compare with the one above", compact=True)
        yield Static(HINT, id="play-status")
        with Results(id="play-results"):  # focusable when it overflows, so the keyboard can scroll it
            yield ProbabilityGauge(id="play-gauge")
            yield TextCompare(id="play-compare")
            yield TokenShares(id="play-shares")
            with Horizontal(id="play-pair"):  # stacked by play.tcss at every width (side by side cut their text)
                yield PrefixTrace(id="play-prefix")
                yield EncoderView(id="play-encoder")

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self._compare_timer: Timer | None = None
        self._example = -1
        self.logit = False  # shares on the logit scale (Ctrl+F) instead of P's
        self.explanation: Explanation | None = None  # what the panels show
        self.shown: tuple[str, Any] | None = None  # the (text, classifier) they show it for
        self._previous: Explanation | None = None  # the latest result, so explain can reuse its prefix trace
        self.compared: Explanation | None = None  # the compare line's explanation, as the compare panel shows it
        self.compared_for: tuple[str, Any] | None = None  # the (compare text, classifier) it is for
        self._compare_note = ""  # why the compare line has no explanation (or its probability)
        self._main_note = ""
        self.query_one(ProbabilityGauge).border_title = "Prediction"
        self.comparing = False
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
    def compare_text(self) -> str:
        return self.query_one("#play-compare-text", Input).value

    @property
    def up_to_date(self) -> bool:
        """True when the panels show the current text (and, when comparing, the compare line) with the current model."""
        classifier = rnnplay_app(self).classifier
        main = self.shown is not None and self.shown[0] == self.text and self.shown[1] is classifier
        return main and (not self.comparing or self.compared_for == (self.compare_text, classifier))

    # The model

    def _current_folder(self) -> Path | None:
        classifier = rnnplay_app(self).classifier
        return None if classifier is None else Path(classifier.stored.path)

    def _list_classifiers(self) -> None:
        self.query_one(ClassifierPicker).list_classifiers(rnnplay_app(self).models_dir, self._current_folder())

    def _classifier_changed(self) -> None:
        self.query_one(ClassifierPicker).show_folder(self._current_folder())
        self._explain_now()
        self._explain_compare_now()

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

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one edit that Ctrl+Z undoes, put the cursor at its end and focus the box."""
        text_area = self.query_one(TextArea)
        text_area.history.checkpoint()  # the replacement is its own undo step, not merged with the typing before it
        text_area.replace(text, (0, 0), text_area.document.end)
        text_area.history.checkpoint()
        text_area.move_cursor(text_area.document.end)
        text_area.focus()

    def action_clear_text(self) -> None:
        self.replace_text("")

    def action_example(self) -> None:
        self._example = (self._example + 1) % len(EXAMPLES)
        self.replace_text(EXAMPLES[self._example])

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._timer = debounce(self, self._timer, self._explain_now)

    def _explain_now(self) -> None:
        app = rnnplay_app(self)
        classifier, text = app.classifier, self.text
        if classifier is None:
            if app.loading_model:
                self._show(None, Text(f"Loading {printable(app.loading_model)}…", style="dim"))
            else:
                error = app.load_error or "no classifier loaded"
                self._show(None, Text(f"{error}. Pick a classifier above (Ctrl+O) or in Models (F6).", style="bold red"))
        elif not text.strip():
            self._show(None, Text(HINT, style="dim"))
        else:
            self._explain_in_background(classifier, text, self._previous)

    @work(thread=True, exclusive=True, group="explain")
    def _explain_in_background(self, classifier: Any, text: str, previous: Explanation | None) -> None:
        message = explained(classifier, text, previous, MAIN)
        message.encoding = classifier.encoder.trace(text)  # the encoder panel's stages, off the event loop too
        self.post_message(message)

    def on_play_tab_explained(self, message: Explained) -> None:
        if message.which == COMPARE:
            self._compare_explained(message)
            return
        if message.explanation is not None:
            self._previous = message.explanation  # right for its own text, stale or not
        if message.classifier is not rnnplay_app(self).classifier or message.text != self.text:
            return  # the user typed on, or switched model, while this was computed
        if message.encoding is not None:
            self.query_one(EncoderView).remember(message.text, message.classifier.encoder, message.encoding)
        if message.explanation is None:
            self._show(None, Text(message.error, style="bold yellow"), message.probability)
        else:
            self._show(message.explanation, status(message.explanation))

    def _show(self, explanation: Explanation | None, message: Text, probability: float | None = None) -> None:
        """Update every panel from one explanation, so they never disagree. Without one, ``probability``
        (the whole text's, when only the word-by-word detail was skipped) still fills the gauge."""
        self.explanation = explanation
        classifier = rnnplay_app(self).classifier
        self.shown = (self.text, classifier)
        gauge = self.query_one(ProbabilityGauge)
        if explanation is not None:
            probability = explanation.probability
        gauge.show(probability, "" if probability is None else label(probability))
        skipped = SKIPPED if explanation is None and probability is not None else ""
        self._main_note = "" if probability is None or explanation is not None else f"{label(probability)} {probability:.3f} · {SKIPPED}"
        self.query_one(TokenShares).show(explanation, self.logit, skipped)
        self.query_one(PrefixTrace).show(explanation, skipped)
        self.query_one(EncoderView).show(explanation, classifier, self.text)
        self.query_one("#play-status", Static).update(message)
        self._show_compare()

    # The scale

    def action_toggle_scale(self) -> None:
        """Shares on the logit scale, or back on P's: the same explanation, drawn again."""
        self.logit = not self.logit
        self.query_one(TokenShares).show(self.explanation, self.logit, self.query_one(TokenShares).skipped)
        self._show_compare()

    # The compare line

    def action_toggle_compare(self) -> None:
        """Show the compare line and its panel (and type there), or hide them and go back to the text."""
        self.comparing = not self.comparing
        self.set_class(self.comparing, "-comparing")
        if self.comparing:
            self.query_one("#play-compare-text", Input).focus()
            self._explain_compare_now()
        else:
            self.focus_default()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._compare_timer = debounce(self, self._compare_timer, self._explain_compare_now)

    def _explain_compare_now(self) -> None:
        classifier, text = rnnplay_app(self).classifier, self.compare_text
        if not self.comparing or classifier is None:
            return
        if not text.strip():
            self._set_compared(None, (text, classifier), "")
        else:
            self._explain_compare_in_background(classifier, text)

    @work(thread=True, exclusive=True, group="explain-compare")
    def _explain_compare_in_background(self, classifier: Any, text: str) -> None:
        self.post_message(explained(classifier, text, None, COMPARE))

    def _compare_explained(self, message: Explained) -> None:
        if message.classifier is not rnnplay_app(self).classifier or message.text != self.compare_text:
            return  # typed on, or switched model, while this was computed
        note = message.error
        if message.explanation is None and message.probability is not None:
            note = f"{label(message.probability)} {message.probability:.3f} · {SKIPPED}"
        self._set_compared(message.explanation, (message.text, message.classifier), note)

    def _set_compared(self, explanation: Explanation | None, shown: tuple[str, Any], note: str) -> None:
        self.compared, self.compared_for, self._compare_note = explanation, shown, note
        self._show_compare()

    def _show_compare(self) -> None:
        """The compare panel, from the main panels' explanation and the compare line's."""
        if not self.comparing:
            return
        classifier = rnnplay_app(self).classifier
        current = self.compared_for is not None and self.compared_for[1] is classifier
        second = self.compared if current else None
        notes = (self._main_note, self._compare_note if current else "")
        self.query_one(TextCompare).show(self.explanation, second, self.logit, notes)


SKIPPED = "too long to explain word by word, so the word panels are skipped"


def explained(classifier: Any, text: str, previous: Explanation | None, which: str) -> PlayTab.Explained:
    """Explain ``text`` (in a worker thread) and wrap the result, or why there is none, as a message."""
    from rnnplay.runtime.explain import EmptyText, TextTooLong, explain

    probability = None
    try:
        explanation, error = explain(classifier, text, previous), ""
    except EmptyText as problem:
        explanation, error = None, f"{sentence(str(problem))} (punctuation is not a word): type some words."
    except TextTooLong as problem:  # the verdict is known; only the word-by-word detail is skipped
        explanation, probability = None, problem.probability
        error = (f"{sentence(str(problem))}. The word panels are skipped: each word would need its own pass "
                 "over the text.")
    except RnnplayError as problem:
        explanation, error = None, sentence(str(problem)) + "."
    return PlayTab.Explained(classifier, text, explanation, error, probability, which)


def label(probability: float) -> str:
    from rnnplay.runtime.classifier import label as verdict

    return verdict(probability)


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
