"""Can the CBOW trainer's XLA chunk run under tf.distribute? And how it scales on 1 and 2 threads (issue 16).

    python benchmarks/cbow_strategy.py          # imdb, 1 epoch (~3 min); --corpus rt for a quick look

Three measurements, each in a fresh process (logical devices are fixed before TensorFlow starts):

1. ``train_vectors`` as shipped, ``workers`` 1 and 2 (its own threads, each with a copy of the vectors,
   their changes summed after every call of 32,768 windows): windows per second.
2. The same compiled chunk called through ``MirroredStrategy.run`` over two logical CPU devices, its
   variables made in the strategy's scope with SUM aggregation, either mirrored (every sparse update
   summed into both copies at once) or synchronised on read (each replica updates its own copy, the
   trainer's own scheme): with XLA (``jit_compile=True``, as the trainer runs) and without.
3. Whatever fails is printed as its first line, so the README can say what it would take.

Results go to ``benchmarks/results/cbow_strategy.md``.
"""

from __future__ import annotations

import argparse
import os
import textwrap

from common import in_fresh_process, write_results

THREADS = textwrap.dedent("""
    import json, sys, time
    from dataclasses import replace
    from rnnplay.config import CbowConfig
    from rnnplay.corpora import load_texts
    from rnnplay.text import TextSettings
    from rnnplay.training import tensorflow_modules
    from rnnplay.training.cbow import train_vectors

    corpus, workers = sys.argv[1], int(sys.argv[2])  # windows/s over a whole epoch, XLA's compiling included
    config = replace(CbowConfig(), workers=workers, epochs=1)
    settings = TextSettings(strip_markup=config.strip_markup)
    tokens = [settings.tokens(text) for text in load_texts(corpus)]
    tensorflow_modules()
    trained = train_vectors(tokens, config)
    print(json.dumps({"windows_per_second": trained.stats["windows_per_second"], "seconds": trained.stats["seconds"]}))
""")

MIRRORED = textwrap.dedent('''
    import json, sys, time
    import numpy as np
    from dataclasses import replace
    from rnnplay.config import CbowConfig
    from rnnplay.corpora import load_texts
    from rnnplay.text import TextSettings
    from rnnplay.training import tensorflow_modules
    from rnnplay.training import cbow

    corpus, jit, sync = sys.argv[1], sys.argv[2] == "xla", sys.argv[3]
    tf, _ = tensorflow_modules()
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    config = replace(CbowConfig(), workers=1, epochs=1)
    settings = TextSettings(strip_markup=config.strip_markup)
    text = cbow.prepare([settings.tokens(t) for t in load_texts(corpus)], config.min_count, config.max_vocab)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    real_variable = tf.Variable

    def summed(*args, **kwargs):
        # "write": mirrored, every replica's sparse update summed into both copies at once (a sync per update);
        # "read": each replica updates its own copy (the trainer's threads' scheme), summed when read
        synchronization = tf.VariableSynchronization.ON_WRITE if sync == "write" else tf.VariableSynchronization.ON_READ
        return real_variable(*args, aggregation=tf.VariableAggregation.SUM, synchronization=synchronization, **kwargs)

    tf.Variable = summed
    try:
        with strategy.scope():
            compiled = cbow._Compiled(tf, config, len(text.words), cbow.noise_table(text.counts), config.batch_size)
    finally:
        tf.Variable = real_variable
    chunk = tf.function(compiled.chunk.python_function, jit_compile=jit)
    per_call = cbow.STEPS_PER_CALL * config.batch_size
    stream, docs, share = cbow._layout(text.ids, text.texts, config.window, 2, per_call)
    calls = -(-share // per_call)
    w_in, w_out = compiled.base

    def pieces(call):
        def piece(context):
            k = context.replica_id_in_sync_group
            first = k * share + call * per_call
            end = min((k + 1) * share, len(text.ids)) - first
            cut = slice(first, first + per_call + 2 * config.window)
            return (tf.constant(stream[cut]), tf.constant(docs[cut]), tf.constant(np.int32(end)), tf.constant(np.int32(first)))
        return strategy.experimental_distribute_values_from_function(piece)

    @tf.function
    def step(s, d, e, f):
        return strategy.run(lambda s, d, e, f: chunk(w_in, w_out, s, d, e, np.float32(config.alpha), np.float32(0.0), f,
                                                     np.int32(7)), args=(s, d, e, f))

    try:
        started, windows = time.perf_counter(), 0.0
        for call in range(min(calls, 40)):
            loss, n = step(*pieces(call))
            windows += float(strategy.reduce("SUM", n, axis=None))
        seconds = time.perf_counter() - started
        print(json.dumps({"ok": True, "windows_per_second": round(windows / seconds), "seconds": round(seconds, 1)}))
    except Exception as error:  # the point of the experiment: what fails, in its own words
        # TensorFlow's message starts with "in user code:" and a traceback; its last line says what failed
        last = [line.strip() for line in str(error).splitlines() if line.strip()][-1:] or [""]
        print(str(error)[-3000:], file=sys.stderr)
        print(json.dumps({"ok": False, "error": last[0].split(". ")[0][:200]}))  # its first sentence
''')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="imdb")
    args = parser.parse_args()
    rows = []
    for workers in (1, 2):
        load = os.getloadavg()[0]
        result = in_fresh_process(THREADS, args.corpus, str(workers))
        result["load"] = max(load, os.getloadavg()[0])  # other work on the machine: it takes the second thread's core
        rows.append((f"train_vectors, {workers} thread{'s' * (workers > 1)} (as shipped)", result))
        print(rows[-1], flush=True)
    for sync in ("write", "read"):
        for mode in ("xla", "graph"):
            result = in_fresh_process(MIRRORED, args.corpus, mode, sync)
            variables = "mirrored variables (SUM on write)" if sync == "write" else "a copy per replica (SUM on read)"
            rows.append((f"MirroredStrategy over 2 logical CPUs, {variables}, {'XLA' if mode == 'xla' else 'no XLA'}", result))
            print(rows[-1], flush=True)
    table = ["| run | windows/s | note |", "|---|---|---|"]
    for what, r in rows:
        table.append(f"| {what} | {r['windows_per_second']:,} | {r['seconds']} s, load average {r['load']:.1f} |" if "windows_per_second" in r
                     else f"| {what} | fails | {r['error']} |")
    write_results("cbow_strategy", f"python benchmarks/cbow_strategy.py --corpus {args.corpus}",
                  f"CBOW defaults, 1 epoch, {os.cpu_count()} cores, no GPU.", table)


if __name__ == "__main__":
    main()
