"""The rnnplay Textual app: six tabs over one shared state (the current classifier and word vectors).

Start-up stays light: the first screen is painted before any model is read, models load through the
NumPy runtime in a worker thread, and TensorFlow is imported only inside a training worker, when the
user starts one.

Two things keep the screen honest while that happens. Textual draws on file descriptor 2, which
importing TensorFlow points at /dev/null for seconds (to hide its start-up noise): the app draws on a
private copy of that descriptor instead (``PrivateTerminalDriver``), so no frame, and no exit sequence
after Ctrl+Q, is lost meanwhile. And a tab switch hands the keys typed right after it to the tab shown
(while the event loop is busy, a fast typist's keys queue up behind F1): they wait until it has the focus.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

from textual import events
from textual.app import App, ComposeResult, SystemCommand, get_system_commands_provider
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.commands import RnnplayCommands
from rnnplay.tui.screens.inside import InsideTab
from rnnplay.tui.screens.lab import LabTab
from rnnplay.tui.screens.models import ModelsTab
from rnnplay.tui.screens.play import PlayTab
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.screens.words import WordsTab
from rnnplay.tui.widgets.help_footer import HelpFirstFooter
from rnnplay.tui.widgets.help_screen import HelpScreen

HERE = Path(__file__).resolve().parent
TABS = {"play": "Play", "inside": "Inside", "words": "Words", "lab": "Lab", "train": "Train", "models": "Models"}
THEMES = ("textual-dark", "textual-light")
TAB_KEYS = ("f1", "f2", "f3", "f4", "f5", "f6")
HOLD_LIMIT_SECONDS = 5.0  # a safety net: longer than a tab key takes to come back even on a loop starved by an import
MIN_SIZE = (60, 20)  # columns, rows: below this the tabs' forms and panels cannot be laid out


def too_small_text(width: int, height: int) -> str:
    """One line that fits the 40 columns of a small terminal."""
    return f"Terminal too small: {width}×{height}, needs {MIN_SIZE[0]}×{MIN_SIZE[1]}"


def private_terminal(driver_class: type[Driver]) -> type[Driver]:
    """``driver_class`` drawing on its own duplicate of stderr's descriptor, when it is Textual's Linux driver.

    Textual writes the screen to ``sys.__stderr__``, that is to descriptor 2; a training worker points
    descriptor 2 at /dev/null while TensorFlow imports (rnnplay.training.tensorflow_modules). Every frame
    drawn meanwhile would be lost (the screen looks frozen until a resize redraws it all), and a Ctrl+Q
    meanwhile would leave the terminal in the alternate screen. A duplicate keeps pointing at the terminal.
    """
    if driver_class.__module__ != "textual.drivers.linux_driver" or sys.__stderr__ is None:
        return driver_class  # Windows, headless (tests), or a driver chosen through TEXTUAL_DRIVER
    from textual.drivers.linux_driver import LinuxDriver

    if driver_class is not LinuxDriver:
        return driver_class

    class PrivateTerminalDriver(LinuxDriver):
        def __init__(self, app: App, **kwargs: Any) -> None:
            super().__init__(app, **kwargs)
            stderr = sys.__stderr__
            assert stderr is not None
            self._terminal = open(os.dup(stderr.fileno()), "w", encoding=stderr.encoding,  # noqa: SIM115 - closed in close()
                                  errors=stderr.errors)
            self._file = self._terminal

        def close(self) -> None:
            super().close()  # stops the writer thread, which flushes first
            self._terminal.close()

    return PrivateTerminalDriver


def read_classifier(name_or_path: str | Path, models_dir: Path | None) -> Any:
    """A runtime Classifier by name or folder; every way a model folder can be broken is an RnnplayError."""
    from rnnplay.runtime.models import open_classifier

    return open_classifier(name_or_path, models_dir)


def read_vectors(name_or_path: str | Path, models_dir: Path | None) -> Any:
    """Runtime word Vectors (a vectors model, or a classifier's embedding) by name or folder."""
    from rnnplay.runtime.models import open_vectors

    return open_vectors(name_or_path, models_dir)


def in_hidden_tab(widget: Widget) -> bool:
    """Whether ``widget`` sits in a tab pane other than the one shown, at any depth (the Inside tab's views
    are panes within a tab: one of them may be in front while the whole tab is hidden)."""
    for pane in widget.ancestors:
        if isinstance(pane, TabPane):
            tabs = next((node for node in pane.ancestors if isinstance(node, TabbedContent)), None)
            if tabs is not None and bool(tabs.active) and tabs.active != pane.id:
                return True
    return False


class TabsScreen(Screen[None]):
    """The main screen: the focus never moves into a tab that is not shown.

    ``Widget.focus()`` only queues the move; one queued by a tab just before the user switched away (Ctrl+O
    opening the model list, then F5 at once) would land in the hidden tab, and the tabs follow the focus:
    the tab the user left would come back. F1–F6 and the tab row choose the tab; the focus follows them.
    """

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        if widget is not None and in_hidden_tab(widget):
            return
        super().set_focus(widget, scroll_visible, from_app_focus)


class RnnplayApp(App[None]):
    """Tabs watch ``classifier``, ``vectors`` and ``catalog`` instead of calling each other."""

    # One stylesheet per tab beside its module (a Widget cannot have its own CSS_PATH); absolute, so a
    # subclass defined elsewhere (a test, a benchmark probe) finds them too.
    CSS_PATH = [HERE / name for name in ("app.tcss", "screens/play.tcss", "screens/inside.tcss", "screens/words.tcss", "screens/lab.tcss", "screens/train.tcss",
                                         "screens/models.tcss")]
    TITLE = "rnnplay"
    # Screen classes the stylesheets use to fit 80×24 and to use the room a big terminal gives.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-medium-height"), (40, "-tall")]
    BINDINGS = [
        Binding("f1", "show_tab('play')", "Play"),
        Binding("f2", "show_tab('inside')", "Inside"),
        Binding("f3", "show_tab('words')", "Words"),
        Binding("f4", "show_tab('lab')", "Lab"),
        Binding("f5", "show_tab('train')", "Train"),
        # priority: a TextArea's own F6 (select the line) is given up, so F6 reaches Models from Play's text box too
        Binding("f6", "show_tab('models')", "Models", priority=True),
        # priority: even a text box that has the focus lets it through
        Binding("f7", "help", "Help", priority=True),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    # rnnplay's own commands in the Ctrl+P palette, beside Textual's (cut down to what fits this app).
    COMMANDS = {get_system_commands_provider, RnnplayCommands}
    SYSTEM_COMMANDS = ("Quit", "Screenshot")  # Textual's "Theme" and "Keys" would compete with Ctrl+T and F7

    classifier: reactive[Any] = reactive(None, always_update=True)  # runtime.classifier.Classifier
    vectors: reactive[Any] = reactive(None, always_update=True)  # runtime.vectors.Vectors
    catalog: reactive[int] = reactive(0)  # bumped when a model is saved or deleted
    loading_model: reactive[str] = reactive("")  # the classifier being loaded in the background, "" when none
    load_error: reactive[str] = reactive("", always_update=True)  # why the last classifier could not be loaded ("" after a success)

    def __init__(self, model: str = "imdb-bilstm", vectors: str = "imdb-cbow", models_dir: Path | None = None) -> None:
        super().__init__()
        self.models_dir = models_dir
        self.start_model, self.start_vectors = model, vectors
        self.set_reactive(RnnplayApp.loading_model, Path(model).name)  # tabs mount first: "loading", not "no model"
        self._held_keys: list[events.Key] | None = None  # keys typed while a tab switch moves the focus
        self._hold_limit: Timer | None = None
        self._releases = 0  # release requests so far

    def get_driver_class(self) -> type[Driver]:
        return private_terminal(super().get_driver_class())

    def get_default_screen(self) -> Screen:
        return TabsScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="play"):
            for tab_id, title in TABS.items():
                with TabPane(title, id=tab_id):
                    yield {"play": PlayTab, "inside": InsideTab, "words": WordsTab, "lab": LabTab, "train": TrainTab,
                           "models": ModelsTab}[tab_id](id=f"{tab_id}-tab")
        yield Static("", id="too-small", markup=False)
        yield HelpFirstFooter(compact=True)

    def on_mount(self) -> None:
        self._check_size(self.size)
        # Both loads run in threads, so the screen appears (and takes keys) before any model is read.
        self.load_classifier(self.start_model)
        self.load_vectors(self.start_vectors)

    # Tabs, and the keys typed right after switching. A key reaches the focused widget first and the app's
    # bindings only after bubbling back up, so keys typed right behind F1 would reach the tab being left
    # (or, while the focus moves, no widget at all): from a tab key's arrival until the tab it shows has
    # the focus, later keys wait in ``_held_keys``, then go on in order.

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # just typed (not bubbling back up)
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if event.key in TAB_KEYS:
                self._hold_keys()
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A tab key back from its trip (its binding has run, or found nothing, as over a dialog)."""
        if event.key in TAB_KEYS:
            self._release_after_focus()

    def action_show_tab(self, tab_id: str) -> None:
        """Show a tab and give it the focus (keys typed meanwhile follow it there)."""
        tabs = self.query_one(TabbedContent)
        if tabs.active != tab_id:
            for select in tabs.query(Select):  # a list opened on the tab being left closes with it
                select.expanded = False
            # Let go of the focus first: a focused widget in the pane being hidden would make the screen pass
            # the focus to a neighbour in that pane, and the tabs would follow it back there.
            self.screen.set_focus(None)
            tabs.active = tab_id
        self.query_one(f"#{tab_id}-tab").focus_default()  # type: ignore[attr-defined]
        self._hold_keys()  # also when called from a tab (Train's "use new model"), not through a key
        self._release_after_focus()

    def _hold_keys(self) -> None:
        if self._held_keys is None:
            self._held_keys = []
            # A safety net, never the mechanism: keys must not wait forever if a widget swallowed the tab key.
            self._hold_limit = self.set_timer(HOLD_LIMIT_SECONDS, self._release_now)

    def _release_after_focus(self) -> None:
        """``focus_default()`` moves the focus by a callback on the app's queue: release after it, not before.

        Only the latest request releases, so a second switch queued behind the first keeps the keys for its tab.
        """
        self._releases += 1
        self.call_later(self._release_keys, self._releases)

    async def _release_keys(self, request: int) -> None:
        if request == self._releases:
            await self._release_now()

    async def _release_now(self) -> None:
        """Deliver the held keys in order; one that is a tab key holds the rest for its own tab."""
        if self._held_keys is None:
            return
        held, self._held_keys = self._held_keys, None
        if self._hold_limit is not None:
            self._hold_limit.stop()
        try:
            self._focus_inside(self.query_one(TabbedContent).active)
        except NoMatches:  # the app is closing: nobody reads keys any more
            return
        while held:
            if self._held_keys is not None:
                self._held_keys[:0] = held
                return
            await self.on_event(held.pop(0))

    def _focus_inside(self, tab_id: str) -> None:
        """If the tab's ``focus_default()`` found nothing to focus (a disabled button), its first focusable widget."""
        tab = self.query_one(f"#{tab_id}-tab")
        focused = self.focused
        if focused is None or tab not in focused.ancestors_with_self:
            first = next((widget for widget in self.screen.focus_chain if tab in widget.ancestors), None)
            if first is not None:
                self.screen.set_focus(first)

    def show_on_play(self, text: str) -> None:
        """Switch to Play with ``text`` in its box, as one edit Ctrl+Z undoes (a review from Models' errors view)."""
        self.action_show_tab("play")
        self.query_one(PlayTab).replace_text(text)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab shown by a click on its title gets the focus (F1–F6 gave it already); a stale event is ignored."""
        focused, pane = self.focused, event.pane
        if pane.id != event.tabbed_content.active or (focused is not None and pane in focused.ancestors):
            return
        pane.query_one(f"#{pane.id}-tab").focus_default()  # type: ignore[attr-defined]

    # A terminal too small to lay the tabs out

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)  # the app applies the new size a moment later: self.size is still the old one

    def _check_size(self, size: Size) -> None:
        """Below ``MIN_SIZE`` one line says so, instead of forms cut in half; growing again brings the tabs back."""
        width, height = size
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        screen = self.screen_stack[0]
        if small:
            self.query_one("#too-small", Static).update(too_small_text(width, height))
        if small != screen.has_class("-too-small"):
            screen.set_class(small, "-too-small")
            if not small:  # the tabs are back: so is the focus
                self.query_one(f"#{self.query_one(TabbedContent).active}-tab").focus_default()  # type: ignore[attr-defined]

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_help(self) -> None:
        """Open the help for the tab in front; F7 on the help closes it."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        elif not any(isinstance(screen, HelpScreen) for screen in self.screen_stack):
            self.push_screen(HelpScreen(self.screen_stack[0].query_one(TabbedContent).active))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return (command for command in super().get_system_commands(screen) if command.title in self.SYSTEM_COMMANDS)

    # Loading models. The synchronous ``use_*`` methods suit callers that already run off the event loop
    # or need the answer at once; ``load_*`` return at once and load in a worker thread.

    def use_classifier(self, name_or_path: str | Path) -> bool:
        """Load a classifier for every tab; a failure is a notification and the current model stays."""
        return self._use(read_classifier, name_or_path, self._set_classifier, self._classifier_failed)

    def use_vectors(self, name_or_path: str | Path) -> bool:
        """Load word vectors (a vectors model, or a classifier's embedding) for the Words tab."""
        return self._use(read_vectors, name_or_path, self._set_vectors, self._vectors_failed)

    def load_classifier(self, name_or_path: str | Path) -> None:
        """Like ``use_classifier`` without blocking the screen; a newer request supersedes an older one."""
        self.loading_model = Path(str(name_or_path)).name
        self._load_in_background(read_classifier, name_or_path, self._set_classifier, self._classifier_failed,
                                 "load-classifier")

    def load_vectors(self, name_or_path: str | Path) -> None:
        """Like ``use_vectors`` without blocking the screen."""
        self._load_in_background(read_vectors, name_or_path, self._set_vectors, self._vectors_failed, "load-vectors")

    def _use(self, read: Callable[[str | Path, Path | None], Any], name_or_path: str | Path,
             loaded: Callable[[Any], None], failed: Callable[[str | Path, RnnplayError], None]) -> bool:
        try:
            model = read(name_or_path, self.models_dir)
        except RnnplayError as error:
            failed(name_or_path, error)
            return False
        loaded(model)
        return True

    def _load_in_background(self, read: Callable[[str | Path, Path | None], Any], name_or_path: str | Path,
                            loaded: Callable[[Any], None], failed: Callable[[str | Path, RnnplayError], None],
                            group: str) -> None:
        """``_use`` in a thread; the outcome is applied on the event loop unless a newer load in ``group`` superseded it."""

        def load() -> None:
            worker = get_current_worker()
            try:
                outcome = functools.partial(loaded, read(name_or_path, self.models_dir))
            except RnnplayError as error:
                outcome = functools.partial(failed, name_or_path, error)
            # Asked again on the event loop: a newer load may start (and finish) between a check here
            # and the call, and an older model must not replace it.
            self.call_from_thread(lambda: None if worker.is_cancelled else outcome())

        self.run_worker(load, thread=True, exclusive=True, group=group)

    def _set_classifier(self, classifier: Any) -> None:
        self.classifier = classifier
        self.sub_title = printable(classifier.name)
        self.loading_model = ""
        self.set_reactive(RnnplayApp.load_error, "")  # no watcher: a success is not news to them

    def _classifier_failed(self, name_or_path: str | Path, error: RnnplayError) -> None:
        self.loading_model = ""
        self.load_error = str(error)
        keeps = f" (still using {self.classifier.name})" if self.classifier is not None else ""
        self.notify(f"{error}{keeps}", title=f"cannot load {printable(Path(str(name_or_path)).name)}", severity="error",
                    timeout=10, markup=False)

    def _set_vectors(self, vectors: Any) -> None:
        self.vectors = vectors

    def _vectors_failed(self, name_or_path: str | Path, error: RnnplayError) -> None:
        self.notify(str(error), title="cannot load word vectors", severity="error", markup=False)

    def catalog_changed(self) -> None:
        """Call after saving or deleting a model, so model lists refresh."""
        self.catalog += 1


def run(model: str, vectors: str, models_dir: Path | None = None) -> None:
    RnnplayApp(model=model, vectors=vectors, models_dir=models_dir).run()
