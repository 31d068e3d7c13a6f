"""How often a sentence cut from an IMDB review disagrees with the review's label (issue 15).

    python benchmarks/sentence_noise.py      # ~20 s; writes benchmarks/results/sentence_noise.json

``--cut-sentences`` (``rnnplay.training.classifier.cut_sentences``) labels each sentence with its whole
review's label. A sentence of a mixed review ("the acting is superb, but ...") can say the opposite, or
nothing ("I saw it on Tuesday."). This measures how often, without a hand-labelled sample:

A judge trained only on Rotten Tomatoes sentences (TF-IDF word 1–2-grams + logistic regression, as in
``baselines.py``; RT's training split) has accuracy ``a`` on RT's held-out sentences. On sentences cut
from IMDB's *validation* reviews (never trained on by anything here), it agrees with the inherited label
a fraction ``g`` of the time. If the judge erred on them as often as on RT, and independently of which
labels are wrong, then ``g = a(1 − η) + (1 − a)η``, so the label noise is ``η = (a − g) / (2a − 1)``.
The judge reads IMDB sentences less well than RT ones (another domain), which lowers ``g`` too: η is
an upper estimate. The judge's own confidence gives a second look: the share of cut sentences it puts
near 0.5 (|P − 0.5| < 0.1), against the same share on RT's sentences.
"""

from __future__ import annotations

import json

import numpy as np
from baselines import tfidf_logreg
from common import ROOT

from rnnplay.corpora import load_corpus, split
from rnnplay.text import TextSettings
from rnnplay.training.classifier import cut_sentences

SEED = 0
PER_REVIEW = 2  # what the search's "cut" rows used


def main() -> None:
    rt, imdb = split(load_corpus("rt"), SEED), split(load_corpus("imdb"), SEED)
    judge = tfidf_logreg(rt.train.texts, rt.train.labels, probabilities=True)
    rt_p = judge(rt.test.texts)
    a = float(((rt_p >= 0.5) == (rt.test.labels == 1)).mean())
    cut = cut_sentences(imdb.validation, TextSettings(strip_markup=True), PER_REVIEW, SEED)
    cut_p = judge(cut.texts)
    g = float(((cut_p >= 0.5) == (cut.labels == 1)).mean())
    noise = (a - g) / (2 * a - 1)
    result = {
        "reviews": len(imdb.validation), "sentences": len(cut), "judge_accuracy_on_rt_test": round(a, 4),
        "agreement_with_review_label": round(g, 4), "estimated_label_noise": round(noise, 4),
        "unsure_share_cut": round(float((np.abs(cut_p - 0.5) < 0.1).mean()), 4),
        "unsure_share_rt": round(float((np.abs(rt_p - 0.5) < 0.1).mean()), 4),
    }
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "sentence_noise.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"{result['sentences']:,} sentences cut from {result['reviews']:,} IMDB validation reviews")
    print(f"judge (TF-IDF + LR on RT sentences): {a:.3f} on RT's held-out sentences")
    print(f"agrees with the inherited review label on {g:.3f} of the cut sentences")
    print(f"estimated label noise η = (a − g) / (2a − 1) = {noise:.3f} (an upper estimate: the judge reads IMDB less well)")
    print(f"judge unsure (|P − 0.5| < 0.1): {result['unsure_share_cut']:.3f} of cut sentences, {result['unsure_share_rt']:.3f} of RT's")


if __name__ == "__main__":
    main()
