"""Training batches streamed from a corpus on disk (``rnnplay train --stream``), and its scores afterwards.

The corpus stays on disk (``rnnplay.corpus_stream``: 11 bytes a text in memory). Before training, one
pass over its texts builds the vocabulary with ``text.build_vocabulary`` from the training split's tokens
(the same function, fed a generator, so the same vocabulary and the same ids as the corpus in memory).
Each epoch then visits the training texts in a fresh random order, a window of ``batch_size ×
BUCKET_BATCHES`` texts at a time: the window is read from disk, encoded with the model's ``Encoder`` and
cut into padded batches by ``classifier.batches``, bucketed by length within the window as the in-memory
path buckets within its spans. What an epoch holds is one window of encoded texts, never the corpus.

Workers (``--strategy multi-worker``): every worker streams the same epochs from the same seed and keeps its
piece of every global batch (``distribute.shard``, in ``rnnplay.training.loop``), so the pieces are
disjoint, cover each batch, and every worker takes the same steps; each worker reads the whole training
split from its own copy of the file to do so (bucketing needs a window's texts read before its batches
are cut). The dataset's auto-sharding is off: a generator dataset has no files to shard by.
Nothing here imports TensorFlow: ``dataset`` is handed the module.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from rnnplay.corpora import TEST, TRAIN, VALIDATION
from rnnplay.corpus_stream import DiskCorpus
from rnnplay.runtime.classifier import Classifier
from rnnplay.text import Encoder, TextSettings, build_vocabulary
from rnnplay.training.classifier import BUCKET_BATCHES, Encoded, Tally, batches

Batch = tuple[np.ndarray, np.ndarray]
SCORE_WINDOW = 4096  # texts encoded and scored at a time after training


def vocabulary(corpus: DiskCorpus, settings: TextSettings, size: int) -> tuple[list[str], np.ndarray]:
    """The vocabulary of the training split, in one pass over the corpus; and per part (train, validation,
    test) how many texts have a word once standardized (``classifier.check_words``)."""
    worded = np.zeros(3, dtype=np.int64)

    def training_tokens() -> Iterator[list[str]]:
        for number, text in corpus.scan():
            tokens = settings.tokens(text)
            if tokens:
                worded[corpus.parts[number]] += 1
            if corpus.parts[number] == TRAIN:
                yield tokens

    return build_vocabulary(training_tokens(), size), worded


def epoch(corpus: DiskCorpus, encoder: Encoder, indices: np.ndarray, batch_size: int, rng: np.random.Generator | None,
          width: int | None, bucket: bool, span: int | None = None) -> Iterator[Batch]:
    """One pass over ``indices`` in batches: in a fresh random order with ``rng`` (in order without), read and
    encoded a window of ``span`` texts (``batch_size × BUCKET_BATCHES``) at a time."""
    order = rng.permutation(indices) if rng is not None else indices
    span = span or batch_size * BUCKET_BATCHES
    for start in range(0, len(order), span):
        window = order[start : start + span]
        data = Encoded(corpus.read(window, encoder.encode), corpus.labels[window].astype(np.float32))
        yield from batches(data, batch_size, rng, width, bucket)


def dataset(tf: Any, make: Callable[[], Iterator[Batch]]) -> Any:
    """A ``tf.data`` dataset of the batches ``make()`` yields (training hands it every epoch's, so its iterator lives
    for the whole run), read ahead while a batch trains."""
    signature = (tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.float32))
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF  # no files to shard by
    return tf.data.Dataset.from_generator(make, output_signature=signature).with_options(options).prefetch(2)


def scores(classifier: Classifier, corpus: DiskCorpus, encoder: Encoder) -> dict[str, Any]:
    """The card's metrics for the validation and test splits (and per source), ``SCORE_WINDOW`` texts at a time."""
    names = corpus.sources or ("",)
    tallies = {(part, source): Tally() for part in (VALIDATION, TEST) for source in range(len(names))}
    for part in (VALIDATION, TEST):
        indices = corpus.indices(part)
        for start in range(0, len(indices), SCORE_WINDOW):
            window = indices[start : start + SCORE_WINDOW]
            p = classifier.predict_ids(corpus.read(window, encoder.encode))
            source = corpus.source[window] if corpus.source is not None else np.zeros(len(window), dtype=np.int8)
            for index in range(len(names)):
                mine = source == index
                tallies[part, index].add(p[mine], corpus.labels[window][mine].astype(np.float32))
    metrics: dict[str, Any] = {name: sum((tallies[part, s] for s in range(len(names))), Tally()).figures()
                               for name, part in (("validation", VALIDATION), ("test", TEST))}
    if corpus.sources:
        metrics["by_source"] = {name: {"validation": tallies[VALIDATION, s].figures(), "test": tallies[TEST, s].figures()}
                                for s, name in enumerate(corpus.sources)}
    return metrics
