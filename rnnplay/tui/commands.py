"""rnnplay's own commands in the Ctrl+P palette: switch models, go to a tab, an example, train a preset, help.

A Textual command ``Provider``: the palette asks it for every command when it opens (``discover``) and
for the ones whose name fuzzily matches what is typed (``search``). The commands only call what the
keys and tabs already do; the saved models are listed once per opening of the palette.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.widgets import Button, Select, TabbedContent

from rnnplay.config import PRESETS
from rnnplay.printable import printable
from rnnplay.tui.screens.models import loaded_folder
from rnnplay.tui.widgets.classifier_picker import same_folder

if TYPE_CHECKING:
    from rnnplay.tui.app import RnnplayApp

FOCUS_WAITS = 300  # at most 3 s for a tab shown to take the focus, on a very busy machine
TAB_KEYS = {"play": ("Play", "F1"), "inside": ("Inside", "F2"), "words": ("Words", "F3"), "lab": ("Lab", "F4"),
            "train": ("Train", "F5"), "models": ("Models", "F6")}


@dataclass(frozen=True)
class Command:
    name: str  # what the palette shows and matches against
    help: str
    run: Callable[[], object]


def saved_models(app: RnnplayApp) -> Iterator[tuple[str, Path, str, bool]]:
    """(kind, folder, one-line description, shipped) of every readable saved model, the user's first."""
    from rnnplay.render import describe_model
    from rnnplay.store import list_models

    for entry in list_models(app.models_dir):
        if entry.card is not None:
            yield entry.card.kind, entry.path, describe_model(entry.card), entry.source == "shipped"


def type_example(app: RnnplayApp) -> None:
    """Play's Ctrl+R from anywhere: the tab comes to the front with an example in its box."""
    from rnnplay.tui.screens.play import PlayTab

    app.action_show_tab("play")
    app.screen_stack[0].query_one(PlayTab).action_example()


def train_preset(app: RnnplayApp, preset: str) -> None:
    """The Train tab with ``preset``'s settings in its form and the focus on Start; nothing starts by itself."""
    from rnnplay.tui.screens.train import TrainTab
    from rnnplay.tui.widgets.training_form import TrainingForm

    switching = app.screen_stack[0].query_one(TabbedContent).active != "train"
    app.action_show_tab("train")
    train = app.screen_stack[0].query_one(TrainTab)
    if train.running:
        app.notify("A training run is going: cancel it first (Esc) to train another.", title="one run at a time",
                   severity="warning")
        return
    form = train.query_one(TrainingForm)
    form.query_one("#train-kind", Select).value = "classifier"
    form.query_one("#train-preset", Select).value = preset
    form.fill_preset(preset)  # also when the preset was already chosen but its fields were edited since
    start = train.query_one("#train-start", Button)
    if not switching:
        start.focus()
        return
    # A tab shown puts the focus in its form (TrainTab.focus_default), a few messages from now: Start gets it
    # once that has happened, so the tab's own choice does not take it back.
    waits = 0

    def focus_start() -> None:
        nonlocal waits
        waits += 1
        focused = app.focused
        if (focused is not None and train in focused.ancestors) or waits > FOCUS_WAITS:
            timer.stop()
            start.focus()

    timer = app.set_interval(0.01, focus_start)


def commands(app: RnnplayApp) -> list[Command]:
    """Every command the palette offers now, in the order it lists them before anything is typed."""
    tab = app.screen_stack[0].query_one(TabbedContent).active
    found = [
        Command(f"Help: {TAB_KEYS[tab][0]}", "What this tab shows and how to read it, and its keys (F7)", app.action_help),
        Command("Example review on Play", "Type one of the examples into Play's box (Ctrl+R there; Ctrl+Z undoes it)",
                functools.partial(type_example, app)),
    ]
    found += [Command(f"Go to {title}", f"Show the {title} tab ({key})", functools.partial(app.action_show_tab, other))
              for other, (title, key) in TAB_KEYS.items()]
    in_use = [loaded_folder(model) for model in (app.classifier, app.vectors)]
    for kind, path, description, shipped in saved_models(app):
        name = printable(path.name) + (" *" if shipped else "")
        state = " · in use" if any(same_folder(path, folder) for folder in in_use) else ""
        if kind == "classifier":
            found.append(Command(f"Use classifier {name}", f"{description}{state}: Play's model, and Words' right column",
                                 functools.partial(app.load_classifier, path)))
        elif kind == "vectors":
            found.append(Command(f"Use word vectors {name}", f"{description}{state}: Words' left column",
                                 functools.partial(app.load_vectors, path)))
    found += [Command(f"Train preset {preset}", f"{note} (fills the Train form; Ctrl+S starts)",
                      functools.partial(train_preset, app, preset))
              for preset, (_, note) in PRESETS.items()]
    found.append(Command("Light/dark theme", "Switch between the light and the dark colours (Ctrl+T)", app.action_toggle_theme))
    return found


def highlight(matcher: Matcher, name: str) -> Content:
    """``name`` with the letters the query matched marked; a model's name is never read as markup
    (``Matcher.highlight`` would read it so, and "[b]" in a folder name would vanish or break)."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class RnnplayCommands(Provider):
    """The palette's rnnplay commands, offered only over the main screen (not over a dialog or the help)."""

    async def startup(self) -> None:
        app: RnnplayApp = self.app  # type: ignore[assignment]
        self.commands = commands(app) if self.screen is app.screen_stack[0] else []

    async def discover(self) -> Hits:
        for command in self.commands:
            yield DiscoveryHit(Content(command.name), command.run, text=command.name, help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, highlight(matcher, command.name), command.run, text=command.name, help=escape(command.help))
