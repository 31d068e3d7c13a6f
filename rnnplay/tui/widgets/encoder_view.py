"""The encoder's view of the text, as the TensorFlow tutorial prints it: the ids, the round trip back to
words ([UNK] where a word is not in the vocabulary) and the head of ``encoder.get_vocabulary()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rnnplay.printable import printable
from rnnplay.text import OOV_ID

if TYPE_CHECKING:
    from rnnplay.runtime.explain import Explanation
    from rnnplay.text import Encoder, TextSettings

LABEL_WIDTH = len("round trip ")
MOST_SHOWN = 20


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


class EncoderView(Static):
    """Token ids and the round trip for the current text, and the vocabulary the ids index."""

    def on_mount(self) -> None:
        self.border_title = "Encoder (text → token ids)"
        self.show(None, None)

    def on_resize(self) -> None:
        self.show(self.explanation, self.encoder)

    def show(self, explanation: Explanation | None, encoder: Encoder | None) -> None:
        self.explanation, self.encoder = explanation, encoder
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        if explanation is not None and encoder is not None:
            ids = [int(i) for i in explanation.ids]
            grid.add_row("ids", Text("[" + " ".join(str(i) for i in ids) + "]"))
            trip = Text()
            for index, token_id in enumerate(ids):
                if index:
                    trip.append(" ")
                trip.append(printable(encoder.vocabulary[token_id]), style="bold reverse" if token_id == OOV_ID else "")
            grid.add_row("round trip", trip)
        if encoder is not None:
            grid.add_row("vocabulary", Text(vocabulary_head(encoder.vocabulary, self.content_size.width - LABEL_WIDTH)))
        self.border_subtitle = "" if encoder is None else settings_line(encoder.settings, len(encoder))
        if encoder is None:
            grid.add_row("", Text("No model loaded.", style="dim"))
        self.update(grid)
