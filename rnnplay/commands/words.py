"""Word-vector queries: ``neighbours``, ``analogy``, ``similarity`` and ``guess`` (NumPy only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from rnnplay.commands.common import DEFAULT_MODEL, DEFAULT_VECTORS, ModelsDir, load_vectors, model_name, user_errors

VectorsOption = typer.Option(DEFAULT_VECTORS, "--vectors", help="Word vectors: a vectors model, or a classifier (its embedding), by name or path.")
TopOption = typer.Option(10, "-k", "--top", min=1, help="How many words to show.")


def show(views: list) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for view in views:
        console.print(view, soft_wrap=isinstance(view, Text))  # a title runs on; a table fits the width


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


ModelOption = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The classifier whose embedding is compared (name or path).")
JsonOption = typer.Option(False, "--json", help="One JSON object instead of the tables.")


def classifier_named(model: str, models_dir: Optional[Path]) -> Any:
    from rnnplay.runtime.models import open_classifier

    return open_classifier(model_name(model, "--model"), models_dir)


def compared(a: str, b: str, vectors: str, classifier: Any, models_dir: Optional[Path]) -> Any:
    from rnnplay.runtime.word_compare import compare_words

    return compare_words(a, b, load_vectors(vectors, models_dir), classifier)


def print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False))


@user_errors
def similarity(
    a: str = typer.Argument(..., help="A word."),
    b: str = typer.Argument(..., help="Another word."),
    vectors: str = VectorsOption,
    model: str = ModelOption,
    json_output: bool = JsonOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """The cosine of two words under one-hot vectors, the word vectors and the classifier's embedding, side by side."""
    from rnnplay.words_view.compare import similarity_view

    comparison = compared(a, b, vectors, classifier_named(model, models_dir), models_dir)
    if json_output:
        return print_json(comparison.to_json())
    show(similarity_view(comparison))


@user_errors
def onehot(
    words: Optional[list[str]] = typer.Argument(None, help="Two words: their one-hot vectors beside their dense ones."),
    cost: Optional[str] = typer.Option(None, "--cost", help="A text: time its embedding lookup against one-hot × Dense "
                                       "on the classifier's embedding, and the memory each needs."),
    vectors: str = VectorsOption,
    model: str = ModelOption,
    json_output: bool = JsonOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """Two words as one-hot vectors (one 1 among the vocabulary's size) beside their dense vectors; --cost TEXT measures
    what one-hot inputs would cost."""
    from rnnplay.errors import UsageError

    words = list(words or [])
    if len(words) not in (0, 2) or (not words and cost is None):
        raise UsageError(f"onehot takes two words (e.g. rnnplay onehot good great), not {len(words)}, or --cost TEXT")
    data: dict[str, Any] = {}
    views: list[Any] = []
    classifier = classifier_named(model, models_dir)  # loaded once, for the words and the cost alike
    if words:
        from rnnplay.words_view.compare import onehot_view

        comparison = compared(words[0], words[1], vectors, classifier, models_dir)
        data["comparison"] = comparison.to_json()
        views += onehot_view(comparison)
    if cost is not None:
        from rnnplay.runtime.onehot_cost import text_cost
        from rnnplay.words_view.cost import cost_view

        measured = text_cost(classifier.network.embedding, classifier.encoder.encode(cost))
        data["cost"] = {"model": classifier.name, **measured.to_json()}
        views += cost_view(measured, f"{classifier.name}'s embedding")
    if json_output:
        return print_json(data)
    show(views)


@user_errors
def map_(
    words: Optional[list[str]] = typer.Argument(None, help="Words to map; commas join a group (good,great bad,awful). "
                                                "None: good/great/excellent, bad/awful/terrible, actor/actress/king/queen."),
    vectors: str = VectorsOption,
    model: str = ModelOption,
    json_output: bool = JsonOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """A 2-D map (PCA) of words in the word vectors and in the classifier's embedding, side by side."""
    from rich.console import Console

    from rnnplay.runtime.vectors import Vectors
    from rnnplay.runtime.word_map import parse_groups, word_maps
    from rnnplay.words_view.word_map import maps_view

    classifier = classifier_named(model, models_dir)
    maps = word_maps([load_vectors(vectors, models_dir), Vectors.from_stored(classifier.stored)], parse_groups(words or []))
    if json_output:
        return print_json({"maps": [m.to_json() for m in maps]})
    show(maps_view(maps, Console().width))


@user_errors
def guess(
    text: str = typer.Argument(..., help="A text with one blank (___) where the missing word goes."),
    top: int = TopOption,
    exclude_context: bool = typer.Option(False, "--exclude-context",
                                         help="Leave the words read around the blank out of the ranking (they often rank first)."),
    dissect: bool = typer.Option(False, "--dissect", help="Every stage: the context read and skipped, h, the scores W′·h, "
                                 "the noise prior added back, and gensim's predict_output_word ranking beside."),
    json_output: bool = typer.Option(False, "--json", help="With --dissect: one JSON object of every stage."),
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """CBOW's own guess of the blank from the words around it (needs CBOW vectors, not a classifier)."""
    from rnnplay.render import guess_view
    from rnnplay.runtime.vectors import guesser

    space = guesser(load_vectors(vectors, models_dir))
    if dissect:
        from rnnplay.runtime.guess_dissect import dissect as dissected
        from rnnplay.words_view.dissect import dissect_view

        stages = dissected(space, text, exclude_context)
        if json_output:
            return print_json(stages.to_json(top))
        return show(dissect_view(stages, top))
    if json_output:
        from rnnplay.errors import UsageError

        raise UsageError("--json goes with --dissect")
    rows = space.guess(text, k=top, exclude_context=exclude_context)
    left, right = space.context(text)
    show(guess_view(space, left + ["___"] + right, rows, exclude_context))


def add_word_commands(app: typer.Typer) -> None:
    for command in (neighbours, analogy, similarity, onehot, guess):
        app.command()(command)
    app.command("map")(map_)
