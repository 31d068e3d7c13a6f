"""Result blocks: the lines of one result and one empty line, never an empty line inside."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rnnplay.repl.blocks import block_text, console_for, print_block, safe_view
from rnnplay.repl.outcome import Outcome


def test_a_block_drops_empty_lines_and_trailing_spaces():
    table = Table("a", "b", box=None)
    table.add_row("x", "y")
    outcome = Outcome("help", view=[Text("first\n\n   \nsecond   "), table])
    text = block_text(Console(file=io.StringIO(), width=40), outcome)
    assert text.endswith("\n\n") and "\n\n" not in text[:-2]
    assert text.splitlines()[:2] == ["first", "second"] and all(line == line.rstrip() for line in text.splitlines())


def test_an_error_is_a_one_line_block_and_nothing_shows_for_a_blank():
    console = Console(file=io.StringIO())
    assert block_text(console, Outcome.failed("nn", "no such word")) == "error: no such word\n\n"
    assert block_text(console, Outcome(None, {"blank": True})) is None
    assert block_text(console, Outcome("x", view=[Text("   ")])) == "(nothing to show)\n\n"


def test_long_text_and_errors_stay_one_line():
    console = Console(file=io.StringIO(), width=40)
    message = "a message much longer than the forty columns of this console"
    assert block_text(console, Outcome.failed("nn", message)) == f"error: {message}\n\n"
    assert block_text(console, Outcome("x", view=[Text(message)])) == f"{message}\n\n"


def test_no_colour_on_a_pipe_and_colour_when_forced():
    out = io.StringIO()
    print_block(console_for(out), Outcome("x", view=[Text("red", style="red")]))
    assert out.getvalue() == "red\n\n"
    coloured = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    text = block_text(coloured, Outcome("x", view=[Text("red\n\ngreen", style="red")]))
    assert "\x1b[" in text and text.count("\n") == 3  # the empty styled line inside went too


def test_print_block_prints_a_block_or_nothing():
    out = io.StringIO()
    print_block(console_for(out), Outcome("x", view=[Text("shown")]))
    assert out.getvalue() == "shown\n\n"
    print_block(console_for(out), Outcome("quit", quit=True))
    assert out.getvalue() == "shown\n\n"


def test_text_from_files_is_escaped_where_it_is_printed_styles_and_all():
    text = Text.assemble(("ev\x1b[2Jil", "red"), " ", ("wo\u202erd", "green"), "\nsecond line")
    safe = safe_view(text)
    assert safe.plain == "ev\\x1b[2Jil wo\\u202erd\nsecond line"  # line breaks stay: a view may be several lines
    assert [(safe.plain[s.start:s.end], str(s.style)) for s in safe.spans] == [("ev\\x1b[2Jil", "red"), ("wo\\u202erd", "green")]
    assert safe_view(Text("plain")).plain == "plain" and safe_view("a\x9bb") == "a\\x9bb"


def test_table_cells_titles_and_headers_are_escaped():
    table = Table("wo\x1brd", "score", title="in \x1b]0;x\x07", box=None)
    table.add_row(Text("gr\x1b[31meat"), "0.5\x9b")
    coloured = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=80)
    text = block_text(coloured, Outcome("nn", view=[table]))
    assert "\\x1b[31meat" in text and "\\x9b" in text and "wo\\x1brd" in text and "\\x1b]0;x\\x07" in text
    assert "\x1b[31m" not in text and "\x1b]" not in text and "\x9b" not in text  # Rich's own colour codes only


def test_undecodable_bytes_in_a_view_print_on_a_strict_utf8_stream():
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    print_block(console_for(out), Outcome("classify", view=[Text("bad \udcff\udcfe bytes")]))
    out.flush()
    assert out.buffer.getvalue() == b"bad \\xff\\xfe bytes\n\n"


class Unrenderable:
    def __rich_console__(self, console, options):
        raise IndexError("a bug in a view")


def test_a_view_that_cannot_render_is_an_internal_error_block(allow_internal_errors):
    out = io.StringIO()
    shown = print_block(console_for(out), Outcome("nn", view=[Text("first"), Unrenderable()]))
    assert shown.is_internal and shown.command == "nn"
    assert out.getvalue() == "error: internal error (IndexError: a bug in a view); this is a bug in rnnplay, please report " \
                             "it — the session goes on\n\n"


def test_a_view_that_cannot_render_fails_the_tests():
    with pytest.raises(IndexError):
        print_block(console_for(io.StringIO()), Outcome("nn", view=[Unrenderable()]))
