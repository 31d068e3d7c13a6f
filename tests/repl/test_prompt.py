"""The interactive prompt driven with scripted keys: Enter answers, Ctrl-C clears, Ctrl-D leaves."""

from __future__ import annotations

import io
import os

import pytest
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from rnnplay.repl.prompt import SavedHistory, history_path, interact, open_history, prompt_session, toolbar


def type_keys(session, keys: str, history=None) -> tuple[int, str]:
    """Run the prompt on ``keys`` (\\r Enter, \\x03 Ctrl-C, \\x04 Ctrl-D); the exit code and what was printed."""
    out = io.StringIO()
    with create_pipe_input() as keyboard:
        keyboard.send_text(keys)
        prompt = prompt_session(session, history or InMemoryHistory(), input=keyboard, output=DummyOutput())
        code = interact(session, prompt, Console(file=out, width=100, color_system=None))
    return code, out.getvalue()


def test_lines_are_answered_and_ctrl_d_leaves(session):
    code, output = type_keys(session, "a wonderful film\r:nn good 2\r\x04")
    assert code == 0
    assert output.startswith("rnnplay repl · model imdb-bilstm · vectors planted")
    assert "a wonderful film" in output and "nearest to 'good' in planted" in output and "excellent" in output


def test_ctrl_c_clears_the_line_and_the_repl_goes_on(session):
    code, output = type_keys(session, "half typed\x03:sim good great\r\x04")
    assert code == 0 and "half typed" not in output and "cosine(good, great)" in output


def test_errors_are_one_line_and_the_repl_goes_on(session):
    code, output = type_keys(session, ":frob\r:nn zzzz\r:q\r")
    assert code == 0
    assert "error: unknown command :frob (:help lists the commands)\n\n" in output
    assert "error: \"zzzz\" is not in planted's vocabulary" in output


def test_ctrl_d_on_an_empty_prompt_leaves_at_once(session):
    code, output = type_keys(session, "\x04")
    assert code == 0 and output.count("\n") == 1  # the greeting only


def test_history_is_kept_in_a_file(session, tmp_path):
    path = tmp_path / "data" / "repl_history"
    history = open_history(path)
    assert isinstance(history, FileHistory) and path.exists()
    type_keys(session, "good\r:nn good\r\x04", history)
    assert list(FileHistory(str(path)).load_history_strings()) == [":nn good", "good"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_history_that_cannot_be_written_is_kept_in_memory(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    history = open_history(locked / "sub" / "repl_history")
    assert isinstance(history, InMemoryHistory)
    assert capsys.readouterr().err.startswith("rnnplay: note: history will not be saved")


def test_history_under_a_file_is_kept_in_memory(tmp_path, capsys):
    (tmp_path / "file").write_text("not a folder")
    assert isinstance(open_history(tmp_path / "file" / "repl_history"), InMemoryHistory)
    assert capsys.readouterr().err.count("\n") == 1


def test_history_lives_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "rnnplay" / "repl_history"


def test_toolbar_names_what_is_in_use(session):
    assert "model imdb-bilstm · vectors planted" in toolbar(session)


def test_bytes_that_are_not_utf8_are_one_error_and_the_prompt_goes_on(session):
    """prompt_toolkit hands them over as lone surrogates, which a UTF-8 terminal stream refuses to encode."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with create_pipe_input() as keyboard:
        keyboard.send_bytes(b"bad \xff\xfe bytes\r:nn good 1\r\x04")
        prompt = prompt_session(session, InMemoryHistory(), input=keyboard, output=DummyOutput())
        code = interact(session, prompt, Console(file=out, width=100, color_system=None))
    out.flush()
    text = out.buffer.getvalue().decode()
    assert code == 0
    assert "error: the line is not valid UTF-8 (byte 0xff at character 5; is the terminal set to UTF-8?)\n\n" in text
    assert "nearest to 'good' in planted" in text


def test_history_that_can_no_longer_be_written_costs_a_note_not_the_line(session, tmp_path, capsys):
    path = tmp_path / "data" / "repl_history"
    history = open_history(path)
    assert isinstance(history, SavedHistory)
    path.unlink()
    path.parent.rmdir()  # the folder went away (or the disk filled up) after the REPL started
    code, output = type_keys(session, "good\r:sim good great\r\x04", history)
    assert code == 0 and "positive" in output and "cosine(good, great)" in output
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rnnplay: note: history will not be saved (")


def test_names_in_the_greeting_and_toolbar_are_text_not_markup_or_escape_codes(session):
    session.classifier.name = "odd[/dim]\x1b]0;title\x07"
    code, output = type_keys(session, "\x04")
    assert code == 0 and output.startswith("rnnplay repl · model odd[/dim]\\x1b]0;title\\x07 · vectors planted")
    assert "\x1b" not in toolbar(session) and "odd[/dim]\\x1b]0;title\\x07" in toolbar(session)
