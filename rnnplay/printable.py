"""Text from files, made safe to print on a terminal.

A model folder's name, a card's fields, a vocabulary token, a word2vec word or a path can hold
control characters. Printed raw, an escape sequence can retitle the terminal, change its colours or
hide what follows, and a newline breaks the one-line promise of every message and table row. Every
front end passes such text through ``printable`` before it reaches the terminal; the characters
stay visible as escapes (``\\x1b``), so nothing is silently lost.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional overrides and
# isolates (which reorder what follows them on screen).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` as a string with every control character written as an escape (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(_escape, str(text))


def is_printable(text: str) -> bool:
    """True when ``printable`` would leave ``text`` unchanged."""
    return _UNSAFE.search(text) is None


def surrogate_safe(text: str) -> str:
    """A string that encodes as UTF-8: undecodable bytes of a file name (``surrogateescape``) as ``\\xNN``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
