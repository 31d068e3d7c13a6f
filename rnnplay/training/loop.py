"""A training loop in TensorFlow's own way, for ``--strategy multi-worker``: ``tf.function`` + ``strategy.run``.

Keras 3.15's ``model.fit`` cannot train under ``MultiWorkerMirroredStrategy`` with more than one worker
(keras-team/keras#20585). Measured here with two localhost workers, two places of its TensorFlow trainer fail:
``_maybe_symbolic_build`` hands the whole first batch, an (x, y) tuple of ``PerReplica`` values, to
``strategy.reduce("MEAN", ...)``, which takes one value, not a nest (the "Attempt to convert a value
(PerReplica…) to a Tensor" of the issue); with that bypassed, ``reduce_per_replica`` reduces the step's scalar
logs with ``axis=0`` across workers ("Invalid reduction dimension 0 for input with 0 dimensions"). Neither
depends on the dataset, its shapes or the metrics, so this loop does what ``fit`` does here, with the same
model, optimizer, loss and metric, and sends the same progress events as ``classifier.make_reporter``.

Each worker feeds its piece of every global batch (``distribute.shard``): the batches are drawn from the
same seeded generator on every worker, so all take the same steps, and the loss is averaged over the global
batch, so the summed gradients are those of the whole batch. Validation runs on every worker over the whole
split (the weights are the same everywhere after each step), so choosing the best epoch needs no collective.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from rnnplay.config import ClassifierConfig
from rnnplay.errors import RnnplayError
from rnnplay.training.distribute import COLLECTIVE_TIMEOUT, Placement, shard
from rnnplay.training.progress import BatchEnd, EpochEnd, EpochStart, Listener, stop_if_asked

Batch = tuple[np.ndarray, np.ndarray]


@dataclass
class BestEpoch:
    """A run's per-epoch history and its best epoch by validation accuracy (1-based), with that epoch's weights
    kept when ``restore_best``: what Keras' fit (``classifier.make_reporter``) and this loop both record."""

    epochs: int
    restore_best: bool
    listener: Listener
    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    best_accuracy: float = -1.0
    best_weights: Any = None

    def end(self, epoch: int, logs: dict[str, float], seconds: float, model: Any) -> None:
        """Record epoch ``epoch``'s logs (loss, accuracy, val_loss, val_accuracy) and say so to the listener."""
        best = logs["val_accuracy"] > self.best_accuracy
        if best:
            self.best_accuracy, self.best_epoch = logs["val_accuracy"], epoch
            if self.restore_best:
                self.best_weights = model.get_weights()
        self.history.append({"epoch": epoch, **{k: round(v, 5) for k, v in logs.items()}})
        self.listener(EpochEnd(epoch, self.epochs, logs["loss"], logs["accuracy"], logs["val_loss"], logs["val_accuracy"],
                               seconds, best))

    def restore(self, model: Any) -> None:
        """The best epoch's weights back in ``model``, when they were kept."""
        if self.restore_best and self.best_weights is not None:
            model.set_weights(self.best_weights)


def local_pieces(batches: Iterable[Batch], placement: Placement, pipeline: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.float32]]:
    """This worker's pieces of every global batch, one per local replica in order, each with the global batch's size
    (every replica divides its loss by it)."""
    local = len(placement.strategy.extended.worker_devices)  # this worker's replicas
    pieces = placement.strategy.num_replicas_in_sync
    for x, y in batches:
        for replica in range(pipeline * local, (pipeline + 1) * local):
            yield shard(x, pieces, replica), shard(y, pieces, replica), np.float32(len(y))


def fit(tf: Any, keras: Any, model: Any, optimizer: Any, loss: Any, placement: Placement, config: ClassifierConfig,
        train_batches: Callable[[], Iterable[Batch]], validation_batches: Callable[[], Iterable[Batch]], steps: int, listener: Listener,
        should_stop: Callable[[], bool]) -> BestEpoch:
    """Train ``model`` (built in ``placement.strategy``'s scope, ``optimizer`` built there too) for ``config.epochs``;
    ``train_batches()`` gives one epoch's global batches, the same on every worker; ``validation_batches()`` the
    validation split's, each epoch (read from disk again when the corpus is streamed). Restores the best epoch's
    weights when ``config.restore_best``."""
    strategy = placement.strategy
    signature = (tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.float32), tf.TensorSpec((), tf.float32))

    def dataset(context: Any) -> Any:
        return tf.data.Dataset.from_generator(lambda: local_pieces(train_batches(), placement, context.input_pipeline_id),
                                              output_signature=signature)

    # Unlike experimental_distribute_dataset, this neither shards nor rebatches: the pieces are cut already.
    data = strategy.distribute_datasets_from_function(dataset)

    def replica_step(x: Any, y: Any, size: Any) -> tuple[Any, Any, Any]:
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            per_text = loss(y[:, None], logits)
            mean = tf.reduce_sum(per_text) / size  # over the global batch: the workers' gradients sum to its gradient
        gradients = tape.gradient(mean, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))  # all-reduced (summed) by Keras' optimizer
        correct = tf.reduce_sum(tf.cast((logits[:, 0] > 0.0) == (y > 0.5), tf.float32))  # BinaryAccuracy(threshold=0.0)
        return tf.reduce_sum(per_text), correct, tf.cast(tf.shape(y)[0], tf.float32)

    @tf.function
    def train_step(iterator: Any) -> Any:
        sums = strategy.run(replica_step, args=next(iterator))  # loss, right answers and texts of each replica's piece
        return [strategy.reduce(tf.distribute.ReduceOp.SUM, value, axis=None) for value in sums]

    @tf.function(reduce_retracing=True)
    def predict(x: Any) -> Any:
        return model(x, training=False)[:, 0]

    try:
        return _epochs(tf, model, loss, config, data, train_step, predict, validation_batches, steps, listener, should_stop)
    except (tf.errors.UnavailableError, tf.errors.DeadlineExceededError, tf.errors.CancelledError, tf.errors.AbortedError) as error:
        raise RnnplayError(f"training stopped: another worker stopped or could not be reached within {COLLECTIVE_TIMEOUT} s "
                           f"(TensorFlow: {type(error).__name__}); nothing was saved") from None


def _epochs(tf: Any, model: Any, loss: Any, config: ClassifierConfig, data: Any, train_step: Any, predict: Any,
            validation_batches: Callable[[], Iterable[Batch]], steps: int, listener: Listener, should_stop: Callable[[], bool]) -> BestEpoch:
    result = BestEpoch(config.epochs, config.restore_best, listener)
    for epoch in range(1, config.epochs + 1):
        started = time.perf_counter()
        listener(EpochStart(epoch, config.epochs, steps))
        iterator, sums = iter(data), np.zeros(3)
        for step in range(1, steps + 1):
            sums += [float(value) for value in train_step(iterator)]  # running means over the epoch, as Keras logs them
            listener(BatchEnd(epoch, step, steps, float(sums[0] / sums[2]), float(sums[1] / sums[2])))
            stop_if_asked(should_stop)
        val_loss, val_accuracy = evaluate(tf, loss, predict, validation_batches())
        logs = {"accuracy": float(sums[1] / sums[2]), "loss": float(sums[0] / sums[2]), "val_accuracy": val_accuracy, "val_loss": val_loss}
        result.end(epoch, logs, time.perf_counter() - started, model)
    result.restore(model)
    return result


def evaluate(tf: Any, loss: Any, predict: Any, batches: Iterable[Batch]) -> tuple[float, float]:
    """Mean loss and accuracy over ``batches``, on this worker alone (no collective)."""
    total, right, count = 0.0, 0.0, 0
    for x, y in batches:
        logits = predict(tf.constant(x))
        total += float(tf.reduce_sum(loss(y[:, None], logits[:, None])))
        right += float(np.sum((logits.numpy() > 0.0) == (y > 0.5)))
        count += len(y)
    return total / max(count, 1), right / max(count, 1)
