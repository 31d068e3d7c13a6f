"""A REPL session on the shipped classifier and the hand-planted word vectors (exact answers).

Every REPL test fails on an internal error: the REPL turns an unexpected exception into one
``internal error`` line so a session survives a bug, and here that last resort re-raises instead, so
the bug shows with its traceback. A test of the last resort itself asks for ``allow_internal_errors``.
"""

from __future__ import annotations

import io

import pytest

from tests.conftest import SHIPPED_MODEL, SHIPPED_VECTORS


@pytest.fixture(autouse=True)
def internal_errors_fail(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    from rnnplay.repl import outcome

    if "allow_internal_errors" in request.fixturenames:
        return

    def reraise(error: Exception) -> None:
        raise error

    monkeypatch.setattr(outcome, "on_internal_error", reraise)


@pytest.fixture
def allow_internal_errors() -> None:
    """For tests of the last resort: internal errors become outcomes, as for users."""


@pytest.fixture
def session(planted_vectors):
    from rnnplay.repl.session import Session

    return Session(str(SHIPPED_MODEL), str(planted_vectors))


@pytest.fixture(scope="module")
def shipped_session():
    """A session on the shipped models, shared by a module's examples (Hypothesis runs hundreds)."""
    from rnnplay.repl.session import Session

    return Session(str(SHIPPED_MODEL), str(SHIPPED_VECTORS))


def run_script(session, script: bytes, json_lines: bool = False) -> tuple[int, str]:
    """Feed ``script`` to the line-mode REPL as a pipe would; the exit code and everything printed."""
    from rnnplay.repl.pipe import run_lines

    out = io.StringIO()
    code = run_lines(session, io.BytesIO(script), out, json_lines)
    return code, out.getvalue()


def blocks(output: str) -> list[str]:
    """Result blocks: each ends with one empty line and holds none."""
    assert output == "" or output.endswith("\n\n")
    return output.split("\n\n")[:-1]
