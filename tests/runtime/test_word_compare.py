"""One-hot against dense: cosines computed from the vectors, unknown words said, the classifier's [UNK] shared."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.vectors import Vectors
from rnnplay.runtime.word_compare import compare_words, cosine, one_hot
from tests.conftest import SHIPPED_MODEL, SHIPPED_VECTORS


@pytest.fixture(scope="module")
def cbow():
    return Vectors.load(SHIPPED_VECTORS)


def test_one_hot_vectors_and_their_cosines():
    a, b = one_hot(3, 10), one_hot(7, 10)
    assert a.shape == (10,) and a.sum() == 1.0 and a[3] == 1.0
    assert cosine(a, b) == 0.0 and cosine(a, one_hot(3, 10)) == 1.0
    assert cosine(a, np.zeros(10)) is None
    assert cosine(np.array([1.0, 1.0]), np.array([1.0, 0.0])) == pytest.approx(2 ** -0.5)


def test_the_shipped_pair_in_both_spaces(cbow, shipped_classifier):
    comparison = compare_words("good", "great", cbow, shipped_classifier)
    words_space, classifier_space = comparison.spaces
    assert (words_space.name, words_space.kind, words_space.size) == ("imdb-cbow", "word vectors", len(cbow))
    assert (classifier_space.kind, classifier_space.size, classifier_space.dimension) == ("classifier", 20_000, 64)
    assert words_space.one_hot_cosine == 0.0 and classifier_space.one_hot_cosine == 0.0
    assert words_space.dense_cosine == pytest.approx(cbow.similarity("good", "great"), abs=1e-6)
    embedding = shipped_classifier.network.embedding
    ids = shipped_classifier.encoder.ids(["good", "great"])
    expected = embedding[ids[0]] @ embedding[ids[1]] / np.linalg.norm(embedding[ids[0]]) / np.linalg.norm(embedding[ids[1]])
    assert classifier_space.dense_cosine == pytest.approx(float(expected), abs=1e-6)
    assert [p.index for p in classifier_space.words] == [int(i) for i in ids]
    assert not words_space.note and not classifier_space.note


def test_the_same_word_twice_is_one_one_hot_vector(cbow, shipped_classifier):
    comparison = compare_words("Good!", "good", cbow, shipped_classifier)
    for space in comparison.spaces:
        assert space.one_hot_cosine == 1.0 and space.dense_cosine == pytest.approx(1.0, abs=1e-6)


def test_an_unknown_word_is_said_plainly(cbow, shipped_classifier):
    words_space, classifier_space = compare_words("excelent", "good", cbow, shipped_classifier).spaces
    missing = words_space.words[0]
    assert missing.unknown and missing.index is None and missing.vector is None
    assert words_space.one_hot_cosine is None and words_space.dense_cosine is None
    assert "“excelent” is not in imdb-cbow's vocabulary" in words_space.note and "did you mean: excellent" in words_space.note
    assert classifier_space.words[0].index == 1 and classifier_space.words[0].unknown
    assert "read as [UNK] (id 1)" in classifier_space.note
    assert classifier_space.one_hot_cosine == 0.0  # [UNK] and good: two positions


def test_two_unknown_words_are_the_same_unk_for_the_classifier(shipped_classifier):
    (space,) = compare_words("xyzzyq", "qwzzyx", None, shipped_classifier).spaces
    assert space.one_hot_cosine == 1.0 and space.dense_cosine == pytest.approx(1.0, abs=1e-6)


def test_a_classifier_as_the_word_vectors_keeps_its_ids(shipped_classifier):
    embedding_space = Vectors.load(SHIPPED_MODEL)
    a, b = compare_words("good", "bad", embedding_space, shipped_classifier).spaces
    assert a.size == b.size == 20_000 and [p.index for p in a.words] == [p.index for p in b.words]
    assert a.dense_cosine == pytest.approx(b.dense_cosine, abs=1e-6)


@pytest.mark.parametrize("word, message", [("", "give a word"), ("two words", "give one word"), ("!!", "empty once standardized")])
def test_not_one_word_is_refused(cbow, word, message):
    with pytest.raises(RnnplayError, match=message):
        compare_words(word, "good", cbow, None)


def test_nothing_to_compare_in():
    with pytest.raises(RnnplayError, match="give word vectors or a classifier"):
        compare_words("good", "bad", None, None)
