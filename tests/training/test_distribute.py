"""tf.distribute: MirroredStrategy over the CPU's logical devices (one per core) trains the tiny corpus as well as one device.

Logical devices must be configured before TensorFlow initializes its runtime, and a pytest worker may
already have done that, so both runs happen in a fresh Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from rnnplay.errors import UsageError
from rnnplay.training.distribute import check_strategy, describe_devices
from tests.conftest import ROOT, TINY_CSV
from tests.training.test_classifier import TINY

pytestmark = pytest.mark.tensorflow

TWO_CPUS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from rnnplay.config import ClassifierConfig
    from rnnplay.store import load_model
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.classifier import train_classifier

    config, corpus, folder = ClassifierConfig(**json.loads(sys.argv[1])), sys.argv[2], Path(sys.argv[3])
    cards = {}
    # mirrored first: it splits the CPU, before the runtime has started; then streamed from disk, mirrored too
    for name, strategy, stream in (("mirrored", "mirrored", False), ("streamed", "mirrored", True), ("one", "one", False)):
        card = load_model(train_classifier(config, corpus, folder / name, strategy=strategy, stream=stream)).card
        cards[name] = {"accuracy": card.held_out_accuracy, "strategy": card.strategy, "devices": list(card.devices)}
    print(json.dumps(cards))
""")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="mirrored splits the CPU into one device per core")
def test_mirrored_over_two_cpu_devices_learns_as_well_as_one(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", TWO_CPUS, json.dumps(TINY.to_dict()), str(TINY_CSV), str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    cards = json.loads(done.stdout.strip().splitlines()[-1])
    one, mirrored, streamed = cards["one"], cards["mirrored"], cards["streamed"]
    assert one["devices"] == ["/device:CPU:0"] and one["strategy"] != "MirroredStrategy"
    cores = [f"/device:CPU:{n}" for n in range(os.cpu_count() or 1)]
    assert mirrored == {**mirrored, "strategy": "MirroredStrategy", "devices": cores}  # split by make_strategy itself
    assert one["accuracy"] >= 0.9
    assert abs(mirrored["accuracy"] - one["accuracy"]) <= 0.02, cards
    assert streamed["devices"] == cores and abs(streamed["accuracy"] - one["accuracy"]) <= 0.02, cards


def test_a_strategy_name_is_checked_before_anything_runs():
    assert check_strategy("mirrored") == "mirrored"
    with pytest.raises(UsageError, match="--strategy must be one of auto, one, mirrored, multi-worker, not 'mirorred'"):
        check_strategy("mirorred")


def test_mirroring_over_one_device_is_refused_in_one_line_and_saves_nothing(tmp_path):
    from rnnplay.errors import RnnplayError
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.classifier import train_classifier

    tf, _ = tensorflow_modules()
    # Listing the devices starts TensorFlow's runtime, after which the CPU can no longer be split.
    if len(tf.config.list_logical_devices("GPU")) > 1 or len(tf.config.list_logical_devices("CPU")) > 1:
        pytest.skip("this process sees several devices: mirroring over them is allowed")
    with pytest.raises(RnnplayError) as refused:
        train_classifier(TINY, str(TINY_CSV), tmp_path / "m", strategy="mirrored")
    assert "--strategy mirrored needs at least two devices to mirror over" in str(refused.value)
    assert "a CPU can be split only before TensorFlow has started" in str(refused.value)
    assert "\n" not in str(refused.value) and not (tmp_path / "m").exists()


def test_where_a_model_trained_in_words():
    assert describe_devices("_DefaultDistributionStrategy", ["/device:CPU:0"]) == "on /device:CPU:0"
    assert describe_devices("MirroredStrategy", ("/device:GPU:0", "/device:GPU:1")) == \
        "with MirroredStrategy on /device:GPU:0, /device:GPU:1"


def test_xla_is_for_cpus_only():
    from rnnplay.training.distribute import Placement

    assert Placement(None, ("/device:CPU:0",)).on_cpu
    assert not Placement(None, ("/device:GPU:0",)).on_cpu  # cuDNN's LSTM cannot be XLA-compiled
