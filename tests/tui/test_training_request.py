"""The Train form's text becomes the config the CLI would build, and mistakes name the form's fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from rnnplay.config import CbowConfig, preset
from rnnplay.errors import RnnplayError
from rnnplay.tui.training_request import (
    cbow_fields,
    cbow_request,
    classifier_request,
    default_name,
    field_message,
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


def test_cbow_fields_override_word2vec_defaults(models_dir: Path) -> None:
    fields = dict(cbow_fields(), dimension="8", min_count="1")
    request = cbow_request("rt", fields, "", None)
    assert request.config == CbowConfig(dimension=8, min_count=1)
    assert request.kind == "vectors"
    assert request.target == models_dir / "rt-cbow"


@pytest.mark.parametrize("changes, message", [
    ({"units": "0"}, "units must be a whole number from 1 to 1,024, not 0"),
    ({"vocab_size": "2"}, "vocab size must be a whole number from 3 to 1,000,000, not 2"),
    ({"epochs": ""}, "give a number for epochs"),
    ({"layers": "-"}, "layers must be a whole number, not '-'"),
    ({"max_length": "-5"}, "max length must be 0 (whole texts) or more"),
])
def test_a_wrong_field_is_named_in_the_forms_words(changes: dict[str, str], message: str) -> None:
    with pytest.raises(RnnplayError) as caught:
        classifier_request("imdb", "default", numbers(**changes), "lstm", True, "", None)
    assert message in str(caught.value)
    assert "--" not in str(caught.value)


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
