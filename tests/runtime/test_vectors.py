"""Word-vector queries on planted geometry (exact answers) and on the shipped classifier's embedding."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnplay.errors import RnnplayError
from rnnplay.runtime.vectors import Cbow, UnknownWord, Vectors, cosines_across, guesser, nearest_first, softmax, unit_rows
from rnnplay.store import load_model
from rnnplay.text import TextSettings
from tests.conftest import PLANTED_WORDS, SHIPPED_MODEL, planted_arrays, write_raw_model, write_vectors_model


@pytest.fixture(scope="module")
def planted(planted_vectors):
    return Vectors.load(planted_vectors)


def cos(u, v):
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def test_loads_words_rows_and_window_from_the_card(planted):
    assert planted.index_to_key == PLANTED_WORDS and len(planted) == 16 and planted.vector_size == 8
    assert planted.window == 2 and planted.source_kind == "vectors" and planted.name == "planted"
    assert planted.vectors.dtype == planted.unit.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(planted.unit[:-1], axis=1), 1.0, rtol=1e-6)
    assert not planted.unit[planted.key_to_index["nothing"]].any() and np.isfinite(planted.unit).all()


def test_lookup_standardizes_like_the_model_text():
    v = Vectors(["good", "dont"], np.eye(2), TextSettings(), "m", "vectors")
    assert v.lookup("Good!") == 0 and v.lookup("don't") == 1 and v.lookup("  GOOD ") == 0


def test_neighbours_rank_by_cosine_and_leave_out_the_query(planted):
    arrays = planted_arrays()["input"]
    good, great, excellent = (arrays[PLANTED_WORDS.index(w)] for w in ("good", "great", "excellent"))
    result = planted.neighbours("good", k=2)
    assert [w for w, _ in result] == ["great", "excellent"]
    assert result[0][1] == pytest.approx(cos(good, great), abs=1e-6) == pytest.approx(0.98521, abs=1e-5)
    assert result[1][1] == pytest.approx(cos(good, excellent), abs=1e-6)
    # Past the planted neighbours every score is 0: ties come in vocabulary order; the opposites come last.
    everything = planted.neighbours("good", k=100)
    assert len(everything) == 15 and "good" not in dict(everything)
    assert [w for w, _ in everything[2:4]] == ["the", "film"]
    assert [w for w, _ in everything[-2:]] == ["awful", "bad"]
    assert everything[-1][1] == pytest.approx(cos(good, arrays[PLANTED_WORDS.index("bad")]), abs=1e-6)


def test_neighbours_of_a_vector_and_with_exclusions(planted):
    e = np.eye(8)
    assert planted.neighbours(e[5] + e[4], k=1) == [("actress", pytest.approx(1.0))]
    assert planted.neighbours("good", k=1, exclude=["great", "Excellent"]) == [("the", 0.0)]
    assert planted.neighbours("good", k=2, exclude=["great", "unknownword"])[0][0] == "excellent"


def test_analogy_is_gensims_3cosadd(planted):
    assert planted.analogy("actor", "man", "woman", k=2) == [("actress", pytest.approx(1.0, abs=1e-6)), ("queen", pytest.approx(0.5, abs=1e-6))]
    assert planted.analogy("king", "man", "woman", k=1)[0][0] == "queen"
    assert {"actor", "man", "woman"}.isdisjoint(w for w, _ in planted.analogy("actor", "man", "woman", k=20))


def test_similarity_is_the_cosine(planted):
    arrays = planted_arrays()["input"]
    expected = cos(arrays[PLANTED_WORDS.index("good")], arrays[PLANTED_WORDS.index("bad")])
    assert planted.similarity("good", "bad") == pytest.approx(expected, abs=1e-6) == pytest.approx(-0.83486, abs=1e-5)
    assert planted.similarity("Man", "man") == pytest.approx(1.0)
    assert planted.similarity("nothing", "good") == 0.0


def test_unknown_word_offers_the_nearest_spellings(planted):
    with pytest.raises(UnknownWord) as caught:
        planted.lookup("excelent")
    assert str(caught.value) == '"excelent" is not in planted\'s vocabulary (16 words); did you mean: excellent?'
    assert caught.value.suggestions == ["excellent"] and isinstance(caught.value, RnnplayError)
    with pytest.raises(UnknownWord, match=r"\(16 words\)$"):
        planted.neighbours("zzzzzz")


@pytest.mark.parametrize("word, message", [("", "give a word"), ("  ", "give a word"), ("!!!", "'!!!' is empty once standardized"),
                                           ("good film", "is 2 words")])
def test_empty_or_several_words_are_refused(planted, word, message):
    with pytest.raises(RnnplayError, match=message):
        planted.neighbours(word)


def test_zero_vector_has_no_neighbours(planted):
    with pytest.raises(RnnplayError, match="zero vector"):
        planted.neighbours("nothing")
    with pytest.raises(RnnplayError, match="zero vector"):
        planted.analogy("good", "good", "nothing")


def test_guess_is_the_softmax_of_the_output_rows_on_the_mean_context(planted):
    arrays = planted_arrays()
    context = ["the", "film", "was", "plot"]
    hidden = arrays["input"][[PLANTED_WORDS.index(w) for w in context]].mean(axis=0)
    scores = arrays["output"] @ hidden
    expected = np.exp(scores) / np.exp(scores).sum()
    result = planted.guess("The film ___ was plot", k=3)
    assert [w for w, _ in result] == ["great", "excellent", "the"]
    for word, p in result:
        assert p == pytest.approx(expected[PLANTED_WORDS.index(word)], rel=1e-5)
    assert result[0][1] == pytest.approx(np.exp(2) / (np.exp(2) + np.exp(1.125) + np.exp(0.5) + np.exp(-1) + 12), rel=1e-5)
    assert sum(p for _, p in planted.guess("the film ___ was plot", k=16)) == pytest.approx(1.0)


def test_guess_reads_window_known_words_on_each_side(planted):
    assert planted.context("good bad the film ___ was plot good good") == (["the", "film"], ["was", "plot"])
    # Unknown words are dropped before the window is counted, as word2vec never saw them either.
    assert planted.context("the zzz film xyz ___ qq was") == (["the", "film"], ["was"])
    assert planted.context("awful?___,good") == (["awful"], ["good"])
    assert planted.guess("good bad the film ___ was plot good good") == planted.guess("the film ___ was plot")


@pytest.mark.parametrize("text, message", [
    ("the acting was good", "put one blank"),
    ("___ and ___", "2 blanks"),
    ("the __ blank is too short", "put one blank"),
    ("zzz qqq ___ xxx", r"none of the words around the blank \(zzz, qqq, xxx\) is in planted's vocabulary"),
    ("___", r"the text has no words around the blank \(___\) to guess from"),
    ("?! ___ ...", r"the text has no words around the blank \(___\) to guess from"),
    ("", "put one blank|not an empty one"),
])
def test_guess_errors_are_clear(planted, text, message):
    with pytest.raises(RnnplayError, match=message):
        planted.guess(text)


def test_guess_can_leave_the_context_words_out_of_the_ranking(planted):
    text = "the film ___ was plot"
    every = planted.guess(text, k=16)
    assert {"the"} <= {w for w, _ in every[:3]}  # a context word ranks high when left in
    without = planted.guess(text, k=16, exclude_context=True)
    read = set(planted.context(text)[0] + planted.context(text)[1])
    assert [row for row in every if row[0] not in read] == without  # the others, in order, with the same probabilities
    assert not read & {w for w, _ in without} and len(without) == 16 - len(read)
    assert planted.guess(text, k=2, exclude_context=True) == without[:2]


@settings(max_examples=200, deadline=None)
@given(left=st.lists(st.sampled_from(PLANTED_WORDS + ["zzz", "Good!"]), max_size=6),
       right=st.lists(st.sampled_from(PLANTED_WORDS + ["zzz", "Good!"]), max_size=6), k=st.integers(1, 20))
def test_leaving_the_context_out_is_the_full_ranking_without_the_words_read(planted_vectors, left, right, k):
    """Whatever the sentence: the same words in the same order with the same probabilities, minus what CBOW read."""
    planted = Vectors.load(planted_vectors)
    text = " ".join(left + ["___"] + right)
    read = set(planted.context(text)[0] + planted.context(text)[1])
    if not read:
        with pytest.raises(RnnplayError, match="around the blank"):
            planted.guess(text, exclude_context=True)
        return
    every = planted.guess(text, k=len(planted))
    assert planted.guess(text, k=k, exclude_context=True) == [row for row in every if row[0] not in read][:k]


def test_the_shipped_example_guesses_a_word_it_did_not_read():
    """The Words tab's example: imdb-cbow's best guess is a real answer, not a word of the sentence."""
    from rnnplay.runtime.vectors import EXAMPLE
    from tests.conftest import SHIPPED_VECTORS

    vectors = Vectors.load(SHIPPED_VECTORS)
    best = vectors.guess(EXAMPLE, k=3)
    assert best[0][0] == "effects" and best[0][1] > 0.5
    assert not {w for w, _ in best} & set(vectors.context(EXAMPLE)[0] + vectors.context(EXAMPLE)[1])
    # The sentence the Words tab used to show guessed its own words; leaving them out gives real answers.
    old = "the acting was ___ and the plot made no sense"
    assert [w for w, _ in vectors.guess(old, k=3)] == ["acting", "plot", "was"]
    assert [w for w, _ in vectors.guess(old, k=3, exclude_context=True)] == ["story", "good", "script"]


def test_float16_vectors_give_the_same_answers(tmp_path, planted):
    arrays = {k: v.astype(np.float16) for k, v in planted_arrays().items()}
    half = Vectors.load(write_vectors_model(tmp_path / "half", PLANTED_WORDS, arrays))
    assert load_model(tmp_path / "half").arrays["input"].dtype == np.float16
    assert [w for w, _ in half.neighbours("good", k=2)] == ["great", "excellent"]
    assert half.similarity("good", "great") == pytest.approx(planted.similarity("good", "great"), abs=1e-3)
    assert half.guess("the film ___ was the plot", k=1)[0][0] == "great"


def test_imported_vectors_without_output_refuse_to_guess(tmp_path):
    arrays = {"input": planted_arrays()["input"]}
    imported = Vectors.load(write_vectors_model(tmp_path / "imp", PLANTED_WORDS, arrays, window=None, method="imported"))
    assert type(imported) is Vectors and not isinstance(imported, Cbow)
    with pytest.raises(RnnplayError, match="imp is imported vectors: it has no output layer"):
        guesser(imported)


def test_shipped_classifier_embedding_is_a_vector_space(shipped_classifier):
    vectors = Vectors.from_stored(shipped_classifier.stored)
    embedding = shipped_classifier.stored.arrays["embedding"]
    assert len(vectors) == embedding.shape[0] - 2 == 19_998 and vectors.source_kind == "classifier"
    assert vectors.index_to_key[:3] == shipped_classifier.encoder.vocabulary[2:5]
    unit = embedding[2:] / np.linalg.norm(embedding[2:], axis=1, keepdims=True)
    row = vectors.key_to_index["excellent"]
    expected = np.argsort(-(unit @ unit[row]), kind="stable")[1:11]
    result = vectors.neighbours("excellent", k=10)
    assert [w for w, _ in result] == [vectors.index_to_key[i] for i in expected]
    np.testing.assert_allclose([s for _, s in result], (unit @ unit[row])[expected], atol=1e-5)
    with pytest.raises(RnnplayError, match="imdb-bilstm is a classifier's embedding: it has no output layer to guess with; use CBOW vectors"):
        guesser(vectors)


def test_classifier_loads_through_load_too():
    assert Vectors.load(SHIPPED_MODEL).similarity("good", "good") == pytest.approx(1.0)


def test_loaded_vectors_know_their_folder(planted, planted_vectors):
    """The Models tab marks the vectors in use by their folder, CBOW or a classifier's embedding alike."""
    assert isinstance(planted, Cbow) and planted.path == planted_vectors
    assert Vectors.load(SHIPPED_MODEL).path == SHIPPED_MODEL
    assert Vectors(["a"], np.ones((1, 2)), TextSettings(), "in memory", "vectors").path is None


def test_mismatching_shapes_are_one_line_errors(tmp_path):
    """Folders whose files disagree with their cards (hashes consistent) are refused on load, each in one
    line; the writer refuses to make them in the first place."""
    arrays = planted_arrays()
    card = {"name": "m", "kind": "vectors", "architecture": {"method": "cbow", "vocab_size": 16, "dimension": 8},
            "text": {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None, "truncate": "start"}}
    with pytest.raises(RnnplayError, match="vocab.txt has 15 tokens; its card says 16"):
        Vectors.load(write_raw_model(tmp_path / "short", card, arrays, PLANTED_WORDS[:-1]))
    bad_output = dict(arrays, output=arrays["output"][:, :4])
    with pytest.raises(RnnplayError, match=r"output has shape \(16, 4\); the card's architecture needs \(16, 8\)"):
        Vectors.load(write_raw_model(tmp_path / "b", card, bad_output, PLANTED_WORDS))
    with pytest.raises(RnnplayError, match=r"output has shape \(16, 4\)"):
        write_vectors_model(tmp_path / "b2", PLANTED_WORDS, bad_output)
    nan = dict(arrays, input=np.where(np.eye(16, 8) > 0, np.nan, arrays["input"]))
    with pytest.raises(RnnplayError, match="input holds NaN or infinite values"):
        Vectors.load(write_raw_model(tmp_path / "c", card, nan, PLANTED_WORDS))
    with pytest.raises(RnnplayError, match="NaN or infinite"):
        write_vectors_model(tmp_path / "c2", PLANTED_WORDS, nan)
    with pytest.raises(RnnplayError, match="repeated words"):
        Vectors(["a", "a"], np.eye(2), TextSettings(), "m", "vectors")


def test_card_shape_mismatch_and_wrong_kind(tmp_path):
    card = {"name": "wide", "kind": "vectors", "architecture": {"method": "cbow", "vocab_size": 16, "dimension": 9},
            "text": {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None, "truncate": "start"}}
    with pytest.raises(RnnplayError, match=r"input has shape \(16, 8\); the card's architecture needs \(16, 9\)"):
        Vectors.load(write_raw_model(tmp_path / "wide", card, planted_arrays(), PLANTED_WORDS))
    with pytest.raises(RnnplayError, match="kind must be one of classifier, vectors, not 'tagger'"):
        Vectors.load(write_raw_model(tmp_path / "other", dict(card, kind="tagger"), {"x": np.ones(2)}, ["a"]))


def test_unit_rows_keeps_zero_rows_zero():
    rows = unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_neighbours_and_suggestions_on_30000_words_match_brute_force():
    """Query speed is a benchmark (benchmarks/cbow.py); here the top-k over a large vocabulary is checked."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30_000)]
    matrix = rng.standard_normal((30_000, 100)).astype(np.float32)
    vectors = Vectors(words, matrix, TextSettings(), "big", "vectors")
    cosines = unit_rows(matrix) @ unit_rows(matrix)[123]
    cosines[123] = -np.inf
    expected = np.argsort(-cosines)[:10]
    result = vectors.neighbours("w123", k=10)
    assert [w for w, _ in result] == [words[i] for i in expected]
    np.testing.assert_allclose([c for _, c in result], cosines[expected], rtol=1e-5)
    with pytest.raises(UnknownWord, match="did you mean: w1234"):
        vectors.lookup("w12345x")


def test_guess_adds_the_noise_prior_when_counts_are_stored(tmp_path):
    """With counts, P(w | context) ∝ Pn(w)·exp(W′·h), Pn ∝ count^0.75: what negative sampling estimates."""
    arrays = planted_arrays()
    counts = np.arange(len(PLANTED_WORDS), 0, -1).astype(np.float32) * 10
    with_counts = Vectors.load(write_vectors_model(tmp_path / "counted", PLANTED_WORDS, dict(arrays, counts=counts)))
    context = ["the", "film", "was", "plot"]
    hidden = arrays["input"][[PLANTED_WORDS.index(w) for w in context]].mean(axis=0)
    scores = arrays["output"] @ hidden + 0.75 * np.log(counts)
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    result = with_counts.guess("the film ___ was plot", k=16)
    assert [w for w, _ in result[:3]] == [PLANTED_WORDS[i] for i in np.argsort(-expected)[:3]]
    for word, p in result:
        assert p == pytest.approx(expected[PLANTED_WORDS.index(word)], rel=1e-5)
    with pytest.raises(RnnplayError, match="word counts"):
        Cbow(PLANTED_WORDS, arrays["input"], arrays["output"], TextSettings(), "bad", counts=counts[:3])


def test_shipped_cbow_vectors_answer_like_word_vectors_should():
    """The shipped imdb-cbow: synonyms are neighbours, the classic analogy works, the blank is guessable."""
    from tests.conftest import SHIPPED_VECTORS

    vectors = Vectors.load(SHIPPED_VECTORS)
    assert vectors.source_kind == "vectors" and vectors.output is not None and vectors.noise_log is not None
    assert {"outstanding", "superb", "exceptional"} <= {w for w, _ in vectors.neighbours("excellent", k=5)}
    assert vectors.analogy("actor", "man", "woman", k=1)[0][0] == "actress"
    assert "time" in {w for w, _ in vectors.guess("a complete waste of ___", k=3)}
    assert vectors.similarity("good", "great") > vectors.similarity("good", "plot")


def test_vector_size_reads_either_kind_of_card():
    from rnnplay.store import read_card
    from tests.conftest import SHIPPED_VECTORS

    assert read_card(SHIPPED_VECTORS).vector_size == 100 and read_card(SHIPPED_MODEL).vector_size == 64


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    """A second space over most of the planted words with the sentiment axis removed, as CBOW would see them:
    "good" and "bad" differ only there, so here they coincide. It lacks "excellent" and has "superb" instead."""
    words = [w for w in PLANTED_WORDS if w != "excellent"] + ["superb"]
    rows = dict(zip(PLANTED_WORDS, planted_arrays()["input"]))
    rows["superb"] = np.eye(8)[1]
    matrix = np.array([rows[w] for w in words])
    matrix[:, 0] = 0.0
    return Vectors.load(write_vectors_model(tmp_path_factory.mktemp("contexts") / "contexts", words, {"input": matrix}))


def shared_nearest(space, word, spaces, k):
    """The first ``k`` neighbours of ``word`` in ``space`` that every space knows."""
    return [w for w, _ in space.neighbours(word, len(space)) if all(w in other for other in spaces)][:k]


def test_cosines_across_gives_every_spaces_cosine_for_each_spaces_nearest_shared_words(planted, contexts):
    spaces = [planted, contexts]
    rows = cosines_across("good", spaces)
    words = [w for w, _ in rows]
    assert len(words) == len(set(words)) == 6 and "good" not in words
    assert words[:3] == shared_nearest(planted, "good", spaces, 3)  # the first space's words first
    assert set(shared_nearest(contexts, "good", spaces, 3)) <= set(words)
    assert "excellent" not in words and "superb" not in words  # each is missing from one space
    for word, cosines in rows:
        assert cosines == [pytest.approx(space.similarity("good", word), abs=1e-6) for space in spaces]
    flips = dict(rows)["bad"]  # planted apart by sentiment, together once sentiment is gone
    assert flips[0] < 0 < flips[1]


def test_cosines_across_follows_the_order_of_the_spaces_and_its_limits(planted, contexts):
    swapped = cosines_across("Good", [contexts, planted], k=2)  # the query is standardized as in lookup
    assert [w for w, _ in swapped][:2] == shared_nearest(contexts, "good", [planted, contexts], 2)
    assert 2 < len(swapped) <= 4
    for word, cosines in swapped:
        assert cosines == [pytest.approx(contexts.similarity("good", word), abs=1e-6),
                           pytest.approx(planted.similarity("good", word), abs=1e-6)]
    assert cosines_across("good", [planted, contexts], k=3, limit=4) == cosines_across("good", [planted, contexts])[:4]
    with pytest.raises(RnnplayError, match="at least 1"):
        cosines_across("good", [planted, contexts], k=0)


@pytest.mark.parametrize("word", ["superb", "excellent"])
def test_cosines_across_refuses_a_word_one_space_lacks(planted, contexts, word):
    with pytest.raises(UnknownWord, match=f'"{word}" is not in'):
        cosines_across(word, [planted, contexts])


def test_nearest_first_in_batches_is_the_whole_ranking(planted):
    assert list(nearest_first(planted, "good", batch=2)) == [w for w, _ in planted.neighbours("good", len(planted))]


def test_softmax_is_stable():
    p = softmax(np.array([1000.0, 0.0, -1000.0]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0) and p[0] == pytest.approx(1.0)
