"""TensorFlow side: everything that trains, imports or converts. Imported only when that happens."""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Any


@cache
def tensorflow_modules() -> tuple[Any, Any]:
    """Import TensorFlow and Keras once, keeping their start-up noise off the user's terminal.

    TF_CPP_MIN_LOG_LEVEL hides most C++ logging, but oneDNN and absl still print to file
    descriptor 2 while the library loads, so stderr is pointed at /dev/null for the import only.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import warnings

    # Keras warns about generator datasets running out, which is how we end each epoch.
    warnings.filterwarnings("ignore", module=r"keras(\.|$)")
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import keras
        import tensorflow as tf
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    tf.get_logger().setLevel("ERROR")
    return tf, keras
