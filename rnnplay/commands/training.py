"""``rnnplay train`` and ``rnnplay import``, and ``app``: them and the cbow group, as the REPL runs them.

The REPL's ``:train`` and ``:cbow`` go through ``app`` in-process, so their options, checks, progress
display and messages are the CLI's own. The commands that save return the saved folder, which
Typer hands back to an in-process caller, so the REPL can switch to it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from rnnplay.commands.cbow import CBOW_HELP, cbow_app
from rnnplay.commands.common import CONTEXT_SETTINGS, ModelsDir, Typer, figure, run_job, run_training, shown, user_errors
from rnnplay.commands.race import add_race_command
from rnnplay.errors import UsageError
from rnnplay.printable import printable


@user_errors
def train(
    corpus: str = typer.Option("imdb", "--corpus", "-c", help="Built-in corpus (imdb, rt, reviews) or a CSV/TSV/JSONL file or aclImdb-style folder."),
    preset: str = typer.Option("default", "--preset", "-p", help="Starting settings: default (fast) or tutorial (the TensorFlow tutorial's model)."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Name of the saved model (default: CORPUS-PRESET)."),
    cell: Optional[str] = typer.Option(None, help="Recurrent cell: lstm, gru or rnn."),
    bidirectional: Optional[bool] = typer.Option(None, "--bidirectional/--unidirectional", help="Read both ways (cannot stream) or left to right only."),
    layers: Optional[int] = typer.Option(None, help="Stacked recurrent layers."),
    units: Optional[int] = typer.Option(None, help="Units per recurrent layer and direction."),
    embedding_dim: Optional[int] = typer.Option(None, help="Size of the word vectors."),
    vocab_size: Optional[int] = typer.Option(None, help="Vocabulary size, including padding and [UNK]."),
    max_length: Optional[int] = typer.Option(None, help="Tokens kept per text; 0 keeps all (slow)."),
    truncate: Optional[str] = typer.Option(None, help="Keep the start or the end of a long text."),
    dense_units: Optional[int] = typer.Option(None, help="Hidden ReLU units in the head; 0 for none."),
    dropout: Optional[float] = typer.Option(None, help="Dropout on the recurrent output while training."),
    batch_size: Optional[int] = typer.Option(None, help="Texts per training step."),
    learning_rate: Optional[float] = typer.Option(None, help="Adam learning rate."),
    epochs: Optional[int] = typer.Option(None, help="Passes over the training split."),
    restore_best: Optional[bool] = typer.Option(None, "--restore-best/--keep-last", help="Keep the epoch with the best validation accuracy, or the last."),
    strip_markup: Optional[bool] = typer.Option(None, "--strip-markup/--keep-markup", help="Turn <br /> into spaces before tokenizing."),
    seed: Optional[int] = typer.Option(None, help="Seed for the split, the initial weights and the shuffling."),
    init_embeddings: Optional[str] = typer.Option(None, "--init-embeddings", help="Start the embedding from these word vectors (e.g. imdb-cbow); sets --embedding-dim to theirs. The default preset starts from reviews-cbow; none starts from random vectors."),
    pooling: Optional[str] = typer.Option(None, help="What the head reads of the last layer: last (its final state), max or mean (over every word)."),
    schedule: Optional[str] = typer.Option(None, help="Learning rate over the run: constant, or cosine (down to 0 at the end)."),
    label_smoothing: Optional[float] = typer.Option(None, help="Pull the 0/1 targets this far towards 1/2 (0 for none)."),
    embedding_dropout: Optional[float] = typer.Option(None, help="Drop whole word vectors while training (0 for none)."),
    bucket: Optional[bool] = typer.Option(None, "--bucket/--no-bucket", help="Pad each batch to its longest text (in steps of 32), not to --max-length."),
    cut_sentences: Optional[int] = typer.Option(None, help="Also train on this many sentences cut from each training text, with its label."),
    text_column: str = typer.Option("text", help="Text column of a CSV/TSV/JSONL corpus."),
    label_column: str = typer.Option("label", help="Label column (0/1, neg/pos, negative/positive, false/true)."),
    test_file: Optional[list[Path]] = typer.Option(None, "--test-file", help="Your own held-out set (CSV/TSV/JSONL, text and label columns), scored after training and recorded on the card; never used to choose. Repeatable."),
    stream: Optional[bool] = typer.Option(None, "--stream/--no-stream", help="Leave the corpus file on disk and read it again each epoch (for a corpus larger than memory), or load it into memory (faster when it fits). Default: stream a file larger than 512 MiB, load anything smaller and the built-in corpora."),
    strategy: str = typer.Option("auto", "--strategy", help="Devices that train (tf.distribute): auto (mirrored over the GPUs when there are several, else one), one (one device), mirrored (every GPU; without one, the CPU split into a logical device per core), multi-worker (one process per worker, the cluster in TF_CONFIG; only the chief saves)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Train a sentiment classifier (TensorFlow) and save it; Ctrl-C stops and saves nothing."""
    # Returns the saved folder, for callers that run the app in-process (the REPL's :train). This is a
    # comment, not part of the docstring, because Typer shows the docstring as the help text.
    from rnnplay.config import NO_VECTORS
    from rnnplay.config import preset as preset_config
    from rnnplay.corpora import require_corpus
    from rnnplay.store import check_name, read_card, resolve, user_models_dir
    from rnnplay.training.distribute import MULTI_WORKER, check_strategy, read_cluster

    check_strategy(strategy)  # a typo is one line, before any file is read
    cluster = read_cluster() if strategy == MULTI_WORKER else None  # and so is a bad TF_CONFIG
    base = preset_config(preset)
    if init_embeddings == NO_VECTORS:  # the preset's start vectors (the default's reviews-cbow) left out
        base, init_embeddings = replace(base, init_embeddings=None), None
    if (vectors := init_embeddings or base.init_embeddings) and embedding_dim is None:
        embedding_dim = read_card(resolve(vectors, models_dir)).vector_size
    config = base.with_overrides(
        cell=cell, bidirectional=bidirectional, layers=layers, units=units, embedding_dim=embedding_dim,
        vocab_size=vocab_size, max_length=max_length, truncate=truncate, dense_units=dense_units, dropout=dropout,
        batch_size=batch_size, learning_rate=learning_rate, epochs=epochs, restore_best=restore_best,
        strip_markup=strip_markup, seed=seed, init_embeddings=init_embeddings, pooling=pooling, schedule=schedule,
        label_smoothing=label_smoothing, embedding_dropout=embedding_dropout, bucket=bucket, cut_sentences=cut_sentences,
    )
    if init_embeddings is None and config.init_embeddings and embedding_dim is not None:  # checked: a size in bounds
        size = read_card(resolve(config.init_embeddings, models_dir)).vector_size
        if size != config.embedding_dim:  # the size asked for wins over the preset's start, which cannot fill it
            typer.echo(f"note: --embedding-dim {embedding_dim} is not the {size} of the preset's start vectors "
                       f"({config.init_embeddings}): the embedding starts at random", err=True)
            config = replace(config, init_embeddings=None)
    require_corpus(corpus)  # a typo is one line, before any progress display
    test_files = list(test_file or [])
    for path in test_files:
        if not path.is_file():
            raise UsageError(f"--test-file {printable(str(path))}: no such file")
    if len({path.name for path in test_files}) < len(test_files):
        raise UsageError("two --test-file files have the same name; the card records each by its name")
    target = user_models_dir(models_dir) / check_name(name or f"{Path(corpus).stem}-{preset}")
    from rnnplay.training.classifier import train_classifier

    job = lambda listener: train_classifier(
        config, corpus, target, text_column=text_column, label_column=label_column, overwrite=force, listener=listener,
        test_files=test_files, strategy=strategy, stream=stream)
    if cluster is not None and not cluster.is_chief:  # trains with the chief and writes nothing
        path, console = run_job(job)
        console.print(f"{shown(cluster.describe())}: trained, and saved nothing; the chief, {shown(cluster.chief)}, saves the "
                      f"model as [bold]{shown(path.name)}[/bold] in its models folder")
        return path
    path, card, console = run_training(job)
    test = card.score("test")
    console.print(f"saved [bold]{shown(path)}[/bold]: held-out accuracy {figure(test.accuracy, '.4f')} on "
                  f"{figure(test.n, ',')} texts, trained in {figure(card.number('training', 'seconds'), '.0f')}s "
                  f"(best epoch {figure(card.number('training', 'best_epoch'), '.0f')})")
    if card.streamed:
        console.print("  streamed from disk (--stream): read again each epoch, never held in memory")
    if card.devices:  # cards record them since --strategy
        from rnnplay.training.distribute import describe_devices

        console.print(f"  trained {shown(describe_devices(card.strategy, card.devices, card.workers))}")
    for source, score in {**card.source_scores("test"), **card.file_scores()}.items():
        console.print(f"  {shown(source)}: held-out accuracy {figure(score.accuracy, '.4f')} on {figure(score.n, ',')} texts")
    return path


@user_errors
def import_model(
    file: Path = typer.Argument(..., help="A .keras file: [TextVectorization →] Embedding → recurrent layers → Dense head."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Name of the saved model (default: the file's stem)."),
    corpus: str = typer.Option("imdb", help="Texts for the parity check against Keras."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Convert a Keras classifier (safe_mode: no code from the file runs) and verify it predicts the same."""
    from rnnplay.store import check_name, user_models_dir
    from rnnplay.training.keras_import import import_keras

    target = user_models_dir(models_dir) / check_name(name or file.stem)
    path, parity = import_keras(file, target, corpus, overwrite=force)
    typer.echo(f"imported {printable(path)}: max |P(keras) - P(rnnplay)| = {parity['max_abs_diff']:.2e} on {parity['n']} texts",
               err=True)
    return path


def add_training_commands(app: typer.Typer) -> None:
    """Register ``train`` and ``import`` on ``app`` (the CLI's, or the REPL's below)."""
    app.command()(train)
    app.command("import")(import_model)


def add_cbow_group(app: typer.Typer) -> None:
    app.add_typer(cbow_app, name="cbow", help=CBOW_HELP)


# What the REPL's :train and :cbow run: the same commands as the CLI, without the rest of it.
app = Typer(name="rnnplay", add_completion=False, pretty_exceptions_enable=False, context_settings=CONTEXT_SETTINGS)
add_training_commands(app)
add_cbow_group(app)
add_race_command(app)
