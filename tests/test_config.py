"""Training options: every value checked against rnnplay.limits, with the flag to fix, before anything runs."""

from __future__ import annotations

import pytest

from rnnplay import limits
from rnnplay.card import parse_classifier
from rnnplay.config import PRESETS, CbowConfig, ClassifierConfig
from rnnplay.errors import UsageError


@pytest.mark.parametrize("overrides, message", [
    ({"epochs": 2.5}, "--epochs must be a whole number from 1 to 1,000, not 2.5"),
    ({"epochs": 10**20}, "--epochs must be a whole number from 1 to 1,000"),
    ({"units": 99_999}, "--units must be a whole number from 1 to 1,024, not 99999"),
    ({"embedding_dim": 100_000_000}, "--embedding-dim must be a whole number from 1 to 1,024"),
    ({"learning_rate": float("inf")}, "--learning-rate must be a number above 0 and at most 10, not inf"),
    ({"learning_rate": float("nan")}, "--learning-rate must be a number above 0 and at most 10, not nan"),
    ({"dropout": 1.0}, "--dropout must be a number at least 0 and below 1, not 1.0"),
    ({"max_length": 10**9}, "--max-length must be a whole number from 1 to 100,000"),
    ({"cell": "transformer"}, "--cell must be lstm, gru or rnn, not 'transformer'"),
    ({"layers": 0, "batch_size": 0}, "--layers must be a whole number from 1 to 8, not 0; --batch-size must be"),
    ({"pooling": "attention"}, "--pooling must be last, max or mean, not 'attention'"),
    ({"schedule": "step"}, "--schedule must be constant or cosine, not 'step'"),
    ({"label_smoothing": 1.0}, "--label-smoothing must be a number at least 0 and below 1, not 1.0"),
    ({"embedding_dropout": -0.1}, "--embedding-dropout must be a number at least 0 and below 1"),
    ({"cut_sentences": 1000}, "--cut-sentences must be a whole number from 0 to 100"),
])
def test_each_bad_option_is_named_with_its_bounds(overrides, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ClassifierConfig().with_overrides(**overrides)


def test_a_model_over_the_parameter_budget_is_refused_with_what_to_lower():
    with pytest.raises(UsageError, match="would have 1,000,268,673 parameters, more than the 50,000,000 .*--vocab-size"):
        ClassifierConfig().with_overrides(vocab_size=1_000_000, embedding_dim=1000)


@pytest.mark.parametrize("name", list(PRESETS))
def test_parameters_counts_what_the_card_will_describe(name):
    """The count training checks before it starts is the one the saved card is checked against."""
    config = PRESETS[name][0]
    head = ([{"units": config.dense_units, "activation": "relu"}] if config.dense_units else []) + [{"units": 1, "activation": "linear"}]
    architecture = parse_classifier({"vocab_size": config.vocab_size, "embedding_dim": config.embedding_dim, "cell": config.cell,
                                     "units": config.units, "layers": config.layers, "bidirectional": config.bidirectional,
                                     "head": head, "output": "logit"})
    assert config.parameters() == architecture.parameters() <= limits.MAX_PARAMETERS


def test_the_default_preset_counts_what_keras_counted_for_the_shipped_model():
    from rnnplay.store import SHIPPED_DIR, load_model

    stored = load_model(SHIPPED_DIR / "imdb-bilstm")
    assert PRESETS["default"][0].parameters() == sum(array.size for array in stored.arrays.values()) == 1_309_057


@pytest.mark.parametrize("overrides, message", [
    ({"alpha": 0.001, "min_alpha": 0.01}, "--min-alpha (0.01) must not be above --alpha (0.001)"),
    ({"window": 0}, "--window must be a whole number from 1 to 50, not 0"),
    ({"dimension": 10**6}, "--dimension must be a whole number from 1 to 1,024"),
    ({"sample": float("inf")}, "--sample must be a number at least 0 and below 1, not inf"),
    ({"workers": 1000}, "--workers must be a whole number from 1 to 64"),
])
def test_cbow_options_are_bounded_too(overrides, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CbowConfig().with_overrides(**overrides)


def test_bounds_describe_themselves_as_they_check():
    whole, real = limits.Bound(1, 8), limits.Bound(0, 1, whole=False, exclusive_high=True)
    assert whole.holds(8) and not whole.holds(9) and not whole.holds(2.5) and not whole.holds(True)
    assert real.holds(0.0) and not real.holds(1.0) and not real.holds(float("nan"))
    assert whole.describe() == "a whole number from 1 to 8"
    assert real.describe() == "a number at least 0 and below 1"


def test_an_option_that_takes_0_for_none_says_so_and_only_the_option_takes_it():
    length = limits.CLASSIFIER["max_length"]
    assert length.takes(0) and length.takes(300) and not length.takes(-1) and not length.takes(False)
    assert not length.holds(0)  # a card stores None for whole texts, never 0
    assert length.describe_option() == "a whole number from 1 to 100,000, or 0 for whole texts"
    assert limits.CLASSIFIER["epochs"].describe_option() == limits.CLASSIFIER["epochs"].describe()
    assert ClassifierConfig().with_overrides(max_length=0).max_length is None
    with pytest.raises(UsageError, match=r"^--max-length must be a whole number from 1 to 100,000, or 0 for whole texts, not -5$"):
        ClassifierConfig().with_overrides(max_length=-5)
