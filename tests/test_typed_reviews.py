"""The hand-written typed test set: it loads as a user corpus, is balanced and short, and its card's counts are true."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = ROOT / "corpora" / "typed-reviews.md"


def _typed_module():
    spec = importlib.util.spec_from_file_location("benchmarks_typed", ROOT / "benchmarks" / "typed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


typed = _typed_module()


def test_loads_through_the_corpus_reader_balanced_and_unique() -> None:
    corpus = typed.load_typed()
    assert len(corpus) >= 160
    assert int(corpus.labels.sum()) * 2 == len(corpus)
    assert len({t.strip().lower() for t in corpus.texts}) == len(corpus)


def test_every_line_is_3_to_20_words() -> None:
    lengths = {text: len(text.split()) for text in typed.load_typed().texts}
    assert {t: n for t, n in lengths.items() if not 3 <= n <= 20} == {}


def test_the_issue_examples_are_in_it() -> None:
    texts = set(typed.load_typed().texts)
    for example in ("terrible performances all around, especially the lead", "not bad at all",
                    "i was not disappointed", "far better than i expected", "i cannot recommend it at all"):
        assert example in texts


def test_the_note_states_the_computed_counts() -> None:
    c = typed.counts(typed.load_typed())
    note = NOTE.read_text(encoding="utf-8")
    stated = {key: int(value) for key, value in re.findall(r"^- ([a-z ]+): (\d+)$", note, flags=re.M)}
    assert stated == {"texts": c.texts, "positive": c.positive, "negative": c.negative,
                      "with a negation word": c.with_negation, "with a contrast word": c.with_contrast}


def test_negation_and_contrast_words_are_counted_as_whole_words() -> None:
    assert typed.words("I can't say it's NOT good, but...") == ["i", "can't", "say", "it's", "not", "good", "but"]
    corpus = typed.Corpus("t", ["not bad", "butter is nice", "good, but long"], typed.np.asarray([1, 1, 0], dtype="int8"))
    assert typed.counts(corpus) == typed.Counts(3, 2, 1, with_negation=1, with_contrast=1)
