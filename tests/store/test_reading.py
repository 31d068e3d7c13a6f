"""Loading a model folder: checked against its card, bounded by it, never leaving the folder, never a traceback."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.store import CARD, VOCAB, WEIGHTS, load_model, read_card, sha256
from tests.conftest import (
    SHIPPED_MODEL,
    SHIPPED_VECTORS,
    TINY_VOCAB,
    classifier_arrays,
    classifier_card,
    save_tiny_classifier,
    write_raw_model,
)


def rehash(path: Path, name: str) -> None:
    """Make the card agree with an edited file, as a careless (or hostile) editor would."""
    card = json.loads((path / CARD).read_text())
    card["files"][name] = sha256(path / name)
    (path / CARD).write_text(json.dumps(card))


def test_round_trip_keeps_arrays_vocabulary_and_hashes(tmp_path):
    stored = load_model(save_tiny_classifier(tmp_path / "m"))
    assert stored.vocabulary == TINY_VOCAB and stored.card.name == "m"
    assert stored.arrays["embedding"].dtype == np.float32 and stored.arrays["embedding"].shape == (5, 3)
    assert set(stored.card.files) == {WEIGHTS, VOCAB}


def test_the_shipped_models_load():
    assert load_model(SHIPPED_MODEL).card.held_out_accuracy == pytest.approx(0.8554)
    assert load_model(SHIPPED_VECTORS).arrays["input"].dtype == np.float16


def test_edited_missing_and_absent_files(tmp_path):
    path = save_tiny_classifier(tmp_path / "m")
    (path / VOCAB).write_text("\n[UNK]\nbad\ngood\nfilm\n")
    with pytest.raises(RnnplayError, match="does not match its card"):
        load_model(path)
    rehash(path, VOCAB)
    (path / WEIGHTS).unlink()
    with pytest.raises(RnnplayError, match="weights.npz is missing"):
        load_model(path)
    (path / CARD).unlink()
    with pytest.raises(RnnplayError, match="has no card.json"):
        load_model(path)
    with pytest.raises(RnnplayError, match="no model folder"):
        load_model(tmp_path / "absent")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RnnplayError, match="is a file, not a model folder"):
        load_model(tmp_path / "file")


@pytest.mark.parametrize("content, message", [
    (b"{not json", "card.json is corrupt: not valid JSON"),
    (b"\xff\xfe{}", "card.json is corrupt: not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "card.json is corrupt: nested too deeply|is not a valid model card"),
    (b"1" * 5000, "card.json is corrupt: not valid JSON"),  # Python refuses int strings over 4,300 digits
    (b" " * (2 << 20), "card.json is over 1 MB"),
    (b'{"format": 1, "kind": 5}', "card.json is not a valid model card: kind must be one of classifier, vectors, not 5"),
])
def test_a_bad_card_is_one_line(tmp_path, content, message):
    path = save_tiny_classifier(tmp_path / "m")
    (path / CARD).write_bytes(content)
    for read in (read_card, load_model):
        with pytest.raises(RnnplayError, match=message) as caught:
            read(path)
        assert "\n" not in str(caught.value)


def test_card_files_never_lead_outside_the_folder(tmp_path):
    """A card listing '/etc/passwd' or '../x' is refused before anything is opened."""
    card = classifier_card()
    for name in ("/etc/passwd", "../m/weights.npz", "/proc/kmsg", "sub/weights.npz"):
        folder = write_raw_model(tmp_path / "evil", dict(card, files={name: "0" * 64}), classifier_arrays(card), TINY_VOCAB)
        with pytest.raises(RnnplayError, match="a card may list only weights.npz, vocab.txt, model.keras"):
            load_model(folder)


def test_a_link_or_a_fifo_in_place_of_a_file_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("\n[UNK]\ngood\nbad\nfilm\n")
    path = save_tiny_classifier(tmp_path / "m")
    (path / VOCAB).unlink()
    (path / VOCAB).symlink_to(outside)
    rehash(path, VOCAB)
    with pytest.raises(RnnplayError, match="vocab.txt is a link; a model's files must be plain files"):
        load_model(path)
    (path / VOCAB).unlink()
    os.mkfifo(path / VOCAB)  # opening a FIFO for reading would wait forever for a writer
    with pytest.raises(RnnplayError, match="vocab.txt is not a regular file"):
        load_model(path)


def npz(path: Path, **arrays) -> None:
    np.savez(path, **arrays)


@pytest.mark.parametrize("change, message", [
    (lambda a: dict(a, extra=np.zeros(2, np.float32)), "holds 'extra.npy', an array its card does not declare"),
    (lambda a: {k: v for k, v in a.items() if k != "embedding"}, "has no embedding array"),
    (lambda a: dict(a, embedding=a["embedding"].astype(np.float16)), "embedding is <f2 \\(float16\\), not float32"),
    (lambda a: dict(a, embedding=a["embedding"].astype(np.int8)), "embedding is \\|i1 \\(int8\\), not float32"),
    (lambda a: dict(a, embedding=a["embedding"].astype(np.complex64)), "embedding is <c8 \\(complex64\\), not float32"),
    (lambda a: dict(a, embedding=np.array(["x"] * 15).reshape(5, 3)), "embedding is <U1 \\(str32\\), not float32"),
    (lambda a: dict(a, embedding=np.array([{"evil": 1}], dtype=object)), "embedding is \\|O \\(object\\), not float32"),
    (lambda a: dict(a, embedding=a["embedding"][:, :2]), "embedding has shape \\(5, 2\\); the card's architecture needs \\(5, 3\\)"),
    (lambda a: dict(a, **{"dense/0/bias": np.array([np.nan], np.float32)}), "dense/0/bias holds NaN or infinite values"),
    (lambda a: dict(a, embedding=np.full((5, 3), np.inf, np.float32)), "embedding holds NaN or infinite values"),
])
def test_weights_that_do_not_match_the_card_are_refused(tmp_path, change, message):
    card = classifier_card()
    folder = write_raw_model(tmp_path / "m", card, change(classifier_arrays(card)), TINY_VOCAB)
    with pytest.raises(RnnplayError, match=message) as caught:
        load_model(folder)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("damage", [b"PK\x03\x04 truncated zip", b"", b"\x93NUMPY not a zip"])
def test_damaged_weights_that_match_their_card_are_one_clear_error(tmp_path, damage):
    path = save_tiny_classifier(tmp_path / "m")
    (path / WEIGHTS).write_bytes(damage)
    rehash(path, WEIGHTS)
    with pytest.raises(RnnplayError, match="weights.npz is corrupt"):
        load_model(path)


def test_a_member_declaring_a_huge_size_is_refused_before_it_is_read(tmp_path):
    """A 3 MB file can hold a 1 GiB member (compressed), or declare 10^12 floats in its .npy header."""
    card = classifier_card()
    path = save_tiny_classifier(tmp_path / "m")
    arrays = classifier_arrays(card)
    with zipfile.ZipFile(path / WEIGHTS, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as f:
                np.lib.format.write_array(f, array)
                if name == "embedding":
                    f.write(b"\0" * (16 << 20))  # 16 MB of zeros compress to 16 KB
    rehash(path, WEIGHTS)
    assert (path / WEIGHTS).stat().st_size < 1 << 20
    with pytest.raises(RnnplayError, match="embedding declares 16,777,... bytes; its card's shape \\(5, 3\\) needs at most 60"):
        load_model(path)
    header = {"descr": "<f4", "fortran_order": False, "shape": (10**12,)}
    with zipfile.ZipFile(path / WEIGHTS, "w") as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w") as f:
                if name == "embedding":
                    np.lib.format.write_array_header_1_0(f, header)
                else:
                    np.lib.format.write_array(f, array)
    rehash(path, WEIGHTS)
    with pytest.raises(RnnplayError, match=r"embedding has shape \(1000000000000,\); the card's architecture needs \(5, 3\)"):
        load_model(path)


def test_a_file_larger_than_its_card_allows_is_refused_before_hashing(tmp_path):
    path = save_tiny_classifier(tmp_path / "m")
    with (path / VOCAB).open("ab") as f:
        f.write(b"word\n" * 10_000)
    with pytest.raises(RnnplayError, match="vocab.txt is 50,0.. bytes, more than its card allows \\(5,005\\)"):
        load_model(path)


@pytest.mark.parametrize("vocabulary, message", [
    (["", "[UNK]", "good"], "vocab.txt has 3 tokens; its card says 5"),
    (TINY_VOCAB + ["extra"], "vocab.txt has 6 tokens; its card says 5"),
    (["", "[UNK]", "good", "good", "film"], "repeated tokens"),
    (["x", "[UNK]", "good", "bad", "film"], "starts with the padding token"),
])
def test_a_vocabulary_that_does_not_fit_is_refused(tmp_path, vocabulary, message):
    from rnnplay.runtime.classifier import Classifier

    card = classifier_card()
    folder = write_raw_model(tmp_path / "m", card, classifier_arrays(card), vocabulary)
    with pytest.raises(RnnplayError, match=message):
        Classifier.load(folder)


def test_a_vocabulary_that_is_not_utf8_is_one_clear_error(tmp_path):
    path = save_tiny_classifier(tmp_path / "m")
    (path / VOCAB).write_bytes(b"\n[UNK]\ngo\xffod\nbad\nfilm\n")
    rehash(path, VOCAB)
    with pytest.raises(RnnplayError, match="vocab.txt is corrupt: not UTF-8"):
        load_model(path)


def test_a_folder_replaced_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    """A save swaps the folder between reading the card and hashing the files: the new one is read whole."""
    import rnnplay.store.reading as reading

    path = save_tiny_classifier(tmp_path / "m", seed=1)
    replaced = []
    original = reading._card

    def swap_after_the_card(folder):
        card = original(folder)
        if not replaced:
            replaced.append(True)
            save_tiny_classifier(path, overwrite=True, seed=2)  # a concurrent --force save: the old folder is gone
        return card

    monkeypatch.setattr(reading, "_card", swap_after_the_card)
    stored = load_model(path)
    np.testing.assert_array_equal(stored.arrays["embedding"], classifier_arrays(classifier_card(), 2)["embedding"])


def test_a_compressed_weights_file_is_read_as_well(tmp_path):
    """np.savez writes members stored (read straight into the arrays); savez_compressed ones go through zipfile."""
    card = classifier_card()
    arrays = classifier_arrays(card)
    folder = write_raw_model(tmp_path / "m", card, arrays, TINY_VOCAB)
    np.savez_compressed(folder / WEIGHTS, **arrays)
    rehash(folder, WEIGHTS)
    stored = load_model(folder)
    for name, array in arrays.items():
        np.testing.assert_array_equal(stored.arrays[name], array)


def test_finiteness_is_read_from_every_float16_bit_pattern_as_numpy_reads_it():
    """float16 arrays are checked from their exponent bits (NumPy's isfinite converts each value): all 65,536."""
    from rnnplay.store.reading import _finite

    every = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    each = np.array([_finite(every[i : i + 1]) for i in range(len(every))])
    np.testing.assert_array_equal(each, np.isfinite(every))
    assert _finite(np.ones(3, np.float32)) and not _finite(np.array([1.0, np.nan], np.float32))
