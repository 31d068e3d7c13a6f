"""The search for the `default` preset (issue 15): every run in one table, greedy, one change at a time.

    python benchmarks/default_search.py              # every row not yet measured, then the table
    python benchmarks/default_search.py --only NAME  # one row (measured again if it was)
    python benchmarks/default_search.py --table      # the table of what is measured, nothing trained

Each row is its parent row with one change (``ROWS``: name, parent, change, why). Parents were chosen
greedily as the rows came in: the best so far on the VALIDATION splits (IMDB's and RT's, averaged), never
on a test split and never on the typed set, which is reported for every row and used for nothing.

A row trains with ``rnnplay.training.classifier.train_classifier`` (the command ``rnnplay train`` runs)
into a scratch models folder, then scores the saved model with the NumPy runtime on IMDB's and RT's
validation and test splits (``rnnplay.corpora.split``, seed 0, each source on its own: the splits of
``imdb``, ``rt`` and ``reviews`` are the same texts) and on corpora/typed-reviews.csv. Seconds are the
card's training seconds (``model.fit``, every epoch and validation pass) on the machine as it was: the
2-core machine was shared with other jobs during this search, so they are upper bounds; re-measure a
row quietly with ``--only``.

Results go to benchmarks/results/default_search.json (one record a row) and default_search.md.
The cut-sentence label noise is measured by ``benchmarks/sentence_noise.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from common import ROOT
from typed import load_typed

from rnnplay.config import ClassifierConfig
from rnnplay.corpora import Corpus, load_corpus, split

RESULTS = ROOT / "benchmarks" / "results"
SEED = 0
# CBOW starts, in saved/ or $SEARCH_VECTORS_DIR. CBOW: rnnplay cbow train --corpus reviews --dimension 64 --name reviews-cbow64
# (every text, the held-out ones too, unlabelled); CBOW_TRAIN: the same with --training-split 0 (the training split only)
CBOW = "reviews-cbow64"
CBOW_TRAIN = "reviews-cbow64-train"

# The shipped recipe before this search (the old `default` preset), trained on IMDB alone.
START = ClassifierConfig(cell="lstm", bidirectional=True, units=32, embedding_dim=64, vocab_size=10_000, max_length=300,
                         truncate="end", dense_units=64, dropout=0.5, batch_size=128, learning_rate=1e-3, epochs=3)

# name, parent, change (corpus and/or config fields), why it was tried
ROWS: list[tuple[str, str | None, dict[str, Any], str]] = [
    ("start", None, {"corpus": "imdb"}, "the old default preset (what saved/imdb-bilstm was)"),
    ("reviews", "start", {"corpus": "reviews"}, "train on IMDB and RT sentences together"),
    ("max", "reviews", {"pooling": "max"}, "max over every state instead of the last"),
    ("mean", "reviews", {"pooling": "mean"}, "mean over every state instead of the last"),
    ("bucket", "reviews", {"bucket": True}, "pad batches to their longest (RT sentences are short), for speed"),
    ("cbow", "reviews", {"init_embeddings": CBOW}, "embedding from CBOW vectors trained on both corpora"),
    ("cut1", "reviews", {"cut_sentences": 1}, "one sentence cut from each IMDB training review, with its label"),
    ("smooth", "reviews", {"label_smoothing": 0.1}, "label smoothing"),
    ("vocab20k", "reviews", {"vocab_size": 20_000}, "a larger vocabulary"),
    ("cosine", "reviews", {"schedule": "cosine"}, "learning rate falling to 0 over the run"),
    ("embdrop", "reviews", {"embedding_dropout": 0.2}, "dropout placement: also drop whole word vectors"),
    ("len200", "reviews", {"max_length": 200}, "shorter reviews: faster"),
    # round 2: from the best of round 1 on validation (vocab20k), bucketed so a run fits the 90-second budget
    ("v20b", "vocab20k", {"bucket": True}, "round 2's parent: vocab20k, bucketed (its padding made it 110 s)"),
    ("v20b-cut1", "v20b", {"cut_sentences": 1}, "round 1's best typed score, on the new parent"),
    ("v20b-cosine", "v20b", {"schedule": "cosine"}, "round 1's best IMDB score, on the new parent"),
    ("v20b-cbow", "v20b", {"init_embeddings": CBOW}, "embedding from CBOW vectors trained on both corpora"),
    ("v20b-max", "v20b", {"pooling": "max"}, "max pooling again, now bucketed (less padding to mask)"),
    ("v20b-ep5", "v20b", {"epochs": 5}, "more epochs, the best on validation kept"),
    ("v20b-u64", "v20b", {"units": 64}, "a wider recurrent layer"),
    ("v20b-len500", "v20b", {"max_length": 500}, "more of each long review"),
    # round 3: from the best of round 2 on validation (v20b-cbow)
    ("r3-cosine", "v20b-cbow", {"schedule": "cosine"}, "the schedule that helped in round 2, with CBOW's start"),
    ("r3-cosine-ep4", "r3-cosine", {"epochs": 4}, "a fourth epoch, now that the rate falls to 0"),
    ("r3-embdrop", "v20b-cbow", {"embedding_dropout": 0.2}, "keep the CBOW start from being overwritten by drop-outs of words"),
    ("r3-vocab30k", "v20b-cbow", {"vocab_size": 30_000}, "CBOW gives rarer words a meaningful start: keep more of them"),
    # the best of round 3 on validation, made honest: its CBOW start read only the training split
    ("r4-cbowtrain", "v20b-cbow", {"init_embeddings": CBOW_TRAIN}, "CBOW vectors that never read a held-out text"),
    ("r4-ep4", "r4-cbowtrain", {"epochs": 4}, "its best epoch was its last: one more"),
    ("r4-cosine-ep4", "r4-ep4", {"schedule": "cosine"}, "the rate falling to 0 over those four epochs"),
]


def config_of(name: str) -> tuple[str, ClassifierConfig]:
    """The corpus and config of a row: its parent's with its change applied."""
    rows = {r[0]: r for r in ROWS}
    _, parent, change, _ = rows[name]
    corpus, config = ("imdb", START) if parent is None else config_of(parent)
    change = dict(change)
    corpus = change.pop("corpus", corpus)
    return corpus, replace(config, **change)


def corpora() -> dict[str, tuple[Corpus, Corpus]]:
    """(validation, test) of each source, split as training splits it."""
    return {name: (s.validation, s.test) for name, s in ((n, split(load_corpus(n), SEED)) for n in ("imdb", "rt"))}


def measure(name: str, parts: dict[str, tuple[Corpus, Corpus]]) -> dict[str, Any]:
    from rnnplay.runtime.classifier import Classifier
    from rnnplay.training.classifier import train_classifier

    corpus, config = config_of(name)
    with tempfile.TemporaryDirectory() as scratch:
        models = Path(scratch)
        if config.init_embeddings:  # the vectors are read from the models folder, as `rnnplay train` reads them
            vectors = config.init_embeddings
            os.symlink(Path(os.environ.get("SEARCH_VECTORS_DIR", ROOT / "saved")) / vectors, models / vectors)
        path = train_classifier(config, corpus, models / name)
        classifier = Classifier.load(path)
        card = classifier.card
        scores: dict[str, Any] = {}
        for source, (validation, test) in parts.items():
            for part, data in (("validation", validation), ("test", test)):
                scores[f"{source}_{part}"] = round(float(((classifier.predict(data.texts) >= 0.5) == (data.labels == 1)).mean()), 4)
        typed = load_typed()
        scores["typed"] = round(float(((classifier.predict(typed.texts) >= 0.5) == (typed.labels == 1)).mean()), 4)
    return {"name": name, "corpus": corpus, "config": config.to_dict(), "seconds": card.number("training", "seconds"),
            "best_epoch": card.number("training", "best_epoch"), "load": os.getloadavg()[0], **scores,
            "choose": round((scores["imdb_validation"] + scores["rt_validation"]) / 2, 4)}


def load_results() -> dict[str, dict[str, Any]]:
    file = RESULTS / "default_search.json"
    return {r["name"]: r for r in json.loads(file.read_text())} if file.exists() else {}


def save_results(results: dict[str, dict[str, Any]]) -> None:
    RESULTS.mkdir(exist_ok=True)
    ordered = [results[r[0]] for r in ROWS if r[0] in results]
    (RESULTS / "default_search.json").write_text(json.dumps(ordered, indent=1) + "\n")
    (RESULTS / "default_search.md").write_text(table(results))


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| row | parent + change | IMDB held-out | RT held-out | typed | train s (load) | IMDB val | RT val | choose (val mean) | why |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, parent, change, why in ROWS:
        r = results.get(name)
        what = f"{parent or '—'} + {', '.join(f'{k}={v}' for k, v in change.items())}"
        if r is None:
            lines.append(f"| {name} | {what} | not run | | | | | | | {why} |")
            continue
        lines.append(f"| {name} | {what} | {r['imdb_test']:.4f} | {r['rt_test']:.4f} | {r['typed']:.4f} | "
                     f"{r['seconds']:.0f} ({r['load']:.1f}) | {r['imdb_validation']:.4f} | {r['rt_validation']:.4f} | {r['choose']:.4f} | {why} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="measure this row (again)")
    parser.add_argument("--table", action="store_true", help="print the table, train nothing")
    args = parser.parse_args()
    results = load_results()
    if not args.table:
        names = [args.only] if args.only else [r[0] for r in ROWS if r[0] not in results]
        parts = corpora()
        for name in names:
            row = measure(name, parts)
            results = {**load_results(), name: row}  # rows measured meanwhile by another run are kept
            save_results(results)
            print(json.dumps(row), flush=True)
    print(table(results))


if __name__ == "__main__":
    sys.exit(main())
