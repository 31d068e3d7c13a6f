"""MirroredStrategy over two logical CPU devices against one device, on this machine (issue 16).

    python benchmarks/distribute.py              # the default preset, 1 epoch on reviews, four ways (~4 min)
    python benchmarks/distribute.py --epochs 4   # the whole preset

Each run is a fresh process (logical devices are fixed before TensorFlow starts) training the default
preset with ``train_classifier`` into a temporary folder: one device on an unsplit CPU; one device on a CPU
split into two logical devices (what the mirrored run's machine looks like, with only one used); and
``--strategy mirrored``, which splits the CPU into one logical device per core and mirrors over them. Mirroring on one machine's CPU adds no cores: both replicas share
the same two, and a mirrored run trains without XLA (it fails under several replicas on CPU), so one
device with XLA switched off is run too, to tell the two apart. Rows give the fit time from the card (all epochs),
the process's CPU time and the held-out accuracy; results go to ``benchmarks/results/distribute.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from dataclasses import replace

from common import in_fresh_process, write_results

from rnnplay.config import preset

RUN = textwrap.dedent("""
    import json, sys, tempfile, time
    from pathlib import Path
    from rnnplay.config import ClassifierConfig
    from rnnplay.store import load_model
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.classifier import train_classifier

    config, corpus, strategy, split, xla = ClassifierConfig(**json.loads(sys.argv[1])), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    tf, keras = tensorflow_modules()
    if xla == "off":  # what a mirrored run compiles with, on one device: separates XLA from the mirroring
        compile_model = keras.Model.compile
        keras.Model.compile = lambda self, *a, **k: compile_model(self, *a, **{**k, "jit_compile": False})
    if split > 1:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * split)
    with tempfile.TemporaryDirectory() as folder:
        card = load_model(train_classifier(config, corpus, Path(folder) / "m", strategy=strategy)).card
    print(json.dumps({"seconds": card.number("training", "seconds"), "accuracy": card.held_out_accuracy,
                      "validation": card.score("validation").accuracy, "devices": list(card.devices),
                      "cpu": time.process_time()}))
""")

WAYS = (("one device, CPU not split", "one", 1, "on"), ("one device, CPU not split, XLA off", "one", 1, "off"),
        ("one device of two logical CPUs", "one", 2, "on"), ("mirrored over two logical CPUs (XLA off)", "mirrored", 1, "off"))  # --strategy mirrored splits the CPU itself


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--corpus", default="reviews")
    args = parser.parse_args()
    config = replace(preset("default"), epochs=args.epochs)
    rows = []
    print(f"default preset, {args.epochs} epoch(s) on {args.corpus}, {os.cpu_count()} cores", flush=True)
    for what, strategy, split, xla in WAYS:
        load = os.getloadavg()[0]
        result = in_fresh_process(RUN, json.dumps(config.to_dict()), args.corpus, strategy, str(split), xla)
        if result.get("ok") is False:
            sys.exit(f"{what}: failed: {result['error']}")
        result["load"] = max(load, os.getloadavg()[0])  # other work on the machine inflates the fit time
        rows.append((what, result))
        print(f"  {what:<34} fit {result['seconds']:6.1f} s  CPU {result['cpu']:6.0f} s  "
              f"validation {result['validation']:.4f}  test {result['accuracy']:.4f}  load {result['load']:.1f}  "
              f"{', '.join(result['devices'])}", flush=True)
    table = ["| run | fit time | process CPU time | validation | test | load average |", "|---|---|---|---|---|---|"]
    table += [f"| {what} | {r['seconds']:.1f} s | {r['cpu']:.0f} s | {r['validation']:.4f} | {r['accuracy']:.4f} | {r['load']:.1f} |"
              for what, r in rows]
    write_results("distribute", f"python benchmarks/distribute.py --epochs {args.epochs} --corpus {args.corpus}",
                  f"Default preset (seed 0), {args.epochs} epoch(s), {os.cpu_count()} cores, no GPU.", table)


if __name__ == "__main__":
    main()
