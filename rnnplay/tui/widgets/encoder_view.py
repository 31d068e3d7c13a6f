"""The encoder at work on the text: each standardization step and the words it changed, which words
truncation dropped, the ids the model reads, their padding and the mask (``encoding_view``), then, as the
TensorFlow tutorial prints it, the round trip back to words ([UNK] where a word is not in the vocabulary)
and the head of ``encoder.get_vocabulary()``.

At 80×24 the panel keeps to one line a row and lists only the steps that changed something; from 100×30 it
also shows the steps that had nothing to do, the split and the padded vector, and lets rows wrap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rnnplay.encoding_view import LABEL_WIDTH, encoding_rows, fitted
from rnnplay.printable import printable
from rnnplay.text import OOV_ID

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier
    from rnnplay.runtime.explain import Explanation
    from rnnplay.text import Encoding, TextSettings

MOST_SHOWN = 20
FULL_SIZE = (100, 28)  # from this terminal size on (columns, rows), the long form
TALL_ROWS = 40  # from this many terminal rows on, a row may wrap to more lines


def vocabulary_head(vocabulary: list[str], width: int) -> str:
    """``encoder.get_vocabulary()[:n] = ['', '[UNK]', 'the', …]`` with as many tokens as fit on one line."""
    line = ""
    for n in range(3, min(MOST_SHOWN, len(vocabulary)) + 1):
        candidate = f"encoder.get_vocabulary()[:{n}] = [{', '.join(repr(t) for t in vocabulary[:n])}, …]"
        if len(candidate) > width and line:
            break
        line = candidate
    return line


def settings_line(settings: TextSettings, vocabulary_size: int) -> str:
    """How raw text becomes tokens for a model, in words (the Models tab shows it for every card too)."""
    steps = [settings.standardize.replace("_", " ")]
    if settings.strip_markup:
        steps.append("<br /> removed")
    if settings.max_length:
        steps.append(f"first {settings.max_length} tokens kept" if settings.truncate == "start"
                     else f"last {settings.max_length} tokens kept")
    return f"{vocabulary_size:,} tokens · " + " · ".join(steps)


def row_lines(columns: int, rows: int) -> int:
    """How many lines one row of the panel may take on a terminal this size (1: the short form)."""
    if columns < FULL_SIZE[0] or rows < FULL_SIZE[1]:
        return 1
    return 4 if rows >= TALL_ROWS else 2


class EncoderView(Static):
    """The text's way to token ids, the round trip, and the vocabulary the ids index."""

    def on_mount(self) -> None:
        self.border_title = "Encoder (text → token ids)"
        self._traced: tuple[str, object, Encoding] | None = None  # (text, encoder, its trace): resizes reuse it
        self.show(None, None)

    def on_resize(self) -> None:
        self.show(self.explanation, self.classifier, self.text)

    def remember(self, text: str, encoder: object, encoding: Encoding) -> None:
        """A trace computed elsewhere (Play's worker thread), so drawing it does not trace again."""
        self._traced = (text, encoder, encoding)

    def trace(self, text: str) -> Encoding | None:
        """The encoder's trace of ``text`` (None without a model or words), kept for the next redraw."""
        if self.classifier is None or not text.strip():
            return None
        encoder = self.classifier.encoder
        if self._traced is None or self._traced[0] != text or self._traced[1] is not encoder:
            self._traced = (text, encoder, encoder.trace(text))
        return self._traced[2]

    def show(self, explanation: Explanation | None, classifier: Classifier | None, text: str = "") -> None:
        """Show how ``classifier`` encodes ``text`` (``explanation``, its result on it, may be None: an error)."""
        self.explanation, self.classifier, self.text = explanation, classifier, text
        encoder = None if classifier is None else classifier.encoder
        width = max(20, self.content_size.width - LABEL_WIDTH - 1)
        lines = row_lines(*self.app.size)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        encoding = self.trace(text)
        rows: list[tuple[str, Text]] = []
        if encoding is not None and classifier is not None:
            rows += encoding_rows(encoding, classifier.encoder.settings, classifier.card.classifier.mask_zero,
                                  width, lines, full=lines > 1)
            rows.append(("round trip", round_trip(encoding, classifier.encoder.vocabulary, width, lines)))
        if encoder is not None:
            rows.append(("vocabulary", Text(vocabulary_head(encoder.vocabulary, width))))
        else:
            rows.append(("", Text("No model loaded.", style="dim")))
        self.border_subtitle = "" if encoder is None else settings_line(encoder.settings, len(encoder))
        self.rows = rows  # what the panel shows, row by row (tests read it)
        for label, row in rows:
            grid.add_row(label, row)
        self.update(grid)


def round_trip(encoding: Encoding, vocabulary: list[str], width: int, lines: int) -> Text:
    """The ids back to words: what the model can tell apart ([UNK] stands for every word it does not know)."""
    def word(token_id: int) -> Text:
        return Text(printable(vocabulary[token_id]), style="bold reverse" if token_id == OOV_ID else "")

    shown = fitted(encoding.ids.tolist(), width * lines - 2 * (lines - 1), word, " ")
    if lines == 1:
        shown.no_wrap, shown.overflow = True, "ellipsis"
    return shown
