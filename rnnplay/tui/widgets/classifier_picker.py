"""A drop-down of every saved classifier (user models first, then shipped ones, marked ``*``)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from rnnplay.printable import printable
from rnnplay.render import describe_model


def same_folder(a: str | Path | None, b: str | Path | None) -> bool:
    """Whether two paths name the same model folder (never when either is missing)."""
    return a is not None and b is not None and Path(a).resolve() == Path(b).resolve()


class ClassifierPicker(Select[str]):
    """Values are model folders, so a user model that shadows a shipped name stays a separate choice."""

    def __init__(self, **kwargs) -> None:
        super().__init__([], prompt="choose a classifier", allow_blank=True, compact=True, **kwargs)
        self.folders: list[str] = []

    def list_classifiers(self, models_dir: Path | None, current: Path | None) -> None:
        """Re-read the models folders; ``current`` (the loaded model's folder) is listed even if it lives elsewhere."""
        from rnnplay.store import list_models

        options, self.folders = [], []
        for entry in list_models(models_dir):
            if entry.card is not None and entry.card.kind == "classifier":
                mark = " *" if entry.source == "shipped" else ""
                options.append((f"{printable(entry.path.name)}{mark}  {describe_model(entry.card)}", str(entry.path)))
                self.folders.append(str(entry.path))
        if current is not None and not any(same_folder(current, folder) for folder in self.folders):
            options.append((f"{printable(current.name)}  ({printable(current.parent)})", str(current)))
            self.folders.append(str(current))
        self.set_options(options)
        self.show_folder(current)

    def show_folder(self, current: Path | None) -> None:
        """Select the entry for ``current`` without asking for a load (its Changed event names the same folder)."""
        match = next((folder for folder in self.folders if same_folder(current, folder)), None)
        if match is None:
            self.clear()
        elif self.value != match:
            self.value = match
