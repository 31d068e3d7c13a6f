"""The Inside views' corpus figures for a shipped classifier, computed afresh: what DESIGN.md and issue 12 quote.

    python benchmarks/inside_figures.py [imdb-bilstm|imdb-lstm]

The model's profile is computed in a temporary folder (never read from a cache), then: the share of the
gradient on the first half of 200 held-out reviews of 300 words, as the Gradient view gives it (pooled:
the share of the mean curve) and averaged review by review; the forget (update) gate against Keras'
initialisation; the principal components of the final state. Takes a few seconds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from common import print_table, row

from rnnplay.mistakes import held_out_split
from rnnplay.model_profile import model_profile
from rnnplay.runtime.classifier import Classifier
from rnnplay.runtime.profile import choose_reviews
from rnnplay.runtime.through_time import connectivity_batch
from rnnplay.store import SHIPPED_DIR


def figures(name: str = "imdb-bilstm") -> None:
    classifier = Classifier.load(SHIPPED_DIR / name)
    with tempfile.TemporaryDirectory() as scratch:
        found = model_profile(classifier, folder=Path(scratch)).profile
    row(f"{name}: profile computed (200 × 300 words for the gradient, 1,000 reviews for the axis)", f"{found.seconds:.1f} s")
    stats = found.connectivity
    if stats is not None:
        names = ("forward", "backward")[: len(stats.first_half)]
        shares = ", ".join(f"{n} {100 * v:.2f}%" for n, v in zip(names, stats.first_half))
        together = f", together {100 * stats.together:.2f}%" if len(names) == 2 else ""
        row(f"  gradient on the first half, pooled over {stats.reviews} reviews of {stats.length} words", shares + together)
        seqs = [classifier.encoder.encode(t) for t in held_out_split(classifier.card).texts]
        chosen, length = choose_reviews(seqs)
        columns = [*names, "together"] if len(names) == 2 else names
        each = np.array([[k.first_half_share(d) for d in range(len(names))] + ([k.first_half_share()] if len(names) == 2 else [])
                         for k in connectivity_batch(classifier.network, [seqs[i][:length] for i in chosen])])
        row("  the same, averaged review by review", ", ".join(f"{n} {100 * v:.2f}%" for n, v in zip(columns, each.mean(0))))
    for label, gate in (("trained", found.memory), ("at Keras' initialisation", found.memory_at_init)):
        if gate is not None:
            spans = [span.tau for span in gate.spans()]
            row(f"  {gate.gate} gate, {label}", f"mean {gate.mean:.4f}, saturated {100 * gate.saturated:.1f}%",
                f"spans {min(spans):.2f}–{max(spans):.2f} words")
    axis = found.axis
    if axis is not None:
        forward = f"; forward half PC1 {100 * axis.forward.explained[0]:.1f}%, r {axis.forward.r:.3f}" if axis.forward else ""
        row(f"  final state over {axis.reviews:,} reviews", f"PC1 {100 * axis.pca.explained[0]:.1f}%, PC2 {100 * axis.pca.explained[1]:.1f}%, "
            f"r(PC1, logit) {axis.pca.r:.3f}{forward}", f"readout {100 * axis.readout_in_plane:.0f}% in the plane")


if __name__ == "__main__":
    figures(*(sys.argv[1:2] or ["imdb-bilstm"]))
    print_table()
