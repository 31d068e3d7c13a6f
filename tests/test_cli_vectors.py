"""The word-vector commands: neighbours, analogy, similarity, guess, and cbow export / eval / import."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from rnnplay.cli import app
from rnnplay.runtime.vectors import Vectors
from rnnplay.vector_formats import read_word2vec, write_word2vec
from tests.conftest import ROOT, SHIPPED_MODEL

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def run(*args: str):
    return runner.invoke(app, list(args), env=WIDE)


def table(output: str) -> list[list[str]]:
    """The rows of a ranking table: rank, word, score (the bar is left out)."""
    return [line.split()[:3] for line in output.splitlines() if line.split() and line.split()[0].isdigit()]


def assert_one_line_error(result, message: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith("rnnplay: error: ") and message in result.stderr, result.stderr


def test_neighbours_table(planted_vectors):
    result = run("neighbours", "Good", "-k", "3", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "nearest to 'Good' in planted (16 words × 8)"
    assert table(result.stdout) == [["1", "great", "0.9852"], ["2", "excellent", "0.9274"], ["3", "the", "0.0000"]]
    assert "███████████████████▊" in result.stdout  # 0.9852 of 20 characters


def test_neighbours_by_model_name(planted_vectors, models_dir):
    shutil.copytree(planted_vectors, models_dir / "mine")
    result = run("neighbours", "bad", "--top", "1", "--vectors", "mine")
    assert result.exit_code == 0 and table(result.stdout) == [["1", "awful", "0.9852"]]


def test_neighbours_in_the_classifier_embedding():
    expected = Vectors.load(SHIPPED_MODEL).neighbours("excellent", k=5)
    result = run("neighbours", "excellent", "-k", "5", "--vectors", "imdb-bilstm")
    assert result.exit_code == 0, result.output
    assert "imdb-bilstm (a classifier's embedding, 19,998 words × 64)" in result.stdout
    assert table(result.stdout) == [[str(i), w, f"{s:.4f}"] for i, (w, s) in enumerate(expected, start=1)]


def test_analogy_and_similarity(planted_vectors):
    result = run("analogy", "actor", "man", "woman", "-k", "2", "--vectors", str(planted_vectors))
    assert result.exit_code == 0 and result.stdout.startswith("actor − man + woman in planted")
    assert table(result.stdout) == [["1", "actress", "1.0000"], ["2", "queen", "0.5000"]]
    result = run("similarity", "good", "Bad", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "cosine(good, Bad): one-hot against dense"
    assert lines[2].split() == ["planted", "(word", "vectors)", "0", "\u22120.83", "16", "long", "·", "8", "numbers"]
    assert lines[3].split()[:4] == ["imdb-bilstm", "(classifier)", "0", signed_cosine(SHIPPED_MODEL, "good", "bad")]


def signed_cosine(model, a: str, b: str) -> str:
    space = Vectors.load(model)
    return f"{space.similarity(a, b):+.2f}".replace("-", "\u2212")


def test_similarity_json_and_unknown_words(planted_vectors):
    result = run("similarity", "good", "zzzq", "--vectors", str(planted_vectors), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    planted, classifier = data["spaces"]
    assert planted["one_hot_cosine"] is None and planted["words"][1]["index"] is None
    assert "“zzzq” is not in planted's vocabulary (16 words): no vector" in planted["note"]
    assert classifier["words"][1]["index"] == 1 and "read as [UNK] (id 1)" in classifier["note"]
    assert classifier["one_hot_cosine"] == 0.0 and len(classifier["words"][0]["vector"]) == 64


def test_onehot_draws_both_vectors(planted_vectors):
    result = run("onehot", "good", "great", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    assert "0…0 1 0…0  (1 at row 4 of 16)" in result.stdout and "0…0 1 0…0  (1 at row 5 of 16)" in result.stdout
    assert "(1 at id 49 of 20,000)" in result.stdout  # good in imdb-bilstm
    assert "planted (word vectors): one-hot 16 long, dense 8 numbers" in result.stdout


def test_onehot_cost_on_a_text():
    result = run("onehot", "--cost", "a fine film with a dull ending", "--json")
    assert result.exit_code == 0, result.output
    cost = json.loads(result.stdout)["cost"]
    assert (cost["model"], cost["tokens"], cost["vocab"], cost["dimension"]) == ("imdb-bilstm", 7, 20_000, 64)
    assert cost["equal"] and cost["one_hot_bytes"] == 7 * 20_000 * 4 and cost["ids_bytes"] == 28
    result = run("onehot", "--cost", "a fine film")
    assert result.exit_code == 0 and "lookup against one-hot × Dense: 3 tokens, W 20,000 × 64 (imdb-bilstm's embedding)" in result.stdout
    assert "same numbers: yes, exactly" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["onehot"], "onehot takes two words"),
    (["onehot", "good"], "onehot takes two words (e.g. rnnplay onehot good great), not 1"),
    (["similarity", "good", "bad", "--model", "imdb-cbow"], "imdb-cbow is word vectors, not a classifier"),
])
def test_onehot_and_similarity_mistakes(args, message):
    assert_one_line_error(run(*args), message, 2 if args[0] == "onehot" else 1)


def test_guess(planted_vectors):
    expected = Vectors.load(planted_vectors).guess("The film ___ was plot", k=2)
    result = run("guess", "The film ___ was plot", "-k", "2", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("context (2 each side): the film ___ was plot")
    assert table(result.stdout) == [[str(i), w, f"{p:.4f}"] for i, (w, p) in enumerate(expected, start=1)]
    assert table(result.stdout)[0][1:] == ["great", "0.3018"]


def test_guess_can_leave_the_context_words_out(planted_vectors):
    planted = Vectors.load(planted_vectors)
    expected = planted.guess("The film ___ was plot", k=3, exclude_context=True)
    assert "the" in [w for w, _ in planted.guess("The film ___ was plot", k=3)]
    result = run("guess", "The film ___ was plot", "-k", "3", "--exclude-context", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("context (2 each side): the film ___ was plot (context words left out)")
    assert table(result.stdout) == [[str(i), w, f"{p:.4f}"] for i, (w, p) in enumerate(expected, start=1)]
    assert not {"the", "film", "was", "plot"} & {row[1] for row in table(result.stdout)}


@pytest.mark.parametrize("args, message", [
    (["neighbours", "excelent"], 'did you mean: excellent?'),
    (["neighbours", ""], "give a word, not an empty string"),
    (["neighbours", "?!"], "'?!' is empty once standardized"),
    (["neighbours", "good film"], "is 2 words"),
    (["similarity", "good", "two words"], "is 2 words"),  # an unknown word is shown, not refused (see above)
    (["analogy", "actor", "man", "womann"], "did you mean: woman?"),
    (["guess", "no blank here"], "put one blank (___)"),
    (["guess", "___ two ___"], "2 blanks"),
    (["guess", ""], "not an empty one"),
    (["guess", "zzz ___ qqq"], "none of the words around the blank (zzz, qqq) is in planted's vocabulary"),
    (["guess", "___"], "the text has no words around the blank (___) to guess from"),
])
def test_user_errors_are_one_line(planted_vectors, args, message):
    assert_one_line_error(run(*args, "--vectors", str(planted_vectors)), message)


def test_guess_on_a_classifier_is_refused():
    result = run("guess", "the acting was ___ and the plot made no sense", "--vectors", "imdb-bilstm")
    assert_one_line_error(result, "imdb-bilstm is a classifier's embedding: it has no output layer to guess with; use CBOW vectors")


def test_missing_and_corrupt_models(planted_vectors, tmp_path, monkeypatch):
    assert_one_line_error(run("neighbours", "good", "--vectors", "nosuch"), "no model named 'nosuch'")
    result = run("neighbours", "good", "-k", "1")  # the shipped imdb-cbow is the default
    assert result.exit_code == 0 and result.stdout.startswith("nearest to 'good' in imdb-cbow"), result.output
    monkeypatch.setattr("rnnplay.commands.common.DEFAULT_VECTORS", "gone-cbow")  # a missing default gets a hint
    assert_one_line_error(run("neighbours", "good", "--vectors", "gone-cbow"),
                          "no model named 'gone-cbow' (known: imdb-bilstm, imdb-cbow, imdb-lstm, reviews-cbow); pass --vectors NAME")
    broken = tmp_path / "broken"
    shutil.copytree(planted_vectors, broken)
    (broken / "vocab.txt").write_text("edited\n")
    assert_one_line_error(run("neighbours", "good", "--vectors", str(broken)), "does not match its card")


def test_word_commands_never_import_tensorflow(planted_vectors):
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom rnnplay.cli import app\n"
            "for args in (['neighbours', 'good', '--vectors', 'imdb-bilstm'], ['analogy', 'actor', 'man', 'woman', '--vectors', P],\n"
            "             ['similarity', 'good', 'bad', '--vectors', P], ['guess', 'the film ___ was', '--vectors', P],\n"
            "             ['onehot', 'good', 'bad', '--cost', 'a fine film', '--vectors', P], ['map', '--vectors', P],\n"
            "             ['guess', 'the film ___ was', '--dissect', '--vectors', P],\n"
            "             ['cbow', 'export', P, OUT]):\n"
            "    r = CliRunner().invoke(app, args)\n    assert r.exit_code == 0, r.output\n"
            "import rnnplay.vector_eval, rnnplay.vector_formats\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    prelude = f"P = {str(planted_vectors)!r}\nOUT = {str(planted_vectors.parent / 'no-tf.txt')!r}\n"
    out = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr


def test_help_lists_the_word_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert all(name in result.stdout for name in ("neighbours", "analogy", "similarity", "guess", "cbow"))
    result = run("cbow", "--help")
    assert all(name in result.stdout for name in ("export", "eval", "import"))


# --- cbow export / eval / import ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, binary", [("word2vec", False), ("word2vec-binary", True)])
def test_export_word2vec(planted_vectors, tmp_path, fmt, binary):
    out = tmp_path / "out" / "planted.vec"
    result = run("cbow", "export", str(planted_vectors), str(out), "--format", fmt)
    assert result.exit_code == 0 and f"16 words × 8 ({fmt})" in result.stderr
    words, matrix, detected, _declared = read_word2vec(out)
    planted = Vectors.load(planted_vectors)
    assert words == planted.index_to_key and detected == binary
    np.testing.assert_array_equal(matrix, planted.vectors)
    assert_one_line_error(run("cbow", "export", str(planted_vectors), str(out), "--format", fmt), "already exists (use --force")
    assert run("cbow", "export", str(planted_vectors), str(out), "--format", fmt, "--force").exit_code == 0


def test_export_projector_and_bad_format(planted_vectors, tmp_path):
    result = run("cbow", "export", str(planted_vectors), str(tmp_path / "proj"), "-f", "projector")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "proj" / "metadata.tsv").read_text().splitlines()[:3] == ["the", "film", "was"]
    assert [len(line.split("\t")) for line in (tmp_path / "proj" / "vectors.tsv").read_text().splitlines()] == [8] * 16
    assert_one_line_error(run("cbow", "export", str(planted_vectors), str(tmp_path / "x"), "-f", "glove"),
                          "--format must be one of word2vec, word2vec-binary, projector", code=2)


def test_export_the_classifier_embedding(tmp_path):
    result = run("cbow", "export", "imdb-bilstm", str(tmp_path / "emb.bin"), "-f", "word2vec-binary")
    assert result.exit_code == 0
    words, matrix, _, _declared = read_word2vec(tmp_path / "emb.bin")
    assert len(words) == 19_998 and matrix.shape == (19_998, 64)


def test_eval_with_small_files(planted_vectors, tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("# word1\tword2\tscore\ngood\tgreat\t9\ngood\texcellent\t8\ngood\tbad\t1\ngood\tawful\t2\ngood\tzzz\t5\n")
    questions = tmp_path / "questions.txt"
    questions.write_text(": gender\nman woman actor actress\nman woman king queen\nman woman zzz qqq\n: sentiment\ngood bad great excellent\n")
    result = run("cbow", "eval", str(planted_vectors), "--pairs", str(pairs), "--analogies", str(questions))
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line.strip()}
    assert lines["pairs.tsv"][1:6] == ["Spearman", "1.0000", "4", "/", "5"]
    assert lines["questions.txt"][1:6] == ["accuracy", "0.6667", "3", "/", "4"]
    assert lines["gender"][1:] == ["1.0000", "2", "/", "3"] and lines["sentiment"][1:] == ["0.0000", "1", "/", "1"]


def test_eval_errors(planted_vectors, tmp_path, monkeypatch):
    assert_one_line_error(run("cbow", "eval", str(planted_vectors), "--pairs", str(tmp_path / "absent.tsv")), "no such file")
    (tmp_path / "bad.txt").write_text(": s\na b c\n")
    assert_one_line_error(run("cbow", "eval", str(planted_vectors), "--analogies", str(tmp_path / "bad.txt")), "bad.txt, line 2: expected four words")
    monkeypatch.setattr("rnnplay.vector_eval.reference_data", lambda: None)
    assert_one_line_error(run("cbow", "eval", str(planted_vectors)), "give --pairs FILE and/or --analogies FILE", code=2)


def test_eval_defaults_to_gensims_data_files():
    pytest.importorskip("gensim")
    from rnnplay.vector_eval import evaluate_pairs, read_pairs, reference_data

    result = run("cbow", "eval", "imdb-bilstm")
    assert result.exit_code == 0, result.output
    expected = evaluate_pairs(Vectors.load(SHIPPED_MODEL), read_pairs(reference_data() / "simlex999.txt"))
    simlex = next(line.split() for line in result.stdout.splitlines() if line.startswith("simlex999.txt"))
    assert simlex[1:6] == ["Spearman", f"{expected.spearman:.4f}", f"{expected.used:,}", "/", "999"]
    assert "wordsim353.tsv" in result.stdout and "capital-common-countries" in result.stdout and "/ 19,544" in result.stdout


def test_import_then_query(tmp_path, models_dir):
    source = tmp_path / "cities.txt"
    source.write_text("4 2\nparis 1 0\nlondon 0.9 0.1\nrome 0 1\nparis 3 3\n")
    result = run("cbow", "import", str(source), "--name", "cities")
    assert result.exit_code == 0, result.output
    assert "note: skipped 1 repeated words" in result.stderr and "3 words × 2 (word2vec)" in result.stderr
    assert (models_dir / "cities" / "card.json").is_file()
    assert table(run("neighbours", "Paris", "-k", "1", "--vectors", "cities").stdout) == [["1", "london", "0.9939"]]
    assert_one_line_error(run("guess", "paris ___ rome", "--vectors", "cities"), "cities is imported vectors: it has no output layer")
    assert_one_line_error(run("cbow", "import", str(source), "--name", "cities"), "already exists")
    assert run("cbow", "import", str(source), "--name", "cities", "--force").exit_code == 0
    assert "cities" in run("models").stdout and "imported 2-d, vocab 3" in run("models").stdout


def test_import_takes_the_first_words_with_limit(tmp_path, models_dir):
    source = tmp_path / "cities.txt"
    source.write_text("4 2\nparis 1 0\nlondon 0.9 0.1\nrome 0 1\nberlin 3 3\n")
    result = run("cbow", "import", str(source), "--name", "two", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "2 words × 2 (word2vec)" in result.stderr
    assert table(run("neighbours", "paris", "-k", "5", "--vectors", "two").stdout) == [["1", "london", "0.9939"]]
    assert_one_line_error(run("cbow", "import", str(source), "--name", "none", "--limit", "0"), "--limit", code=2)


def test_import_errors(tmp_path):
    assert_one_line_error(run("cbow", "import", str(tmp_path / "absent.bin")), "no such file")
    (tmp_path / "bad.txt").write_text("not a header\n")
    assert_one_line_error(run("cbow", "import", str(tmp_path / "bad.txt")), "not a word2vec file")
    (tmp_path / "ok.txt").write_text("1 1\na 1\n")
    assert_one_line_error(run("cbow", "import", str(tmp_path / "ok.txt"), "--standardize", "upper"), "--standardize must be one of", code=2)


def test_exported_file_imports_back(planted_vectors, tmp_path, models_dir):
    out = tmp_path / "planted.bin"
    write_word2vec(Vectors.load(planted_vectors), out, binary=True)
    assert run("cbow", "import", str(out)).exit_code == 0
    again = Vectors.load(models_dir / "planted")
    assert again.analogy("actor", "man", "woman", k=1)[0][0] == "actress"


# --- cbow train ------------------------------------------------------------------------------------------------


def assert_error_after_progress(result, message: str, code: int = 1) -> None:
    """One error line, last; before it only the progress display's phase lines (and Rich's blank line)."""
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.stdout == "" and lines and "Traceback" not in result.stderr
    assert lines[-1].startswith("rnnplay: error: ") and message in lines[-1], result.stderr
    assert all(line.endswith("…") for line in lines[:-1]), result.stderr


def write_corpus(path):
    """A few hundred short texts where 'zorp' and 'blick' always sit between 'glim' and 'frap'."""
    import random

    rng = random.Random(0)
    filler = [c + v for c in "bdfgklmnprst" for v in ("a", "e", "i", "o", "u")]
    lines = []
    for i in range(300):
        words = [rng.choice(filler) for _ in range(8)]
        if i % 3 == 0:
            words[4:4] = ["glim", "zorp" if i % 2 else "blick", "frap"]
        lines.append(" ".join(words))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.tensorflow
def test_cbow_train_then_query(tmp_path):
    corpus = write_corpus(tmp_path / "tiny.txt")
    models = tmp_path / "vecs"
    result = run("cbow", "train", "--corpus", str(corpus), "--min-count", "1", "--epochs", "2", "--name", "x",
                 "--models-dir", str(models), "--dimension", "16")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"saved {models / 'x'}: 64 words × 16" in " ".join(result.stderr.split())
    card = json.loads((models / "x" / "card.json").read_text())
    assert card["kind"] == "vectors" and card["training"]["config"]["epochs"] == 2 and card["training"]["texts"] == 300
    result = run("neighbours", "zorp", "-k", "3", "--vectors", str(models / "x"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("nearest to 'zorp' in x (64 words × 16)") and len(table(result.stdout)) == 3
    result = run("guess", "glim ___ frap", "-k", "2", "--vectors", "x", "--models-dir", str(models))
    assert result.exit_code == 0 and len(table(result.stdout)) == 2
    assert_error_after_progress(run("cbow", "train", "--corpus", str(corpus), "--min-count", "1", "--name", "x",
                                    "--models-dir", str(models)), "already exists")


def test_cbow_train_names_the_model_after_the_corpus(tmp_path, models_dir):
    corpus = write_corpus(tmp_path / "tiny.txt")
    (models_dir / "tiny-cbow").mkdir(parents=True)
    assert_error_after_progress(run("cbow", "train", "--corpus", str(corpus)), f"a model already exists at {models_dir / 'tiny-cbow'}")


@pytest.mark.parametrize("args, message", [
    (["--window", "0"], "--window must be a whole number from 1 to 50, not 0"),
    (["--dimension", "0"], "--dimension must be a whole number from 1 to 1,024, not 0"),
    (["--workers", "0", "--epochs", "0"], "--epochs must be a whole number from 1 to 1,000, not 0; --workers must be a whole number from 1 to 64, not 0"),
    (["--sample", "1"], "--sample must be a number at least 0 and below 1, not 1.0"),
    (["--alpha", "0.00001"], "--min-alpha (0.0001) must not be above --alpha (1e-05)"),
    (["--max-vocab", "1"], "--max-vocab must be a whole number from 2 to 5,000,000, not 1"),
    (["--training-split", "-1"], "--training-split must be a whole number from 0"),
])
def test_cbow_train_bad_options(tmp_path, args, message):
    corpus = write_corpus(tmp_path / "tiny.txt")
    assert_one_line_error(run("cbow", "train", "--corpus", str(corpus), *args), message, code=2)


@pytest.mark.parametrize("corpus, message", [
    ("imbd", "unknown corpus 'imbd': not a built-in corpus (imdb, rt, reviews) and no file or folder by that name"),
    ("{tmp}/absent.txt", "no file or folder by that name"),
    ("{tmp}/one.txt", "fewer than 2 words occur 5 times or more"),
    ("{tmp}/blank.txt", "has no texts"),
])
def test_cbow_train_bad_corpus(tmp_path, corpus, message):
    (tmp_path / "one.txt").write_text("the the the the the the\n")
    (tmp_path / "blank.txt").write_text("\n\n")
    assert_error_after_progress(run("cbow", "train", "--corpus", corpus.format(tmp=tmp_path)), message)
    assert not any(tmp_path.glob("models/*"))


def test_map_of_words(planted_vectors):
    result = run("map", "good,great,excellent", "bad,awful,terrible", "--vectors", str(planted_vectors), "--json")
    assert result.exit_code == 0, result.output
    planted, classifier = json.loads(result.stdout)["maps"]
    assert planted["name"] == "planted" and planted["missing"] == ["terrible"] and len(planted["points"]) == 5
    assert classifier["name"] == "imdb-bilstm" and classifier["missing"] == [] and len(classifier["points"]) == 6
    assert 0 < classifier["kept"] <= 1
    result = run("map", "--vectors", str(planted_vectors))
    assert result.exit_code == 0 and "of variance" in result.stdout and "left off: terrible" in result.stdout


def test_guess_dissected(planted_vectors):
    result = run("guess", "The film ___ was plot", "--dissect", "-k", "3", "--json", "--vectors", str(planted_vectors))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = Vectors.load(planted_vectors).guess("The film ___ was plot", k=3)
    assert [(r["word"], round(r["probability"], 6)) for r in data["final"]] == [(w, round(p, 6)) for w, p in expected]
    assert data["left"] == ["the", "film"] and data["right"] == ["was", "plot"] and data["prior"] is False
    result = run("guess", "The film ___ was plot zzzq", "--dissect", "--vectors", str(planted_vectors))
    assert result.exit_code == 0 and "gensim: softmax(W′·h)" in result.stdout
    assert "skipped, not in planted's vocabulary: zzzq" in result.stdout
    assert_one_line_error(run("guess", "the ___", "--json", "--vectors", str(planted_vectors)), "--json goes with --dissect", 2)


def test_cbow_training_split_needs_labelled_texts(tmp_path):
    corpus = write_corpus(tmp_path / "tiny.txt")
    result = run("cbow", "train", "--corpus", str(corpus), "--training-split", "0", "--models-dir", str(tmp_path / "vecs"))
    assert_one_line_error(result, "--training-split needs the labelled corpus the classifier trains on", code=2)
