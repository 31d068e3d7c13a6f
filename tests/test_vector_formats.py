"""word2vec text/binary and Embedding Projector files: byte layouts, round trips, gensim, bad files."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rnnplay.errors import RnnplayError, UsageError
from rnnplay.limits import MAX_TOKEN_BYTES, MAX_VECTOR_VALUES, MAX_WORD2VEC_WORD_BYTES
from rnnplay.runtime.vectors import Vectors, guesser
from rnnplay.store import load_model
from rnnplay.text import TextSettings
from rnnplay.vector_formats import import_word2vec, read_word2vec, write_projector, write_word2vec
from tests.bounded import assert_one_line, run_bounded

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
    words, matrix, detected, _declared = read_word2vec(path)
    assert words == WORDS and detected == binary and matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, small.vectors)  # 9 significant digits give back the float32


def test_round_trip_of_the_planted_model(tmp_path, planted_vectors):
    planted = Vectors.load(planted_vectors)
    for binary in (False, True):
        words, matrix, _, _declared = read_word2vec(write_word2vec(planted, tmp_path / f"p{binary}", binary=binary))
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
        words, matrix, detected, _declared = read_word2vec(theirs)
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
    (b"2 2\na 1 2\n\n\n\n\n\n", "the header announces 2 words, the file holds 1"),
    (b"2 2\na 1 2\n\n\n", "the header promises 2 words × 2 values, but only 8 bytes follow"),
    (b"1 2\na 1 2\nb 3 4\n", "line 3: more rows than the 1 the header announces"),
    (b"2 2\na 1 2\nb 3\n", "line 3: 1 values for 'b', the header says 2"),
    (b"2 2\na 1 2\nb 3 four\n", "line 3: a value for 'b' is not a number"),
    (b"2 2\na 1 2\n\xff\xfe 3 4\n", "line 3: the word is not valid UTF-8"),
    (b"2 2\na 1 2\nb nan 4\n", "the vector of 'b' holds NaN or infinite values"),
    (b"2 1\na " + FLOAT_ONE + b"\n\xff " + FLOAT_ONE + b"\n", "record 2: the word is not valid UTF-8"),
    (b"2 1\na " + FLOAT_ONE + b"\nbcdef " + FLOAT_ONE[:2], "record 2 ('bcdef'): the file ends inside its 1 values"),
    (b"2 1\na " + FLOAT_ONE + b"\n" * 6, "the header announces 2 words, the file holds 1"),
    (b"2 1\na " + FLOAT_ONE + b"\n", "the header promises 2 words × 1 values, but only 7 bytes follow"),
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
    words, matrix, binary, _declared = read_word2vec(tmp_path / "v.txt")
    assert words == ["a", "b"] and not binary and matrix.tolist() == [[1, 2], [3, 4]]


def test_import_saves_a_vectors_model(tmp_path, small):
    source = write_word2vec(small, tmp_path / "small.bin", binary=True)
    path = import_word2vec(source, tmp_path / "models" / "small")
    stored = load_model(path)
    raw = stored.card.raw  # the JSON as saved
    assert raw["kind"] == "vectors" and stored.vocabulary == WORDS and set(stored.arrays) == {"input"}
    assert raw["architecture"] == {"method": "imported", "vocab_size": 6, "dimension": 7}
    assert raw["text"] == {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None, "truncate": "start"}
    assert raw["import"]["format"] == "word2vec-binary" and raw["import"]["rows"] == 6
    assert raw["import"]["unreachable"] == 0  # ’ is not ASCII punctuation: don’t stays one token
    vectors = Vectors.load(path)
    np.testing.assert_array_equal(vectors.vectors, small.vectors)
    assert vectors.neighbours("café", k=5) == small.neighbours("café", k=5)
    with pytest.raises(RnnplayError, match="no output layer to guess with"):
        guesser(vectors)
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
    details = stored.card.section("import")
    assert details["skipped_repeated"] == 1 and details["unreachable"] == 2 and details["format"] == "word2vec"
    assert details["notes"][0] == "skipped 1 repeated words (the first row of each is kept), e.g. paris"
    assert "2 words cannot be queried under lower_and_strip_punctuation (e.g. Paris, U.S.)" in details["notes"][1]
    vectors = Vectors.load(path)
    assert vectors.lookup("Paris") == 0 and vectors.neighbours("paris", k=1)[0][0] == "Paris"
    json.dumps(dict(stored.card.raw))  # the card stays plain JSON


def test_import_with_other_text_settings_reaches_cased_words(tmp_path):
    source = tmp_path / "v.txt"
    source.write_text("2 2\nparis 1 0\nParis 0.9 0.1\n")
    vectors = Vectors.load(import_word2vec(source, tmp_path / "cased", settings=TextSettings(standardize="none")))
    assert vectors.lookup("Paris") == 1 and vectors.lookup("paris") == 0


def test_import_skips_words_with_whitespace_from_a_binary_file(tmp_path):
    source = tmp_path / "v.bin"
    source.write_bytes(b"3 1\na\tb " + FLOAT_ONE + b"\nc " + FLOAT_ONE + b"\nd\x0be " + FLOAT_ONE + b"\n")
    stored = load_model(import_word2vec(source, tmp_path / "ws"))
    assert stored.vocabulary == ["c"] and stored.card.section("import")["skipped_whitespace"] == 2
    assert stored.card.section("import")["notes"] == ["skipped 2 words that are empty or hold whitespace, e.g. 'a\\tb', 'd\\x0be'"]
    source.write_bytes(b"1 1\na\tb " + FLOAT_ONE + b"\n")
    with pytest.raises(RnnplayError, match="no usable word"):
        import_word2vec(source, tmp_path / "none")


# --- hostile files: bounded reads, one clear line ------------------------------------------------


def outcome(path: Path, limit: int | None = None):
    """What reading a file gives: (words, matrix), or the message of an RnnplayError; nothing else may escape."""
    try:
        words, matrix, _, _declared = read_word2vec(path, limit=limit)
    except RnnplayError as error:
        return assert_one_line(error, limit=300 + len(str(path)))
    assert matrix.dtype == np.float32 and matrix.shape == (len(words), matrix.shape[1]) and np.isfinite(matrix).all()
    return words, matrix


def bounded_outcome(path: Path, limit: int | None = None):
    """``outcome`` with the memory it takes measured: a small file never costs more than a few MB."""
    tracemalloc.start()
    try:
        result = outcome(path, limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < (4 << 20) + 64 * path.stat().st_size, peak
    return result


HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
words_strategy = st.lists(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters=" \t\n\r\x0b\x0c"),
                                  min_size=1, max_size=8), min_size=1, max_size=6, unique=True)


@HYPOTHESIS
@given(count=st.integers(1, 6), dimension=st.integers(1, 6), body=st.binary(max_size=600))
def test_any_bytes_after_a_valid_header(tmp_path, count, dimension, body):
    path = tmp_path / "v"
    path.write_bytes(f"{count} {dimension}\n".encode() + body)
    result = bounded_outcome(path)
    if not isinstance(result, str):
        assert len(result[0]) == count and result[1].shape == (count, dimension)


@HYPOTHESIS
@given(header=st.one_of(st.binary(max_size=120),
                        st.tuples(st.integers(-10**30, 10**30), st.integers(-10**30, 10**30)).map(lambda p: f"{p[0]} {p[1]}".encode())),
       body=st.binary(max_size=300), limit=st.none() | st.integers(1, 10))
def test_random_headers(tmp_path, header, body, limit):
    path = tmp_path / "v"
    path.write_bytes(header + b"\n" + body)
    bounded_outcome(path, limit)


@st.composite
def mutated_files(draw):
    words = draw(words_strategy)
    dimension = draw(st.integers(1, 5))
    matrix = np.array(draw(st.lists(st.floats(width=32, allow_nan=False, allow_infinity=False), min_size=len(words) * dimension,
                                    max_size=len(words) * dimension)), dtype=np.float32).reshape(len(words), dimension)
    binary = draw(st.booleans())
    edits = draw(st.lists(st.tuples(st.sampled_from(["set", "insert", "delete"]), st.integers(0, 10**6), st.binary(min_size=1, max_size=3)),
                          min_size=1, max_size=4))
    return words, matrix, binary, edits


def all_text(data: bytes) -> bool:
    """A binary file whose float bytes all read as text (a few 1-dimension rows) looks like a text file."""
    try:
        return not any(ord(c) < 32 and c not in "\t\n\r" for c in data.decode("utf-8"))
    except UnicodeDecodeError:
        return False


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")  # Vectors' norms of float32 near its maximum
@HYPOTHESIS
@given(case=mutated_files())
def test_mutated_valid_files(tmp_path, case):
    words, matrix, binary, edits = case
    path = write_word2vec(make(words, matrix), tmp_path / "v", binary=binary)
    assume(not (binary and all_text(path.read_bytes())))  # its format cannot be told (as gensim, it could be asked)
    assert outcome(path)[0] == words  # the file is valid before it is mutated
    data = bytearray(path.read_bytes())
    for kind, where, value in edits:
        at = where % (len(data) + 1)
        if kind == "set":
            data[at : at + len(value)] = value
        elif kind == "insert":
            data[at:at] = value
        else:
            del data[at : at + len(value)]
    path.write_bytes(bytes(data))
    bounded_outcome(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=words_strategy, dimension=st.integers(1, 4), binary=st.booleans(), limit=st.integers(1, 8))
def test_a_limit_reads_the_first_rows(tmp_path, words, dimension, binary, limit):
    matrix = np.arange(len(words) * dimension, dtype=np.float32).reshape(len(words), dimension)
    path = write_word2vec(make(words, matrix), tmp_path / "v", binary=binary)
    read, got, detected, _declared = read_word2vec(path, limit=limit)
    assert read == words[:limit] and detected == binary
    np.testing.assert_array_equal(got, matrix[:limit])


def test_a_header_beyond_the_bound_says_to_use_a_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"3000000 300\nthe 1 " + b"0 " * 298 + b"1\nof " + b"2 " * 299 + b"2\n")
    most = MAX_VECTOR_VALUES // 300
    with pytest.raises(RnnplayError, match=f"3,000,000 words × 300 values are more than rnnplay holds .* --limit {most:,} or less"):
        read_word2vec(path)
    with pytest.raises(UsageError, match=f"--limit 2,000,000 is more than rnnplay holds at 300 values per word \\(at most {most:,}\\)"):
        read_word2vec(path, limit=2_000_000)
    words, matrix, _, _declared = read_word2vec(path, limit=2)
    assert words == ["the", "of"] and matrix.shape == (2, 300) and matrix[1, 0] == 2
    with pytest.raises(UsageError, match="--limit must be a whole number from 1"):
        read_word2vec(path, limit=0)


@pytest.mark.parametrize("content, message", [
    (b"2 5000\n", "declares 5,000 values per word; rnnplay holds at most 4,096"),
    (b"9" * 150 + b" 2\n", "first line should be 'WORDS DIMENSION', not '99999"),
    (b"2 3\n" + b"w" * (MAX_WORD2VEC_WORD_BYTES + 1) + b" 1 2 3\n" + b"\n" * 20, "line 2: the word is longer than 10,000 bytes"),
    (b"1 1\n" + b"w" * (MAX_WORD2VEC_WORD_BYTES + 1) + b" " + FLOAT_ONE, "no word followed by a space within 10,000 bytes"),
    (b"2 2\na 1 2\n\x1b[31mb 3\n", r"line 3: 1 values for '\\x1b\[31mb', the header says 2"),
    (b"2 2\na 1 2\nb 3 \x1b]0;pwned\x07\n", r"a value for 'b' is not a number: '\\x1b\]0;pwned\\x07'"),
])
def test_hostile_records_are_short_escaped_lines(tmp_path, content, message):
    path = tmp_path / "bad.vec"
    path.write_bytes(content)
    with pytest.raises(RnnplayError, match=message) as caught:
        read_word2vec(path)
    assert_one_line(caught.value)


def test_a_long_line_is_refused_after_reading_its_bound_only(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"1 3\nword " + b"1 " * 2_000_000 + b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(RnnplayError, match=r"line 2: longer than a word and 3 values can be \(10,256 bytes") as caught:
            read_word2vec(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 << 20 and caught.value.args[0].endswith("it starts 'word 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'…")


def test_folders_and_devices_are_named(tmp_path):
    with pytest.raises(RnnplayError, match="is a folder, not a word2vec file"):
        read_word2vec(tmp_path)
    with pytest.raises(RnnplayError, match="/dev/zero is not a regular file"):
        read_word2vec(Path("/dev/zero"))


def test_import_with_a_limit_notes_it_and_skips_overlong_words(tmp_path):
    source = tmp_path / "v.txt"
    long = "x" * (MAX_TOKEN_BYTES + 1)
    source.write_text(f"4 2\nthe 1 0\n{long} 0 1\nof 1 1\nand 2 2\n", encoding="utf-8")
    stored = load_model(import_word2vec(source, tmp_path / "first", limit=3))
    details = stored.card.section("import")
    assert stored.vocabulary == ["the", "of"] and details["rows"] == 3 and details["declared"] == 4 and details["limit"] == 3
    assert details["skipped_long"] == 1
    assert details["notes"][:2] == ["read the first 3 of the 4 words the file holds (limit)",
                                    f"skipped 1 words longer than 1,000 bytes, e.g. {'x' * 30}…"]


@pytest.mark.parametrize("start, field, times", [(b"", b"w", 50_000_000), (b"word", b" 12", 16_000_000)],
                         ids=["a-50-MB-word", "16-million-values"])  # (not the bytes: the test's id goes into the environment)
def test_a_50_mb_line_is_one_line_in_bounded_memory(tmp_path, start, field, times):
    path = tmp_path / "long.txt"
    path.write_bytes(b"1 300\n" + start + field * times + b" 1 2\n")
    result = run_bounded("cbow", "import", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "line 2: longer than a word and 300 values can be" in result.stderr
    assert len(result.stderr) < 300


def test_a_huge_header_on_a_sparse_file_is_refused_before_allocating(tmp_path):
    path = tmp_path / "sparse.txt"
    with path.open("wb") as f:
        f.write(b"1000000000 100\n")
        f.truncate(2 * 10**11)  # 200 GB of holes: the header's promise passes a size check
    result = run_bounded("cbow", "import", str(path))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "1,000,000,000 words × 100 values are more than rnnplay holds" in result.stderr
    assert "--limit 4,000,000 or less" in result.stderr
