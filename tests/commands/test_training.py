"""``rnnplay train`` and ``rnnplay cbow train`` refuse every option outside rnnplay.limits (exit 2, one line,
before anything loads), and their help shows what a newcomer types: no internal notes, no ``<bool>`` after
flags that take no value, ``FILE`` rather than ``{file}`` in a usage line."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from rnnplay import limits
from rnnplay.cli import app

runner = CliRunner()


def outside(bound: limits.Bound) -> list[str]:
    """Values just below and just above a bound, as typed on a command line."""
    if bound.whole:
        low = -1 if bound.zero else bound.low - 1  # an option's 0 ("none") is allowed
        return [str(int(low)), str(int(bound.high + 1))]
    low = bound.low if bound.exclusive_low else bound.low - 0.5
    high = bound.high if bound.exclusive_high else bound.high + 0.5
    return [repr(float(low)), repr(float(high))]


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


TRAIN_CASES = [(name, value) for name, bound in limits.CLASSIFIER.items() for value in outside(bound)]
CBOW_CASES = [(name, value) for name, bound in limits.CBOW.items() for value in outside(bound)]


def refused(args: list[str], name: str, bounds: dict[str, limits.Bound]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    assert result.output.count("\n") == 1, result.output  # one line
    expected = f"rnnplay: error: {flag(name)} must be {bounds[name].describe_option()}, not "
    assert result.output.startswith(expected), result.output


@pytest.mark.parametrize("name, value", TRAIN_CASES)
def test_train_refuses_each_option_outside_its_bound_in_one_line(name: str, value: str, models_dir) -> None:
    refused(["train", "--corpus", "rt", flag(name), value], name, limits.CLASSIFIER)


@pytest.mark.parametrize("name, value", CBOW_CASES)
def test_cbow_train_refuses_each_option_outside_its_bound_in_one_line(name: str, value: str, models_dir) -> None:
    refused(["cbow", "train", "--corpus", "rt", flag(name), value], name, limits.CBOW)


def test_the_learners_absurd_epochs_are_refused_before_anything_runs(models_dir) -> None:
    result = runner.invoke(app, ["train", "--epochs", "99999999999999999999"])
    assert result.exit_code == 2
    assert result.output == "rnnplay: error: --epochs must be a whole number from 1 to 1,000, not 99999999999999999999\n"
    result = runner.invoke(app, ["train", "--max-length", "-5"])
    assert result.output.endswith("--max-length must be a whole number from 1 to 100,000, or 0 for whole texts, not -5\n")


def test_every_option_of_both_commands_has_a_bound() -> None:
    """A bound added to a table is an option both commands take, and every number option is bounded."""
    for command, bounds in ((["train"], limits.CLASSIFIER), (["cbow", "train"], limits.CBOW)):
        text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
        for name in bounds:
            assert flag(name) in text, (command, name)


def help_text(*command: str) -> str:
    return runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"}).output


@pytest.mark.parametrize("command", [(), ("train",), ("import",), ("cbow",), ("cbow", "train"), ("cbow", "import"),
                                     ("classify",), ("repl",), ("tui",)])
def test_help_shows_no_bool_type_after_flags(command: tuple[str, ...]) -> None:
    text = help_text(*command)
    assert "<bool>" not in text
    assert "--help" in text


def test_help_names_arguments_as_unix_help_does() -> None:
    assert re.search(r"Usage: .* import \[OPTIONS\] FILE\s", help_text("import"))
    assert re.search(r"Usage: .* analogy \[OPTIONS\] A B C\s", help_text("analogy"))
    assert re.search(r"Usage: .* classify \[OPTIONS\] \[INPUTS\]\.\.\.\s", help_text("classify"))
    assert "{" not in help_text("import") and "{" not in help_text("cbow", "export")


def test_train_help_is_for_the_user_not_the_caller() -> None:
    text = help_text("train")
    assert "Train a sentiment classifier" in text
    assert "Returns the saved folder" not in text and "in-process" not in text


@pytest.mark.parametrize("command", [["train"], ["cbow", "train"]])
def test_a_mistyped_corpus_is_one_clear_sentence_before_any_progress(command: list[str], models_dir) -> None:
    result = runner.invoke(app, [*command, "--corpus", "x"])
    assert result.exit_code == 1
    assert result.output == ("rnnplay: error: unknown corpus 'x': not a built-in corpus (imdb, rt, reviews) "
                             "and no file or folder by that name\n")


def test_train_refuses_an_unknown_strategy_before_reading_anything(models_dir) -> None:
    result = runner.invoke(app, ["train", "--corpus", "nowhere.csv", "--strategy", "multi-gpu"])  # no corpus error: checked first
    assert result.exit_code == 2
    assert result.output == "rnnplay: error: --strategy must be one of auto, one, mirrored, multi-worker, not 'multi-gpu'\n"
