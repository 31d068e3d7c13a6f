"""Train CBOW word vectors with TensorFlow: word2vec's algorithm, compiled by XLA, on two cores.

The algorithm is word2vec's (and gensim's) CBOW with negative sampling: for each word of the text
(the centre), average the input vectors ``W`` of the words around it, score that mean against the
centre's output vector ``W′`` (a true pair) and against ``negative`` noise words drawn from the
unigram distribution to the power 0.75 (false pairs), and move all of them by plain SGD on the
logistic loss. Frequent words are dropped at random before the windows are made (subsampling), each
window is shrunk at random to 1..``window`` words a side, and the learning rate falls linearly.

How it is made fast (a plain Keras ``fit`` with Adam was 4–5× slower and worse); each point was
measured on IMDB on 2 cores:

- The windows are never materialised. Each epoch's text, after subsampling, is one flat array of
  token ids; a compiled step slices its centres and their neighbours straight out of it, so a step
  costs a few slices, two gathers and two sparse ``scatter_add`` updates.
- Random numbers come from a counter hash (``random_bits``): TensorFlow's Philox generator cost
  five times the rest of the step under XLA.
- Many steps run inside one XLA call (a loop of ``STEPS_PER_CALL`` steps of ``batch_size`` windows):
  one call per step cost 3.5 times as much per window.
- Two calls on the same variables run one after the other, so each of ``workers`` threads trains its
  own copy on its own share of the text, and after every call the copies' changes are summed into
  the shared vectors (word2vec's lock-free threads, exchanging updates every 32,768 windows rather
  than at once).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from rnnplay.config import CbowConfig
from rnnplay.corpora import load_corpus, load_texts, split
from rnnplay.errors import RnnplayError
from rnnplay.store import Reservation, new_card, reserve, write_model
from rnnplay.text import TextSettings
from rnnplay.training import tensorflow_modules
from rnnplay.training.classifier import versions
from rnnplay.training.progress import EpochStart, Listener, Phase, VectorsEpochEnd, VectorsProgress, ignore, stop_if_asked

NOISE_BITS = 24
NOISE_TABLE = 1 << NOISE_BITS  # entries of the noise table (word2vec uses 1e8; 16 M resolves p ≥ 6e-8)
STEPS_PER_CALL = 128  # 32,768 windows per call and worker at the default batch


@dataclass(frozen=True)
class TokenIds:
    """The training text as ids: one flat array, and which text each token came from."""

    words: list[str]  # most frequent first, ties alphabetical
    counts: np.ndarray  # int64, per word
    ids: np.ndarray  # int32, every kept token of every text, in order
    texts: np.ndarray  # int32, the text each token belongs to (windows never cross texts)
    raw_tokens: int  # before dropping rare words


def prepare(token_lists: Iterable[Sequence[str]], min_count: int, max_vocab: int | None = None) -> TokenIds:
    """Count, keep words seen ``min_count`` times (the ``max_vocab`` most frequent), and map to ids.

    Rare words are removed from the text before windows are made, as word2vec does, so the words
    on either side of one become neighbours.
    """
    token_lists = [list(tokens) for tokens in token_lists]
    counts: Counter[str] = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    ranked = sorted(((w, n) for w, n in counts.items() if n >= min_count), key=lambda item: (-item[1], item[0]))
    ranked = ranked[:max_vocab] if max_vocab else ranked
    if len(ranked) < 2:
        raise RnnplayError(f"fewer than 2 words occur {min_count} times or more: too little text (or lower --min-count)")
    index = {word: i for i, (word, _) in enumerate(ranked)}
    lengths = np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64, count=len(token_lists))
    get = index.get
    ids = np.fromiter((get(t, -1) for tokens in token_lists for t in tokens), dtype=np.int32, count=int(lengths.sum()))
    texts = np.repeat(np.arange(len(token_lists), dtype=np.int32), lengths)
    known = ids >= 0
    kept = texts[known]
    if not np.any(kept[1:] == kept[:-1]):  # texts are in order: two kept tokens of one text sit side by side
        raise RnnplayError(f"no text has 2 words that occur {min_count} times or more: CBOW learns a word from the "
                           "words beside it in the same text (give longer texts, or lower --min-count)")
    return TokenIds([w for w, _ in ranked], np.array([n for _, n in ranked], dtype=np.int64), ids[known], texts[known],
                  int(lengths.sum()))


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's subsampling: a word of frequency f is kept with p = (√(f/s) + 1)·s/f, at most 1."""
    if sample <= 0:
        return np.ones(len(counts))
    threshold = sample * counts.sum()
    return np.minimum((np.sqrt(counts / threshold) + 1.0) * threshold / counts, 1.0)


def noise_table(counts: np.ndarray, size: int = NOISE_TABLE) -> np.ndarray:
    """Word ids laid out in proportion to count^0.75: a uniform index into it draws a noise word."""
    weights = counts.astype(np.float64) ** 0.75
    cumulative = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cumulative, (np.arange(size) + 0.5) / size), len(counts) - 1).astype(np.int32)


def random_bits(tf: Any, counter: Any, key: Any) -> Any:
    """32 random bits per counter value: murmur3's finaliser of ``counter·φ + key``, counter-based.

    TensorFlow's stateless Philox generator cost five times the rest of a step under XLA on the CPU;
    a counter hash is a handful of integer operations per number and mixes well enough for drawing
    window sizes and noise words.
    """
    def mix(x: Any, shift: int) -> Any:
        return tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, tf.constant(shift, tf.uint32)))

    x = tf.bitcast(counter, tf.uint32) * tf.constant(0x9E3779B1, tf.uint32) + tf.bitcast(key, tf.uint32)
    for shift, multiplier in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        x = mix(x, shift) * tf.constant(multiplier, tf.uint32)
    return mix(x, 16)


@dataclass(frozen=True)
class Trained:
    """What training produces: one input and one output vector per word (``runtime.vectors`` queries them)."""

    words: list[str]
    counts: np.ndarray
    input: np.ndarray  # W, the word vectors
    output: np.ndarray  # W′ as rows (word2vec's syn1neg): scores a context mean against each word
    stats: dict[str, Any]


class _Compiled:
    """The TensorFlow side: variables per worker, the compiled chunk of steps, and the merge."""

    def __init__(self, tf: Any, config: CbowConfig, vocab_size: int, table: np.ndarray, batch_size: int) -> None:
        self.vocab_size = vocab_size
        dim, pad = config.dimension, vocab_size  # row ``vocab_size`` of W is a zero row for empty slots
        rng = np.random.default_rng(config.seed)
        start = np.zeros((vocab_size + 1, dim), dtype=np.float32)
        start[:vocab_size] = rng.uniform(-0.5 / dim, 0.5 / dim, (vocab_size, dim))  # as word2vec and gensim
        self.base = (tf.Variable(start), tf.Variable(np.zeros((vocab_size, dim), np.float32)))
        self.copies = [self.base] if config.workers == 1 else [
            (tf.Variable(start), tf.Variable(np.zeros((vocab_size, dim), np.float32))) for _ in range(config.workers)
        ]
        self.table = tf.constant(table)
        window, negative, min_alpha = config.window, config.negative, tf.constant(config.min_alpha, tf.float32)
        offsets = [o for o in range(-window, window + 1) if o != 0]
        labels = tf.constant([[1.0] + [0.0] * negative])

        lanes = negative + 1  # random numbers per window: its reach, then its noise words

        def step(w_in: Any, w_out: Any, stream: Any, docs: Any, p: Any, end: Any, lr: Any, counter: Any, key: Any) -> Any:
            """``batch_size`` windows, centred on stream[p + window :]; centres from ``end`` on are skipped."""
            b = batch_size
            draws = random_bits(tf, tf.reshape(tf.range(b * lanes, dtype=tf.int32) + (counter + p) * lanes, (b, lanes)), key)
            p = p + window
            centre = tf.slice(stream, [p], [b])
            doc = tf.slice(docs, [p], [b])
            live = (doc >= 0) & (p - window + tf.range(b) < end)
            reach = window - tf.cast(draws[:, 0] % tf.constant(window, tf.uint32), tf.int32)  # 1..window a side
            columns = []
            for offset in offsets:
                near = (tf.slice(docs, [p + offset], [b]) == doc) & (abs(offset) <= reach)
                columns.append(tf.where(near, tf.slice(stream, [p + offset], [b]), pad))
            context = tf.stack(columns, axis=1)
            count = tf.reduce_sum(tf.cast(context != pad, tf.float32), axis=1)
            weight = tf.cast(live & (count > 0), tf.float32)
            h = tf.reduce_sum(tf.gather(w_in, context), axis=1) / tf.maximum(count, 1.0)[:, None]
            noise = tf.gather(self.table, tf.cast(tf.bitwise.right_shift(draws[:, 1:], tf.constant(32 - NOISE_BITS, tf.uint32)), tf.int32))
            targets = tf.concat([centre[:, None], noise], axis=1)
            out = tf.gather(w_out, targets)
            logits = tf.reduce_sum(h[:, None, :] * out, axis=2)
            # A noise word that happens to be the centre is skipped, as word2vec does.
            use = weight[:, None] * tf.concat([tf.ones((b, 1)), tf.cast(noise != centre[:, None], tf.float32)], axis=1)
            g = (labels - tf.sigmoid(logits)) * lr * use
            loss = -tf.reduce_sum(use * tf.math.log_sigmoid(tf.where(labels > 0, logits, -logits)))
            error = tf.reduce_sum(g[:, :, None] * out, axis=1)
            w_out.scatter_add(tf.IndexedSlices(tf.reshape(g[:, :, None] * h[:, None, :], (-1, dim)), tf.reshape(targets, (-1,))))
            spread = tf.cast(context != pad, tf.float32)[:, :, None] * error[:, None, :]
            w_in.scatter_add(tf.IndexedSlices(tf.reshape(spread, (-1, dim)), tf.reshape(context, (-1,))))
            return loss, tf.reduce_sum(weight)

        def chunk(w_in: Any, w_out: Any, stream: Any, docs: Any, end: Any, lr: Any, lr_step: Any, counter: Any, key: Any) -> Any:
            """``STEPS_PER_CALL`` steps over a piece of the stream with ``window`` tokens of margin each side.

            ``counter`` numbers the piece's first window within the epoch and ``key`` the epoch, so every
            window draws its own random numbers, the same ones on every run with the same seed."""
            total, windows = tf.constant(0.0), tf.constant(0.0)
            for i in tf.range(STEPS_PER_CALL):
                loss, n = step(w_in, w_out, stream, docs, i * batch_size, end,
                               tf.maximum(lr - tf.cast(i, tf.float32) * lr_step, min_alpha), counter, key)
                total += loss
                windows += n
            return total, windows

        self.chunk = tf.function(chunk, jit_compile=True)

        def merge() -> None:
            """Sum every copy's change since the last merge into the shared vectors; reset the copies."""
            for index, shared in enumerate(self.base):
                merged = shared + sum(copy[index] - shared for copy in self.copies)
                shared.assign(merged)
                for copy in self.copies:
                    copy[index].assign(merged)

        self.merge = tf.function(merge, jit_compile=True)

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        return self.base[0].numpy()[: self.vocab_size], self.base[1].numpy()


def train_vectors(
    token_lists: Iterable[Sequence[str]],
    config: CbowConfig,
    *,
    listener: Listener = ignore,
    should_stop: Callable[[], bool] = lambda: False,
) -> Trained:
    """Train CBOW vectors on tokenized texts; ``should_stop`` is polled after every compiled call."""
    config.check()
    listener(Phase("counting words"))
    text = prepare(token_lists, config.min_count, config.max_vocab)
    stop_if_asked(should_stop)
    listener(Phase("starting TensorFlow"))
    tf, _ = tensorflow_modules()
    stop_if_asked(should_stop)  # importing takes seconds: a cancel meanwhile stops here, not after compiling
    rng = np.random.default_rng(config.seed)
    vocab_size, workers, batch = len(text.words), config.workers, config.batch_size
    keep = keep_probabilities(text.counts, config.sample)
    compiled = _Compiled(tf, config, vocab_size, noise_table(text.counts), batch)
    per_call = STEPS_PER_CALL * batch
    expected = float(keep[text.ids].sum()) * config.epochs  # windows over the run, for the learning rate
    lr_step = (config.alpha - config.min_alpha) * batch * workers / expected  # per step of every worker
    done_windows, started = 0.0, time.perf_counter()
    history = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for epoch in range(1, config.epochs + 1):
            epoch_started, epoch_loss, epoch_windows = time.perf_counter(), 0.0, 0.0
            kept = rng.random(len(text.ids)) < keep[text.ids]
            length = int(kept.sum())
            stream, docs, share = _layout(text.ids[kept], text.texts[kept], config.window, workers, per_call)
            calls = -(-share // per_call)
            key = np.int32(np.random.default_rng([config.seed, epoch]).integers(-(2**31), 2**31))
            listener(EpochStart(epoch, config.epochs, calls))
            for call in range(calls):
                lr = config.alpha - (config.alpha - config.min_alpha) * min(done_windows / expected, 1.0)
                jobs, centres = [], 0
                for k, (w_in, w_out) in enumerate(compiled.copies):
                    first = k * share + call * per_call  # in the padded stream, ``window`` before the first centre
                    end = min((k + 1) * share, length) - first  # centres from here on belong to the next share
                    centres += max(0, min(end, per_call))
                    piece = slice(first, first + per_call + 2 * config.window)
                    jobs.append(pool.submit(compiled.chunk, w_in, w_out, stream[piece], docs[piece], np.int32(end),
                                            np.float32(lr), np.float32(lr_step), np.int32(first), key))
                for job in jobs:
                    loss, windows = job.result()
                    epoch_loss += float(loss)
                    epoch_windows += float(windows)
                if workers > 1:
                    compiled.merge()
                done_windows += centres  # the real centres, not the padding a short last call runs over
                stop_if_asked(should_stop)
                elapsed = time.perf_counter() - epoch_started
                listener(VectorsProgress(epoch, config.epochs, call + 1, calls, epoch_loss / max(epoch_windows, 1.0),
                                         epoch_windows / max(elapsed, 1e-9), lr))
            seconds = time.perf_counter() - epoch_started
            loss_total = epoch_loss / max(epoch_windows, 1.0)
            history.append({"epoch": epoch, "loss": round(loss_total, 4), "windows": int(epoch_windows), "seconds": round(seconds, 2)})
            listener(VectorsEpochEnd(epoch, config.epochs, loss_total, int(epoch_windows), seconds))
    seconds = time.perf_counter() - started
    w_in, w_out = compiled.result()
    windows = sum(h["windows"] for h in history)
    stats = {"seconds": round(seconds, 1), "raw_tokens": text.raw_tokens, "tokens": len(text.ids),
             "windows": windows, "windows_per_second": round(windows / seconds), "history": history}
    return Trained(text.words, text.counts, w_in, w_out, stats)


def _layout(ids: np.ndarray, texts: np.ndarray, window: int, workers: int, per_call: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The epoch's stream, padded so every piece a call takes is whole; padding belongs to text -1.

    Each call gets its own piece (its centres plus ``window`` tokens each side): with the whole
    stream as its input, a call was ten times slower (XLA carried the stream through its loop)."""
    share = -(-len(ids) // workers)
    tail = window + workers * (-(-share // per_call) * per_call) - len(ids) + window
    stream = np.concatenate([np.zeros(window, np.int32), ids, np.zeros(max(tail, window), np.int32)])
    docs = np.concatenate([np.full(window, -1, np.int32), texts, np.full(max(tail, window), -1, np.int32)])
    return stream, docs, share


def train_cbow(
    config: CbowConfig,
    corpus_name: str,
    target: Path,
    *,
    text_column: str = "text",
    half: bool = False,
    overwrite: bool = False,
    listener: Listener = ignore,
    should_stop: Callable[[], bool] = lambda: False,
    training_split: int | None = None,
) -> Path:
    """Train on every text of ``corpus_name`` and save a vectors model at ``target`` (atomically).

    ``half`` stores the vectors as float16: half the size, and the same neighbours to three decimals.
    ``training_split`` (a split seed) reads only the training split a classifier with that ``--seed`` trains on,
    so vectors that start its embedding have never read its validation or test texts, not even unlabelled.
    """
    config.check()
    # The name is ours from here until the model is in place: a second run of it is refused now, not after
    # minutes of training, and a models folder that cannot be written is found before any work is spent.
    with reserve(target, overwrite) as slot:
        return _train_cbow(config, corpus_name, target, slot, text_column, half, listener, should_stop, training_split)


def _train_cbow(config: CbowConfig, corpus_name: str, target: Path, slot: Reservation, text_column: str, half: bool,
                listener: Listener, should_stop: Callable[[], bool], training_split: int | None) -> Path:
    listener(Phase(f"loading corpus {corpus_name}"))
    if training_split is None:
        texts = load_texts(corpus_name, text_column)
    else:  # the split needs the labels only to exist: it is the classifier's own 70/10/20 per source
        texts = split(load_corpus(corpus_name, text_column), training_split).train.texts
    settings = TextSettings(strip_markup=config.strip_markup)
    listener(Phase(f"tokenizing {len(texts):,} texts"))
    vectors = train_vectors((settings.tokens(t) for t in texts), config, listener=listener, should_stop=should_stop)
    tf, keras = tensorflow_modules()
    dtype = np.float16 if half else np.float32
    architecture = {"method": "cbow", "vocab_size": len(vectors.words), "dimension": config.dimension,
                    "window": config.window, "negative": config.negative, "dtype": np.dtype(dtype).name}
    history = vectors.stats["history"]
    card = new_card(
        "vectors", target.name, architecture, settings,
        training={"corpus": corpus_name, "texts": len(texts), "config": config.to_dict(),
                  **({"training_split_seed": training_split} if training_split is not None else {}), **vectors.stats},
        metrics={"loss": history[-1]["loss"] if history else None},
        versions=versions(tf, keras),
    )
    stop_if_asked(should_stop)
    listener(Phase(f"saving {target}"))
    with slot.writing() as scratch:
        arrays = {"input": vectors.input.astype(dtype), "output": vectors.output.astype(dtype), "counts": vectors.counts}
        write_model(scratch, card, arrays, vectors.words)
    return target
