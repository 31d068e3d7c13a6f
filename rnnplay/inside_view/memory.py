"""View 3, memory span: how much of its state the recurrent layer keeps from word to word.

``memory_view(trace, profile, width=80) -> Group``

- ``trace``: ``runtime.inside.Trace`` of the text (its gates);
- ``profile``: the model's ``runtime.profile.Profile``, or None while it is not computed (the text alone
  is shown then).

The keep gate (LSTM: forget, the share of c(t−1) kept; GRU: update, the share of h(t−1) kept) as a
histogram over [0, 1] for this text, for the held-out reviews and for the same network at Keras'
initialisation; the share saturated (< 0.1 or > 0.9); each unit's implied span τ = 1/(1 − mean gate) in
words, sorted, as a strip; and one sentence composed from these numbers. A SimpleRNN has no gate, and the
view says what that means instead.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Group
from rich.text import Text

from rnnplay.render import percent
from rnnplay.runtime.profile import BINS, HIGH, LOW, MEMORY_GATE, GateStats, trace_gate_stats

if TYPE_CHECKING:
    from rnnplay.runtime.profile import Profile

BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL = 14  # "held-out" / "at init" / "this text" and a space
MEANING = {"forget": "forget gate f, the share of c(t−1) kept", "update": "update gate z, the share of h(t−1) kept"}
MOVED = 0.05  # a mean this far from initialisation's counts as moved by training
USED = 0.10  # this share of saturated values counts as a model using long memory


def column_chart(values: np.ndarray, cell: int = 2) -> str:
    """One block per value scaled to the largest (a zero is blank, anything else at least ▁), ``cell`` wide."""
    top = float(np.max(values)) if len(values) else 0.0
    chars = []
    for v in values:
        level = 0 if v <= 0 or top <= 0 else max(1, round(v / top * (len(BLOCKS) - 1)))
        chars.append(BLOCKS[level] * cell)
    return "".join(chars)


def ruler(cell: int = 2) -> str:
    """Ticks under the histogram: 0, the saturation thresholds, 0.5 and 1."""
    line = [" "] * (BINS * cell + 1)
    for value, mark in ((0.0, "0"), (LOW, str(LOW)[1:]), (0.5, ".5"), (HIGH, str(HIGH)[1:]), (1.0, "1")):
        at = round(value * BINS * cell)
        for k, ch in enumerate(mark):
            position = min(len(line) - 1, at + k - (len(mark) - 1 if value == 1.0 else 0))
            line[position] = ch
    return "".join(line)


def span_text(tau: float) -> str:
    return "∞" if math.isinf(tau) else f"{tau:.1f}" if tau < 100 else f"{tau:,.0f}"


def span_strip(stats: GateStats, top: float, width: int) -> str:
    """Every unit's τ, longest first, one block each on a log scale from 1 word to ``top`` (sampled to ``width``)."""
    taus = np.array([s.tau for s in stats.spans()])
    if len(taus) > width:
        taus = taus[np.linspace(0, len(taus) - 1, width).round().astype(int)]
    scale = math.log(top) if top > 1 and math.isfinite(top) else 1.0
    levels = [len(BLOCKS) - 1 if math.isinf(t) else max(1, min(len(BLOCKS) - 1, round(math.log(max(t, 1.0)) / scale * (len(BLOCKS) - 1))))
              for t in taus]
    return "".join(BLOCKS[level] for level in levels)


def memory_view(trace: Any, profile: Profile | None, width: int = 80) -> Group:
    """The histograms, spans and sentence (module docstring)."""
    gate = MEMORY_GATE.get(trace.cell)
    if gate is None:
        return Group(Text("A SimpleRNN has no gate: h(t) = tanh(W·x(t) + U·h(t−1) + b) is rewritten at every word, "
                          "and what it keeps is only what U carries over. Gates (LSTM, GRU) can learn to keep a value "
                          "for many words; this model cannot.", style="italic"))
    ours = trace_gate_stats(trace)
    theirs = profile.memory if profile is not None else None
    at_init = profile.memory_at_init if profile is not None else None
    rows = [("this text", ours, ""), ("held-out", theirs, "dim"), ("at init", at_init, "dim")]
    units = trace.layers[0][0].h.shape[1] if trace.layers else 0
    layers, directions = len(trace.layers), trace.directions
    lines = [Text(f"{MEANING[gate]} · {layers} layer{'s' * (layers > 1)} × {directions} direction{'s' * (directions > 1)} "
                  f"× {units} units", style="bold")]
    cell = 2 if width >= LABEL + 2 * BINS + 22 else 1
    lines.append(Text(" " * LABEL + ruler(cell) + "   mean  saturated", style="dim"))
    for name, stats, style in rows:
        row = Text(f"{name:<{LABEL}}", style=style)
        if stats is None:
            why = "no words" if name == "this text" else "not computed yet" if profile is None else "no held-out review has 2 words"
            row.append(why, style="dim")
        else:
            row.append(column_chart(stats.histogram, cell).ljust(BINS * cell + 1), style="green" if name == "this text" else style)
            row.append(f"  {stats.mean:.3f}  {saturated_share(stats.saturated):>8}", style=style)
        lines.append(row)
    known = [s for _, s, _ in rows if s is not None]
    if known:
        finite = [s.tau for stats in known for s in stats.spans() if math.isfinite(s.tau)]
        top = max(finite + [2.0])
        strip = max(8, width - LABEL - 24)
        lines.append(Text(f"each unit's span τ = 1/(1 − mean), longest first; a full block is {span_text(top)} words", style="dim"))
        for name, stats, style in rows:
            if stats is None:
                continue
            spans = stats.spans()
            row = Text(f"{name:<{LABEL}}", style=style)
            row.append(span_strip(stats, top, strip), style="green" if name == "this text" else style)
            row.append(f"  {span_text(spans[0].tau)} … {span_text(spans[-1].tau)}", style=style)
            lines.append(row)
    lines.append(Text(sentence(gate, ours, theirs, at_init), style="italic"))
    return Group(*lines)


def saturated_share(value: float) -> str:
    return "none" if value == 0 else percent(value)


def sentence(gate: str, ours: GateStats | None, theirs: GateStats | None, at_init: GateStats | None) -> str:
    """What the numbers say about this model's memory, in one sentence built from them."""
    main = theirs or ours
    if main is None:
        return "no words: the gates have nothing to show"
    where = "over held-out reviews" if theirs is not None else "over this text"
    saturated = "none saturated" if main.saturated == 0 else f"{saturated_share(main.saturated)} saturated"
    if at_init is None:
        return f"mean {gate} {main.mean:.2f} {where}, {saturated}"
    moved = main.mean - at_init.mean
    opening = f"mean {gate} {main.mean:.2f} against {at_init.mean:.2f} at initialisation, {saturated}"
    longest = main.spans()[0].tau
    if main.above >= USED:
        held = "as long as a text lasts" if math.isinf(longest) or longest > 1e4 else f"{span_text(longest)} words or more"
        return f"{opening}: some units hold what they read for {held}"
    if main.below >= USED:
        return f"{opening}: some units forget what they read at every word"
    if abs(moved) < MOVED:
        return f"{opening}: this model barely uses long memory (its longest span is {span_text(longest)} words)"
    if moved > 0:
        return f"{opening}: training lengthened its memory (longest span {span_text(longest)} words)"
    return f"{opening}: training shortened its memory (longest span {span_text(longest)} words)"
