"""The real-text memory probe: a planted model with a known memory gives the expected table; the filler is
neutral by the model's own measurement; the same seed gives the same figures; truncation is counted apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnnplay.memory_probe import CONFIDENT, NEUTRAL_BAND, gather, probe
from rnnplay.runtime.classifier import Classifier

PLANTED_VOCAB = ["", "[UNK]", "great", "awful", "the", "film", "was", "long", "plot", "and"]
FILLER = ["the film was long", "the plot was long and the film", "and the plot was the film", "the long film and the plot",
          "the film and the plot was long", "was the plot long"]


def planted_reviews() -> tuple[list[str], list[int]]:
    """Reviews of one decisive sentence (great… or awful…) and filler sentences of only neutral words."""
    reviews, labels = [], []
    for k in range(12):
        positive = k % 2 == 0
        word, other = ("great", "film") if positive else ("awful", "plot")
        decisive = " ".join([word] * (4 + k % 3) + [other])
        filler = ". ".join(FILLER[(k + j) % len(FILLER)] for j in range(3))
        reviews.append(f"{decisive}. {filler}.<br /><br />{FILLER[k % len(FILLER)]}!")
        labels.append(int(positive))
    return reviews, labels


def planted_classifier(folder: Path, max_length: int | None = None, head_bias: float = 0.0) -> Classifier:
    """One SimpleRNN unit: "great" writes +3, "awful" −3, every other word 0; h(t) = tanh(x + 0.5·h(t−1)), so a
    sentence at the start fades by about half a word; the logit is 10·h + ``head_bias``."""
    from rnnplay.store import atomic_model_dir, write_model

    embedding = np.zeros((len(PLANTED_VOCAB), 1), dtype=np.float32)
    embedding[PLANTED_VOCAB.index("great")] = 3.0
    embedding[PLANTED_VOCAB.index("awful")] = -3.0
    arrays = {"embedding": embedding,
              "recurrent/0/forward/kernel": np.ones((1, 1), np.float32),
              "recurrent/0/forward/recurrent_kernel": np.full((1, 1), 0.5, np.float32),
              "recurrent/0/forward/bias": np.zeros(1, np.float32),
              "dense/0/kernel": np.full((1, 1), 10.0, np.float32),
              "dense/0/bias": np.full(1, head_bias, np.float32)}
    card = {"name": folder.name, "kind": "classifier", "format": 1,
            "architecture": {"vocab_size": len(PLANTED_VOCAB), "embedding_dim": 1, "cell": "rnn", "units": 1, "layers": 1,
                             "bidirectional": False, "head": [{"units": 1, "activation": "linear"}], "output": "logit"},
            "text": {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": max_length,
                     "truncate": "end"}}
    with atomic_model_dir(folder) as scratch:
        write_model(scratch, card, arrays, PLANTED_VOCAB)
    return Classifier.load(folder)


def rendered(result) -> str:
    from rich.console import Console

    from rnnplay.memory_view import memory_view

    console = Console(width=100, color_system=None)
    with console.capture() as captured:
        for part in memory_view(result):
            console.print(part)
    return captured.get()


def test_a_planted_memory_that_fades_forgets_the_start_but_not_the_end(tmp_path: Path) -> None:
    """A head bias of −0.1: the filler alone reads P = 0.475 (neutral by the criterion), so once a sentence at the
    start has faded the verdict is negative whatever it said: half the samples (the positive ones) no longer follow."""
    classifier = planted_classifier(tmp_path / "planted", head_bias=-0.1)
    reviews, labels = planted_reviews()
    result = probe(classifier, reviews, labels, samples=20, distances=(0, 25, 50), seed=3)
    assert len(result.decisive) >= 2 and {s.label for s in result.decisive} == {0, 1}
    for position in ("start", "end"):
        assert result.cell(position, 0).follows == 1.0 and result.cell(position, 0).mean_probability > 0.99
    for distance in (25, 50):
        start, end = result.cell("start", distance), result.cell("end", distance)
        assert start.follows == pytest.approx(0.5)  # only the negative sentences' verdict survives
        assert start.mean_probability == pytest.approx(0.5, abs=0.03)  # P(its verdict) is 0.475 or 0.525
        assert end.follows == 1.0 and end.mean_probability > 0.99
        assert start.cut == end.cut == 0 and start.read == 20
    for check in result.filler:
        assert check.mean == pytest.approx(1 / (1 + np.exp(0.1)), abs=1e-6) and check.within_band == 1.0


def test_a_sentence_that_truncation_cut_off_is_counted_apart_not_as_forgotten(tmp_path: Path) -> None:
    """max_length 30, keeping the end: behind 50 filler tokens a sentence at the start is never read."""
    classifier = planted_classifier(tmp_path / "short", max_length=30)
    reviews, labels = planted_reviews()
    result = probe(classifier, reviews, labels, samples=10, distances=(0, 20, 50), seed=0)
    cut = result.cell("start", 50)
    assert cut.read == 0 and cut.cut == 10 and np.isnan(cut.follows)
    assert result.cell("end", 50).read == 10  # at the end it is always in the last 30 tokens
    assert 30 - 7 <= result.cell("end", 50).filler_read <= 30 - 5  # but only 30 − n of the filler is read
    assert result.cell("start", 50).filler_read == 30 and result.cell("start", 20).filler_read == 20
    partly = result.cell("start", 20)  # 5–7 sentence tokens + 20 filler: some fit in 30, none are cut here
    assert partly.cut == 0
    text = rendered(result)
    assert "cut" in text and "forgotten by construction" in text and "never" in text


def test_the_same_seed_gives_the_same_figures_and_another_seed_other_samples(tmp_path: Path) -> None:
    classifier = planted_classifier(tmp_path / "seeded", head_bias=-0.1)
    reviews, labels = planted_reviews()
    run = lambda seed: probe(classifier, reviews, labels, samples=15, distances=(0, 3, 8), seed=seed).to_json()
    first, again, other = run(7), run(7), run(8)
    for record in (first, again, other):
        record.pop("seconds")
    assert first == again
    assert first["examples"] != other["examples"] or first["cells"] != other["cells"]


def test_the_filler_is_neutral_by_the_models_own_measure(shipped_classifier) -> None:
    """Every filler sentence is scored again on its own: within the band of 0.5; every decisive sentence is confident
    and agrees with its review's label."""
    from rnnplay.mistakes import held_out_split

    test = held_out_split(shipped_classifier.card)
    rng = np.random.default_rng(0)
    pool, filler, scanned = gather(shipped_classifier, test.texts, test.labels.tolist(), 10, rng, None, lambda: False)
    assert len(filler) >= 100 and scanned <= len(test.texts)
    again = shipped_classifier.predict_ids([shipped_classifier.encoder.ids(s.tokens) for s in filler])
    assert np.all(np.abs(again - 0.5) <= NEUTRAL_BAND)
    assert again == pytest.approx([s.probability for s in filler])
    assert len(pool) == 20 and sum(s.label for s in pool) == 10
    for sentence in pool:
        assert max(sentence.probability, 1 - sentence.probability) >= CONFIDENT
        assert test.labels[sentence.review] == sentence.label


def test_filler_never_comes_from_the_decisive_sentences_own_review() -> None:
    from rnnplay.memory_probe import Sentence, filler_stream

    pool = [Sentence(("a", "b", "c", "d", "e"), 1, 0.5), Sentence(("x", "y", "z", "w", "v"), 2, 0.5)]
    stream = filler_stream(pool, 1, 200, np.random.default_rng(0))
    assert len(stream) >= 200 and set(stream) == set("xyzwv")


def test_a_bad_request_is_one_line(tmp_path: Path) -> None:
    from rnnplay.errors import RnnplayError

    classifier = planted_classifier(tmp_path / "bad")
    reviews, labels = planted_reviews()
    with pytest.raises(RnnplayError, match="samples"):
        probe(classifier, reviews, labels, samples=0)
    with pytest.raises(RnnplayError, match="no sentence"):
        probe(classifier, ["the film was long. the plot was long."] * 3, [1, 0, 1], samples=2)


def test_a_stop_request_ends_the_probe(tmp_path: Path) -> None:
    from rnnplay.errors import Cancelled

    classifier = planted_classifier(tmp_path / "stopped")
    reviews, labels = planted_reviews()
    with pytest.raises(Cancelled):
        probe(classifier, reviews, labels, samples=4, cancelled=lambda: True)
