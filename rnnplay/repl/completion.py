"""Tab completion: commands after ``:``, model names after ``:model``/``:vectors``, and words.

Which words depends on the command (``Command.completes``): the current word vectors' vocabulary for
``:nn``, ``:analogy``, ``:sim`` and ``:guess``; the classifier's vocabulary for plain text, ``:tokens``
and ``:prefix``; the CLI's own options for ``:train`` and ``:cbow …``. Vocabularies are listed most
frequent first, so the likeliest words come first.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Sequence

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.repl import outcome
from rnnplay.repl.cli_commands import CBOW_COMMANDS
from rnnplay.repl.commands import BY_NAME, COMMANDS, DISSECT, EXCLUDE_CONTEXT
from rnnplay.repl.session import Session

COMMAND_START = re.compile(r":[A-Za-z?]")
MAX_WORDS = 50  # a vocabulary has tens of thousands of words; a menu shows the likeliest few


def starting_with(prefix: str, candidates: Iterable[str], limit: int | None = None) -> list[str]:
    found = []
    for candidate in candidates:
        if candidate.startswith(prefix) and candidate != prefix:
            found.append(candidate)
            if limit is not None and len(found) == limit:
                break
    return found


def cli_options(path: Sequence[str]) -> list[str]:
    """The options of ``rnnplay train`` or ``rnnplay cbow SUB``, read from the CLI itself."""
    import typer

    from rnnplay.commands.training import app

    command: Any = typer.main.get_command(app)
    for name in path:
        command = getattr(command, "commands", {}).get(name)
        if command is None:
            return []
    return sorted({opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--")})


class ReplCompleter(Completer):
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        """What Tab offers; nothing when working it out fails (a bug): a menu is not worth the session.

        prompt_toolkit would print the exception's traceback over the prompt; the tests still see it
        through ``on_internal_error``.
        """
        try:
            found = list(self.completions(document))
        except Exception as error:
            outcome.on_internal_error(error)
            return
        yield from found

    def completions(self, document: Document) -> Iterator[Completion]:
        before = document.text_before_cursor.lstrip()
        word = document.get_word_before_cursor(WORD=True)
        if before.startswith(":") and not any(c.isspace() for c in before):
            names = starting_with(before[1:].lower(), [c.name for c in COMMANDS])
            yield from (Completion(f":{name}", -len(before), display_meta=BY_NAME[name].summary) for name in names)
            return
        named = COMMAND_START.match(before)  # as in dispatch: ":" and a letter; ": nn" or ":)" is text
        command = BY_NAME.get(before[1:].split(None, 1)[0].lower()) if named else BY_NAME["classify"]
        if command is None or command.completes is None:
            return
        arguments = before.split()[1:] if named else before.split()
        if word and arguments:
            arguments = arguments[:-1]  # the word being completed is not an argument yet
        for choice in self.choices(command.completes, arguments, word):
            yield Completion(choice, -len(word), display=printable(choice))  # a vocabulary word can hold anything

    def choices(self, kind: str, arguments: list[str], word: str) -> list[str]:
        """What may replace ``word``, given the arguments before it."""
        if kind == "commands":
            return [] if arguments else starting_with(word.lstrip(":"), [c.name for c in COMMANDS])
        if kind == "models":
            return [] if arguments else starting_with(word, self.session.model_names())
        if kind == "cbow" and not arguments:
            return starting_with(word, CBOW_COMMANDS)
        if kind == "guess":  # its one option first, then the vectors' words
            if word.startswith("-"):
                return starting_with(word, [o for o in (EXCLUDE_CONTEXT, DISSECT) if o not in arguments]) \
                    if all(a.startswith("-") for a in arguments) else []
            kind = "vectors-words"
        if kind in ("cbow", "train", "race"):
            path = [kind] if kind != "cbow" else ["cbow", arguments[0]]
            return starting_with(word, cli_options(path)) if word.startswith("-") else []
        if not word:
            return []  # not the whole vocabulary for an empty word
        return starting_with(word.lower(), self.vocabulary(kind), MAX_WORDS)

    def vocabulary(self, kind: str) -> Sequence[str]:
        if kind == "model-words":
            return self.session.classifier.encoder.vocabulary[2:]  # past the padding and [UNK] entries
        try:
            return self.session.vectors.index_to_key
        except RnnplayError:
            return []  # the vectors cannot be read: the command itself will say why
