"""Outcomes as --json sees them: the command first, then the data, or the error instead."""

from __future__ import annotations

import json

import pytest

from rnnplay.printable import is_printable
from rnnplay.repl.outcome import Outcome


def test_json_line_puts_line_and_command_first():
    outcome = Outcome("nn", {"word": "good", "results": []}, ["a view"])
    assert list(outcome.json_object(3)) == ["line", "command", "word", "results"]
    assert json.loads(outcome.json_line()) == {"command": "nn", "word": "good", "results": []}


def test_an_error_replaces_the_data_and_is_one_line():
    outcome = Outcome.failed("sim", "first\nsecond   third")
    assert outcome.error == "first second third"
    assert json.loads(outcome.json_line(1)) == {"line": 1, "command": "sim", "error": "first second third"}
    assert not outcome.blank


def test_non_ascii_stays_readable_in_json():
    assert "−" in Outcome("analogy", {"title": "a − b"}).json_line()


def test_blank_means_nothing_to_show():
    assert Outcome(None, {"blank": True}).blank and Outcome("quit", quit=True).blank
    assert not Outcome("nn", view=["x"]).blank


def test_an_error_shows_control_characters_and_undecodable_bytes_as_escapes():
    outcome = Outcome.failed("model", "no model named ev\x1b]0;x\x07il\u202e at /tmp/\udcff\ud800")
    assert outcome.error == "no model named ev\\x1b]0;x\\x07il\\u202e at /tmp/\\xff\\ud800"
    assert outcome.json_line().encode("utf-8")  # a lone surrogate could not be written at all


def test_json_escapes_what_a_terminal_would_act_on_and_keeps_the_value():
    word = "gr\x1b[31meat\x9b\u202e\u2028\ufeff\x7f"
    line = Outcome("nn", {"word": word, "title": "a − b", "odd": "\udcff"}).json_line(1)
    assert is_printable(line) and line.encode("utf-8") and "−" in line
    assert json.loads(line) == {"line": 1, "command": "nn", "word": word, "title": "a − b", "odd": "\udcff"}


def test_json_is_strict_or_an_internal_error(allow_internal_errors):
    """NaN is not JSON: a result holding one is a bug (the runtime made it), and the line still gets its object."""
    shown, line = Outcome("classify", {"probability": float("nan")}).formatted(lambda it: it.json_line(3))
    record = json.loads(line)
    assert shown.is_internal and record["line"] == 3 and record["command"] == "classify"
    assert record["error"].startswith("internal error (ValueError: Out of range float values are not JSON compliant")


def test_an_internal_error_names_the_exception_on_one_line(allow_internal_errors):
    outcome = Outcome.internal("nn", KeyError("vocab\n\x1b[2J"))
    assert outcome.is_internal and outcome.command == "nn" and is_printable(outcome.error)
    assert outcome.error.startswith("internal error (KeyError: 'vocab\\n\\x1b[2J'); this is a bug in rnnplay, please report it")
    assert Outcome.internal(None, ZeroDivisionError()).error.startswith("internal error (ZeroDivisionError); ")
    assert len(Outcome.internal(None, OverflowError("x" * 10_000)).error) < 400


def test_internal_errors_reach_the_hook_the_tests_use():
    """Here (no ``allow_internal_errors``) the hook re-raises: a bug can never pass a test as an error line."""
    error = ZeroDivisionError("division by zero")
    with pytest.raises(ZeroDivisionError):
        Outcome.internal("nn", error)
