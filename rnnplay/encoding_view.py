"""The encoder at work on one text, as rows of (label, Rich text): Play's encoder panel and the REPL's
``:tokens`` both show these, so the two say the same thing in the same words.

Every row comes from ``Encoder.trace`` (the real standardizer run one operation at a time) and from the
model's settings; nothing here decides anything about the text. What a row cannot fit is elided with a
count, so a 10,000-word review costs a line, not a screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

from rich.text import Text

from rnnplay.printable import printable
from rnnplay.text import OOV_ID

if TYPE_CHECKING:
    from rnnplay.text import Encoding, Step, TextSettings

T = TypeVar("T")
Row = tuple[str, Text]
GAP = "  "  # between two items of a row (a comma could be part of a word before punctuation goes)
LABEL_WIDTH = len("punctuation")


def fitted(items: Sequence[T], budget: int, show: Callable[[T], Text], gap: str = GAP) -> Text:
    """``items``, each as ``show`` makes it, side by side while they fit in ``budget`` cells, then ``… +N more``
    (only the items shown are made: a long text has tens of thousands)."""
    line = Text()
    for index, item in enumerate(items):
        rest = len(items) - index - 1
        room = budget - line.cell_len - (len(gap) if index else 0) - (len(f"{gap}… +{rest:,} more") if rest else 0)
        if index:
            line.append(gap)
        shown = show(item)
        if shown.cell_len > room:
            return line.append(f"… +{len(items) - index:,} more", style="dim")
        line.append_text(shown)
    return line


def elided_numbers(numbers: Sequence[int], budget: int) -> Text:
    """``[89 707 9 … 378]``: the vector with as many leading numbers as fit, and always its last one."""
    whole = "[" + " ".join(str(n) for n in numbers) + "]"
    if len(whole) <= budget or len(numbers) < 3:
        return Text(whole)
    tail = f" … {numbers[-1]}]"
    head = "["
    for number in numbers[:-1]:
        candidate = head + ("" if head == "[" else " ") + str(number)
        if len(candidate) + len(tail) > budget and head != "[":
            break
        head = candidate
    return Text(head + tail)


def padded_numbers(numbers: Sequence[int], zeros: int, budget: int) -> Text:
    """``[89 707 … 378 0 0 … 0]``: the vector followed by ``zeros`` padding zeros."""
    tail = " 0 … 0]" if zeros > 2 else " 0" * zeros + "]"
    if not numbers:
        return Text("[" + tail[1:])
    return Text(elided_numbers(numbers, budget - len(tail) + 1).plain[:-1] + tail)


def change_text(change: tuple[tuple[str, str], int]) -> Text:
    """``Don't → don't ×2``."""
    (was, became), times = change
    return Text.assemble(printable(was), (" → ", "dim"), printable(became) if became else ("(gone)", "dim"),
                         (f" ×{times:,}" if times > 1 else "", "dim"))


def step_row(step: Step, budget: int, full: bool) -> Row | None:
    """What one standardization step changed, each change once with how often it happened (None when the step
    changed nothing and only changes are asked for)."""
    if step.changes:
        counts: dict[tuple[str, str], int] = {}
        for change in step.changes:  # in order of first appearance
            counts[change] = counts.get(change, 0) + 1
        return step.name, fitted(list(counts.items()), budget, change_text)
    return (step.name, Text(f"nothing to change ({step.operation.rule})", style="dim")) if full else None


def kept_words(settings: TextSettings) -> str:
    """``the last 300``: the part of a long text a model reads."""
    return f"the {'first' if settings.truncate == 'start' else 'last'} {settings.max_length:,}"


def truncation_row(encoding: Encoding, settings: TextSettings, budget: int, full: bool) -> Row | None:
    """Which words ``max_length`` dropped, named while they fit."""
    count, limit = len(encoding.tokens), settings.max_length
    if encoding.dropped:
        head = Text(f"{len(encoding.dropped):,} of {count:,} dropped ({kept_words(settings)} kept): ")
        return "truncate", head + fitted(encoding.dropped, budget - head.cell_len, lambda word: Text(printable(word)), " ")
    if not full:
        return None
    if limit is None:
        return "truncate", Text("no max_length: every token is read", style="dim")
    return "truncate", Text(f"{count:,} ≤ max_length {limit:,}: nothing dropped", style="dim")


def padding(encoding: Encoding, settings: TextSettings) -> int:
    """The zeros a Keras batch adds after this text: it pads every text to ``max_length`` (0 without one)."""
    return 0 if settings.max_length is None else settings.max_length - len(encoding.ids)


def encoding_rows(encoding: Encoding, settings: TextSettings, mask_zero: bool, width: int, lines: int = 1,
                  full: bool = False) -> list[Row]:
    """One row per stage from text to ids: the standardization steps, the split, truncation, the ids the model
    reads, their padding in a Keras batch, and the mask. Each row fits ``width`` × ``lines`` cells; ``full``
    adds the stages that changed nothing and the padded vector (a short form lists only what happened)."""
    budget = max(20, width * lines - 2 * (lines - 1))  # word wrapping loses a little at each line's end
    rows = [row for step in encoding.steps if (row := step_row(step, budget, full))]
    count = len(encoding.tokens)
    if full:
        rows.append(("split", Text(f"{count:,} token{'s' if count != 1 else ''}, split at spaces, tabs and line breaks",
                                   style="dim")))
    if truncated := truncation_row(encoding, settings, budget, full):
        rows.append(truncated)
    ids = encoding.ids.tolist()
    if not ids:
        rows.append(("ids", Text("[]  no token: nothing for the model to read", style="dim")))
        return finished(rows, lines)
    shape = Text(f"  1 × {len(ids):,}, unpadded: what the model reads", style="dim")
    rows.append(("ids", elided_numbers(ids, budget - shape.cell_len) + shape))
    zeros = padding(encoding, settings)
    if full and settings.max_length is not None:
        note = Text(f"  in a Keras batch: {zeros:,} zeros up to max_length {settings.max_length:,}" if zeros else
                    f"  in a Keras batch: already max_length {settings.max_length:,} long", style="dim")
        rows.append(("padded", padded_numbers(ids, zeros, budget - note.cell_len) + note))
    elif full:
        rows.append(("padded", Text("in a Keras batch: zeros up to the batch's longest text", style="dim")))
    rows.append(("mask", mask_text(len(ids), zeros, mask_zero, full)))
    return finished(rows, lines)


def finished(rows: list[Row], lines: int) -> list[Row]:
    """The rows, each kept to one line (cut with an ellipsis) when one line is all a row may take."""
    if lines == 1:
        for _, text in rows:
            text.no_wrap, text.overflow = True, "ellipsis"
    return rows


def mask_text(read: int, zeros: int, mask_zero: bool, full: bool) -> Text:
    """Which positions the recurrent layers read: with ``mask_zero``, every id but the padding 0."""
    if not mask_zero:
        return Text.assemble("none (mask_zero off): ", ("a Keras batch's padding zeros would be read as words; "
                                                         "rnnplay never pads one text", "dim"))
    text = Text(f"all {read:,} read" + (f"; a Keras batch's {zeros:,} padding zeros are skipped" if zeros else ""))
    return text.append(f" (mask_zero{'; only 0 is skipped, [UNK] = ' + str(OOV_ID) + ' is read' if full else ''})",
                       style="dim")
