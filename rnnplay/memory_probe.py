"""How far back a trained classifier remembers, on real text: a decisive sentence at the start or at the end of filler.

The test (issue 13's "real text" task, run on a loaded classifier, no training): take short sentences from
the model's own held-out reviews that the model, reading them alone, classifies confidently and as their
review's label says (the *decisive* sentences, half positive, half negative); take other reviews' sentences
that the model scores near 0.5 alone (the *filler*, neutral by measurement, not by assumption); put a
decisive sentence at the START or at the END of L filler tokens and ask the model again. Over many
sentence × filler samples, per position × distance: how often the verdict still follows the decisive
sentence, and the mean probability the model gives that verdict.

A one-directional LSTM reads left to right, so a sentence at the start must survive L steps of filler; a
bidirectional one also reads right to left, so for it both ends are close to one of its final states.

Truncation is not memory: the classifier reads at most ``max_length`` tokens and drops the rest from the
start or the end (its card's ``truncate``). A decisive sentence that truncation cut off is forgotten by
construction; such samples are counted apart (``cut``) and never in the figures.

Deterministic for a seed: the reviews' order, the pools and every filler come from one generator.
NumPy only; the held-out split is rebuilt from the card as ``mistakes`` rebuilds it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.text import sentences

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier

POSITIONS = ("start", "end")
DISTANCES = (0, 25, 50, 100, 200, 400)  # filler tokens
DECISIVE_TOKENS = (4, 20)  # a decisive sentence is short: from 4 to 20 tokens
FILLER_TOKENS = (5, 40)
CONFIDENT = 0.95  # P(label) alone at least this: a decisive sentence
NEUTRAL_BAND = 0.1  # |P − 0.5| alone at most this: a filler sentence
FILLER_POOL = 400  # filler sentences gathered before sampling
REVIEW_CHUNK = 200  # reviews scored between two progress reports
MAX_SAMPLES = 2000


@dataclass(frozen=True)
class Sentence:
    """One sentence of a held-out review, as the model's tokens, with the model's P(positive) for it alone."""

    tokens: tuple[str, ...]
    review: int  # its review's place in the held-out split
    probability: float

    @property
    def label(self) -> int:
        return int(self.probability >= 0.5)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Cell:
    """One position × distance: the samples whose decisive sentence was read whole, and those truncation cut."""

    position: str
    distance: int
    read: int  # samples with the decisive sentence read whole
    cut: int  # samples where truncation dropped some or all of it (not counted below)
    follows: float  # share of the read samples whose verdict is the decisive sentence's (NaN when none was read)
    mean_probability: float  # mean P of the decisive sentence's verdict over the read samples
    filler_read: float = math.nan  # mean filler tokens the model read (fewer than ``distance`` when truncation cut some)

    @property
    def samples(self) -> int:
        return self.read + self.cut


@dataclass(frozen=True)
class FillerCheck:
    """The filler alone at one distance: the model's mean P(positive) and how many blocks sit inside the band."""

    distance: int
    mean: float
    within_band: float  # share of the filler blocks whose P alone is within NEUTRAL_BAND of 0.5
    agrees: float  # share of the blocks that alone already give their paired decisive sentence's verdict: the chance level


@dataclass(frozen=True)
class MemoryProbe:
    model: str
    max_length: int | None
    truncate: str  # which part the model keeps: "start" keeps the first max_length tokens, "end" the last
    seed: int
    samples: int
    distances: tuple[int, ...]
    cells: tuple[Cell, ...]
    decisive: tuple[Sentence, ...]  # the pool the samples cycle through
    filler_sentences: int
    filler: tuple[FillerCheck, ...]
    reviews_scanned: int
    seconds: float

    def cell(self, position: str, distance: int) -> Cell:
        return next(c for c in self.cells if c.position == position and c.distance == distance)

    def to_json(self) -> dict[str, Any]:
        nan_free = lambda v: None if v != v else round(float(v), 6)
        return {
            "model": self.model, "max_length": self.max_length, "truncate": self.truncate, "seed": self.seed,
            "samples": self.samples, "distances": list(self.distances), "reviews_scanned": self.reviews_scanned,
            "decisive_sentences": len(self.decisive), "filler_sentences": self.filler_sentences,
            "confident": CONFIDENT, "neutral_band": NEUTRAL_BAND, "seconds": round(self.seconds, 2),
            "cells": [{"position": c.position, "distance": c.distance, "read": c.read, "cut": c.cut,
                       "follows": nan_free(c.follows), "mean_probability": nan_free(c.mean_probability),
                       "filler_read": nan_free(c.filler_read)} for c in self.cells],
            "filler": [{"distance": f.distance, "mean_p_positive": nan_free(f.mean), "within_band": nan_free(f.within_band),
                        "agrees_alone": nan_free(f.agrees)}
                       for f in self.filler],
            "examples": [{"text": s.text, "p_positive": round(s.probability, 6)} for s in self.decisive[:3]],
        }


def gather(classifier: Classifier, reviews: Sequence[str], labels: Sequence[int] | None, wanted: int, rng: np.random.Generator,
           progress: Callable[[float], None] | None, cancelled: Callable[[], bool]) -> tuple[list[Sentence], list[Sentence], int]:
    """Decisive and filler sentences, scanning the reviews in a seeded order until both pools are full.

    Decisive: ``DECISIVE_TOKENS`` long, P alone ≥ ``CONFIDENT`` for its side, the side its review's label
    says (when labels are given); ``wanted`` of each side at most. Filler: ``FILLER_TOKENS`` long, P alone
    within ``NEUTRAL_BAND`` of 0.5.
    """
    tokens_of = classifier.encoder.settings.tokens
    order = rng.permutation(len(reviews))
    decisive: dict[int, list[Sentence]] = {0: [], 1: []}
    filler: list[Sentence] = []
    scanned = 0
    for start in range(0, len(order), REVIEW_CHUNK):
        if cancelled():
            raise Cancelled("the memory probe was stopped")
        found: list[tuple[tuple[str, ...], int]] = []
        for index in order[start : start + REVIEW_CHUNK]:
            for part in sentences(reviews[int(index)]):
                tokens = tuple(tokens_of(part))
                if DECISIVE_TOKENS[0] <= len(tokens) <= FILLER_TOKENS[1]:
                    found.append((tokens, int(index)))
        scanned = min(start + REVIEW_CHUNK, len(order))
        if found:
            p = classifier.predict_ids([classifier.encoder.ids(tokens) for tokens, _ in found])
            for (tokens, index), probability in zip(found, p):
                sentence = Sentence(tokens, index, float(probability))
                sure = max(probability, 1.0 - probability) >= CONFIDENT
                agrees = labels is None or int(labels[index]) == sentence.label
                if sure and agrees and len(tokens) <= DECISIVE_TOKENS[1] and len(decisive[sentence.label]) < wanted:
                    decisive[sentence.label].append(sentence)
                elif abs(probability - 0.5) <= NEUTRAL_BAND and len(tokens) >= FILLER_TOKENS[0]:
                    filler.append(sentence)
        if progress is not None:
            progress(0.5 * scanned / len(order))
        if min(len(decisive[0]), len(decisive[1])) >= wanted and len(filler) >= FILLER_POOL:
            break
    pool = [s for pair in zip(decisive[0], decisive[1]) for s in pair]  # alternate sides: half and half
    if not pool:
        raise RnnplayError(f"{classifier.name}: no sentence of its held-out reviews is classified with P ≥ {CONFIDENT} "
                           "on both sides; the memory probe needs decisive sentences")
    if len({s.review for s in filler}) < 2:
        raise RnnplayError(f"{classifier.name}: too few neutral sentences (P within {NEUTRAL_BAND} of 0.5) in its held-out "
                           "reviews to make filler from")
    return pool, filler[:FILLER_POOL], scanned


def filler_stream(pool: list[Sentence], avoid: int, length: int, rng: np.random.Generator) -> list[str]:
    """At least ``length`` tokens of filler: whole sentences drawn at random, none from review ``avoid``."""
    tokens: list[str] = []
    while len(tokens) < length:
        sentence = pool[int(rng.integers(len(pool)))]
        if sentence.review != avoid:
            tokens.extend(sentence.tokens)
    return tokens


def kept_whole(classifier: Classifier, total: int, first: int, last: int) -> tuple[bool, int]:
    """Whether tokens [first, last) of a ``total``-token text are all read, and how many tokens are read."""
    limit = classifier.encoder.settings.max_length
    if limit is None or total <= limit:
        return True, total
    if classifier.encoder.settings.truncate == "start":  # keeps the first ``limit``
        return last <= limit, limit
    return first >= total - limit, limit


def probe(classifier: Classifier, reviews: Sequence[str], labels: Sequence[int] | None = None, samples: int = 200,
          distances: Sequence[int] = DISTANCES, seed: int = 0, progress: Callable[[float], None] | None = None,
          cancelled: Callable[[], bool] = lambda: False) -> MemoryProbe:
    """Run the probe on ``reviews`` (the model's held-out split; ``labels`` theirs). ``progress(fraction)``
    follows it; ``cancelled()`` stops it between batches with ``Cancelled``."""
    if not 1 <= samples <= MAX_SAMPLES:
        raise RnnplayError(f"samples must be from 1 to {MAX_SAMPLES:,}, not {samples}")
    if not distances or any(d < 0 for d in distances):
        raise RnnplayError("the filler lengths are whole numbers of tokens, 0 or more")
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    distances = tuple(sorted({int(d) for d in distances}))
    pool, filler, scanned = gather(classifier, reviews, labels, (samples + 1) // 2, rng, progress, cancelled)
    longest = max(distances)
    texts: list[np.ndarray] = []
    meta: list[tuple[str, int, int, bool, int]] = []  # position, distance, decisive label, read whole, filler tokens read
    filler_texts: list[np.ndarray] = []
    filler_meta: list[tuple[int, int]] = []  # distance, the paired decisive sentence's label
    encoder = classifier.encoder
    for k in range(samples):
        sentence = pool[k % len(pool)]
        stream = filler_stream(filler, sentence.review, longest, rng)
        n = len(sentence.tokens)
        for distance in distances:
            block = stream[:distance]
            for position in POSITIONS:
                if distance == 0 and position == "end":
                    tokens = list(sentence.tokens)  # the sentence alone: one text serves both positions
                else:
                    tokens = list(sentence.tokens) + block if position == "start" else block + list(sentence.tokens)
                first = 0 if position == "start" else distance
                whole, seen = kept_whole(classifier, len(tokens), first, first + n)
                texts.append(encoder.ids(encoder.truncate(tokens)))
                meta.append((position, distance, sentence.label, whole, min(distance, seen - n) if whole else min(distance, seen)))
            if distance > 0:
                filler_texts.append(encoder.ids(encoder.truncate(block)))
                filler_meta.append((distance, sentence.label))
    p = _predict(classifier, texts + filler_texts, progress, cancelled)
    p_texts, p_filler = p[: len(texts)], p[len(texts) :]
    cells = []
    for position in POSITIONS:
        for distance in distances:
            rows = [i for i, (pos, d, *_) in enumerate(meta) if pos == position and d == distance]
            read = [i for i in rows if meta[i][3]]
            side = np.array([p_texts[i] if meta[i][2] == 1 else 1.0 - p_texts[i] for i in read])
            cells.append(Cell(position, distance, len(read), len(rows) - len(read),
                              float(np.mean(side >= 0.5)) if len(read) else float("nan"),
                              float(np.mean(side)) if len(read) else float("nan"),
                              float(np.mean([meta[i][4] for i in rows]))))
    checks = []
    meta_array = np.asarray(filler_meta).reshape(-1, 2)
    for distance in distances:
        if distance == 0:
            continue
        at = meta_array[:, 0] == distance
        chosen, paired = p_filler[at], meta_array[at, 1]
        agrees = float(np.mean((chosen >= 0.5) == (paired == 1)))
        checks.append(FillerCheck(distance, float(np.mean(chosen)), float(np.mean(np.abs(chosen - 0.5) <= NEUTRAL_BAND)), agrees))
    settings = encoder.settings
    return MemoryProbe(classifier.name, settings.max_length, settings.truncate, seed, samples, distances, tuple(cells),
                       tuple(pool), len(filler), tuple(checks), scanned, time.perf_counter() - started)


def _predict(classifier: Classifier, ids: list[np.ndarray], progress: Callable[[float], None] | None,
             cancelled: Callable[[], bool]) -> np.ndarray:
    """The probe's texts scored: the second half of its progress (finding sentences and filler was the first)."""
    report = None if progress is None else lambda done, total: progress(0.5 + 0.5 * done / total)
    return classifier.predict_ids(ids, progress=report, should_stop=cancelled, stopped="the memory probe was stopped")


def probe_held_out(classifier: Classifier, samples: int = 200, distances: Sequence[int] = DISTANCES, seed: int = 0,
                   progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] = lambda: False) -> MemoryProbe:
    """The probe on the classifier's own held-out split, rebuilt from its card (one line when it cannot be)."""
    from rnnplay.mistakes import held_out_split

    test = held_out_split(classifier.card)
    return probe(classifier, test.texts, test.labels.tolist(), samples, distances, seed, progress, cancelled)
