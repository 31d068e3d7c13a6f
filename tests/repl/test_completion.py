"""Tab completion, asked directly with prompt_toolkit Documents."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from rnnplay.repl.commands import COMMANDS
from rnnplay.repl.completion import ReplCompleter
from tests.conftest import SHIPPED_VECTORS
from tests.repl.strategies import command_lines, hostile_characters


def complete(session, text: str) -> list[str]:
    completer = ReplCompleter(session)
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True))]


def replaced(session, text: str) -> set[int]:
    completer = ReplCompleter(session)
    return {c.start_position for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True))}


def test_commands_after_a_colon(session):
    assert complete(session, ":") == [f":{c.name}" for c in COMMANDS]
    assert complete(session, ":n") == [":nn"] and replaced(session, ":n") == {-2}
    assert complete(session, "  :mo") == [":model", ":models"]
    assert complete(session, ":zz") == []


def test_model_names_after_model_and_vectors(session, models_dir):
    shutil.copytree(SHIPPED_VECTORS, models_dir / "mine")
    assert complete(session, ":model ") == ["imdb-bilstm", "imdb-cbow", "imdb-lstm", "mine", "reviews-cbow"]
    assert complete(session, ":vectors imdb-b") == ["imdb-bilstm"] and replaced(session, ":vectors imdb-b") == {-6}
    assert complete(session, ":model imdb-bilstm ") == []  # one name only


def test_vector_words_for_word_commands(session):
    assert complete(session, ":nn goo") == ["good"]
    assert complete(session, ":analogy actor man wo") == ["woman"]
    assert complete(session, ":sim Exc") == ["excellent"]  # typed case does not matter
    assert complete(session, ":guess the fil") == ["film"]
    assert complete(session, ":guess --ex") == ["--exclude-context"]  # its one option, before the text
    assert complete(session, ":guess --exclude-context the fil") == ["film"]
    assert complete(session, ":guess the -") == []
    assert complete(session, ":nn ") == []  # not the whole vocabulary


def test_classifier_words_for_text(session):
    found = complete(session, "a wonderf")
    assert found[0] == "wonderful" and all(word.startswith("wonderf") for word in found)
    assert "wonderful" in complete(session, ":tokens wonderf") and "wonderful" in complete(session, ":prefix wonderf")
    vocabulary = session.classifier.encoder.vocabulary
    assert complete(session, "th")[:3] == [w for w in vocabulary[2:] if w.startswith("th")][:3]  # most frequent first
    assert len(complete(session, "s")) == 50


def test_help_cbow_and_train_arguments(session):
    assert complete(session, ":help n") == ["nn"]
    assert complete(session, ":cbow ") == ["train", "export", "eval", "import", "step"]
    assert complete(session, ":cbow e") == ["export", "eval"]
    assert "--dimension" in complete(session, ":cbow train --di")
    assert complete(session, ":train --uni") == ["--unidirectional", "--units"]
    assert complete(session, ":train cor") == []  # options only
    assert complete(session, ":cbow frob --x") == []


def test_no_completions_and_no_crash_when_the_vectors_are_broken(tmp_path):
    from rnnplay.repl.session import Session

    broken = tmp_path / "broken"
    shutil.copytree(SHIPPED_VECTORS, broken)
    (broken / "vocab.txt").write_text("changed\n")
    session = Session("imdb-bilstm", str(broken))  # located at start, read (and refused) on first use
    assert complete(session, ":nn goo") == []
    from rnnplay.repl.dispatch import handle

    assert "does not match its card" in handle(session, ":nn good").error  # the command says why


@pytest.mark.parametrize("text, expected", [(":quit ", []), (":models ", []), (":q", [":quit"]), (":nnn goo", [])])
def test_commands_without_word_arguments_complete_nothing(session, text, expected):
    assert complete(session, text) == expected


@pytest.mark.parametrize("text", [":  ", ": ", ":\t", ": nn goo"])
def test_a_colon_then_a_space_is_text_as_in_dispatch(session, text):
    """``: `` named no command: the completer indexed an empty split and prompt_toolkit printed the traceback."""
    expected = complete(session, "goo") if text.endswith("goo") else []  # the classifier's words, as for any text
    assert complete(session, text) == expected


def test_words_show_escaped_in_the_menu_and_insert_as_they_are(session, monkeypatch):
    words = ["gr\x1b[31meat", "good"]
    monkeypatch.setattr(ReplCompleter, "vocabulary", lambda self, kind: words)
    completions = list(ReplCompleter(session).get_completions(Document(":nn g"), CompleteEvent(completion_requested=True)))
    assert [c.text for c in completions] == words
    assert [c.display_text for c in completions] == ["gr\\x1b[31meat", "good"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(command_lines(), st.text(hostile_characters(), max_size=40)))
def test_tab_never_fails(shipped_session, text):
    """An exception in the completer re-raises here (tests/repl/conftest.py); at the prompt it offers nothing."""
    for completion in ReplCompleter(shipped_session).get_completions(Document(text), CompleteEvent(completion_requested=True)):
        assert -completion.start_position <= len(text)
