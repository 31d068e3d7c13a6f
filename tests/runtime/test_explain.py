"""explain() must equal the slow definition: classify every variant of the text on its own."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.explain import EmptyText, Explanation, explain, explain_ids
from tests.runtime.networks import POOLINGS, random_network

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


def logit_of(probability: float) -> float:
    return float(np.log(probability) - np.log1p(-probability))


def test_logit_shares_equal_the_logit_drop_of_each_variant_classified_alone(shipped_classifier):
    result = explain(shipped_classifier, TEXT)
    ids = shipped_classifier.encoder.encode(TEXT)
    whole = logit_of(shipped_classifier.predict_ids([ids])[0])
    direct = [whole - logit_of(shipped_classifier.predict_ids([np.delete(ids, i)])[0]) for i in range(len(ids))]
    assert result.logit == pytest.approx(whole, abs=1e-4)
    np.testing.assert_allclose(result.logit_shares, direct, atol=1e-4)
    assert np.sign(result.logit_shares).tolist() == np.sign(result.shares).tolist()  # the same direction on both scales


def test_a_confident_long_text_still_has_logit_shares_that_separate_the_words(shipped_classifier):
    text = " ".join(["a wonderful, brilliant, beautiful film that i loved"] * 30)  # 300 words, P close to 1
    result = explain(shipped_classifier, text)
    assert result.probability > 0.99
    assert np.abs(result.shares).max() < 0.01  # nothing would be coloured on the probability scale ...
    assert np.abs(result.logit_shares).max() > 10 * np.abs(result.shares).max()  # ... the logit scale still shows them


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


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("bidirectional,layers", [(False, 1), (False, 2), (True, 1), (True, 2)])
def test_every_architecture_matches_the_variants_run_one_by_one(cell, bidirectional, layers, pooling):
    network = random_network(cell, bidirectional, layers, pooling=pooling)
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 17):
        ids = rng.integers(1, 30, n).astype(np.int32)
        variants = explain_ids(network, ids)
        full = variants.probability
        alone = lambda seq: float(network.probabilities([seq])[0])
        logit = lambda seq: float(network.logits([seq])[0])
        assert full == pytest.approx(alone(ids), abs=1e-6)
        np.testing.assert_allclose(variants.shares, [full - alone(np.delete(ids, i)) for i in range(n)], atol=1e-5)
        np.testing.assert_allclose(variants.prefix, [alone(ids[: j + 1]) for j in range(n)], atol=1e-5)
        assert variants.logit == pytest.approx(logit(ids), abs=1e-5)
        np.testing.assert_allclose(variants.logit_shares, [logit(ids) - logit(np.delete(ids, i)) for i in range(n)], atol=1e-4)
        assert variants.streamed == (not bidirectional)


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("bidirectional,layers", [(False, 1), (True, 1), (True, 2)])
def test_a_known_prefix_trace_is_reused_without_changing_any_result(bidirectional, layers, pooling):
    network = random_network("lstm", bidirectional, layers, seed=3, pooling=pooling)
    ids = np.random.default_rng(4).integers(1, 30, 12).astype(np.int32)
    cold = explain_ids(network, ids)
    for p in range(0, 12):
        warm = explain_ids(network, ids, known_prefix=cold.prefix[:p])
        assert warm.probability == pytest.approx(cold.probability, abs=1e-6)
        np.testing.assert_allclose(warm.shares, cold.shares, atol=1e-6)
        np.testing.assert_allclose(warm.prefix, cold.prefix, atol=1e-6)
        np.testing.assert_allclose(warm.logit_shares, cold.logit_shares, atol=1e-6)


def test_explain_reuses_the_previous_explanation_only_where_the_texts_agree(shipped_classifier):
    before = explain(shipped_classifier, "a wonderful film with an awful")
    # A wrong trace for the shared words would show in the result: make it recognisable.
    planted = Explanation(before.tokens, before.ids, before.probability, before.shares,
                          np.full(len(before.ids), 0.123), before.dropped, before.streamed, before.network)
    after = explain(shipped_classifier, "a wonderful film with an awesome ending", previous=planted)
    cold = explain(shipped_classifier, "a wonderful film with an awesome ending")
    assert after.prefix[:5].tolist() == [0.123] * 5  # the 5 shared words' trace was reused ...
    np.testing.assert_allclose(after.prefix[5:], cold.prefix[5:], atol=1e-6)  # ... and nothing else
    np.testing.assert_allclose(after.shares, cold.shares, atol=1e-6)
    other = explain(shipped_classifier, "a wonderful film", previous=explain(shipped_classifier, "an awful film"))
    np.testing.assert_allclose(other.prefix, explain(shipped_classifier, "a wonderful film").prefix, atol=1e-6)


def test_a_text_too_long_to_explain_still_gets_its_prediction(shipped_classifier, monkeypatch):
    import rnnplay.runtime.explain as module

    classifier = shipped_classifier
    monkeypatch.setattr(module, "WORD_LIMIT", 5)
    text = "a wonderful film with a great cast"
    expected = classifier.predict([text])[0]
    with pytest.raises(module.TextTooLong, match=f"7 words are too many .* the whole text is positive {expected:.3f}") as refused:
        explain(classifier, text)
    assert refused.value.probability == pytest.approx(expected)
    assert len(explain(classifier, "a wonderful film").tokens) == 3
