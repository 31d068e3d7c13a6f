"""Two texts side by side: both predictions, and the words where they differ, each with its share in its
own text, so "not good at all" against "good" shows what "not" did.

The texts are compared token by token (``difflib``), after the encoder's standardization, so the
differences are the ones the model sees.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.render import bar, share_colour, word_shares
from rnnplay.tui.shared import dark_background, follow_theme

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation

MAX_DIFFERENCES = 6  # lines of differing words shown; the rest are counted
BAR_WIDTH = 12
DIGITS = {False: 3, True: 2}


class TextCompare(Static):
    """The main text (A) against the compare line (B)."""

    def on_mount(self) -> None:
        self.border_title = "Compare (A: the text above · B: the compare line)"
        self.border_subtitle = "Ctrl+B: hide"
        self.show(None, None)
        follow_theme(self, lambda: self.show(self.first, self.second, self.logit, self.notes))

    def show(self, first: Explanation | None, second: Explanation | None, logit: bool = False,
             notes: tuple[str, str] = ("", "")) -> None:
        """Compare ``first`` and ``second`` (``None``: that text has no explanation; ``notes`` say why, or give
        its probability)."""
        self.first, self.second, self.logit, self.notes = first, second, logit, notes
        dark = dark_background(self)
        lines = [verdict_line("A", first, notes[0], dark), verdict_line("B", second, notes[1], dark)]
        if first is not None and second is not None:
            delta = second.probability - first.probability
            line = Text.assemble(("B − A ", "dim"))  # a dim base style would dim the coloured number too
            line.append(f"{delta:+.3f}", style=share_colour(delta, dark))
            line.append(f" in P(positive) · {second.logit - first.logit:+.2f} in its logit", style="dim")
            lines.append(line)
            lines.extend(differences(first, second, logit, dark))
        elif not any(notes):
            lines.append(Text("Type a second text on the compare line to see where the two differ.", style="dim"))
        self.update(Group(*lines))


def verdict_line(name: str, explanation: Explanation | None, note: str, dark: bool | None = None) -> Text:
    """``A  positive 0.857 ████████▍   a wonderful film``."""
    text = Text.assemble((f"{name} ", "bold"))
    if explanation is None:
        text.append(note or "—", style="dim")
        return text
    colour = share_colour(explanation.probability - 0.5, dark)
    text.append(f"{explanation.label:8} {explanation.probability:.3f} ", style=f"bold {colour}")
    filled = bar(explanation.probability, BAR_WIDTH)
    text.append(filled.ljust(BAR_WIDTH), style=colour)
    text.append("  " + printable(" ".join(explanation.tokens)), style="dim")
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def differences(first: Explanation, second: Explanation, logit: bool, dark: bool | None = None) -> list[Text]:
    """One line per run of words that differ: ``A: not +0.447  →  B: —``, each word with its share in its
    own text (on the shown scale); a word the two texts share is not listed."""
    first_shares, full = word_shares(first, logit)
    second_shares, _ = word_shares(second, logit)
    digits = DIGITS[logit]

    def words(explanation: Explanation, shares, start: int, end: int) -> Text:
        if start == end:
            return Text("—", style="dim")
        return Text(" ").join(Text(f"{printable(explanation.tokens[i])}{'?' if explanation.oov[i] else ''} "
                                   f"{float(shares[i]):+.{digits}f}", style=share_colour(float(shares[i]), dark, full=full))
                              for i in range(start, end))

    matcher = difflib.SequenceMatcher(a=first.tokens, b=second.tokens, autojunk=False)
    runs = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not runs:
        return [Text("Both texts read the same words (after standardizing).", style="dim")]
    scale = "logit shares" if logit else "P shares"
    lines = [Text(f"where they differ ({scale}, each in its own text; ? unknown word):", style="dim")]
    for _, a_start, a_end, b_start, b_end in runs[:MAX_DIFFERENCES]:
        line = Text.assemble(("  A: ", "dim"))
        line.append_text(words(first, first_shares, a_start, a_end))
        line.append("   B: ", style="dim")
        line.append_text(words(second, second_shares, b_start, b_end))
        line.no_wrap, line.overflow = True, "ellipsis"
        lines.append(line)
    if len(runs) > MAX_DIFFERENCES:
        lines.append(Text(f"  … {len(runs) - MAX_DIFFERENCES} more", style="dim"))
    return lines
