"""The dissected guess: its final probabilities are guess's, and its prior-free ranking is gensim's
``predict_output_word`` on the same arrays."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.guess_dissect import dissect
from rnnplay.runtime.vectors import Cbow, Vectors
from rnnplay.text import TextSettings
from tests.conftest import PLANTED_WORDS, SHIPPED_VECTORS, planted_arrays

TEXTS = ["The film ___ was plot", "the ___ film", "qqq the film ___ zzz was plot good great excellent bad awful"]


@pytest.fixture(scope="module")
def shipped():
    return Vectors.load(SHIPPED_VECTORS)


def counted(seed: int = 0) -> Cbow:
    """The planted vectors with word counts (so a noise prior), counts falling along the vocabulary as gensim sorts it."""
    arrays = planted_arrays()
    counts = np.arange(len(PLANTED_WORDS), 0, -1, dtype=np.float64) * 7 + 3
    return Cbow(PLANTED_WORDS, arrays["input"], arrays["output"], TextSettings(), "planted", 2, counts)


def gensim_model(space: Cbow):
    """A gensim Word2Vec holding exactly ``space``'s arrays (input rows as wv.vectors, output rows as syn1neg)."""
    from gensim.models import Word2Vec

    model = Word2Vec(vector_size=space.vector_size, min_count=1, negative=5, sg=0, cbow_mean=1, window=space.window)
    model.build_vocab_from_freq({word: 1000 - i for i, word in enumerate(space.index_to_key)})
    assert list(model.wv.index_to_key) == space.index_to_key
    model.wv.vectors = space.vectors.copy()
    model.syn1neg = space.output.copy()
    return model


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("exclude", [False, True])
def test_the_final_probabilities_are_guess(text, exclude):
    space = counted()
    stages = dissect(space, text, exclude)
    expected = space.guess(text, k=8, exclude_context=exclude)
    assert [w for w, _ in stages.final(8)] == [w for w, _ in expected]
    np.testing.assert_allclose([p for _, p in stages.final(8)], [p for _, p in expected], rtol=1e-12)


def test_on_the_shipped_vectors(shipped):
    text = "a complete waste of ___ xyzzy and money in this film"
    stages = dissect(shipped, text)
    assert stages.skipped == ("xyzzy",) and stages.left == ("a", "complete", "waste", "of")
    for (word, p), (word2, p2) in zip(stages.final(10), shipped.guess(text, k=10)):
        assert word == word2 and p == pytest.approx(p2, rel=1e-12)
    # the prior moves the ranking: gensim's first word is not guess's
    assert stages.gensim(1)[0][0] != stages.final(1)[0][0]
    np.testing.assert_allclose(stages.hidden, shipped.vectors[list(stages.read)].mean(axis=0))


def test_words_past_the_window_are_not_read():
    stages = dissect(counted(), "good great excellent film ___ was plot bad awful")
    assert stages.left == ("excellent", "film") and stages.right == ("was", "plot")
    assert stages.beyond == ("good", "great", "bad", "awful") and stages.skipped == ()


@pytest.mark.parametrize("text", TEXTS)
def test_the_prior_free_ranking_is_gensims(text):
    space = counted()
    stages = dissect(space, text)
    context = [space.index_to_key[i] for i in stages.read]
    expected = gensim_model(space).predict_output_word(context, topn=len(space))
    ours = stages.gensim(len(space))
    np.testing.assert_allclose([p for _, p in ours], sorted((float(p) for _, p in expected), reverse=True), rtol=1e-5)
    by_word = {word: float(p) for word, p in expected}
    for word, p in ours:
        assert p == pytest.approx(by_word[word], rel=1e-5)


def test_without_counts_there_is_no_prior(planted_vectors):
    space = Vectors.load(planted_vectors)
    stages = dissect(space, "The film ___ was plot")
    assert stages.prior is None
    np.testing.assert_allclose(stages.probabilities, stages.without_prior)
    assert stages.to_json(3)["prior"] is False and len(stages.to_json(3)["final"]) == 3


@pytest.mark.parametrize("text, message", [("", "not an empty one"), ("no blank", "put one blank"),
                                           ("zzz ___ qqq", "none of the words around the blank")])
def test_mistakes_are_guess_mistakes(text, message):
    with pytest.raises(RnnplayError, match=message):
        dissect(counted(), text)
