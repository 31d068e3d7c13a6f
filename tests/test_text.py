from __future__ import annotations

import pytest

from rnnplay.text import OOV, PAD, Encoder, TextSettings, build_vocabulary, standardize, tokenize


def test_lowercases_ascii_only_and_strips_ascii_punctuation():
    assert tokenize("Don't STOP, Ürban-Légende!") == ["dont", "stop", "Ürbanlégende"]


def test_splits_on_ascii_whitespace_only_like_tf_strings_split():
    # A no-break space and an em space stay inside the token, as in TensorFlow.
    assert tokenize("a\u00a0b c\u2003d\te\nf\rg\x0bh\x0ci") == ["a\u00a0b", "c\u2003d", "e", "f", "g", "h", "i"]


def test_markup_is_stripped_only_when_asked():
    assert tokenize("great.<br /><br />Really<BR>") == ["great", "really"]
    assert tokenize("great.<br /><br />Really", strip_markup=False) == ["greatbr", "br", "really"]


@pytest.mark.parametrize("mode,expected", [
    ("lower", "a,b c!"), ("strip_punctuation", "AB C"), ("none", "A,B C!"),
])
def test_other_standardize_modes(mode, expected):
    assert standardize("A,B C!", mode, strip_markup=False) == expected


def test_vocabulary_by_count_then_alphabet_with_pad_and_oov_first():
    vocab = build_vocabulary([["b", "a", "c"], ["a", "b"], ["d"]], max_size=5)
    assert vocab == [PAD, OOV, "a", "b", "c"]


def test_encoder_maps_unknown_words_to_one_and_truncates_either_end():
    vocab = [PAD, OOV, "good", "film"]
    assert Encoder(vocab).encode("Good film, bad film").tolist() == [2, 3, 1, 3]
    assert Encoder(vocab, TextSettings(max_length=2)).encode("good film bad film").tolist() == [2, 3]
    assert Encoder(vocab, TextSettings(max_length=2, truncate="end")).encode("good film bad film").tolist() == [1, 3]
    assert Encoder(vocab).encode("").tolist() == []


def test_encoder_rejects_a_vocabulary_without_pad_and_oov():
    with pytest.raises(ValueError):
        Encoder(["good", "film"])


@pytest.mark.tensorflow
def test_ids_match_keras_textvectorization_on_every_builtin_text():
    """The NumPy tokenizer and the Keras layer agree on all 33,530 built-in texts."""
    import numpy as np

    from rnnplay.corpora import load_corpus
    from rnnplay.text import _MARKUP
    from rnnplay.training import tensorflow_modules

    tf, keras = tensorflow_modules()
    texts = load_corpus("imdb").texts + load_corpus("rt").texts
    assert len(texts) == 33_530
    vocab = build_vocabulary((tokenize(t) for t in texts), 30_000)
    layer = keras.layers.TextVectorization(vocabulary=vocab[2:])
    assert layer.get_vocabulary() == vocab
    encoder = Encoder(vocab)
    for start in range(0, len(texts), 2000):
        chunk = texts[start : start + 2000]
        keras_ids = layer(tf.constant([_MARKUP.sub(" ", t) for t in chunk])).numpy()
        for row, text in zip(keras_ids, chunk):
            ours = encoder.encode(text)
            assert np.array_equal(row[: len(ours)], ours) and not row[len(ours) :].any(), text[:80]
