"""The Inside tab: the recurrent layer at work on a text, word by word, every gate shown.

It studies Play's text with Play's model: when the tab is shown and Play's text changed since it last
looked, that text comes into the tab's own line. Typing in that line studies another text without
touching Play's (Play keeps its own text and its undo history; Play's next change comes back here).

As on Play, each keystroke restarts a short timer; when it fires, the text is traced in a worker thread
(``runtime.inside.trace``, every state and gate, and ``runtime.through_time.connectivity``, the gradient
through time), and a result for a text, a model or a request that is no longer the latest is dropped.

The views are panes of their own: "Steps" is this module's (renderers in ``inside_view.steps``); the
others are drawn by ``render_gradient``, ``render_memory``, ``render_axis`` and ``render_stream`` from the
same ``InsideResult``: each returns a Rich renderable, and ``show_pane`` puts one in its pane (also from
a background job such as a corpus profile, which can show its progress there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TabbedContent, TabPane, Tabs

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.shared import dark_background, debounce, follow_theme, rnnplay_app

if TYPE_CHECKING:
    from rnnplay.inside_report import InsideReport
    from rnnplay.runtime.inside import Trace
    from rnnplay.runtime.through_time import Connectivity

PANES = {"steps": "Steps", "gradient": "Gradient", "memory": "Memory", "axis": "Axis", "stream": "Stream"}
HINT = "Type a text above, or one on Play (F1): this tab studies it with Play's model."
WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})  # the tab's line is one line; the model splits on any


@dataclass(frozen=True)
class InsideResult:
    """What one text gives with one model, computed off the event loop; every pane draws from it."""

    classifier: Any  # runtime.classifier.Classifier
    text: str
    report: InsideReport | None  # None: nothing traced (too long: ``note`` says why)
    probability: float  # the whole text's P(positive), also when it was not traced
    words: int  # tokens the model reads (after max_length)
    note: str = ""  # what was left out, or why there is nothing

    @property
    def trace(self) -> Trace | None:
        return None if self.report is None else self.report.trace

    @property
    def connectivity(self) -> Connectivity | None:
        return None if self.report is None else self.report.connectivity

    @property
    def logit_shares(self) -> Any:
        return None if self.report is None else self.report.logit_shares

    @property
    def profile(self) -> Any:
        """The model_profile.ModelProfile the path was drawn in, when there was one."""
        return None if self.report is None else self.report.profile

    @property
    def path(self) -> Any:
        return None if self.report is None else self.report.path

    @property
    def stream(self) -> Any:
        return None if self.report is None else self.report.stream

    @property
    def unknown(self) -> list[bool]:
        from rnnplay.text import OOV_ID

        return [] if self.trace is None else [int(i) == OOV_ID for i in self.trace.ids]


def inside_result(classifier: Any, text: str, profile: Any = None, stream: bool = False) -> InsideResult:
    """Trace ``text`` through ``classifier`` (in a worker thread): ``inside_report.look_inside``, with the
    model's ``profile`` for the text's path along the sentiment axis, and with ``stream`` the measured cost
    of a prediction after every word (only while the Stream pane is in front: a bidirectional model
    re-reads every prefix, which grows with the square of the length).

    A text over the explain limit keeps every view whose cost grows with its length and says what is left
    out; one over ``TRACE_LIMIT`` words is not traced at all (its prediction is still given).
    """
    from rnnplay.inside_report import TextTooLongToTrace, look_inside

    try:
        # best of five for the stream: the event loop shares the GIL with this thread
        report = look_inside(classifier, text, profile, stream, repeats=5)
    except TextTooLongToTrace as too_long:
        return InsideResult(classifier, text, None, too_long.probability, too_long.words, str(too_long) + ".")
    return InsideResult(classifier, text, report, report.trace.probability, report.trace.words, report.left_out)


class StepsView(Widget, can_focus=True):
    """View 1: the word under the cursor, its strips, and h(t) over the text; it draws to its own size."""

    DEFAULT_CSS = "StepsView { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: InsideResult | None = None
        self.message: RenderableType = Text(HINT, style="dim")
        self.cursor = 0  # the word
        self.depth = 0  # the layer shown (``Widget.layer`` is Textual's)
        self.way = 0  # the direction shown: 0 forward, 1 backward
        self.strip = 0  # the strip whose numbers the line under the strips gives
        self.unit = 0

    def on_mount(self) -> None:
        follow_theme(self, self.refresh)

    def show(self, result: InsideResult | None, message: RenderableType | None = None) -> None:
        """A new result (the cursor stays on the same word number, clamped), or a message instead of one."""
        self.result = result
        if message is not None:
            self.message = message
        self.clamp()
        self.refresh()

    def clamp(self) -> None:
        trace = self.trace
        if trace is None:
            return
        self.cursor = min(max(0, self.cursor), max(0, trace.words - 1))
        self.depth = min(max(0, self.depth), len(trace.layers) - 1)
        self.way = min(max(0, self.way), trace.directions - 1)
        from rnnplay.runtime.inside import GATES_SHOWN

        self.strip = min(max(0, self.strip), len(GATES_SHOWN[trace.cell]) + 2)  # x, h(t−1), the gates, h(t)
        self.unit = min(max(0, self.unit), self.units - 1)

    @property
    def trace(self) -> Trace | None:
        return None if self.result is None else self.result.trace

    @property
    def units(self) -> int:
        trace = self.trace
        return 1 if trace is None else max(1, trace.at(self.depth, self.way).h.shape[1])

    def render(self) -> RenderableType:
        trace = self.trace
        if trace is None or self.result is None:
            return self.message
        if trace.words == 0:
            return Text("The model read no word of this text: type some words (punctuation is not a word).", style="dim")
        from rnnplay.inside_view.steps import step_view

        width, height = self.size
        return step_view(trace.at(self.depth, self.way), trace.tokens, self.cursor, self.strip, self.unit,
                         max(20, width), max(4, height), dark_background(self), self.result.unknown)


class ViewPane(VerticalScroll, can_focus=True, inherit_bindings=False):
    """A pane for one of views 2–5: a renderable that scrolls when it is taller than the pane.

    Only ↑/↓ and the page keys scroll it: ←/→ and Home/End reach the tab and move the word cursor, as on
    the Steps pane (the gradient marks the word under it)."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(HINT, style="dim"), classes="view-body")

    def show(self, renderable: RenderableType) -> None:
        self.query_one(".view-body", Static).update(renderable)


class InsideTab(Vertical):
    """Its own line with the text, one status line, and the views as panes."""

    # One footer entry per pair of keys (the left one shows both; Textual's binding groups pad the footer's start).
    BINDINGS = [
        Binding("left", "move_word(-1)", "Word", key_display="←→"),
        Binding("right", "move_word(1)", "Next word", show=False),
        Binding("home", "first_word", "First word", show=False),
        Binding("end", "last_word", "Last word", show=False),
        Binding("up", "move_strip(-1)", "Strip", key_display="↑↓"),
        Binding("down", "move_strip(1)", "Strip below", show=False),
        Binding("left_square_bracket", "move_unit(-1)", "Unit", key_display="[]"),
        Binding("right_square_bracket", "move_unit(1)", "Unit to the right", show=False),
        Binding("d", "toggle_direction", "Direction"),
        Binding("l", "next_layer", "Layer"),
        Binding("v", "next_view", "View"),
    ]

    class Traced(Message):
        """A worker finished a text (``result``), or failed (``error``); ``generation`` says which request it answers."""

        def __init__(self, generation: int, classifier: Any, text: str, result: InsideResult | None, error: str = "") -> None:
            super().__init__()
            self.generation, self.classifier, self.text, self.result, self.error = generation, classifier, text, result, error

    class Profiled(Message):
        """The corpus profile of ``classifier``: computed or read (``profile``), failed (``error``), or ``fraction`` done."""

        def __init__(self, classifier: Any, profile: Any = None, error: str = "", fraction: float | None = None) -> None:
            super().__init__()
            self.classifier, self.profile, self.error, self.fraction = classifier, profile, error, fraction

    def compose(self) -> ComposeResult:
        with Horizontal(id="inside-text-row"):
            yield Label("Text", id="inside-text-label")
            yield Input(id="inside-text", placeholder="Play's text comes here; or type one (Enter: to the view)", compact=True)
        yield Static(Text(HINT, style="dim"), id="inside-status")
        with TabbedContent(id="inside-views", initial="inside-steps"):
            for name, title in PANES.items():
                with TabPane(title, id=f"inside-{name}"):
                    yield StepsView(id="inside-steps-view") if name == "steps" else ViewPane(id=f"inside-{name}-view")

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self._generation = 0  # bumped by every request; only the latest one's result is shown
        self.result: InsideResult | None = None  # what the views show
        self.shown: tuple[str, Any] | None = None  # the (text, classifier) they show it for
        self.play_text_seen: str | None = None  # Play's text when this tab last took it
        self.profile_of: Any = None  # the classifier the corpus profile below is (being) made for
        self.profile: Any = None  # its model_profile.ModelProfile, once read or computed
        self.profile_error = ""  # why it has none (an imported model keeps no held-out reviews)
        self.profile_fraction: float | None = None  # how far its computation is, while it runs
        self.query_one("#inside-views Tabs", Tabs).can_focus = False  # ←/→ move the word cursor, not the panes
        self.watch(self.app, "classifier", self._classifier_changed)
        self.watch(self.app, "loading_model", self._loading_changed, init=False)

    def focus_default(self) -> None:
        """Arriving on the tab: the keys go to the view in front (type in the line above after Tab or a click)."""
        self._follow_play()
        self._pane_widget(self.pane).focus()

    def on_show(self, event: events.Show) -> None:
        """Shown by any way (a key, a click, the help's pages): Play's text comes in if it changed there, and the
        model's corpus profile is read or computed (once per model: never while the tab is not looked at)."""
        self._follow_play()
        self._want_profile()

    # The text

    @property
    def text(self) -> str:
        return self.query_one("#inside-text", Input).value

    @property
    def up_to_date(self) -> bool:
        """True when the views show the current text with the current model."""
        return self.shown is not None and self.shown == (self.text, rnnplay_app(self).classifier)

    @property
    def studies_play_text(self) -> bool:
        """True while the line holds Play's text as it came in (its line breaks read as spaces)."""
        return self.play_text_seen is not None and self.text == self.play_text_seen.translate(WHITESPACE)

    def _follow_play(self) -> None:
        from rnnplay.tui.screens.play import PlayTab

        play_text = self.screen.query_one(PlayTab).text if self.is_mounted else ""
        if play_text != self.play_text_seen:
            self.play_text_seen = play_text
            self.set_text(play_text)

    def set_text(self, text: str) -> None:
        """Study ``text`` (line breaks read as spaces: the model splits on either)."""
        box = self.query_one("#inside-text", Input)
        box.value = text.translate(WHITESPACE)
        box.cursor_position = len(box.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._timer = debounce(self, self._timer, self.trace_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pane_widget(self.pane).focus()

    def _classifier_changed(self) -> None:
        self.trace_now()
        if self.is_mounted and self.screen.is_current and self.display and self.visible and self.is_on_screen:
            self._want_profile()

    # The model's corpus profile (views 2–4 show the text beside the model's held-out reviews)

    def _want_profile(self) -> None:
        classifier = rnnplay_app(self).classifier
        if classifier is None or classifier is self.profile_of:
            return
        self.profile_of, self.profile, self.profile_error, self.profile_fraction = classifier, None, "", 0.0
        self._profile_in_background(classifier)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inside-profile")
    def _profile_in_background(self, classifier: Any) -> None:
        """The cached profile at once, or computed with its progress (a few seconds, once per model's weights)."""
        from textual.worker import get_current_worker

        from rnnplay.errors import Cancelled
        from rnnplay.model_profile import cached_profile, model_profile

        worker = get_current_worker()
        found = cached_profile(classifier)
        if found is None:
            shown = [0.0]

            def progress(fraction: float) -> None:
                if fraction - shown[0] >= 0.02:
                    shown[0] = fraction
                    self.post_message(self.Profiled(classifier, fraction=fraction))

            try:
                found = model_profile(classifier, progress=progress, should_stop=lambda: worker.is_cancelled)
            except Cancelled:
                return
            except RnnplayError as problem:
                self.post_message(self.Profiled(classifier, error=str(problem)))
                return
        self.post_message(self.Profiled(classifier, profile=found))

    def on_inside_tab_profiled(self, message: Profiled) -> None:
        message.stop()
        if message.classifier is not self.profile_of:
            return  # a model no longer in use
        if message.fraction is not None:
            self.profile_fraction = message.fraction
        else:
            self.profile, self.profile_error, self.profile_fraction = message.profile, message.error, None
            if message.profile is not None:
                self.trace_now()  # the text's path along the sentiment axis needs the profile
        self._show_views()

    def profile_for(self, classifier: Any) -> Any:
        """The runtime.profile.Profile of ``classifier`` when this tab has it, else None."""
        return self.profile.profile if self.profile is not None and self.profile_of is classifier else None

    def profile_line(self) -> Text | None:
        """One line on the corpus figures while they are computed, or why there are none."""
        name = printable(getattr(self.profile_of, "name", ""))
        if self.profile_fraction is not None:
            done = max(0.0, min(1.0, self.profile_fraction))
            cells = 20
            return Text.assemble(("█" * round(done * cells)).ljust(cells, "░"),
                                 f" {done:.0%} · {name} on its held-out reviews (once for these weights)",
                                 style="dim")
        if self.profile_error:
            return Text(f"No corpus figures: {self.profile_error}", style="dim")
        if self.profile is not None and self.profile.cache_problem:
            return Text(f"Corpus figures not cached: {self.profile.cache_problem}", style="dim")
        return None

    def _loading_changed(self) -> None:
        if rnnplay_app(self).classifier is None:
            self.trace_now()

    def trace_now(self) -> None:
        """Trace the current text with the current model in the background; a message instead when there is none."""
        app = rnnplay_app(self)
        classifier, text = app.classifier, self.text
        self._generation += 1
        if classifier is None:
            message = (Text(f"Loading {printable(app.loading_model)}…", style="dim") if app.loading_model
                       else Text(f"{app.load_error or 'no classifier loaded'}. Pick one on Play (F1, Ctrl+O) or in Models (F6).",
                                 style="bold red"))
            self._show(None, message, (text, None))
        elif not text.strip():
            self._show(None, Text(HINT, style="dim"), (text, classifier))
        else:
            profile = self.profile if self.profile_of is classifier else None
            self._trace_in_background(self._generation, classifier, text, profile, self.pane == "stream")

    @work(thread=True, exclusive=True, exit_on_error=False, group="inside")
    def _trace_in_background(self, generation: int, classifier: Any, text: str, profile: Any, stream: bool) -> None:
        try:
            result = inside_result(classifier, text, profile, stream)
            self.post_message(self.Traced(generation, classifier, text, result))
        except RnnplayError as problem:
            self.post_message(self.Traced(generation, classifier, text, None, str(problem)))

    def on_inside_tab_traced(self, message: Traced) -> None:
        message.stop()
        stale = (message.generation != self._generation or message.classifier is not rnnplay_app(self).classifier
                 or message.text != self.text)
        if stale:
            return  # the user typed on, or the model changed, while this was computed
        if message.result is None:
            self._show(None, Text(message.error, style="bold yellow"), (message.text, message.classifier))
        else:
            self._show(message.result, status(message.result, self.studies_play_text), (message.text, message.classifier))

    def _show(self, result: InsideResult | None, message: Text, shown: tuple[str, Any]) -> None:
        """Every pane from one result, so none disagrees with another."""
        self.result, self.shown = result, shown
        self.query_one("#inside-status", Static).update(message)
        body = message if result is None else Text(result.note or "", style="bold yellow")
        self.query_one(StepsView).show(result if result is not None and result.trace is not None else None, body)
        self._show_views(body)

    def _show_views(self, body: RenderableType | None = None) -> None:
        """Views 2–5 from the result shown (or ``body`` in their place when there is none)."""
        for name in ("gradient", "memory", "axis", "stream"):
            if self.result is None:
                self.show_pane(name, body if body is not None else Text(HINT, style="dim"))
            else:
                self.show_pane(name, self.view_body(name, self.result))

    def view_body(self, name: str, result: InsideResult) -> RenderableType:
        """What pane ``name`` shows for ``result``: the view, under the corpus profile's line for the three that use it."""
        view = {"gradient": self.render_gradient, "memory": self.render_memory, "axis": self.render_axis,
                "stream": self.render_stream}[name](result)
        lines = [line for line in (Text(result.note, style="bold yellow") if result.note and name == "gradient" else None,
                                   self.profile_line() if name != "stream" else None) if line is not None]
        return Group(*lines, view) if lines else view

    # Views 2–5: each returns what its pane shows for a result; the richer renderers plug in here.

    def render_gradient(self, result: InsideResult) -> RenderableType:
        """View 2, gradient through time: ‖∂logit/∂x(t)‖ per word and direction beside the leave-one-out shares."""
        if result.trace is None or result.connectivity is None:
            return Text(result.note, style="bold yellow")
        from rnnplay.inside_view.gradient import gradient_view

        return gradient_view(result.trace.tokens, result.connectivity, result.logit_shares, self.profile_for(result.classifier),
                             self.view_width, cursor=self.query_one(StepsView).cursor, dark=dark_background(self))

    def render_memory(self, result: InsideResult) -> RenderableType:
        """View 3, memory span: the forget (LSTM) or update (GRU) gates over this text and the model's reviews."""
        if result.trace is None:
            return Text(result.note, style="bold yellow")
        from rnnplay.inside_view.memory import memory_view

        return memory_view(result.trace, self.profile_for(result.classifier), self.view_width)

    def render_axis(self, result: InsideResult) -> RenderableType:
        """View 4, the sentiment axis: the text's path in the principal components of the final state."""
        from rnnplay.inside_view.axis import axis_view

        profile = self.profile_for(result.classifier)
        path = result.path if result.profile is not None and result.profile.profile is profile else None
        tokens = result.trace.tokens if result.trace is not None else None
        return axis_view(profile, path, self.view_width, max(8, self.size.height - 12), tokens, dark=dark_background(self))

    @property
    def view_width(self) -> int:
        """The columns a pane's body has (its padding and scroll bar taken off)."""
        return max(30, self.size.width - 4)

    def render_stream(self, result: InsideResult) -> RenderableType:
        """View 5, stream vs re-read: the steps and measured time of a prediction after every word."""
        if result.stream is None:
            return Text("Measuring…" if self.pane == "stream" else "", style="dim")
        from rnnplay.inside_view.stream import stream_view

        return stream_view(result.stream, self.view_width)

    def show_pane(self, name: str, renderable: RenderableType) -> None:
        """Put ``renderable`` in pane ``name`` ("gradient", "memory", "axis" or "stream")."""
        self.query_one(f"#inside-{name}-view", ViewPane).show(renderable)

    # The panes

    @property
    def pane(self) -> str:
        """The pane in front: "steps", "gradient", "memory", "axis" or "stream"."""
        return (self.query_one("#inside-views", TabbedContent).active or "inside-steps").removeprefix("inside-")

    def _pane_widget(self, name: str) -> Widget:
        return self.query_one("#inside-steps-view") if name == "steps" else self.query_one(f"#inside-{name}-view")

    def show_view(self, name: str) -> None:
        """Bring pane ``name`` to the front and give it the keys."""
        self.query_one("#inside-views", TabbedContent).active = f"inside-{name}"
        self._pane_widget(name).focus()
        self._follow_cursor()

    def action_next_view(self) -> None:
        names = list(PANES)
        self.show_view(names[(names.index(self.pane) + 1) % len(names)])

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A pane chosen by a click: the keys follow it. Not the app's business (its handler is for the tabs)."""
        event.stop()
        if event.tabbed_content.id == "inside-views":
            self._follow_cursor()
            if self.pane == "stream" and self.result is not None and self.result.trace is not None and self.result.stream is None:
                self.trace_now()  # measured only while this pane is in front
            widget = self._pane_widget(self.pane)
            if not widget.has_focus and self.app.focused is not self.query_one("#inside-text"):
                widget.focus()

    # The step-by-step view's keys (they work from every pane: the cursor is the tab's)

    def _steps(self, change: str, amount: int = 0) -> None:
        view = self.query_one(StepsView)
        trace = view.trace
        if trace is None:
            return
        if change == "word":
            view.cursor = amount
        elif change == "strip":
            view.strip += amount
        elif change == "unit":
            view.unit += amount
        view.clamp()
        view.refresh()
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """The pane in front, drawn again where it marks the word under the cursor (the gradient's bars)."""
        if self.pane == "gradient" and self.result is not None:
            self.show_pane("gradient", self.view_body("gradient", self.result))

    def action_move_word(self, step: int) -> None:
        self._steps("word", self.query_one(StepsView).cursor + step)

    def action_first_word(self) -> None:
        self._steps("word", 0)

    def action_last_word(self) -> None:
        trace = self.query_one(StepsView).trace
        self._steps("word", 0 if trace is None else trace.words - 1)

    def action_move_strip(self, step: int) -> None:
        self._steps("strip", step)

    def action_move_unit(self, step: int) -> None:
        self._steps("unit", step)

    def action_toggle_direction(self) -> None:
        view = self.query_one(StepsView)
        if view.trace is not None and view.trace.directions == 1:
            self.notify("This model reads one way only (left to right).", timeout=3)
            return
        view.way = 1 - view.way
        self._steps("direction")

    def action_next_layer(self) -> None:
        view = self.query_one(StepsView)
        if view.trace is not None and len(view.trace.layers) == 1:
            self.notify("This model has one recurrent layer.", timeout=3)
            return
        if view.trace is not None:
            view.depth = (view.depth + 1) % len(view.trace.layers)
        self._steps("layer")


def status(result: InsideResult, from_play: bool) -> Text:
    """``imdb-bilstm · positive 0.912 · 12 words · 1 unknown · Play's text``: what is studied, in one line."""
    from rnnplay.runtime.classifier import label

    text = Text(printable(result.classifier.name), style="bold")
    text.append(f" · {label(result.probability)} {result.probability:.3f}")
    text.append(f" · {result.words:,} word{'s' if result.words != 1 else ''}", style="dim")
    unknown = sum(result.unknown)
    if unknown:
        text.append(f" · {unknown} unknown", style="dim")
    if result.trace is not None and result.trace.dropped:
        text.append(f" · {result.trace.dropped:,} past max_length not read", style="dim")
    text.append(" · Play's text" if from_play else " · this tab's own text (Play's is unchanged)", style="dim")
    return text
