"""``rnnplay cbow``: train, export, evaluate and import CBOW word vectors (word2vec files)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rnnplay.commands.common import CONTEXT_SETTINGS, ModelsDir, Typer, figure, load_vectors, run_training, shown, user_errors
from rnnplay.errors import RnnplayError, UsageError
from rnnplay.printable import printable

CBOW_HELP = "CBOW word vectors: train, export, evaluate, import (word2vec files)."
EXPORT_FORMATS = ("word2vec", "word2vec-binary", "projector")
cbow_app = Typer(no_args_is_help=True, context_settings=CONTEXT_SETTINGS)


@cbow_app.command("train")
@user_errors
def cbow_train(
    corpus: str = typer.Option("imdb", "--corpus", "-c", help="Built-in corpus (imdb, rt, reviews), a .txt file (one text a line), or a CSV/TSV/JSONL file."),
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
    training_split: Optional[int] = typer.Option(None, "--training-split", metavar="SEED", help="Read only the training split a classifier trained with --seed SEED uses (its validation and test texts left out), for vectors that start its embedding. Needs labelled texts."),
    force: bool = typer.Option(False, "--force", help="Replace existing vectors of the same name."),
    models_dir: Optional[Path] = ModelsDir,
) -> Path:
    """Train CBOW word vectors (word2vec's algorithm, TensorFlow) and save them; Ctrl-C saves nothing."""
    from rnnplay import limits
    from rnnplay.config import CbowConfig
    from rnnplay.corpora import require_corpus
    from rnnplay.store import check_name, user_models_dir

    config = CbowConfig().with_overrides(
        dimension=dimension, window=window, min_count=min_count, sample=sample, negative=negative, epochs=epochs,
        alpha=alpha, min_alpha=min_alpha, batch_size=batch_size, workers=workers, max_vocab=max_vocab,
        strip_markup=strip_markup, seed=seed,
    )
    limits.require([limits.check("seed", training_split, limits.CLASSIFIER, "--training-split")])
    path = require_corpus(corpus)  # a typo is one line, before any progress display
    if training_split is not None and path is not None and path.suffix.lower() == ".txt":
        raise UsageError("--training-split needs the labelled corpus the classifier trains on: "
                         "a built-in corpus or a CSV/TSV/JSONL file with a label column, not a .txt file")
    target = user_models_dir(models_dir) / check_name(name or f"{Path(corpus).stem}-cbow")
    from rnnplay.training.cbow import train_cbow

    path, card, console = run_training(lambda listener: train_cbow(
        config, corpus, target, text_column=text_column, half=float16, overwrite=force, listener=listener,
        training_split=training_split))
    number = lambda key: card.number("training", key)
    speed = number("windows_per_second")
    console.print(f"saved [bold]{shown(path)}[/bold]: {card.architecture.vocab_size:,} words × {config.dimension}, "
                  f"{figure(number('raw_tokens'), ',.0f')} tokens × {config.epochs} epochs in {figure(number('seconds'), '.0f')}s "
                  f"({figure(None if speed is None else speed / 1000, ',.0f')}k words/s after subsampling), "
                  f"final loss {figure(card.number('metrics', 'loss'), '.3f')}")
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
    space = load_vectors(model, models_dir, flag=None)
    if fmt == "projector":
        written = ", ".join(str(p) for p in write_projector(space, out))
    else:
        written = str(write_word2vec(space, out, binary=fmt == "word2vec-binary"))
    typer.echo(f"wrote {written}: {len(space):,} words × {space.vector_size} ({fmt})", err=True)


@cbow_app.command("eval")
@user_errors
def cbow_eval(
    model: str = typer.Argument(..., help="Word vectors (or a classifier) by name or path."),
    pairs: list[Path] = typer.Option(None, "--pairs", help="Word-pair similarity file (WordSim-353, SimLex-999 format); repeatable."),
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
    space = load_vectors(model, models_dir, flag=None)
    console = Console(highlight=False)
    console.print(Text(f"{vectors_label(space)}, first {min(restrict_vocab, len(space)):,} words"), soft_wrap=True)
    table = Table("data", "measure", "score", "used / all", "", box=None, pad_edge=False)
    table.columns[0].no_wrap = True
    for path, rows in pair_sets:
        paired = evaluate_pairs(space, rows, restrict_vocab)
        table.add_row(Text(printable(path.name)), "Spearman", f"{paired.spearman:.4f}", f"{paired.used:,} / {paired.total:,}",
                      f"Pearson {paired.pearson:.4f}")
    if questions is not None and analogies is not None:
        result = evaluate_analogies(space, questions, restrict_vocab)
        table.add_row(Text(printable(analogies.name)), "accuracy", f"{result.accuracy:.4f}", f"{result.used:,} / {result.total:,}",
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
    limit: Optional[int] = typer.Option(None, "--limit", help="Import only the first N words (word2vec files list the most frequent first), as gensim's limit=."),
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
    path = import_word2vec(file, target, overwrite=force, settings=TextSettings(standardize=standardize), limit=limit)  # type: ignore[arg-type]
    card = read_card(path)
    details = card.section("import")
    for note in details.get("notes", []):
        typer.echo(f"rnnplay: note: {printable(note)}", err=True)
    architecture = card.vectors
    typer.echo(f"imported {printable(path)}: {architecture.vocab_size:,} words × {architecture.dimension} "
               f"({printable(details.get('format', '?'))})", err=True)
    return path


@cbow_app.command("step")
@user_errors
def cbow_step(
    preset: Optional[str] = typer.Option(None, "--preset", "-p", help="Tiny corpus: fruit (wevi's fruit and juice, the default) or king (king and queen)."),
    lines: Optional[Path] = typer.Option(None, "--lines", help="Your own tiny corpus instead: a text file, one short line of words a line."),
    steps: int = typer.Option(100, "--steps", "-n", help="Training steps (forward pass, then update) to run."),
    window: int = typer.Option(0, "--window", "-k", help="CBOW with the words up to k either side of the target; 0: single-word context (each word predicts the next)."),
    hidden: int = typer.Option(5, "--hidden", help="Size N of the hidden layer (of each word vector)."),
    lr: float = typer.Option(0.2, "--lr", help="Learning rate of the plain SGD step."),
    seed: int = typer.Option(1, "--seed", help="Seed of the initial weights (uniform in ±0.5/N, as wevi draws them)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object: settings, last step, weights, loss curves, neighbours."),
) -> None:
    """Train a tiny CBOW (NumPy, full softmax) step by step, as wevi does, and show its insides.

    Prints the forward pass of the last step, the loss curve, heatmaps of W_in and W_out, a 2-D map of
    the input vectors and every word's nearest neighbours. The real imdb-cbow vectors use negative
    sampling instead of the full softmax.
    """
    import json

    from rnnplay.limits import TINY_CBOW, check, require
    from rnnplay.runtime.tiny_cbow import TinyCbow, TinyCorpus
    from rnnplay.tiny_lines import read_tiny_lines

    require([check("steps", steps, TINY_CBOW), check("window", window or None, TINY_CBOW),
             check("hidden", hidden, TINY_CBOW), check("learning_rate", lr, TINY_CBOW, "--lr"), check("seed", seed, TINY_CBOW)])
    if lines is not None and preset is not None:
        raise UsageError("give --preset or --lines, not both")
    corpus = TinyCorpus.from_lines(read_tiny_lines(lines)) if lines is not None else TinyCorpus.preset(preset or "fruit")
    model = TinyCbow(corpus, hidden=hidden, learning_rate=lr, window=window or None, seed=seed)
    model.run(steps)
    if json_output:
        from rnnplay.cbow_step_view import step_json

        typer.echo(json.dumps(step_json(model)))
        return
    from rich.console import Console
    from rich.rule import Rule

    from rnnplay.cbow_step_view import describe_pairs, forward_view, heatmaps_view, loss_view, map_view, neighbours_view, note

    console = Console(highlight=False)
    console.print(describe_pairs(model))
    console.print(note())
    if model.last is not None:
        console.print(Rule(f"the forward pass of step {model.updates} (then its update)", align="left"))
        console.print(forward_view(model, model.last.forward, applied=model.last))
    console.print(Rule("loss", align="left"))
    console.print(loss_view(model, width=min(60, max(20, console.width - 4))))
    console.print(Rule("weights", align="left"))
    console.print(heatmaps_view(model, model.last))
    console.print(Rule("map", align="left"))
    console.print(map_view(model, width=min(60, console.width - 2), height=12))
    console.print(Rule("nearest neighbours", align="left"))
    console.print(neighbours_view(model))
