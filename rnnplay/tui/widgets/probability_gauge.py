"""P(positive) as a one-line gauge, so which side of the 0.5 threshold a text falls on reads at a glance."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from rnnplay.render import bar, share_colour
from rnnplay.tui.shared import dark_background, follow_theme

LABEL = "P(positive) "
THRESHOLD_MARK = "┊"  # where the label flips from negative to positive


class ProbabilityGauge(Widget):
    """A bar filled to P(positive), a mark at 0.5, the number and the label (``None``: nothing to show)."""

    probability: reactive[float | None] = reactive(None)
    label: reactive[str] = reactive("")

    def on_mount(self) -> None:
        follow_theme(self, self.refresh)

    def show(self, probability: float | None, label: str = "") -> None:
        self.probability, self.label = probability, label

    def render(self) -> Text:
        width = max(10, self.size.width - len(LABEL) - len(" 0.000 positive"))
        text = Text(LABEL, style="bold")
        probability = self.probability
        filled = "" if probability is None else bar(probability, width)
        rest = [" "] * (width - len(filled))
        middle = width // 2 - len(filled)
        if 0 <= middle < len(rest):
            rest[middle] = THRESHOLD_MARK
        colour = share_colour(probability - 0.5, dark_background(self)) if probability is not None else "grey50"
        text.append(filled, style=colour)
        text.append("".join(rest), style="dim")
        if probability is None:
            text.append("   —", style="dim")
        else:
            text.append(f" {probability:.3f} ")
            text.append(self.label, style=f"bold {colour}")
        return text
