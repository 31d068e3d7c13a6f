"""Which devices train: TensorFlow's own ``tf.distribute`` strategies, chosen by name (``--strategy``).

``one`` is TensorFlow's default strategy: one device (the first GPU if there is one, else the CPU).
``mirrored`` is ``MirroredStrategy``: a copy of the model on each visible GPU, or on each logical CPU
device when there is no GPU, every batch split between them and the gradients summed. TensorFlow shows a
CPU as one device, so without a GPU ``mirrored`` first splits it into one logical device per core (which
TensorFlow allows only before its runtime has started). ``auto`` mirrors when more than one GPU is
visible, and is ``one`` otherwise. Nothing here imports TensorFlow until a
strategy is made, so the names can be checked before any data is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from rnnplay.errors import RnnplayError, UsageError

STRATEGIES = ("auto", "one", "mirrored")


def check_strategy(name: str) -> str:
    """``name`` if it is one of ``STRATEGIES``; a UsageError naming them otherwise."""
    if name not in STRATEGIES:
        raise UsageError(f"--strategy must be one of {', '.join(STRATEGIES)}, not {name!r}")
    return name


@dataclass(frozen=True)
class Placement:
    """A strategy and the devices it trains on, as the card records them."""

    strategy: Any  # a tf.distribute.Strategy
    devices: tuple[str, ...]  # logical device names, e.g. ("/device:CPU:0", "/device:CPU:1")

    @property
    def name(self) -> str:
        return type(self.strategy).__name__

    @property
    def replicas(self) -> int:
        return len(self.devices)

    @property
    def on_cpu(self) -> bool:
        return all(":CPU:" in device for device in self.devices)

    def describe(self) -> str:
        """"on /device:CPU:0", or "with MirroredStrategy on /device:CPU:0, /device:CPU:1"."""
        return describe_devices(self.name, self.devices)


def describe_devices(strategy: str, devices: tuple[str, ...] | list[str]) -> str:
    """Where a model trains (or trained), in words: the default strategy's private class name is left out."""
    where = f"on {', '.join(devices)}"
    return where if len(devices) == 1 or not strategy else f"with {strategy} {where}"


def make_strategy(tf: Any, name: str) -> Placement:
    """The strategy ``name`` over this machine's visible devices (TensorFlow must be imported: ``tf``)."""
    check_strategy(name)
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
