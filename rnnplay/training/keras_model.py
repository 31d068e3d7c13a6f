"""Between Keras models and rnnplay's saved layout: build a classifier, and read one back into arrays.

``to_arrays`` is the single converter used both after our own training and by ``rnnplay import`` on a
user's ``.keras`` file, so what we ship and what we import go through the same checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnnplay.card import CELL_NAMES
from rnnplay.config import ClassifierConfig
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.training import tensorflow_modules

CELLS = {keras_name: cell for cell, keras_name in CELL_NAMES.items()}
SKIPPED = {"InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout"}
POOLINGS = {"MaskedMaxPooling1D": "max", "GlobalAveragePooling1D": "mean"}  # pooling layers, by the card's name for them
_MASKED_MAX: Any = None


def masked_max_pooling() -> Any:
    """The class of a max over time that skips padding (Keras' ``GlobalMaxPooling1D`` ignores the mask, and its
    recurrent layers give zeros at padding, which would win over every negative state).

    Defined on first use (Keras loads lazily) and registered, so a saved ``model.keras`` loads again in any
    process that has imported this module (``rnnplay.training.keras_model``).
    """
    global _MASKED_MAX
    if _MASKED_MAX is None:
        _, keras = tensorflow_modules()

        @keras.saving.register_keras_serializable(package="rnnplay")
        class MaskedMaxPooling1D(keras.layers.Layer):  # type: ignore[name-defined]  # Keras is loaded lazily
            """max over the time axis of (batch, time, features), padding left out; an all-padding row gives zeros."""

            def __init__(self, **kwargs: Any) -> None:
                super().__init__(**kwargs)
                self.supports_masking = True

            def call(self, inputs: Any, mask: Any = None) -> Any:
                ops = keras.ops
                if mask is None:
                    return ops.max(inputs, axis=1)
                keep = ops.expand_dims(ops.cast(mask, "bool"), -1)
                largest = ops.max(ops.where(keep, inputs, ops.full_like(inputs, -3.0e38)), axis=1)
                return ops.where(ops.any(keep, axis=1), largest, ops.zeros_like(largest))

            def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
                return None

            def compute_output_shape(self, input_shape: Any) -> Any:
                return (input_shape[0], input_shape[2])

        _MASKED_MAX = MaskedMaxPooling1D
    return _MASKED_MAX


def build(config: ClassifierConfig, vocab_size: int, embedding: np.ndarray | None = None) -> Any:
    """The classifier on token ids: Embedding (mask_zero) → recurrent stack → [pooling] → Dense head → one logit.

    ``embedding`` starts the word vectors from given values (CBOW's) instead of at random. With a
    ``pooling`` other than ``last`` the last recurrent layer returns its states at every word and a
    masked pooling layer reduces them (padding never counts).
    """
    _, keras = tensorflow_modules()
    layer_class = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "rnn": keras.layers.SimpleRNN}[config.cell]
    initializer = "uniform" if embedding is None else keras.initializers.Constant(embedding)
    layers: list[Any] = [keras.Input(shape=(None,), dtype="int32"),
                         keras.layers.Embedding(vocab_size, config.embedding_dim, mask_zero=True, embeddings_initializer=initializer)]
    if config.embedding_dropout:
        layers.append(keras.layers.SpatialDropout1D(config.embedding_dropout))
    pooled = config.pooling != "last"
    for index in range(config.layers):
        recurrent = layer_class(config.units, return_sequences=pooled or index < config.layers - 1)
        layers.append(keras.layers.Bidirectional(recurrent) if config.bidirectional else recurrent)
    if config.pooling == "max":
        layers.append(masked_max_pooling()())
    elif config.pooling == "mean":
        layers.append(keras.layers.GlobalAveragePooling1D())
    if config.dropout:
        # Only here: dropout on the (batch, time, features) embeddings made XLA epochs 4x slower.
        layers.append(keras.layers.Dropout(config.dropout))
    if config.dense_units:
        layers.append(keras.layers.Dense(config.dense_units, activation="relu"))
    layers.append(keras.layers.Dense(1))
    model = keras.Sequential(layers)
    if embedding is not None:
        # The start values are in the weights now. Left in the layer's config, the Constant would be written
        # into model.keras as JSON text: 28 MB for 20,000 × 64. Swapped after building, so the draws of the
        # other layers' initial weights are the same as before.
        model.layers[0].embeddings_initializer = keras.initializers.get("uniform")
    return model


def shown_setting(value: Any, width: int = 60) -> str:
    """A setting from the user's file for a message: repr'd, printable, cut short."""
    text = printable(repr(value))
    return text if len(text) <= width else text[:width] + "…"


def _check_recurrent(layer: Any, where: str, backward: bool) -> None:
    config = layer.get_config()
    expected = {"activation": "tanh", "use_bias": True, "stateful": False, "go_backwards": backward}
    if type(layer).__name__ != "SimpleRNN":
        expected["recurrent_activation"] = "sigmoid"
    if type(layer).__name__ == "GRU":
        expected["reset_after"] = True
    for key, value in expected.items():
        if key in config and config[key] != value:
            raise RnnplayError(f"{where}: {type(layer).__name__} with {key}={shown_setting(config[key])} is not supported (only {value!r})")


def _weights(layer: Any, where: str, names: tuple[str, ...]) -> list[np.ndarray]:
    """The layer's weight arrays, exactly ``names`` of them (a layer without a bias has one fewer)."""
    weights = layer.get_weights()
    if len(weights) != len(names):
        raise RnnplayError(f"{where}: {type(layer).__name__} holds {len(weights)} weight arrays, rnnplay reads "
                           f"{len(names)} ({', '.join(names)}); use_bias=False is not supported")
    return weights


def _check_chain(model: Any) -> None:
    """rnnplay runs a chain of layers from one input to one output (a functional model may be one).

    A shared layer or a branch that no merge layer betrays is left to the parity check.
    """
    inputs, outputs = getattr(model, "inputs", None) or [], getattr(model, "outputs", None) or []
    if len(inputs) > 1 or len(outputs) > 1:
        raise RnnplayError(f"the model has {len(inputs)} inputs and {len(outputs)} outputs; rnnplay reads a classifier "
                           "with one text input and one score")


def _name(layer: Any) -> str:
    name = printable(str(getattr(layer, "name", "?")))
    return name if len(name) <= 60 else name[:60] + "…"


def to_arrays(model: Any) -> tuple[dict[str, Any], dict[str, np.ndarray], Any]:
    """Walk a Sequential classifier and return (architecture, arrays, TextVectorization layer or None).

    A user's model can be anything Keras loads: every way it differs from the chain rnnplay runs is
    one line naming the layer, never a Python error from reading an unexpected configuration.
    """
    _check_chain(model)
    arrays: dict[str, np.ndarray] = {}
    vectorizer: Any = None
    embedding: Any = None
    recurrent: list[dict[str, Any]] = []
    head: list[dict[str, Any]] = []
    pooling = "last"
    for position, layer in enumerate(model.layers):
        kind = type(layer).__name__
        where = f"layer {position} ({_name(layer)})"
        if kind in SKIPPED:
            continue
        try:
            if kind == "TextVectorization":
                if embedding is not None or vectorizer is not None:
                    raise RnnplayError(f"{where}: the TextVectorization layer must come first")
                vectorizer = layer
            elif kind == "Embedding":
                if embedding is not None:
                    raise RnnplayError(f"{where}: a second Embedding layer is not supported")
                embedding = layer
                arrays["embedding"] = _weights(layer, where, ("embeddings",))[0]
            elif kind in POOLINGS:
                if not recurrent or head or pooling != "last":
                    raise RnnplayError(f"{where}: a pooling layer must come once, between the recurrent layers and the Dense head")
                if kind == "GlobalAveragePooling1D" and (layer.get_config().get("keepdims") or layer.data_format != "channels_last"):
                    raise RnnplayError(f"{where}: only a GlobalAveragePooling1D over time (channels_last, no keepdims) is supported")
                pooling = POOLINGS[kind]
            elif kind in CELLS or kind == "Bidirectional":
                if embedding is None or head or pooling != "last":
                    raise RnnplayError(f"{where}: recurrent layers must follow the Embedding and precede the Dense head")
                if kind == "Bidirectional":
                    if layer.merge_mode != "concat":
                        raise RnnplayError(f"{where}: Bidirectional merge_mode {shown_setting(layer.merge_mode)} is not supported (only 'concat')")
                    directions = {"forward": layer.forward_layer, "backward": layer.backward_layer}
                else:
                    directions = {"forward": layer}
                cells = {CELLS.get(type(d).__name__) for d in directions.values()}
                if None in cells or len(cells) != 1:
                    raise RnnplayError(f"{where}: unsupported recurrent layer (both directions must be the same LSTM, GRU or SimpleRNN)")
                for direction, sub in directions.items():
                    _check_recurrent(sub, where, backward=direction == "backward")
                    kernel, recurrent_kernel, bias = _weights(sub, where, ("kernel", "recurrent_kernel", "bias"))
                    base = f"recurrent/{len(recurrent)}/{direction}"
                    arrays.update({f"{base}/kernel": kernel, f"{base}/recurrent_kernel": recurrent_kernel, f"{base}/bias": bias})
                first = next(iter(directions.values()))
                recurrent.append({"cell": cells.pop(), "units": int(first.units), "bidirectional": len(directions) == 2,
                                  "return_sequences": bool(first.return_sequences)})
            elif kind == "Dense":
                if not recurrent:
                    raise RnnplayError(f"{where}: a Dense layer before any recurrent layer is not supported")
                activation = layer.get_config().get("activation")
                if not isinstance(activation, str) or activation not in ("linear", "relu", "tanh", "sigmoid"):
                    raise RnnplayError(f"{where}: Dense activation {shown_setting(activation)} is not supported (linear, relu, tanh or sigmoid)")
                kernel, bias = _weights(layer, where, ("kernel", "bias"))
                arrays[f"dense/{len(head)}/kernel"], arrays[f"dense/{len(head)}/bias"] = kernel, bias
                head.append({"units": int(layer.units), "activation": activation})
            else:
                raise RnnplayError(f"{where}: {printable(kind)} layers are not supported (rnnplay reads encoder → Embedding → "
                                   "recurrent layers → Dense layers)")
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
            raise RnnplayError(f"{where}: rnnplay cannot read this {printable(kind)} layer's settings or weights "
                               f"({type(error).__name__}: {shown_setting(str(error))})") from None
    if embedding is None or not recurrent or not head:
        raise RnnplayError("the model needs an Embedding, at least one recurrent layer and a Dense head")
    shapes = {(r["cell"], r["units"], r["bidirectional"]) for r in recurrent}
    if len(shapes) != 1:
        raise RnnplayError("stacked recurrent layers must share cell, units and direction")
    if [r["return_sequences"] for r in recurrent] != [True] * (len(recurrent) - 1) + [pooling != "last"]:
        raise RnnplayError("every recurrent layer but the last must return sequences, and the last must not "
                           "(unless a pooling layer follows it, when it must)")
    if head[-1]["units"] != 1 or head[-1]["activation"] not in ("linear", "sigmoid"):
        raise RnnplayError("the head must end in Dense(1) with a linear (logit) or sigmoid output")
    if np.ndim(arrays["embedding"]) != 2:
        raise RnnplayError(f"the Embedding's weights have shape {np.shape(arrays['embedding'])}, not (words, dimension)")
    architecture = {
        "vocab_size": int(arrays["embedding"].shape[0]),
        "embedding_dim": int(arrays["embedding"].shape[1]),
        "mask_zero": bool(embedding.mask_zero),
        "cell": recurrent[0]["cell"],
        "units": int(recurrent[0]["units"]),
        "layers": len(recurrent),
        "bidirectional": recurrent[0]["bidirectional"],
        "head": head,
        "output": "logit" if head[-1]["activation"] == "linear" else "probability",
        "pooling": pooling,
    }
    return architecture, {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}, vectorizer
