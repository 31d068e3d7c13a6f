"""``rnnplay import`` on tutorial-shaped .keras files, and on files it must refuse."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.classifier import Classifier
from tests.conftest import TINY_CSV

pytestmark = pytest.mark.tensorflow


def tutorial_model(keras, tf, recurrent):
    """The tutorial's construction, small: adapt an encoder, then Sequential([encoder, Embedding, ...])."""
    from rnnplay.corpora import load_corpus

    encoder = keras.layers.TextVectorization(max_tokens=60)
    encoder.adapt(tf.constant(load_corpus(str(TINY_CSV)).texts))
    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        keras.Input(shape=(1,), dtype="string"), encoder,
        keras.layers.Embedding(len(encoder.get_vocabulary()), 8, mask_zero=True),
        recurrent, keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1),
    ])
    model.set_weights([w * 2 for w in model.get_weights()])
    return model


@pytest.mark.parametrize("make", [
    lambda k: k.layers.Bidirectional(k.layers.LSTM(8)),
    lambda k: k.layers.GRU(8),
])
def test_import_reproduces_keras(tmp_path, make):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    tf, keras = tensorflow_modules()
    model = tutorial_model(keras, tf, make(keras))
    model.save(tmp_path / "mine.keras")
    path, parity = import_keras(tmp_path / "mine.keras", tmp_path / "models" / "mine", str(TINY_CSV))
    assert parity["max_abs_diff"] <= 1e-4 and parity["n"] == 80
    imported = Classifier.load(path)
    texts = ["The script was brilliant.", "Tedious!"]
    expected = 1 / (1 + np.exp(-model.predict(tf.constant(texts), verbose=0)[:, 0]))
    np.testing.assert_allclose(imported.predict(texts), expected, atol=1e-5)


def test_lambda_layer_is_refused_by_safe_mode(tmp_path):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    tf, keras = tensorflow_modules()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(1)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(RnnplayError, match="cannot be loaded safely"):
        import_keras(tmp_path / "lambda.keras", tmp_path / "out", str(TINY_CSV))
    assert not (tmp_path / "out").exists()


def test_unsupported_layers_are_named(tmp_path):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    tf, keras = tensorflow_modules()
    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(10, 4),
                              keras.layers.Conv1D(4, 3), keras.layers.GlobalMaxPooling1D(), keras.layers.Dense(1)])
    model.save(tmp_path / "conv.keras")
    with pytest.raises(RnnplayError, match="Conv1D layers are not supported"):
        import_keras(tmp_path / "conv.keras", tmp_path / "out", str(TINY_CSV))


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"not a zip at all", "not a Keras 3 .keras file"),
])
def test_broken_files_say_what_is_wrong(tmp_path, content, message):
    from rnnplay.training.keras_import import check_file

    (tmp_path / "m.keras").write_bytes(content)
    with pytest.raises(RnnplayError, match=message):
        check_file(tmp_path / "m.keras")


def test_truncated_and_foreign_zips(tmp_path):
    from rnnplay.training.keras_import import check_file

    with zipfile.ZipFile(tmp_path / "other.keras", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RnnplayError, match="no config.json"):
        check_file(tmp_path / "other.keras")
    data = (tmp_path / "other.keras").read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(RnnplayError, match="not a Keras 3 .keras file|damaged"):
        check_file(tmp_path / "cut.keras")
    with pytest.raises(RnnplayError, match="no such file"):
        check_file(tmp_path / "absent.keras")
