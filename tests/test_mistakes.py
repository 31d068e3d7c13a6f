"""What a classifier gets wrong, on a model whose every prediction is known by hand, and on the shipped one."""

from __future__ import annotations

import csv
import math
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnplay.corpora import Corpus, load_corpus, split
from rnnplay.errors import RnnplayError
from rnnplay.mistakes import Mistakes, find_mistakes, held_out_split, scored
from rnnplay.mistakes_view import excerpt, mistakes_view
from rnnplay.printable import is_printable
from rnnplay.runtime.classifier import Classifier
from tests.conftest import SHIPPED_MODEL, TINY_VOCAB, classifier_card, write_raw_model

# A one-unit simple RNN that only remembers the last word (no recurrence): h = tanh(e(last word)), and a
# head that makes the logit 10·h. So P(positive) = sigmoid(10·tanh(e)) of the text's last word.
EMBEDDING = {"": 0.0, "[UNK]": -0.3, "good": 2.0, "bad": -2.0, "film": 0.1}


def p_of(last_word: str) -> float:
    e = EMBEDDING.get(last_word, EMBEDDING["[UNK]"])
    return 1.0 / (1.0 + math.exp(-10.0 * math.tanh(e)))


# 25 rows: split(corpus, seed=0) holds out rows 4, 10, 11, 19 and 24 (20 %); test_the_test_split_is_trainings checks it.
TEST_ROWS = {
    4: ("good", 1),   # right: P = p_of("good") ≈ 1
    10: ("bad", 0),   # right: P ≈ 0
    11: ("bad", 1),   # wrong, and as sure as can be: P ≈ 0.00007
    19: ("film", 0),  # wrong, unsure: P = p_of("film") ≈ 0.73
    24: ("great", 1),  # wrong: "great" is [UNK], P = p_of("[UNK]") ≈ 0.05
}


def write_corpus(path: Path, rows: int = 25, flip: int | None = None) -> Path:
    """Row ``i`` reads ``row<i> … <last word>``; rows outside TEST_ROWS alternate good/1 and bad/0."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label"])
        for i in range(rows):
            word, label = TEST_ROWS.get(i, ("good", 1) if i % 2 else ("bad", 0))
            writer.writerow([f"row{i:02d} the film was {word}", 1 - label if i == flip else label])
    return path


def write_last_word_model(folder: Path, corpus: str | None, seed: int = 0, test_accuracy: float | None = 0.4, **card_fields) -> Path:
    card = classifier_card(folder.name, cell="rnn", units=1, embedding_dim=1)
    card["architecture"]["head"] = [{"units": 1, "activation": "linear"}]
    if corpus is not None:
        card["training"] = {"corpus": corpus, "split_seed": seed, "split": {"train": 18, "validation": 2, "test": 5}}
    if test_accuracy is not None:
        card["metrics"] = {"test": {"accuracy": test_accuracy, "n": 5}}
    card.update(card_fields)
    arrays = {
        "embedding": np.array([[EMBEDDING[word]] for word in TINY_VOCAB], dtype=np.float32),
        "recurrent/0/forward/kernel": np.ones((1, 1), np.float32),
        "recurrent/0/forward/recurrent_kernel": np.zeros((1, 1), np.float32),
        "recurrent/0/forward/bias": np.zeros(1, np.float32),
        "dense/0/kernel": np.full((1, 1), 10.0, np.float32),
        "dense/0/bias": np.zeros(1, np.float32),
    }
    return write_raw_model(folder, card, arrays, TINY_VOCAB)


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "reviews.csv")


@pytest.fixture
def model(tmp_path: Path, corpus_file: Path) -> Classifier:
    return Classifier.load(write_last_word_model(tmp_path / "last-word", str(corpus_file)))


def test_the_test_split_is_trainings(model: Classifier, corpus_file: Path) -> None:
    test = held_out_split(model.card)
    assert test.texts == split(load_corpus(str(corpus_file)), 0).test.texts
    assert [text.split()[0] for text in test.texts] == [f"row{i:02d}" for i in sorted(TEST_ROWS)]


def test_counts_accuracy_and_mistakes_by_hand(model: Classifier) -> None:
    result = find_mistakes(model)
    # rows true negative / positive, columns predicted negative / positive
    assert result.counts == ((1, 1), (2, 1))
    assert result.total == 5 and result.correct == 2 and result.accuracy == pytest.approx(0.4)
    assert result.rate(1, 0) == pytest.approx(2 / 3) and result.rate(0, 1) == pytest.approx(0.5)
    assert result.matches_card is True
    # most confident first: row 11 (P ≈ 0.00007 for a positive review), row 24 (P ≈ 0.05), row 19 (P ≈ 0.73)
    assert [m.text.split()[0] for m in result.mistakes] == ["row11", "row24", "row19"]
    assert [m.index for m in result.mistakes] == [2, 4, 3]  # places in the test split
    assert [m.label for m in result.mistakes] == [1, 1, 0]
    expected = [p_of("bad"), p_of("[UNK]"), p_of("film")]
    assert [m.probability for m in result.mistakes] == pytest.approx(expected, abs=1e-6)
    assert result.mistakes[2].predicted == 1 and result.mistakes[2].confidence == pytest.approx(p_of("film"), abs=1e-6)


def test_the_card_seed_chooses_the_split(tmp_path: Path, corpus_file: Path) -> None:
    other = Classifier.load(write_last_word_model(tmp_path / "seed-one", str(corpus_file), seed=1, test_accuracy=None))
    result = find_mistakes(other)
    test = split(load_corpus(str(corpus_file)), 1).test
    assert result.seed == 1 and result.total == len(test) == 5
    assert {m.text for m in result.mistakes} <= set(test.texts)
    assert result.card_accuracy is None and result.matches_card is None


def test_progress_is_reported_and_stop_is_honoured(model: Classifier) -> None:
    seen: list[tuple[int, int]] = []
    find_mistakes(model, lambda done, total: seen.append((done, total)))
    assert seen == [(5, 5)]
    with pytest.raises(RnnplayError, match="stopped"):
        find_mistakes(model, should_stop=lambda: True)


def test_a_corpus_file_that_is_gone_is_one_line(model: Classifier, corpus_file: Path) -> None:
    corpus_file.unlink()
    with pytest.raises(RnnplayError) as caught:
        find_mistakes(model)
    message = str(caught.value)
    assert message == (f"last-word was trained on {corpus_file}, which is not there any more: "
                       "its test split cannot be rebuilt")


def test_a_corpus_file_with_more_texts_is_one_line(model: Classifier, corpus_file: Path) -> None:
    write_corpus(corpus_file, rows=26)
    with pytest.raises(RnnplayError, match=r"has changed since last-word was trained \(26 texts now, 25 then\)"):
        find_mistakes(model)


def test_a_corpus_edited_in_place_shows_in_the_accuracy(model: Classifier, corpus_file: Path) -> None:
    write_corpus(corpus_file, flip=11)  # row 11 now says negative, as the model does
    result = find_mistakes(model)
    assert result.counts == ((2, 1), (1, 1)) and result.matches_card is False
    assert "its card says 0.4000: the corpus changed since training" in str(mistakes_view(result)[0])


def test_an_unreadable_corpus_is_one_line(model: Classifier, corpus_file: Path) -> None:
    corpus_file.write_text("words,stars\nfine,5\n", encoding="utf-8")
    with pytest.raises(RnnplayError, match="cannot rebuild last-word's test split from .*: .*no column"):
        find_mistakes(model)


def test_an_imported_model_has_no_split(tmp_path: Path) -> None:
    imported = Classifier.load(write_last_word_model(tmp_path / "imported", None, test_accuracy=None, imported_from="/x/model.keras"))
    with pytest.raises(RnnplayError, match=r"^imported has no test split to check it on \(an imported model keeps none\)$"):
        find_mistakes(imported)
    bare = Classifier.load(write_last_word_model(tmp_path / "bare", None, test_accuracy=None))
    with pytest.raises(RnnplayError, match="its card records no corpus and seed"):
        find_mistakes(bare)


@pytest.mark.slow
def test_the_shipped_model_reproduces_its_card() -> None:
    """6,706 texts (5,000 IMDB reviews, 1,706 RT sentences) through the NumPy runtime: the card's 0.8554, exactly. About 2.5 s on an idle machine;
    slow because BLAS threads fighting other work for two cores made it 11-22 s."""
    started = time.perf_counter()
    result = find_mistakes(Classifier.load(SHIPPED_MODEL))
    seconds = time.perf_counter() - started
    assert result.total == 6706 and result.card_accuracy == 0.8554
    assert round(result.accuracy, 4) == 0.8554 and result.matches_card
    assert len(result.mistakes) == 6706 - result.correct == 970
    assert seconds < 60


# --- properties of the scoring, whatever the predictions ------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0.0, 1.0)), max_size=60))
def test_the_matrix_and_the_order_hold_for_any_predictions(rows: list[tuple[int, float]]) -> None:
    labels = np.array([label for label, _ in rows], dtype=np.int8)
    p = np.array([probability for _, probability in rows], dtype=np.float64)
    corpus = Corpus("any", [f"text {i}" for i in range(len(rows))], labels)
    result: Mistakes = scored("m", "any", 0, corpus, p, None)
    assert result.total == len(rows)  # the matrix sums to the split's size
    assert sum(result.counts[1]) == int(labels.sum())
    assert result.correct == int(((p >= 0.5) == (labels == 1)).sum())
    assert len(result.mistakes) == result.counts[0][1] + result.counts[1][0]
    assert all(m.predicted != m.label and m.text == f"text {m.index}" for m in result.mistakes)
    keys = [(-m.confidence, m.index) for m in result.mistakes]
    assert keys == sorted(keys)  # most confident first, ties in split order


def test_ties_in_confidence_keep_split_order_though_the_arithmetic_differs() -> None:
    """The case Hypothesis found: |p − 0.5| ranked p = 0.99999 above p = 1e-5, while the confidence shown,
    max(p, 1 − p), is the same float for both; the order must come from the figure shown."""
    corpus = Corpus("any", ["text 0", "text 1"], np.array([1, 0], dtype=np.int8))
    result = scored("m", "any", 0, corpus, np.array([1e-05, 0.99999]), None)
    assert result.mistakes[0].confidence == result.mistakes[1].confidence
    assert [m.index for m in result.mistakes] == [0, 1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.integers(2, 200))
def test_an_excerpt_is_one_printable_line(text: str, width: int) -> None:
    shown = excerpt(text, width)
    assert is_printable(shown) and "\n" not in shown and "  " not in shown


PLAIN = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))  # nothing printable() escapes


@settings(max_examples=200, deadline=None)
@given(st.text(PLAIN, max_size=500), st.integers(2, 200))
def test_an_excerpt_of_plain_text_fits_its_width(text: str, width: int) -> None:
    words = " ".join(text.replace("<br />", " ").split())
    shown = excerpt(text, width)
    assert len(shown) <= width
    assert shown == words if len(words) <= width else (shown.endswith("…") and words.startswith(shown[:-1]))
