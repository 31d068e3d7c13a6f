"""Result blocks: the lines of one result and one empty line, never an empty line inside."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rnnplay.repl.blocks import block_text, console_for, print_block
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
