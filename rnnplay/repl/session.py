"""What the REPL is using right now: one classifier and one word-vector space, switched by name.

The classifier is loaded at start (classifying is what a bare line does); the word vectors are only
located at start, so a typo fails at once, and read on the first word query, which keeps start-up to
one model load.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from rnnplay.errors import RnnplayError

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier
    from rnnplay.runtime.vectors import Vectors
    from rnnplay.store import ListedModel


class Session:
    """The current models and where user models live (``--models-dir`` flows into every lookup)."""

    def __init__(self, model: str, vectors: str, models_dir: Optional[Path] = None) -> None:
        self.models_dir = models_dir
        self.classifier: Classifier = self._load_classifier(model)
        self._vectors_path = self._locate(vectors)
        self._vectors: Vectors | None = None

    # --- classifier ------------------------------------------------------------------------------

    def use_model(self, name: str) -> Classifier:
        self.classifier = self._load_classifier(name)
        return self.classifier

    def _load_classifier(self, name: str) -> Classifier:
        from rnnplay.printable import printable
        from rnnplay.runtime.models import WrongKind, open_classifier

        try:
            return open_classifier(name, self.models_dir)
        except WrongKind as error:
            raise RnnplayError(f"{error} (:vectors {printable(name)} queries its words)") from None

    # --- word vectors ----------------------------------------------------------------------------

    @property
    def vectors(self) -> Vectors:
        """The space ``:nn``, ``:analogy``, ``:sim`` and ``:guess`` use, read on first use."""
        if self._vectors is None:
            from rnnplay.runtime.models import open_vectors

            self._vectors = open_vectors(self._vectors_path)
        return self._vectors

    @property
    def vectors_loaded(self) -> bool:
        return self._vectors is not None

    @property
    def vectors_path(self) -> Path:
        return self._vectors_path

    @property
    def vectors_name(self) -> str:
        return self._vectors.name if self._vectors is not None else self._vectors_path.name

    def use_vectors(self, name: str) -> Vectors:
        from rnnplay.runtime.models import open_vectors

        path = self._locate(name)
        self._vectors = open_vectors(path)  # load before switching: a broken model leaves the old one in use
        self._vectors_path = path
        return self._vectors

    # --- the catalogue ---------------------------------------------------------------------------

    def listed(self) -> list[ListedModel]:
        from rnnplay.store import list_models

        return list_models(self.models_dir)

    def model_names(self) -> list[str]:
        """Names ``:model`` and ``:vectors`` accept (a user's model hides a shipped one of the same name)."""
        return sorted({entry.path.name for entry in self.listed()})

    def _locate(self, name: str) -> Path:
        from rnnplay.store import resolve

        return resolve(name, self.models_dir)
