"""One line in, one outcome out: text is classified, ':name' runs a command, and every mistake is one line."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rnnplay.printable import is_printable
from rnnplay.repl.blocks import block_text, console_for
from rnnplay.repl.dispatch import MAX_LINE_CHARS, handle
from rnnplay.repl.outcome import Outcome
from rnnplay.runtime.explain import explain
from tests.repl.strategies import command_lines, hostile_characters


def test_plain_text_is_classified_with_the_current_model(session):
    outcome = handle(session, "  a wonderful film  ")
    expected = explain(session.classifier, "a wonderful film")
    assert outcome.command == "classify" and outcome.error is None
    assert outcome.data["label"] == expected.label and outcome.data["probability"] == pytest.approx(expected.probability, abs=1e-6)
    assert [t["token"] for t in outcome.data["tokens"]] == ["a", "wonderful", "film"]


@pytest.mark.parametrize("line", [":) what a film", ":-( dull", ": nn good"])
def test_a_colon_not_followed_by_a_letter_is_text(session, line):
    assert handle(session, line).command == "classify"


def test_classify_command_takes_text_that_looks_like_a_command(session):
    outcome = handle(session, ":classify :nn is not a command here")
    assert outcome.command == "classify" and outcome.data["tokens"][0]["token"] == "nn"


@pytest.mark.parametrize("line", ["", "   ", "\t"])
def test_blank_lines_have_nothing_to_show(session, line):
    outcome = handle(session, line)
    assert outcome.blank and outcome.command is None and outcome.data == {"blank": True}


def test_commands_are_case_insensitive_and_have_aliases(session):
    assert handle(session, ":NN good").command == "nn"
    assert handle(session, ":neighbours good").command == "nn"
    assert handle(session, ":q").quit and handle(session, ":exit").quit


def test_unknown_command_is_one_line_with_a_suggestion(session):
    outcome = handle(session, ":nnn good")
    assert outcome.command == "nnn" and outcome.error == "unknown command :nnn; did you mean :nn? (:help lists the commands)"
    assert "did you mean" not in handle(session, ":zzzzzz").error


def test_a_failing_command_is_an_error_outcome_not_an_exception(session):
    outcome = handle(session, ":nn xyzzy")
    assert outcome.command == "nn" and '"xyzzy" is not in planted\'s vocabulary' in outcome.error
    assert handle(session, "?!...").error == "the text has no words to classify"


def test_very_long_lines_are_refused_at_the_limit(session):
    words = ("great acting " * MAX_LINE_CHARS)[:MAX_LINE_CHARS]
    accepted = handle(session, words)
    assert accepted.command == "classify" and accepted.error is None and accepted.data["dropped"] > 0
    refused = handle(session, words + "x")
    assert "longer than 20,000 characters" in refused.error and "\n" not in refused.error


# --- hostile input: every line gets exactly one outcome, never an exception -----------------------

@pytest.mark.parametrize("line, message", [
    ("a\x00b", "the line contains a NUL character at character 2 (binary input?)"),
    (":model \x00", "the line contains a NUL character at character 8 (binary input?)"),
    ("bad \udcff bytes", "the line is not valid UTF-8 (byte 0xff at character 5; is the terminal set to UTF-8?)"),
    (":nn \ud800", "the line is not valid UTF-8 (a lone surrogate U+D800 at character 5; is the terminal set to UTF-8?)"),
])
def test_lines_no_stream_can_carry_are_one_error(session, line, message):
    """Line mode refuses NUL and invalid UTF-8 as it reads; at the prompt they arrive as NUL and lone surrogates."""
    outcome = handle(session, line)
    assert outcome.command is None and outcome.error == message


@pytest.mark.parametrize("line", [":", ": ", "  :  "])
def test_a_colon_alone_says_a_command_name_goes_after_it(session, line):
    """Not "no words to classify": the user began a command and did not name it."""
    outcome = handle(session, line)
    assert outcome.command is None and outcome.error == "a command name goes after ':' (e.g. :nn good); :help lists them"


@pytest.mark.parametrize("line", ["::", ":::nn good", ":-", ":0 good", ": good"])
def test_colons_without_a_command_name_are_text(session, line):
    outcome = handle(session, line)
    assert outcome.command == "classify" and (outcome.error is None or outcome.error == "the text has no words to classify")


def test_the_system_refusing_a_name_is_one_line(session):
    outcome = handle(session, ":model " + "a" * 5000)  # longer than any file name: ENAMETOOLONG from the system
    assert outcome.command == "model" and outcome.error is not None and len(outcome.error) < 300
    assert not outcome.is_internal and "File name too long" in outcome.error and "aaaa" in outcome.error


def test_an_unexpected_exception_is_an_internal_error_line_and_the_session_goes_on(session, monkeypatch, allow_internal_errors):
    from rnnplay.repl import commands

    def broken(session, args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(commands.BY_NAME, "sim", commands.Command("sim", ":sim A B", "", "", broken))
    outcome = handle(session, ":sim good great")
    assert outcome.is_internal and outcome.command == "sim" and "\n" not in outcome.error
    assert outcome.error.startswith("internal error (ZeroDivisionError: division by zero); this is a bug in rnnplay")
    assert handle(session, ":nn good 1").error is None  # the session goes on


def test_the_tests_fail_on_an_internal_error(session, monkeypatch):
    """Without ``allow_internal_errors`` the last resort re-raises (tests/repl/conftest.py), so no bug hides."""
    from rnnplay.repl import commands

    def broken(session, args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(commands.BY_NAME, "sim", commands.Command("sim", ":sim A B", "", "", broken))
    with pytest.raises(ZeroDivisionError):
        handle(session, ":sim good great")


def assert_one_outcome(session, line: str) -> None:
    """One outcome, no internal error (here one re-raises), and both its shapes print safely."""
    outcome = handle(session, line)
    assert isinstance(outcome, Outcome) and not outcome.is_internal, outcome.error
    if outcome.error is not None:
        assert "\n" not in outcome.error and is_printable(outcome.error)
    block = block_text(console_for(io.StringIO()), outcome)
    assert block is None or all(is_printable(row) for row in block.splitlines())
    record = outcome.json_line(7)
    assert is_printable(record) and json.loads(record)["line"] == 7


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.text(hostile_characters(), max_size=200))
def test_any_text_gets_exactly_one_outcome(shipped_session, line):
    assert_one_outcome(shipped_session, line)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=command_lines())
@example(line=":nn good ³")
@example(line=":analogy actor man woman ²")
@example(line=":nn good " + "9" * 5000)
@example(line=":model " + "x" * 300)
@example(line=":vectors imdb-bilstm")
@example(line=":guess ___ ___")
def test_any_arguments_to_any_command_get_exactly_one_outcome(shipped_session, line):
    assert_one_outcome(shipped_session, line)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(length=st.integers(MAX_LINE_CHARS - 3, MAX_LINE_CHARS + 3),
       start=st.sampled_from(["", ":nn ", ":prefix ", ":tokens ", ":guess ___ "]))
def test_lines_at_the_length_limit_get_exactly_one_outcome(shipped_session, length, start):
    assert_one_outcome(shipped_session, (start + "great acting " * MAX_LINE_CHARS)[:length])
