"""One-line failures: what ``fail`` prints, and what ``user_errors`` turns into it."""

from __future__ import annotations

import errno

import pytest
import typer

from rnnplay.commands.common import fail, model_name, user_errors
from rnnplay.errors import RnnplayError, UsageError


def failure(capsys, call) -> tuple[int, str]:
    with pytest.raises(typer.Exit) as exit_info:
        call()
    return exit_info.value.exit_code, capsys.readouterr().err


def test_fail_is_one_line_without_escape_sequences(capsys):
    name = "folder\x1b]0;owned\x07\nsecond line\u202eevil" + b"\xff".decode("utf-8", "surrogateescape")
    code, err = failure(capsys, lambda: fail(f"no model named {name}", 1))
    assert code == 1
    assert err == "rnnplay: error: no model named folder\\x1b]0;owned\\x07\\x0asecond line\\u202eevil\\xff\n"


def test_user_errors_turns_each_kind_of_failure_into_its_exit_code(capsys):
    def raising(error):
        @user_errors
        def command():
            raise error
        return command

    assert failure(capsys, raising(RnnplayError("bad model"))) == (1, "rnnplay: error: bad model\n")
    assert failure(capsys, raising(UsageError("bad flag"))) == (2, "rnnplay: error: bad flag\n")
    assert failure(capsys, raising(KeyboardInterrupt())) == (130, "rnnplay: error: interrupted\n")
    assert failure(capsys, raising(MemoryError())) == (1, "rnnplay: error: out of memory\n")
    denied = PermissionError(errno.EACCES, "Permission denied", "/models/x\x1b[2J")
    assert failure(capsys, raising(denied)) == (1, "rnnplay: error: /models/x\\x1b[2J: Permission denied\n")
    assert failure(capsys, raising(OSError(errno.EIO, "Input/output error"))) == (1, "rnnplay: error: Input/output error\n")


def test_an_empty_model_name_is_a_usage_error_not_the_models_folder():
    assert model_name("imdb-bilstm", "--model") == "imdb-bilstm"
    for blank in ("", "  "):
        with pytest.raises(UsageError, match=r"^give a model name or path \(--vectors\)$"):
            model_name(blank, "--vectors")
    with pytest.raises(UsageError, match=r"^give a model name or path$"):
        model_name("", None)


def test_a_figure_a_card_does_not_record_is_a_question_mark_never_a_made_up_zero():
    from rnnplay.commands.common import figure

    assert figure(0.87844, ".4f") == "0.8784" and figure(5000, ",") == "5,000"
    assert figure(None, ".4f") == "?"
