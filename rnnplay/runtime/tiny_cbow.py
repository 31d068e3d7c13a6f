"""A tiny CBOW trainer in NumPy, one training pair at a time: the mechanics of word2vec made visible.

The anchor is wevi (Xin Rong's word-embedding visual inspector): a corpus of a dozen short lines, a
vocabulary of a few words, a hidden layer of N = 5, and every step in two halves. ``forward()`` takes
the next training pair — its context words' input vectors (rows of ``w_in``), their mean ``h``, the
scores ``h @ w_out`` of every word, the softmax over them, the target's probability and the loss —
and computes the gradients without applying them; ``update()`` then applies them (plain SGD) and says
which rows of ``w_in`` and columns of ``w_out`` moved and by how much.

The output layer is a FULL softmax over the vocabulary, as in Rong's "word2vec parameter learning
explained" and wevi: every output vector moves at every step. The real ``imdb-cbow`` vectors (and
word2vec, gensim) use negative sampling instead: each window moves the target's output vector and
those of a few sampled noise words only, which is what makes a 20,000-word vocabulary affordable.

Training pairs, in the order of the lines, cycling:
- single-word context (``window=None``, wevi's input format ``context|target``): each word predicts the
  word after it in its line — Rong's "one-word context", which he notes is like a bigram model. The
  "fruit" preset's lines are wevi's "Fruit and juice" pairs, so these are exactly its 12 pairs.
- CBOW with a window of ±k: each word is the target of the mean of the words up to k either side of it
  (in its line) — word2vec's CBOW with every window at its full width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from rnnplay.errors import UsageError
from rnnplay.limits import MAX_TINY_LINES, MAX_TINY_VOCABULARY, TINY_CBOW, check, require
from rnnplay.text import tokenize

# wevi's "Fruit and juice" and "King and queen" presets (context|target pairs), written as two-word lines
# "context target". wevi spells "kindom" and keeps "George"/"Mary" capitalised; our tokenizer lowercases.
PRESETS: dict[str, tuple[str, ...]] = {
    "fruit": ("eat apple", "eat orange", "eat rice", "drink juice", "drink milk", "drink water",
              "orange juice", "apple juice", "rice milk", "milk drink", "water drink", "juice drink"),
    "king": ("king kingdom", "queen kingdom", "king palace", "queen palace", "king royal", "queen royal",
             "king george", "queen mary", "man rice", "woman rice", "man farmer", "woman farmer",
             "man house", "woman house", "man george", "woman mary"),
}
DEFAULT_HIDDEN = 5
DEFAULT_LEARNING_RATE = 0.2
DEFAULT_SEED = 1
NEGATIVE_SAMPLING_NOTE = ("full softmax over the vocabulary (every output vector moves each step); "
                          "the real imdb-cbow vectors use negative sampling instead (the target and a few noise words)")


@dataclass(frozen=True)
class Pair:
    """One training pair: the context words' vocabulary ids (one in single-word mode) and the target's."""

    context: tuple[int, ...]
    target: int


@dataclass(frozen=True)
class TinyCorpus:
    """Short lines of words, their sorted vocabulary (as wevi sorts it), and the lines as ids."""

    lines: tuple[tuple[str, ...], ...]
    vocabulary: tuple[str, ...]

    @classmethod
    def from_lines(cls, texts: Sequence[str]) -> TinyCorpus:
        """Tokenize each line as the real models do (lowercase, no punctuation); lines with no word are left out."""
        lines = tuple(tuple(words) for text in texts if (words := tokenize(text)))
        vocabulary = tuple(sorted({word for line in lines for word in line}))
        if len(lines) > MAX_TINY_LINES:
            raise UsageError(f"{len(lines):,} lines of words: the tiny corpus takes at most {MAX_TINY_LINES}")
        if len(vocabulary) > MAX_TINY_VOCABULARY:
            raise UsageError(f"{len(vocabulary):,} different words: the tiny corpus takes at most {MAX_TINY_VOCABULARY} "
                             "(one heatmap row each)")
        if not any(len(line) >= 2 for line in lines):
            raise UsageError("the lines need at least one line of two words or more (a word needs a neighbour to be guessed)")
        return cls(lines, vocabulary)

    @classmethod
    def preset(cls, name: str) -> TinyCorpus:
        if name not in PRESETS:
            raise UsageError(f"no preset {name!r}: choose {' or '.join(PRESETS)}")
        return cls.from_lines(PRESETS[name])

    def index(self, word: str) -> int:
        try:
            return self.vocabulary.index(word)
        except ValueError:
            raise UsageError(f"{word!r} is not in the tiny vocabulary ({', '.join(self.vocabulary)})") from None

    def pairs(self, window: int | None = None) -> tuple[Pair, ...]:
        """Single-word pairs (``window=None``: each word predicts the next one), or CBOW windows of ±``window``."""
        ids = [[self.vocabulary.index(word) for word in line] for line in self.lines]
        pairs: list[Pair] = []
        for line in ids:
            for t, target in enumerate(line):
                if window is None:
                    context = tuple(line[t - 1: t]) if t else ()
                else:
                    context = tuple(line[max(0, t - window): t] + line[t + 1: t + 1 + window])
                if context:
                    pairs.append(Pair(context, target))
        return tuple(pairs)


@dataclass(frozen=True)
class Forward:
    """The forward pass of one pair and the gradients of its loss, computed but not yet applied."""

    step: int  # the update this pair leads to (1 for the first)
    pair: Pair
    inputs: np.ndarray  # (C, N) the context words' input vectors, rows of w_in
    hidden: np.ndarray  # (N,) their mean h
    scores: np.ndarray  # (V,) h · each output vector (columns of w_out)
    probabilities: np.ndarray  # (V,) softmax of the scores
    grad_in: np.ndarray  # (V, N) ∂loss/∂w_in: non-zero on the context words' rows only
    grad_out: np.ndarray  # (N, V) ∂loss/∂w_out: every column (full softmax)

    @property
    def target_probability(self) -> float:
        return float(self.probabilities[self.pair.target])

    @property
    def loss(self) -> float:
        """Cross-entropy −ln p(target | context)."""
        return -math.log(max(self.target_probability, 1e-300))


@dataclass(frozen=True)
class Update:
    """What ``update()`` changed: the w_in rows (context words) and w_out columns, and by how much."""

    forward: Forward
    learning_rate: float
    rows: tuple[int, ...]  # vocabulary ids whose input vector moved (the context words, each once)
    delta_in: np.ndarray  # (len(rows), N) the change of those rows
    delta_out: np.ndarray  # (N, V) the change of w_out: every column under a full softmax
    loss_after: float  # the same pair's loss after the update

    @property
    def row_change(self) -> np.ndarray:
        """‖Δ‖ of each changed input vector, in the order of ``rows``."""
        return np.linalg.norm(self.delta_in, axis=1)

    @property
    def column_change(self) -> np.ndarray:
        """‖Δ‖ of every output vector (V,); the target's is pulled towards h, the others pushed away."""
        return np.linalg.norm(self.delta_out, axis=0)


def initial_weights(vocab_size: int, hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Both matrices uniform in ±0.5/N, as wevi draws them (word2vec.c starts the output vectors at 0,
    which would make the first steps move nothing but the output layer).

    The input vectors are drawn word by word, then the output vectors word by word (as wevi stores
    them, one vector a word) and laid out as the columns of ``w_out``. The order of the draws matters
    for the figures: drawing ``w_out`` row by row as an N × V array instead gives other starting output
    vectors and, on the fruit preset, a mean loss of 1.30 instead of 1.35 after 120 updates.
    """
    rng = np.random.default_rng(seed)
    w_in = (rng.random((vocab_size, hidden)) - 0.5) / hidden
    w_out = ((rng.random((vocab_size, hidden)) - 0.5) / hidden).T.copy()
    return w_in, w_out


def softmax(scores: np.ndarray) -> np.ndarray:
    z = np.exp(scores - scores.max())
    return z / z.sum()


def pair_loss(w_in: np.ndarray, w_out: np.ndarray, pair: Pair) -> float:
    """−ln p(target | context) under these weights (what finite differences check the gradients against)."""
    h = w_in[list(pair.context)].mean(axis=0)
    scores = h @ w_out
    top = scores.max()
    return float(top + math.log(np.exp(scores - top).sum()) - scores[pair.target])


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    scale = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / scale if scale > 0 else 0.0


@dataclass
class TinyCbow:
    """The model and its place in the corpus: call ``forward()`` then ``update()``, or ``run(n)``."""

    corpus: TinyCorpus
    hidden: int = DEFAULT_HIDDEN
    learning_rate: float = DEFAULT_LEARNING_RATE
    window: int | None = None  # None: single-word context (wevi's format); k: CBOW with ±k
    seed: int = DEFAULT_SEED
    w_in: np.ndarray = field(init=False)  # (V, N) input vectors, one row a word: the word vectors
    w_out: np.ndarray = field(init=False)  # (N, V) output vectors, one column a word
    pairs: tuple[Pair, ...] = field(init=False)
    updates: int = field(init=False, default=0)  # updates applied so far
    losses: list[float] = field(init=False, default_factory=list)  # each applied step's loss before its update
    corpus_losses: list[float] = field(init=False, default_factory=list)  # the mean loss over all pairs, at the start and after each update
    pending: Forward | None = field(init=False, default=None)
    last: Update | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        require([check("hidden", self.hidden, TINY_CBOW), check("learning_rate", self.learning_rate, TINY_CBOW),
                 check("seed", self.seed, TINY_CBOW)]
                + ([check("window", self.window, TINY_CBOW)] if self.window is not None else []))
        self.pairs = self.corpus.pairs(self.window)
        self.w_in, self.w_out = initial_weights(len(self.corpus.vocabulary), self.hidden, self.seed)
        self.corpus_losses.append(self.corpus_loss())

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return self.corpus.vocabulary

    @property
    def next_pair(self) -> Pair:
        return self.pairs[self.updates % len(self.pairs)]

    def forward(self) -> Forward:
        """The forward pass of the next pair and its gradients (not applied); again returns the same one."""
        if self.pending is not None:
            return self.pending
        pair = self.next_pair
        context = list(pair.context)
        inputs = self.w_in[context]
        h = inputs.mean(axis=0)
        scores = h @ self.w_out
        p = softmax(scores)
        error = p.copy()
        error[pair.target] -= 1.0  # ∂loss/∂scores = p − one-hot(target)
        grad_out = np.outer(h, error)
        grad_h = self.w_out @ error
        grad_in = np.zeros_like(self.w_in)
        np.add.at(grad_in, context, grad_h / len(context))  # a word twice in the window counts twice
        self.pending = Forward(self.updates + 1, pair, inputs.copy(), h, scores, p, grad_in, grad_out)
        return self.pending

    def update(self) -> Update:
        """Apply the pending gradients (running ``forward()`` first if none is pending): one SGD step."""
        forward = self.forward()
        rows = tuple(sorted(set(forward.pair.context)))
        delta_in = -self.learning_rate * forward.grad_in[list(rows)]
        delta_out = -self.learning_rate * forward.grad_out
        self.w_in[list(rows)] += delta_in
        self.w_out += delta_out
        self.losses.append(forward.loss)
        self.updates += 1
        self.pending = None
        self.corpus_losses.append(self.corpus_loss())
        self.last = Update(forward, self.learning_rate, rows, delta_in, delta_out,
                           pair_loss(self.w_in, self.w_out, forward.pair))
        return self.last

    def run(self, steps: int) -> Update | None:
        """``steps`` forward-and-update steps; the last update (None for 0 steps)."""
        last = None
        for _ in range(steps):
            last = self.update()
        return last

    def corpus_loss(self) -> float:
        """The mean loss over every pair of the corpus under the current weights (about ln V at the start,
        when every score is near 0). All pairs at once: a (P, N) matrix of hidden vectors."""
        hidden = np.stack([self.w_in[list(pair.context)].mean(axis=0) for pair in self.pairs])
        scores = hidden @ self.w_out
        top = scores.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))
        targets = np.array([pair.target for pair in self.pairs])
        return float(np.mean(log_norm - scores[np.arange(len(self.pairs)), targets]))

    def similarity(self, a: str, b: str) -> float:
        """Cosine of two words' input vectors."""
        return cosine(self.w_in[self.corpus.index(a)], self.w_in[self.corpus.index(b)])

    def neighbours(self, word: str, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` words whose input vectors are closest to ``word``'s by cosine."""
        i = self.corpus.index(word)
        rows = [(other, cosine(self.w_in[i], self.w_in[j])) for j, other in enumerate(self.vocabulary) if j != i]
        return sorted(rows, key=lambda row: -row[1])[:n]

    def input_map(self, previous: InputMap | None = None) -> InputMap:
        """The input vectors on their first two principal components. A component's sign is arbitrary;
        given the ``previous`` map, each component keeps the side it had there, so the words drift from
        step to step instead of jumping to the mirror image."""
        from rnnplay.runtime.profile import pca

        found = pca(self.w_in, np.zeros(len(self.vocabulary)), k=2)
        components = np.zeros((2, self.hidden))
        components[: len(found.components)] = found.components
        if previous is not None and previous.components.shape == components.shape:
            signs = np.where(np.sum(components * previous.components, axis=1) < 0, -1.0, 1.0)
            components *= signs[:, None]
        return InputMap((self.w_in - found.mean) @ components.T, np.pad(found.explained, (0, 2 - len(found.explained))), components)


@dataclass(frozen=True)
class InputMap:
    """Input vectors on two principal components: (V, 2) coordinates, each component's share of the
    variance, and the (2, N) components themselves (to keep their signs on the next map)."""

    coordinates: np.ndarray
    explained: np.ndarray
    components: np.ndarray
