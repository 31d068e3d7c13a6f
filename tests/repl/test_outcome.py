"""Outcomes as --json sees them: the command first, then the data, or the error instead."""

from __future__ import annotations

import json

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
