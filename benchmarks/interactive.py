"""What the interactive front ends feel like: the Play tab's model work per keystroke, and start-up.

    python benchmarks/interactive.py

Targets (issues 4 and 5): keystroke to updated Play screen, the model work ≤ 5 ms for a 100-word
text; ``rnnplay tui`` cold start to the first interactive screen ≤ 1.5 s; ``rnnplay repl``
start-up ≤ 0.7 s; neither imports TensorFlow.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from common import best_of, print_table, row  # noqa: I001  (benchmarks/ is on sys.path when run as a script)

from rnnplay.runtime.classifier import Classifier, Network  # noqa: E402
from rnnplay.runtime.explain import explain  # noqa: E402
from rnnplay.store import SHIPPED_DIR  # noqa: E402

REVIEW = ("i went in expecting a dull remake but the film was a wonderful surprise the acting is warm and "
          "funny the plot moves fast and even the awful villain has a moment of real charm").split()


def review(n: int) -> str:
    return " ".join(REVIEW[i % len(REVIEW)] for i in range(n))


def one_by_one(network: Network, ids: np.ndarray) -> None:
    """What explain replaces: every variant (without word i, up to word j) batched through the network."""
    n = len(ids)
    network.probabilities([ids] + [np.delete(ids, i) for i in range(n)] + [ids[:j] for j in range(n - 1, 0, -1)])


def like(classifier: Classifier, bidirectional: bool, cell: str = "lstm") -> Network:
    """A network of the shipped model's size with random weights (timing does not depend on the weights)."""
    architecture = dict(classifier.card["architecture"], bidirectional=bidirectional, cell=cell)
    rng = np.random.default_rng(0)
    arrays = {}
    for key, value in classifier.stored.arrays.items():
        if key.startswith("recurrent/") and "/backward/" in key and not bidirectional:
            continue
        if cell != "lstm" and key.startswith("recurrent/"):
            continue
        arrays[key] = value
    if cell != "lstm":
        from rnnplay.runtime.recurrent import GATES

        units, dim, gates = architecture["units"], architecture["embedding_dim"], GATES[cell] * architecture["units"]
        for d in ("forward", "backward")[: 2 if bidirectional else 1]:
            arrays[f"recurrent/0/{d}/kernel"] = rng.normal(0, 0.1, (dim, gates)).astype(np.float32)
            arrays[f"recurrent/0/{d}/recurrent_kernel"] = rng.normal(0, 0.1, (units, gates)).astype(np.float32)
            arrays[f"recurrent/0/{d}/bias"] = np.zeros((2, gates) if cell == "gru" else gates, np.float32)
    if not bidirectional:
        kernel = arrays["dense/0/kernel"]
        arrays["dense/0/kernel"] = kernel[: kernel.shape[0] // 2]
    return Network.from_arrays(architecture, arrays)


def play_model_work(model_dir: Path) -> None:
    classifier = Classifier.load(model_dir)
    for n in (10, 100, 300):
        text = review(n)
        seconds = best_of(lambda: explain(classifier, text), 50 if n < 300 else 20)
        note = "target ≤ 5 ms" if n == 100 else ""
        row(f"Play model work, {n} words: explain() on {classifier.name}", f"{seconds * 1e3:.2f} ms", note)
    before, text = explain(classifier, review(100)[:-3]), review(100)  # a keystroke at the end of the text
    seconds = best_of(lambda: explain(classifier, text, previous=before), 50)
    row("  the same, as typed: one keystroke later (explain(previous=…))", f"{seconds * 1e3:.2f} ms", "the earlier words' prefix trace is reused")
    ids = classifier.encoder.encode(review(100))
    seconds = best_of(lambda: one_by_one(classifier.network, ids), 20)
    row("  the same, 100 words, every variant run in full", f"{seconds * 1e3:.2f} ms", "what explain() avoids")
    seconds = best_of(lambda: classifier.predict_ids([ids]), 100)
    row("  the prediction alone, 100 words", f"{seconds * 1e3:.2f} ms")
    for label, network in (("LSTM 32 one-directional", like(classifier, False)), ("Bi-GRU 32", like(classifier, True, "gru"))):
        seconds = best_of(lambda: network.explain(ids), 50)
        row(f"  explain, 100 words, {label} (random weights)", f"{seconds * 1e3:.2f} ms",
            "prefix trace from one pass" if "one-directional" in label else "")


def child_seconds(code: str, stdin: bytes = b"", repeats: int = 5) -> float:
    """Median wall seconds of ``python -c code`` from spawn to exit."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> None:
    print("rnnplay interactive benchmarks (2 CPU cores, no GPU)")
    play_model_work(SHIPPED_DIR / "imdb-bilstm")
    print_table()


if __name__ == "__main__":
    main()
