from __future__ import annotations

import io

from rnnplay.lines import line_batches


def flat(data: bytes, **kwargs):
    return [line for batch in line_batches(io.BufferedReader(io.BytesIO(data)), **kwargs) for line in batch]


def test_one_line_per_input_line_including_blank_and_last_without_newline():
    lines = flat(b"good\r\n\n   \nbad")
    assert [(l.number, l.kind, l.text) for l in lines] == [(1, "text", "good"), (2, "blank", ""), (3, "blank", ""), (4, "text", "bad")]


def test_bad_bytes_become_error_lines_and_reading_goes_on():
    lines = flat(b"ok\nbad \xff byte\nnul\x00here\nok again\n")
    assert [l.kind for l in lines] == ["text", "error", "error", "text"]
    assert "invalid UTF-8 (byte 0xff at byte 5)" in lines[1].problem
    assert "NUL" in lines[2].problem


def test_an_overlong_line_is_skipped_without_being_kept():
    lines = flat(b"short\n" + b"x" * 300_000 + b"\nafter\n" + b"y" * 200_000, max_bytes=100_000)
    assert [l.kind for l in lines] == ["text", "error", "text", "error"]
    assert "longer than 100,000 bytes" in lines[1].problem


def test_batches_are_bounded():
    sizes = [len(b) for b in line_batches(io.BufferedReader(io.BytesIO(b"a\n" * 1000)), batch_size=64)]
    assert max(sizes) <= 64 and sum(sizes) == 1000


def test_byte_order_mark_is_dropped():
    assert flat("\ufeffgood\n".encode())[0].text == "good"
