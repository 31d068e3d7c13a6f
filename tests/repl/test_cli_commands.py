""":train and :cbow run the CLI's own commands: its options and messages, Ctrl-C cancels only the training.

Most tests stand a fake trainer in for the TensorFlow one (through ``sys.modules``, where the CLI
imports it from), so they check the REPL's side in milliseconds; one real training runs on the tiny
corpus.
"""

from __future__ import annotations

import io
import shutil
import sys
import types

import pytest

from rnnplay.repl.cli_commands import StderrTap, cli_arguments, is_training
from rnnplay.repl.dispatch import handle
from rnnplay.repl.session import Session
from tests.conftest import SHIPPED_MODEL, SHIPPED_VECTORS, TINY_CSV
from tests.repl.conftest import blocks, run_script


def fake_trainer(monkeypatch, module: str, function: str, run) -> list:
    """Replace ``module.function`` as the CLI will import it; returns the calls' (target, kwargs)."""
    calls: list = []

    def trainer(config, corpus, target, **kwargs):
        calls.append((target, kwargs))
        return run(target)

    monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**{function: trainer}))
    return calls


def copy_of(source):
    return lambda target: shutil.copytree(source, target) and target


def test_train_switches_to_the_model_it_saved(session, models_dir, monkeypatch, capsys):
    calls = fake_trainer(monkeypatch, "rnnplay.training.classifier", "train_classifier", copy_of(SHIPPED_MODEL))
    outcome = handle(session, ":train --corpus rt --epochs 1 --name quick")
    assert outcome.error is None and calls[0][0] == models_dir / "quick"
    assert outcome.data["saved"] == str(models_dir / "quick") and session.classifier.stored.path == models_dir / "quick"
    last = outcome.view[-1].plain  # the copy's card keeps its name
    assert last.startswith("now using imdb-bilstm: BiLSTM 32, vocab 20,000, held-out accuracy 0.")
    assert last.endswith("(:model imdb-bilstm goes back)")
    assert "saved" in capsys.readouterr().err  # the CLI's own closing line, on stderr as in the CLI
    assert handle(session, "a fine film").data["model"] == "imdb-bilstm"  # the copy's card keeps its name


def test_cbow_train_switches_the_vectors(session, models_dir, monkeypatch):
    fake_trainer(monkeypatch, "rnnplay.training.cbow", "train_cbow", copy_of(SHIPPED_VECTORS))
    outcome = handle(session, ":cbow train --corpus rt --name my-cbow")
    assert outcome.error is None and session.vectors_path == models_dir / "my-cbow"
    last = outcome.view[-1].plain
    assert last.startswith("now using imdb-cbow (") and last.endswith("(:vectors planted goes back)")
    assert outcome.data["vectors"] == "imdb-cbow"


def test_ctrl_c_cancels_the_training_not_the_repl(session, monkeypatch, capsys):
    def interrupted(target):
        raise KeyboardInterrupt

    fake_trainer(monkeypatch, "rnnplay.training.classifier", "train_classifier", interrupted)
    code, output = run_script(session, b":train --corpus rt\ngood\n")
    found = blocks(output)
    assert code == 1 and found[0] == "error: training cancelled; nothing was saved" and found[1].startswith("positive")
    assert "rnnplay: error" not in capsys.readouterr().err  # said once, in the block


def test_models_dir_flows_into_the_cli(planted_vectors, tmp_path, monkeypatch):
    own = tmp_path / "own-models"
    session = Session(str(SHIPPED_MODEL), str(planted_vectors), own)
    assert cli_arguments(session, "train", "--epochs 1") == ["train", "--epochs", "1", "--models-dir", str(own)]
    assert cli_arguments(session, "train", "--models-dir=/x") == ["train", "--models-dir=/x"]
    assert cli_arguments(session, "cbow", "--help") == ["cbow", "--help"]
    calls = fake_trainer(monkeypatch, "rnnplay.training.classifier", "train_classifier", copy_of(SHIPPED_MODEL))
    assert handle(session, ":train --corpus rt --name here").error is None
    assert calls[0][0] == own / "here" and session.classifier.stored.path == own / "here"


@pytest.mark.parametrize("line, message", [
    # Click "possibly" meant --corpus by --bogus (it compares the dashes too): no suggestion unless one is close.
    (":train --bogus", "unknown option '--bogus'; see :train --help"),
    (":train --epoch 2", "unknown option '--epoch' (did you mean --epochs?); see :train --help"),
    (":cbow train --bogus", "unknown option '--bogus'; see :cbow train --help"),
    (":cbow train --windw 3", "unknown option '--windw' (did you mean --window?); see :cbow train --help"),
    (":train --epochs", "Option '--epochs' requires an argument; see :train --help"),
    (":train extra", "unexpected argument 'extra'; see :train --help"),
    (":cbow export a b c", "unexpected argument 'c'; see :cbow export --help"),
    (":cbow export", "Missing argument 'model'; see :cbow export --help"),
    (":cbow", ":cbow takes a subcommand: train, export, eval, import or step (e.g. :cbow train --help)"),
    (":cbow frob", ":cbow takes a subcommand: train, export, eval, import or step, not 'frob' (e.g. :cbow train --help)"),
])
def test_cli_usage_mistakes_say_what_is_wrong_and_where_the_options_are(session, line, message):
    assert handle(session, line).error == message


def test_cli_usage_mistakes_are_one_line(session):
    assert handle(session, ":cbow train --epochs x").error.endswith("; see :cbow train --help")
    assert handle(session, ':train --name "unclosed').error == "cannot read the options: No closing quotation"


def test_cli_errors_come_back_as_the_outcome(session, capsys):
    outcome = handle(session, ":train --corpus nowhere.csv")
    assert outcome.command == "train" and "unknown corpus 'nowhere.csv'" in outcome.error
    assert "rnnplay: error" not in capsys.readouterr().err


def test_help_and_other_cbow_commands_print_into_the_block(session, tmp_path, capsys):
    help_text = handle(session, ":train --help")
    assert "Usage: rnnplay train [OPTIONS]" in help_text.data["output"] and help_text.data["saved"] is None
    exported = handle(session, f":cbow export {session.vectors_path} {tmp_path / 'planted.txt'}")
    assert exported.error is None and (tmp_path / "planted.txt").read_text().startswith("16 8\n")
    assert exported.data["output"].startswith("wrote ") and capsys.readouterr().err == ""


def test_is_training_only_for_a_real_training():
    assert is_training(["train", "--epochs", "1"]) and is_training(["cbow", "train"])
    assert not is_training(["train", "--help"]) and not is_training(["cbow", "eval", "x"])


def test_stderr_tap_passes_through_or_keeps_and_always_takes_error_lines():
    target = io.StringIO()
    live = StderrTap(target, passthrough=True)
    live.write("epoch 1/1\n")
    live.write("rnnplay: error: training cancelled; nothing was saved\n")
    assert target.getvalue() == "epoch 1/1\n" and live.error_lines == ["training cancelled; nothing was saved"]
    quiet = StderrTap(target, passthrough=False)
    quiet.write("wrote x\n")
    assert quiet.kept.getvalue() == "wrote x\n" and target.getvalue() == "epoch 1/1\n" and not quiet.isatty()
    with pytest.raises(io.UnsupportedOperation):
        quiet.fileno()
    assert quiet.encoding == "utf-8"


@pytest.mark.tensorflow
def test_a_real_training_on_the_tiny_corpus(session, models_dir):
    outcome = handle(session, f":train --corpus {TINY_CSV} --units 4 --embedding-dim 4 --epochs 1 --max-length 20 "
                              "--vocab-size 100 --dense-units 0 --name tiny")
    assert outcome.error is None, outcome.error
    assert session.classifier.name == "tiny" and session.classifier.stored.path == models_dir / "tiny"
    assert handle(session, "a fine film").data["model"] == "tiny"
    again = handle(session, f":train --corpus {TINY_CSV} --epochs 1 --name tiny")
    assert "already exists" in again.error and session.classifier.name == "tiny"


def test_race_runs_the_cli_race_and_its_mistakes_are_one_line(session, monkeypatch):
    assert handle(session, ":race --units 0").error == "--units must be a whole number from 1 to 512, not 0"
    assert handle(session, ":race --cell rnn").error == "unknown option '--cell' (did you mean --cells?); see :race --help"
    assert cli_arguments(session, "race", "") == ["race"]  # no --models-dir: a race saves no model
    assert is_training(["race"]) and not is_training(["race", "--help"])
    history = handle(session, ":race --history")
    assert history.error is None and "no saved races yet" in history.data["output"]

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    from rnnplay.training import race as engine

    monkeypatch.setattr(engine, "run_race", interrupted)
    assert handle(session, ":race --epochs 1").error == "race cancelled; nothing was saved"


def test_cbow_step_runs_the_tiny_trainer_in_the_repl(session):
    from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus

    vectors = session.vectors_path
    outcome = handle(session, ":cbow step --preset king --steps 20 --window 1")
    assert outcome.error is None, outcome.error
    model = TinyCbow(TinyCorpus.preset("king"), window=1)
    model.run(20)
    output = outcome.data["output"]
    assert f"→ {model.corpus_losses[-1]:.3f} after 20 updates" in output and "CBOW window ±1" in output
    assert "--models-dir" not in cli_arguments(session, "cbow", "step --steps 1")
    assert session.vectors_path == vectors  # a tiny model in memory changes nothing in use
    assert handle(session, ":cbow step --hidden 0").error.startswith("--hidden must be")
