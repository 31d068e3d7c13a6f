"""Read input lines in bounded batches, turning bad bytes into defined results instead of exceptions.

Lines are read from whatever the stream has ready (``read1``): a fast pipe yields big batches, a
person typing at a terminal yields each line as soon as it is entered. Memory stays bounded on
endless input: a batch holds at most ``batch_size`` lines of at most ``max_bytes`` each, and ends early
once its lines hold ``batch_bytes`` (so a large batch size times a large line limit never has to fit
in memory at once); a line longer than ``max_bytes`` is skipped through without being kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator, Literal

from rnnplay.limits import BATCH_BYTES

CHUNK = 1 << 16
MAX_LINE_BYTES = 1 << 20


@dataclass(frozen=True)
class Line:
    """One input line: text to classify, a blank line, or a line that cannot be read as text."""

    number: int  # 1-based, within its source
    kind: Literal["text", "blank", "error"]
    text: str = ""
    problem: str = ""


def decode(number: int, raw: bytes) -> Line:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if b"\x00" in raw:
        return Line(number, "error", problem=f"contains a NUL byte at byte {raw.index(0) + 1} (binary input?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Line(number, "error", problem=f"invalid UTF-8 (byte 0x{raw[error.start]:02x} at byte {error.start + 1})")
    if text.startswith("\ufeff") and number == 1:
        text = text[1:]  # a byte-order mark from a Windows editor
    if not text.strip():
        return Line(number, "blank")
    return Line(number, "text", text=text)


def line_batches(stream: BinaryIO, batch_size: int = 256, max_bytes: int = MAX_LINE_BYTES,
                 too_long: str | None = None, batch_bytes: int = BATCH_BYTES) -> Iterator[list[Line]]:
    """Yield lists of at most ``batch_size`` lines, each list as soon as its bytes have arrived.

    A line over ``max_bytes`` is an error line saying ``too_long`` (by default, in classify's terms).
    A list also ends once its lines hold ``batch_bytes`` bytes.
    """
    too_long = too_long or f"longer than {max_bytes:,} bytes (see --max-line-bytes)"
    pending = bytearray()
    overflowed = False
    number = 0
    held = 0  # bytes of the lines in the batch being filled
    read = getattr(stream, "read1", stream.read)

    def finish(raw: bytes) -> Line:
        nonlocal pending, overflowed, number, held
        number += 1
        if overflowed or len(pending) + len(raw) > max_bytes:
            line = Line(number, "error", problem=too_long)
        else:
            pending += raw
            held += len(pending)
            line = decode(number, bytes(pending))
        pending = bytearray()
        overflowed = False
        return line

    while chunk := read(CHUNK):
        batch: list[Line] = []
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            batch.append(finish(chunk[start:end]))
            start = end + 1
            if len(batch) == batch_size or held >= batch_bytes:
                yield batch
                batch, held = [], 0
        rest = chunk[start:]
        if not overflowed:
            if len(pending) + len(rest) > max_bytes:
                overflowed, pending = True, bytearray()
            else:
                pending += rest
        if batch:
            yield batch
            held = 0
    if pending or overflowed:
        yield [finish(b"")]
