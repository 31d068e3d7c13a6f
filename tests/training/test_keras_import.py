"""``rnnplay import`` on tutorial-shaped .keras files, and on files it must refuse.

The file checks (zip bombs, damaged archives) and the converter's messages on strange models need no
TensorFlow; the tests that build real Keras models are marked ``tensorflow``.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.limits import MAX_KERAS_BYTES, MAX_KERAS_MEMBERS
from rnnplay.runtime.classifier import Classifier
from rnnplay.training import keras_model
from rnnplay.training.keras_import import check_file
from tests.bounded import assert_one_line, run_bounded
from tests.conftest import TINY_CSV


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


@pytest.mark.tensorflow
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
    check_file(tmp_path / "mine.keras")  # what Keras writes passes the archive checks
    path, parity = import_keras(tmp_path / "mine.keras", tmp_path / "models" / "mine", str(TINY_CSV))
    assert parity["max_abs_diff"] <= 1e-4 and parity["n"] == 80
    imported = Classifier.load(path)
    texts = ["The script was brilliant.", "Tedious!"]
    expected = 1 / (1 + np.exp(-model.predict(tf.constant(texts), verbose=0)[:, 0]))
    np.testing.assert_allclose(imported.predict(texts), expected, atol=1e-5)


@pytest.mark.tensorflow
def test_lambda_layer_is_refused_by_safe_mode(tmp_path):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    _, keras = tensorflow_modules()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(1)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(RnnplayError, match="cannot be loaded safely"):
        import_keras(tmp_path / "lambda.keras", tmp_path / "out", str(TINY_CSV))
    assert not (tmp_path / "out").exists()


@pytest.mark.tensorflow
def test_unsupported_layers_are_named(tmp_path):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    _, keras = tensorflow_modules()
    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(10, 4),
                              keras.layers.Conv1D(4, 3), keras.layers.GlobalMaxPooling1D(), keras.layers.Dense(1)])
    model.save(tmp_path / "conv.keras")
    with pytest.raises(RnnplayError, match="Conv1D layers are not supported"):
        import_keras(tmp_path / "conv.keras", tmp_path / "out", str(TINY_CSV))


def strange_models(keras, tf):
    """Models Keras saves and loads that rnnplay cannot run, each with the line that must say why."""
    from rnnplay.corpora import load_corpus

    layers = keras.layers
    encoder = layers.TextVectorization(max_tokens=60)
    encoder.adapt(tf.constant(load_corpus(str(TINY_CSV)).texts))
    size = len(encoder.get_vocabulary())

    def tutorial(*rest, embedding=None):
        return keras.Sequential([keras.Input(shape=(1,), dtype="string"), encoder,
                                 embedding or layers.Embedding(size, 4, mask_zero=True), *rest])

    def functional(make_output):
        text = keras.Input(shape=(1,), dtype="string")
        state = layers.LSTM(4)(layers.Embedding(size, 4, mask_zero=True)(encoder(text)))
        return keras.Model(text, make_output(state))

    unrolled = tutorial(layers.LSTM(4, unroll=True), layers.Dense(1))
    nan = tutorial(layers.LSTM(4), layers.Dense(1))
    nan.set_weights(nan.get_weights()[:-1] + [np.full(1, np.nan, dtype=np.float32)])
    return {
        "no bias": (tutorial(layers.LSTM(4), layers.Dense(1, use_bias=False)),
                    r"layer 3 \(dense\w*\): Dense holds 1 weight arrays, rnnplay reads 2 \(kernel, bias\); use_bias=False is not supported"),
        "dict output": (functional(lambda state: {"score": layers.Dense(1)(state)}), "the model's output is 'dict', not one score per text"),
        "two outputs": (functional(lambda state: [layers.Dense(1)(state), layers.Dense(1)(state)]),
                        "the model has 1 inputs and 2 outputs; rnnplay reads a classifier with one text input and one score"),
        "unrolled": (unrolled, "Keras cannot run the model on texts, so it cannot be checked: Cannot unroll a RNN if the time dimension is undefined"),
        "NaN weights": (nan, r"the model: dense/0/bias holds NaN or infinite values"),
        "too wide": (tutorial(layers.LSTM(4), layers.Dense(5000), layers.Dense(1)),
                     r"the model is outside what rnnplay runs: architecture.head\[0\].units must be a whole number from 1 to 4,096, not 5000"),
    }


@pytest.mark.tensorflow
def test_strange_but_loadable_models_are_one_clear_line(tmp_path):
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.keras_import import import_keras

    tf, keras = tensorflow_modules()
    for name, (model, message) in strange_models(keras, tf).items():
        path = tmp_path / f"{name}.keras"
        model.save(path)
        with pytest.raises(RnnplayError, match=message) as caught:
            import_keras(path, tmp_path / "out", str(TINY_CSV))
        assert_one_line(caught.value)
        assert not (tmp_path / "out").exists(), name


# --- the converter on layers it does not expect (no TensorFlow: stand-ins named as Keras' classes) ---


class Stand:
    """A layer as to_arrays sees it: a class name, a config, weights and a few attributes."""

    def __init__(self, name="layer", config=None, weights=(), **attributes):
        self.name, self.config, self.weights = name, config if config is not None else {}, list(weights)
        self.__dict__.update(attributes)

    def get_config(self):
        return self.config

    def get_weights(self):
        return self.weights


def stand(kind: str, **attributes) -> Stand:
    return type(kind, (Stand,), {})(**attributes)


class Model:
    def __init__(self, *layers, outputs=1):
        self.layers, self.inputs, self.outputs = list(layers), [object()], [object()] * outputs


def chain(*head) -> Model:
    lstm = {"activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True, "go_backwards": False}
    return Model(stand("Embedding", name="embedding", weights=[np.zeros((5, 4))], mask_zero=True),
                 stand("LSTM", name="lstm", config=lstm, weights=[np.zeros((4, 16)), np.zeros((4, 16)), np.zeros(16)],
                       units=4, return_sequences=False),
                 *head)


def test_the_stand_ins_convert():
    architecture, arrays, vectorizer = keras_model.to_arrays(
        chain(stand("Dense", config={"activation": "linear"}, weights=[np.zeros((4, 1)), np.zeros(1)], units=1)))
    assert architecture["cell"] == "lstm" and architecture["head"] == [{"units": 1, "activation": "linear"}]
    assert vectorizer is None and arrays["dense/0/kernel"].shape == (4, 1)


@pytest.mark.parametrize("dense, message", [
    (stand("Dense", name="dense", config=["not", "a", "dict"], units=1),  # "list indices must be integers or slices, not str"
     r"layer 2 \(dense\): rnnplay cannot read this Dense layer's settings or weights \(AttributeError: "),
    (stand("Dense", name="dense", config={"activation": "linear"}, weights=[np.zeros((4, 1))], units=1),
     r"layer 2 \(dense\): Dense holds 1 weight arrays, rnnplay reads 2 \(kernel, bias\); use_bias=False is not supported"),
    (stand("Dense", name="d\x1b[31m", config={"activation": {"class_name": "function", "config": "x" * 500}}, units=1),
     r"layer 2 \(d\\x1b\[31m\): Dense activation \{'class_name': 'function', 'config': 'x+… is not supported \(linear, "),
    (stand("Dense", name="dense", config={"activation": "linear"}, weights=[np.zeros((4, 1)), np.zeros(1)], units="one"),
     r"layer 2 \(dense\): rnnplay cannot read this Dense layer's settings or weights \(ValueError: "),
    (stand("MyOwn\x07Layer", name="mine"), r"layer 2 \(mine\): MyOwn\\x07Layer layers are not supported"),
])
def test_strange_layers_are_one_clear_line(dense, message):
    with pytest.raises(RnnplayError, match=message) as caught:
        keras_model.to_arrays(chain(dense))
    assert_one_line(caught.value)


def test_a_model_with_two_outputs_is_refused():
    with pytest.raises(RnnplayError, match="the model has 1 inputs and 2 outputs"):
        keras_model.to_arrays(Model(outputs=2))


# --- the file checks: before TensorFlow, before anything is decompressed ---------------------------


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"not a zip at all", "not a Keras 3 .keras file"),
])
def test_broken_files_say_what_is_wrong(tmp_path, content, message):
    (tmp_path / "m.keras").write_bytes(content)
    with pytest.raises(RnnplayError, match=message):
        check_file(tmp_path / "m.keras")


def test_truncated_and_foreign_zips(tmp_path):
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
    with pytest.raises(RnnplayError, match="is a folder, not a .keras file"):
        check_file(tmp_path)
    with pytest.raises(RnnplayError, match="/dev/zero is not a regular file"):
        check_file(Path("/dev/zero"))


def test_a_damaged_member_fails_its_checksum(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("model.weights.h5", b"\x00" * 1000)
    data = bytearray(path.read_bytes())
    data[data.index(b"\x00" * 1000) + 500] = 1
    path.write_bytes(bytes(data))
    with pytest.raises(RnnplayError, match="is damaged: 'model.weights.h5' fails its checksum"):
        check_file(path)


def bomb(path: Path, size: int = 64 << 20) -> Path:
    """A .keras whose weights are ``size`` zero bytes, deflated about a thousandfold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", "{}")
        with archive.open("model.weights.h5", "w") as member:
            for _ in range(size >> 20):
                member.write(bytes(1 << 20))
    return path


def declaring(path: Path, members: dict[str, bytes], declared: dict[str, int], method: int = zipfile.ZIP_STORED) -> Path:
    """A zip whose central directory declares the given uncompressed sizes (what check_file reads first)."""
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(path.read_bytes())
    directory_size, directory_offset = struct.unpack_from("<LL", data, len(data) - 10)
    at = directory_offset
    while at < directory_offset + directory_size:
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, at + 28)
        name = bytes(data[at + 46 : at + 46 + name_length]).decode()
        if name in declared:
            struct.pack_into("<L", data, at + 24, declared[name])  # the uncompressed size
        at += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))
    return path


def forbid(monkeypatch: pytest.MonkeyPatch, *methods: str) -> None:
    """Calling any of zipfile.ZipFile's ``methods`` fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"zipfile.ZipFile.{'/'.join(methods)} was called")

    for method in methods:
        monkeypatch.setattr(zipfile.ZipFile, method, refuse)


def test_archives_beyond_what_a_model_needs_are_refused_before_decompressing(tmp_path, monkeypatch):
    random = np.random.default_rng(0).bytes(5 << 20)  # does not compress: ratio 1
    half = MAX_KERAS_BYTES // 2 + (1 << 20)
    cases = [
        (bomb(tmp_path / "bomb.keras"),
         r"'model.weights.h5' would expand from [\d,]+ bytes to 64 MB \(a zip bomb\?\); refused before unpacking"),
        (declaring(tmp_path / "declared.keras", {"config.json": b"{}", "model.weights.h5": b"x" * 1000},
                   {"model.weights.h5": 4_000_000_000}, zipfile.ZIP_DEFLATED),
         r"'model.weights.h5' would expand from \d+ bytes to 3,815 MB \(a zip bomb\?\)"),
        (declaring(tmp_path / "total.keras", {"config.json": b"{}", "a.h5": random, "b.h5": random},
                   {"a.h5": half, "b.h5": half}),
         f"total.keras unpacks to {(2 * half) >> 20:,} MB, more than a model rnnplay can run needs \\(at most {MAX_KERAS_BYTES >> 20:,} MB"),
        (declaring(tmp_path / "config.keras", {"config.json": random}, {"config.json": 100 << 20}),
         r"its config.json declares 100 MB, more than a model rnnplay can run needs \(at most 64 MB\)"),
        (declaring(tmp_path / "bzip.keras", {"config.json": b"{}"}, {}, zipfile.ZIP_BZIP2),
         "'config.json' uses zip compression method 12; a .keras file is stored or deflated"),
    ]
    forbid(monkeypatch, "open", "testzip")  # the refusal must come from the declared sizes alone
    for path, message in cases:
        with pytest.raises(RnnplayError, match=message) as caught:
            check_file(path)
        assert_one_line(caught.value)


def test_a_directory_of_thousands_of_members_is_refused_from_its_end_record(tmp_path, monkeypatch):
    path = tmp_path / "many.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
        for number in range(MAX_KERAS_MEMBERS + 1):
            archive.writestr(f"assets/{number}", b"")
    forbid(monkeypatch, "__init__")  # zipfile would read the whole directory
    with pytest.raises(RnnplayError, match=f"lists {MAX_KERAS_MEMBERS + 2:,} members in [\\d,]+ bytes; a .keras file holds"):
        check_file(path)


# ``rnnplay import`` as a user runs it, with a little address space: the refusal needs no TensorFlow.
IMPORT_REPORTING_MODULES = """
import atexit, sys
report = sys.argv.pop(1)
atexit.register(lambda: open(report, "w").write(" ".join(m for m in ("tensorflow", "keras") if m in sys.modules)))
sys.argv[0] = "rnnplay"
from rnnplay.cli import main
main()
"""


@pytest.mark.parametrize("make", [
    lambda path: bomb(path, 256 << 20),
    lambda path: declaring(path, {"config.json": b"{}", "model.weights.h5": b"x" * 1000}, {"model.weights.h5": 4_000_000_000},
                           zipfile.ZIP_DEFLATED),
], ids=["deflated-zeros", "declared-4-GB"])
def test_rnnplay_import_refuses_a_bomb_in_bounded_memory_without_tensorflow(tmp_path, make):
    path = make(tmp_path / "bomb.keras")
    report = tmp_path / "modules"
    result = run_bounded(str(report), "import", str(path), python=("-c", IMPORT_REPORTING_MODULES))
    assert result.returncode == 1 and result.stdout == "" and result.stderr.count("\n") == 1, result.stderr[-500:]
    assert "(a zip bomb?); refused before unpacking" in result.stderr
    assert report.read_text() == ""  # neither TensorFlow nor Keras was imported
