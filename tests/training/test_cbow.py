"""The CBOW trainer: vocabulary and subsampling as word2vec has them, the compiled windows, learning, saving."""

from __future__ import annotations

import itertools
import json
import math
import random

import numpy as np
import pytest

from rnnplay.config import CbowConfig
from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.runtime.vectors import Vectors, guesser
from rnnplay.store import read_card
from rnnplay.training.cbow import _layout, keep_probabilities, noise_table, prepare, train_cbow, train_vectors
from rnnplay.training.progress import Phase, VectorsEpochEnd, VectorsProgress

FILLER = [consonant + vowel for consonant in "bdfgklmnprstvz" for vowel in ("a", "e", "i", "o", "u", "an", "el", "ir", "os", "um")]


def twin_corpus(texts: int = 600, seed: int = 0) -> list[list[str]]:
    """Sentences of random filler words; a third of them hold ``glim zorp frap`` or ``glim blick frap``.

    zorp and blick occur only there, always between the same two words, so CBOW should make them
    each other's nearest neighbour among 144 words.
    """
    rng = random.Random(seed)
    corpus = []
    for i in range(texts):
        words = [rng.choice(FILLER) for _ in range(rng.randint(6, 12))]
        if i % 3 == 0:
            at = rng.randint(0, len(words))
            words[at:at] = ["glim", "zorp" if i % 2 else "blick", "frap"]
        corpus.append(words)
    return corpus


def nearest(vectors, word: str) -> str:
    unit = vectors.input / np.linalg.norm(vectors.input, axis=1, keepdims=True)
    similarity = unit @ unit[vectors.words.index(word)]
    similarity[vectors.words.index(word)] = -np.inf
    return vectors.words[int(np.argmax(similarity))]


# --- vocabulary, subsampling, noise (NumPy only) -------------------------------------------------------


def test_vocabulary_is_ordered_by_count_then_alphabetically():
    corpus = prepare([["b", "a", "c", "a"], ["d", "b", "c", "e"], ["a"]], min_count=1)
    assert corpus.words == ["a", "b", "c", "d", "e"]
    assert corpus.counts.tolist() == [3, 2, 2, 1, 1] and corpus.counts.dtype == np.int64
    assert corpus.ids.tolist() == [1, 0, 2, 0, 3, 1, 2, 4, 0] and corpus.ids.dtype == np.int32
    assert corpus.texts.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2]
    assert corpus.raw_tokens == 9


def test_min_count_and_max_vocab():
    texts = [["the"] * 5 + ["cat"] * 3 + ["dog"] * 3 + ["emu"] * 2 + ["yak"]]
    assert prepare(texts, min_count=2).words == ["the", "cat", "dog", "emu"]
    assert prepare(texts, min_count=3).words == ["the", "cat", "dog"]
    assert prepare(texts, min_count=1, max_vocab=2).words == ["the", "cat"]  # the tie cat/dog goes to cat
    assert prepare(texts, min_count=3, max_vocab=10).words == ["the", "cat", "dog"]


def test_rare_words_leave_the_stream_so_their_neighbours_meet():
    corpus = prepare([["a", "rare", "b", "a"], ["odd", "b"], ["once"], ["b", "a", "gone"]], min_count=2)
    assert corpus.words == ["a", "b"]
    assert [corpus.words[i] for i in corpus.ids] == ["a", "b", "a", "b", "b", "a"]
    assert corpus.texts.tolist() == [0, 0, 0, 1, 3, 3]  # text 2 lost its only word
    assert corpus.raw_tokens == 10


@pytest.mark.parametrize("texts, min_count", [
    ([["only", "only", "one", "word"]], 2),
    ([], 1),
    ([[], []], 1),
    ([["x"]], 1),
])
def test_too_little_text(texts, min_count):
    with pytest.raises(RnnplayError, match="fewer than 2 words occur"):
        prepare(texts, min_count=min_count)


def test_keep_probabilities_are_word2vecs():
    counts = np.array([10_000, 1_000, 100, 10, 1], dtype=np.int64)
    sample = 1e-3
    total = int(counts.sum())
    expected = []
    for count in counts.tolist():  # word2vec.c: ran = (sqrt(cn / (sample * train_words)) + 1) * (sample * train_words) / cn
        ran = (math.sqrt(count / (sample * total)) + 1) * (sample * total) / count
        expected.append(min(ran, 1.0))
    got = keep_probabilities(counts, sample)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[0] < 0.05 and got[-1] == 1.0  # the most frequent word is mostly dropped, rare ones always kept
    assert np.all(np.diff(got) >= 0)
    np.testing.assert_array_equal(keep_probabilities(counts, 0.0), np.ones(5))


def test_noise_table_follows_count_to_the_three_quarters():
    counts = np.array([1000, 300, 50, 7, 1], dtype=np.int64)
    table = noise_table(counts, size=1 << 18)
    assert table.dtype == np.int32 and table.shape == (1 << 18,)
    assert table.min() == 0 and table.max() == len(counts) - 1
    assert np.all(np.diff(table) >= 0)  # laid out in order, so a uniform index draws a word
    weights = counts ** 0.75
    np.testing.assert_allclose(np.bincount(table, minlength=5) / table.size, weights / weights.sum(), atol=2e-5)


# --- the compiled side's pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("window", [1, 3])
@pytest.mark.parametrize("length", [1, 2, 7, 8, 9, 16, 17, 41])
def test_layout_gives_every_call_a_whole_piece_and_every_centre_once(workers, window, length):
    per_call = 8
    ids = np.arange(100, 100 + length, dtype=np.int32)
    texts = (np.arange(length) // 3).astype(np.int32)
    stream, docs, share = _layout(ids, texts, window, workers, per_call)
    assert share == -(-length // workers)
    np.testing.assert_array_equal(stream[window:window + length], ids)
    np.testing.assert_array_equal(docs[window:window + length], texts)
    assert np.all(docs[:window] == -1) and np.all(docs[window + length:] == -1)  # padding is nobody's text
    assert len(stream) == len(docs)
    centres = []
    for k in range(workers):  # as train_vectors slices its calls
        for call in range(-(-share // per_call)):
            first = k * share + call * per_call
            end = min((k + 1) * share, length) - first
            piece = slice(first, first + per_call + 2 * window)
            assert first >= 0 and piece.stop <= len(stream)
            assert len(stream[piece]) == len(docs[piece]) == per_call + 2 * window
            for c in range(max(0, min(end, per_call))):
                assert stream[piece][window + c] == ids[first + c]
                centres.append(first + c)
    assert sorted(centres) == list(range(length))  # every token is a centre exactly once


@pytest.fixture(scope="module")
def tf():
    from rnnplay.training import tensorflow_modules

    return tensorflow_modules()[0]


@pytest.mark.tensorflow
def test_random_bits_are_deterministic_keyed_and_uniform(tf):
    from rnnplay.training.cbow import random_bits

    counter = tf.range(100_000, dtype=tf.int32)
    bits = random_bits(tf, counter, tf.constant(7, tf.int32)).numpy()
    assert bits.dtype == np.uint32 and bits.shape == (100_000,)
    np.testing.assert_array_equal(bits, random_bits(tf, counter, tf.constant(7, tf.int32)).numpy())
    compiled = tf.function(lambda c, k: random_bits(tf, c, k), jit_compile=True)
    np.testing.assert_array_equal(bits, compiled(counter, tf.constant(7, tf.int32)).numpy())  # XLA agrees
    other = random_bits(tf, counter, tf.constant(-123_456_789, tf.int32)).numpy()
    assert np.mean(bits == other) < 1e-3
    assert len(np.unique(bits)) > 99_990
    assert abs(float(np.mean(bits / 2**32)) - 0.5) < 0.005
    for values, buckets in ((bits % 5, 5), (bits >> 28, 16), (other % 5, 5)):  # window sizes; the noise index's top bits
        share = np.bincount(values.astype(np.int64), minlength=buckets) / len(values)
        np.testing.assert_allclose(share, 1 / buckets, atol=0.01)
    neighbours = np.corrcoef(bits[:-1] / 2**32, bits[1:] / 2**32)[0, 1]
    assert abs(neighbours) < 0.02  # consecutive counters are not correlated


# --- training -----------------------------------------------------------------------------------------------

TWIN = CbowConfig(dimension=16, window=2, min_count=1, epochs=20, alpha=0.05, batch_size=64, seed=1)


@pytest.mark.tensorflow
@pytest.mark.parametrize("workers", [1, 2])
def test_training_learns_that_zorp_and_blick_are_alike(workers):
    events = []
    vectors = train_vectors(twin_corpus(), CbowConfig(**{**TWIN.to_dict(), "workers": workers}), listener=events.append)
    losses = [e.loss for e in events if isinstance(e, VectorsEpochEnd)]
    assert len(losses) == 20 and all(np.isfinite(losses))
    assert losses[-1] < losses[0] - 0.5
    assert nearest(vectors, "zorp") == "blick" and nearest(vectors, "blick") == "zorp"
    assert vectors.input.shape == vectors.output.shape == (len(vectors.words), 16)
    assert [h["epoch"] for h in vectors.stats["history"]] == list(range(1, 21))
    rates = [e.learning_rate for e in events if isinstance(e, VectorsProgress)]
    assert rates[0] == pytest.approx(0.05) and all(a >= b for a, b in itertools.pairwise(rates))
    assert rates[-1] > TWIN.min_alpha  # the rate falls over the whole run, not in the first few calls


@pytest.mark.tensorflow
@pytest.mark.parametrize("workers, window", [(1, 1), (2, 1), (2, 3)])
def test_windows_never_cross_texts(workers, window):
    # Without subsampling every centre with a neighbour in its own text is one window; a text of one
    # word (after the rare word is dropped from the last one) has none, whatever lies next to it.
    texts = [["a"], ["b", "c"], ["d"], ["e", "f", "a"], ["b"], ["c", "d", "e", "f"], ["a", "rare"]]
    config = CbowConfig(dimension=4, window=window, min_count=2, sample=0.0, epochs=2, workers=workers, seed=3)
    vectors = train_vectors(texts, config)
    assert vectors.stats["windows"] == 2 * (2 + 3 + 4)
    assert [h["windows"] for h in vectors.stats["history"]] == [9, 9]
    assert (vectors.stats["raw_tokens"], vectors.stats["tokens"]) == (14, 13)


@pytest.mark.tensorflow
def test_windows_stay_inside_their_text_for_the_model_too():
    # Two worlds that never share a text: the output layer guesses a blank only from its own world.
    rng = random.Random(5)
    worlds = (["ab", "cd", "ef", "gh"], ["ij", "kl", "mn", "op"])
    texts = [[rng.choice(worlds[i % 2]) for _ in range(6)] for i in range(400)]
    config = CbowConfig(dimension=8, window=2, min_count=1, sample=0.0, epochs=10, alpha=0.05, batch_size=32, workers=2)
    vectors = train_vectors(texts, config)
    index = {w: i for i, w in enumerate(vectors.words)}
    for own, other in (worlds, worlds[::-1]):
        hidden = vectors.input[[index[own[0]], index[own[1]]]].mean(axis=0)
        scores = vectors.output @ hidden
        assert min(scores[index[w]] for w in own) > max(scores[index[w]] for w in other)


@pytest.mark.tensorflow
def test_same_seed_same_vectors_other_seed_other_vectors():
    texts = twin_corpus(200)
    config = CbowConfig(dimension=8, window=2, min_count=1, epochs=3, batch_size=32, workers=2, seed=11)
    a, b = train_vectors(texts, config), train_vectors(texts, config)
    assert a.input.tobytes() == b.input.tobytes() and a.output.tobytes() == b.output.tobytes()
    c = train_vectors(texts, CbowConfig(**{**config.to_dict(), "seed": 12}))
    assert a.words == c.words
    assert not np.allclose(a.input, c.input) and not np.allclose(a.output, c.output)


# --- train_cbow: corpus file to saved model ---------------------------------------------------------------------

SMALL = CbowConfig(dimension=8, window=2, min_count=1, epochs=2, batch_size=32, workers=2)
VOCAB = len({word for words in twin_corpus(120) for word in words})


@pytest.fixture()
def corpus_txt(tmp_path):
    path = tmp_path / "twins.txt"
    lines = [" ".join(words).capitalize() + "." for words in twin_corpus(120)]
    lines[5:5] = ["", "   "]  # blank lines are not texts
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.tensorflow
def test_train_cbow_saves_a_vectors_model(corpus_txt, tmp_path):
    events = []
    target = train_cbow(SMALL, str(corpus_txt), tmp_path / "out" / "twins", listener=events.append)
    assert target == tmp_path / "out" / "twins"
    assert sorted(p.name for p in target.parent.iterdir()) == ["twins"]  # nothing partial beside it
    card = read_card(target).raw
    assert card["kind"] == "vectors"
    assert card["architecture"] == {"method": "cbow", "vocab_size": VOCAB, "dimension": 8, "window": 2,
                                    "negative": 5, "dtype": "float32"}
    assert card["training"]["corpus"] == str(corpus_txt) and card["training"]["texts"] == 120
    assert card["training"]["config"] == json.loads(json.dumps(SMALL.to_dict()))
    assert card["metrics"]["loss"] == card["training"]["history"][-1]["loss"]
    vectors = Vectors.load(target)
    assert (len(vectors), vectors.vector_size, vectors.window) == (VOCAB, 8, 2)
    assert "zorp" in vectors and vectors.output is not None and vectors.vectors.dtype == np.float32
    assert len(vectors.neighbours("Zorp!", k=3)) == 3
    assert [e.text.split()[0] for e in events if isinstance(e, Phase)] == ["loading", "tokenizing", "counting", "starting", "saving"]
    assert sum(isinstance(e, VectorsEpochEnd) for e in events) == 2


@pytest.mark.tensorflow
def test_train_cbow_half_stores_float16(corpus_txt, tmp_path):
    target = train_cbow(SMALL, str(corpus_txt), tmp_path / "half", half=True)
    with np.load(target / "weights.npz", allow_pickle=False) as npz:
        assert npz["input"].dtype == npz["output"].dtype == np.float16
        assert npz["input"].shape == (VOCAB, 8)
    assert read_card(target).vectors.dtype == "float16"
    assert guesser(Vectors.load(target)).guess("glim ___ frap", k=1)


@pytest.mark.tensorflow
@pytest.mark.parametrize("when", ["first call", "before saving"])
def test_cancel_saves_nothing(corpus_txt, tmp_path, when):
    parent = tmp_path / "out"
    parent.mkdir()
    events = []

    def should_stop() -> bool:
        if when == "first call":
            return True
        return any(isinstance(e, VectorsEpochEnd) and e.epoch == e.epochs for e in events)

    with pytest.raises(Cancelled, match="nothing was saved"):
        train_cbow(SMALL, str(corpus_txt), parent / "v", listener=events.append, should_stop=should_stop)
    assert list(parent.iterdir()) == []
    assert not any(isinstance(e, Phase) and e.text.startswith("saving") for e in events)
    assert sum(isinstance(e, VectorsEpochEnd) for e in events) == (0 if when == "first call" else 2)


def test_existing_target_is_refused_before_any_work(corpus_txt, tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    events = []
    with pytest.raises(RnnplayError, match="already exists"):
        train_cbow(SMALL, str(corpus_txt), target, listener=events.append)
    assert events == [] and (target / "keep.txt").read_text() == "mine"


@pytest.mark.tensorflow
def test_overwrite_replaces_an_existing_model(corpus_txt, tmp_path):
    target = tmp_path / "again"
    target.mkdir()
    (target / "old.txt").write_text("old")
    train_cbow(SMALL, str(corpus_txt), target, overwrite=True)
    assert not (target / "old.txt").exists() and read_card(target).kind == "vectors"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.tensorflow
def test_training_split_reads_only_the_classifiers_training_texts(tmp_path):
    """Each text carries a word of its own: the vectors know exactly the training split's words, so nothing
    of the texts a classifier with that seed is validated and tested on was read."""
    from rnnplay.corpora import load_corpus, split
    from rnnplay.text import TextSettings

    csv = tmp_path / "labelled.csv"
    csv.write_text("text,label\n" + "".join(f"glim frap own{i} zorp,{i % 2}\n" for i in range(60)))
    target = train_cbow(SMALL, str(csv), tmp_path / "train-only", training_split=0)
    card = read_card(target)
    training = split(load_corpus(str(csv)), 0).train.texts
    own = {token for text in training for token in TextSettings().tokens(text) if token.startswith("own")}
    assert {word for word in Vectors.load(target).index_to_key if word.startswith("own")} == own
    assert len(own) == len(training) == 42 and card.section("training")["texts"] == 42
    assert card.section("training")["training_split_seed"] == 0
