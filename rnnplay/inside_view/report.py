"""All five Inside views of one text, one after the other: what ``rnnplay inside TEXT`` and ``:inside TEXT`` print.

The TUI shows the same renderers in panes, one at a time, with a cursor; here the step-by-step view is
drawn at one word (the last by default) and the heatmap below it holds every word, up to a screenful.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.rule import Rule
from rich.text import Text

from rnnplay.printable import printable

if TYPE_CHECKING:
    from rich.console import RenderableType

    from rnnplay.inside_report import InsideReport

VIEWS = {
    "steps": "1 · Step by step: how h(t) comes from x(t) and h(t−1), gate by gate",
    "gradient": "2 · Gradient through time: how far back the logit still feels each word",
    "memory": "3 · Memory span: how much of its past the layer keeps",
    "axis": "4 · Sentiment axis: the text's way along the state's main direction",
    "stream": "5 · Stream vs re-read: the cost of a prediction after every word",
}
HEATMAP_ROWS = 30  # words the heatmap shows at most (around the word stepped to)


def summary(report: InsideReport) -> Text:
    """``imdb-bilstm · positive 0.653 · 10 words · 2 unknown``: what was read, in one line."""
    from rnnplay.runtime.classifier import label
    from rnnplay.text import OOV_ID

    t = report.trace
    text = Text(printable(report.model), style="bold")
    text.append(f" · {label(t.probability)} {t.probability:.3f} · {t.words:,} word{'' if t.words == 1 else 's'}")
    unknown = int((t.ids == OOV_ID).sum())
    if unknown:
        text.append(f" · {unknown} unknown", style="dim")
    if t.dropped:
        text.append(f" · {t.dropped:,} past max_length not read", style="dim")
    return text


def inside_view(report: InsideReport, views: Sequence[str] = tuple(VIEWS), word: int | None = None, layer: int = 0,
                direction: int = 0, width: int = 80, dark: bool | None = None) -> list[RenderableType]:
    """The chosen ``views`` of ``report``, each under a rule naming it; ``word`` (0-based, default the last)
    is the step-by-step view's, in ``layer`` and ``direction``."""
    from rnnplay.inside_view.axis import axis_view
    from rnnplay.inside_view.gradient import gradient_view
    from rnnplay.inside_view.memory import memory_view
    from rnnplay.inside_view.steps import step_view
    from rnnplay.inside_view.stream import stream_view
    from rnnplay.text import OOV_ID

    t = report.trace
    profile = report.profile.profile if report.profile is not None else None
    at = max(0, t.words - 1) if word is None else word
    parts: list[RenderableType] = [summary(report)]
    if report.left_out:
        parts.append(Text(report.left_out, style="bold yellow"))
    for name in views:
        parts.append(Rule(VIEWS[name], align="left", style="dim"))
        if name == "steps":
            height = 16 + min(t.words, HEATMAP_ROWS)
            parts.append(step_view(t.at(layer, direction), t.tokens, at, 0, 0, width, height, dark, t.ids == OOV_ID))
        elif name == "gradient":
            parts.append(gradient_view(t.tokens, report.connectivity, report.logit_shares, profile, width, cursor=at, dark=dark))
        elif name == "memory":
            parts.append(memory_view(t, profile, width))
        elif name == "axis":
            parts.append(axis_view(profile, report.path, width, 16, t.tokens, dark=dark))
        elif report.stream is not None:
            parts.append(stream_view(report.stream, width))
    return parts
