"""The other commands' behaviour, and every command's standard streams through main() (training: own tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app

runner = CliRunner()


def test_models_lists_shipped_and_user_models(models_dir):
    (models_dir / "broken").mkdir(parents=True)
    result = runner.invoke(app, ["models"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "imdb-bilstm" in result.output and "shipped" in result.output
    listed = {line.split()[0]: line for line in result.output.splitlines() if line.startswith(("imdb-", "reviews-"))}
    assert list(listed) == ["imdb-bilstm", "imdb-cbow", "imdb-lstm", "reviews-cbow"]  # the shipped models, by name
    assert "BiLSTM 32" in listed["imdb-bilstm"]
    assert " LSTM 32, vocab 20,000 " in listed["imdb-lstm"] and " 0.837 " in listed["imdb-lstm"]  # one direction; its card's accuracy
    assert "broken" in result.output and "unreadable" in result.output
    assert "broken: " in result.output and "is not a saved model: it has no card.json" in result.output


def test_the_default_classifier_is_the_shipped_bilstm_not_the_lstm_beside_it():
    text = "the first hour is dull, but the ending is wonderful"
    output = lambda *model: runner.invoke(app, ["classify", "-t", text, *model]).output
    assert output() == output("--model", "imdb-bilstm") != output("--model", "imdb-lstm")


def test_corpora_lists_builtin_ones():
    result = runner.invoke(app, ["corpora"])
    assert result.exit_code == 0 and "imdb" in result.output and "rt" in result.output


def test_train_rejects_bad_flags_before_loading_anything():
    result = runner.invoke(app, ["train", "--cell", "transformer"])
    assert result.exit_code == 2 and "--cell must be lstm, gru or rnn" in result.output


def test_train_unknown_corpus_is_one_line(models_dir):
    result = runner.invoke(app, ["train", "--corpus", "nowhere.csv"])
    assert result.exit_code == 1 and "unknown corpus 'nowhere.csv'" in result.output


def test_train_test_files_are_checked_before_training(models_dir, tmp_path):
    missing = runner.invoke(app, ["train", "--corpus", "rt", "--test-file", str(tmp_path / "typed.csv")])
    assert missing.exit_code == 2 and "--test-file" in missing.output and "no such file" in missing.output
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "typed.csv").write_text("text,label\ngood,1\nbad,0\n")
    twice = runner.invoke(app, ["train", "--corpus", "rt", "--test-file", str(tmp_path / "a" / "typed.csv"),
                                "--test-file", str(tmp_path / "b" / "typed.csv")])
    assert twice.exit_code == 2 and "same name" in twice.output
    assert not (models_dir / "rt-default").exists()


def test_an_empty_model_name_is_a_usage_error_for_every_command():
    for args in (["neighbours", "good", "--vectors", ""], ["cbow", "export", " ", "out.txt"], ["repl", "--model", ""]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "give a model name or path" in result.output, args


def test_import_missing_file_is_one_line():
    result = runner.invoke(app, ["import", "absent.keras"])
    assert result.exit_code == 1 and "no such file: absent.keras" in result.output


def test_train_refuses_to_replace_a_model_before_training(models_dir):
    (models_dir / "taken").mkdir(parents=True)
    result = runner.invoke(app, ["train", "--corpus", "rt", "--name", "taken"])
    assert result.exit_code == 1 and "already exists" in result.output and "--force" in result.output


def test_usage_mistakes_are_one_line_with_where_to_look():
    """Through the real entry point: Typer's boxed usage errors become one line and exit code 2."""
    import subprocess
    import sys

    for args, message in ((["analogy", "actor", "man"], "Missing argument 'c'. (see: "),
                          (["nope"], "No such command 'nope'."),
                          (["classify", "--threshold", "x"], "Invalid value for '--threshold'")):
        result = subprocess.run([sys.executable, "-m", "rnnplay", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("rnnplay: error: ") and message in result.stderr
    help_run = subprocess.run([sys.executable, "-m", "rnnplay", "--help"], capture_output=True, text=True, timeout=60)
    assert help_run.returncode == 0 and "cbow" in help_run.stdout and "neighbours" in help_run.stdout


@pytest.mark.tensorflow
def test_train_from_word_vectors_takes_their_dimension(models_dir, planted_vectors):
    from tests.conftest import TINY_CSV

    result = runner.invoke(app, ["train", "--corpus", str(TINY_CSV), "--init-embeddings", str(planted_vectors), "--units", "4",
                                 "--dense-units", "4", "--max-length", "10", "--epochs", "1", "--name", "from-planted",
                                 "--strategy", "one"])
    assert result.exit_code == 0, result.output
    card = json.loads((models_dir / "from-planted" / "card.json").read_text())
    [device] = card["training"]["devices"]  # one device: the first GPU, or the CPU
    assert f"  trained on {device}\n" in result.output and device.startswith("/device:")
    assert card["architecture"]["embedding_dim"] == 8 and card["training"]["init_embeddings"]["vectors"] == "planted"
    missing = runner.invoke(app, ["train", "--corpus", str(TINY_CSV), "--init-embeddings", "no-such-vectors"])
    assert missing.exit_code == 1 and "no model named 'no-such-vectors'" in missing.output


@pytest.mark.tensorflow
def test_the_default_preset_starts_from_reviews_cbow_unless_told_otherwise(models_dir):
    """The shipped vectors are found from any models folder; a different --embedding-dim or --init-embeddings none
    trains from random vectors instead of failing on a size the preset's vectors cannot fill."""
    from tests.conftest import TINY_CSV

    small = ["train", "--corpus", str(TINY_CSV), "--units", "4", "--dense-units", "4", "--max-length", "10", "--epochs", "1"]
    runs = {"started": [], "resized": ["--embedding-dim", "4"], "random": ["--init-embeddings", "none"]}
    cards = {}
    for name, extra in runs.items():
        result = runner.invoke(app, [*small, *extra, "--name", name])
        assert result.exit_code == 0, result.output
        assert ("note: --embedding-dim 4 is not the 64 of the preset's start vectors (reviews-cbow)" in result.output) == (name == "resized")
        cards[name] = json.loads((models_dir / name / "card.json").read_text())
    assert cards["started"]["training"]["init_embeddings"]["vectors"] == "reviews-cbow"
    assert cards["started"]["training"]["config"]["init_embeddings"] == "reviews-cbow"
    for name, dimension in (("resized", 4), ("random", 64)):
        assert "init_embeddings" not in cards[name]["training"] and cards[name]["training"]["config"]["init_embeddings"] is None
        assert cards[name]["architecture"]["embedding_dim"] == dimension


def test_help_does_not_show_internal_notes():
    assert "Returns the saved folder" not in runner.invoke(app, ["train", "--help"]).output


def test_no_repl_module_imports_the_cli():
    """The REPL runs the training commands from rnnplay.commands; rnnplay.cli is only the entry point."""
    code = ("import sys\nimport rnnplay.repl, rnnplay.repl.cli_commands, rnnplay.repl.completion, rnnplay.repl.dispatch\n"
            "from rnnplay.repl.completion import cli_options\nassert '--epochs' in cli_options(['train'])\n"
            "assert '--format' in cli_options(['cbow', 'export'])\nprint('rnnplay.cli' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


# --- the standard streams, through the real entry point (``main``) ------------------------------------

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}


def shell(command: str, env: dict | None = None, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """``rnnplay ARGS`` inside a bash command line, for redirections such as ``<&-`` (``$RNNPLAY`` runs it)."""
    environment = {**ENV, **(env or {}), "RNNPLAY": f"{sys.executable} -m rnnplay"}
    return subprocess.run(["bash", "-c", command], input=stdin, capture_output=True, env=environment, timeout=120)


def one_error_line(result: subprocess.CompletedProcess, code: int, message: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert stderr == f"rnnplay: error: {message}\n", stderr


def test_closed_stdin_matters_only_to_commands_that_read_it():
    texts = shell("$RNNPLAY classify -t 'a wonderful film' <&-")
    assert texts.returncode == 0 and texts.stdout.startswith(b"positive"), texts.stderr
    for command in ("classify", "classify -t fine -", "repl"):
        one_error_line(shell(f"$RNNPLAY {command} <&-"), 1, "standard input is closed; redirect it from a file (< FILE) or a pipe")


@pytest.mark.parametrize("command", ["classify -t fine", "corpora", "--help"])
def test_closed_stdout_is_one_line_and_exit_1(command):
    one_error_line(shell(f"$RNNPLAY {command} >&-"), 1, "standard output is closed; send it to /dev/null to discard the results")


def test_closed_stderr_still_gives_the_output_and_the_exit_code():
    assert shell("$RNNPLAY classify -t 'a wonderful film' 2>&-").stdout.startswith(b"positive")
    assert shell("$RNNPLAY classify -t fine --format xml 2>&-").returncode == 2  # a traceback would be 1
    assert shell("$RNNPLAY classify -t fine 2>/dev/full").returncode == 0


@pytest.mark.parametrize("command", ["classify -t fine", "classify -f jsonl", "corpora", "models", "--help",
                                     "analogy actor man woman", "cbow --help"])
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(command):
    result = shell(f"$RNNPLAY {command} >/dev/full", stdin=b"fine\n" * 100)
    one_error_line(result, 1, "cannot write the output: No space left on device")


def test_a_closed_reader_ends_quietly_with_exit_0(tmp_path):
    for command in ("seq 100000 | $RNNPLAY classify 2>err | head -1; exit ${PIPESTATUS[1]}",
                    "$RNNPLAY --help 2>err | true; exit ${PIPESTATUS[0]}", "$RNNPLAY models 2>err | true; exit ${PIPESTATUS[0]}"):
        result = shell(f"cd {tmp_path} && {command}")
        assert (result.returncode, (tmp_path / "err").read_text()) == (0, ""), command


@pytest.mark.parametrize("args,mark", [(["--help"], "−"), (["analogy", "actor", "man", "woman"], "×"),
                                       (["models"], "café→"), (["import", "--help"], "→")])
def test_an_ascii_stdout_still_gets_the_output_as_utf8(args, mark, models_dir):
    """ASCII is taken for a misconfigured locale, as Click does: Rich's "−" and "×" come out in UTF-8."""
    (models_dir / "café→").mkdir(parents=True)  # listed as unreadable, by its name
    result = subprocess.run([sys.executable, "-m", "rnnplay", *args], capture_output=True, timeout=120,
                            env={**ENV, "PYTHONIOENCODING": "ascii", "RNNPLAY_MODELS_DIR": str(models_dir)})
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    assert mark in result.stdout.decode("utf-8")


def test_other_encodings_get_escapes_for_what_they_cannot_carry():
    result = subprocess.run([sys.executable, "-m", "rnnplay", "analogy", "actor", "man", "woman"], capture_output=True,
                            timeout=120, env={**ENV, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.decode("latin-1").startswith("actor \\u2212 man + woman in imdb-cbow (30,684 words × 100)")


def test_error_lines_escape_control_characters_from_names():
    one_error_line(shell("$RNNPLAY classify $'bad\\x1b[31m\\nname'"), 1, "no such file: bad\\x1b[31m\\x0aname")
    result = shell("$RNNPLAY $'nope\\x1b[2J'")
    assert result.returncode == 2 and result.stderr.decode().startswith("rnnplay: error: No such command 'nope\\x1b[2J'.")


ROOT = str(Path(__file__).resolve().parent.parent)


def last_word_model(tmp_path, monkeypatch):
    """The hand-checked model of tests/test_mistakes.py, trained (so says its card) on ./reviews.csv."""
    from tests.test_mistakes import write_corpus, write_last_word_model

    monkeypatch.chdir(tmp_path)
    write_corpus(tmp_path / "reviews.csv")
    return write_last_word_model(tmp_path / "last-word", "reviews.csv")


def test_models_errors_fit_80_columns(tmp_path, monkeypatch):
    result = runner.invoke(app, ["models", str(last_word_model(tmp_path, monkeypatch)), "--errors"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80
    assert lines[1].startswith("3 misclassified, accuracy 0.4000 (as on its card)")
    assert lines[3].split() == ["true", "negative", "1", "50.0%", "1", "50.0%", "2"]
    assert lines[4].split() == ["true", "positive", "2", "66.7%", "1", "33.3%", "3"]
    rows = [line.split() for line in lines[7:]]
    assert [(row[0], row[1], row[3]) for row in rows] == [("1", "positive", "row11"), ("2", "positive", "row24"),
                                                          ("3", "negative", "row19")]
    assert rows[0][2] == "0.000" and rows[2][2] == "0.730"


def test_models_errors_json(tmp_path, monkeypatch):
    result = runner.invoke(app, ["models", str(last_word_model(tmp_path, monkeypatch)), "--errors", "--json", "--limit", "1"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["texts"] == 5 and data["misclassified"] == 3
    assert data["confusion"]["true_positive"] == {"predicted_negative": 2, "predicted_positive": 1}
    assert [m["text"] for m in data["mistakes"]] == ["row11 the film was bad"]


@pytest.mark.parametrize("args, code, message", [
    (["models", "--errors"], 2, "--errors needs a classifier: rnnplay models NAME --errors"),
    (["models", "imdb-bilstm"], 2, "rnnplay models imdb-bilstm needs --errors (rnnplay models alone lists every model)"),
    (["models", "imdb-bilstm", "--errors", "--limit", "0"], 2, "--limit must be a whole number from 1 to 1,000, not 0"),
    (["models", "--json"], 2, "--json goes with NAME --errors"),
    (["models", "imdb-cbow", "--errors"], 1, "imdb-cbow is word vectors, not a classifier"),
    (["models", "nowhere", "--errors"], 1, "nowhere"),
])
def test_models_errors_mistakes_are_one_line(args, code, message):
    result = runner.invoke(app, args)
    assert result.exit_code == code and message in result.output and len(result.output.strip().splitlines()) == 1


def test_models_errors_of_a_model_whose_corpus_is_gone_is_one_line(tmp_path, monkeypatch):
    model = last_word_model(tmp_path, monkeypatch)
    (tmp_path / "reviews.csv").unlink()
    result = subprocess.run([sys.executable, "-m", "rnnplay", "models", str(model), "--errors"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": ROOT})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"rnnplay: error: last-word was trained on reviews.csv, which is not there any more (read from "
                             f"{tmp_path}): its test split cannot be rebuilt\n")
