"""A REPL session on the shipped classifier and the hand-planted word vectors (exact answers)."""

from __future__ import annotations

import io

import pytest

from tests.conftest import SHIPPED_MODEL


@pytest.fixture
def session(planted_vectors):
    from rnnplay.repl.session import Session

    return Session(str(SHIPPED_MODEL), str(planted_vectors))


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
