"""Load a saved classifier and run it with NumPy: Embedding → recurrent stack → Dense head → probability.

Inputs are sorted by length and cut into batches of similar lengths, so almost no padding is ever
computed (the recurrent layers skip what padding is left, see ``recurrent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.recurrent import CELL_NAMES, GATES, DirectionWeights, RecurrentLayer, Sliding, step_inputs
from rnnplay.store import StoredModel, load_model
from rnnplay.text import Encoder, TextSettings

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),
}
DIRECTIONS = ("forward", "backward")


@dataclass(frozen=True)
class Dense:
    kernel: np.ndarray
    bias: np.ndarray
    activation: str

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ACTIVATIONS[self.activation](x @ self.kernel + self.bias)


class Network:
    """The forward pass on token ids."""

    def __init__(self, embedding: np.ndarray, layers: Sequence[RecurrentLayer], head: Sequence[Dense], output: str) -> None:
        self.embedding = embedding
        self.layers = list(layers)
        self.head = list(head)
        self.output = output  # "logit" or "probability"

    @classmethod
    def from_arrays(cls, architecture: dict[str, Any], arrays: dict[str, np.ndarray]) -> "Network":
        """Build from a card's ``architecture`` and the arrays of ``weights.npz``, checking every shape."""
        try:
            embedding = arrays["embedding"]
            if embedding.shape != (architecture["vocab_size"], architecture["embedding_dim"]):
                raise ValueError(f"embedding is {embedding.shape}, the card says "
                                 f"({architecture['vocab_size']}, {architecture['embedding_dim']})")
            directions = DIRECTIONS[: 2 if architecture["bidirectional"] else 1]
            layers, width = [], embedding.shape[1]
            for index in range(architecture["layers"]):
                weights = [
                    DirectionWeights(*(arrays[f"recurrent/{index}/{d}/{part}"] for part in ("kernel", "recurrent_kernel", "bias")))
                    for d in directions
                ]
                last = index == architecture["layers"] - 1
                layer = RecurrentLayer(architecture["cell"], weights, return_sequences=not last)
                if layer.input_dim != width or layer.units != architecture["units"]:
                    raise ValueError(f"recurrent layer {index} does not fit its input of {width} features")
                layers.append(layer)
                width = layer.output_dim
            head = []
            for index, spec in enumerate(architecture["head"]):
                kernel, bias = arrays[f"dense/{index}/kernel"], arrays[f"dense/{index}/bias"]
                if kernel.shape != (width, spec["units"]) or bias.shape != (spec["units"],):
                    raise ValueError(f"dense layer {index} is {kernel.shape}, expected ({width}, {spec['units']})")
                if spec["activation"] not in ACTIVATIONS:
                    raise ValueError(f"unsupported activation {spec['activation']!r}")
                head.append(Dense(kernel, bias, spec["activation"]))
                width = spec["units"]
            if width != 1:
                raise ValueError("the head must end in one unit")
            output = architecture["output"]
            if output not in ("logit", "probability"):
                raise ValueError(f"unknown output {output!r}")
        except KeyError as missing:
            raise ValueError(f"missing weights or card field {missing}") from None
        return cls(embedding, layers, head, output)

    @classmethod
    def random(cls, architecture: dict[str, Any], seed: int = 0, scale: float = 0.5) -> "Network":
        """An untrained network of any shape a card can describe, weights drawn from N(0, scale²).

        Tests check the runtime's shortcuts against its own definitions on every architecture with it,
        and benchmarks time shapes that no saved model has.
        """
        rng = np.random.default_rng(seed)
        normal = lambda *shape: rng.normal(0.0, scale, shape).astype(np.float32)  # noqa: E731
        cell, units = architecture["cell"], architecture["units"]
        arrays = {"embedding": normal(architecture["vocab_size"], architecture["embedding_dim"])}
        directions = DIRECTIONS[: 2 if architecture["bidirectional"] else 1]
        width, gates = architecture["embedding_dim"], GATES[cell] * units
        for index in range(architecture["layers"]):
            for d in directions:
                arrays[f"recurrent/{index}/{d}/kernel"] = normal(width, gates)
                arrays[f"recurrent/{index}/{d}/recurrent_kernel"] = normal(units, gates)
                arrays[f"recurrent/{index}/{d}/bias"] = normal(2, gates) if cell == "gru" else normal(gates)
            width = units * len(directions)
        for index, spec in enumerate(architecture["head"]):
            arrays[f"dense/{index}/kernel"] = normal(width, spec["units"])
            arrays[f"dense/{index}/bias"] = np.zeros(spec["units"], np.float32)
            width = spec["units"]
        return cls.from_arrays(architecture, arrays)

    def probabilities(self, sequences: Sequence[np.ndarray]) -> np.ndarray:
        """P(positive) for id sequences that arrive sorted by length, longest first."""
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
        steps = int(lengths[0]) if len(lengths) else 0
        ids = np.zeros((len(sequences), max(steps, 1)), dtype=np.int64)
        for row, seq in enumerate(sequences):
            ids[row, : len(seq)] = seq
        x = self.layers[0].on_tokens(ids, lengths, self.embedding)
        for layer in self.layers[1:]:
            x = layer(x, lengths)
        return self.head_probability(x)

    def head_probability(self, features: np.ndarray) -> np.ndarray:
        """P(positive) from the last recurrent layer's output (batch, width)."""
        x = features
        for dense in self.head:
            x = dense(x)
        score = x[:, 0].astype(np.float64)
        return 0.5 * (1.0 + np.tanh(0.5 * score)) if self.output == "logit" else score

    def explain(self, ids: np.ndarray, known_prefix: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray, bool]:
        """P(text), occlusion shares and the prefix trace for one id sequence (see ``runtime.explain``).

        Returns ``(probability, shares, prefix, streamed)``. Every variant of the text (the text
        without word i, the text up to word j) would be a pass of its own; instead, the states the
        variants share with the whole text are computed once and each variant runs only from where it
        differs. A one-directional stack reads left to right, so its prefix trace falls out of a single
        pass (``streamed``); a bidirectional model must re-read every prefix from its end, unless the
        caller passes ``known_prefix``: the trace of a text that began with the same ``p`` words (the
        text before the last keystroke), whose first ``p`` values are then reused.
        """
        n = len(ids)
        known = np.asarray(known_prefix if known_prefix is not None else [], dtype=np.float64)[: n - 1]
        if len(self.layers) == 1 and self.layers[0].directions == 2:
            full, without, prefix = self._variants_bidirectional(ids, known)
            streamed = False
        elif all(layer.directions == 1 for layer in self.layers):
            full, without, prefix = self._variants_one_way(ids)
            streamed = True
        else:  # stacked bidirectional layers share nothing between variants
            full, without, prefix = self.variants_batched(ids, known)
            streamed = False
        return full, full - without, prefix, streamed

    def variants_batched(self, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Every variant run in full, all in one batch: right for any architecture, and the slowest way."""
        n, p = len(ids), len(known)
        probs = self.probabilities([ids] + [np.delete(ids, i) for i in range(n)] + [ids[:j] for j in range(n - 1, p, -1)])
        return float(probs[0]), probs[1 : n + 1], np.concatenate([known, probs[n + 1 :][::-1], probs[:1]])

    def _variants_one_way(self, ids: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Left-to-right stack: the text without word i starts from every layer's state before word i."""
        n = len(ids)
        by_position = self.layers[0].project(self.embedding[ids])  # (n, gates): every variant reads these
        starts, x = [], by_position[:, None]  # per layer: state arrays after 0 … n words, (n + 1, width) each
        for index, layer in enumerate(self.layers):
            projected = x if index == 0 else layer.project(x)
            _, recorded = layer.run_states(projected, np.array([n]), record="states")
            starts.append([np.concatenate([np.zeros((1, r.shape[2]), np.float32), r[:, 0]]) for r in recorded])
            x = recorded[0]  # time-major (n, 1, width): the next layer's input
        prefix = self.head_probability(starts[-1][0][1:])
        # Row i reads words i + 1 … n - 1 (longest first) from the states after i words; in the
        # first layer, row i at step t reads word i + 1 + t: a window sliding down the table.
        lengths = n - 1 - np.arange(n)
        x = Sliding(by_position[1:], 1, max(n - 1, 1), n)
        for index, layer in enumerate(self.layers):
            projected = x if index == 0 else layer.project(x)
            final, recorded = layer.run_states(projected, lengths, [s[:n] for s in starts[index]], record="outputs" if index < len(self.layers) - 1 else None)
            x = recorded[0] if recorded is not None else None
        return float(prefix[-1]), self.head_probability(final[0]), prefix

    def _variants_bidirectional(self, ids: np.ndarray, known: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """One bidirectional layer: each direction of each variant starts from the whole text's states.

        Every variant reads the text's own words, so input projections are computed once per
        position, and each step of a batch of variants reads a slice of them (``step_inputs``).
        """
        layer = self.layers[0]
        forward, backward = layer.one_way(0), layer.one_way(1)
        n, units = len(ids), layer.units
        vectors = self.embedding[ids]
        ahead, behind = forward.project(vectors), backward.project(vectors)  # (n, gates), by position

        # The whole text, both directions in one pass; row t of a state is after t + 1 words read.
        _, recorded = layer.run_states(layer.interleave([ahead[:, None], behind[::-1, None]]), np.array([n]), record="states")
        start_ahead = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, :units]]) for r in recorded]
        start_behind = [np.concatenate([np.zeros((1, units), np.float32), r[:, 0, units:]]) for r in recorded]

        # Forward half of "without word i": read words i + 1 … n - 1 from the state after i words.
        # Row i at step t reads word i + 1 + t: a window sliding down the table.
        lengths = n - 1 - np.arange(n)
        without_ahead, _ = forward.run_states(Sliding(ahead[1:], 1, max(n - 1, 1), n), lengths, [s[:n] for s in start_ahead])

        # Backward halves in one batch. "Without word i" reads words i - 1 … 0 from the state after
        # words i + 1 … n - 1 (i words); prefix j reads words j … 0 from zero (j + 1 words), for the
        # prefixes not known (the whole text's own is the full pass). Longest first, the rows are
        # pairs (without m, prefix m - 1) down to the known prefixes, then the rest of "without";
        # both rows of a pair read the same word at every step. Row r reads word n - 1 - offset[r] - t.
        p = len(known)
        paired = n - 1 - p  # prefixes to compute: j = n - 2 … p
        offsets = np.concatenate([1 + np.arange(2 * paired) // 2, np.arange(n - p, n + 1)])
        without_rows = np.concatenate([np.arange(0, 2 * paired, 2), 2 * paired + np.arange(p + 1)])  # i = n-1 … 0
        prefix_rows = np.arange(1, 2 * paired, 2)  # j = n-2 … p
        lengths = n - offsets
        starts = np.zeros(len(offsets), dtype=np.int64)  # rows of start_behind: after that many words from the end
        starts[without_rows] = np.arange(n)  # "without word i" (i = n-1 … 0) starts after the n - 1 - i last words
        final, _ = backward.run_states(step_inputs(behind[::-1], offsets, n), lengths, [s[starts] for s in start_behind])
        behind_prefix = np.concatenate([final[0][prefix_rows][::-1], start_behind[0][n:]])  # prefixes p … n-1
        behind_without = final[0][without_rows][::-1]

        prefix = self.head_probability(np.concatenate([start_ahead[0][1 + p :], behind_prefix], axis=1))
        without = self.head_probability(np.concatenate([without_ahead[0], behind_without], axis=1))
        return float(prefix[-1]), without, np.concatenate([known, prefix])


def label(probability: float, threshold: float = 0.5) -> str:
    """The verdict every front end prints for P(positive)."""
    return "positive" if probability >= threshold else "negative"


def layer_summary(architecture: dict[str, Any]) -> list[dict[str, Any]]:
    """Keras-``summary()``-style rows (layer, output shape, parameters) from a card, without Keras."""
    rows = []
    emb, vocab = architecture["embedding_dim"], architecture["vocab_size"]
    rows.append({"layer": "Embedding", "output": f"(batch, time, {emb})", "params": vocab * emb})
    gates = GATES[architecture["cell"]]
    width, units, directions = emb, architecture["units"], 2 if architecture["bidirectional"] else 1
    for index in range(architecture["layers"]):
        bias = 2 * gates * units if architecture["cell"] == "gru" else gates * units
        params = directions * (width * gates * units + units * gates * units + bias)
        name = CELL_NAMES[architecture["cell"]]
        name = f"Bidirectional({name})" if directions == 2 else name
        last = index == architecture["layers"] - 1
        rows.append({"layer": name, "output": f"(batch, {directions * units})" if last else f"(batch, time, {directions * units})", "params": params})
        width = directions * units
    for spec in architecture["head"]:
        rows.append({"layer": f"Dense({spec['activation']})", "output": f"(batch, {spec['units']})", "params": width * spec["units"] + spec["units"]})
        width = spec["units"]
    return rows


def describe_architecture(architecture: dict[str, Any]) -> str:
    """One line such as ``Bi2×LSTM 32, vocab 10,000`` for tables of models ("" when unknown)."""
    if not architecture:
        return ""
    cell = CELL_NAMES.get(architecture.get("cell", ""), "?")
    layers = f"{architecture['layers']}×" if architecture.get("layers", 1) > 1 else ""
    direction = "Bi" if architecture.get("bidirectional") else ""
    return f"{direction}{layers}{cell} {architecture.get('units')}, vocab {architecture.get('vocab_size', 0):,}"


class Classifier:
    """A saved sentiment classifier, ready to predict on raw text."""

    def __init__(self, stored: StoredModel) -> None:
        card = stored.card
        if card["kind"] != "classifier":
            raise RnnplayError(f"{stored.path} is a {card['kind']} model, not a classifier")
        try:
            self.encoder = Encoder(stored.vocabulary, TextSettings(**card["text"]))
            self.network = Network.from_arrays(card["architecture"], stored.arrays)
        except (ValueError, TypeError, KeyError) as error:
            raise RnnplayError(f"{stored.path} does not match its card: {error}") from None
        if len(self.encoder) != self.network.embedding.shape[0]:
            raise RnnplayError(f"{stored.path}: vocab.txt has {len(self.encoder)} tokens, the embedding {self.network.embedding.shape[0]}")
        self.stored = stored
        self.name = stored.name
        self.card = card

    @classmethod
    def load(cls, path: Path) -> "Classifier":
        return cls(load_model(path))

    def predict_ids(self, sequences: Sequence[np.ndarray], batch_size: int = 256) -> np.ndarray:
        """P(positive) for each id sequence, in input order."""
        order = sorted(range(len(sequences)), key=lambda i: -len(sequences[i]))
        result = np.empty(len(sequences), dtype=np.float64)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            result[chunk] = self.network.probabilities([sequences[i] for i in chunk])
        return result

    def predict(self, texts: Iterable[str], batch_size: int = 256) -> np.ndarray:
        return self.predict_ids([self.encoder.encode(t) for t in texts], batch_size)
