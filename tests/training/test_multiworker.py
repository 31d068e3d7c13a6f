"""--strategy multi-worker: TF_CONFIG is checked up front, the batches are cut between the workers, and two
processes on localhost train the tiny corpus together while only the chief saves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from rnnplay.cli import app
from rnnplay.errors import UsageError
from rnnplay.store import read_card
from rnnplay.training.distribute import read_cluster, shard
from tests.conftest import ROOT, TINY_CSV

runner = CliRunner()
TWO_WORKERS = {"cluster": {"worker": ["localhost:2222", "localhost:2223"]}, "task": {"type": "worker", "index": 1}}


def tf_config(value: object) -> dict[str, str]:
    return {"TF_CONFIG": value if isinstance(value, str) else json.dumps(value)}


def test_worker_0_is_the_chief_when_the_cluster_has_no_chief():
    first = read_cluster(tf_config({**TWO_WORKERS, "task": {"type": "worker", "index": 0}}))
    second = read_cluster(tf_config(TWO_WORKERS))
    assert first.is_chief and not second.is_chief and first.workers == second.workers == 2
    assert second.describe() == "worker 1 of 2 (localhost:2223)" and second.chief == "worker 0 (localhost:2222)"


def test_a_chief_saves_and_every_worker_trains_beside_it():
    cluster = {"chief": ["host0:2222"], "worker": ["host1:2222", "host2:2222"]}
    chief = read_cluster(tf_config({"cluster": cluster, "task": {"type": "chief", "index": 0}}))
    worker_0 = read_cluster(tf_config({"cluster": cluster, "task": {"type": "worker", "index": 0}}))
    assert chief.is_chief and not worker_0.is_chief and chief.workers == 3
    assert worker_0.rank == 1 and worker_0.chief == "chief 0 (host0:2222)"


@pytest.mark.parametrize("value, message", [
    (None, "--strategy multi-worker needs TF_CONFIG"),
    ("", "--strategy multi-worker needs TF_CONFIG"),
    ('{"cluster": ', "TF_CONFIG is not valid JSON (Expecting value at character 12)"),
    ([1, 2], 'TF_CONFIG must be a JSON object with a "cluster" object and a "task" object'),
    ({"task": {"type": "worker", "index": 0}}, 'with a "cluster" object and a "task" object'),
    ({"cluster": {"worker": ["a:1"]}}, 'with a "cluster" object and a "task" object'),
    ({"cluster": {"worker": "a:1"}, "task": {"type": "worker"}}, 'TF_CONFIG cluster.worker must be a list of "host:port" addresses'),
    ({"cluster": {"ps": ["a:1"]}, "task": {"type": "ps", "index": 0}}, 'TF_CONFIG cluster has no "chief" or "worker" addresses'),
    ({"cluster": {"worker": ["a:1", "a:1"]}, "task": {"type": "worker", "index": 0}}, "TF_CONFIG cluster lists an address twice"),
    ({"cluster": {"chief": ["a:1", "b:1"]}, "task": {"type": "chief", "index": 0}}, "cluster.chief must hold one address, not 2"),
    ({"cluster": {"worker": ["a:1"]}, "task": {"type": "evaluator", "index": 0}}, 'task.type must be chief or worker, not "evaluator"'),
    ({"cluster": {"worker": ["a:1", "b:1"]}, "task": {"type": "worker", "index": 2}}, "task.index must be 0 to 1 (cluster.worker has 2), not 2"),
    ({"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": "0"}}, 'task.index must be 0 to 0 (cluster.worker has 1), not "0"'),
    ({"cluster": {"worker": ["a:1"]}, "task": {"type": "chief", "index": 0}}, "task.type is chief, but cluster.chief lists no address"),
])
def test_a_bad_tf_config_is_one_usage_line(value, message):
    with pytest.raises(UsageError) as refused:
        read_cluster({} if value is None else tf_config(value))
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_the_command_refuses_a_bad_tf_config_in_one_line_before_reading_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", json.dumps({**TWO_WORKERS, "task": {"type": "worker", "index": 5}}))
    result = runner.invoke(app, ["train", "--strategy", "multi-worker", "--corpus", "nowhere.csv", "--models-dir", str(tmp_path / "m")])
    assert result.exit_code == 2, result.output
    assert "task.index must be 0 to 1 (cluster.worker has 2), not 5" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "m").exists()


def test_each_worker_gets_its_own_rows_of_every_batch():
    x, y = np.arange(14).reshape(7, 2), np.arange(7.0)
    pieces = [(shard(x, 2, i), shard(y, 2, i)) for i in range(2)]
    assert [len(p) for p, _ in pieces] == [4, 3]
    assert sorted(np.concatenate([p for _, p in pieces])) == list(y)  # disjoint, and together the whole batch
    np.testing.assert_array_equal(pieces[1][0], x[1::2])
    assert len(shard(y[:1], 2, 1)) == 0  # a last batch of one text: the second worker's piece is empty, it still steps
    with pytest.raises(ValueError):
        shard(y, 2, 2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


@pytest.mark.tensorflow
def test_two_workers_on_localhost_train_and_only_the_chief_saves(tmp_path):
    """Two processes, TF_CONFIG with two ports: both exit 0, one model folder, nothing else written."""
    cluster = {"worker": [f"localhost:{free_port()}", f"localhost:{free_port()}"]}
    flags = ["--corpus", str(TINY_CSV), "--init-embeddings", "none", "--units", "8", "--embedding-dim", "8", "--dense-units", "8",
             "--max-length", "20", "--epochs", "8", "--batch-size", "31", "--learning-rate", "0.01", "--dropout", "0",
             "--strategy", "multi-worker", "--name", "tiny"]  # 280 training texts in batches of 31: the last is one text
    workers = []
    for index in range(2):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "COLUMNS": "200",
               "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})}
        workers.append(subprocess.Popen([sys.executable, "-m", "rnnplay", "train", *flags, "--models-dir", str(tmp_path / f"models{index}")],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    try:
        outputs = [worker.communicate(timeout=240) for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    for worker, (_, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-3000:]
    assert sorted(p.name for p in (tmp_path / "models0").iterdir()) == ["tiny"]  # no partial or lock folder left
    assert not (tmp_path / "models1").exists()  # the other worker wrote nothing at all
    card = read_card(tmp_path / "models0" / "tiny")
    assert card.strategy == "MultiWorkerMirroredStrategy" and card.workers == 2
    assert card.devices == ("/job:worker/replica:0/task:0/device:CPU:0", "/job:worker/replica:0/task:1/device:CPU:0")
    assert card.held_out_accuracy is not None and card.held_out_accuracy >= 0.9
    assert "(2 workers)" in outputs[0][1]
    assert "worker 1 of 2" in outputs[1][1] and "saved nothing" in outputs[1][1] and "worker 0" in outputs[1][1]
