"""What the Train tab's form asks for, turned into the config and target the training services take.

The form hands over text; the rules for turning it into a ``ClassifierConfig`` or ``CbowConfig`` (and a
free model name) live here, apart from any widget, so they read like ``rnnplay train`` and
``rnnplay cbow train`` in the CLI and are tested without a screen. Every mistake is an
``RnnplayError`` whose message names the form's field, not a command-line flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal, Mapping

from rnnplay.config import CbowConfig, ClassifierConfig, preset
from rnnplay.errors import RnnplayError
from rnnplay.training.progress import Listener

Kind = Literal["classifier", "vectors"]
CLASSIFIER_NUMBERS = {"layers": "layers", "units": "units", "vocab_size": "vocab size", "max_length": "max length", "epochs": "epochs"}
CBOW_NUMBERS = {"dimension": "dimension", "window": "window", "min_count": "min count", "epochs": "epochs"}
FLAG = re.compile(r"--([a-z][a-z-]*)")


@dataclass(frozen=True)
class TrainingRequest:
    """One run to start: which service, on which corpus, with which config, saved where."""

    kind: Kind
    corpus: str
    target: Path
    config: ClassifierConfig | CbowConfig

    @property
    def name(self) -> str:
        return self.target.name

    def describe(self) -> str:
        """One line for the log, e.g. ``BiLSTM 32, vocab 10,000, 300 tokens, 3 epochs on imdb``."""
        config = self.config
        if isinstance(config, ClassifierConfig):
            from rnnplay.render import describe_architecture

            length = f"{config.max_length} tokens" if config.max_length else "whole texts"
            what = f"{describe_architecture(config)}, {length}"
        else:
            what = f"CBOW {config.dimension}-d, window {config.window}, min count {config.min_count}"
        return f"{what}, {config.epochs} epoch{'s' if config.epochs != 1 else ''} on {self.corpus}"

    def run(self, listener: Listener, should_stop: Callable[[], bool]) -> Path:
        """Train and save (the services write atomically: a cancelled run leaves no folder)."""
        if self.kind == "classifier":
            from rnnplay.training.classifier import train_classifier

            return train_classifier(self.config, self.corpus, self.target, listener=listener, should_stop=should_stop)  # type: ignore[arg-type]
        from rnnplay.training.cbow import train_cbow

        return train_cbow(self.config, self.corpus, self.target, listener=listener, should_stop=should_stop)  # type: ignore[arg-type]


def field_message(error: RnnplayError) -> str:
    """A config's complaint in the form's words: ``--vocab-size must be …`` → ``vocab size must be …``."""
    return FLAG.sub(lambda match: match.group(1).replace("-", " "), str(error))


def whole_number(label: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise RnnplayError(f"{label} must be a whole number, not {text.strip()!r}" if text.strip() else f"give a number for {label}") from None


def check_corpus(corpus: str) -> str:
    """A built-in corpus name or an existing file or folder; checked before minutes of waiting for TensorFlow."""
    from rnnplay.corpora import BUILTIN, require_corpus

    corpus = corpus.strip()
    if not corpus:
        raise RnnplayError(f"give a corpus: {', '.join(BUILTIN)}, or the path of a CSV/TSV/JSONL file or folder")
    require_corpus(corpus)
    return corpus


def default_name(corpus: str, suffix: str, models_dir: Path | None) -> str:
    """``CORPUS-SUFFIX`` as the CLI names it, numbered when taken, so a run never shadows or clashes.

    Shipped names count as taken too: training ``imdb`` vectors must not hide the shipped ``imdb-cbow``.
    """
    from rnnplay.store import list_models, user_models_dir

    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(corpus.strip()).stem).strip(".-") or "corpus"
    base = f"{stem}-{suffix}"
    taken = {entry.path.name for entry in list_models(models_dir)}
    folder = user_models_dir(models_dir)
    name, number = base, 1
    while name in taken or (folder / name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def target_for(name: str, fallback: str, models_dir: Path | None) -> Path:
    """Where the model will be saved; an existing model of the user's is never replaced from the form."""
    from rnnplay.store import check_name, user_models_dir

    name = check_name(name.strip() or fallback)
    target = user_models_dir(models_dir) / name
    if target.exists():
        raise RnnplayError(f"you already have a model named {name}: choose another name (or delete it on the Models tab)")
    return target


def classifier_request(corpus: str, preset_name: str, fields: Mapping[str, str], cell: str, bidirectional: bool,
                       name: str, models_dir: Path | None) -> TrainingRequest:
    """The form's classifier fields over the chosen preset (``max length`` 0 keeps whole texts)."""
    corpus = check_corpus(corpus)
    numbers = {key: whole_number(label, fields.get(key, "")) for key, label in CLASSIFIER_NUMBERS.items()}
    if numbers["max_length"] < 0:
        raise RnnplayError("max length must be 0 (whole texts) or more")
    try:
        config = preset(preset_name).with_overrides(cell=cell, bidirectional=bidirectional, **numbers)
    except RnnplayError as error:
        raise RnnplayError(field_message(error)) from None
    target = target_for(name, default_name(corpus, preset_name, models_dir), models_dir)
    return TrainingRequest("classifier", corpus, target, config)


def cbow_request(corpus: str, fields: Mapping[str, str], name: str, models_dir: Path | None) -> TrainingRequest:
    """The form's CBOW fields over word2vec's defaults."""
    corpus = check_corpus(corpus)
    numbers = {key: whole_number(label, fields.get(key, "")) for key, label in CBOW_NUMBERS.items()}
    try:
        config = CbowConfig().with_overrides(**numbers)
    except RnnplayError as error:
        raise RnnplayError(field_message(error)) from None
    target = target_for(name, default_name(corpus, "cbow", models_dir), models_dir)
    return TrainingRequest("vectors", corpus, target, config)


def preset_fields(preset_name: str) -> dict[str, str | bool]:
    """A preset's values as the form shows them: numbers as text (``max_length`` 0 for whole texts),
    ``cell`` and ``bidirectional`` as themselves."""
    config = preset(preset_name)
    values: dict[str, str | bool] = {key: str(getattr(config, key) or 0) for key in CLASSIFIER_NUMBERS}
    return {**values, "cell": config.cell, "bidirectional": config.bidirectional}


def cbow_fields() -> dict[str, str]:
    config = CbowConfig()
    return {key: str(getattr(config, key)) for key in CBOW_NUMBERS}
