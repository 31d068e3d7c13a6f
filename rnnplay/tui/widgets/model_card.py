"""The full card of one saved model (``card.json``), laid out to be read rather than parsed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rnnplay.render import accuracy, describe_model, human_size
from rnnplay.tui.widgets.encoder_view import settings_line

if TYPE_CHECKING:
    from rnnplay.store import ListedModel

SHOWN = {"name", "kind", "created", "architecture", "text", "training", "metrics", "versions", "format", "files", "size_bytes"}


def where(entry: "ListedModel") -> str:
    """Shipped models by their place in the project (the same on every machine); a user's by full path."""
    if entry.source == "shipped":
        return f"saved/{entry.path.name} (shipped with rnnplay, read-only)"
    return str(entry.path).replace(str(Path.home()), "~", 1)


def pairs(mapping: dict[str, Any]) -> str:
    """``epochs 3 · batch_size 128 · …`` for small nested dicts of settings."""
    return " · ".join(f"{key} {format_value(value)}" for key, value in mapping.items())


def format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000:
        return f"{value:,}"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def history_table(history: list[dict[str, Any]]) -> Table:
    """One row per epoch, one column per recorded number (accuracy, loss, val_…, seconds)."""
    keys = [key for key in history[0] if key != "epoch"]
    table = Table("epoch", *keys, box=None, pad_edge=False, header_style="dim")
    for epoch in history:
        table.add_row(str(epoch.get("epoch", "")), *(format_value(epoch.get(key, "")) for key in keys))
    return table


def card_lines(entry: "ListedModel") -> Table:
    """A two-column grid: what the model is, what it was trained on and how, how well it does, its files."""
    from rnnplay.text import TextSettings

    card = entry.card or {}
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    grid.add_row("name", Text(str(card.get("name", entry.path.name)), style="bold"))
    grid.add_row("kind", f"{card.get('kind', '?')}: {describe_model(card)}")
    grid.add_row("folder", where(entry))
    if "created" in card:
        grid.add_row("created", str(card["created"]).replace("T", " ").replace("+00:00", " UTC"))
    training = card.get("training", {})
    corpus = [str(training.get("corpus", "?"))]
    if isinstance(training.get("split"), dict):
        corpus.append(f"split seed {training.get('split_seed', '?')}: " + pairs(training["split"]))
    if "texts" in training:
        corpus.append(f"{training['texts']:,} texts")
    grid.add_row("corpus", ", ".join(corpus))
    if isinstance(card.get("text"), dict):
        try:
            vocabulary = card.get("architecture", {}).get("vocab_size", 0)
            grid.add_row("text", settings_line(TextSettings(**card["text"]), vocabulary))
        except TypeError:
            grid.add_row("text", pairs(card["text"]))
    if isinstance(training.get("config"), dict):
        grid.add_row("config", pairs(training["config"]))
    extra = {k: v for k, v in training.items() if k not in {"corpus", "split", "split_seed", "texts", "config", "history"}}
    if extra:
        grid.add_row("training", pairs(extra))
    if training.get("history"):
        grid.add_row("history", history_table(training["history"]))
    for split, numbers in card.get("metrics", {}).items():
        grid.add_row(split, pairs(numbers) if isinstance(numbers, dict) else format_value(numbers))
    if accuracy(card):
        grid.add_row("accuracy", Text(f"{accuracy(card)} on the held-out test split", style="bold"))
    if isinstance(card.get("versions"), dict):
        grid.add_row("versions", pairs(card["versions"]))
    files = []
    for name in card.get("files", {}):
        file = entry.path / name
        files.append(f"{name} {human_size(file.stat().st_size)}" if file.is_file() else f"{name} (missing)")
    if files:
        grid.add_row("files", " · ".join(files) + f" (sha256 checked on load; {human_size(card.get('size_bytes', 0))} in all)")
    for key, value in card.items():
        if key not in SHOWN:
            grid.add_row(key, format_value(value))
    return grid


class ModelCard(Static):
    """The selected model's card, or why it cannot be read."""

    def on_mount(self) -> None:
        self.border_title = "card.json"
        self.show(None)

    def show(self, entry: "ListedModel | None") -> None:
        from rnnplay.errors import RnnplayError
        from rnnplay.store import read_card

        if entry is None:
            self.update(Text("Select a model to see its card.", style="dim"))
            return
        if entry.card is None:
            try:
                read_card(entry.path)
                problem = "the card changed since the list was read; press r to refresh"
            except RnnplayError as error:
                problem = str(error)
            self.update(Group(Text(f"{entry.path.name} cannot be read:", style="bold red"), Text(problem),
                              Text("It cannot be loaded; delete it (d) if it is one of yours.", style="dim")))
            return
        try:
            self.update(card_lines(entry))
        except (AttributeError, KeyError, TypeError, ValueError, OSError):  # a hand-edited card with odd fields
            self.update(Group(Text("The card has fields of unexpected types; here it is as stored:", style="yellow"),
                              Text(json.dumps(entry.card, indent=2))))
