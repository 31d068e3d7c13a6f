"""Word vectors: our CBOW against gensim's on the same tokens and settings, and what the vectors are for.

    python benchmarks/cbow.py            # queries, ours vs gensim, float16, classifier from CBOW (~4 min)
    python benchmarks/cbow.py --quick    # query latency on the shipped vectors only

Needs the ``benchmark`` extra (gensim): ``pip install -e '.[benchmark]'``. Both trainers get the
same token lists (our tokenizer), so the times compare training only (vocabulary building included,
library start-up not). Both are scored by the same evaluation code on gensim's own copies of
WordSim-353, SimLex-999 and questions-words.txt.

Target (issue 3): within 1.5× of gensim's 2-worker wall time at equal quality (Spearman and analogy
accuracy within 0.01); a neighbour query ≤ 1 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from common import best_of, print_table, row

from rnnplay.config import CbowConfig, preset
from rnnplay.corpora import load_texts
from rnnplay.runtime.vectors import Cbow, Vectors
from rnnplay.store import SHIPPED_DIR
from rnnplay.text import TextSettings
from rnnplay.vector_eval import evaluate_analogies, evaluate_pairs, read_analogies, read_pairs, reference_data

PROBES = ["good", "bad", "excellent", "awful", "boring", "funny", "actor", "actress", "director", "movie", "plot", "script", "ending", "music", "horror", "comedy", "love", "beautiful", "terrible", "character"]


def queries(path: Path) -> None:
    """Interactive figures on the shipped vectors (NumPy only; run before TensorFlow is imported)."""
    vectors = Vectors.load(path)
    row("neighbours (top 10 of 30k words, cosine)", f"{best_of(lambda: vectors.neighbours('excellent'), 200) * 1e3:.3f} ms")
    row("analogy actor − man + woman", f"{best_of(lambda: vectors.analogy('actor', 'man', 'woman'), 200) * 1e3:.3f} ms",
        vectors.analogy("actor", "man", "woman", k=1)[0][0])
    guess = "a complete waste of ___"
    row("guess the blank (softmax over 30k words)", f"{best_of(lambda: vectors.guess(guess), 200) * 1e3:.3f} ms",
        ", ".join(word for word, _ in vectors.guess(guess, k=3)))


def scores(vectors: Vectors) -> dict[str, float]:
    folder = reference_data()
    assert folder is not None, "install the benchmark extra (gensim): pip install -e '.[benchmark]'"
    return {
        "wordsim": evaluate_pairs(vectors, read_pairs(folder / "wordsim353.tsv")).spearman,
        "simlex": evaluate_pairs(vectors, read_pairs(folder / "simlex999.txt")).spearman,
        "analogy": evaluate_analogies(vectors, read_analogies(folder / "questions-words.txt")).accuracy,
    }


def neighbour_sets(vectors: Vectors) -> dict[str, set[str]]:
    return {word: {w for w, _ in vectors.neighbours(word)} for word in PROBES if word in vectors}


def overlap(a: dict[str, set[str]], b: dict[str, set[str]]) -> float:
    shared = a.keys() & b.keys()
    return float(np.mean([len(a[w] & b[w]) / 10 for w in shared]))


def against_gensim() -> None:
    import gensim
    from gensim.models import Word2Vec

    from rnnplay.training import tensorflow_modules
    from rnnplay.training.cbow import train_vectors

    config = CbowConfig()
    settings = TextSettings(strip_markup=config.strip_markup)
    start = time.perf_counter()
    tokens = [settings.tokens(text) for text in load_texts("imdb")]
    raw = sum(len(t) for t in tokens)
    row("imdb: read and tokenize 25,000 reviews", f"{time.perf_counter() - start:.1f} s", f"{raw:,} tokens")
    if "tensorflow" not in sys.modules:  # run.py has imported it already
        start = time.perf_counter()
        tensorflow_modules()
        row("import TensorFlow (ours only; not in the wall times)", f"{time.perf_counter() - start:.1f} s")

    def as_vectors(words: list[str], matrix: np.ndarray) -> Vectors:
        return Vectors(list(words), matrix, settings, "benchmark", "vectors")

    runs: dict[tuple[str, int, int], tuple[float, Vectors]] = {}  # (trainer, workers, seed) → (seconds, vectors)
    trained = {}
    for workers, seed in ((2, 0), (1, 0), (2, 1)):
        start = time.perf_counter()
        model = Word2Vec(tokens, vector_size=config.dimension, window=config.window, min_count=config.min_count,
                         sample=config.sample, negative=config.negative, epochs=config.epochs, alpha=config.alpha,
                         min_alpha=config.min_alpha, sg=0, cbow_mean=1, hs=0, workers=workers, seed=seed)
        runs["gensim", workers, seed] = (time.perf_counter() - start, as_vectors(model.wv.index_to_key, model.wv.vectors))
    for workers, seed in ((2, 0), (1, 0), (2, 1)):
        start = time.perf_counter()
        trained[workers, seed] = train_vectors(tokens, replace(config, workers=workers, seed=seed))
        runs["rnnplay", workers, seed] = (time.perf_counter() - start, as_vectors(trained[workers, seed].words, trained[workers, seed].input))

    baseline_seconds, baseline = runs["gensim", 2, 0]
    reference = neighbour_sets(baseline)
    for (trainer, workers, seed), (seconds, vectors) in runs.items():
        name = f"{trainer}{f' {gensim.__version__}' if trainer == 'gensim' else ''}, {workers} worker{'s' * (workers > 1)}, seed {seed}"
        s = scores(vectors)
        row(f"{name}: wall time", f"{seconds:.1f} s", f"{raw * config.epochs / seconds / 1e6:.2f} M words/s, "
            f"{seconds / baseline_seconds:.2f}× gensim 2 workers")
        row(f"{name}: WordSim-353 / SimLex-999 ρ, analogy",
            f"{s['wordsim']:.3f} / {s['simlex']:.3f}, {s['analogy']:.4f}",
            f"top-10 neighbour overlap with gensim seed 0: {overlap(neighbour_sets(vectors), reference):.2f}")

    ours = trained[2, 0]
    half = Cbow(ours.words, ours.input.astype(np.float16), ours.output.astype(np.float16), settings, "half", config.window)
    full, halved = scores(runs["rnnplay", 2, 0][1]), scores(half)
    row("float16 storage: largest change in any score", f"{max(abs(full[k] - halved[k]) for k in full):.1e}",
        f"top-10 overlap float16 vs float32 {overlap(neighbour_sets(half), neighbour_sets(runs['rnnplay', 2, 0][1])):.3f}")


def init_embeddings(vectors: Path) -> None:
    """The default classifier with a 100-d embedding, from random and from CBOW (held-out accuracy)."""
    from rnnplay.store import read_card
    from rnnplay.training.classifier import train_classifier

    base = replace(preset("default"), embedding_dim=100)
    with tempfile.TemporaryDirectory() as folder:
        for label, config in (("random", base), (vectors.name, replace(base, init_embeddings=str(vectors)))):
            card = read_card(train_classifier(config, "imdb", Path(folder) / label))
            row(f"default preset, 100-d embedding from {label}: held-out accuracy", f"{card.held_out_accuracy:.4f}",
                f"best epoch {card.section('training')['best_epoch']}, fit {card.number('training', 'seconds'):.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="query latency only (no training)")
    args = parser.parse_args()
    print("rnnplay word-vector benchmarks (2 CPU cores, no GPU)")
    queries(SHIPPED_DIR / "imdb-cbow")
    if not args.quick:
        against_gensim()
        init_embeddings(SHIPPED_DIR / "imdb-cbow")
    print_table()


if __name__ == "__main__":
    main()
