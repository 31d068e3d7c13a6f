"""The text's words coloured by their share of the prediction (occlusion), so a reader sees who pushed where.

Shares are shown on one of two scales, switched by a key: the drop in P(positive) when the word is left
out, or the drop in its logit. On a confident text P cannot move much (it is near 1 already), so every
probability share is tiny and nothing is coloured; the logit scale still separates the words that matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import share_colour, shares_text, word_shares
from rnnplay.tui.shared import dark_background, follow_theme

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

LEGEND = "green: towards positive · red: towards negative · struck: unknown"
MOVERS = 3  # strongest words named under the text, each way
TITLES = {False: "Words: share of P(positive)", True: "Words: share of the logit"}
SCALE_KEYS = {False: "Ctrl+F: logit scale", True: "Ctrl+F: P scale"}
MEANINGS = {False: "share = P(text) − P(text without the word)",
            True: "share = logit P(text) − logit P(text without the word); logit P = log(P / (1 − P))"}
DIGITS = {False: 3, True: 2}  # decimals shown on each scale; a share that rounds to 0 is not listed


@dataclass(frozen=True)
class Mover:
    """One known word of the text, all its occurrences together."""

    token: str
    share: float  # the sum of its occurrences' shares (each occurrence left out on its own)
    count: int


def grouped(explanation: Explanation, logit: bool) -> tuple[list[Mover], Mover | None]:
    """Known words grouped by spelling, in order of first appearance, and the unknown words together
    (``None`` when the text has none): an unknown word is read as [UNK], whatever its spelling."""
    shares, _ = word_shares(explanation, logit)
    known: dict[str, list[float]] = {}
    unknown: list[float] = []
    for token, share, oov in zip(explanation.tokens, shares.tolist(), explanation.oov.tolist()):
        if oov:
            unknown.append(share)
        else:
            known.setdefault(token, []).append(share)
    movers = [Mover(token, sum(values), len(values)) for token, values in known.items()]
    return movers, (Mover("[UNK]", sum(unknown), len(unknown)) if unknown else None)


def ranked(explanation: Explanation, logit: bool = False) -> tuple[list[Mover], list[Mover], Mover | None]:
    """The known words that raised P most and lowered it most (``MOVERS`` each, strongest first), and the
    unknown words together; shares that round to zero at the shown precision are left out."""
    digits = DIGITS[logit]
    movers, unknown = grouped(explanation, logit)
    movers = [m for m in movers if round(m.share, digits) != 0]
    up = sorted((m for m in movers if m.share > 0), key=lambda m: -m.share)[:MOVERS]
    down = sorted((m for m in movers if m.share < 0), key=lambda m: m.share)[:MOVERS]
    if unknown is not None and round(unknown.share, digits) == 0:
        unknown = None
    return up, down, unknown


class TokenShares(Static):
    """Each word in the colour of its share; the strongest movers named with their numbers."""

    def on_mount(self) -> None:
        self.logit = False
        self.explanation: Explanation | None = None
        self.skipped = ""
        self.show(None)
        follow_theme(self, lambda: self.show(self.explanation, None, self.skipped))

    def show(self, explanation: Explanation | None, logit: bool | None = None, skipped: str = "") -> None:
        """Show ``explanation`` on the logit scale when ``logit`` (``None``: the scale as before); with no
        explanation, ``skipped`` says why there are no shares (if not the obvious)."""
        if logit is not None:
            self.logit = logit
        self.explanation, self.skipped = explanation, skipped
        self.border_title = TITLES[self.logit]
        self.border_subtitle = f"{SCALE_KEYS[self.logit]} · {LEGEND}"
        self.coloured = Text() if explanation is None else shares_text(explanation, self.logit, dark_background(self))  # the words as shown
        if explanation is None:
            self.update(Text(sentence(skipped) + "." if skipped else
                             "The words of your text appear here, coloured by how they moved the prediction.", style="dim"))
            return
        self.update(Group(self.coloured, movers(explanation, self.logit, dark_background(self)), Text(MEANINGS[self.logit], style="dim")))


def sentence(note: str) -> str:
    return note[:1].upper() + note[1:]


def movers(explanation: Explanation, logit: bool = False, dark: bool | None = None) -> Text:
    """``up wonderful +0.316  great ×2 +0.120   down awful −0.204``, and on a second line, when there is
    anything to say, ``unknown words, not ranked: [UNK] ×2 together −0.013``.

    A repeated word is listed once, with ×n and the sum of its occurrences' shares.
    """
    up, down, unknown = ranked(explanation, logit)
    digits, (_, full) = DIGITS[logit], word_shares(explanation, logit)
    text = Text(no_wrap=True, overflow="ellipsis")  # one line, however many words; only the labels are dim,
    # so the coloured words keep their contrast on both themes

    def entry(mover: Mover, name: str, together: str = "") -> Text:
        times = f" ×{mover.count}" if mover.count > 1 else ""
        return Text(f"{name}{times}{together} {mover.share:+.{digits}f}", style=share_colour(mover.share, dark, full=full))

    for title, group in (("up ", up), ("down ", down)):
        if group:
            text.append(title if not text else "   " + title, style="dim")
            text.append_text(Text("  ").join(entry(m, printable(m.token)) for m in group))
    if not text:
        text.append("no known word moved it by more than rounding", style="dim")
    notes = Text(no_wrap=True, overflow="ellipsis")  # a second line, so the ranking's line is never cut for them
    if unknown is not None:
        notes.append("unknown words, not ranked: ", style="dim")
        notes.append_text(entry(unknown, "[UNK]", " together" if unknown.count > 1 else ""))
    if any(m.count > 1 for m in up + down):
        notes.append(("   " if notes else "") + "×n: the shares of its n occurrences summed", style="dim")
    if explanation.dropped:
        notes.append(("   " if notes else "") + f"{explanation.dropped:,} words past the model's max_length were not read",
                     style="dim")
    return Text("\n").join([text, notes]) if notes else text
