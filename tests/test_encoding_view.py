"""The encoder's stages as rows: what each row says, that it keeps to its room, and that nothing a user typed
reaches the terminal raw."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from rnnplay.encoding_view import elided_numbers, encoding_rows, fitted, padded_numbers
from rnnplay.printable import is_printable
from rnnplay.text import OOV, PAD, Encoder, TextSettings
from tests.test_text import review_texts, text_settings

VOCABULARY = [PAD, OOV, "dont", "miss", "it", "i", "give", "710", "the", "plot", "was", "awful"]
REVIEW = "Don't miss it.<br /><br />I give it 7/10, the zorblax plot was awful"


def rows(text: str, text_settings: TextSettings = TextSettings(), mask_zero: bool = True, width: int = 70,
         lines: int = 2, full: bool = True) -> dict[str, str]:
    encoding = Encoder(VOCABULARY, text_settings).trace(text)
    return {label: row.plain for label, row in encoding_rows(encoding, text_settings, mask_zero, width, lines, full)}


def test_every_stage_of_a_review_has_its_row():
    shown = rows(REVIEW, TextSettings(max_length=20))
    assert list(shown) == ["<br />", "lower-case", "punctuation", "split", "truncate", "ids", "padded", "mask"]
    assert shown["<br />"] == "it.<br /><br />I → it. I"
    assert shown["lower-case"] == "Don't → don't  I → i"
    assert shown["punctuation"] == "don't → dont  it. → it  7/10, → 710"
    assert shown["split"] == "12 tokens, split at spaces, tabs and line breaks"
    assert shown["truncate"] == "12 ≤ max_length 20: nothing dropped"
    assert shown["ids"] == "[2 3 4 5 6 4 7 8 1 9 10 11]  1 × 12, unpadded: what the model reads"
    assert shown["padded"] == "[2 3 4 5 6 4 7 8 1 9 10 11 0 … 0]  in a Keras batch: 8 zeros up to max_length 20"
    assert shown["mask"] == "all 12 read; a Keras batch's 8 padding zeros are skipped (mask_zero; only 0 is skipped, [UNK] = 1 is read)"


def test_the_short_form_lists_only_what_happened():
    shown = rows("a plain text", TextSettings(max_length=20), lines=1, full=False)
    assert list(shown) == ["ids", "mask"]
    assert shown["mask"] == "all 3 read; a Keras batch's 17 padding zeros are skipped (mask_zero)"
    full = rows("a plain text", TextSettings(max_length=20))
    assert full["lower-case"] == "nothing to change (A-Z become a-z; other letters stay)"


def test_truncation_names_the_dropped_words_then_counts_the_rest():
    keep_first = rows("one two three four five six", TextSettings(max_length=2))
    assert keep_first["truncate"] == "4 of 6 dropped (the first 2 kept): three four five six"
    keep_last = rows(" ".join(f"w{i}" for i in range(500)), TextSettings(max_length=3, truncate="end"), width=60, lines=1)
    assert keep_last["truncate"].startswith("497 of 500 dropped (the last 3 kept): w0 w1 w2 ")
    assert keep_last["truncate"].endswith(" more") and len(keep_last["truncate"]) <= 60
    assert keep_last["ids"] == "[1 1 1]  1 × 3, unpadded: what the model reads"


def test_a_model_without_max_length_or_mask():
    shown = rows(REVIEW, TextSettings(), mask_zero=False)
    assert shown["truncate"] == "no max_length: every token is read"
    assert shown["padded"] == "in a Keras batch: zeros up to the batch's longest text"
    assert shown["mask"].startswith("none (mask_zero off)")
    assert rows(REVIEW, TextSettings(), full=False)["mask"] == "all 12 read (mask_zero)"


def test_a_change_made_many_times_is_shown_once_with_its_count():
    assert rows("GOOD GOOD good GOOD")["lower-case"] == "GOOD → good ×3"
    assert rows("... -- ...")["punctuation"] == "... → (gone) ×2  -- → (gone)"


def test_a_text_with_no_token_has_no_ids_to_mask():
    shown = rows("!!! <br />")
    assert shown["ids"] == "[]  no token: nothing for the model to read" and "mask" not in shown


def test_fitted_stops_where_the_room_ends_and_says_how_many_are_left():
    words = [f"word{i}" for i in range(100)]
    line = fitted(words, 40, Text)
    assert line.cell_len <= 40 and line.plain.startswith("word0  word1") and line.plain.endswith(" more")
    assert int(line.plain.split("+")[1].split()[0]) == 100 - line.plain.count("word")
    assert fitted(["a", "b"], 40, Text).plain == "a  b"


def test_long_vectors_keep_their_head_and_their_last_number():
    assert elided_numbers(list(range(100)), 20).plain == "[0 1 2 3 4 5 6 … 99]"  # 20 characters
    assert elided_numbers(list(range(100)), 19).plain == "[0 1 2 3 4 5 … 99]"
    assert elided_numbers([5, 6], 3).plain == "[5 6]"
    assert padded_numbers([4, 5], 2, 40).plain == "[4 5 0 0]"
    assert padded_numbers([4, 5], 200, 40).plain == "[4 5 0 … 0]"


@settings(max_examples=200, deadline=None)
@given(text_settings, review_texts, st.booleans(), st.integers(1, 4), st.integers(20, 120))
@example(TextSettings(max_length=1), "ok \x1b[2J \u202eevil \udcff", True, 2, 120)  # the dropped words are named
@example(TextSettings(max_length=1, truncate="end"), "\x1b]0;title\x07 ok", True, 1, 120)
def test_rows_are_printable_and_keep_to_their_room(text_settings, text, mask_zero, lines, width):
    """Whatever was typed (escape sequences, bidirectional overrides, lone surrogates), every row is printable,
    and a row of the short form fits one line."""
    encoding = Encoder(VOCABULARY, text_settings).trace(text)
    console = Console(width=width, color_system=None)
    for label, row in encoding_rows(encoding, text_settings, mask_zero, width, lines, full=lines > 1):
        assert is_printable(row.plain), (label, row.plain)
        if lines == 1:  # rendered as a table cell renders it (console.print would join it into a new Text)
            assert len(console.render_lines(row, console.options.update(width=width))) == 1, (label, row.plain)
