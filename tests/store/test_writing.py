"""Saving models: names, folders, one writer per name, atomic replacement, and what a failure leaves."""

from __future__ import annotations

import errno
import os
import threading

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.store import (
    CARD,
    WEIGHTS,
    atomic_file,
    atomic_model_dir,
    check_name,
    delete_model,
    ensure_free,
    list_models,
    load_model,
    read_card,
    reserve,
    write_model,
)
from rnnplay.store.workspace import ROOT, NameLock
from tests.conftest import TINY_VOCAB, classifier_arrays, classifier_card, save_tiny_classifier


def embedding_of(path):
    return load_model(path).arrays["embedding"]


def expected_embedding(seed):
    return classifier_arrays(classifier_card(), seed)["embedding"]


def entries(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_save_leaves_the_model_and_nothing_else(tmp_path):
    save_tiny_classifier(tmp_path / "m")
    assert entries(tmp_path) == ["m"]  # no workspace, lock or partial folder stays behind
    assert entries(tmp_path / "m") == [CARD, "vocab.txt", WEIGHTS]


def test_existing_model_is_kept_unless_overwrite_and_replaced_whole_if_so(tmp_path):
    save_tiny_classifier(tmp_path / "m", seed=1)
    with pytest.raises(RnnplayError, match="already exists .*--force"):
        save_tiny_classifier(tmp_path / "m", seed=2)
    np.testing.assert_array_equal(embedding_of(tmp_path / "m"), expected_embedding(1))
    save_tiny_classifier(tmp_path / "m", overwrite=True, seed=2)
    np.testing.assert_array_equal(embedding_of(tmp_path / "m"), expected_embedding(2))
    assert entries(tmp_path) == ["m"]


def test_a_failure_while_writing_leaves_the_old_model_or_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_model_dir(tmp_path / "m") as scratch:
            (scratch / WEIGHTS).write_bytes(b"half")
            raise KeyboardInterrupt
    assert entries(tmp_path) == []
    save_tiny_classifier(tmp_path / "m", seed=1)
    with pytest.raises(KeyboardInterrupt):
        with atomic_model_dir(tmp_path / "m", overwrite=True) as scratch:
            (scratch / WEIGHTS).write_bytes(b"half")
            raise KeyboardInterrupt
    assert entries(tmp_path) == ["m"]
    np.testing.assert_array_equal(embedding_of(tmp_path / "m"), expected_embedding(1))


def test_a_full_disk_is_one_line_and_the_old_model_stays(tmp_path, monkeypatch):
    save_tiny_classifier(tmp_path / "m", seed=1)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(np, "savez", full)
    with pytest.raises(RnnplayError, match=r"cannot save .*/m: No space left on device; nothing was changed"):
        save_tiny_classifier(tmp_path / "m", overwrite=True, seed=2)
    monkeypatch.undo()
    np.testing.assert_array_equal(embedding_of(tmp_path / "m"), expected_embedding(1))
    assert entries(tmp_path) == ["m"]


def test_nothing_that_could_not_be_loaded_is_ever_written(tmp_path):
    card = classifier_card()
    arrays = dict(classifier_arrays(card), embedding=np.full((5, 3), np.nan, np.float32))  # a run that diverged
    with pytest.raises(RnnplayError, match="embedding holds NaN or infinite values"):
        with atomic_model_dir(tmp_path / "m") as scratch:
            write_model(scratch, card, arrays, TINY_VOCAB)
    with pytest.raises(RnnplayError, match="architecture.layers must be"):
        with atomic_model_dir(tmp_path / "m") as scratch:
            write_model(scratch, dict(card, architecture=dict(card["architecture"], layers=0)), classifier_arrays(card), TINY_VOCAB)
    with pytest.raises(RnnplayError, match="line break"):
        with atomic_model_dir(tmp_path / "m") as scratch:
            write_model(scratch, card, classifier_arrays(card), ["", "[UNK]", "a\nb", "c", "d"])
    assert entries(tmp_path) == []


@pytest.mark.parametrize("name, message", [
    ("", "give a model name"),
    (".hidden", "may not start with '.'"),
    ("a/b", "may not start with '.' or hold any of"),
    ("..", "may not start with '.'"),
    (" x", "starts or ends with a space"),
    ("two\nlines", "holds control characters or line breaks"),
    ("title\x1b]0;pwned\x07", "holds control characters or line breaks"),
    ("tab\tname", "holds control characters"),
    ("rtl\u202eevil", "holds control characters"),
    ("x" * 201, "a model name is at most 200 bytes; this one has 201"),
    ("é" * 101, "at most 200 bytes; this one has 202"),
])
def test_unusable_names_are_refused_with_the_reason(name, message):
    with pytest.raises(RnnplayError, match=message) as caught:
        check_name(name)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


def test_names_people_use_are_accepted():
    for name in ("imdb-bilstm", "rt_small.v2", "mon modèle", "模型", "x" * 200):
        assert check_name(name) == name


def test_the_models_folder_is_checked_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(RnnplayError, match="cannot save models in .*/file: it, or a folder above it, is a file"):
        ensure_free(tmp_path / "file" / "m")
    with pytest.raises(RnnplayError, match="cannot save models in .*/file/sub: it, or a folder above it, is a file"):
        ensure_free(tmp_path / "file" / "sub" / "m")
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(RnnplayError, match="cannot save models in .*: Read-only file system"):
        ensure_free(tmp_path / "models" / "m")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_models_folder_is_refused_before_training(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(RnnplayError, match="cannot save models in .*: Permission denied"):
            ensure_free(folder / "m")
    finally:
        folder.chmod(0o755)


def test_one_writer_per_name(tmp_path):
    save_tiny_classifier(tmp_path / "m")
    holder = NameLock(tmp_path, "m")
    assert holder.try_acquire()
    try:
        with pytest.raises(RnnplayError, match=rf"another rnnplay process \(pid {os.getpid()}\) is writing the model m"):
            with reserve(tmp_path / "m", overwrite=True):
                pass
        with pytest.raises(RnnplayError, match="is writing the model m"):
            ensure_free(tmp_path / "m", overwrite=True)
        save_tiny_classifier(tmp_path / "other")  # other names are not held up
    finally:
        holder.release()
    save_tiny_classifier(tmp_path / "m", overwrite=True)
    assert entries(tmp_path) == ["m", "other"]


def test_concurrent_forced_saves_and_reads_of_one_name_never_fail(tmp_path):
    """Two writers replacing one name while a reader loads it: every save succeeds in turn (the lock),
    every read sees a complete model (the atomic swap, and a re-read if a swap happened mid-read)."""
    save_tiny_classifier(tmp_path / "m", seed=0)
    problems: list[BaseException] = []
    done = threading.Event()

    def write(seed: int) -> None:
        try:
            for _ in range(15):
                save_tiny_classifier(tmp_path / "m", overwrite=True, seed=seed)
        except BaseException as error:
            problems.append(error)

    def read() -> None:
        while not done.is_set():
            try:
                embedding = embedding_of(tmp_path / "m")
                assert any(np.array_equal(embedding, expected_embedding(s)) for s in (0, 1, 2))
            except BaseException as error:
                problems.append(error)
                return

    writers = [threading.Thread(target=write, args=(seed,)) for seed in (1, 2)]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    assert problems == []
    assert entries(tmp_path) == ["m"]


def test_delete_model_removes_a_user_model_and_refuses_shipped_ones(models_dir):
    from rnnplay.store import SHIPPED_DIR

    target = save_tiny_classifier(models_dir / "mine")
    assert any(entry.path == target for entry in list_models())
    delete_model(target)
    assert not target.exists() and entries(models_dir) == []
    with pytest.raises(RnnplayError, match="not one of your models"):
        delete_model(SHIPPED_DIR / "imdb-bilstm")
    assert (SHIPPED_DIR / "imdb-bilstm" / "card.json").is_file()
    with pytest.raises(RnnplayError, match="no model folder"):
        delete_model(target)


def test_atomic_file_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    with pytest.raises(KeyboardInterrupt):
        with atomic_file(tmp_path / "out.txt") as f:
            f.write(b"half")
            raise KeyboardInterrupt
    assert entries(tmp_path) == []
    with atomic_file(tmp_path / "out.txt") as f:
        f.write(b"whole")
    assert entries(tmp_path) == ["out.txt"] and (tmp_path / "out.txt").read_bytes() == b"whole"
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0o600
    with pytest.raises(RnnplayError, match="is a folder"):
        with atomic_file(tmp_path):
            pass
    (tmp_path / "file").write_text("x")
    with pytest.raises(RnnplayError, match="cannot write .*/file/out.txt: a folder on its path is a file"):
        with atomic_file(tmp_path / "file" / "out.txt"):
            pass


def test_atomic_file_on_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path):
    (tmp_path / "out.txt").write_bytes(b"old")
    with pytest.raises(RnnplayError, match="cannot write .*out.txt: No space left on device"):
        with atomic_file(tmp_path / "out.txt") as f:
            f.write(b"x" * 10)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # what the next write would raise
    assert entries(tmp_path) == ["out.txt"] and (tmp_path / "out.txt").read_bytes() == b"old"


def test_write_model_hashes_every_file_and_checks_its_own_card(tmp_path):
    path = save_tiny_classifier(tmp_path / "m")
    card = read_card(path)
    assert set(card.files) == {"vocab.txt", WEIGHTS} and card.size_bytes > 0 and card.raw["format"] == 1
    assert not (tmp_path / ROOT).exists()
