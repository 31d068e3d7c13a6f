"""Finding models: by name (the user's first) or path; listing every folder, a broken one with its reason."""

from __future__ import annotations

import json

import pytest

from rnnplay.errors import RnnplayError
from rnnplay.store import list_models, resolve
from tests.conftest import save_tiny_classifier


def test_resolve_by_name_prefers_user_models_and_by_path(tmp_path, models_dir):
    save_tiny_classifier(models_dir / "mine")
    assert resolve("mine") == models_dir / "mine"
    assert resolve(str(models_dir / "mine")) == models_dir / "mine"
    with pytest.raises(RnnplayError, match="no model named 'nope' \\(known: .*imdb-bilstm.*mine"):
        resolve("nope")
    with pytest.raises(RnnplayError, match="no model folder"):
        resolve(str(tmp_path / "absent" / "x"))
    names = {(e.source, e.path.name) for e in list_models()}
    assert ("user", "mine") in names and ("shipped", "imdb-bilstm") in names


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_asks_for_one(name):
    with pytest.raises(RnnplayError, match="give a model name"):
        resolve(name)


@pytest.mark.parametrize("card", [
    "{",
    json.dumps({"format": 1, "kind": 5}),
    json.dumps({"format": 1, "kind": "classifier", "architecture": {"layers": "2"}}),
    json.dumps({"format": 1, "kind": "classifier", "metrics": []}),
    json.dumps([[[[[[[[[[[[1]]]]]]]]]]]]),
    "[" * 100_000,
])
def test_a_malformed_card_lists_as_broken_with_its_reason(models_dir, card):
    save_tiny_classifier(models_dir / "good")
    (models_dir / "bad").mkdir(parents=True)
    (models_dir / "bad" / "card.json").write_text(card)
    listed = {entry.path.name: entry for entry in list_models() if entry.source == "user"}
    assert listed["good"].card is not None
    assert listed["bad"].card is None and "card.json" in listed["bad"].problem and "\n" not in listed["bad"].problem


def test_names_from_the_disk_are_escaped_in_messages(models_dir):
    (models_dir / "evil\x1b]0;pwned\x07").mkdir(parents=True)
    with pytest.raises(RnnplayError) as caught:
        resolve("nope")
    assert "\x1b" not in str(caught.value) and "evil\\x1b]0;pwned\\x07" in str(caught.value)


def test_a_name_over_the_file_system_limit_is_one_line():
    for name in ("x" * 300, "x" * 300 + "/card", "a" * 5000):
        with pytest.raises(RnnplayError) as caught:
            resolve(name)
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 400
