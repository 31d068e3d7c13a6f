"""A child process for the streaming memory test: warm TensorFlow up, cap the address space, train once.

``python -m tests.training.memory_child stream|memory WARM.csv BIG.csv OUT MARGIN_MB``: trains on
``WARM.csv`` first (TensorFlow imported, its threads started and the step compiled, all of which take
address space that has nothing to do with the corpus), then caps ``RLIMIT_AS`` at the address space in
use plus ``MARGIN_MB`` and trains the same model on ``BIG.csv``, streamed or loaded into memory. Prints one
JSON line: whether it finished, and the address space before the cap, the cap and the peak (bytes).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from rnnplay.config import ClassifierConfig

CONFIG = ClassifierConfig(units=4, embedding_dim=4, dense_units=0, vocab_size=500, max_length=16, epochs=1, batch_size=256,
                          learning_rate=1e-2, dropout=0.0, bidirectional=False, init_embeddings=None)


def status(key: str) -> int:
    """A figure of /proc/self/status, in bytes (``VmSize``: the address space; ``VmPeak``: its largest)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) << 10
    raise KeyError(key)


def phases(event: object) -> None:
    """Each phase of the capped run on stderr, so a run that dies shows where."""
    if type(event).__name__ == "Phase":
        print(f"{event.text} (address space {status('VmSize') >> 20} MiB)", file=sys.stderr, flush=True)  # type: ignore[attr-defined]


def main(mode: str, warm: str, big: str, out: str, margin_mb: str) -> int:
    from rnnplay.training.classifier import train_classifier

    stream = mode == "stream"
    train_classifier(CONFIG, warm, Path(out) / "warm", stream=stream)
    before = status("VmSize")
    cap = before + (int(margin_mb) << 20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))
    try:
        train_classifier(CONFIG, big, Path(out) / "big", stream=stream, listener=phases)
        finished = True
    except MemoryError:
        finished = False
    print(json.dumps({"finished": finished, "before": before, "cap": cap, "peak": status("VmPeak")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
