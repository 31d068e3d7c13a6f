"""A model card (``card.json``), parsed and checked once into typed data.

Everything else reads a ``Card``, never the raw JSON: the loader knows from it exactly which arrays
``weights.npz`` must hold (names, shapes, dtypes) and how long ``vocab.txt`` is before reading either,
so a hostile or damaged card is refused with one line naming the field, instead of crashing a reader
later or making it allocate what the card claims. Bounds come from ``rnnplay.limits``, the same table
training options are checked against, so a card can never describe a model training would refuse.

The descriptive parts (how a model was trained, how well it does, library versions) are kept too, as
plain JSON values of bounded depth with a few typed accessors for the numbers front ends print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Mapping

import numpy as np

from rnnplay import limits
from rnnplay.errors import RnnplayError
from rnnplay.text import STANDARDIZERS, TextSettings

CARD_FORMAT = 1
WEIGHTS, VOCAB, KERAS = "weights.npz", "vocab.txt", "model.keras"
MODEL_FILES = (WEIGHTS, VOCAB, KERAS)  # the only files a card may list: plain names inside the folder
CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN"}  # the recurrent cells, as Keras names their layers
CELLS = tuple(CELL_NAMES)
GATES = {"lstm": 4, "gru": 3, "rnn": 1}  # weight blocks per cell: Keras' [i f c o], [z r h], [h]
ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid")
OUTPUTS = ("logit", "probability")
POOLINGS = ("last", "max", "mean")  # what the head reads of the last layer: its final state, or a masked max/mean over words
MAX_DEPTH = 8  # nesting of the descriptive parts (a history is a list of flat records: depth 3)
FLOAT32, FLOAT16 = np.dtype("<f4"), np.dtype("<f2")
Kind = Literal["classifier", "vectors"]


class CardError(RnnplayError):
    """A card that is not valid JSON, or whose fields are missing, of the wrong type or out of bounds."""


@dataclass(frozen=True)
class ArraySpec:
    """What ``weights.npz`` must hold under one name."""

    shape: tuple[int, ...]
    dtypes: tuple[np.dtype, ...] = (FLOAT32,)
    required: bool = True

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.count * max(d.itemsize for d in self.dtypes)


@dataclass(frozen=True)
class DenseLayer:
    units: int
    activation: str  # one of ACTIVATIONS


@dataclass(frozen=True)
class ClassifierArchitecture:
    """Embedding → ``layers`` recurrent layers (``cell``, ``units`` per direction) → ``pooling`` → Dense ``head``."""

    vocab_size: int  # including the padding and [UNK] entries
    embedding_dim: int
    cell: str  # one of CELLS
    units: int
    layers: int
    bidirectional: bool
    head: tuple[DenseLayer, ...]
    output: str  # "logit" or "probability"
    mask_zero: bool = True
    pooling: str = "last"  # one of POOLINGS

    @property
    def directions(self) -> tuple[str, ...]:
        return ("forward", "backward") if self.bidirectional else ("forward",)

    def arrays(self) -> dict[str, ArraySpec]:
        """Every array of ``weights.npz``, by name, with its shape: Keras' layout, one entry per direction."""
        specs = {"embedding": ArraySpec((self.vocab_size, self.embedding_dim))}
        gates, width = GATES[self.cell] * self.units, self.embedding_dim
        for index in range(self.layers):
            for direction in self.directions:
                base = f"recurrent/{index}/{direction}"
                specs[f"{base}/kernel"] = ArraySpec((width, gates))
                specs[f"{base}/recurrent_kernel"] = ArraySpec((self.units, gates))
                specs[f"{base}/bias"] = ArraySpec((2, gates) if self.cell == "gru" else (gates,))
            width = self.units * len(self.directions)
        for index, layer in enumerate(self.head):
            specs[f"dense/{index}/kernel"] = ArraySpec((width, layer.units))
            specs[f"dense/{index}/bias"] = ArraySpec((layer.units,))
            width = layer.units
        return specs

    def parameters(self) -> int:
        return sum(spec.count for spec in self.arrays().values())


@dataclass(frozen=True)
class VectorsArchitecture:
    """Word vectors: ``input`` rows, and for CBOW the ``output`` rows and training ``counts``."""

    method: str  # "cbow" or "imported" (shown, not interpreted)
    vocab_size: int
    dimension: int
    window: int | None = None
    negative: int | None = None
    dtype: str = "float32"  # how input and output rows are stored ("float16" halves the file)

    def arrays(self) -> dict[str, ArraySpec]:
        rows = (FLOAT32, FLOAT16) if self.dtype == "float16" else (FLOAT32,)
        matrix = (self.vocab_size, self.dimension)
        return {"input": ArraySpec(matrix, rows), "output": ArraySpec(matrix, rows, required=False),
                "counts": ArraySpec((self.vocab_size,), required=False)}


@dataclass(frozen=True)
class Score:
    """Held-out figures of one split, as the NumPy runtime measured them."""

    accuracy: float | None = None
    loss: float | None = None
    n: int | None = None


@dataclass(frozen=True)
class Card:
    name: str
    kind: Kind
    architecture: ClassifierArchitecture | VectorsArchitecture
    text: TextSettings
    files: Mapping[str, str] = field(default_factory=dict)  # file name → sha256, for every file but the card
    size_bytes: int = 0
    created: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)  # the JSON as read

    @property
    def classifier(self) -> ClassifierArchitecture:
        if not isinstance(self.architecture, ClassifierArchitecture):
            raise RnnplayError(f"{self.name} is a {self.kind} model, not a classifier")
        return self.architecture

    @property
    def vectors(self) -> VectorsArchitecture:
        if not isinstance(self.architecture, VectorsArchitecture):
            raise RnnplayError(f"{self.name} is a {self.kind} model, not word vectors")
        return self.architecture

    @property
    def vector_size(self) -> int:
        """How long the word vectors are: CBOW's dimension, or a classifier's embedding."""
        a = self.architecture
        return a.dimension if isinstance(a, VectorsArchitecture) else a.embedding_dim

    def section(self, key: str) -> Mapping[str, Any]:
        """A descriptive part (``training``, ``metrics``, ``versions``, ``import``…), {} when absent."""
        value = self.raw.get(key)
        return value if isinstance(value, Mapping) else {}

    @property
    def corpus(self) -> str:
        return str(self.section("training").get("corpus", ""))

    def score(self, split: str = "test") -> Score:
        numbers = self.section("metrics").get(split)
        if not isinstance(numbers, Mapping):
            return Score()
        return _score(numbers)

    @property
    def held_out_accuracy(self) -> float | None:
        return self.score("test").accuracy

    def source_scores(self, split: str = "test") -> dict[str, Score]:
        """A corpus of several sources (``reviews``): each source's figures on ``split``, by source name
        ({} for a corpus of one source). ``parse`` has checked their shape."""
        by_source = self.section("metrics").get("by_source")
        if not isinstance(by_source, Mapping):
            return {}
        return {name: _score(splits[split]) for name, splits in by_source.items() if split in splits}

    def file_scores(self) -> dict[str, Score]:
        """The user's own held-out files scored after training (``--test-file``), by file name; ``parse`` has
        checked their shape."""
        files = self.section("metrics").get("test_files")
        return {name: _score(numbers) for name, numbers in files.items()} if isinstance(files, Mapping) else {}

    @property
    def strategy(self) -> str:
        """The tf.distribute strategy that trained the model (its class name), "" on cards from before it was recorded."""
        return str(self.section("training").get("strategy", ""))

    @property
    def devices(self) -> tuple[str, ...]:
        """The devices the model trained on, () on cards from before they were recorded; ``parse`` has checked them."""
        return tuple(self.section("training").get("devices", ()))

    @property
    def streamed(self) -> bool:
        """Whether training read its corpus from disk each epoch (``--stream``); ``parse`` has checked it."""
        return bool(self.section("training").get("streamed", False))

    @property
    def workers(self) -> int:
        """The processes that trained the model together (``--strategy multi-worker``); 1 on cards without the
        field (every other run, and cards from before it was recorded). ``parse`` has checked it."""
        return int(self.section("training").get("workers", 1))

    def number(self, section: str, key: str) -> float | None:
        """One number of a descriptive part (``card.number("training", "seconds")``), None when absent."""
        return _number(self.section(section).get(key))


def _number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _score(numbers: Mapping[str, Any]) -> Score:
    return Score(_number(numbers.get("accuracy")), _number(numbers.get("loss")), _whole(numbers.get("n")))


# --- parsing --------------------------------------------------------------------------------------


_REQUIRED: Any = object()  # a field without a default must be present


class _Fields:
    """Typed reads of one JSON object, each failure a CardError naming the field's path."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise CardError(f"{where or 'the card'} must be a JSON object, not {_kind(data)}")
        self.data, self.where = data, where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            raise CardError(f"{self._path(key)} is missing")
        return default

    def whole(self, key: str, bound: limits.Bound, default: Any = _REQUIRED) -> Any:
        """A whole number within ``bound``; ``default`` None makes it optional (null allowed)."""
        value = self._get(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not bound.holds(value):
            raise CardError(f"{self._path(key)} must be {bound.describe()}, not {_shown(value)}")
        return value

    def choice(self, key: str, choices: tuple[Any, ...], default: Any = _REQUIRED) -> Any:
        value = self._get(key, default)
        if isinstance(value, bool) or value not in choices:
            raise CardError(f"{self._path(key)} must be one of {', '.join(map(str, choices))}, not {_shown(value)}")
        return value

    def flag(self, key: str, default: Any = _REQUIRED) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise CardError(f"{self._path(key)} must be true or false, not {_shown(value)}")
        return value

    def string(self, key: str, default: Any = _REQUIRED, longest: int = 1_000) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or len(value) > longest:
            raise CardError(f"{self._path(key)} must be a text of at most {longest:,} characters, not {_shown(value)}")
        return value




def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{_kind(value)}"


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest (0 for a plain value), stopping once past ``limit``."""
    stack, deepest = [(value, 0)], 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_classifier(data: Any, where: str = "architecture") -> ClassifierArchitecture:
    f = _Fields(data, where)
    bounds = limits.CLASSIFIER
    head_data = f._get("head", _REQUIRED)
    if not isinstance(head_data, list) or not limits.HEAD_LAYERS.holds(len(head_data)):
        raise CardError(f"{where}.head must be a list of {limits.HEAD_LAYERS.describe()} Dense layers, not {_shown(head_data)}")
    head = []
    for index, layer in enumerate(head_data):
        spec = _Fields(layer, f"{where}.head[{index}]")
        head.append(DenseLayer(spec.whole("units", limits.Bound(1, bounds["dense_units"].high)),
                               spec.choice("activation", ACTIVATIONS)))
    if head[-1].units != 1:
        raise CardError(f"{where}.head must end in one unit (the logit), not {head[-1].units}")
    architecture = ClassifierArchitecture(
        vocab_size=f.whole("vocab_size", bounds["vocab_size"]),
        embedding_dim=f.whole("embedding_dim", bounds["embedding_dim"]),
        cell=f.choice("cell", CELLS),
        units=f.whole("units", bounds["units"]),
        layers=f.whole("layers", bounds["layers"]),
        bidirectional=f.flag("bidirectional"),
        head=tuple(head),
        output=f.choice("output", OUTPUTS),
        mask_zero=f.flag("mask_zero", True),
        pooling=f.choice("pooling", POOLINGS, "last"),
    )
    if (count := architecture.parameters()) > limits.MAX_PARAMETERS:
        raise CardError(f"{where} describes {count:,} parameters, more than the {limits.MAX_PARAMETERS:,} rnnplay loads")
    return architecture


def parse_vectors(data: Any, where: str = "architecture") -> VectorsArchitecture:
    f = _Fields(data, where)
    bounds = limits.VECTORS
    architecture = VectorsArchitecture(
        method=f.string("method", longest=40),
        vocab_size=f.whole("vocab_size", bounds["vocab_size"]),
        dimension=f.whole("dimension", bounds["dimension"]),
        window=f.whole("window", bounds["window"], None),
        negative=f.whole("negative", bounds["negative"], None),
        dtype=f.choice("dtype", ("float32", "float16"), "float32"),
    )
    if (values := architecture.vocab_size * architecture.dimension) > limits.MAX_VECTOR_VALUES:
        raise CardError(f"{where} describes {values:,} values, more than the {limits.MAX_VECTOR_VALUES:,} rnnplay loads")
    return architecture


def parse_text(data: Any, where: str = "text") -> TextSettings:
    f = _Fields(data, where)
    return TextSettings(
        standardize=f.choice("standardize", STANDARDIZERS),
        strip_markup=f.flag("strip_markup"),
        max_length=f.whole("max_length", limits.CLASSIFIER["max_length"], None),
        truncate=f.choice("truncate", ("start", "end")),
    )


def parse_files(data: Any, where: str = "files") -> dict[str, str]:
    """File name → sha256; only the known model files, named plainly (no path can leave the folder)."""
    f = _Fields(data, where)
    files = {}
    for name, digest in f.data.items():
        if name not in MODEL_FILES:
            raise CardError(f"{where} lists {_shown(name)}: a card may list only {', '.join(MODEL_FILES)}")
        if not isinstance(digest, str) or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise CardError(f"{where}.{name} must be a sha256 (64 hexadecimal digits), not {_shown(digest)}")
        files[name] = digest
    return files


def _check_score(numbers: Any, place: str) -> None:
    """One set of held-out figures: {"accuracy": 0…1, "loss": ≥ 0, "n": whole}."""
    if not isinstance(numbers, dict):
        raise CardError(f"{place} must be a JSON object, not {_kind(numbers)}")
    accuracy, loss, n = (numbers.get(key) for key in ("accuracy", "loss", "n"))
    if (number := _number(accuracy)) is None or not 0 <= number <= 1:
        raise CardError(f"{place}.accuracy must be a number from 0 to 1, not {_shown(accuracy)}")
    if (number := _number(loss)) is None or number < 0:
        raise CardError(f"{place}.loss must be a number ≥ 0, not {_shown(loss)}")
    if (whole := _whole(n)) is None or whole < 0:
        raise CardError(f"{place}.n must be a whole number ≥ 0, not {_shown(n)}")


def _check_by_source(data: Any, where: str = "metrics.by_source") -> None:
    """Per-source figures: {source: {split: score}}."""
    if not isinstance(data, dict):
        raise CardError(f"{where} must be a JSON object, not {_kind(data)}")
    for name, splits in data.items():
        if not isinstance(splits, dict):
            raise CardError(f"{where}.{_shown(name)} must be a JSON object, not {_kind(splits)}")
        for split, numbers in splits.items():
            _check_score(numbers, f"{where}.{_shown(name)}.{_shown(split)}")


def _check_test_files(data: Any, where: str = "metrics.test_files") -> None:
    """The user's own held-out files (``rnnplay train --test-file``): {file name: score}."""
    if not isinstance(data, dict):
        raise CardError(f"{where} must be a JSON object, not {_kind(data)}")
    for name, numbers in data.items():
        _check_score(numbers, f"{where}.{_shown(name)}")


def _check_placement(training: dict[str, Any], where: str = "training") -> None:
    """``strategy`` (a class name), ``devices`` (at most ``MAX_DEVICES`` names), ``workers`` (1 to ``MAX_DEVICES``) and
    ``streamed`` (true or false), all optional: older cards lack them."""
    f = _Fields(training, where)
    if "strategy" in training:
        f.string("strategy", longest=limits.MAX_DEVICE_NAME)
    if "workers" in training:
        f.whole("workers", limits.Bound(1, limits.MAX_DEVICES))
    if "streamed" in training:
        f.flag("streamed")
    if "devices" in training:
        devices = training["devices"]
        if not isinstance(devices, list) or len(devices) > limits.MAX_DEVICES:
            raise CardError(f"{where}.devices must be a list of at most {limits.MAX_DEVICES} device names, not {_shown(devices)}")
        for index, device in enumerate(devices):
            if not isinstance(device, str) or not 0 < len(device) <= limits.MAX_DEVICE_NAME:
                raise CardError(f"{where}.devices[{index}] must be a device name of 1 to {limits.MAX_DEVICE_NAME} characters, "
                                f"not {_shown(device)}")


def parse(data: Any) -> Card:
    """A ``Card`` from the JSON value of ``card.json`` (or one a writer is about to save)."""
    f = _Fields(data, "")
    if f.data.get("format") != CARD_FORMAT:
        raise CardError(f"format must be {CARD_FORMAT} (an rnnplay model card), not {_shown(f.data.get('format'))}")
    kind = f.choice("kind", ("classifier", "vectors"))
    if (depth := _depth(data)) > MAX_DEPTH:
        raise CardError(f"the card nests {'more than ' if depth > MAX_DEPTH else ''}{MAX_DEPTH} levels deep; "
                        "rnnplay writes at most 4")
    architecture: ClassifierArchitecture | VectorsArchitecture = (
        parse_classifier(f._get("architecture", _REQUIRED)) if kind == "classifier"
        else parse_vectors(f._get("architecture", _REQUIRED)))
    for key in ("training", "metrics", "versions", "import", "parity"):
        if key in f.data and not isinstance(f.data[key], dict):
            raise CardError(f"{key} must be a JSON object, not {_kind(f.data[key])}")
    if isinstance(f.data.get("metrics"), dict) and "by_source" in f.data["metrics"]:
        _check_by_source(f.data["metrics"]["by_source"])
    if isinstance(f.data.get("metrics"), dict) and "test_files" in f.data["metrics"]:
        _check_test_files(f.data["metrics"]["test_files"])
    if isinstance(f.data.get("training"), dict):
        _check_placement(f.data["training"])
    size = f.whole("size_bytes", limits.Bound(0, 2**53), 0)
    return Card(
        name=f.string("name", longest=limits.MAX_NAME_BYTES),
        kind=kind,
        architecture=architecture,
        text=parse_text(f._get("text", _REQUIRED)),
        files=parse_files(f.data.get("files", {})),
        size_bytes=size,
        created=f.string("created", ""),
        raw=MappingProxyType(dict(f.data)),
    )
