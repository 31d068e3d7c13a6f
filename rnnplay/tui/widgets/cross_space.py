"""A strip under the Words tab's two columns: the same few words' cosine with the query in both spaces.

Each column ranks its own neighbours, so the two lists hold different words and their disagreement is
hard to see: the classifier's nearest words to "good" are "moves" and "710" while CBOW's are "decent"
and "bad". Reading one word's cosine in both spaces side by side shows it at a glance: "bad" is
+0.70 beside "good" in CBOW and −0.42 in the classifier. The words and cosines come from
``runtime.vectors.cosines_across``; this widget only lays them out in the width it has.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from rnnplay.printable import printable
from rnnplay.render import share_colour
from rnnplay.tui.shared import dark_background, follow_theme

MAX_LINES = 2  # the lists above lose a row per line; a wider layout is used only while it fits in this
SEPARATOR = " · "
HEADER_GAP = "  "


def signed(cosine: float) -> str:
    """``+0.70`` or ``−0.42``: a true minus is as wide as the plus, so the columns of signs line up."""
    return f"{cosine:+.2f}".replace("-", "\u2212")


def entry(word: str, cosines: Sequence[float], joiner: str, dark: bool | None = None) -> Text:
    """``bad +0.70 / −0.42``, each cosine green when positive and red when negative (in colours that read
    on a ``dark`` or light background)."""
    text = Text(printable(word) + " ", style="bold")
    for index, cosine in enumerate(cosines):
        if index:
            text.append(joiner)
        text.append(signed(cosine), style=share_colour(cosine, dark))
    return text


def layouts(word: str, labels: Sequence[str]) -> list[tuple[str, str]]:
    """Header and joiner of the cosines, most explicit first; narrower terminals take a terser one."""
    spaces = " / ".join(labels)
    return [(f"cosine with “{word}” · {spaces}:", " / "), (f"“{word}” · {spaces}:", "/")]


def pack(header: str, entries: Sequence[Text], width: int) -> list[Text]:
    """Lines of at most ``width`` cells: the dim header, then whole entries; an entry is never split."""
    lines = [Text.assemble((header, "dim"))]
    gap = HEADER_GAP
    for item in entries:
        if lines[-1].cell_len + len(gap) + item.cell_len > width:
            lines.append(Text())
        if lines[-1].plain:
            lines[-1].append(gap)
        lines[-1].append_text(item)
        gap = SEPARATOR
    return lines


class CrossSpace(Widget):
    """The query's cosine with each listed word in every space, or one dim line saying why there is none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.word = ""
        self.rows: list[tuple[str, list[float]]] = []
        self.labels: list[str] = []
        self.message = "cosine of the same words in both spaces: ask a word"

    def on_mount(self) -> None:
        follow_theme(self, self.refresh)  # the cosines' colours follow the background

    def show(self, word: str, rows: Sequence[tuple[str, Sequence[float]]], labels: Sequence[str]) -> None:
        """Lay out ``cosines_across``'s answer; ``labels`` name the spaces in the order of the cosines."""
        self.word, self.labels, self.message = word, list(labels), ""
        self.rows = [(key, list(cosines)) for key, cosines in rows]
        self.refresh(layout=True)

    def show_message(self, message: str) -> None:
        """One dim line instead of cosines (empty: a blank line, so the lists above keep their place)."""
        self.word, self.rows, self.labels, self.message = "", [], [], message
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        """The most explicit layout that fits in ``MAX_LINES`` at ``width``, else the tersest one."""
        if not self.rows:
            return [Text(self.message, style="dim")]
        for header, joiner in layouts(self.word, self.labels):
            lines = pack(header, [entry(word, cosines, joiner, dark_background(self)) for word, cosines in self.rows], width)
            if len(lines) <= MAX_LINES:
                break
        return lines

    @property
    def text(self) -> str:
        """What the strip says, on one line whatever the width (for tests and readers of the screen)."""
        return " ".join(line.plain for line in self.lines(10_000))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        # A message longer than the width (a very long word) ends in "…" rather than wrapping out of sight.
        return Text("\n", no_wrap=True, overflow="ellipsis").join(self.lines(self.content_size.width))
