"""Where models live and how a name finds one: the user's models folder first, then the shipped ones."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from rnnplay.card import Card
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.store.reading import CARD, read_card
from rnnplay.store.workspace import recover

SHIPPED_DIR = Path(__file__).resolve().parent.parent.parent / "saved"
MODELS_DIR_ENV = "RNNPLAY_MODELS_DIR"


def user_models_dir(override: str | Path | None = None) -> Path:
    """Where models a user trains or imports go (not created until something is saved)."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(MODELS_DIR_ENV):
        return Path(os.environ[MODELS_DIR_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnnplay")) / "models"


def search_dirs(models_dir: str | Path | None = None) -> list[tuple[str, Path]]:
    """User models first, so a user's model can stand in for a shipped one of the same name."""
    return [("user", user_models_dir(models_dir)), ("shipped", SHIPPED_DIR)]


def resolve(name_or_path: str, models_dir: str | Path | None = None) -> Path:
    """A model named by name (looked up in the models folders) or by path to its folder."""
    if not name_or_path.strip():
        raise RnnplayError("give a model name (see rnnplay models) or the path to a model folder")
    try:
        path = Path(name_or_path).expanduser()
        if os.sep in name_or_path or name_or_path.startswith(".") or (path / CARD).is_file():
            if not path.is_dir():
                raise RnnplayError(f"no model folder at {printable(path)}")
            return path
        recover(user_models_dir(models_dir))
        for _, folder in search_dirs(models_dir):
            if (folder / name_or_path).is_dir():
                return folder / name_or_path
    except OSError as error:  # a name over the file system's limit, a folder that cannot be searched
        raise RnnplayError(f"cannot look for the model {printable(repr(name_or_path))[:80]}: {error.strerror}") from None
    except RuntimeError:  # Path.expanduser: "~someone" who is not a user here
        raise RnnplayError(f"cannot look for the model {printable(repr(name_or_path))[:80]}: no such user's home folder") from None
    known = ", ".join(sorted({printable(entry.path.name) for entry in list_models(models_dir)})) or "none"
    raise RnnplayError(f"no model named {printable(repr(name_or_path))} (known: {known})")


class ListedModel(NamedTuple):
    source: str  # "user" or "shipped"
    path: Path
    card: Card | None  # None when the card cannot be read
    problem: str = ""  # why, when it cannot


def list_models(models_dir: str | Path | None = None) -> list[ListedModel]:
    """Every model folder in the search dirs, readable or not (a broken one is listed with its problem).

    Leftovers of an interrupted save in the user's folder are recovered first (``workspace``).
    """
    found = []
    for source, folder in search_dirs(models_dir):
        if source == "user":
            recover(folder)
        try:
            entries = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for path in entries:
            if path.name.startswith(".") or not path.is_dir():
                continue
            try:
                found.append(ListedModel(source, path, read_card(path)))
            except RnnplayError as error:
                found.append(ListedModel(source, path, None, str(error)))
    return found
