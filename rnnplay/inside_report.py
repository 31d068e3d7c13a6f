"""Everything the Inside views show for one text, computed in one place for every front end.

The TUI's Inside tab, ``rnnplay inside TEXT`` and ``:inside TEXT`` all call ``look_inside``: the text
traced through every layer, direction and gate (``runtime.inside``), the gradient of the logit with
respect to each word (``runtime.through_time``), the leave-one-out shares Play shows beside it
(``runtime.explain``); with the model's corpus profile (``model_profile``) the text's path along the
sentiment axis (``runtime.profile.text_path``); and on request the measured cost of a prediction after
every word (``runtime.streaming``). It returns numbers, never a picture; ``to_json`` gives them all,
arrays included.

A text longer than ``explain.WORD_LIMIT`` words keeps the views whose cost grows with its length (the
states, the gates, the gradient, the memory span, the path, streaming); the leave-one-out shares and a
bidirectional model's re-reading, whose cost grows with its square, are left out and ``left_out`` says
so in one line. Past ``TRACE_LIMIT`` words (a model without a max_length, a pasted book) nothing is
traced: every gate of every step is kept, and ``TextTooLongToTrace`` says so with the prediction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import label
from rnnplay.runtime.explain import WORD_LIMIT, explain_ids
from rnnplay.runtime.inside import DIRECTION_NAMES, Trace, trace_ids
from rnnplay.runtime.profile import TextPath, text_path
from rnnplay.runtime.streaming import StreamCost, measure_ids
from rnnplay.runtime.through_time import Connectivity, connectivity

if TYPE_CHECKING:
    from rnnplay.model_profile import ModelProfile
    from rnnplay.runtime.classifier import Classifier


TRACE_LIMIT = 10 * WORD_LIMIT  # words traced at most: 10,000 words × 2 directions × 6 arrays × 32 units is 31 MB


class TextTooLongToTrace(RnnplayError):
    """Too many words to record every gate of every step; the whole text's prediction is still given."""

    def __init__(self, words: int, probability: float) -> None:
        super().__init__(f"{words:,} words are too many to trace step by step (the limit is {TRACE_LIMIT:,}); "
                         f"the whole text is {label(probability)} {probability:.3f}")
        self.words, self.probability = words, probability


@dataclass(frozen=True)
class InsideReport:
    """One text inside one classifier."""

    model: str
    trace: Trace
    connectivity: Connectivity
    logit_shares: np.ndarray | None  # leave-one-out, on the logit scale; None when the text is too long for them
    left_out: str  # one line on what a long text does not get, or ""
    profile: ModelProfile | None = None  # the model's corpus profile, when it was given
    path: TextPath | None = None  # the text in the profile's PC1–PC2 plane
    stream: StreamCost | None = None  # a prediction after every word: steps and measured time

    @property
    def tokens(self) -> list[str]:
        return self.trace.tokens

    def first_half_shares(self) -> dict[str, float]:
        """The gradient's share on the first half of the text: per direction of the first layer, and together."""
        shares = {DIRECTION_NAMES[d]: self.connectivity.first_half_share(d) for d in range(self.trace.directions)}
        if self.trace.directions == 2:
            shares["together"] = self.connectivity.first_half_share()
        return shares

    def to_json(self) -> dict[str, Any]:
        t = self.trace
        return {
            "model": self.model, "tokens": t.tokens, "ids": t.ids.tolist(), "dropped": t.dropped,
            "logit": t.logit, "p_positive": t.probability, "cell": t.cell, "directions": t.directions,
            "layers": [[{"name": d.name, "layer": d.layer, "direction": DIRECTION_NAMES[d.direction], "x": _list(d.x),
                         "h_prev": _list(d.h_prev), "gates": {name: _list(v) for name, v in d.gates.items()}, "h": _list(d.h)}
                        for d in layer] for layer in t.layers],
            "gradient": {
                "norm": _list(self.connectivity.total),
                "norm_by_direction": {DIRECTION_NAMES[d]: _list(self.connectivity.norms[d]) for d in range(t.directions)},
                "first_half_share": {k: _number(v) for k, v in self.first_half_shares().items()},
            },
            "logit_shares": None if self.logit_shares is None else _list(self.logit_shares),
            "left_out": self.left_out or None,
            "profile": None if self.profile is None else self.profile.to_json(),
            "path": None if self.path is None else {"words": self.path.words.tolist(), "pc1_pc2": _list(self.path.points),
                                                    "logit": _list(self.path.logits)},
            "stream": None if self.stream is None else _stream_json(self.stream),
        }


def look_inside(classifier: Classifier, text: str, profile: ModelProfile | None = None, stream: bool = False,
                repeats: int = 3) -> InsideReport:
    """Trace ``text`` through ``classifier``, with the gradient through time and the leave-one-out shares; with
    ``profile`` its path along the sentiment axis; with ``stream`` the cost of a prediction after every word
    (each time the best of ``repeats``). Raises ``TextTooLongToTrace`` past ``TRACE_LIMIT`` words."""
    encoder = classifier.encoder
    tokens, dropped = encoder.cut(encoder.settings.tokens(text))  # encoded once for every view below
    ids = encoder.ids(tokens)
    if len(ids) > TRACE_LIMIT:
        raise TextTooLongToTrace(len(ids), float(classifier.predict_ids([ids])[0]))
    recorded = trace_ids(classifier.network, ids, tokens, len(dropped))
    gradient = connectivity(classifier.network, recorded)
    shares, left_out = None, ""
    if recorded.words > WORD_LIMIT:
        left_out = (f"{recorded.words:,} words: the leave-one-out shares and a two-way model's re-reading are left out "
                    f"(over {WORD_LIMIT:,} words they cost too much); the states, gates and gradient are all here")
    elif recorded.words:
        shares = explain_ids(classifier.network, recorded.ids).logit_shares
    path = None
    if profile is not None and profile.profile.axis is not None and recorded.words:
        path = text_path(classifier.network, profile.profile.axis, recorded.ids, recorded)
    cost = measure_ids(classifier.network, ids, repeats, classifier.name, len(dropped)) if stream else None
    return InsideReport(classifier.name, recorded, gradient, shares, left_out, profile, path, cost)


def _stream_json(cost: StreamCost) -> dict[str, Any]:
    return {"words": cost.words, "directions": cost.directions, "layers": cost.layers, "steps_every_word": cost.steps,
            "formula": cost.formula, "streaming_steps": cost.streaming_steps, "whole_text_steps": cost.whole_steps,
            "every_word_seconds": cost.every_word_seconds, "whole_text_seconds": cost.whole_seconds,
            "p_positive_after_each_word": _list(cost.probabilities), "repeats": cost.repeats,
            "pooling": cost.pooling}


def _list(array: np.ndarray) -> list:
    """An array as nested lists of floats, NaN as None (JSON has no NaN)."""
    return [_list(row) for row in array] if array.ndim > 1 else [_number(v) for v in array.tolist()]


def _number(value: float) -> float | None:
    return None if value != value else float(value)
