"""Model cards: every field checked once, each problem one line naming the field; never another exception."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay import card as cards
from rnnplay.card import CardError, ClassifierArchitecture, VectorsArchitecture
from rnnplay.errors import RnnplayError
from tests.conftest import SHIPPED_MODEL, SHIPPED_VECTORS, classifier_card


def shipped(path):
    return json.loads((path / "card.json").read_text())


def test_the_shipped_cards_parse_into_typed_data():
    model = cards.parse(shipped(SHIPPED_MODEL))
    assert isinstance(model.architecture, ClassifierArchitecture) and model.kind == "classifier"
    assert model.classifier.parameters() == 1_309_057  # what Keras' model.summary() printed at training
    assert model.held_out_accuracy == pytest.approx(0.8554) and model.score("test").n == 6706
    assert model.corpus == "reviews" and model.text.max_length == 300 and model.text.truncate == "end"
    vectors = cards.parse(shipped(SHIPPED_VECTORS))
    assert isinstance(vectors.architecture, VectorsArchitecture) and vectors.vectors.dtype == "float16"
    assert vectors.vector_size == 100 and vectors.number("metrics", "loss") == pytest.approx(2.0509)
    with pytest.raises(RnnplayError, match="is a vectors model, not a classifier"):
        vectors.classifier  # noqa: B018


def test_expected_arrays_follow_keras_layouts():
    gru = cards.parse_classifier(dict(classifier_card()["architecture"], cell="gru", bidirectional=True, layers=2))
    specs = gru.arrays()
    assert specs["recurrent/0/backward/kernel"].shape == (3, 6)
    assert specs["recurrent/1/forward/kernel"].shape == (4, 6)  # the layer below gives 2 directions × 2 units
    assert specs["recurrent/0/forward/bias"].shape == (2, 6)  # reset_after: two bias rows
    assert specs["dense/0/kernel"].shape == (4, 1)


def broken(path: str, value):
    """The valid tiny classifier card with one field (a dotted path) replaced, or removed for ``...``."""
    data = copy.deepcopy(classifier_card())
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if value is ...:
        node.pop(last, None) if isinstance(node, dict) else None
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize("path, value, message", [
    ("kind", 5, "kind must be one of classifier, vectors, not 5"),
    ("format", 2, "format must be 1"),
    ("architecture.layers", "2", "architecture.layers must be a whole number from 1 to 8, not '2'"),
    ("architecture.layers", -1, "architecture.layers must be a whole number from 1 to 8, not -1"),
    ("architecture.layers", True, "architecture.layers must be a whole number"),
    ("architecture.units", 10**12, "architecture.units must be a whole number from 1 to 1,024"),
    ("architecture.embedding_dim", 100_000_000, "architecture.embedding_dim must be a whole number from 1 to 1,024"),
    ("architecture.cell", "transformer", "architecture.cell must be one of lstm, gru, rnn"),
    ("architecture.head", [], "architecture.head must be a list of a whole number from 1 to 8 Dense layers"),
    ("architecture.head", "x", "architecture.head must be a list"),
    ("architecture.head.0", [1], "architecture.head[0] must be a JSON object, not a list"),
    ("architecture.head.0.units", 2, "architecture.head must end in one unit"),
    ("architecture.head.0.activation", "softmax", "architecture.head[0].activation must be one of linear, relu, tanh, sigmoid"),
    ("architecture.output", "logits", "architecture.output must be one of logit, probability"),
    ("architecture.vocab_size", ..., "architecture.vocab_size is missing"),
    ("architecture", [], "architecture must be a JSON object, not a list"),
    ("text.max_length", "300", "text.max_length must be a whole number from 1 to 100,000, not '300'"),
    ("text.max_length", -5, "text.max_length must be a whole number"),
    ("text.truncate", "middle", "text.truncate must be one of start, end, not 'middle'"),
    ("text.standardize", "lower_and_strip_everything", "text.standardize must be one of"),
    ("text.strip_markup", "yes", "text.strip_markup must be true or false"),
    ("metrics", [], "metrics must be a JSON object, not a list"),
    ("metrics.by_source", [], "metrics.by_source must be a JSON object, not a list"),
    ("metrics.by_source", {"imdb": 1}, "metrics.by_source.'imdb' must be a JSON object, not a number"),
    ("metrics.by_source", {"imdb": {"test": {"accuracy": 1.5, "loss": 0.3, "n": 5}}}, "metrics.by_source.'imdb'.'test'.accuracy must be a number from 0 to 1"),
    ("metrics.by_source", {"rt": {"test": {"accuracy": 0.8, "loss": -1, "n": 5}}}, ".loss must be a number ≥ 0, not -1"),
    ("metrics.by_source", {"rt": {"test": {"accuracy": 0.8, "loss": 0.4, "n": "5"}}}, ".n must be a whole number ≥ 0, not '5'"),
    ("metrics.test_files", [], "metrics.test_files must be a JSON object, not a list"),
    ("metrics.test_files", {"typed.csv": 0.9}, "metrics.test_files.'typed.csv' must be a JSON object, not a number"),
    ("metrics.test_files", {"typed.csv": {"accuracy": 0.9, "loss": 0.3}}, "metrics.test_files.'typed.csv'.n must be a whole number ≥ 0, not None"),
    ("architecture.pooling", "attention", "architecture.pooling must be one of last, max, mean, not 'attention'"),
    ("training", "imdb", "training must be a JSON object, not a text"),
    ("training.devices", "/device:CPU:0", "training.devices must be a list of at most 64 device names, not '/device:CPU:0'"),
    ("training.devices", ["/device:CPU:0"] * 65, "training.devices must be a list of at most 64 device names, not a list"),
    ("training.devices", ["/device:CPU:0", 1], "training.devices[1] must be a device name of 1 to 200 characters, not 1"),
    ("training.devices", [""], "training.devices[0] must be a device name of 1 to 200 characters, not ''"),
    ("training.devices", ["x" * 201], "training.devices[0] must be a device name of 1 to 200 characters, not a text"),
    ("training.strategy", ["MirroredStrategy"], "training.strategy must be a text of at most 200 characters"),
    ("training.strategy", "S" * 201, "training.strategy must be a text of at most 200 characters"),
    ("training.workers", 0, "training.workers must be"),
    ("training.workers", 65, "training.workers must be"),
    ("training.workers", "2", "training.workers must be"),
    ("training.workers", True, "training.workers must be"),
    ("training.streamed", "yes", "training.streamed must be true or false, not 'yes'"),
    ("name", 7, "name must be a text"),
    ("files", {"../../etc/passwd": "0" * 64}, "files lists '../../etc/passwd': a card may list only weights.npz, vocab.txt, model.keras"),
    ("files", {"/proc/kmsg": "0" * 64}, "a card may list only"),
    ("files", {"weights.npz": "not a hash"}, "files.weights.npz must be a sha256"),
])
def test_each_malformed_field_is_one_line_naming_it(path, value, message):
    with pytest.raises(CardError) as caught:
        cards.parse(broken(path, value))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_card_cannot_declare_more_than_rnnplay_loads():
    with pytest.raises(CardError, match="describes 1,000,000,000 values, more than the 400,000,000"):
        cards.parse_vectors({"method": "cbow", "vocab_size": 1_000_000, "dimension": 1000})
    with pytest.raises(CardError, match="parameters, more than the 50,000,000"):
        cards.parse_classifier(dict(classifier_card()["architecture"], vocab_size=1_000_000, embedding_dim=1000))


def test_deep_nesting_is_refused_not_a_recursion_error():
    deep: object = 1
    for _ in range(50):
        deep = [deep]
    with pytest.raises(CardError, match="nests more than 8 levels deep"):
        cards.parse(dict(classifier_card(), training={"x": deep}))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
                    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_value_is_a_card_or_one_card_error(value):
    try:
        cards.parse(value)
    except CardError as error:
        assert "\n" not in str(error)


FIELDS = ["kind", "format", "name", "architecture", "text", "files", "training", "metrics", "training.devices",
          "training.strategy", "training.workers", "architecture.layers",
          "architecture.units", "architecture.head", "architecture.head.0", "architecture.head.0.units",
          "architecture.cell", "architecture.bidirectional", "text.max_length", "text.truncate", "text.standardize"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FIELDS), JSON | st.just(...))
def test_one_field_replaced_by_anything_is_valid_or_one_card_error(path, value):
    """The mutation a hostile editor makes: one field set to any JSON value (or removed)."""
    try:
        parsed = cards.parse(broken(path, value))
    except CardError as error:
        assert "\n" not in str(error)
        return
    architecture = parsed.classifier  # whatever passed is a shape the runtime can build
    assert architecture.parameters() <= 50_000_000 and architecture.head[-1].units == 1


def test_per_source_figures_are_typed():
    card = classifier_card()
    card["metrics"] = {"test": {"accuracy": 0.9, "loss": 0.3, "n": 10},
                       "by_source": {"imdb": {"test": {"accuracy": 0.91, "loss": 0.25, "n": 6}, "validation": {"accuracy": 0.9, "loss": 0.2, "n": 3}},
                                     "rt": {"test": {"accuracy": 0.8, "loss": 0.45, "n": 4}}}}
    parsed = cards.parse(card)
    assert parsed.source_scores() == {"imdb": cards.Score(0.91, 0.25, 6), "rt": cards.Score(0.8, 0.45, 4)}
    assert parsed.source_scores("validation") == {"imdb": cards.Score(0.9, 0.2, 3)}
    assert cards.parse(classifier_card()).source_scores() == {}
    assert cards.parse(classifier_card()).classifier.pooling == "last"  # cards written before pooling existed


def test_the_users_own_test_files_are_typed():
    card = classifier_card()
    card["metrics"] = {"test": {"accuracy": 0.9, "loss": 0.3, "n": 10},
                       "test_files": {"typed-reviews.csv": {"accuracy": 0.85, "loss": 0.4, "n": 160}}}
    assert cards.parse(card).file_scores() == {"typed-reviews.csv": cards.Score(0.85, 0.4, 160)}
    assert cards.parse(classifier_card()).file_scores() == {}


def test_strategy_and_devices_are_typed_and_optional():
    card = classifier_card()
    card["training"] = {"corpus": "tiny", "strategy": "MirroredStrategy", "devices": ["/device:CPU:0", "/device:CPU:1"]}
    parsed = cards.parse(card)
    assert parsed.strategy == "MirroredStrategy" and parsed.devices == ("/device:CPU:0", "/device:CPU:1")
    card["training"] = {"corpus": "tiny", "devices": [f"/device:GPU:{i}" for i in range(64)]}  # the most a card may list
    assert len(cards.parse(card).devices) == 64
    older = cards.parse(shipped(SHIPPED_MODEL))  # trained before either was recorded
    assert older.strategy == "" and older.devices == () and older.workers == 1
    card["training"] = {"corpus": "tiny", "strategy": "MultiWorkerMirroredStrategy", "workers": 2,
                        "devices": ["/job:worker/replica:0/task:0/device:CPU:0", "/job:worker/replica:0/task:1/device:CPU:0"]}
    assert cards.parse(card).workers == 2
    assert not older.streamed and cards.parse({**card, "training": {"corpus": "tiny", "streamed": True}}).streamed
    assert cards.parse(classifier_card()).devices == ()
