"""The full card of one saved model (``card.json``), laid out to be read rather than parsed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import accuracy, describe_model, human_size
from rnnplay.tui.widgets.encoder_view import settings_line

if TYPE_CHECKING:
    from rnnplay.store import ListedModel

SHOWN = {"name", "kind", "created", "architecture", "text", "training", "metrics", "versions", "format", "files", "size_bytes"}


def where(entry: ListedModel) -> str:
    """Shipped models by their place in the project (the same on every machine); a user's by full path."""
    if entry.source == "shipped":
        return f"saved/{entry.path.name} (shipped with rnnplay, read-only)"
    return str(entry.path).replace(str(Path.home()), "~", 1)


def pairs(mapping: Mapping[str, Any]) -> str:
    """``epochs 3 · batch_size 128 · …`` for small nested dicts of settings."""
    return " · ".join(f"{printable(key)} {format_value(value)}" for key, value in mapping.items())


def format_value(value: Any) -> str:
    """A card value on one line; text from the file keeps no control characters."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000:
        return f"{value:,}"
    if isinstance(value, (dict, list)):
        return printable(json.dumps(value, ensure_ascii=False))
    return printable(value)


def history_table(history: list[Mapping[str, Any]]) -> Table:
    """One row per epoch, one column per recorded number (accuracy, loss, val_…, seconds)."""
    keys = [key for key in history[0] if key != "epoch"]
    table = Table("epoch", *map(printable, keys), box=None, pad_edge=False, header_style="dim")
    for epoch in history:
        table.add_row(format_value(epoch.get("epoch", "")), *(format_value(epoch.get(key, "")) for key in keys))
    return table


def card_lines(entry: ListedModel) -> Table:
    """A two-column grid: what the model is, what it was trained on and how, how well it does, its files.

    The card was checked when read (``rnnplay.card``); its descriptive parts are free-form JSON, so they
    are shown as they are, escaped.
    """
    card = entry.card
    assert card is not None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    grid.add_row("name", Text(printable(card.name), style="bold"))
    grid.add_row("kind", f"{card.kind}: {describe_model(card)}")
    grid.add_row("folder", printable(where(entry)))
    if card.created:
        grid.add_row("created", printable(card.created.replace("T", " ").replace("+00:00", " UTC")))
    training = card.section("training")
    corpus = [printable(card.corpus or "?")]
    if isinstance(training.get("split"), dict):
        corpus.append(f"split seed {format_value(training.get('split_seed', '?'))}: " + pairs(training["split"]))
    if "texts" in training:
        corpus.append(f"{format_value(training['texts'])} texts")
    grid.add_row("corpus", ", ".join(corpus))
    grid.add_row("text", settings_line(card.text, card.architecture.vocab_size))
    if isinstance(training.get("config"), dict):
        grid.add_row("config", pairs(training["config"]))
    extra = {k: v for k, v in training.items() if k not in {"corpus", "split", "split_seed", "texts", "config", "history"}}
    if extra:
        grid.add_row("training", pairs(extra))
    history = training.get("history")
    if isinstance(history, list) and history and all(isinstance(epoch, dict) for epoch in history):
        grid.add_row("history", history_table(history))
    for split, numbers in card.section("metrics").items():
        if split in ("by_source", "test_files"):  # each source, or each of the user's own files: one line (parse checked them)
            scores = card.source_scores("test") if split == "by_source" else card.file_scores()
            for name, score in scores.items():
                grid.add_row(f"test {printable(name)}", f"accuracy {format_value(score.accuracy)}, loss {format_value(score.loss)}, "
                                                        f"n {format_value(score.n)}")
            continue
        grid.add_row(printable(split), pairs(numbers) if isinstance(numbers, dict) else format_value(numbers))
    if accuracy(card):
        grid.add_row("accuracy", Text(f"{accuracy(card)} on the held-out test split", style="bold"))
    if card.section("versions"):
        grid.add_row("versions", pairs(card.section("versions")))
    files = []
    for name in card.files:
        file = entry.path / name
        files.append(f"{name} {human_size(file.stat().st_size)}" if file.is_file() else f"{name} (missing)")
    if files:
        grid.add_row("files", " · ".join(files) + f" (sha256 checked on load; {human_size(card.size_bytes)} in all)")
    for key, value in card.raw.items():
        if key not in SHOWN:
            grid.add_row(printable(key), format_value(value))
    return grid


class ModelCard(Static):
    """The selected model's card, or why it cannot be read."""

    def on_mount(self) -> None:
        self.border_title = "card.json"
        self.show(None)

    def show(self, entry: ListedModel | None) -> None:
        if entry is None:
            self.update(Text("Select a model to see its card.", style="dim"))
            return
        if entry.card is None:
            self.update(Group(Text(f"{printable(entry.path.name)} cannot be read:", style="bold red"),
                              Text(printable(entry.problem)),
                              Text("It cannot be loaded; delete it (d) if it is one of yours.", style="dim")))
            return
        self.update(card_lines(entry))
