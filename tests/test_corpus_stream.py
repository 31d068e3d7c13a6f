"""A corpus left on disk: the same split, texts and labels as in memory, the same one-line errors, bounded memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rnnplay import limits
from rnnplay.corpora import TEST, TRAIN, VALIDATION, load_corpus, split, training_splits
from rnnplay.corpus_stream import DiskCorpus, index_corpus
from rnnplay.errors import RnnplayError
from tests.bounded import assert_one_line, child_env
from tests.conftest import TINY_CSV
from tests.test_corpora import folder_corpus, write


def in_split_order(corpus: DiskCorpus, part: int) -> np.ndarray:
    """A part's texts in the in-memory split's order: source by source (``corpora.split``), each in file order."""
    indices = corpus.indices(part)
    if corpus.source is None:
        return indices
    return np.concatenate([indices[corpus.source[indices] == s] for s in range(len(corpus.sources))])


def assert_same_as_in_memory(name: str, seed: int = 0, **columns: str) -> DiskCorpus:
    disk = index_corpus(name, seed, **columns)
    splits = training_splits(load_corpus(name, **columns), seed)
    for part, held in ((TRAIN, splits.train), (VALIDATION, splits.validation), (TEST, splits.test)):
        order = in_split_order(disk, part)
        assert disk.read(order, str) == held.texts
        assert disk.labels[order].tolist() == held.labels.tolist()
        if held.source is not None:
            assert disk.source is not None and disk.source[order].tolist() == held.source.tolist()
    assert disk.sources == splits.train.sources
    return disk


@pytest.mark.parametrize("name", [str(TINY_CSV), "rt", "reviews"])
def test_the_split_texts_and_labels_are_the_in_memory_ones(name):
    assert_same_as_in_memory(name, seed=3)


def test_scan_reads_every_text_in_file_order():
    disk = index_corpus(str(TINY_CSV), 0)
    assert [text for _, text in disk.scan()] == load_corpus(str(TINY_CSV)).texts


def test_a_window_comes_back_in_the_order_asked_for():
    disk = index_corpus(str(TINY_CSV), 0)
    texts = load_corpus(str(TINY_CSV)).texts
    window = np.array([399, 0, 17, 3, 3])
    assert disk.read(window, str) == [texts[i] for i in window]
    assert disk.read(window, len) == [len(texts[i]) for i in window]


GOOD = [("good, really", 1), ("bad\nacross two lines", 0), ("café — naïve 😀", 1), ("plain", 0)] * 4


@pytest.mark.parametrize("name, content", [
    ("r.csv", "\ufefftext,label\r\n" + "".join(f'"{t}",{y}\r\n' for t, y in GOOD)),  # a BOM, CRLF, quoted newlines, UTF-8
    ("r.tsv", "label\ttext\n" + "".join(f'{y}\t"{t}"\n' for t, y in GOOD)),
    ("r.jsonl", "\n".join(json.dumps({"label": y, "text": t}, ensure_ascii=a) for (t, y), a in zip(GOOD, [True, False] * 8)) + "\n\n"),
])
def test_user_files_read_back_by_position(tmp_path, name, content):
    assert_same_as_in_memory(str(write(tmp_path / name, content)))


def test_named_columns_and_an_aclimdb_folder(tmp_path):
    path = write(tmp_path / "r.csv", "stars,review\n" + "".join(f'{y},"{t}"\n' for t, y in GOOD))
    assert_same_as_in_memory(str(path), text_column="review", label_column="stars")
    folder = folder_corpus(tmp_path / "acl", {f"{i}_9.txt": f"great {i}" for i in range(8)}, {f"{i}_1.txt": f"awful {i}" for i in range(8)})
    disk = assert_same_as_in_memory(str(folder))
    assert disk.kind == "folder"


@pytest.mark.parametrize("name, content", [
    ("bad.csv", 'text,label\n"unterminated,1\n'),
    ("bad.csv", "text,label\ngood,1,extra\n"),
    ("bad.csv", "words,label\ngood,1\n"),
    ("bad.csv", "text,label\ngood,1\nbad,0\nfine,maybe\n"),
    ("bad.csv", b"text,label\ngood \xff,1\nbad,0\n"),
    ("bad.csv", "text,label\n"),
    ("bad.csv", "text,label\ngood,1\nfine,1\n"),
    ("bad.csv", ""),
    ("bad.tsv", "text\tlabel\ngood\t1\nbad\n"),
    ("bad.jsonl", '{"text": "a", "label": 1}\n{oops\n'),
    ("bad.jsonl", '{"text": 3, "label": 1}\n'),
    ("bad.jsonl", '{"text": "a"}\n'),
    ("bad.jsonl", '{"text": "a", "label": [1]}\n'),
    ("few.csv", "text,label\n" + "good,1\nbad,0\n" * 4),
])
def test_bad_files_give_the_in_memory_paths_one_line(tmp_path, name, content):
    path = str(write(tmp_path / name, content))
    with pytest.raises(RnnplayError) as held:
        training_splits(load_corpus(path), 0)
    with pytest.raises(RnnplayError) as streamed:
        index_corpus(path, 0)
    assert assert_one_line(streamed.value) == str(held.value)


def test_a_txt_file_and_a_pipe_are_refused_in_one_line(tmp_path):
    with pytest.raises(RnnplayError, match=r"r.txt: a .txt file has no labels; a classifier trains on a CSV, TSV or JSONL file"):
        index_corpus(str(write(tmp_path / "r.txt", "good\nbad\n")), 0)
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(RnnplayError, match=r"pipe.csv is a pipe, which can be read only once; a streamed corpus is read once an epoch"):
        index_corpus(str(tmp_path / "pipe.csv"), 0)


def test_a_file_changed_after_indexing_is_refused(tmp_path):
    path = write(tmp_path / "r.csv", "text,label\n" + "good,1\nbad,0\n" * 10)
    disk = index_corpus(str(path), 0)
    write(path, "text,label\n" + "great,1\nawful,0\n" * 10)
    with pytest.raises(RnnplayError, match=r"r.csv: changed while training \(a streamed corpus is read again each epoch\)"):
        disk.read(disk.indices(TRAIN), str)


def test_the_streamed_limits_hold(tmp_path, monkeypatch):
    path = str(write(tmp_path / "r.csv", "text,label\n" + "good,1\nbad,0\n" * 10))
    monkeypatch.setattr(limits, "MAX_STREAMED_TEXTS", 5)
    with pytest.raises(RnnplayError, match=r"r.csv: more than 5 texts, the most a streamed corpus may hold$"):
        index_corpus(path, 0)
    monkeypatch.setattr(limits, "MAX_STREAMED_BYTES", 100)
    with pytest.raises(RnnplayError, match=r"r.csv: more than 100 bytes, the most a streamed corpus may hold$"):
        index_corpus(path, 0)


def test_the_split_of_the_index_is_the_split_of_the_corpus():
    corpus = load_corpus("reviews")
    disk = index_corpus("reviews", 7)
    parts = split(corpus, 7)
    assert [len(disk.indices(p)) for p in (TRAIN, VALIDATION, TEST)] == [len(parts.train), len(parts.validation), len(parts.test)]


# A corpus bigger than the memory left is indexed, counted and read a window at a time within it; loaded, it is not.
WITHIN_A_CAP = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    import numpy as np
    from rnnplay.corpora import TRAIN, load_corpus
    from rnnplay.corpus_stream import index_corpus
    from rnnplay.text import Encoder, TextSettings, build_vocabulary

    def address_space():
        line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmSize:"))
        return int(line.split()[1]) << 10

    mode, path, margin = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = TextSettings(max_length=16)
    Encoder(["", "[UNK]"], settings).encode("warm the regular expressions up")
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + margin, resource.RLIM_INFINITY))
    try:
        if mode == "stream":
            disk = index_corpus(path, 0)
            tokens = (settings.tokens(text) for number, text in disk.scan() if disk.parts[number] == TRAIN)
            encoder = Encoder(build_vocabulary(tokens, 1000), settings)
            train = disk.indices(TRAIN)
            ids = sum(sum(len(i) for i in disk.read(train[s : s + 2000], encoder.encode)) for s in range(0, len(train), 2000))
        else:
            corpus = load_corpus(path)
            ids = len(corpus)
        print(json.dumps({"finished": True, "ids": int(ids)}))
    except MemoryError:
        print(json.dumps({"finished": False}))
""")


def test_a_corpus_larger_than_the_memory_left_is_read_within_it_streamed_and_not_loaded(tmp_path):
    words = [f"word{i:06d}" for i in range(1000)]
    rng = np.random.default_rng(0)
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write("text,label\n")
        for row in range(4000):  # about 40 MB: 4,000 texts of 1,000 words
            out.write(" ".join(words[i] for i in rng.integers(0, len(words), 1000)) + f",{row % 2}\n")
    margin = 24 << 20  # the memory left: well under the corpus' 40 MB
    assert path.stat().st_size > margin
    run = lambda mode: subprocess.run([sys.executable, "-c", WITHIN_A_CAP, mode, str(path), str(margin)], capture_output=True,
                                      text=True, timeout=120, env=child_env(MALLOC_ARENA_MAX="1"))
    streamed = run("stream")
    assert streamed.returncode == 0, streamed.stderr[-2000:]
    assert json.loads(streamed.stdout) == {"finished": True, "ids": 16 * len(index_corpus(str(path), 0).indices(TRAIN))}
    loaded = run("memory")
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert json.loads(loaded.stdout) == {"finished": False}  # the control: the same cap is too small to hold the corpus
