"""A user's own lines for the tiny CBOW trainer: bounded, printable, one clear error each."""

from __future__ import annotations

from pathlib import Path

import pytest

from rnnplay.errors import RnnplayError, UsageError
from rnnplay.limits import MAX_TINY_LINE_BYTES, MAX_TINY_LINES
from rnnplay.tiny_lines import read_tiny_lines


def test_blank_lines_are_skipped_and_a_bom_and_crlf_dropped(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes(b"\xef\xbb\xbfeat apple\r\n\n   \ndrink juice\n")
    assert read_tiny_lines(path) == ["eat apple", "drink juice"]


@pytest.mark.parametrize("content, error, message", [
    (b"eat apple\n" + b"x" * (MAX_TINY_LINE_BYTES + 1) + b"\n", RnnplayError, "line 2: longer than 1,000 bytes"),
    (b"eat \xff apple\n", RnnplayError, "line 1: invalid UTF-8"),
    (b"eat\x00apple\n", RnnplayError, "line 1: contains a NUL byte"),
    (b"eat apple\ndrink \x1b]0;title\x07juice\n", RnnplayError, "line 2: holds control characters"),
    (b"\n\n", UsageError, "has no lines of words"),
    (b"a b\n" * (MAX_TINY_LINES + 1), UsageError, f"more than {MAX_TINY_LINES} lines"),
])
def test_bad_files_are_one_clear_error(tmp_path: Path, content: bytes, error: type, message: str) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes(content)
    with pytest.raises(error, match=message) as caught:
        read_tiny_lines(path)
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)


def test_a_huge_file_is_not_read_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"a b\n" * 2_000_000)  # 8 MB
    with pytest.raises(UsageError, match="more than"):
        read_tiny_lines(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_tiny_lines(tmp_path / "gone.txt")
    with pytest.raises(UsageError, match="is a folder"):
        read_tiny_lines(tmp_path)
