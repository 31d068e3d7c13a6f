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

from rnnplay import limits
from rnnplay.config import PRESETS, CbowConfig, ClassifierConfig, preset
from rnnplay.errors import RnnplayError
from rnnplay.training.progress import Listener

Kind = Literal["classifier", "vectors"]
CLASSIFIER_NUMBERS = {"layers": "layers", "units": "units", "vocab_size": "vocab size", "max_length": "max length", "epochs": "epochs"}
CBOW_NUMBERS = {"dimension": "dimension", "window": "window", "min_count": "min count", "epochs": "epochs"}
NUMBERS = {"classifier": (CLASSIFIER_NUMBERS, limits.CLASSIFIER), "vectors": (CBOW_NUMBERS, limits.CBOW)}  # labels, bounds
FLAG = re.compile(r"--([a-z][a-z-]*)")
WHOLE = re.compile(r"[+-]?[0-9]{1,30}")  # what a whole-number field takes (ASCII digits: no 1e3, 2.5, 1_000 or ٣)
SHOWN_CHARS = 24  # of a refused field's text, in its message


@dataclass(frozen=True)
class TrainingRequest:
    """One run to start: which service, on which corpus, with which config, saved where."""

    kind: Kind
    corpus: str
    target: Path
    config: ClassifierConfig | CbowConfig
    strategy: str = "auto"  # a classifier's tf.distribute strategy (rnnplay.training.distribute); CBOW has its own threads

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
        where = f", {self.strategy}" if isinstance(config, ClassifierConfig) and self.strategy != "auto" else ""
        return f"{what}, {config.epochs} epoch{'s' if config.epochs != 1 else ''} on {self.corpus}{where}"

    def run(self, listener: Listener, should_stop: Callable[[], bool]) -> Path:
        """Train and save (the services write atomically: a cancelled run leaves no folder)."""
        if self.kind == "classifier":
            from rnnplay.training.classifier import train_classifier

            return train_classifier(self.config, self.corpus, self.target, listener=listener, should_stop=should_stop,  # type: ignore[arg-type]
                                    strategy=self.strategy)
        from rnnplay.training.cbow import train_cbow

        return train_cbow(self.config, self.corpus, self.target, listener=listener, should_stop=should_stop)  # type: ignore[arg-type]


def field_message(error: RnnplayError) -> str:
    """A config's complaint in the form's words: ``--vocab-size must be …`` → ``vocab size must be …``."""
    return FLAG.sub(lambda match: match.group(1).replace("-", " "), str(error))


def number_field(label: str, text: str, bound: limits.Bound) -> int:
    """A whole-number field's value, or the one line that names the field and what it accepts.

    The bound is the CLI's own (``limits.CLASSIFIER``, ``limits.CBOW``), so the form refuses what
    ``rnnplay train`` refuses, in the same words; nothing typed is rounded, cut or dropped.
    """
    typed = text.strip()
    accepts = bound.describe_option()
    if not typed:
        raise RnnplayError(f"give {label}: {accepts}")
    value = int(typed) if WHOLE.fullmatch(typed) else None
    if value is None or not bound.takes(value):
        shown = repr(typed if len(typed) <= SHOWN_CHARS else typed[:SHOWN_CHARS] + "…") if value is None else f"{value:,}"
        raise RnnplayError(f"{label} must be {accepts}, not {shown}")
    return value


def field_problem(kind: Kind, key: str, text: str) -> str | None:
    """What is wrong with one number field of the form (``key`` as in ``NUMBERS[kind]``), or None."""
    labels, bounds = NUMBERS[kind]
    try:
        number_field(labels[key], text, bounds[key])
    except RnnplayError as error:
        return str(error)
    return None


def numbers_of(kind: Kind, fields: Mapping[str, str]) -> dict[str, int]:
    """Every number field's value; the first field (in the form's order) that holds none stops with its message."""
    labels, bounds = NUMBERS[kind]
    return {key: number_field(label, fields.get(key, ""), bounds[key]) for key, label in labels.items()}


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
                       name: str, models_dir: Path | None, strategy: str = "auto") -> TrainingRequest:
    """The form's classifier fields over the chosen preset (``max length`` 0 keeps whole texts)."""
    from rnnplay.training.distribute import check_strategy

    numbers = numbers_of("classifier", fields)
    check_strategy(strategy)
    corpus = check_corpus(corpus)
    try:
        config = preset(preset_name).with_overrides(cell=cell, bidirectional=bidirectional, **numbers)
    except RnnplayError as error:
        raise RnnplayError(field_message(error)) from None
    target = target_for(name, default_name(corpus, preset_name, models_dir), models_dir)
    return TrainingRequest("classifier", corpus, target, config, strategy)


def cbow_request(corpus: str, fields: Mapping[str, str], name: str, models_dir: Path | None) -> TrainingRequest:
    """The form's CBOW fields over word2vec's defaults."""
    numbers = numbers_of("vectors", fields)
    corpus = check_corpus(corpus)
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


def form_note(preset_name: str, fields: Mapping[str, str], cell: str, bidirectional: bool) -> str:
    """What the classifier form now says: the preset's own note while it is untouched, else the settings
    the fields hold (``?`` for a field that holds no accepted value), over the preset's other settings."""
    from rnnplay.card import CELL_NAMES

    shown = preset_fields(preset_name)
    if all(fields.get(key, "").strip() == shown[key] for key in CLASSIFIER_NUMBERS) \
            and (cell, bidirectional) == (shown["cell"], shown["bidirectional"]):
        return f"{preset_name}: {PRESETS[preset_name][1]}"

    def value(key: str) -> str:
        if field_problem("classifier", key, fields.get(key, "")):
            return "?"
        return f"{int(fields[key].strip()):,}"

    layers, length, epochs = value("layers"), value("max_length"), value("epochs")
    kept = "first" if preset(preset_name).truncate == "start" else "last"
    parts = [
        f"{CELL_NAMES.get(cell, '?')} {value('units')}",
        f"{layers} layer{'' if layers == '1' else 's'}",
        "both ways" if bidirectional else "left to right",
        f"vocab {value('vocab_size')}",
        "whole texts" if length == "0" else f"{kept} {length} tokens",
        f"{epochs} epoch{'' if epochs == '1' else 's'}",
    ]
    return f"{preset_name}, edited: {', '.join(parts)}; the rest as {preset_name}"
