"""Opening a model by name or path, as the kind the caller needs: the one way every front end does it.

The CLI, the REPL and the TUI each used to resolve, check the kind and load on their own; they differed
in their messages. Here the card is read first (cheap), so asking for a classifier and naming word
vectors says so before the weights are read.
"""

from __future__ import annotations

from pathlib import Path

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.runtime.classifier import Classifier
from rnnplay.runtime.vectors import Vectors
from rnnplay.store import load_model, read_card, resolve


class WrongKind(RnnplayError):
    """The model exists but is of another kind than asked for (word vectors where a classifier is needed)."""

    def __init__(self, name: str, kind: str, wanted: str) -> None:
        what = "word vectors" if kind == "vectors" else f"a {kind}"
        super().__init__(f"{printable(name)} is {what}, not a {wanted}")
        self.name, self.kind = name, kind


def open_classifier(name_or_path: str | Path, models_dir: str | Path | None = None) -> Classifier:
    """A classifier by name (the user's models first, then the shipped ones) or by folder."""
    path = resolve(str(name_or_path), models_dir)
    card = read_card(path)
    if card.kind != "classifier":
        raise WrongKind(path.name, card.kind, "classifier")
    return Classifier(load_model(path))


def open_vectors(name_or_path: str | Path, models_dir: str | Path | None = None) -> Vectors:
    """Word vectors by name or folder: a vectors model, or a classifier's embedding (its word space too)."""
    return Vectors.from_stored(load_model(resolve(str(name_or_path), models_dir)))
