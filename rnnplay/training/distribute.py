"""Which devices train: TensorFlow's own ``tf.distribute`` strategies, chosen by name (``--strategy``).

``one`` is TensorFlow's default strategy: one device (the first GPU if there is one, else the CPU).
``mirrored`` is ``MirroredStrategy``: a copy of the model on each visible GPU, or on each logical CPU
device when there is no GPU, every batch split between them and the gradients summed. TensorFlow shows a
CPU as one device, so without a GPU ``mirrored`` first splits it into one logical device per core (which
TensorFlow allows only before its runtime has started). ``auto`` mirrors when more than one GPU is
visible, and is ``one`` otherwise. ``multi-worker`` is
``MultiWorkerMirroredStrategy``: one process per worker (on one machine or several), described by the
standard ``TF_CONFIG`` variable, every global batch split between the workers' devices and the gradients
summed by collective ops; only the chief saves. Nothing here imports TensorFlow until a strategy is made,
so the names and ``TF_CONFIG`` can be checked before any data is read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Mapping, TypeVar

from rnnplay import limits
from rnnplay.errors import RnnplayError, UsageError

MULTI_WORKER = "multi-worker"
STRATEGIES = ("auto", "one", "mirrored", MULTI_WORKER)
# Seconds one collective (a step's gradient sum) may wait for the other workers before it fails. A worker that
# dies is noticed sooner, by MultiWorkerMirroredStrategy's health check (every 30 s); this bounds the rest: a
# worker that is alive but stopped, e.g. cancelled inside a process that goes on (the REPL). Steps on one
# machine take milliseconds to seconds, and every epoch's validation runs on each worker at the same time.
COLLECTIVE_TIMEOUT = 300
TASK_TYPES = ("chief", "worker")  # the task types MultiWorkerMirroredStrategy trains with (an evaluator does not)
Rows = TypeVar("Rows")


def check_strategy(name: str) -> str:
    """``name`` if it is one of ``STRATEGIES``; a UsageError naming them otherwise."""
    if name not in STRATEGIES:
        raise UsageError(f"--strategy must be one of {', '.join(STRATEGIES)}, not {name!r}")
    return name


@dataclass(frozen=True)
class Cluster:
    """This process's place in a multi-worker run, as ``TF_CONFIG`` describes it (checked, before TensorFlow)."""

    tasks: tuple[tuple[str, str], ...]  # (task type, address) of every training task: the chief first, then the workers
    task_type: str  # "chief" or "worker"
    task_index: int

    @property
    def workers(self) -> int:
        """Training processes, the chief included."""
        return len(self.tasks)

    @property
    def rank(self) -> int:
        """This task's place in ``tasks``: 0 for the chief (or worker 0 when there is no chief)."""
        return self.tasks.index((self.task_type, self.address))

    @property
    def address(self) -> str:
        return [address for kind, address in self.tasks if kind == self.task_type][self.task_index]

    @property
    def is_chief(self) -> bool:
        """The task that saves: the chief, or worker 0 when the cluster has no chief (TensorFlow's rule)."""
        return self.rank == 0

    @property
    def chief(self) -> str:
        """The saving task, in words: "chief 0 (host:port)" or "worker 0 (host:port)"."""
        kind, address = self.tasks[0]
        return f"{kind} 0 ({address})"

    def describe(self) -> str:
        """"worker 1 of 2 (localhost:2223)"."""
        return f"{self.task_type} {self.task_index} of {self.workers} ({self.address})"


def read_cluster(environ: Mapping[str, str] | None = None) -> Cluster:
    """The multi-worker cluster of ``TF_CONFIG`` (in ``environ``, by default this process's), checked: a UsageError
    of one line for a missing or invalid variable, a cluster without workers, or a task that is not in it."""
    environ = os.environ if environ is None else environ
    text = environ.get("TF_CONFIG", "")
    if not text.strip():
        raise UsageError("--strategy multi-worker needs TF_CONFIG, the cluster description, e.g. "
                         'TF_CONFIG=\'{"cluster": {"worker": ["host1:2222", "host2:2222"]}, "task": {"type": "worker", "index": 0}}\'')
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"TF_CONFIG is not valid JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(config, dict) or not isinstance(config.get("cluster"), dict) or not isinstance(config.get("task"), dict):
        raise UsageError('TF_CONFIG must be a JSON object with a "cluster" object and a "task" object')
    cluster, task = config["cluster"], config["task"]
    tasks: list[tuple[str, str]] = []
    for kind in TASK_TYPES:
        addresses = cluster.get(kind, [])
        if not isinstance(addresses, list) or not all(isinstance(a, str) and 0 < len(a) <= limits.MAX_DEVICE_NAME for a in addresses):
            raise UsageError(f'TF_CONFIG cluster.{kind} must be a list of "host:port" addresses')
        if kind == "chief" and len(addresses) > 1:
            raise UsageError(f"TF_CONFIG cluster.chief must hold one address, not {len(addresses)}")
        tasks.extend((kind, address) for address in addresses)
    if len({address for _, address in tasks}) < len(tasks):
        raise UsageError("TF_CONFIG cluster lists an address twice")
    if not tasks:
        raise UsageError('TF_CONFIG cluster has no "chief" or "worker" addresses')
    if len(tasks) > limits.MAX_DEVICES:
        raise UsageError(f"TF_CONFIG cluster has {len(tasks)} workers; rnnplay trains on at most {limits.MAX_DEVICES}")
    kind, index = task.get("type"), task.get("index", 0)
    if kind not in TASK_TYPES:
        raise UsageError(f"TF_CONFIG task.type must be chief or worker, not {_shown(kind)}")
    count = len(cluster.get(kind, []))
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise UsageError(f"TF_CONFIG task.index must be 0 to {count - 1} (cluster.{kind} has {count}), not {_shown(index)}"
                         if count else f"TF_CONFIG task.type is {kind}, but cluster.{kind} lists no address")
    return Cluster(tuple(tasks), kind, index)


def _shown(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def shard(rows: Rows, pieces: int, index: int) -> Rows:
    """Piece ``index`` of ``pieces`` of one global batch's rows: every ``pieces``-th row from ``index``.

    Works on anything sliced like a sequence (NumPy arrays, lists, TensorFlow tensors inside ``tf.data``'s
    ``map``). Every worker cuts every global batch, so all take the same number of steps (a collective that
    one worker never reaches would wait for it until it times out); a piece may be empty for the last,
    short batch. Shared with any data pipeline that feeds ``multi-worker``: the pieces are disjoint and
    cover the batch, so no two workers train on the same rows.
    """
    if not 0 <= index < pieces:
        raise ValueError(f"piece {index} of {pieces}")
    return rows[index::pieces]  # type: ignore[index]


@dataclass(frozen=True)
class Placement:
    """A strategy and the devices it trains on, as the card records them."""

    strategy: Any  # a tf.distribute.Strategy
    devices: tuple[str, ...]  # logical device names, e.g. ("/device:CPU:0", "/device:CPU:1"), of every worker
    cluster: Cluster | None = None  # a multi-worker run: this process's place in it

    @property
    def workers(self) -> int:
        return self.cluster.workers if self.cluster else 1

    @property
    def name(self) -> str:
        """The strategy's public class name (TensorFlow's MultiWorkerMirroredStrategy is a CollectiveAllReduceStrategy)."""
        return "MultiWorkerMirroredStrategy" if self.cluster else type(self.strategy).__name__

    @property
    def replicas(self) -> int:
        return len(self.devices)

    @property
    def on_cpu(self) -> bool:
        return all(":CPU:" in device for device in self.devices)

    def describe(self) -> str:
        """"on /device:CPU:0", or "with MirroredStrategy on /device:CPU:0, /device:CPU:1"."""
        return describe_devices(self.name, self.devices, self.workers)


def describe_devices(strategy: str, devices: tuple[str, ...] | list[str], workers: int = 1) -> str:
    """Where a model trains (or trained), in words: the default strategy's private class name is left out."""
    where = f"on {', '.join(devices)}" + (f" ({workers} workers)" if workers > 1 else "")
    return where if len(devices) == 1 or not strategy else f"with {strategy} {where}"


def make_strategy(tf: Any, name: str) -> Placement:
    """The strategy ``name`` over this machine's visible devices (TensorFlow must be imported: ``tf``).

    ``multi-worker`` must be made before TensorFlow runs anything (it configures the runtime's collective ops),
    and waits here until every worker of ``TF_CONFIG`` has started."""
    check_strategy(name)
    if name == MULTI_WORKER:
        return multi_worker(tf, read_cluster())
    if name == "mirrored" and not tf.config.list_physical_devices("GPU"):
        split_cpu(tf, os.cpu_count() or 1)  # before anything lists logical devices: that starts the runtime
    gpus = [device.name for device in tf.config.list_logical_devices("GPU")]
    if name == "mirrored" or (name == "auto" and len(gpus) > 1):
        devices = gpus or [device.name for device in tf.config.list_logical_devices("CPU")]
        if len(devices) < 2:
            raise RnnplayError(f"--strategy mirrored needs at least two devices to mirror over; this process shows one "
                               f"({', '.join(devices) or 'none'}), and a CPU can be split only before TensorFlow has started "
                               f"(in a new process) on a machine of several cores: use --strategy one")
        return Placement(tf.distribute.MirroredStrategy(devices), tuple(devices))
    # The default strategy places everything on TensorFlow's first device: the first GPU, else the CPU.
    first = gpus[:1] or [device.name for device in tf.config.list_logical_devices("CPU")][:1]
    return Placement(tf.distribute.get_strategy(), tuple(first))


def split_cpu(tf: Any, cores: int) -> None:
    """Show the CPU as ``cores`` logical devices, for ``mirrored`` without a GPU; a no-op on one core, when it
    is split already (by the caller, or an earlier run in this process), or once the runtime has started
    (then ``make_strategy`` finds one device and says so)."""
    cpus = tf.config.list_physical_devices("CPU")
    if cores < 2 or not cpus or tf.config.get_logical_device_configuration(cpus[0]):
        return
    try:
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * cores)
    except RuntimeError:  # "Virtual devices cannot be modified after being initialized"
        pass


def multi_worker(tf: Any, cluster: Cluster) -> Placement:
    """``MultiWorkerMirroredStrategy`` over ``cluster`` (TensorFlow reads the same ``TF_CONFIG``); the devices of
    every worker, which must all have as many as this one (MultiWorkerMirroredStrategy's own rule).

    Making it waits without end until every worker has started (TensorFlow's barrier). Measured: meanwhile the
    process ignores Ctrl-C and SIGTERM, even with the wait on another thread (Python's lock is held through
    it); Ctrl-\\ (SIGQUIT) or kill -9 ends it."""
    options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=COLLECTIVE_TIMEOUT)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    local = [device.split("/device:", 1)[1] for device in strategy.extended.worker_devices]
    devices = tuple(f"/job:{kind}/replica:0/task:{index}/device:{device}"
                    for kind, index in _task_indices(cluster) for device in local)
    return Placement(strategy, devices, cluster)


def _task_indices(cluster: Cluster) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    out = []
    for kind, _ in cluster.tasks:
        out.append((kind, counts.get(kind, 0)))
        counts[kind] = counts.get(kind, 0) + 1
    return out
