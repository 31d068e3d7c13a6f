"""Word-pair and analogy evaluation: file reading, statistics, planted answers, and gensim's own figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay.errors import RnnplayError
from rnnplay.runtime.vectors import Vectors
from rnnplay.text import TextSettings
from rnnplay.vector_eval import (
    AnalogyResult,
    PairsResult,
    Question,
    SectionScore,
    average_ranks,
    evaluate_analogies,
    evaluate_pairs,
    pearson,
    read_analogies,
    read_pairs,
    reference_data,
    spearman,
)
from tests.bounded import assert_one_line, run_bounded


def make(words, matrix) -> Vectors:
    return Vectors(list(words), np.asarray(matrix, dtype=np.float32), TextSettings(standardize="none"), "m", "vectors")


def write(tmp_path: Path, text: str, name: str = "data.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def gensim_test_data() -> Path:
    pytest.importorskip("gensim")
    from gensim.test.utils import datapath

    folder = Path(datapath("questions-words.txt")).parent
    assert reference_data() == folder  # found without importing gensim, where gensim itself looks
    return folder


# --- reading -----------------------------------------------------------------------------------------


def test_read_pairs_takes_tabs_commas_spaces_and_comments(tmp_path):
    path = write(tmp_path, "# WordSim style\n# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\n\ntiger, cat, 7.35\nbook paper  7.46\n")
    assert read_pairs(path) == [("love", "sex", 6.77), ("tiger", "cat", 7.35), ("book", "paper", 7.46)]
    assert read_pairs(write(tmp_path, "a;b;1\n"), delimiter=";") == [("a", "b", 1.0)]


@pytest.mark.parametrize("text, message", [
    ("love\tsex\t6.77\ntiger\tcat\n", "line 2: expected 'word1<TAB>word2<TAB>score', got 'tiger\\\\tcat'"),
    ("love\tsex\tsix\n", "line 1: expected"),
    ("love\tsex\t1\t2\n", "line 1: expected"),
    ("# only a comment\n", "holds no word pairs"),
])
def test_read_pairs_names_the_bad_line(tmp_path, text, message):
    with pytest.raises(RnnplayError, match=message) as caught:
        read_pairs(write(tmp_path, text))
    assert str(tmp_path / "data.txt") in str(caught.value)


def test_read_pairs_refuses_missing_and_undecodable_files(tmp_path):
    with pytest.raises(RnnplayError, match="no such file"):
        read_pairs(tmp_path / "absent.tsv")
    (tmp_path / "latin1.tsv").write_bytes(b"caf\xe9\ttea\t5\n")
    with pytest.raises(RnnplayError, match="line 1: not valid UTF-8"):
        read_pairs(tmp_path / "latin1.tsv")


def test_read_analogies(tmp_path):
    path = write(tmp_path, ": capital-common-countries\nAthens Greece Baghdad Iraq\n\n: gram1-adjective-to-adverb\namazing amazingly apparent apparently\n")
    assert read_analogies(path) == [Question("capital-common-countries", "Athens", "Greece", "Baghdad", "Iraq"),
                                    Question("gram1-adjective-to-adverb", "amazing", "amazingly", "apparent", "apparently")]


@pytest.mark.parametrize("text, message", [
    (": s\nAthens Greece Baghdad\n", "line 2: expected four words 'a b c d', got 'Athens Greece Baghdad'"),
    ("Athens Greece Baghdad Iraq\n", "line 1: a question before the first ': section' line"),
    (": s\n", "holds no analogy questions"),
])
def test_read_analogies_names_the_bad_line(tmp_path, text, message):
    with pytest.raises(RnnplayError, match=message):
        read_analogies(write(tmp_path, text))


# --- hostile evaluation files: bounded reads, one clear line ------------------------------------


def test_hostile_lines_are_short_escaped_messages(tmp_path):
    cases = [
        (read_pairs, b"a\tb\t1\n" + b"x" * 10_000 + b"\n", r"line 2: longer than 4,100 bytes \(not a word-pairs file\?\); it starts 'xxxx"),
        (read_pairs, b"a\tb\t1\n\x1b]0;pwned\x07\tb\n", r"line 2: expected 'word1<TAB>word2<TAB>score', got '\\x1b\]0;pwned\\x07\\tb'"),
        (read_pairs, b"a\tb\tnan\n", "line 1: expected 'word1<TAB>word2<TAB>score'"),
        (read_pairs, b"a\tb\t1\x00\n", r"line 1: holds NUL bytes \(a binary file, not a word-pairs file\?\)"),
        (read_analogies, b": s\n" + b"a " * 3_000 + b"\n", r"line 2: longer than 4,100 bytes \(not an analogies file\?\)"),
        (read_analogies, b": s\na b c\xff d\n", "line 2: not valid UTF-8 \\('a b c\ufffd d\\\\n'\\)"),
    ]
    for reader, content, message in cases:
        path = tmp_path / "hostile.txt"
        path.write_bytes(content)
        with pytest.raises(RnnplayError, match=message) as caught:
            reader(path)
        assert_one_line(caught.value)


def test_section_names_keep_control_characters_as_escapes(tmp_path):
    path = write(tmp_path, ": capital\x1b[31m\nAthens Greece Baghdad Iraq\n")
    assert read_analogies(path)[0].section == "capital\\x1b[31m"


def test_folders_and_devices(tmp_path):
    with pytest.raises(RnnplayError, match="is a folder, not a word-pairs file"):
        read_pairs(tmp_path)
    with pytest.raises(RnnplayError, match=r"/dev/zero, line 1: longer than 4,100 bytes \(not an analogies file\?\); it starts '\\x00"):
        read_analogies(Path("/dev/zero"))


def test_a_file_of_many_short_lines_is_bounded(tmp_path, monkeypatch):
    import rnnplay.vector_eval as vector_eval

    monkeypatch.setattr(vector_eval, "MAX_EVAL_ITEMS", 3)
    with pytest.raises(RnnplayError, match="line 4: more than 3 entries; evaluate a smaller file"):
        read_pairs(write(tmp_path, "a b 1\n" * 4))
    assert len(read_pairs(write(tmp_path, "a b 1\n" * 3))) == 3
    monkeypatch.setattr(vector_eval, "MAX_EVAL_ITEMS", 1_000)
    monkeypatch.setattr(vector_eval, "MAX_EVAL_BYTES", 100)
    with pytest.raises(RnnplayError, match="data.txt is longer than .* MB: not an analogies file"):
        read_analogies(write(tmp_path, ": s\n" + "a b c d\n" * 20))


EVAL_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@EVAL_SETTINGS
@given(content=st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_pairs_analogies_or_one_line(tmp_path, content):
    path = tmp_path / "any.txt"
    path.write_bytes(content)
    for reader in (read_pairs, read_analogies):
        try:
            result = reader(path)
        except RnnplayError as error:
            assert_one_line(error, limit=300 + len(str(path)))
        else:
            assert result and all(isinstance(item, tuple) for item in result)


@EVAL_SETTINGS
@given(rows=st.lists(st.tuples(st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"], blacklist_characters=",#:"),
                                       min_size=1, max_size=6).filter(lambda w: w.split() == [w]),
                               st.floats(-100, 100)), min_size=1, max_size=8))
def test_written_pairs_read_back(tmp_path, rows):
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{word}\t{word}x\t{score!r}\n" for word, score in rows), encoding="utf-8")
    assert read_pairs(path) == [(word, word + "x", score) for word, score in rows]


def test_cbow_eval_refuses_a_50_mb_line_and_dev_zero_in_bounded_memory(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_bytes(b"love\tsex\t6.77\n" + b"w" * 50_000_000 + b"\n")
    for flag, data in (("--pairs", str(path)), ("--analogies", "/dev/zero")):
        result = run_bounded("cbow", "eval", "no-such-model", flag, data)  # the files are read before the model
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr[-500:]
        assert "line " in result.stderr and "longer than 4,100 bytes" in result.stderr and len(result.stderr) < 300


# --- statistics --------------------------------------------------------------------------------------


def test_average_ranks_share_ties():
    assert average_ranks([10, 20, 20, 30, 20]).tolist() == [1, 3, 3, 5, 3]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3])) and np.isnan(pearson([1.0], [2.0]))


def test_spearman_and_pearson_agree_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.integers(0, 6, size=40).astype(float)  # many ties
        y = x + rng.integers(-3, 4, size=40)
        assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y)[0], abs=1e-12)
        assert pearson(x, y) == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)


# --- evaluation on planted geometry --------------------------------------------------------------------


def test_pairs_on_planted_vectors(planted_vectors):
    planted = Vectors.load(planted_vectors)
    pairs = [("good", "great", 9.0), ("GOOD", "excellent", 8.0), ("good", "bad", 1.0), ("Good", "awful", 2.0), ("good", "zzz", 5.0)]
    result = evaluate_pairs(planted, pairs)
    cosines = [planted.similarity(a, b) for a, b, _ in pairs[:4]]
    assert result == PairsResult(pytest.approx(1.0), pytest.approx(pearson([9, 8, 1, 2], cosines)), 4, 5)
    with pytest.raises(RnnplayError, match="none of the 1 word pairs has both words in planted's vocabulary"):
        evaluate_pairs(planted, [("zzz", "good", 1.0)])


def test_analogies_on_planted_vectors(planted_vectors):
    planted = Vectors.load(planted_vectors)
    questions = [Question("gender", *q.split()) for q in
                 ("man woman actor actress", "Man Woman King Queen", "king queen man woman", "man woman zzz qqq")]
    questions += [Question("sentiment", *q.split()) for q in ("good great bad awful", "good bad great excellent")]
    result = evaluate_analogies(planted, questions)
    assert result == AnalogyResult(0.8, 4, 5, 6, {"gender": SectionScore(3, 3, 4), "sentiment": SectionScore(1, 2, 2)})
    assert result.sections["gender"].accuracy == 1.0
    # Only the first 13 words (up to actress) take part: the king and queen questions are skipped.
    restricted = evaluate_analogies(planted, questions, restrict_vocab=13)
    assert (restricted.correct, restricted.used, restricted.total) == (2, 3, 6)


def test_a_case_variant_of_a_query_word_is_passed_over_as_gensim_does():
    e = np.eye(5)
    vectors = make(["a", "b", "c", "C", "d"], [e[0], e[1], e[2], e[2] + 0.01 * e[3], e[2] + 0.3 * e[1] + e[4]])
    # b - a + c is nearest to "C" (a spelling of the query word c), then to "d", the expected answer.
    assert vectors.rank(vectors.unit[1] - vectors.unit[0] + vectors.unit[2], 1, [0, 1, 2])[0][0] == "C"
    result = evaluate_analogies(vectors, [Question("s", "a", "b", "c", "d"), Question("s", "a", "b", "c", "c")])
    assert (result.correct, result.used) == (1, 2)


def test_analogies_are_batched_and_fast():
    import time

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30_000)]
    vectors = make(words, rng.standard_normal((30_000, 100)))
    picks = rng.integers(0, 30_000, size=(2_000, 4))
    questions = [Question("s", *(words[i] for i in row)) for row in picks]
    start = time.perf_counter()
    result = evaluate_analogies(vectors, questions)
    assert time.perf_counter() - start < 10  # ~1 s measured for 2,000 questions
    assert result.used == 2_000 and result.correct <= 5


# --- gensim's own evaluation on the same vectors ----------------------------------------------------------


@pytest.fixture(scope="module")
def structured():
    """Vectors over the words of gensim's data sets, with relations planted so some analogies hold.

    Some words also appear capitalised (nearly the same vector, sometimes before the lower-case form),
    so case folding and gensim's passing over of query-word variants are both exercised.
    """
    folder = gensim_test_data()
    questions = read_analogies(folder / "questions-words.txt")
    pairs = read_pairs(folder / "wordsim353.tsv") + read_pairs(folder / "simlex999.txt")
    rng = np.random.default_rng(7)
    words = list(dict.fromkeys(w.lower() for q in questions for w in q[1:]))
    words += [w for w in dict.fromkeys(w.lower() for p in pairs for w in p[:2]) if w not in set(words)]
    rng.shuffle(words)
    words = words[: int(len(words) * 0.93)]  # some questions and pairs fall out of the vocabulary
    dimension = 40
    vector = {w: rng.standard_normal(dimension) for w in words}
    offsets, placed = {}, set()
    for q in questions:
        offset = offsets.setdefault(q.section, rng.standard_normal(dimension))
        for x, y in ((q.a, q.b), (q.c, q.expected)):
            x, y = x.lower(), y.lower()
            if x in vector and y in vector and y not in placed:
                vector[y] = vector[x] + offset + 0.9 * rng.standard_normal(dimension)
                placed.add(y)
    variants = rng.choice(len(words), size=len(words) // 10, replace=False)
    ordered = list(words)
    for i in sorted(variants, reverse=True):
        capital = words[i].capitalize()
        if capital != words[i]:
            ordered.insert(i + (1 if i % 2 else 0), capital)  # after the lower-case form, or before it
            vector[capital] = vector[words[i]] + 0.05 * rng.standard_normal(dimension)
    matrix = np.array([vector[w] for w in ordered], dtype=np.float32)
    return folder, questions, make(ordered, matrix)


def gensim_keyed_vectors(vectors: Vectors):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.vector_size)
    kv.add_vectors(vectors.index_to_key, vectors.vectors)
    return kv


@pytest.mark.parametrize("restrict_vocab", [300_000, 2_000])
def test_analogy_accuracy_matches_gensim(structured, restrict_vocab):
    folder, questions, vectors = structured
    score, sections = gensim_keyed_vectors(vectors).evaluate_word_analogies(str(folder / "questions-words.txt"), restrict_vocab=restrict_vocab)
    total = sections[-1]
    ours = evaluate_analogies(vectors, questions, restrict_vocab=restrict_vocab)
    assert ours.total == len(questions) == 19_544
    assert (ours.correct, ours.used) == (len(total["correct"]), len(total["correct"]) + len(total["incorrect"]))
    assert ours.accuracy == pytest.approx(score) and 0.05 < ours.accuracy < 0.95
    for section in sections[:-1]:
        assert ours.sections[section["section"]][:2] == (len(section["correct"]), len(section["correct"]) + len(section["incorrect"]))


@pytest.mark.parametrize("name", ["wordsim353.tsv", "simlex999.txt"])
def test_pair_correlations_match_gensim(structured, name):
    folder, _, vectors = structured
    pearson_r, spearman_r, oov_ratio = gensim_keyed_vectors(vectors).evaluate_word_pairs(str(folder / name))
    pairs = read_pairs(folder / name)
    ours = evaluate_pairs(vectors, pairs)
    assert ours.spearman == pytest.approx(spearman_r[0], abs=1e-6) and ours.pearson == pytest.approx(pearson_r[0], abs=1e-6)
    assert ours.total == len(pairs) and 100 * (ours.total - ours.used) / ours.total == pytest.approx(oov_ratio)
    assert ours.used < ours.total
