"""Train a sentiment classifier with Keras and save it in rnnplay's layout.

Tokenizing happens in Python with ``rnnplay.text`` (the same code the runtime uses), so Keras sees
token ids, not strings. With a ``max_length`` every batch has one shape and the step is XLA-compiled,
which on a CPU is what makes an LSTM fast (Keras has no fused CPU kernel). Without one, batches are
bucketed by length and padded to their longest. With both (``bucket``), batches are bucketed and padded
to their longest rounded up to ``BUCKET_STEP`` tokens: a few shapes, each compiled once, and a batch of
short sentences no longer pays for 300 steps of padding.

Nothing is written until training has finished: a cancelled or crashed run leaves no model behind.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from rnnplay import __version__, limits
from rnnplay.config import ClassifierConfig
from rnnplay.corpora import TEST, TRAIN, VALIDATION, Corpus, Splits, load_corpus, require_corpus, training_splits
from rnnplay.errors import RnnplayError, UsageError
from rnnplay.runtime.classifier import Classifier
from rnnplay.store import KERAS, Reservation, new_card, reserve, write_model
from rnnplay.text import Encoder, TextSettings, build_vocabulary, sentences
from rnnplay.training import keras_model, tensorflow_modules
from rnnplay.training.distribute import MULTI_WORKER, check_strategy, make_strategy, read_cluster
from rnnplay.training.loop import BestEpoch
from rnnplay.training.loop import fit as fit_workers
from rnnplay.training.progress import BatchEnd, EpochStart, Listener, Phase, ignore, stop_if_asked

BUCKET_BATCHES = 50  # batches per bucket when lengths vary: sorted within, shuffled across
BUCKET_STEP = 32  # with max_length and bucket, batches are padded to a multiple of this many tokens
VALIDATION_BATCH = 512  # texts a validation batch holds (no gradients: a larger batch costs nothing more)


@dataclass(frozen=True)
class Encoded:
    ids: list[np.ndarray]
    labels: np.ndarray


def encode(encoder: Encoder, corpus: Corpus) -> Encoded:
    return Encoded([encoder.encode(text) for text in corpus.texts], corpus.labels.astype(np.float32))


def pad(sequences: list[np.ndarray], width: int | None = None) -> np.ndarray:
    width = width or max(1, max((len(s) for s in sequences), default=1))
    out = np.zeros((len(sequences), width), dtype=np.int32)
    for row, seq in enumerate(sequences):
        out[row, : len(seq)] = seq
    return out


def batches(data: Encoded, batch_size: int, rng: np.random.Generator | None, width: int | None,
            bucket: bool = False) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled (or in-order, without ``rng``) padded batches; bucketed by length when ``width`` is None or
    ``bucket`` (then padded to the batch's longest, rounded up to ``BUCKET_STEP`` and at most ``width``)."""
    return [(pad([data.ids[i] for i in idx], _width([data.ids[i] for i in idx], width) if bucket else width), data.labels[idx])
            for idx in batch_rows(data, batch_size, rng, width is None or bucket)]


def batch_rows(data: Encoded, batch_size: int, rng: np.random.Generator | None, bucketed: bool) -> list[np.ndarray]:
    """Which texts make each batch, in order: ``batches`` without the padding."""
    order = rng.permutation(len(data.ids)) if rng is not None else np.arange(len(data.ids))
    if bucketed:
        span = batch_size * BUCKET_BATCHES
        order = np.concatenate([
            chunk[np.argsort([len(data.ids[i]) for i in chunk], kind="stable")]
            for chunk in np.array_split(order, max(1, -(-len(order) // span)))
        ])
    cut = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if rng is not None and bucketed:
        cut = [cut[i] for i in rng.permutation(len(cut))]
    return cut


def batch_dataset(tf: Any, data: Encoded, rows: list[np.ndarray], width: int | None, bucket: bool) -> Any:
    """The batches ``rows`` name, padded as ``batches`` pads them, as a tf.data pipeline of TensorFlow ops only.

    No Python generator: under MirroredStrategy on two logical CPUs, a ``from_generator`` dataset hung at an
    epoch's end (the default preset on reviews, its second epoch: every thread waiting, 0 % CPU), with the
    main thread deleting the epoch's iterator. The texts are one ragged tensor, the batches' rows another.
    """
    lengths = [len(ids) for ids in data.ids]
    texts = tf.RaggedTensor.from_row_lengths(np.concatenate([*data.ids, np.zeros(0, np.int32)]).astype(np.int32), lengths)
    labels = tf.constant(data.labels, tf.float32)
    batch_of = tf.RaggedTensor.from_row_lengths(np.concatenate(rows).astype(np.int64), [len(r) for r in rows])

    def padded(rows_of_batch: Any) -> Any:
        ids = tf.gather(texts, rows_of_batch).to_tensor(0)
        longest = tf.maximum(tf.shape(ids)[1], 1)
        if width is None or bucket:  # the batch's longest (at least 1), rounded up to BUCKET_STEP when bucketing
            target = (longest + BUCKET_STEP - 1) // BUCKET_STEP * BUCKET_STEP if bucket else longest
            if width is not None:
                target = tf.minimum(target, width)
        else:
            target = tf.constant(width)
        ids = tf.pad(ids, [[0, 0], [0, target - tf.shape(ids)[1]]])
        return tf.ensure_shape(ids, (None, None)), tf.gather(labels, rows_of_batch)

    return tf.data.Dataset.from_tensor_slices(batch_of).map(padded).prefetch(2)


def _width(sequences: list[np.ndarray], most: int | None) -> int | None:
    """A bucketed batch's padded length: its longest, rounded up to ``BUCKET_STEP``, at most ``most``."""
    longest = max(1, max((len(s) for s in sequences), default=1))
    rounded = -(-longest // BUCKET_STEP) * BUCKET_STEP
    return rounded if most is None else min(rounded, most)


SENTENCE_WORDS = (4, 40)  # a cut sentence has this many tokens (fewer says little; more is rarely one sentence)


def cut_sentences(corpus: Corpus, settings: TextSettings, per_text: int, seed: int) -> Corpus:
    """Up to ``per_text`` sentences cut at random from each text of several sentences, each with its text's label.

    Short examples for a model that must also read short sentences; the label is the whole review's, which a
    sentence of a mixed review contradicts (``benchmarks/default_search.py`` measures how often).
    """
    rng = np.random.default_rng(seed + 1)
    texts, labels = [], []
    for text, label in zip(corpus.texts, corpus.labels):
        pieces = [s for s in sentences(text, settings.strip_markup) if SENTENCE_WORDS[0] <= len(settings.tokens(s)) <= SENTENCE_WORDS[1]]
        if len(pieces) < 2:
            continue
        for index in sorted(rng.choice(len(pieces), min(per_text, len(pieces)), replace=False)):
            texts.append(pieces[index])
            labels.append(label)
    return Corpus(corpus.name, texts, np.asarray(labels, dtype=np.int8))


def make_reporter(keras: Any, config: ClassifierConfig, steps: int, listener: Listener, should_stop: Callable[[], bool]) -> Any:
    """A Keras callback for progress, cancelling and the best epoch (defined here: Keras loads lazily)."""

    class Reporter(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.record = BestEpoch(config.epochs, config.restore_best, listener)

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.started = time.perf_counter()
            listener(EpochStart(epoch + 1, config.epochs, steps))

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            logs = logs or {}
            listener(BatchEnd(len(self.record.history) + 1, batch + 1, steps, float(logs.get("loss", np.nan)),
                              float(logs.get("accuracy", np.nan))))
            stop_if_asked(should_stop)

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self.record.end(epoch + 1, {k: float(v) for k, v in (logs or {}).items()}, time.perf_counter() - self.started,
                            self.model)

        def on_train_end(self, logs: Any = None) -> None:
            self.record.restore(self.model)

    return Reporter()


def train_classifier(
    config: ClassifierConfig,
    corpus_name: str,
    target: Path,
    *,
    text_column: str = "text",
    label_column: str = "label",
    overwrite: bool = False,
    listener: Listener = ignore,
    should_stop: Callable[[], bool] = lambda: False,
    test_files: Sequence[Path] = (),
    strategy: str = "auto",
    stream: bool | None = None,
) -> Path:
    """Train on ``corpus_name`` (split with ``config.seed``) and save the model folder at ``target``.

    ``test_files`` are held-out sets of the user's own (a CSV/TSV/JSONL with text and label columns), scored
    once training has finished and recorded on the card beside the test split; nothing reads them to choose an
    epoch or a setting (the best epoch is chosen on the validation split).

    ``strategy`` names the ``tf.distribute`` strategy that trains (``rnnplay.training.distribute``: auto, one,
    mirrored or multi-worker); the card records it and the devices it used. Under ``multi-worker`` (``TF_CONFIG``,
    checked first) only the chief reserves ``target`` and saves there; every other worker trains with it, writes
    nothing at all, and returns ``target``, where the chief saves on its own machine.

    ``stream`` leaves the corpus on disk and reads it again each epoch (``rnnplay.training.streaming``), for a
    corpus larger than memory; False loads it into memory, which is faster when it fits; None (the default)
    streams a corpus file larger than ``limits.MAX_CORPUS_BYTES``, the most the in-memory path reads."""
    config.check()
    check_strategy(strategy)
    if stream is None:
        stream = should_stream(corpus_name)
    if stream and config.cut_sentences:
        raise UsageError("--cut-sentences needs the corpus in memory; it cannot be combined with --stream")
    if strategy == MULTI_WORKER and not read_cluster().is_chief:
        return _train_classifier(config, corpus_name, target, None, text_column, label_column, listener, should_stop, test_files,
                                 strategy, stream)
    # The name is ours from here until the model is in place: a second run of it is refused now, not after
    # minutes of training, and a models folder that cannot be written is found before any work is spent.
    with reserve(target, overwrite) as slot:
        return _train_classifier(config, corpus_name, target, slot, text_column, label_column, listener, should_stop, test_files,
                                 strategy, stream)


def should_stream(corpus_name: str) -> bool:
    """Whether a corpus is too large to load: a regular file past ``limits.MAX_CORPUS_BYTES`` (a built-in corpus,
    a folder or a pipe is loaded)."""
    path = require_corpus(corpus_name)
    try:
        return path is not None and path.is_file() and path.stat().st_size > limits.MAX_CORPUS_BYTES
    except OSError:
        return False  # the in-memory reader says what is wrong


Batch = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Prepared:
    """A corpus made ready to train on, whether held in memory or streamed from disk."""

    vocabulary: list[str]
    encoder: Encoder
    sizes: dict[str, int]  # texts in the train, validation and test splits
    train_count: int  # texts a training epoch reads (cut sentences included)
    # (tf, rng) → the training batches of every epoch, each epoch shuffled with rng; the validation batches
    # once an epoch; and how many validation batches make one pass
    datasets: Callable[[Any, np.random.Generator], tuple[Any, Any, int]]
    epoch_batches: Callable[[np.random.Generator], Iterator[Batch]]  # one epoch's, for the multi-worker loop
    validation_batches: Callable[[], Iterator[Batch]]
    scores: Callable[[Classifier], dict[str, Any]]  # the card's metrics for the split, once trained
    sources: tuple[str, ...]
    notes: dict[str, Any]  # what the card's training section adds (cut sentences, streamed)


def _train_classifier(config: ClassifierConfig, corpus_name: str, target: Path, slot: Reservation | None, text_column: str,
                      label_column: str, listener: Listener, should_stop: Callable[[], bool], test_files: Sequence[Path],
                      strategy: str, stream: bool) -> Path:
    def own_tests() -> dict[str, Corpus]:
        # read early, so a bad file fails before training; absolute, so a file named like a built-in corpus is the file
        return {path.name: load_corpus(str(path.absolute())) for path in test_files}

    settings = TextSettings(strip_markup=config.strip_markup, max_length=config.max_length, truncate=config.truncate)
    prepare = _streamed if stream else _in_memory
    data, tests = prepare(config, corpus_name, settings, text_column, label_column, listener, own_tests)
    vocabulary, encoder = data.vocabulary, data.encoder

    embedding, init = initial_embedding(config, vocabulary, target.parent) if config.init_embeddings else (None, None)
    stop_if_asked(should_stop)
    listener(Phase("starting TensorFlow"))
    tf, keras = tensorflow_modules()
    stop_if_asked(should_stop)  # importing takes seconds: a cancel meanwhile stops here, not after compiling
    if strategy == MULTI_WORKER:
        listener(Phase(f"waiting for the other workers: this is {read_cluster().describe()}"))
    # First of all TensorFlow work: MultiWorkerMirroredStrategy must configure the runtime before it starts.
    placement = make_strategy(tf, strategy)  # refuses mirroring over a single device
    # Seeds make a run repeatable on one machine. (Op determinism would also switch XLA off, and
    # with it most of the speed, so it stays off; CPU kernels here are deterministic in practice.)
    keras.utils.set_random_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    listener(Phase(f"training {placement.describe()}"))
    fixed = config.max_length is not None
    steps = -(-data.train_count // config.batch_size)
    with placement.strategy.scope():  # the variables live where the strategy puts them: a copy per device when mirrored
        model = keras_model.build(config, len(vocabulary), embedding)
        rate: Any = config.learning_rate
        if config.schedule == "cosine":
            rate = keras.optimizers.schedules.CosineDecay(config.learning_rate, decay_steps=steps * config.epochs)
        optimizer = keras.optimizers.Adam(rate)
        loss = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=config.label_smoothing)
        if placement.cluster:  # Keras' fit fails under several workers: TensorFlow's own loop (rnnplay.training.loop)
            loss = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=config.label_smoothing, reduction=None)
            optimizer.build(model.trainable_variables)  # its slots are mirrored variables too: made in the scope
        else:
            model.compile(
                optimizer=optimizer,
                loss=loss,
                metrics=[keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)],
                # One shape per batch: compile once; varying shapes would recompile each time. Not over several
                # devices: XLA under MirroredStrategy on two logical CPUs (TF 2.21, Keras 3.15) fails at the first
                # step ("Trying to access resource .../replica_1 located in device CPU:1 from device CPU:0", XLA's
                # known issue with variables on another device), so a mirrored run is compiled by TensorFlow's graph.
                # Not on a GPU either: there Keras runs the LSTM with cuDNN, which XLA cannot compile (Keras would
                # switch XLA off itself, with a warning on the user's terminal).
                jit_compile=fixed and placement.replicas == 1 and placement.on_cpu,
            )
    started = time.perf_counter()
    if placement.cluster:
        record = fit_workers(tf, keras, model, optimizer, loss, placement, config, lambda: data.epoch_batches(rng),
                               data.validation_batches, steps, listener, should_stop)
    else:
        # Every epoch's batches go through one pipeline, one iterator for the whole run (steps_per_epoch): none is
        # deleted at an epoch's end, where a generator's dataset hung under MirroredStrategy. Keras splits each
        # batch between the replicas; a batch that does not divide evenly is fine (measured on two logical CPUs:
        # batches of 33, 7 and 1, where one replica gets nothing, all train).
        train_data, validation_data, validation_steps = data.datasets(tf, rng)
        reporter = make_reporter(keras, config, steps, listener, should_stop)
        model.fit(train_data, validation_data=validation_data, epochs=config.epochs, steps_per_epoch=steps,
                  validation_steps=validation_steps, verbose=0, callbacks=[reporter])
        record = reporter.record
    seconds = time.perf_counter() - started
    if slot is None:  # a worker that is not the chief: the chief saves, this one writes nothing
        return target

    listener(Phase("evaluating on the held-out test split"))
    architecture, arrays, _ = keras_model.to_arrays(model)
    card = new_card("classifier",
        target.name, architecture, settings,
        training={
            "corpus": corpus_name, "split_seed": config.seed, "split": data.sizes,
            "config": config.to_dict(), "seconds": round(seconds, 1), "best_epoch": record.best_epoch,
            "history": record.history, "strategy": placement.name, "devices": list(placement.devices),
            **({"workers": placement.workers} if placement.cluster else {}),
            **({"init_embeddings": init} if init else {}),
            **data.notes,
        },
        versions=versions(tf, keras),
    )
    runtime = Classifier.in_memory(target, card, arrays, vocabulary)  # refuses weights that diverged to NaN
    card["metrics"] = data.scores(runtime)
    if tests:
        card["metrics"]["test_files"] = {name: accuracy(runtime, encode(encoder, corpus)) for name, corpus in tests.items()}
    stop_if_asked(should_stop)
    listener(Phase(f"saving {target}"))
    with slot.writing() as scratch:
        end_to_end(keras, model, vocabulary, settings).save(scratch / KERAS)
        write_model(scratch, card, arrays, vocabulary)
    return target


def _in_memory(config: ClassifierConfig, corpus_name: str, settings: TextSettings, text_column: str, label_column: str,
               listener: Listener, own_tests: Callable[[], dict[str, Corpus]]) -> tuple[Prepared, dict[str, Corpus]]:
    """The corpus loaded, split, tokenized and encoded in memory: the fast path for a corpus that fits."""
    listener(Phase(f"loading corpus {corpus_name}"))
    corpus = load_corpus(corpus_name, text_column, label_column)
    tests = own_tests()
    splits = training_splits(corpus, config.seed)  # refuses too few texts or one label, before TensorFlow
    listener(Phase(f"tokenizing {len(corpus):,} texts"))
    vocabulary = build_vocabulary((settings.tokens(t) for t in splits.train.texts), config.vocab_size)
    encoder = Encoder(vocabulary, settings)
    train, validation, test = (encode(encoder, part) for part in (splits.train, splits.validation, splits.test))
    require_words(corpus_name, train, validation, test)
    cuts = 0
    if config.cut_sentences:  # from the training split only: validation and test stay whole texts
        sentences = encode(encoder, cut_sentences(splits.train, settings, config.cut_sentences, config.seed))
        train, cuts = Encoded(train.ids + sentences.ids, np.concatenate([train.labels, sentences.labels])), len(sentences.ids)
    width, bucketed = config.max_length, config.max_length is None or config.bucket

    def datasets(tf: Any, rng: np.random.Generator) -> tuple[Any, Any, int]:
        """TensorFlow ops only: every epoch's batch rows drawn now, in the order a reshuffle per epoch draws them."""
        train_rows = [rows for _ in range(config.epochs) for rows in batch_rows(train, config.batch_size, rng, bucketed)]
        validation_rows = batch_rows(validation, VALIDATION_BATCH, None, bucketed)
        return (batch_dataset(tf, train, train_rows, width, config.bucket),
                batch_dataset(tf, validation, validation_rows, width, config.bucket).repeat(), len(validation_rows))

    def scores(runtime: Classifier) -> dict[str, Any]:
        """Each part predicted once; a corpus of several sources also gets each source's figures from the same
        predictions, on its own split."""
        metrics: dict[str, Any] = {}
        for part, data, texts in (("validation", validation, splits.validation), ("test", test, splits.test)):
            p = runtime.predict_ids(data.ids)
            metrics[part] = Tally().add(p, data.labels).figures()
            if texts.source is not None:
                for index, name in enumerate(texts.sources):
                    mine = texts.source == index
                    metrics.setdefault("by_source", {}).setdefault(name, {})[part] = Tally().add(p[mine], data.labels[mine]).figures()
        return metrics

    return Prepared(
        vocabulary, encoder, split_sizes(splits), len(train.ids), datasets,
        lambda rng: iter(batches(train, config.batch_size, rng, width, config.bucket)),
        lambda: iter(batches(validation, VALIDATION_BATCH, None, width, config.bucket)),
        scores, splits.test.sources, {"cut_sentences": cuts} if cuts else {},
    ), tests


def _streamed(config: ClassifierConfig, corpus_name: str, settings: TextSettings, text_column: str, label_column: str,
              listener: Listener, own_tests: Callable[[], dict[str, Corpus]]) -> tuple[Prepared, dict[str, Corpus]]:
    """The corpus left on disk: indexed and split in one pass, its vocabulary counted in a second, and read
    again a window at a time each epoch (``rnnplay.training.streaming``)."""
    from rnnplay.corpus_stream import index_corpus
    from rnnplay.training import streaming

    listener(Phase(f"indexing corpus {corpus_name} on disk"))
    corpus = index_corpus(corpus_name, config.seed, text_column, label_column)  # refuses too few texts or one label
    tests = own_tests()
    listener(Phase(f"counting the words of {len(corpus):,} texts"))
    vocabulary, worded = streaming.vocabulary(corpus, settings, config.vocab_size)
    check_words(corpus_name, int(worded.sum()), len(corpus), bool(worded[TRAIN]))
    encoder = Encoder(vocabulary, settings)
    width = config.max_length
    train, validation = corpus.indices(TRAIN), corpus.indices(VALIDATION)
    sizes = {"train": len(train), "validation": len(validation), "test": len(corpus.indices(TEST))}
    def epoch_batches(rng: np.random.Generator) -> Iterator[Batch]:
        return streaming.epoch(corpus, encoder, train, config.batch_size, rng, width, config.bucket)

    def validation_batches() -> Iterator[Batch]:
        return streaming.epoch(corpus, encoder, validation, VALIDATION_BATCH, None, width, config.bucket)

    def datasets(tf: Any, rng: np.random.Generator) -> tuple[Any, Any, int]:
        """Generators reading a window from disk at a time; each covers the whole run, so its iterator lives as long."""
        def training() -> Iterator[Batch]:
            for _ in range(config.epochs):
                yield from epoch_batches(rng)

        def validating() -> Iterator[Batch]:
            for _ in range(config.epochs):
                yield from validation_batches()

        return streaming.dataset(tf, training), streaming.dataset(tf, validating), -(-len(validation) // VALIDATION_BATCH)

    return Prepared(
        vocabulary, encoder, sizes, len(train), datasets, epoch_batches, validation_batches,
        lambda runtime: streaming.scores(runtime, corpus, encoder), corpus.sources, {"streamed": True},
    ), tests


def require_words(corpus_name: str, train: Encoded, validation: Encoded, test: Encoded) -> None:
    """Refuse texts with nothing to learn from (empty, or only punctuation once standardized)."""
    worded = sum(len(ids) > 0 for part in (train, validation, test) for ids in part.ids)
    total = sum(len(part.ids) for part in (train, validation, test))
    check_words(corpus_name, worded, total, any(len(ids) for ids in train.ids))


def check_words(corpus_name: str, worded: int, total: int, train_worded: bool) -> None:
    """``require_words`` on counts: ``worded`` of ``total`` texts have a word, and ``train_worded`` says a training text has."""
    if worded < limits.MIN_TRAINING_TEXTS:
        raise RnnplayError(f"only {worded} of the {total:,} texts of corpus {corpus_name!r} have a word once standardized; "
                           f"training needs at least {limits.MIN_TRAINING_TEXTS}")
    if not train_worded:
        raise RnnplayError(f"no text of the training split of corpus {corpus_name!r} has a word once standardized")


INIT_STD = 0.15


def initial_embedding(config: ClassifierConfig, vocabulary: list[str], models_dir: Path) -> tuple[np.ndarray, dict[str, Any]]:
    """The embedding's starting values: a word's vector from ``config.init_embeddings`` where it has one.

    Words the vectors do not know start as Keras would start them (uniform in ±0.05); padding is zero.
    CBOW's vectors are about 14 times longer than Keras' starting ones; at that size they saturate
    the LSTM's gates and the default preset reached only 0.855 held-out (0.878 from random), so they
    are scaled to an element spread of ``INIT_STD``, the best of 0.05, 0.1 and 0.15 on validation.
    """
    from rnnplay.runtime.models import open_vectors

    vectors = open_vectors(config.init_embeddings or "", models_dir)
    if vectors.vector_size != config.embedding_dim:
        raise RnnplayError(f"{vectors.name} has {vectors.vector_size}-d vectors but the embedding is {config.embedding_dim}-d "
                           f"(set --embedding-dim {vectors.vector_size}, or --init-embeddings none for random starting vectors)")
    matrix = np.random.default_rng(config.seed).uniform(-0.05, 0.05, (len(vocabulary), config.embedding_dim)).astype(np.float32)
    matrix[0] = 0.0
    rows = [(i, vectors.key_to_index[token]) for i, token in enumerate(vocabulary[2:], 2) if token in vectors.key_to_index]
    if rows:
        ours, theirs = map(list, zip(*rows))
        found_rows = vectors.vectors[theirs]
        matrix[ours] = found_rows * (INIT_STD / found_rows.std())
    found = len(rows) / max(len(vocabulary) - 2, 1)
    return matrix, {"vectors": vectors.name, "coverage": round(found, 4)}


def end_to_end(keras: Any, model: Any, vocabulary: list[str], settings: TextSettings) -> Any:
    """The tutorial's shape for Keras users: raw strings in, one logit out.

    Keras keeps tokens from the start only; with ``truncate="end"`` this model reads whole texts,
    and ``<br />`` stripping (``strip_markup``) is the caller's job, as the card says.
    """
    vectorizer = keras.layers.TextVectorization(
        vocabulary=vocabulary[2:], standardize=settings.standardize if settings.standardize != "none" else None,
        output_sequence_length=settings.max_length if settings.truncate == "start" else None,
    )
    return keras.Sequential([keras.Input(shape=(1,), dtype="string"), vectorizer, *model.layers])


def accuracy(classifier: Classifier, data: Encoded) -> dict[str, float]:
    """Accuracy and log loss of the NumPy runtime, the figures a card reports."""
    return Tally().add(classifier.predict_ids(data.ids), data.labels).figures()


@dataclass
class Tally:
    """Right answers and log loss summed over texts scored a part at a time (a streamed corpus is never whole)."""

    right: int = 0
    loss: float = 0.0
    n: int = 0

    def add(self, p: np.ndarray, y: np.ndarray) -> Tally:
        p = np.clip(p, 1e-7, 1 - 1e-7)
        self.right += int(np.sum((p >= 0.5) == (y == 1)))
        self.loss += float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
        self.n += len(y)
        return self

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.right + other.right, self.loss + other.loss, self.n + other.n)

    def figures(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {"accuracy": round(self.right / n, 4), "loss": round(self.loss / n, 4), "n": self.n}


def split_sizes(splits: Splits) -> dict[str, int]:
    return {"train": len(splits.train), "validation": len(splits.validation), "test": len(splits.test)}


def versions(tf: Any, keras: Any) -> dict[str, str]:
    return {"rnnplay": __version__, "tensorflow": tf.__version__, "keras": keras.__version__,
            "numpy": np.__version__, "python": platform.python_version()}
