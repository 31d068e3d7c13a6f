"""``:unit`` and ``:memory`` in the REPL: the CLI's options, the CLI's view, the REPL's JSON and one-line mistakes."""

from __future__ import annotations

import pytest

from rnnplay.repl.dispatch import handle
from rnnplay.runtime.one_unit import UnitSettings, run
from tests.repl.test_commands import shown


def test_unit_takes_the_cli_options(session) -> None:
    outcome = handle(session, ":unit --cell linear --w 1.1 --steps 50")
    assert outcome.error is None and outcome.command == "unit"
    assert outcome.data["derivative"] == pytest.approx(1.1**50)
    assert outcome.data["reading"] == run(UnitSettings(cell="linear", w=1.1)).reading()
    assert "1.1^50 = 117" in shown(outcome)


@pytest.mark.parametrize("line, message", [
    (":unit --w x", "--w"),
    (":unit --bogus 3", "unknown option '--bogus'"),
    (":unit --cell gru", "the cell is one of"),
    (":memory --samples 0", "--samples must be from 1"),
    (":memory -m a -m b", "one classifier"),
])
def test_mistakes_are_one_line(session, line: str, message: str) -> None:
    outcome = handle(session, line)
    assert outcome.error is not None and message in outcome.error


def test_help_is_the_cli_help(session) -> None:
    assert "--forget" in shown(handle(session, ":unit --help"))
    assert "--distances" in shown(handle(session, ":memory --help"))


def test_memory_runs_on_the_classifier_in_use(session) -> None:
    outcome = handle(session, ":memory --samples 4 --distances 0,25")
    assert outcome.error is None and outcome.data["model"] == session.classifier.name
    assert "verdict follows the sentence" in shown(outcome)
