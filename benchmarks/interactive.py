"""What the interactive front ends feel like: the Play tab's model work per keystroke, and start-up.

    python benchmarks/interactive.py

Targets (issues 4 and 5): keystroke to updated Play screen, the model work ≤ 5 ms for a 100-word
text; the Inside tab's (states, gates and the gradient through time) ≤ 10 ms for 100 words (issue 12); ``rnnplay tui`` cold start to the first interactive screen ≤ 1.5 s; ``rnnplay repl``
start-up ≤ 0.7 s; neither imports TensorFlow.

Stream vs re-read (issue 12, the Inside tab): a prediction after every word on each shipped
classifier at 10, 100 and 300 words — streamed by the one-directional imdb-lstm, re-read by the
imdb-bilstm — beside one pass over the whole text, with the recurrent steps each takes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from common import best_of, print_table, row

from rnnplay.inside_report import look_inside
from rnnplay.model_profile import model_profile
from rnnplay.runtime.classifier import Classifier, Network
from rnnplay.runtime.explain import explain, explain_ids, variants_batched
from rnnplay.runtime.inside import trace, trace_ids
from rnnplay.runtime.streaming import every_word, formula, measure, steps_every_word
from rnnplay.runtime.through_time import connectivity
from rnnplay.store import SHIPPED_DIR

REVIEW = ["i", "went", "in", "expecting", "a", "dull", "remake", "but", "the", "film", "was", "a", "wonderful", "surprise", "the", "acting", "is", "warm", "and", "funny", "the", "plot", "moves", "fast", "and", "even", "the", "awful", "villain", "has", "a", "moment", "of", "real", "charm"]


def review(n: int) -> str:
    return " ".join(REVIEW[i % len(REVIEW)] for i in range(n))


def like(classifier: Classifier, bidirectional: bool, cell: str = "lstm") -> Network:
    """A network of the shipped model's size with random weights (timing does not depend on the weights)."""
    return Network.random(replace(classifier.card.classifier, bidirectional=bidirectional, cell=cell), scale=0.1)


def play_model_work(model_dir: Path) -> None:
    classifier = Classifier.load(model_dir)
    for n in (10, 100, 300):
        text = review(n)
        seconds = best_of(lambda text=text: explain(classifier, text), 50 if n < 300 else 20)
        note = "target ≤ 5 ms" if n == 100 else ""
        row(f"Play model work, {n} words: explain() on {classifier.name}", f"{seconds * 1e3:.2f} ms", note)
    before, text = explain(classifier, review(100)[:-3]), review(100)  # a keystroke at the end of the text
    seconds = best_of(lambda: explain(classifier, text, previous=before), 50)
    row("  the same, as typed: one keystroke later (explain(previous=…))", f"{seconds * 1e3:.2f} ms", "the earlier words' prefix trace is reused")
    ids = classifier.encoder.encode(review(100))
    seconds = best_of(lambda: variants_batched(classifier.network, ids, np.array([])), 20)
    row("  the same, 100 words, every variant run in full", f"{seconds * 1e3:.2f} ms", "what explain() avoids")
    seconds = best_of(lambda: classifier.predict_ids([ids]), 100)
    row("  the prediction alone, 100 words", f"{seconds * 1e3:.2f} ms")
    for label, network in (("LSTM 32 one-directional", like(classifier, False)), ("Bi-GRU 32", like(classifier, True, "gru"))):
        seconds = best_of(lambda network=network: explain_ids(network, ids), 50)
        row(f"  explain, 100 words, {label} (random weights)", f"{seconds * 1e3:.2f} ms",
            "prefix trace from one pass" if "one-directional" in label else "")


def stream_vs_reread(model_dirs: list[Path]) -> None:
    """A prediction after every word, the way each model must (stream or re-read), against one pass."""
    for model_dir in model_dirs:
        classifier = Classifier.load(model_dir)
        network = classifier.network
        layers, directions = len(network.layers), network.layers[0].directions
        way = "streamed" if directions == 1 else "re-read"
        for n in (10, 100, 300):
            ids = classifier.encoder.encode(review(n))
            assert len(ids) == n
            every = best_of(lambda ids=ids, network=network: every_word(network, ids), 20 if n < 300 else 10)
            whole = best_of(lambda ids=ids, network=network: network.logits([ids]), 50)
            steps = steps_every_word(n, directions, layers)
            row(f"Stream vs re-read, {n} words: {classifier.name}, every word {way}", f"{every * 1e3:.2f} ms",
                f"{steps:,} steps ({formula(directions, layers)}), {every / whole:.1f}× one pass")
            row(f"  one pass over the {n} words ({directions * layers * n:,} steps)", f"{whole * 1e3:.2f} ms")
        text = review(100)
        seconds = best_of(lambda text=text, classifier=classifier: measure(classifier, text), 5)
        row(f"  measure() on {classifier.name}, 100 words (3 repeats of each)", f"{seconds * 1e3:.2f} ms", "what the Inside view runs")


def inside_model_work(model_dir: Path) -> None:
    """The Inside tab's work per keystroke: every gate of every step recorded, then the gradient through time."""
    classifier = Classifier.load(model_dir)
    for n in (10, 100, 300):
        text = review(n)
        seconds = best_of(lambda text=text: connectivity(classifier.network, trace(classifier, text)), 50 if n < 300 else 20)
        row(f"Inside model work, {n} words: states + BPTT on {classifier.name}", f"{seconds * 1e3:.2f} ms", "target ≤ 10 ms" if n == 100 else "")
    text = review(100)
    seconds = best_of(lambda: trace(classifier, text), 50)
    row("  the states and gates alone, 100 words (textbook cells)", f"{seconds * 1e3:.2f} ms")
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        profile = model_profile(classifier, folder=Path(scratch))
        row(f"  {classifier.name}'s corpus profile, computed (views 2–4; then cached)", f"{time.perf_counter() - started:.1f} s",
            "target ≤ 30 s")
    seconds = best_of(lambda: look_inside(classifier, text, profile), 20)
    row("  the Inside tab's keystroke, 100 words: + leave-one-out shares + the path on the axis", f"{seconds * 1e3:.2f} ms",
        "look_inside(), in a worker thread")
    for label, network in (("LSTM 32 one-directional", like(classifier, False)), ("Bi-GRU 32", like(classifier, True, "gru")),
                           ("Bi-SimpleRNN 32", like(classifier, True, "rnn"))):
        ids = classifier.encoder.encode(text)
        seconds = best_of(lambda network=network, ids=ids: connectivity(network, trace_ids(network, ids)), 50)
        row(f"  states + BPTT, 100 words, {label} (random weights)", f"{seconds * 1e3:.2f} ms")


# The app, headless, reporting when its first screen is up (ready for keys) and when the start models
# are loaded (the Play tab answers); perf_counter is CLOCK_MONOTONIC, shared with the parent process.
TUI_PROBE = """
import sys, time
from rnnplay.tui.app import RnnplayApp

class Probe(RnnplayApp):
    def on_ready(self):
        self.ready_at = time.perf_counter()
        self.set_interval(0.002, self.check)

    def check(self):
        if self.classifier is not None and self.vectors is not None:
            print(self.ready_at, time.perf_counter(), "tensorflow" in sys.modules)
            self.exit()

Probe().run(headless=True)
"""


def tui_start(repeats: int = 5) -> None:
    ready, loaded = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", TUI_PROBE], capture_output=True, text=True, check=True).stdout.split()
        ready.append(float(out[0]) - start)
        loaded.append(float(out[1]) - start)
        if out[2] != "False":
            raise SystemExit("the TUI imported TensorFlow at start-up")
    median = lambda values: sorted(values)[len(values) // 2]
    row("rnnplay tui: start to first screen (ready for keys)", f"{median(ready):.3f} s", "target ≤ 1.5 s; no TensorFlow")
    row("rnnplay tui: start to both shipped models loaded", f"{median(loaded):.3f} s", "Play answers from here on")


def repl_start(repeats: int = 5) -> None:
    rnnplay = str(Path(sys.executable).with_name("rnnplay"))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([rnnplay, "repl"], input=b"a wonderful film\n", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    row("rnnplay repl: start, classify one piped line, exit", f"{sorted(times)[repeats // 2]:.3f} s", "target ≤ 0.7 s")


def figures() -> None:
    """Every row of this file (``benchmarks/run.py`` calls this too)."""
    tui_start()
    repl_start()
    play_model_work(SHIPPED_DIR / "imdb-bilstm")
    stream_vs_reread([SHIPPED_DIR / "imdb-bilstm", SHIPPED_DIR / "imdb-lstm"])
    inside_model_work(SHIPPED_DIR / "imdb-bilstm")


def main() -> None:
    print("rnnplay interactive benchmarks (2 CPU cores, no GPU)")
    figures()
    print_table()


if __name__ == "__main__":
    main()
