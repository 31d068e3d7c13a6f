"""Hypothesis strategies for hostile REPL input: any text, and ``:command args`` lines built from the real commands."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from rnnplay.repl.commands import BY_NAME

# Words and numbers the commands take, and what breaks parsers: other scripts' digits, huge numbers, quotes, "~".
ARGUMENT_PIECES = ["good", "bad", "great", "actor", "man", "woman", "___", "imdb-bilstm", "imdb-cbow", "saved/imdb-cbow",
                   "/", ".", "..", "~", "~root", "0", "1", "10", "1000", "1001", "-1", "+5", "5.0", "1e3", "³", "٣", "𝟑",
                   "Ⅻ", "9" * 5000, '"', "'", '"--name', "\\", "--help", "--exclude-context", ":", "::", ":nn", "\x1b[31m", "\u202e", "\t",
                   "\u3000"]
NAMES = sorted(name for name in BY_NAME if BY_NAME[name].name not in ("train", "cbow"))  # those two train with TensorFlow
TRAINS = re.compile(rb"\s*:(train|cbow)\b", re.IGNORECASE)


def hostile_characters() -> st.SearchStrategy[str]:
    """Any code point: controls, NUL, lone surrogates, digits of every script, bidirectional overrides."""
    return st.characters(exclude_categories=())


def argument_strings() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(ARGUMENT_PIECES), st.text(hostile_characters(), max_size=12),
                      st.integers(-10**30, 10**30).map(str))
    return st.lists(piece, max_size=6).map(" ".join) | st.text(hostile_characters(), max_size=40)


def command_lines() -> st.SearchStrategy[str]:
    """``:name args`` for every command but :train and :cbow, in any case, with any arguments."""
    name = st.sampled_from(NAMES).flatmap(lambda n: st.sampled_from([n, n.upper(), n.capitalize()]))
    return st.builds(lambda n, gap, args: f":{n}{gap}{args}", name, st.sampled_from([" ", "  ", "\t", ""]), argument_strings())


def input_lines() -> st.SearchStrategy[bytes]:
    """One line of a pipe, without its newline: any bytes (NUL, invalid UTF-8, CR), any text, any command."""
    as_bytes = lambda text: text.encode("utf-8", "surrogatepass")
    line = st.one_of(st.binary(max_size=60), st.text(hostile_characters(), max_size=60).map(as_bytes),
                     command_lines().map(as_bytes), st.sampled_from([b"", b"   ", b"\r", b":q", b"a wonderful film"]))
    return line.map(lambda raw: raw.replace(b"\n", b" ")).filter(lambda raw: not TRAINS.match(raw))
