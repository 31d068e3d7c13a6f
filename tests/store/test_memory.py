"""Hostile model folders load within a small memory limit: every read is bounded by the card before it
happens. Each case runs ``rnnplay classify`` in a process limited to 300 MB of address space (classifying
one line with the shipped model needs under 300 MB), which the earlier loader blew through."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rnnplay.store import sha256
from tests.bounded import assert_refused, run_bounded
from tests.conftest import TINY_VOCAB, classifier_arrays, classifier_card, write_raw_model

LIMIT = 300 << 20


def classify_with(model: Path) -> subprocess.CompletedProcess:
    return run_bounded("classify", "--model", str(model), "--text", "a fine film", limit=LIMIT)


def test_the_limit_lets_a_normal_model_through(tmp_path):
    card = classifier_card()
    folder = write_raw_model(tmp_path / "ok", card, classifier_arrays(card), TINY_VOCAB)
    result = classify_with(folder)
    assert result.returncode == 0 and result.stdout.split()[0] in ("positive", "negative"), result.stderr


def big_card() -> dict:
    return classifier_card(vocab_size=10_000, embedding_dim=64)


def rehash(folder: Path) -> None:
    card = json.loads((folder / "card.json").read_text())
    card["files"] = {name: sha256(folder / name) for name in card["files"]}
    (folder / "card.json").write_text(json.dumps(card))


def test_a_small_file_holding_a_huge_member(tmp_path):
    """2.3 MB on disk, 512 MB once decompressed: refused from the zip's declared size, before reading."""
    card = big_card()
    arrays = dict(classifier_arrays(card), embedding=np.zeros((10_000, 64), np.float32))
    folder = write_raw_model(tmp_path / "bomb", card, arrays, TINY_VOCAB + [f"w{i}" for i in range(10_000 - 5)])
    with zipfile.ZipFile(folder / "weights.npz", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as f:
                np.lib.format.write_array(f, array)
                if name == "embedding":
                    zeros = b"\0" * (16 << 20)
                    for _ in range(32):
                        f.write(zeros)
    rehash(folder)
    assert (folder / "weights.npz").stat().st_size < 2.5 * (1 << 20)  # within the 2.6 MB the card allows
    assert_refused(classify_with(folder), "embedding declares 539,")


def test_a_header_declaring_a_trillion_floats(tmp_path):
    card = classifier_card()
    folder = write_raw_model(tmp_path / "huge", card, classifier_arrays(card), TINY_VOCAB)
    with zipfile.ZipFile(folder / "weights.npz", "w") as archive:
        for name, array in classifier_arrays(card).items():
            with archive.open(f"{name}.npy", "w") as f:
                if name == "embedding":
                    np.lib.format.write_array_header_1_0(f, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
                else:
                    np.lib.format.write_array(f, array)
    rehash(folder)
    assert_refused(classify_with(folder), "embedding has shape (1000000000000,)")


def test_a_vocabulary_of_fifteen_million_lines(tmp_path):
    card = classifier_card()
    folder = write_raw_model(tmp_path / "long", card, classifier_arrays(card), TINY_VOCAB)
    with (folder / "vocab.txt").open("ab") as f:
        f.write(b"w\n" * 15_000_000)
    rehash(folder)
    assert_refused(classify_with(folder), "vocab.txt is 30,000,0")


def test_a_card_declaring_a_giant_model(tmp_path):
    card = classifier_card(vocab_size=1_000_000, embedding_dim=1024)
    folder = write_raw_model(tmp_path / "giant", card, classifier_arrays(classifier_card()), TINY_VOCAB)
    assert_refused(classify_with(folder), "parameters, more than the 50,000,000 rnnplay loads")


@pytest.mark.parametrize("name", ["/proc/kmsg", "/dev/zero", "../../../../etc/passwd"])
def test_card_files_outside_the_folder_are_never_opened(tmp_path, name):
    card = classifier_card()
    folder = write_raw_model(tmp_path / "out", card, classifier_arrays(card), TINY_VOCAB)
    data = json.loads((folder / "card.json").read_text())
    data["files"][name] = "0" * 64
    (folder / "card.json").write_text(json.dumps(data))
    assert_refused(classify_with(folder), "a card may list only weights.npz, vocab.txt, model.keras")
