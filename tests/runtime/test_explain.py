"""explain() must equal the slow definition: classify every variant of the text on its own."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.explain import EmptyText, explain

TEXT = "This movie was wonderful, but the ending was awful and zxqv"


def slow_explanation(classifier, text):
    ids = classifier.encoder.encode(text)
    full = classifier.predict_ids([ids])[0]
    without = classifier.predict_ids([np.delete(ids, i) for i in range(len(ids))], batch_size=1)
    prefix = classifier.predict_ids([ids[: j + 1] for j in range(len(ids))], batch_size=1)
    return full, full - without, prefix


def test_explain_matches_each_variant_classified_alone(shipped_classifier):
    result = explain(shipped_classifier, TEXT)
    full, shares, prefix = slow_explanation(shipped_classifier, TEXT)
    assert result.tokens == ["this", "movie", "was", "wonderful", "but", "the", "ending", "was", "awful", "and", "zxqv"]
    assert result.probability == pytest.approx(full, abs=1e-6)
    np.testing.assert_allclose(result.shares, shares, atol=1e-5)
    np.testing.assert_allclose(result.prefix, prefix, atol=1e-5)
    assert result.prefix[-1] == pytest.approx(result.probability, abs=1e-6)
    assert result.oov.tolist() == [False] * 10 + [True]


def test_sentiment_words_push_the_right_way(shipped_classifier):
    result = explain(shipped_classifier, TEXT)
    share = dict(zip(result.tokens, result.shares))
    assert share["wonderful"] > 0.05 and share["awful"] < -0.05
    assert result.label == ("positive" if result.probability >= 0.5 else "negative")


def test_one_word_and_truncated_texts(shipped_classifier):
    one = explain(shipped_classifier, "great")
    assert one.prefix.tolist() == pytest.approx([one.probability])
    long_text = " ".join(["fine"] * 350)  # the shipped model keeps the last 300 tokens
    result = explain(shipped_classifier, long_text)
    assert len(result.tokens) == 300 and result.dropped == 50


@pytest.mark.parametrize("text", ["", "   ", "!!! ...", "<br />"])
def test_a_text_without_words_is_an_error(shipped_classifier, text):
    with pytest.raises(EmptyText, match="no words"):
        explain(shipped_classifier, text)
