from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnnplay.text import (
    LOWER,
    MARKUP,
    OOV,
    PAD,
    PUNCTUATION,
    STANDARDIZERS,
    Encoder,
    TextSettings,
    build_vocabulary,
    standardization_steps,
    standardize,
    tokenize,
)

# Independent references: Keras' own punctuation regex (``DEFAULT_STRIP_REGEX``), ASCII-only lowering as
# ``tf.strings.lower`` does it, and the markup pattern written out again.
KERAS_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
REFERENCE = {
    MARKUP.name: lambda text: re.sub(r"<[bB][rR]\s*/?>", " ", text),
    LOWER.name: lambda text: "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text),
    PUNCTUATION.name: lambda text: KERAS_PUNCTUATION.sub("", text),
}
# What a review holds: markup in its spellings, contractions, ratings, capitals, accents, other scripts, emoji,
# every kind of whitespace (only the ASCII kinds split), and any code point at all.
PIECES = ["<br />", "<br/>", "<BR>", "<br\n/>", "<br  >", "<br", "/>", "<b>", "Don't", "7/10", "10/10!", "I", "GREAT",
          "Ürban-Légende", "İstanbul", "ǅ", "ﬀ", "ß", "Ω", "日本語", "😀", "٣", "³", "...", "--", "—", "«»", "'", '"',
          "\u00a0", "\u2003", "\u3000", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b[31m", "word"]
review_texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=()), max_size=8)),
                        max_size=30).map("".join)
text_settings = st.builds(TextSettings, standardize=st.sampled_from(STANDARDIZERS), strip_markup=st.booleans(),
                          max_length=st.none() | st.integers(1, 12), truncate=st.sampled_from(["start", "end"]))


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


def test_the_steps_of_a_review_are_what_a_learner_expects():
    steps = standardization_steps(TextSettings(), "Don't miss it.<br /><br />I give it 7/10")
    assert [step.name for step in steps] == ["<br />", "lower-case", "punctuation"]
    markup, lower, punctuation = (step.changes for step in steps)
    assert markup == (("it.<br /><br />I", "it. I"),)
    assert lower == (("Don't", "don't"), ("I", "i"))
    assert punctuation == (("don't", "dont"), ("it.", "it"), ("7/10", "710"))
    assert steps[-1].tokens == ["dont", "miss", "it", "i", "give", "it", "710"]


def test_a_model_without_standardization_has_no_steps():
    assert standardization_steps(TextSettings(standardize="none", strip_markup=False), "Don't<br />") == []
    assert [step.name for step in standardization_steps(TextSettings(strip_markup=False), "x")] == ["lower-case", "punctuation"]


@settings(max_examples=400, deadline=None)
@given(text_settings, review_texts)
@example(TextSettings(), "good.<br /><br />Really<BR>")
@example(TextSettings(), "a<br  \u2003/>b c<br/><br/> ")
def test_the_steps_are_the_standardizer_taken_apart(text_settings, text):
    steps = standardization_steps(text_settings, text)
    # They end where the tokenizer ends ...
    assert (steps[-1].tokens if steps else re.findall(r"[^ \t\n\r\x0b\x0c]+", text)) == text_settings.tokens(text)
    # ... each starts from the previous one's result ...
    assert [step.before for step in steps] == ([text] + [step.after for step in steps])[: len(steps)]
    # ... each is the real standardizer up to that operation (markup, then lower-casing, then punctuation) ...
    done: list[str] = []
    for step in steps:
        done.append(step.name)
        mode = {(): "none", ("lower-case",): "lower", ("punctuation",): "strip_punctuation",
                ("lower-case", "punctuation"): "lower_and_strip_punctuation"}[tuple(n for n in done if n != "<br />")]
        assert step.after == standardize(text, mode, "<br />" in done)
        # ... and does what an independent implementation of its operation does.
        assert step.after == REFERENCE[step.name](step.before)


@settings(max_examples=400, deadline=None)
@given(review_texts)
@example("Don't<br />stop... 7/10 <br/><br/> --")
def test_each_change_names_the_words_a_step_changed(text):
    for step in standardization_steps(TextSettings(), text):
        run = step.operation.run
        if step.operation.per_word is not None:
            words = re.findall(r"[^ \t\n\r\x0b\x0c]+", step.before)
            assert step.changes == tuple((word, run(word)) for word in words if run(word) != word)
            assert step.tokens == [run(word) for word in words if run(word)]  # word by word is the same as the whole
        else:
            matches = len(re.findall(r"<br\s*/?>", step.before, re.IGNORECASE))
            assert sum(len(re.findall(r"<br\s*/?>", was, re.IGNORECASE)) for was, _ in step.changes) == matches
            position, spaces = 0, " \t\n\r\x0b\x0c"
            for was, became in step.changes:  # whole words of the text, in order, and what the step made of them
                start = step.before.index(was, position)
                position = start + len(was)
                assert step.before[start - 1 : start].strip(spaces) == step.before[position : position + 1].strip(spaces) == ""
                assert not set(re.sub(r"<br\s*/?>", "", was, flags=re.IGNORECASE)) & set(spaces)  # one word, but for markup
                assert became == " ".join(tokenize(was, "none", strip_markup=True))


def test_a_word_made_of_markup_is_one_change_found_in_one_pass():
    import time

    started = time.perf_counter()
    (markup, *_) = standardization_steps(TextSettings(), "x<br><br />y " + "<br>" * 200_000 + " z")
    assert markup.changes == (("x<br><br />y", "x y"), ("<br>" * 200_000, ""))
    assert time.perf_counter() - started < 10  # looking at each character once: well under a second


@settings(max_examples=300, deadline=None)
@given(text_settings, review_texts)
def test_the_trace_ends_in_the_ids_the_model_reads(text_settings, text):
    vocabulary = [PAD, OOV, "dont", "710", "word", "i", "great"]
    encoder = Encoder(vocabulary, text_settings)
    trace = encoder.trace(text)
    assert trace.tokens == text_settings.tokens(text)
    assert trace.kept == encoder.tokens(text) and trace.ids.tolist() == encoder.encode(text).tolist()
    if text_settings.truncate == "start":
        assert trace.kept + trace.dropped == trace.tokens
    else:
        assert trace.dropped + trace.kept == trace.tokens
    limit = text_settings.max_length
    assert len(trace.kept) == (len(trace.tokens) if limit is None else min(limit, len(trace.tokens)))


@pytest.mark.tensorflow
def test_each_step_is_what_keras_does_at_that_point():
    """Lower-casing and punctuation as TensorFlow runs them (``tf.strings.lower``, Keras' strip regex), on every
    piece of text the Hypothesis suites use and on all of them together."""
    from rnnplay.training import tensorflow_modules

    tf, _ = tensorflow_modules()
    texts = PIECES + ["".join(PIECES), "Don't STOP, Ürban-Légende!"]
    for text in texts:
        lowered, stripped = (step.after for step in standardization_steps(TextSettings(strip_markup=False), text))
        assert lowered == tf.strings.lower(text).numpy().decode("utf-8"), text
        assert stripped == tf.strings.regex_replace(lowered, KERAS_PUNCTUATION.pattern, "").numpy().decode("utf-8"), text


def test_sentences_split_at_ends_and_line_breaks_and_keep_markup_when_asked():
    from rnnplay.text import sentences

    assert sentences("Great film. Really!<br /><br />Would I? Yes") == ["Great film.", "Really!", "Would I?", "Yes"]
    assert sentences("Fine.<br />Odd? ") == ["Fine.", "Odd?"]
    assert sentences("Fine.<br />Odd.", strip_markup=False) == ["Fine.<br />Odd."]
    assert sentences("   ") == []
