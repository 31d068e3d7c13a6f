"""The Memory lab's race: train one small Keras model per cell and seed on a generated task, score it on
held-out sequences after every epoch, and measure its gradient decay before and after training.

The model is the smallest that can do the task: an Embedding (token tasks) or the raw (value, marker)
pairs (adding problem), one recurrent layer (SimpleRNN, GRU, LSTM or a bidirectional LSTM) and one
Dense output. The knobs are the issue's: units, learning rate, optimizer, gradient clipping, the
recurrent initialiser (Keras' orthogonal, or glorot_uniform) and the LSTM's ``unit_forget_bias``.

Cancelling (``should_stop``) is checked after every batch; a cancelled race raises ``Cancelled`` and
nothing is saved (``run_race`` returns a result; saving it is ``race_record.save_race``'s job, and the
front ends call it only once the race has finished). TensorFlow is imported here, when a race runs.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from rnnplay.runtime.decay import GradientDecay, gradient_decay
from rnnplay.runtime.recurrent import DirectionWeights
from rnnplay.training import memory_tasks, tensorflow_modules
from rnnplay.training.memory_tasks import TaskData
from rnnplay.training.progress import Phase, stop_if_asked
from rnnplay.training.race_record import (
    CellRun,
    EpochScore,
    RaceListener,
    RaceRequest,
    RaceResult,
    RunBatch,
    RunEnd,
    RunEpoch,
    RunStart,
    ignore_race,
    now,
)

DECAY_SEQUENCES = 16  # held-out sequences the gradient decay is averaged over
KERAS_CELLS = {"rnn": "SimpleRNN", "gru": "GRU", "lstm": "LSTM", "bi-lstm": "LSTM"}


def run_race(request: RaceRequest, listener: RaceListener = ignore_race, should_stop: Callable[[], bool] = lambda: False) -> RaceResult:
    """Every cell × seed of ``request``, in seed-major order (each seed's cells side by side)."""
    request = request.validated()
    started, clock = now(), time.perf_counter()
    stop_if_asked(should_stop)
    listener(Phase("starting TensorFlow"))
    tf, keras = tensorflow_modules()
    stop_if_asked(should_stop)
    runs: list[CellRun] = []
    baselines: list[float] = []
    total = len(request.cells) * request.seeds
    for seed in request.seed_list:
        train, test = memory_tasks.split(request.task, request.sequences, request.length, seed, scaled=request.scaled)
        baselines.append(memory_tasks.mean_baseline(train, test) if train.kind == "regression" else memory_tasks.chance(train, test))
        for cell in request.cells:
            listener(RunStart(cell, seed, len(runs) + 1, total, -(-len(train) // request.batch_size)))
            run = train_cell(keras, request, cell, seed, train, test, listener, should_stop)
            runs.append(run)
            listener(RunEnd(run))
    return RaceResult(request, tuple(runs), float(np.mean(baselines)), started, time.perf_counter() - clock,
                      {"tensorflow": tf.__version__, "keras": keras.__version__})


def build_model(keras: Any, request: RaceRequest, cell: str, data: TaskData) -> Any:
    """Embedding (token tasks) or direct inputs → one recurrent layer → one Dense output (logits or a value)."""
    initializer = "orthogonal" if request.initializer == "orthogonal" else "glorot_uniform"
    options: dict[str, Any] = {"recurrent_initializer": initializer}
    if cell in ("lstm", "bi-lstm"):
        options["unit_forget_bias"] = request.forget_bias
    recurrent = getattr(keras.layers, KERAS_CELLS[cell])(request.units, **options)
    if cell == "bi-lstm":
        recurrent = keras.layers.Bidirectional(recurrent)
    if data.kind == "regression":
        layers = [keras.Input(shape=(request.length, data.inputs.shape[-1]))]
    else:
        layers = [keras.Input(shape=(request.length,), dtype="int32"), keras.layers.Embedding(data.vocab, request.embedding_dim)]
    outputs = data.classes if data.kind == "classes" else 1
    return keras.Sequential(layers + [recurrent, keras.layers.Dense(outputs)])


def compile_model(keras: Any, model: Any, request: RaceRequest, kind: str) -> None:
    optimizer_class = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop, "sgd": keras.optimizers.SGD}[request.optimizer]
    optimizer = optimizer_class(learning_rate=request.learning_rate, **({"clipnorm": request.clipnorm} if request.clipnorm else {}))
    if kind == "binary":
        loss, metrics = keras.losses.BinaryCrossentropy(from_logits=True), [keras.metrics.BinaryAccuracy(threshold=0.0)]
    elif kind == "classes":
        loss, metrics = keras.losses.SparseCategoricalCrossentropy(from_logits=True), [keras.metrics.SparseCategoricalAccuracy()]
    else:
        loss, metrics = keras.losses.MeanSquaredError(), []
    # One shape for every batch (the last, shorter one included once): XLA compiles the loop once.
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics, jit_compile=True)


def recurrent_weights(model: Any, cell: str) -> list[DirectionWeights]:
    """The recurrent layer's weights per direction, as Keras stores them (what ``runtime.decay`` reads)."""
    layer = next(lay for lay in model.layers if type(lay).__name__ in ("SimpleRNN", "GRU", "LSTM", "Bidirectional"))
    layers = [layer.forward_layer, layer.backward_layer] if cell == "bi-lstm" else [layer]
    return [DirectionWeights(*(np.asarray(w) for w in lay.get_weights())) for lay in layers]


def decay_inputs(model: Any, data: TaskData) -> np.ndarray:
    """What the recurrent layer reads for the first ``DECAY_SEQUENCES`` sequences: embeddings, or the raw pairs."""
    inputs = data.inputs[:DECAY_SEQUENCES]
    if data.kind == "regression":
        return inputs.astype(np.float64)
    embedding = next(lay for lay in model.layers if type(lay).__name__ == "Embedding").get_weights()[0]
    return embedding[inputs].astype(np.float64)


def measure_decay(model: Any, cell: str, data: TaskData) -> GradientDecay:
    return gradient_decay("lstm" if cell == "bi-lstm" else cell, recurrent_weights(model, cell), decay_inputs(model, data))


def scores(model: Any, kind: str, test: TaskData) -> tuple[float, float]:
    """(score, accuracy) on the held-out sequences: accuracy twice, or MSE and the share within 0.04."""
    predictions = np.asarray(model.predict(test.inputs, batch_size=512, verbose=0), dtype=np.float64)
    if kind == "binary":
        accuracy = float(np.mean((predictions[:, 0] > 0) == (test.targets == 1)))
        return accuracy, accuracy
    if kind == "classes":
        accuracy = float(np.mean(predictions.argmax(axis=1) == test.targets))
        return accuracy, accuracy
    mse = float(np.mean((predictions[:, 0] - test.targets) ** 2))
    return mse, memory_tasks.within(predictions[:, 0], test.targets)


def answers_changed(model: Any, kind: str, test: TaskData) -> float | None:
    """The share of held-out answers that change when the decisive token is swapped (None for the adding problem)."""
    swapped = memory_tasks.swap_decisive(test)
    if swapped is None:
        return None
    before, after = (np.asarray(model.predict(x, batch_size=512, verbose=0)) for x in (test.inputs, swapped))
    decided = (lambda p: p[:, 0] > 0) if kind == "binary" else (lambda p: p.argmax(axis=1))
    return float(np.mean(decided(before) != decided(after)))


def train_cell(keras: Any, request: RaceRequest, cell: str, seed: int, train: TaskData, test: TaskData,
               listener: RaceListener, should_stop: Callable[[], bool]) -> CellRun:
    """One model: its decay at initialisation, ``request.epochs`` epochs each scored, its decay after."""
    keras.utils.set_random_seed(seed)
    model = build_model(keras, request, cell, train)
    compile_model(keras, model, request, train.kind)
    at_init = measure_decay(model, cell, test)
    steps = -(-len(train) // request.batch_size)
    history: list[EpochScore] = []
    started = time.perf_counter()

    class Reporter(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            listener(RunBatch(cell, seed, len(history) + 1, batch + 1, steps, float((logs or {}).get("loss", np.nan))))
            stop_if_asked(should_stop)

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            score, accuracy = scores(self.model, train.kind, test)
            result = EpochScore(epoch + 1, float((logs or {}).get("loss", np.nan)), score, accuracy, time.perf_counter() - self.started)
            history.append(result)
            listener(RunEpoch(cell, seed, request.epochs, result))
            stop_if_asked(should_stop)

    model.fit(train.inputs, train.targets, batch_size=request.batch_size, epochs=request.epochs, shuffle=True,
              verbose=0, callbacks=[Reporter()])
    seconds = time.perf_counter() - started
    trained = measure_decay(model, cell, test)
    return CellRun(cell, seed, tuple(history), seconds, at_init, trained, int(model.count_params()),
                   answers_changed(model, train.kind, test))
