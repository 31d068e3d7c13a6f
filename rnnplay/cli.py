"""The ``rnnplay`` command: one Typer app, thin commands over the runtime and training services.

Start-up stays light: this module imports no NumPy-heavy or TensorFlow code at the top; each command
imports what it needs, and only ``train`` and ``import`` ever load TensorFlow.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, TypeVar

import typer

from rnnplay.errors import Cancelled, RnnplayError, UsageError

app = typer.Typer(
    name="rnnplay",
    help="A terminal playground for recurrent text models: train, classify, compare.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_MODEL = "imdb-bilstm"
DEFAULT_VECTORS = "imdb-cbow"
ModelsDir = typer.Option(None, "--models-dir", envvar="RNNPLAY_MODELS_DIR", help="Folder of your own models (default: the user data dir).")


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"rnnplay: error: {message}", err=True)
    raise typer.Exit(code)


def user_errors(command: F) -> F:
    """Turn the failures a user can cause into one line on stderr and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RnnplayError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (``| head``): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0)

    return wrapper  # type: ignore[return-value]


def run_training(job: Callable[[Any], Path]) -> tuple[Path, dict, Any]:
    """Run ``job(listener)`` with a Rich progress display on stderr; Ctrl-C cancels and nothing is saved.

    Returns the saved model's path, its card and the console, for the command's closing line.
    """
    from rich.console import Console

    from rnnplay.progress_view import RichProgress
    from rnnplay.store import read_card

    console = Console(stderr=True)
    try:
        with RichProgress(console) as progress:
            path = job(progress)
    except KeyboardInterrupt:
        raise Cancelled("training cancelled; nothing was saved") from None
    return path, read_card(path), console


def load_classifier(model: str, models_dir: Optional[Path]) -> Any:
    from rnnplay.runtime.classifier import Classifier
    from rnnplay.store import resolve

    return Classifier.load(resolve(model, models_dir))


@app.command()
@user_errors
def tui(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier to start with (name or path)."),
    vectors: str = typer.Option(DEFAULT_VECTORS, "--vectors", help="The word vectors the Words screen starts with."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """The playground: type and watch the prediction, explore words, train with live curves."""
    from rnnplay.tui.app import run

    run(model=model, vectors=vectors, models_dir=models_dir)


@app.command()
@user_errors
def repl(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier to start with (name or path)."),
    vectors: str = typer.Option(DEFAULT_VECTORS, "--vectors", help="The word vectors :nn, :analogy, :sim and :guess use."),
    json_lines: bool = typer.Option(False, "--json", help="One JSON object per input line (for scripts)."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """A prompt: classify what you type, query words, train; reads commands line by line from a pipe."""
    from rnnplay.repl import run

    raise typer.Exit(run(model=model, vectors=vectors, json_lines=json_lines, models_dir=models_dir))


@app.command()
@user_errors
def classify(
    inputs: List[str] = typer.Argument(None, help="Files to classify line by line; '-' reads stdin. None: stdin."),
    text: List[str] = typer.Option(None, "--text", "-t", help="A text to classify (repeatable); one output line each."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model name or path to a model folder."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text (label, probability), tsv, or jsonl."),
    threshold: float = typer.Option(0.5, help="P(positive) at or above which the label is positive."),
    batch_size: int = typer.Option(256, min=1, help="Lines classified together (memory is bounded by this)."),
    max_line_bytes: int = typer.Option(1 << 20, min=1, help="Longer lines get an error line instead of a prediction."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """Classify text: exactly one output line per input line, in order, ready to paste back.

    Exit codes: 0 all lines classified (blank lines included), 1 some input was unreadable, 2 usage.
    """
    from rnnplay.classify import FORMATS, Classify, missing_sources, open_sources

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not 0.0 <= threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    inputs = list(inputs or [])
    if missing := missing_sources(inputs):
        raise RnnplayError(f"no such file: {', '.join(missing)}")
    if not inputs and not text:
        inputs = ["-"]
        if sys.stdin.isatty():
            typer.echo("rnnplay: reading lines from the terminal; end with Ctrl-D", err=True)
    engine = Classify(load_classifier(model, models_dir), sys.stdout, sys.stderr, fmt, threshold, batch_size, max_line_bytes)  # type: ignore[arg-type]
    if text:
        engine.texts(text)
    for source, stream in open_sources(inputs, sys.stdin.buffer):
        engine.stream(source, stream)
    if engine.tally.errors:
        raise typer.Exit(1)


@app.command()
@user_errors
def train(
    corpus: str = typer.Option("imdb", "--corpus", "-c", help="Built-in corpus (imdb, rt) or a CSV/TSV/JSONL file or aclImdb-style folder."),
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
    init_embeddings: Optional[str] = typer.Option(None, "--init-embeddings", help="Start the embedding from these word vectors (e.g. imdb-cbow); sets --embedding-dim to theirs."),
    text_column: str = typer.Option("text", help="Text column of a CSV/TSV/JSONL corpus."),
    label_column: str = typer.Option("label", help="Label column (0/1, neg/pos, negative/positive, false/true)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Train a sentiment classifier (TensorFlow) and save it; Ctrl-C stops and saves nothing.

    Returns the saved folder, for callers that run the app in-process (the REPL's :train).
    """
    from rnnplay.config import preset as preset_config
    from rnnplay.runtime.vectors import vector_size
    from rnnplay.store import check_name, read_card, resolve, user_models_dir

    if init_embeddings and embedding_dim is None:
        embedding_dim = vector_size(read_card(resolve(init_embeddings, models_dir)))
    config = preset_config(preset).with_overrides(
        cell=cell, bidirectional=bidirectional, layers=layers, units=units, embedding_dim=embedding_dim,
        vocab_size=vocab_size, max_length=max_length, truncate=truncate, dense_units=dense_units, dropout=dropout,
        batch_size=batch_size, learning_rate=learning_rate, epochs=epochs, restore_best=restore_best,
        strip_markup=strip_markup, seed=seed, init_embeddings=init_embeddings,
    )
    target = user_models_dir(models_dir) / check_name(name or f"{Path(corpus).stem}-{preset}")
    from rnnplay.training.classifier import train_classifier

    path, card, console = run_training(lambda listener: train_classifier(
        config, corpus, target, text_column=text_column, label_column=label_column, overwrite=force, listener=listener))
    test = card["metrics"]["test"]
    console.print(f"saved [bold]{path}[/bold]: held-out accuracy {test['accuracy']:.4f} on {test['n']:,} texts, "
                  f"trained in {card['training']['seconds']:.0f}s (best epoch {card['training']['best_epoch']})")
    return path


@app.command("import")
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
    typer.echo(f"imported {path}: max |P(keras) - P(rnnplay)| = {parity['max_abs_diff']:.2e} on {parity['n']} texts", err=True)
    return path


@app.command()
@user_errors
def models(models_dir: Optional[Path] = ModelsDir) -> None:
    """List saved models: yours and the shipped defaults (marked *)."""
    from rich.console import Console

    from rnnplay.render import models_table
    from rnnplay.store import list_models, user_models_dir

    listed = list_models(models_dir)
    table = models_table(listed)
    console = Console()
    console.print(table)
    if any(entry.source == "shipped" for entry in listed):
        console.print("[dim]* shipped with rnnplay (read-only); yours are in "
                      f"{user_models_dir(models_dir)}[/dim]", soft_wrap=True)


@app.command()
@user_errors
def corpora() -> None:
    """List the built-in corpora (user files are named by path)."""
    from rnnplay.corpora import BUILTIN

    for name, (_, description) in BUILTIN.items():
        typer.echo(f"{name:<6} {description}")
    typer.echo("or a path: CSV/TSV/JSONL with text and label columns, or a folder with pos/ and neg/")


# --- word vectors -------------------------------------------------------------------------------------

VectorsOption = typer.Option(DEFAULT_VECTORS, "--vectors", help="Word vectors: a vectors model, or a classifier (its embedding), by name or path.")
TopOption = typer.Option(10, "-k", "--top", min=1, help="How many words to show.")
cbow_app = typer.Typer(no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(cbow_app, name="cbow", help="CBOW word vectors: train, export, evaluate, import (word2vec files).")
EXPORT_FORMATS = ("word2vec", "word2vec-binary", "projector")


def load_vectors(name: str, models_dir: Optional[Path]) -> Any:
    from rnnplay.runtime.vectors import Vectors
    from rnnplay.store import resolve

    try:
        path = resolve(name, models_dir)
    except RnnplayError as error:
        if name != DEFAULT_VECTORS:
            raise
        raise RnnplayError(f"{error}; pass --vectors NAME (e.g. --vectors imdb-bilstm, the classifier's embedding)") from None
    return Vectors.load(path)


def show(views: list) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for view in views:
        console.print(view, soft_wrap=isinstance(view, Text))  # a title runs on; a table fits the width


@app.command()
@user_errors
def neighbours(
    word: str = typer.Argument(..., help="A word; standardized like the model's text ('Good!' finds 'good')."),
    top: int = TopOption,
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """The nearest words by cosine similarity."""
    from rnnplay.render import neighbours_view

    space = load_vectors(vectors, models_dir)
    show(neighbours_view(space, word, space.neighbours(word, k=top)))


@app.command()
@user_errors
def analogy(
    a: str = typer.Argument(..., help="The word to start from (actor)."),
    b: str = typer.Argument(..., help="What to take away (man)."),
    c: str = typer.Argument(..., help="What to add instead (woman)."),
    top: int = TopOption,
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """A − B + C: `analogy actor man woman` finds words like actress (3CosAdd, as gensim's most_similar)."""
    from rnnplay.render import analogy_view

    space = load_vectors(vectors, models_dir)
    show(analogy_view(space, a, b, c, space.analogy(a, b, c, k=top)))


@app.command()
@user_errors
def similarity(
    a: str = typer.Argument(..., help="A word."),
    b: str = typer.Argument(..., help="Another word."),
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """The cosine similarity of two words (1 same direction, 0 unrelated, −1 opposite)."""
    space = load_vectors(vectors, models_dir)
    typer.echo(f"cosine({a}, {b}) = {space.similarity(a, b):.4f}")


@app.command()
@user_errors
def guess(
    text: str = typer.Argument(..., help="A text with one blank (___) where the missing word goes."),
    top: int = TopOption,
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """CBOW's own guess of the blank from the words around it (needs CBOW vectors, not a classifier)."""
    from rnnplay.render import guess_view

    space = load_vectors(vectors, models_dir)
    rows = space.guess(text, k=top)
    left, right = space.context(text)
    show(guess_view(space, left + ["___"] + right, rows))


@cbow_app.command("train")
@user_errors
def cbow_train(
    corpus: str = typer.Option("imdb", "--corpus", "-c", help="Built-in corpus (imdb, rt), a .txt file (one text a line), or a CSV/TSV/JSONL file."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Name of the saved vectors (default: CORPUS-cbow)."),
    dimension: Optional[int] = typer.Option(None, "--dimension", "--vector-size", help="Size of each word vector (100)."),
    window: Optional[int] = typer.Option(None, help="Context words on each side, at most (5)."),
    min_count: Optional[int] = typer.Option(None, help="Leave out words seen fewer times (5)."),
    sample: Optional[float] = typer.Option(None, help="Subsampling of frequent words; 0 keeps all (1e-3)."),
    negative: Optional[int] = typer.Option(None, help="Noise words per window (5)."),
    epochs: Optional[int] = typer.Option(None, help="Passes over the corpus (5)."),
    alpha: Optional[float] = typer.Option(None, help="Starting learning rate, falling linearly (0.025)."),
    min_alpha: Optional[float] = typer.Option(None, help="Final learning rate (0.0001)."),
    batch_size: Optional[int] = typer.Option(None, help="Windows per update (256)."),
    workers: Optional[int] = typer.Option(None, help="Threads, each on its share of the text (2)."),
    max_vocab: Optional[int] = typer.Option(None, help="Keep only this many most frequent words."),
    strip_markup: Optional[bool] = typer.Option(None, "--strip-markup/--keep-markup", help="Turn <br /> into spaces before tokenizing."),
    seed: Optional[int] = typer.Option(None, help="Seed for the initial vectors, subsampling, windows and noise."),
    float16: bool = typer.Option(False, "--float16", help="Store the vectors at half size (as the shipped imdb-cbow)."),
    text_column: str = typer.Option("text", help="Text column of a CSV/TSV/JSONL corpus."),
    force: bool = typer.Option(False, "--force", help="Replace existing vectors of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Train CBOW word vectors (word2vec's algorithm, TensorFlow) and save them; Ctrl-C saves nothing."""
    from rnnplay.config import CbowConfig
    from rnnplay.store import check_name, user_models_dir

    config = CbowConfig().with_overrides(
        dimension=dimension, window=window, min_count=min_count, sample=sample, negative=negative, epochs=epochs,
        alpha=alpha, min_alpha=min_alpha, batch_size=batch_size, workers=workers, max_vocab=max_vocab,
        strip_markup=strip_markup, seed=seed,
    )
    target = user_models_dir(models_dir) / check_name(name or f"{Path(corpus).stem}-cbow")
    from rnnplay.training.cbow import train_cbow

    path, card, console = run_training(lambda listener: train_cbow(
        config, corpus, target, text_column=text_column, half=float16, overwrite=force, listener=listener))
    training = card["training"]
    console.print(f"saved [bold]{path}[/bold]: {card['architecture']['vocab_size']:,} words × {config.dimension}, "
                  f"{training['raw_tokens']:,} tokens × {config.epochs} epochs in {training['seconds']:.0f}s "
                  f"({training['windows_per_second'] / 1000:,.0f}k words/s after subsampling), final loss {card['metrics']['loss']:.3f}")
    return path


@cbow_app.command("export")
@user_errors
def cbow_export(
    model: str = typer.Argument(..., help="Word vectors (or a classifier) by name or path."),
    out: Path = typer.Argument(..., help="The file to write (a folder for projector)."),
    fmt: str = typer.Option("word2vec", "--format", "-f", help="word2vec (text), word2vec-binary, or projector (vectors.tsv + metadata.tsv)."),
    force: bool = typer.Option(False, "--force", help="Replace existing files."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """Write word vectors for gensim, word2vec tools or projector.tensorflow.org."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    from rnnplay.vector_formats import write_projector, write_word2vec

    existing = [out / name for name in ("vectors.tsv", "metadata.tsv")] if fmt == "projector" else [out]
    if not force and any(p.exists() for p in existing):
        raise RnnplayError(f"{next(p for p in existing if p.exists())} already exists (use --force to replace it)")
    space = load_vectors(model, models_dir)
    if fmt == "projector":
        written = ", ".join(str(p) for p in write_projector(space, out))
    else:
        written = str(write_word2vec(space, out, binary=fmt == "word2vec-binary"))
    typer.echo(f"wrote {written}: {len(space):,} words × {space.vector_size} ({fmt})", err=True)


@cbow_app.command("eval")
@user_errors
def cbow_eval(
    model: str = typer.Argument(..., help="Word vectors (or a classifier) by name or path."),
    pairs: List[Path] = typer.Option(None, "--pairs", help="Word-pair similarity file (WordSim-353, SimLex-999 format); repeatable."),
    analogies: Optional[Path] = typer.Option(None, "--analogies", help="Analogy questions (questions-words.txt format)."),
    restrict_vocab: int = typer.Option(300_000, min=1, help="Use only the most frequent words, as gensim does."),
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """Score word vectors as gensim does: Spearman on word pairs, accuracy on analogies.

    With no --pairs and no --analogies, uses the copies gensim ships (wordsim353.tsv, simlex999.txt,
    questions-words.txt) when gensim is installed.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from rnnplay.render import vectors_label
    from rnnplay.vector_eval import evaluate_analogies, evaluate_pairs, read_analogies, read_pairs, reference_data

    pairs = list(pairs or [])
    if not pairs and analogies is None:
        folder = reference_data()
        if folder is None:
            raise UsageError("give --pairs FILE and/or --analogies FILE (WordSim-353, SimLex-999, questions-words.txt; "
                             "gensim ships them in gensim/test/test_data)")
        pairs, analogies = [folder / "wordsim353.tsv", folder / "simlex999.txt"], folder / "questions-words.txt"
    pair_sets = [(path, read_pairs(path)) for path in pairs]  # read every file before the model loads
    questions = read_analogies(analogies) if analogies is not None else None
    space = load_vectors(model, models_dir)
    console = Console(highlight=False)
    console.print(Text(f"{vectors_label(space)}, first {min(restrict_vocab, len(space)):,} words"), soft_wrap=True)
    table = Table("data", "measure", "score", "used / all", "", box=None, pad_edge=False)
    table.columns[0].no_wrap = True
    for path, rows in pair_sets:
        result = evaluate_pairs(space, rows, restrict_vocab)
        table.add_row(Text(path.name), "Spearman", f"{result.spearman:.4f}", f"{result.used:,} / {result.total:,}",
                      f"Pearson {result.pearson:.4f}")
    if questions is not None:
        result = evaluate_analogies(space, questions, restrict_vocab)
        table.add_row(Text(analogies.name), "accuracy", f"{result.accuracy:.4f}", f"{result.used:,} / {result.total:,}",
                      f"{result.correct:,} correct")
        for name, section in result.sections.items():
            table.add_row(Text(f"  {name}"), "", f"{section.accuracy:.4f}", f"{section.used:,} / {section.total:,}", "")
    console.print(table)


@cbow_app.command("import")
@user_errors
def cbow_import(
    file: Path = typer.Argument(..., help="A word2vec file, text or binary (detected)."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Name of the saved model (default: the file's stem)."),
    standardize: str = typer.Option("lower_and_strip_punctuation", help="How query words are standardized: lower_and_strip_punctuation, lower, strip_punctuation or none."),
    force: bool = typer.Option(False, "--force", help="Replace an existing model of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Save word vectors from a word2vec file (gensim, word2vec.c, fastText .vec) as an rnnplay model."""
    from rnnplay.store import check_name, read_card, user_models_dir
    from rnnplay.text import STANDARDIZERS, TextSettings
    from rnnplay.vector_formats import import_word2vec

    if standardize not in STANDARDIZERS:
        raise UsageError(f"--standardize must be one of {', '.join(STANDARDIZERS)}, not {standardize!r}")
    target = user_models_dir(models_dir) / check_name(name or file.stem)
    path = import_word2vec(file, target, overwrite=force, settings=TextSettings(standardize=standardize))  # type: ignore[arg-type]
    card = read_card(path)
    for note in card["import"]["notes"]:
        typer.echo(f"rnnplay: note: {note}", err=True)
    architecture = card["architecture"]
    typer.echo(f"imported {path}: {architecture['vocab_size']:,} words × {architecture['dimension']} ({card['import']['format']})", err=True)
    return path


def main() -> None:
    """Run the app. A usage mistake (unknown option, missing argument, bad value) is one line, exit 2."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # a bare ``rnnplay`` or ``rnnplay cbow``: the help
            error.show()  # type: ignore[attr-defined]
        else:
            context = getattr(error, "ctx", None)
            hint = f" (see: {context.command_path} --help)" if context is not None else ""
            typer.echo(f"rnnplay: error: {error.format_message()}{hint}", err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
