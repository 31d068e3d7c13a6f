"""The Train form's text becomes the config the CLI would build, and mistakes name the form's fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay.config import PRESETS, CbowConfig, preset
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.training_request import (
    CBOW_NUMBERS,
    CLASSIFIER_NUMBERS,
    NUMBERS,
    cbow_fields,
    cbow_request,
    classifier_request,
    default_name,
    field_message,
    field_problem,
    form_note,
    preset_fields,
)
from tests.conftest import PLANTED_WORDS, TINY_CSV, planted_arrays, write_vectors_model


def numbers(preset_name: str = "default", **changes: str) -> dict[str, str]:
    values = {key: value for key, value in preset_fields(preset_name).items() if isinstance(value, str)}
    return {**values, **changes}


def test_the_preset_shown_unchanged_is_the_preset() -> None:
    for name in ("default", "tutorial"):
        fields = preset_fields(name)
        request = classifier_request("imdb", name, numbers(name), str(fields["cell"]), bool(fields["bidirectional"]), "", None)
        assert request.config == preset(name)
        assert request.kind == "classifier"


def test_fields_override_the_preset_as_the_cli_flags_do(models_dir: Path) -> None:
    request = classifier_request(str(TINY_CSV), "default", numbers(units="4", vocab_size="100", max_length="0", epochs="1"),
                                 "gru", False, "mine", None)
    assert request.config == preset("default").with_overrides(cell="gru", bidirectional=False, units=4, vocab_size=100,
                                                             max_length=0, epochs=1)
    assert request.config.max_length is None  # 0 keeps whole texts, as --max-length 0
    assert request.target == models_dir / "mine"
    assert request.corpus == str(TINY_CSV)
    assert "GRU 4" in request.describe() and "whole texts" in request.describe()


def test_the_devices_field_is_the_cli_strategy_and_is_checked_as_it_is(models_dir: Path) -> None:
    fields = preset_fields("default")
    args = ("imdb", "default", numbers(), str(fields["cell"]), bool(fields["bidirectional"]))
    assert classifier_request(*args, "", None).strategy == "auto"  # as rnnplay train without --strategy
    mirrored = classifier_request(*args, "m", None, "mirrored")
    assert mirrored.strategy == "mirrored" and mirrored.describe().endswith("on imdb, mirrored")
    with pytest.raises(RnnplayError, match="--strategy must be one of .*, not 'two'"):
        classifier_request(*args, "m", None, "two")


def test_cbow_fields_override_word2vec_defaults(models_dir: Path) -> None:
    fields = dict(cbow_fields(), dimension="8", min_count="1")
    request = cbow_request("rt", fields, "", None)
    assert request.config == CbowConfig(dimension=8, min_count=1)
    assert request.kind == "vectors"
    assert request.target == models_dir / "rt-cbow"


@pytest.mark.parametrize("changes, message", [
    ({"units": "0"}, "units must be a whole number from 1 to 1,024, not 0"),
    ({"units": "99999"}, "units must be a whole number from 1 to 1,024, not 99,999"),
    ({"vocab_size": "2"}, "vocab size must be a whole number from 3 to 1,000,000, not 2"),
    ({"epochs": ""}, "give epochs: a whole number from 1 to 1,000"),
    ({"epochs": "2.5"}, "epochs must be a whole number from 1 to 1,000, not '2.5'"),
    ({"epochs": "1e3"}, "epochs must be a whole number from 1 to 1,000, not '1e3'"),
    ({"epochs": "abc"}, "epochs must be a whole number from 1 to 1,000, not 'abc'"),
    ({"epochs": "99999999999999999999"}, "epochs must be a whole number from 1 to 1,000, not 99,999,999,999,999,999,999"),
    ({"epochs": "1_000"}, "epochs must be a whole number from 1 to 1,000, not '1_000'"),
    ({"epochs": "٣"}, "epochs must be a whole number from 1 to 1,000, not '٣'"),  # an Arabic-Indic 3: int() takes it
    ({"layers": "-"}, "layers must be a whole number from 1 to 8, not '-'"),
    ({"layers": "x" * 100}, "layers must be a whole number from 1 to 8, not '" + "x" * 24 + "…'"),
    ({"max_length": "-5"}, "max length must be a whole number from 1 to 100,000, or 0 for whole texts, not -5"),
])
def test_a_wrong_field_is_named_in_the_forms_words(changes: dict[str, str], message: str) -> None:
    with pytest.raises(RnnplayError) as caught:
        classifier_request("imdb", "default", numbers(**changes), "lstm", True, "", None)
    assert str(caught.value) == message


def test_a_cbow_field_has_the_cli_bounds_too() -> None:
    with pytest.raises(RnnplayError, match=r"^window must be a whole number from 1 to 50, not 51$"):
        cbow_request("rt", dict(cbow_fields(), window="51"), "", None)
    assert field_problem("vectors", "min_count", " 7 ") is None
    assert field_problem("vectors", "epochs", "1001") == "epochs must be a whole number from 1 to 1,000, not 1,001"


def test_a_model_over_the_parameter_budget_is_named_in_the_forms_words() -> None:
    with pytest.raises(RnnplayError, match=r"more than the 50,000,000 rnnplay trains; lower vocab size, embedding dim, units or layers$"):
        classifier_request("imdb", "default", numbers(vocab_size="1000000", units="1024", layers="8"), "lstm", True, "", None)


def test_the_note_is_the_presets_until_the_form_is_edited() -> None:
    assert form_note("default", numbers(), "lstm", True) == f"default: {PRESETS['default'][1]}"
    assert form_note("tutorial", numbers("tutorial"), "lstm", True) == f"tutorial: {PRESETS['tutorial'][1]}"
    edited = form_note("default", numbers(layers="2", epochs="1"), "gru", False)
    assert edited == ("default, edited: GRU 32, 2 layers, left to right, vocab 20,000, last 300 tokens, 1 epoch; "
                      "the rest as default")
    assert form_note("tutorial", numbers("tutorial", units="8"), "lstm", True) == \
        "tutorial, edited: LSTM 8, 1 layer, both ways, vocab 1,000, whole texts, 10 epochs; the rest as tutorial"
    assert "? epochs" in form_note("default", numbers(epochs="2.5"), "lstm", True)


FIELD_KEYS = [("classifier", key) for key in CLASSIFIER_NUMBERS] + [("vectors", key) for key in CBOW_NUMBERS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELD_KEYS),
       text=st.one_of(st.text(max_size=40), st.from_regex(r"\s*[+-]?[0-9]{0,25}(\.[0-9]*)?(e[0-9]+)?\s*", fullmatch=True)))
def test_any_text_in_any_field_gives_a_config_within_bounds_or_one_clear_message(field: tuple[str, str], text: str,
                                                                                  models_dir: Path) -> None:
    """What a user can type into a number field: either the run's config holds every bound of the CLI's
    table, or one line that names the field and says what it accepts (never a rounded or truncated value)."""
    kind, key = field
    labels, bounds = NUMBERS[kind]
    try:
        if kind == "classifier":
            request = classifier_request("imdb", "default", numbers(**{key: text}), "lstm", True, "x", models_dir)
        else:
            request = cbow_request("imdb", dict(cbow_fields(), **{key: text}), "x", models_dir)
    except RnnplayError as error:
        message = str(error)
        assert "\n" not in message and message == printable(message)
        assert message.startswith((f"{labels[key]} must be {bounds[key].describe_option()}, not ",
                                   f"give {labels[key]}: {bounds[key].describe_option()}",
                                   "this model would have "))
        assert field_problem(kind, key, text) in (message, None)  # the field shows what Start says
        return
    config = request.config
    for name in labels:
        value = getattr(config, name)
        assert (value is None and name == "max_length") or bounds[name].holds(value), (name, value)
    typed = int(text.strip())
    assert getattr(config, key) == (None if key == "max_length" and typed == 0 else typed)  # exactly what was typed


def test_a_missing_corpus_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(RnnplayError, match="unknown corpus .*no file or folder by that name"):
        classifier_request(str(tmp_path / "gone.csv"), "default", numbers(), "lstm", True, "", None)
    with pytest.raises(RnnplayError, match="give a corpus"):
        cbow_request("  ", cbow_fields(), "", None)


def test_an_existing_model_of_the_users_is_never_replaced(models_dir: Path) -> None:
    write_vectors_model(models_dir / "taken", PLANTED_WORDS, planted_arrays())
    with pytest.raises(RnnplayError, match="you already have a model named taken"):
        cbow_request("rt", cbow_fields(), "taken", None)
    with pytest.raises(RnnplayError, match="not a usable model name"):
        cbow_request("rt", cbow_fields(), "../escape", None)


def test_the_default_name_is_numbered_past_every_taken_name_shipped_ones_too(models_dir: Path) -> None:
    assert default_name("imdb", "cbow", None) == "imdb-cbow-2"  # the shipped imdb-cbow is not shadowed
    assert default_name(str(TINY_CSV), "default", None) == "tiny-sentiment-default"
    write_vectors_model(models_dir / "tiny-sentiment-default", PLANTED_WORDS, planted_arrays())
    assert default_name(str(TINY_CSV), "default", None) == "tiny-sentiment-default-2"
    assert default_name("my reviews (2).csv", "default", None) == "my-reviews-2-default"


def test_config_messages_lose_their_flags() -> None:
    assert field_message(RnnplayError("--max-length must be at least 1; --cell must be lstm")) == \
        "max length must be at least 1; cell must be lstm"
