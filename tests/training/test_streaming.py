"""Training streamed from disk: the in-memory vocabulary and ids, every text once an epoch, disjoint shards,
the same scores, and a corpus larger than the memory left trains within it (where loading it does not)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from rnnplay.config import ClassifierConfig
from rnnplay.corpora import TRAIN, VALIDATION, load_corpus, training_splits
from rnnplay.corpus_stream import index_corpus
from rnnplay.errors import UsageError
from rnnplay.text import Encoder, TextSettings, build_vocabulary
from rnnplay.training import streaming
from rnnplay.training.classifier import accuracy, batches, encode
from tests.bounded import child_env
from tests.conftest import ROOT, TINY_CSV
from tests.test_corpus_stream import in_split_order

SETTINGS = TextSettings(max_length=300)


def assert_same_vocabulary_and_ids(name: str, size: int) -> None:
    disk = index_corpus(name, 0)
    vocabulary, worded = streaming.vocabulary(disk, SETTINGS, size)
    splits = training_splits(load_corpus(name), 0)
    assert vocabulary == build_vocabulary((SETTINGS.tokens(t) for t in splits.train.texts), size)
    encoder = Encoder(vocabulary, SETTINGS)
    for part, held in ((TRAIN, splits.train), (VALIDATION, splits.validation)):
        streamed = disk.read(in_split_order(disk, part), encoder.encode)
        assert all(np.array_equal(a, b) for a, b in zip(streamed, encode(encoder, held).ids, strict=True))
    assert worded[TRAIN] == sum(bool(SETTINGS.tokens(t)) for t in splits.train.texts)


@pytest.mark.parametrize("name", [str(TINY_CSV), "rt"])
def test_the_vocabulary_and_ids_are_the_in_memory_ones(name):
    assert_same_vocabulary_and_ids(name, 5000)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["imdb", "reviews"])
def test_the_vocabulary_and_ids_are_the_in_memory_ones_on_the_large_builtin_corpora(name):
    assert_same_vocabulary_and_ids(name, 20_000)


def tiny() -> tuple:
    disk = index_corpus(str(TINY_CSV), 0)
    encoder = Encoder(streaming.vocabulary(disk, SETTINGS, 1000)[0], SETTINGS)
    return disk, encoder


def test_an_epoch_in_order_is_the_in_memory_batches():
    disk, encoder = tiny()
    held = encode(encoder, training_splits(load_corpus(str(TINY_CSV)), 0).train)
    for width, bucket in ((20, False), (None, False), (20, True)):
        streamed = list(streaming.epoch(disk, encoder, disk.indices(TRAIN), 32, None, width, bucket))
        expected = batches(held, 32, None, width, bucket)
        assert len(streamed) == len(expected)
        for (x, y), (ex, ey) in zip(streamed, expected):
            np.testing.assert_array_equal(x, ex)
            np.testing.assert_array_equal(y, ey)


def test_a_shuffled_epoch_reads_every_training_text_once_in_a_new_order():
    disk, encoder = tiny()
    train = disk.indices(TRAIN)
    held = encode(encoder, training_splits(load_corpus(str(TINY_CSV)), 0).train)
    expected = Counter((tuple(ids), label) for ids, label in zip(held.ids, held.labels.tolist()))
    rng = np.random.default_rng(0)
    firsts = []
    for _ in range(2):
        seen: Counter = Counter()
        epoch = list(streaming.epoch(disk, encoder, train, 32, rng, None, False, span=64))  # windows of 64 texts
        for x, y in epoch:
            seen.update((tuple(int(i) for i in row if i), float(label)) for row, label in zip(x, y))
        assert seen == expected
        assert [len(y) for _, y in epoch] == [32, 32, 32, 32, 32, 32, 32, 32, 24]
        firsts.append(epoch[0][0])
    assert not np.array_equal(firsts[0], firsts[1])


def test_each_workers_pieces_of_a_streamed_epoch_are_disjoint_and_cover_it():
    """Multi-worker: every worker streams the same global batches and keeps its rows of each (distribute.shard)."""
    from rnnplay.training.distribute import shard

    disk, encoder = tiny()
    epoch = list(streaming.epoch(disk, encoder, disk.indices(TRAIN), 16, np.random.default_rng(1), 20, False))
    again = list(streaming.epoch(disk, encoder, disk.indices(TRAIN), 16, np.random.default_rng(1), 20, False))
    for (x, y), (x2, _) in zip(epoch, again):
        np.testing.assert_array_equal(x, x2)  # the same seed, the same batches on every worker
        pieces = [shard(x, 3, index) for index in range(3)]
        assert sum(len(piece) for piece in pieces) == len(y)
        assert sorted(map(bytes, np.concatenate(pieces))) == sorted(map(bytes, x))


def test_scores_are_the_in_memory_accuracy(shipped_classifier):
    for name in (str(TINY_CSV), "rt"):
        disk = index_corpus(name, 0)
        splits = training_splits(load_corpus(name), 0)
        encoder = shipped_classifier.encoder
        scores = streaming.scores(shipped_classifier, disk, encoder)
        assert scores == {"validation": accuracy(shipped_classifier, encode(encoder, splits.validation)),
                          "test": accuracy(shipped_classifier, encode(encoder, splits.test))}


def test_scores_per_source_are_the_in_memory_ones(shipped_classifier, monkeypatch):
    monkeypatch.setattr(streaming, "SCORE_WINDOW", 700)  # several windows, each holding both sources
    disk = index_corpus("reviews", 0)
    disk = type(disk)(**{**disk.__dict__, "parts": np.where(np.arange(len(disk)) % 20 == 0, disk.parts, TRAIN).astype(np.int8)})
    scores = streaming.scores(shipped_classifier, disk, shipped_classifier.encoder)
    assert set(scores["by_source"]) == {"imdb", "rt"}
    for part in ("validation", "test"):
        totals = [scores["by_source"][s][part]["n"] for s in ("imdb", "rt")]
        assert sum(totals) == scores[part]["n"] and all(totals)


def test_cut_sentences_cannot_stream(tmp_path):
    from rnnplay.training.classifier import train_classifier

    with pytest.raises(UsageError, match="--cut-sentences needs the corpus in memory"):
        train_classifier(ClassifierConfig(cut_sentences=2), str(TINY_CSV), tmp_path / "m", stream=True)
    assert not (tmp_path / "m").exists()


@pytest.mark.tensorflow
def test_training_streamed_records_it_and_has_the_in_memory_vocabulary(tiny_model, tmp_path):
    from rnnplay.training.classifier import train_classifier
    from tests.training.test_classifier import TINY

    path = train_classifier(TINY, str(TINY_CSV), tmp_path / "streamed", stream=True)
    card = json.loads((path / "card.json").read_text())
    assert card["training"]["streamed"] is True
    assert card["training"]["split"] == {"train": 280, "validation": 40, "test": 80}
    assert card["metrics"]["test"]["accuracy"] >= 0.9
    assert (path / "vocab.txt").read_text() == (tiny_model / "vocab.txt").read_text()


@pytest.mark.tensorflow
def test_the_dataset_is_not_sharded_again_by_tensorflow():
    from rnnplay.training import tensorflow_modules

    tf, _ = tensorflow_modules()
    disk, encoder = tiny()
    data = streaming.dataset(tf, lambda: streaming.epoch(disk, encoder, disk.indices(TRAIN), 32, None, 20, False))
    assert data.options().experimental_distribute.auto_shard_policy == tf.data.experimental.AutoShardPolicy.OFF
    assert sum(int(y.shape[0]) for _, y in data) == len(disk.indices(TRAIN))


def write_corpus(path, megabytes: int, seed: int = 0) -> None:
    """Texts of 1,500 words from 2,000, the first five telling the label: about 19 KB a text."""
    rng = np.random.default_rng(seed)
    words = np.array([f"word{i:08d}" for i in range(2000)])
    with path.open("w") as out:
        out.write("text,label\n")
        row = 0
        while out.tell() < megabytes << 20:
            body = words[rng.integers(20, 2000, 1500)]
            body[:5] = words[rng.integers(0, 10, 5) + 10 * (row % 2)]
            out.write(" ".join(body) + f",{row % 2}\n")
            row += 1


@pytest.mark.slow
@pytest.mark.tensorflow
def test_a_corpus_larger_than_the_memory_left_trains_streamed_and_not_loaded(tmp_path):
    """tests/training/memory_child.py: after a warm-up run, the address space is capped at what is in use plus
    160 MB and a 200 MB corpus is trained on. Streamed it finishes within the cap (measured: a peak 139 MiB
    above the warm run); loaded, it cannot (measured: loading took 147 MiB of the 160, partly reusing what the
    warm-up freed, and TensorFlow then aborted starting the training threads)."""
    warm, big = tmp_path / "warm.csv", tmp_path / "big.csv"
    write_corpus(warm, 1)
    write_corpus(big, 200, seed=1)
    margin = 160
    assert big.stat().st_size > margin << 20

    def run(mode: str) -> subprocess.CompletedProcess:
        # Threads get 2 MB stacks (RLIMIT_STACK) and malloc two arenas, so TensorFlow's threads do not spend the cap.
        command = f"ulimit -s 2048 && exec {sys.executable} -m tests.training.memory_child {mode} {warm} {big} {tmp_path / mode} {margin}"
        return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=600, cwd=ROOT,
                              env=child_env(MALLOC_ARENA_MAX="2", RNNPLAY_MODELS_DIR=str(tmp_path / "models")))

    streamed = run("stream")
    assert streamed.returncode == 0, streamed.stderr[-2000:]
    figures = json.loads(streamed.stdout.splitlines()[-1])
    assert figures["finished"] and figures["peak"] <= figures["cap"]
    assert json.loads((tmp_path / "stream" / "big" / "card.json").read_text())["training"]["streamed"] is True
    loaded = run("memory")  # the control: under the same cap, loading the corpus fails (MemoryError, or TensorFlow aborts)
    assert loaded.returncode != 0 or not json.loads(loaded.stdout.splitlines()[-1])["finished"], loaded.stdout
