"""One line in, one outcome out: text is classified, ':name' runs a command, and every mistake is one line."""

from __future__ import annotations

import pytest

from rnnplay.repl.dispatch import MAX_LINE_CHARS, handle
from rnnplay.runtime.explain import explain


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
