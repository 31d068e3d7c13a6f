"""rnnplay's speed and quality figures, measured on this machine, printed as one table.

    python benchmarks/run.py              # everything but the tutorial preset (~7 minutes)
    python benchmarks/run.py --quick      # no training: runtime figures on the shipped models only
    python benchmarks/run.py --tutorial   # also train the tutorial's exact model (~25 minutes)

Targets (issue 2): default preset ≥ 0.89 held-out accuracy within 90 s of training; NumPy single
text ≤ 1 ms at 200 words; NumPy batch throughput ≥ Keras predict; classify start-up ≤ 0.5 s and
≤ 150 MB peak memory. Word vectors (issue 3, ``benchmarks/cbow.py``): our CBOW within 1.5× of
gensim's 2-worker wall time at equal quality; a neighbour query ≤ 1 ms. TUI and REPL (issues 4 and 5,
``benchmarks/interactive.py``): the Play tab's model work ≤ 5 ms for 100 words; TUI cold start
≤ 1.5 s; REPL start-up ≤ 0.7 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cbow
import interactive
import numpy as np
from common import best_of, print_table, row

from rnnplay.config import preset
from rnnplay.corpora import load_corpus, split
from rnnplay.runtime.classifier import Classifier
from rnnplay.store import SHIPPED_DIR


def train(preset_name: str) -> None:
    from rnnplay.store import read_card
    from rnnplay.training.classifier import train_classifier

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        path = train_classifier(preset(preset_name), "imdb", Path(folder) / preset_name)
        total = time.perf_counter() - start
        card = read_card(path)
    training = card.section("training")
    row(f"train {preset_name}: fit wall time (all epochs)", f"{training['seconds']:.1f} s",
        f"end to end {total:.0f} s incl. tokenizing, TF start, evaluation")
    row(f"train {preset_name}: held-out accuracy (imdb test, 5,000)", f"{card.held_out_accuracy:.4f}",
        f"best epoch {training['best_epoch']} of {len(training['history'])}")


def words(n: int) -> str:
    vocab = ["the", "film", "was", "a", "wonderful", "surprise", "but", "the", "plot", "felt", "slow", "and", "the", "ending", "awful", "great", "acting", "from", "everyone", "though"]
    return " ".join(vocab[i % len(vocab)] for i in range(n))


def latency_and_throughput(model_dir: Path) -> None:
    """NumPy first, before TensorFlow is imported: TF's idle thread pools would slow NumPy down."""
    classifier = Classifier.load(model_dir)
    inputs = {n: classifier.encoder.encode(words(n)) for n in (10, 200)}
    numpy_single = {n: best_of(lambda ids=ids: classifier.predict_ids([ids]), 200) for n, ids in inputs.items()}
    test = split(load_corpus("imdb"), classifier.card.section("training")["split_seed"]).test
    sequences = [classifier.encoder.encode(t) for t in test.texts]
    ours = classifier.predict_ids(sequences)
    numpy_rate = len(sequences) / best_of(lambda: classifier.predict_ids(sequences), 3)

    from rnnplay.training import tensorflow_modules

    tf, keras = tensorflow_modules()
    full = keras.saving.load_model(model_dir / "model.keras", safe_mode=True)
    on_ids = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), *full.layers[1:]])
    signature = tf.function(lambda x: on_ids(x, training=False), input_signature=[tf.TensorSpec((None, None), tf.int32)])
    for n, ids in inputs.items():
        batch = ids[None, :].astype(np.int32)
        predict_s = best_of(lambda batch=batch: on_ids.predict(batch, verbose=0), 20)
        tf_s = best_of(lambda batch=batch: signature(tf.constant(batch)), 50)
        row(f"single text, {n} words: NumPy runtime", f"{numpy_single[n] * 1e3:.3f} ms")
        row(f"single text, {n} words: Keras model.predict", f"{predict_s * 1e3:.3f} ms")
        row(f"single text, {n} words: tf.function call", f"{tf_s * 1e3:.3f} ms")
    width = max(len(s) for s in sequences)
    padded = np.zeros((len(sequences), width), dtype=np.int32)
    for i, s in enumerate(sequences):
        padded[i, : len(s)] = s
    logits = on_ids.predict(padded, verbose=0, batch_size=256)[:, 0]
    keras_rate = len(sequences) / best_of(lambda: on_ids.predict(padded, verbose=0, batch_size=256), 3)
    diff = np.max(np.abs(ours - 1 / (1 + np.exp(-logits.astype(np.float64)))))
    row("batch, 5,000 held-out reviews: NumPy runtime", f"{numpy_rate:,.0f} rev/s", f"max |ΔP| vs Keras {diff:.1e}")
    row("batch, 5,000 held-out reviews: Keras predict", f"{keras_rate:,.0f} rev/s", "batch 256")


def child(code: list[str], stdin: bytes = b"") -> tuple[float, float]:
    """Wall seconds (median of 5) and peak RSS (MB) of a command, each run from a fresh parent."""
    with tempfile.NamedTemporaryFile() as feed:
        feed.write(stdin)
        feed.flush()
        probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                 f"subprocess.run({code!r}, stdin=open({feed.name!r}, 'rb'), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                 "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
        runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split() for _ in range(5)]
    return statistics.median(float(r[0]) for r in runs), max(float(r[1]) for r in runs)


def startup() -> None:
    rnnplay = str(Path(sys.executable).with_name("rnnplay"))
    seconds, mb = child([rnnplay, "classify", "-"], b"a moving, beautifully acted film\n")
    row("rnnplay classify (one line): start to exit", f"{seconds:.3f} s", f"peak {mb:.0f} MB")
    lines = b"a moving, beautifully acted film that I will not forget\n" * 100_000
    seconds, mb = child([rnnplay, "classify", "-"], lines)
    row("rnnplay classify, 100,000 lines from a pipe", f"{100_000 / seconds:,.0f} lines/s", f"peak {mb:.0f} MB (bounded batches)")
    seconds, mb = child([rnnplay, "--help"])
    row("rnnplay --help", f"{seconds:.3f} s", f"peak {mb:.0f} MB")
    seconds, mb = child([sys.executable, "-c", "import tensorflow"])
    row('python -c "import tensorflow"', f"{seconds:.3f} s", f"peak {mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip training")
    parser.add_argument("--tutorial", action="store_true", help="also train the tutorial preset (slow)")
    args = parser.parse_args()
    print("rnnplay benchmarks (2 CPU cores, no GPU)")
    startup()
    cbow.queries(SHIPPED_DIR / "imdb-cbow")
    interactive.figures()
    latency_and_throughput(SHIPPED_DIR / "imdb-bilstm")
    if not args.quick:
        train("default")  # first: in a process that has trained CBOW, the same fit took 50 s, not 35
        cbow.against_gensim()
        cbow.init_embeddings(SHIPPED_DIR / "imdb-cbow")
    if args.tutorial:
        train("tutorial")
    print_table()


if __name__ == "__main__":
    main()
