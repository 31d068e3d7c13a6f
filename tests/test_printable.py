"""Text from files made safe to print: every unsafe character an escape, nothing else touched."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rnnplay.printable import excerpt, is_printable, printable, surrogate_safe


def test_each_kind_of_unsafe_character_becomes_its_escape():
    assert printable("a\x1b]0;pwned\x07b") == "a\\x1b]0;pwned\\x07b"
    assert printable("two\nlines\r\x7f\x9b") == "two\\x0alines\\x0d\\x7f\\x9b"
    assert printable("rtl\u202eevil\u2066\ufeff\u2028") == "rtl\\u202eevil\\u2066\\ufeff\\u2028"
    assert printable("caf\udce9") == "caf\\xe9"  # an undecodable byte of a file name, as surrogateescape keeps it
    assert printable("\ud800") == "\\ud800"  # a lone surrogate no byte stands for
    assert printable("café 日本 don’t ×") == "café 日本 don’t ×"  # everything else is left as it is


def test_surrogate_safe_escapes_surrogates_only():
    assert surrogate_safe("a\x1b\tb\udcff\ud800") == "a\x1b\tb\\xff\\ud800"


# Any character, with the unsafe kinds drawn often: controls, lone surrogates, separators and overrides.
CHARACTERS = (st.characters(exclude_categories=[]) | st.characters(max_codepoint=0x9F)
              | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from("\u2028\u202e\u2066\ufeff"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=CHARACTERS))
def test_any_text_prints_on_one_line_encodes_and_is_left_alone_once_safe(text):
    shown = printable(text)
    assert is_printable(shown) and "\n" not in shown
    shown.encode("utf-8")  # no lone surrogate is left
    assert printable(shown) == shown
    assert (shown == text) == is_printable(text)


@given(st.binary(max_size=400) | st.text(max_size=400))
def test_an_excerpt_is_short_quoted_and_printable(data):
    shown = excerpt(data)
    assert is_printable(shown) and len(shown) <= 2 + 40 * 10 + 1  # 40 characters, each escaped at most 10 wide
