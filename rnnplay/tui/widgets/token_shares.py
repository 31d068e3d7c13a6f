"""The text's words coloured by their share of the prediction (occlusion), so a reader sees who pushed where."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import share_colour, shares_text

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

LEGEND = "green: towards positive · red: towards negative · struck: unknown word"
MOVERS = 3  # strongest words named under the text, each way


class TokenShares(Static):
    """Each word in the colour of P(text) − P(text without it); the strongest movers named with their numbers."""

    def on_mount(self) -> None:
        self.border_title = "Words (share of the prediction)"
        self.border_subtitle = LEGEND
        self.show(None)

    def show(self, explanation: Explanation | None) -> None:
        self.coloured = Text() if explanation is None else shares_text(explanation)  # the words as shown
        if explanation is None:
            self.update(Text("The words of your text appear here, coloured by how they moved the prediction.", style="dim"))
            return
        self.update(Group(self.coloured, movers(explanation)))


def movers(explanation: Explanation) -> Text:
    """``up: wonderful +0.316  down: film −0.004``: the words whose removal changes P the most."""
    ranked = sorted(zip(explanation.shares.tolist(), explanation.tokens), reverse=True)
    up = [(share, token) for share, token in ranked[:MOVERS] if share > 0]
    down = [(share, token) for share, token in ranked[::-1][:MOVERS] if share < 0]
    text = Text(style="dim", no_wrap=True, overflow="ellipsis")  # one line, however many words
    for title, group in (("up ", up), ("down ", down)):
        if group:
            text.append(title if not text else "   " + title)
            text.append_text(Text("  ").join(Text(f"{printable(token)} {share:+.3f}", style=share_colour(share)) for share, token in group))
    if explanation.dropped:
        text.append(f"   ({explanation.dropped:,} words past the model's max_length were not read)")
    return text
