"""The other commands' user-facing behaviour (training and import have their own tests)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rnnplay.cli import app

runner = CliRunner()


def test_models_lists_shipped_and_user_models(models_dir):
    (models_dir / "broken").mkdir(parents=True)
    result = runner.invoke(app, ["models"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "imdb-bilstm" in result.output and "shipped" in result.output
    assert "broken" in result.output and "unreadable" in result.output


def test_corpora_lists_builtin_ones():
    result = runner.invoke(app, ["corpora"])
    assert result.exit_code == 0 and "imdb" in result.output and "rt" in result.output


def test_train_rejects_bad_flags_before_loading_anything():
    result = runner.invoke(app, ["train", "--cell", "transformer"])
    assert result.exit_code == 2 and "--cell must be lstm, gru or rnn" in result.output


def test_train_unknown_corpus_is_one_line(models_dir):
    result = runner.invoke(app, ["train", "--corpus", "nowhere.csv"])
    assert result.exit_code == 1 and "unknown corpus 'nowhere.csv'" in result.output


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
                                 "--dense-units", "4", "--max-length", "10", "--epochs", "1", "--name", "from-planted"])
    assert result.exit_code == 0, result.output
    card = json.loads((models_dir / "from-planted" / "card.json").read_text())
    assert card["architecture"]["embedding_dim"] == 8 and card["training"]["init_embeddings"]["vectors"] == "planted"
    missing = runner.invoke(app, ["train", "--corpus", str(TINY_CSV), "--init-embeddings", "no-such-vectors"])
    assert missing.exit_code == 1 and "no model named 'no-such-vectors'" in missing.output


def test_help_does_not_show_internal_notes():
    assert "Returns the saved folder" not in runner.invoke(app, ["train", "--help"]).output


def test_no_repl_module_imports_the_cli():
    """The REPL runs the training commands from rnnplay.commands; rnnplay.cli is only the entry point."""
    import subprocess
    import sys

    code = ("import sys\nimport rnnplay.repl, rnnplay.repl.cli_commands, rnnplay.repl.completion, rnnplay.repl.dispatch\n"
            "from rnnplay.repl.completion import cli_options\nassert '--epochs' in cli_options(['train'])\n"
            "assert '--format' in cli_options(['cbow', 'export'])\nprint('rnnplay.cli' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
