"""Text from files, made safe to print on a terminal.

A model folder's name, a card's fields, a vocabulary token, a word2vec word or a path can hold
control characters. Printed raw, an escape sequence can retitle the terminal, change its colours or
hide what follows, and a newline breaks the one-line promise of every message and table row. Every
front end passes such text through ``printable`` before it reaches the terminal; the characters
stay visible as escapes (``\\x1b``), so nothing is silently lost.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the line and paragraph separators, the bidirectional overrides and isolates
# (which reorder what follows them on screen), the BOM, and lone surrogates (no stream can encode one:
# they stand for the undecodable bytes of a file name or an input line, ``surrogateescape``).
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff{_SURROGATES}]")
_SURROGATE = re.compile(f"[{_SURROGATES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte ``surrogateescape`` kept
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` as a string with every control character written as an escape (``\\n``, ``\\x1b``), and the
    undecodable bytes of a name as ``\\xNN``: safe to print on a terminal and to encode as UTF-8."""
    return _UNSAFE.sub(_escape, str(text))


def is_printable(text: str) -> bool:
    """True when ``printable`` would leave ``text`` unchanged."""
    return _UNSAFE.search(text) is None


def surrogate_safe(text: str) -> str:
    """A string that encodes as UTF-8, escaping only its lone surrogates as ``printable`` does (for data such as
    JSON, where control characters are the format's own business)."""
    return _SURROGATE.sub(_escape, text)


def excerpt(data: bytes | str, width: int = 40) -> str:
    """A short quoted sample of file content for a message, never the whole of it (a line can be 50 MB).

    Bytes are decoded as UTF-8 with replacement; ``repr`` quotes and escapes, ``…`` marks a cut.
    """
    if isinstance(data, bytes):
        head = data[: 4 * width + 4]
        text, cut = head.decode("utf-8", "replace"), len(data) > len(head)
    else:
        text, cut = data[: width + 1], len(data) > width + 1
    cut = cut or len(text) > width
    return printable(repr(text[:width])) + ("…" if cut else "")
