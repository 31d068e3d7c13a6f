"""word2vec text/binary and Embedding Projector files: byte layouts, round trips, gensim, bad files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.vectors import Vectors
from rnnplay.store import load_model
from rnnplay.text import TextSettings
from rnnplay.vector_formats import import_word2vec, read_word2vec, write_projector, write_word2vec

WORDS = ["the", "café", "naïve", "日本", "don’t", "x"]


def make(words, matrix) -> Vectors:
    return Vectors(list(words), np.asarray(matrix, dtype=np.float32), TextSettings(), "m", "vectors")


@pytest.fixture
def small():
    rng = np.random.default_rng(1)
    return make(WORDS, rng.standard_normal((len(WORDS), 7)) * 10.0 ** rng.integers(-8, 8, size=(len(WORDS), 7)))


TWO_BY_THREE = make(["ab", "c"], [[1.0, -2.0, 0.5], [0.0, 0.25, 3.0]])


def test_text_layout(tmp_path):
    write_word2vec(TWO_BY_THREE, tmp_path / "v.txt")
    assert (tmp_path / "v.txt").read_text() == "2 3\nab 1 -2 0.5\nc 0 0.25 3\n"


def test_binary_layout_is_word2vec_c(tmp_path):
    # Hand-checked: float32 little-endian 1.0 = 00 00 80 3f, -2.0 = 00 00 00 c0, 0.5 = 00 00 00 3f,
    # 0.0 = 00 00 00 00, 0.25 = 00 00 80 3e, 3.0 = 00 00 40 40; each record is "word ", 12 bytes, "\n".
    write_word2vec(TWO_BY_THREE, tmp_path / "v.bin", binary=True)
    expected = (b"2 3\n"
                b"ab " + bytes.fromhex("0000803f 000000c0 0000003f") + b"\n"
                b"c " + bytes.fromhex("00000000 0000803e 00004040") + b"\n")
    assert (tmp_path / "v.bin").read_bytes() == expected


@pytest.mark.parametrize("binary", [False, True])
def test_round_trip_is_exact(tmp_path, small, binary):
    path = write_word2vec(small, tmp_path / "v", binary=binary)
    words, matrix, detected = read_word2vec(path)
    assert words == WORDS and detected == binary and matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, small.vectors)  # 9 significant digits give back the float32


def test_round_trip_of_the_planted_model(tmp_path, planted_vectors):
    planted = Vectors.load(planted_vectors)
    for binary in (False, True):
        words, matrix, _ = read_word2vec(write_word2vec(planted, tmp_path / f"p{binary}", binary=binary))
        assert words == planted.index_to_key
        np.testing.assert_array_equal(matrix, planted.vectors)


def test_gensim_reads_our_files_and_we_read_gensims(tmp_path, small):
    gensim_models = pytest.importorskip("gensim.models")
    for binary in (False, True):
        ours = write_word2vec(small, tmp_path / f"ours{binary}", binary=binary)
        loaded = gensim_models.KeyedVectors.load_word2vec_format(str(ours), binary=binary)
        assert list(loaded.index_to_key) == WORDS
        np.testing.assert_array_equal(loaded.vectors, small.vectors)
        theirs = tmp_path / f"theirs{binary}"
        loaded.save_word2vec_format(str(theirs), binary=binary)  # gensim's binary has no newline per record
        words, matrix, detected = read_word2vec(theirs)
        assert words == WORDS and detected == binary
        np.testing.assert_allclose(matrix, small.vectors, rtol=1e-6)


def test_projector_files(tmp_path, small):
    vectors_tsv, metadata_tsv = write_projector(small, tmp_path / "proj")
    rows = [line.split("\t") for line in vectors_tsv.read_text().splitlines()]
    assert len(rows) == 6 and {len(r) for r in rows} == {7}
    np.testing.assert_allclose(np.array(rows, dtype=np.float64), small.vectors, rtol=1e-5)
    assert metadata_tsv.read_text(encoding="utf-8").splitlines() == WORDS
    assert sorted(p.name for p in (tmp_path / "proj").iterdir()) == ["metadata.tsv", "vectors.tsv"]


def test_a_refused_export_leaves_nothing(tmp_path):
    with pytest.raises(RnnplayError, match="cannot be written"):
        write_word2vec(make(["two words"], [[1.0]]), tmp_path / "bad.txt")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_an_existing_file_whole(tmp_path, small):
    target = tmp_path / "v.txt"
    target.write_text("old")
    write_word2vec(small, target)
    assert read_word2vec(target)[0] == WORDS and [p.name for p in tmp_path.iterdir()] == ["v.txt"]


FLOAT_ONE = bytes.fromhex("0000803f")


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"hello world\n", "first line should be 'WORDS DIMENSION', not 'hello world'"),
    (b"2\na 1\n", "first line should be"),
    (b"0 3\n", "first line should be"),
    (b"2 x\n", "first line should be"),
    (b"1000000 300\na 1 2\n", "the header promises 1,000,000 words × 300 values, but only 6 bytes follow"),
    (b"2 2\na 1 2\n\n\n", "the header announces 2 words, the file holds 1"),
    (b"1 2\na 1 2\nb 3 4\n", "line 3: more rows than the 1 the header announces"),
    (b"2 2\na 1 2\nb 3\n", "line 3: 1 values for 'b', the header says 2"),
    (b"2 2\na 1 2\nb 3 four\n", "line 3: a value for 'b' is not a number"),
    (b"2 2\na 1 2\n\xff\xfe 3 4\n", "line 3: the word is not valid UTF-8"),
    (b"2 2\na 1 2\nb nan 4\n", "the vector of 'b' holds NaN or infinite values"),
    (b"2 1\na " + FLOAT_ONE + b"\n\xff " + FLOAT_ONE + b"\n", "record 2: the word is not valid UTF-8"),
    (b"2 1\na " + FLOAT_ONE + b"\nb " + FLOAT_ONE[:2], "record 2 ('b'): the file ends inside its 1 values"),
    (b"2 1\na " + FLOAT_ONE + b"\n", "the header announces 2 words, the file holds 1"),
    (b"1 1\na " + FLOAT_ONE + b"\nb " + FLOAT_ONE, "more data after the 1 records"),
    (b"1 1\n" + b"\x01" * 20_000, "record 1: no word followed by a space"),
])
def test_malformed_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.vec"
    path.write_bytes(content)
    with pytest.raises(RnnplayError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        read_word2vec(path)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(RnnplayError, match="no such file"):
        read_word2vec(tmp_path / "absent.txt")


def test_text_detection_takes_windows_line_ends_and_blank_lines(tmp_path):
    (tmp_path / "v.txt").write_bytes(b"2 2\r\na 1 2\r\n\r\nb 3 4 \r\n")
    words, matrix, binary = read_word2vec(tmp_path / "v.txt")
    assert words == ["a", "b"] and not binary and matrix.tolist() == [[1, 2], [3, 4]]


def test_import_saves_a_vectors_model(tmp_path, small):
    source = write_word2vec(small, tmp_path / "small.bin", binary=True)
    path = import_word2vec(source, tmp_path / "models" / "small")
    stored = load_model(path)
    assert stored.card["kind"] == "vectors" and stored.vocabulary == WORDS and set(stored.arrays) == {"input"}
    assert stored.card["architecture"] == {"method": "imported", "vocab_size": 6, "dimension": 7}
    assert stored.card["text"] == {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None, "truncate": "start"}
    assert stored.card["import"]["format"] == "word2vec-binary" and stored.card["import"]["rows"] == 6
    assert stored.card["import"]["unreachable"] == 0  # ’ is not ASCII punctuation: don’t stays one token
    vectors = Vectors.load(path)
    np.testing.assert_array_equal(vectors.vectors, small.vectors)
    assert vectors.neighbours("café", k=5) == small.neighbours("café", k=5)
    with pytest.raises(RnnplayError, match="no output layer to guess with"):
        vectors.guess("the ___ x")
    with pytest.raises(RnnplayError, match="already exists"):
        import_word2vec(source, tmp_path / "models" / "small")
    assert import_word2vec(source, tmp_path / "models" / "small", overwrite=True) == path


def test_import_skips_repeats_and_notes_unreachable_words(tmp_path):
    source = tmp_path / "v.txt"
    source.write_text("5 2\nparis 1 0\nParis 0.9 0.1\nlondon 0 1\nparis 5 5\nU.S. 1 1\n", encoding="utf-8")
    path = import_word2vec(source, tmp_path / "cities")
    stored = load_model(path)
    assert stored.vocabulary == ["paris", "Paris", "london", "U.S."]
    np.testing.assert_array_equal(stored.arrays["input"][0], [1, 0])  # the first row of a repeated word is kept
    details = stored.card["import"]
    assert details["skipped_repeated"] == 1 and details["unreachable"] == 2 and details["format"] == "word2vec"
    assert details["notes"][0] == "skipped 1 repeated words (the first row of each is kept), e.g. paris"
    assert "2 words cannot be queried under lower_and_strip_punctuation (e.g. Paris, U.S.)" in details["notes"][1]
    vectors = Vectors.load(path)
    assert vectors.lookup("Paris") == 0 and vectors.neighbours("paris", k=1)[0][0] == "Paris"
    json.dumps(stored.card)  # the card stays plain JSON


def test_import_with_other_text_settings_reaches_cased_words(tmp_path):
    source = tmp_path / "v.txt"
    source.write_text("2 2\nparis 1 0\nParis 0.9 0.1\n")
    vectors = Vectors.load(import_word2vec(source, tmp_path / "cased", settings=TextSettings(standardize="none")))
    assert vectors.lookup("Paris") == 1 and vectors.lookup("paris") == 0


def test_import_skips_words_with_whitespace_from_a_binary_file(tmp_path):
    source = tmp_path / "v.bin"
    source.write_bytes(b"3 1\na\tb " + FLOAT_ONE + b"\nc " + FLOAT_ONE + b"\nd\x0be " + FLOAT_ONE + b"\n")
    stored = load_model(import_word2vec(source, tmp_path / "ws"))
    assert stored.vocabulary == ["c"] and stored.card["import"]["skipped_whitespace"] == 2
    assert stored.card["import"]["notes"] == ["skipped 2 words that are empty or hold whitespace, e.g. 'a\\tb', 'd\\x0be'"]
    source.write_bytes(b"1 1\na\tb " + FLOAT_ONE + b"\n")
    with pytest.raises(RnnplayError, match="no usable word"):
        import_word2vec(source, tmp_path / "none")
