"""Word-vector queries: ``neighbours``, ``analogy``, ``similarity`` and ``guess`` (NumPy only)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rnnplay.commands.common import DEFAULT_VECTORS, ModelsDir, load_vectors, user_errors

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


@user_errors
def guess(
    text: str = typer.Argument(..., help="A text with one blank (___) where the missing word goes."),
    top: int = TopOption,
    exclude_context: bool = typer.Option(False, "--exclude-context",
                                         help="Leave the words read around the blank out of the ranking (they often rank first)."),
    vectors: str = VectorsOption,
    models_dir: Optional[Path] = ModelsDir,
) -> None:
    """CBOW's own guess of the blank from the words around it (needs CBOW vectors, not a classifier)."""
    from rnnplay.render import guess_view
    from rnnplay.runtime.vectors import guesser

    space = guesser(load_vectors(vectors, models_dir))
    rows = space.guess(text, k=top, exclude_context=exclude_context)
    left, right = space.context(text)
    show(guess_view(space, left + ["___"] + right, rows, exclude_context))


def add_word_commands(app: typer.Typer) -> None:
    for command in (neighbours, analogy, similarity, guess):
        app.command()(command)
