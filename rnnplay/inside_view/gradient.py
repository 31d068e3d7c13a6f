"""View 2, gradient through time: how strongly the logit depends on each word's embedding, beside what
leaving the word out does.

``gradient_view(tokens, connectivity, logit_shares, profile, width=80, *, cursor=None, dark=None) -> Group``

- ``tokens``: the words the model read (``Trace.tokens``);
- ``connectivity``: ``runtime.through_time.Connectivity`` of the text (``norms`` (D, T), ``total`` (T,),
  ``first_half_share``);
- ``logit_shares``: Play's leave-one-out logit shares (``Explanation.logit_shares``), or None when they were
  not computed (a text over the explain limit): the view then leaves that column out and says so;
- ``profile``: the model's ``runtime.profile.Profile`` (its corpus average is shown beside the text's), or None;
- ``cursor``: the word to mark (▸, reversed), as the step-by-step view's cursor; ``dark``: the background's
  shade when known (the TUI's theme), for the shares' colours (``render.share_colour``).

One row per word: ‖∂logit/∂x(t)‖ through each direction as a bar on a log scale (a gradient that vanishes
over 100 words spans many powers of ten), then the leave-one-out share as a signed bar. Under the chart,
the share of the gradient on the first half of the text, per direction and together, beside the held-out
reviews' average; and one line, composed from these numbers, on where the two measures disagree: a memory
stored firmly has a small gradient (a saturated gate passes little gradient) yet a large effect when the
word is removed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from rich.console import Group
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.render import percent, share_colour

if TYPE_CHECKING:
    from rnnplay.runtime.profile import Profile

MAX_DECADES = 8  # the log scale reaches at most this many powers of ten below the text's largest gradient
DIRECTION_STYLES = ("cyan", "magenta")
DIRECTION_NAMES = ("forward", "backward")
WORD_WIDTH = 12
FIRMLY = 1.5  # a word's share of the occlusion effect over its share of the gradient, above which the line calls it stored


def log_fraction(value: float, top: float, decades: int) -> float:
    """Where ``value`` falls on a log scale from ``top`` / 10^decades (0) to ``top`` (1)."""
    if value <= 0 or top <= 0:
        return 0.0
    return max(0.0, min(1.0, 1.0 + math.log10(value / top) / decades))


def eighths_bar(fraction: float, width: int) -> str:
    """A bar of ``width`` cells filled to ``fraction`` in eighths, padded with spaces."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    text = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
    return text.ljust(width)


def word_label(token: str, width: int = WORD_WIDTH) -> str:
    shown = printable(token)
    return (shown[: width - 1] + "…" if len(shown) > width else shown).ljust(width)


def decades(norms: np.ndarray) -> int:
    """Powers of ten the log scale spans: from the largest norm down to the smallest non-zero one (1 to MAX_DECADES)."""
    positive = norms[norms > 0]
    if positive.size == 0:
        return 1
    return max(1, min(MAX_DECADES, math.ceil(math.log10(positive.max() / positive.min()) - 1e-9)))


def gradient_view(tokens: Sequence[str], connectivity: Any, logit_shares: np.ndarray | None, profile: Profile | None,
                  width: int = 80, *, cursor: int | None = None, dark: bool | None = None) -> Group:
    """The chart, the first-half table and the line on how gradient and occlusion disagree (module docstring)."""
    norms = np.asarray(connectivity.norms, dtype=np.float64)  # (D, T)
    total = np.asarray(connectivity.total, dtype=np.float64)
    directions, words = norms.shape
    if words == 0:
        return Group(Text("no words to take the gradient of", style="dim"))
    shares = None if logit_shares is None else np.asarray(logit_shares, dtype=np.float64)
    top = float(norms.max()) if norms.size else 0.0
    share_top = float(np.abs(shares).max()) if shares is not None and shares.size else 0.0
    value_width, share_width = 8, 7  # " 2.3e-04", " +12.34"
    room = width - WORD_WIDTH - value_width - 1
    occlusion_bar = 0 if shares is None else max(6, room // 5)
    bar = max(4, (room - (occlusion_bar + share_width + 1 if shares is not None else 0)) // directions - 1)

    header = Text(" " * WORD_WIDTH, style="dim")
    for d in range(directions):
        name = DIRECTION_NAMES[d] if directions == 2 else "‖∂logit/∂x(t)‖"
        header.append(name[:bar].ljust(bar) + " ", style=DIRECTION_STYLES[d])
    header.append("‖total‖".rjust(value_width - 1) + " ", style="dim")
    if shares is not None:
        header.append("leave-one-out"[: occlusion_bar + share_width].ljust(occlusion_bar + share_width), style="dim")
    span = decades(norms)
    lines = [Text(f"‖∂logit/∂x(t)‖ per direction, log scale: {top / 10**span:.1e} (empty) to {top:.1e} (full)", style="dim"),
             header]
    for t in range(words):
        row = Text("▸" if t == cursor else " ")
        row.append(word_label(tokens[t] if t < len(tokens) else "", WORD_WIDTH - 1), style="bold reverse" if t == cursor else "")
        for d in range(directions):
            row.append(eighths_bar(log_fraction(norms[d, t], top, span), bar) + " ", style=DIRECTION_STYLES[d])
        row.append(f"{total[t]:.1e}".rjust(value_width - 1) + " ", style="dim")
        if shares is not None:
            fraction = abs(shares[t]) / share_top if share_top > 0 else 0.0
            colour = share_colour(shares[t], dark, full=share_top or 1.0)
            row.append(eighths_bar(fraction, occlusion_bar), style=colour)
            row.append(f"{shares[t]:+.2f}".rjust(share_width), style=colour)
        lines.append(row)
    lines.append(first_half_table(connectivity, profile, directions, words))
    if shares is None:
        lines.append(Text("leave-one-out shares are not computed for a text this long: gradient only", style="dim"))
    else:
        lines.append(disagreement(tokens, total, shares, width))
    return Group(*lines)


def first_half_table(connectivity: Any, profile: Profile | None, directions: int, words: int) -> Text:
    """Two or three lines: the share of the gradient on the first half of this text and of held-out reviews."""
    names = [DIRECTION_NAMES[d] for d in range(directions)] + (["together"] if directions == 2 else [])
    text = Text(f"{'gradient on the first half':<30}", style="bold")
    for name in names:
        text.append(f"{name:>11}")
    text.append(f"\n{f'  this text ({words:,} words)':<30}")
    ours = [connectivity.first_half_share(d) for d in range(directions)]
    if directions == 2:
        ours.append(connectivity.first_half_share(None))
    for value in ours:
        text.append(f"{percent(value):>11}")
    stats = profile.connectivity if profile is not None else None
    if stats is not None and len(stats.first_half) == directions:
        text.append(f"\n{f'  held-out ({stats.reviews:,} × {stats.length:,} words)':<30}", style="dim")
        theirs = list(stats.first_half) + ([stats.together] if directions == 2 else [])
        for value in theirs:
            text.append(f"{percent(value):>11}", style="dim")
    elif profile is None:
        text.append("\n  held-out reviews: not computed yet", style="dim")
    if words < 2:
        text.append("\n  one word has no halves", style="dim")
    return text


def disagreement(tokens: Sequence[str], gradient: np.ndarray, shares: np.ndarray, width: int = 80) -> Text:
    """One line on the word whose occlusion effect most outweighs its gradient, from the measured numbers."""
    effect = np.abs(shares)
    if effect.sum() <= 0 or gradient.sum() <= 0:
        return Text("no word changes the logit when left out: nothing to compare the gradient with", style="dim")
    effect_share, gradient_share = effect / effect.sum(), gradient / gradient.sum()
    strong = np.flatnonzero(effect_share >= 0.5 * effect_share.max())  # the words that matter most when left out
    ratio = effect_share[strong] / np.maximum(gradient_share[strong], 1e-300)
    pick = int(strong[np.argmax(ratio)])
    word = printable(tokens[pick]) if pick < len(tokens) else f"word {pick + 1}"
    effect_part, gradient_part = percent(effect_share[pick]), percent(gradient_share[pick])
    if effect_share[pick] / max(gradient_share[pick], 1e-300) > FIRMLY:
        line = "\"{}\" held firmly: " + f"{effect_part} of the leave-one-out effect, {gradient_part} of the gradient"
    else:
        line = "\"{}\": " + f"{effect_part} of the leave-one-out effect, {gradient_part} of the gradient: they agree"
    room = max(4, width - len(line) + 2)  # the word is cut to keep the line on one line
    return Text(line.format(word if len(word) <= room else word[: room - 1] + "…"), style="italic")
