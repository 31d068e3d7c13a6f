from __future__ import annotations

import io

from rnnplay.lines import line_batches


def flat(data: bytes, **kwargs):
    return [line for batch in line_batches(io.BufferedReader(io.BytesIO(data)), **kwargs) for line in batch]


def test_one_line_per_input_line_including_blank_and_last_without_newline():
    lines = flat(b"good\r\n\n   \nbad")
    assert [(line.number, line.kind, line.text) for line in lines] == [(1, "text", "good"), (2, "blank", ""), (3, "blank", ""), (4, "text", "bad")]


def test_bad_bytes_become_error_lines_and_reading_goes_on():
    lines = flat(b"ok\nbad \xff byte\nnul\x00here\nok again\n")
    assert [line.kind for line in lines] == ["text", "error", "error", "text"]
    assert "invalid UTF-8 (byte 0xff at byte 5)" in lines[1].problem
    assert "NUL" in lines[2].problem


def test_an_overlong_line_is_skipped_without_being_kept():
    lines = flat(b"short\n" + b"x" * 300_000 + b"\nafter\n" + b"y" * 200_000, max_bytes=100_000)
    assert [line.kind for line in lines] == ["text", "error", "text", "error"]
    assert "longer than 100,000 bytes" in lines[1].problem


def test_batches_are_bounded():
    sizes = [len(b) for b in line_batches(io.BufferedReader(io.BytesIO(b"a\n" * 1000)), batch_size=64)]
    assert max(sizes) <= 64 and sum(sizes) == 1000


def test_a_batch_ends_once_its_lines_hold_batch_bytes():
    sizes = [len(b) for b in line_batches(io.BufferedReader(io.BytesIO(b"0123456789\n" * 100)), batch_size=64, batch_bytes=35)]
    assert sizes == [4] * 25  # 4 lines of 10 bytes reach 35


def test_byte_order_mark_is_dropped():
    assert flat("\ufeffgood\n".encode())[0].text == "good"


# --- hostile input: any bytes, any chunking, any limits ----------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class Trickle(io.RawIOBase):
    """A stream that hands out its bytes in the given chunk sizes, as a slow pipe does."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.at = data, sizes or [1], 0

    def readable(self) -> bool:
        return True

    def read1(self, n: int = -1) -> bytes:
        size = self.sizes[self.at % len(self.sizes)]
        size = min(size, n) if n > 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        self.at += 1
        return chunk


def input_lines(data: bytes) -> list[bytes]:
    """What a person counts as lines: split at newlines, the last one counted even without its newline."""
    lines = data.split(b"\n")
    return lines[:-1] if lines[-1] == b"" else lines


lines_bytes = st.lists(st.one_of(st.binary(max_size=40), st.sampled_from([b"", b"\r", b" ", b"\xef\xbb\xbfok", b"ok\x00", b"\xff", "é".encode()])),
                       max_size=30).map(lambda parts: b"\n".join(parts))


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(lines_bytes, st.binary(max_size=300)), batch_size=st.integers(1, 8), max_bytes=st.integers(0, 50),
       batch_bytes=st.integers(1, 80), sizes=st.lists(st.integers(1, 70), min_size=1, max_size=5))
def test_any_bytes_give_exactly_one_line_per_input_line_in_order(data, batch_size, max_bytes, batch_bytes, sizes):
    batches = list(line_batches(Trickle(data, sizes), batch_size=batch_size, max_bytes=max_bytes, batch_bytes=batch_bytes))
    expected = input_lines(data)
    lines = [line for batch in batches for line in batch]
    assert [line.number for line in lines] == list(range(1, len(expected) + 1))
    assert all(1 <= len(batch) <= batch_size for batch in batches)
    for line, raw in zip(lines, expected):
        assert (line.kind, line.text) == expected_line(line.number, raw, max_bytes), (line, raw)
    for batch in batches:  # the lines kept before a batch's last one hold less than batch_bytes
        assert sum(held(expected[line.number - 1], max_bytes) for line in batch[:-1]) < batch_bytes


def held(raw: bytes, max_bytes: int) -> int:
    """The bytes a batch keeps for a line: none for one skipped as too long."""
    return len(raw) if len(raw) <= max_bytes else 0


def expected_line(number: int, raw: bytes, max_bytes: int) -> tuple[str, str]:
    """The kind and text a line must get, worked out independently of ``decode``."""
    if len(raw) > max_bytes:
        return "error", ""
    raw = raw[:-1] if raw.endswith(b"\r") else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "error", ""
    if "\x00" in text:
        return "error", ""
    text = text[1:] if number == 1 and text.startswith("\ufeff") else text
    return ("text", text) if text.strip() else ("blank", "")


@settings(max_examples=100, deadline=None)
@given(data=lines_bytes, sizes=st.lists(st.integers(1, 70), min_size=1, max_size=5))
def test_chunking_never_changes_the_lines(data, sizes):
    """A pipe that delivers a byte at a time gives the same lines as a file read at once."""
    whole = flat(data, max_bytes=30)
    trickled = [line for batch in line_batches(Trickle(data, sizes), max_bytes=30) for line in batch]
    assert trickled == whole
