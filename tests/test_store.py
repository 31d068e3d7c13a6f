from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.store import CARD, VOCAB, WEIGHTS, atomic_model_dir, list_models, load_model, read_card, resolve, write_model

VOCAB_LIST = ["", "[UNK]", "good"]


def save(folder: Path, name: str = "m") -> Path:
    target = folder / name
    with atomic_model_dir(target) as scratch:
        write_model(scratch, {"name": name, "kind": "classifier"}, {"embedding": np.ones((3, 2))}, VOCAB_LIST)
    return target


def test_round_trip_keeps_arrays_vocabulary_and_hashes(tmp_path):
    stored = load_model(save(tmp_path))
    assert stored.vocabulary == VOCAB_LIST
    assert stored.arrays["embedding"].dtype == np.float32
    assert set(stored.card["files"]) == {WEIGHTS, VOCAB}


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_model_dir(tmp_path / "m") as scratch:
            (scratch / WEIGHTS).write_bytes(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_existing_model_is_kept_unless_overwrite(tmp_path):
    save(tmp_path)
    with pytest.raises(RnnplayError, match="already exists"):
        save(tmp_path)
    with atomic_model_dir(tmp_path / "m", overwrite=True) as scratch:
        write_model(scratch, {"name": "m", "kind": "vectors"}, {"embedding": np.zeros((3, 2))}, VOCAB_LIST)
    assert read_card(tmp_path / "m")["kind"] == "vectors"
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_edited_file_is_refused(tmp_path):
    path = save(tmp_path)
    (path / VOCAB).write_text("\n[UNK]\nbad\n")
    with pytest.raises(RnnplayError, match="does not match its card"):
        load_model(path)


def test_missing_file_and_missing_card(tmp_path):
    path = save(tmp_path)
    (path / WEIGHTS).unlink()
    with pytest.raises(RnnplayError, match="weights.npz is missing"):
        load_model(path)
    (path / CARD).unlink()
    with pytest.raises(RnnplayError, match="has no card.json"):
        load_model(path)


def test_corrupt_card(tmp_path):
    path = save(tmp_path)
    (path / CARD).write_text("{not json")
    with pytest.raises(RnnplayError, match="card.json is corrupt"):
        load_model(path)


def test_pickled_arrays_are_never_loaded(tmp_path):
    path = save(tmp_path)
    np.savez(path / WEIGHTS, embedding=np.array([{"evil": 1}], dtype=object))
    card = json.loads((path / CARD).read_text())
    from rnnplay.store import sha256

    card["files"][WEIGHTS] = sha256(path / WEIGHTS)
    (path / CARD).write_text(json.dumps(card))
    with pytest.raises(RnnplayError, match="weights.npz is corrupt"):
        load_model(path)


def test_resolve_by_name_prefers_user_models_and_by_path(tmp_path, models_dir):
    save(models_dir, "mine")
    assert resolve("mine") == models_dir / "mine"
    assert resolve(str(models_dir / "mine")) == models_dir / "mine"
    with pytest.raises(RnnplayError, match="no model named 'nope'"):
        resolve("nope")
    with pytest.raises(RnnplayError, match="no model folder"):
        resolve(str(tmp_path / "absent" / "x"))
    names = {(e.source, e.path.name) for e in list_models()}
    assert ("user", "mine") in names


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", " x"])
def test_unusable_names(name):
    from rnnplay.store import check_name

    with pytest.raises(RnnplayError, match="not a usable model name"):
        check_name(name)


def test_atomic_file_appears_whole_or_not_at_all(tmp_path):
    import os

    from rnnplay.store import atomic_file

    with pytest.raises(KeyboardInterrupt):
        with atomic_file(tmp_path / "out.txt") as f:
            f.write(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_file(tmp_path / "out.txt") as f:
        f.write(b"whole")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"] and (tmp_path / "out.txt").read_bytes() == b"whole"
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0o600
    with pytest.raises(RnnplayError, match="is a folder"):
        with atomic_file(tmp_path):
            pass


def test_delete_model_removes_a_user_model_and_refuses_shipped_ones(models_dir):
    from rnnplay.store import SHIPPED_DIR, delete_model, list_models

    target = save(models_dir, "mine")
    assert any(entry.path == target for entry in list_models())
    delete_model(target)
    assert not target.exists() and not list(models_dir.iterdir())
    with pytest.raises(RnnplayError, match="not one of your models"):
        delete_model(SHIPPED_DIR / "imdb-bilstm")
    assert (SHIPPED_DIR / "imdb-bilstm" / "card.json").is_file()
    with pytest.raises(RnnplayError, match="no model folder"):
        delete_model(target)


def test_delete_model_after_a_removal_that_crashed_halfway(models_dir):
    from rnnplay.store import delete_model, list_models

    import shutil

    target = save(models_dir, "mine")
    stale = models_dir / ".deleting-mine"  # what a crash between the rename and the removal leaves
    shutil.copytree(target, stale)
    assert [entry.path for entry in list_models() if entry.source == "user"] == [target]
    delete_model(target)
    assert not target.exists() and not stale.exists()


def rehash(path: Path, name: str) -> None:
    """Make the card agree with an edited file, as a careless (or hostile) editor would."""
    from rnnplay.store import sha256

    card = json.loads((path / CARD).read_text())
    card["files"][name] = sha256(path / name)
    (path / CARD).write_text(json.dumps(card))


@pytest.mark.parametrize("damage", [b"PK\x03\x04 truncated zip", b"", b"\x93NUMPY not a zip"])
def test_damaged_weights_that_match_their_card_are_still_one_clear_error(tmp_path, damage):
    path = save(tmp_path)
    (path / WEIGHTS).write_bytes(damage)
    rehash(path, WEIGHTS)
    with pytest.raises(RnnplayError, match="weights.npz is corrupt"):
        load_model(path)


def test_a_vocabulary_that_is_not_utf8_is_one_clear_error(tmp_path):
    path = save(tmp_path)
    (path / VOCAB).write_bytes(b"\n[UNK]\ngo\xffod\n")
    rehash(path, VOCAB)
    with pytest.raises(RnnplayError, match="vocab.txt is corrupt: not UTF-8"):
        load_model(path)
