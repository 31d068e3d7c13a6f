"""Training on the project's tiny corpus: it learns, saves a complete card, cancels cleanly, repeats."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from rnnplay.config import ClassifierConfig, preset
from rnnplay.errors import Cancelled, RnnplayError, UsageError
from rnnplay.runtime.classifier import Classifier
from rnnplay.store import load_model
from tests.conftest import TINY_CSV

pytestmark = pytest.mark.tensorflow
TINY = ClassifierConfig(units=8, embedding_dim=8, dense_units=8, max_length=20, epochs=8, batch_size=32,
                        learning_rate=1e-2, dropout=0.0)


def test_tiny_model_learns_and_its_card_tells_how(tiny_model):
    card = json.loads((tiny_model / "card.json").read_text())
    assert card["kind"] == "classifier"
    assert card["training"]["split"] == {"train": 280, "validation": 40, "test": 80}
    assert card["metrics"]["test"]["accuracy"] >= 0.9
    assert set(card["files"]) == {"weights.npz", "vocab.txt", "model.keras"}
    assert card["versions"]["tensorflow"].startswith("2.")
    classifier = Classifier.load(tiny_model)
    good, bad = classifier.predict(["The acting was wonderful.", "The acting was awful."])
    assert good > 0.5 > bad


def test_saved_keras_model_reads_raw_strings_and_agrees(tiny_model):
    from rnnplay.training import tensorflow_modules

    tf, keras = tensorflow_modules()
    model = keras.saving.load_model(tiny_model / "model.keras", safe_mode=True)
    texts = ["The plot was superb.", "Honestly the music was dull.", "nothing known here"]
    keras_p = 1 / (1 + np.exp(-model.predict(tf.constant(texts), verbose=0)[:, 0]))
    np.testing.assert_allclose(Classifier.load(tiny_model).predict(texts), keras_p, atol=1e-5)


def test_cancel_at_a_batch_leaves_no_model(tmp_path):
    from rnnplay.training.classifier import train_classifier

    events = []

    def stop_after_two_batches() -> bool:
        return sum(type(e).__name__ == "BatchEnd" for e in events) >= 2

    with pytest.raises(Cancelled):
        train_classifier(TINY, str(TINY_CSV), tmp_path / "m", listener=events.append, should_stop=stop_after_two_batches)
    assert list(tmp_path.iterdir()) == []


def test_same_seed_same_weights(tmp_path):
    from rnnplay.training.classifier import train_classifier

    config = ClassifierConfig(**{**TINY.to_dict(), "epochs": 2})
    a = load_model(train_classifier(config, str(TINY_CSV), tmp_path / "a"))
    b = load_model(train_classifier(config, str(TINY_CSV), tmp_path / "b"))
    assert a.card.files["weights.npz"] == b.card.files["weights.npz"]


def test_variable_length_batches_without_max_length(tmp_path):
    from rnnplay.training.classifier import train_classifier

    config = ClassifierConfig(**{**TINY.to_dict(), "epochs": 1, "max_length": None, "cell": "gru", "bidirectional": False})
    path = train_classifier(config, str(TINY_CSV), tmp_path / "g")
    assert load_model(path).card.classifier.cell == "gru"


def test_presets_and_flag_checks():
    tutorial = preset("tutorial")
    assert (tutorial.vocab_size, tutorial.units, tutorial.learning_rate, tutorial.batch_size, tutorial.epochs) == (1000, 64, 1e-4, 64, 10)
    assert tutorial.max_length is None and not tutorial.strip_markup
    assert preset("default").with_overrides(max_length=0, units=None).max_length is None
    with pytest.raises(UsageError, match="--cell must be"):
        preset("default").with_overrides(cell="transformer")
    with pytest.raises(UsageError, match="unknown preset"):
        preset("fast")


def test_initial_embedding_takes_each_known_words_vector_scaled(planted_vectors, tmp_path):
    from rnnplay.training.classifier import INIT_STD, initial_embedding
    from tests.conftest import PLANTED_WORDS, planted_arrays

    vocabulary = ["", "[UNK]", "film", "zzz", "good", "nothing", "unheard"]
    config = ClassifierConfig(embedding_dim=8, init_embeddings=str(planted_vectors))
    matrix, note = initial_embedding(config, vocabulary, tmp_path)
    vectors = planted_arrays()["input"]
    known = [PLANTED_WORDS.index(w) for w in ("film", "good", "nothing")]
    scale = INIT_STD / vectors[known].std()
    for row, word in ((2, "film"), (4, "good"), (5, "nothing")):
        np.testing.assert_allclose(matrix[row], vectors[PLANTED_WORDS.index(word)] * scale, rtol=1e-6)
    assert not matrix[0].any()  # padding
    assert np.abs(matrix[[1, 3, 6]]).max() <= 0.05 and matrix[[1, 3, 6]].any()  # Keras' uniform start
    assert note == {"vectors": "planted", "coverage": 0.6}
    with pytest.raises(RnnplayError, match="8-d vectors but the embedding is 16-d"):
        initial_embedding(ClassifierConfig(embedding_dim=16, init_embeddings=str(planted_vectors)), vocabulary, tmp_path)


def test_training_from_word_vectors_records_them(planted_vectors, tmp_path):
    from rnnplay.training.classifier import train_classifier

    config = ClassifierConfig(**{**TINY.to_dict(), "epochs": 2, "init_embeddings": str(planted_vectors)})
    path = train_classifier(config, str(TINY_CSV), tmp_path / "from-vectors")
    card = json.loads((path / "card.json").read_text())
    assert card["training"]["config"]["init_embeddings"] == str(planted_vectors)
    assert card["training"]["init_embeddings"]["vectors"] == "planted"
    assert 0 < card["training"]["init_embeddings"]["coverage"] < 1
    with zipfile.ZipFile(path / "model.keras") as archive:  # the start values are not kept as JSON in the config
        layers = json.loads(archive.read("config.json"))["config"]["layers"]
    embedding = next(layer for layer in layers if layer["class_name"] == "Embedding")
    assert embedding["config"]["embeddings_initializer"]["class_name"] == "RandomUniform"


def test_own_test_files_are_scored_after_training_and_recorded_by_name(tmp_path):
    """The card's figure for a --test-file is the saved model's accuracy on that file (recomputed here with the
    runtime), recorded under the file's name; the model is chosen on validation as without it."""
    from rnnplay.corpora import load_corpus
    from rnnplay.training.classifier import train_classifier

    own = tmp_path / "imdb"  # named like a built-in corpus: the file is read, not the corpus
    own.write_text("text,label\nThe acting was wonderful.,1\nA superb plot.,1\nThe music was awful.,0\nA dull film.,0\n")
    path = train_classifier(ClassifierConfig(**{**TINY.to_dict(), "epochs": 3}), str(TINY_CSV), tmp_path / "m", test_files=[own])
    stored = load_model(path)
    data = load_corpus(str(own.absolute()))
    expected = float(((Classifier.load(path).predict(data.texts) >= 0.5) == (data.labels == 1)).mean())
    assert list(stored.card.file_scores()) == ["imdb"]
    assert stored.card.file_scores()["imdb"].accuracy == pytest.approx(expected, abs=1e-4)
    assert stored.card.file_scores()["imdb"].n == 4


def test_cancel_before_tensorflow_starts_stops_there(tmp_path):
    """A cancel while the corpus is read stops before the seconds of TensorFlow start-up and compiling."""
    from rnnplay.training.classifier import train_classifier
    from rnnplay.training.progress import Phase

    events = []
    with pytest.raises(Cancelled, match="nothing was saved"):
        train_classifier(TINY, str(TINY_CSV), tmp_path / "m", listener=events.append, should_stop=lambda: bool(events))
    assert [e.text for e in events if isinstance(e, Phase)] == [f"loading corpus {TINY_CSV}", "tokenizing 400 texts"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pooling", ["max", "mean"])
def test_every_search_option_trains_and_the_saved_keras_model_agrees(tmp_path, pooling):
    """Pooling, bucketing, a cosine schedule, label smoothing, embedding dropout and cut sentences, all at once:
    the run learns, the card records them, and the saved end-to-end Keras file (the masked max is our own layer,
    registered) loads and agrees with the NumPy runtime."""
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.classifier import train_classifier

    config = ClassifierConfig(**{**TINY.to_dict(), "pooling": pooling, "bucket": True, "schedule": "cosine", "label_smoothing": 0.1,
                                 "embedding_dropout": 0.1, "cut_sentences": 1})
    path = train_classifier(config, str(TINY_CSV), tmp_path / pooling)
    stored = load_model(path)
    assert stored.card.classifier.pooling == pooling
    assert stored.card.section("training")["config"]["schedule"] == "cosine"
    assert stored.card.section("training")["config"]["cut_sentences"] == 1  # the tiny corpus' texts are one sentence: none cut
    tf, keras = tensorflow_modules()
    model = keras.saving.load_model(path / "model.keras", safe_mode=True)
    texts = ["The plot was superb.", "Honestly the music was dull, but the acting was fine.", "nothing known here"]
    keras_p = 1 / (1 + np.exp(-model.predict(tf.constant(texts), verbose=0)[:, 0]))
    np.testing.assert_allclose(Classifier.load(path).predict(texts), keras_p, atol=1e-5)
    assert stored.card.score("test").accuracy >= 0.8


def test_cut_sentences_keep_their_review_s_label_and_leave_one_sentence_texts_alone():
    from rnnplay.corpora import Corpus
    from rnnplay.text import TextSettings
    from rnnplay.training.classifier import cut_sentences

    corpus = Corpus("c", ["One two three four. Five six seven eight! Nine ten eleven twelve?<br />Hi.",
                          "A single sentence of several words.", "Bad bad bad film. Worse worse worse acting."],
                    np.array([1, 0, 0], dtype=np.int8))
    cut = cut_sentences(corpus, TextSettings(strip_markup=True), 2, seed=0)
    assert len(cut) == 4 and cut.labels.tolist() == [1, 1, 0, 0]
    assert set(cut.texts[:2]) <= {"One two three four.", "Five six seven eight!", "Nine ten eleven twelve?"}
    assert cut.texts[2:] == ["Bad bad bad film.", "Worse worse worse acting."]
    assert cut_sentences(corpus, TextSettings(strip_markup=True), 2, seed=0).texts == cut.texts  # seeded


@pytest.mark.parametrize(("width", "bucket"), [(20, False), (None, False), (40, True), (None, True)])
def test_the_tensorflow_pipeline_feeds_exactly_the_numpy_batches(width, bucket):
    """batch_dataset is batches without a Python generator: the same texts, order, padding and labels."""
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.classifier import Encoded, batch_dataset, batch_rows, batches

    tf, _ = tensorflow_modules()
    rng = np.random.default_rng(3)
    data = Encoded([rng.integers(1, 50, n).astype(np.int32) for n in rng.integers(0, 70, 301)],
                   rng.integers(0, 2, 301).astype(np.float32))
    cap = [ids[:width] if width else ids for ids in data.ids]  # the encoder truncates to max_length
    data = Encoded(cap, data.labels)
    expected = batches(data, 32, np.random.default_rng(7), width, bucket)
    rows = batch_rows(data, 32, np.random.default_rng(7), width is None or bucket)
    fed = list(batch_dataset(tf, data, rows, width, bucket).as_numpy_iterator())
    assert len(fed) == len(expected) == 10
    for (x, y), (want_x, want_y) in zip(fed, expected):
        np.testing.assert_array_equal(x, want_x)
        np.testing.assert_array_equal(y, want_y)
