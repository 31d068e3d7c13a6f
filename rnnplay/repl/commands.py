"""The REPL's commands: each takes the session and the rest of the line and returns an ``Outcome``.

Every number comes from the runtime (``explain``, ``Vectors``) and every picture from ``render``; a
command only parses its arguments and puts the two together. ``COMMANDS`` is also what ``:help`` and
the completer read, so a command documented here is a command that exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from rnnplay.errors import RnnplayError, UsageError
from rnnplay.printable import printable
from rnnplay.repl.outcome import Outcome, shortened
from rnnplay.repl.session import Session

if TYPE_CHECKING:
    from rnnplay.runtime.classifier import Classifier
    from rnnplay.text import TextSettings

MAX_TOP = 1000  # the most words a ranking shows
STAGE_WIDTH, STAGE_LINES = 76, 3  # :tokens shows each stage of the encoder in at most 3 lines of 76 cells
DIGITS = re.compile("[0-9]+")


@dataclass(frozen=True)
class Command:
    name: str
    usage: str  # ":nn WORD [k]"
    summary: str  # one line for the :help table
    details: str  # what :help NAME adds: the why and an example
    run: Callable[[Session, str], Outcome]
    aliases: tuple[str, ...] = ()
    completes: Optional[str] = None  # what Tab offers for the arguments (see completion.py)


# --- arguments -----------------------------------------------------------------------------------

def need_text(args: str, usage: str) -> str:
    if not args.strip():
        raise UsageError(f"usage: {usage}")
    return args


def no_arguments(args: str, usage: str, hint: str = "") -> None:
    """Refuse anything after a command that takes nothing (``:quit now`` must not quit on a typo)."""
    if args.strip():
        raise UsageError(f"{usage} takes no arguments, not {shortened(args.strip())}{hint}")


def one_name(args: str, usage: str) -> str:
    """A model name or folder: two words are a mistake unless they name a folder (a path may hold spaces)."""
    from pathlib import Path

    name = args.strip()
    if len(name.split()) > 1 and not Path(name).exists():
        raise UsageError(f"{usage.split()[0]} takes one model name or folder, not {shortened(name)} (usage: {usage})")
    return name


def parse_k(given: str, usage: str) -> int:
    """``k`` from ASCII digits only: ``str.isdigit`` also takes ``³`` and ``٣``, which ``int`` then refuses, and
    ``int`` refuses more than 4,300 digits; both would escape as ValueError."""
    return parse_count(given, "k", MAX_TOP, usage)


COUNTS = {1: "one word", 2: "two words", 3: "three words"}


def parse_count(given: str, name: str, most: int, usage: str) -> int:
    """A whole number from 1 to ``most``, read as ``parse_k`` reads ``k`` (ASCII digits only)."""
    digits = given.lstrip("0") or "0"
    if not DIGITS.fullmatch(given) or len(digits) > len(str(most)) or not 1 <= int(digits) <= most:
        raise UsageError(f"{name} must be a whole number from 1 to {most:,}, not {shortened(given)} (usage: {usage})")
    return int(digits)


def split_words(args: str, usage: str, words: int, optional_k: bool) -> tuple[list[str], int]:
    """``words`` words, then an optional ``k`` (10 when not given)."""
    parts = args.split()
    if not parts:
        raise UsageError(f"usage: {usage}")
    if not words <= len(parts) <= words + optional_k:
        wanted = COUNTS[words] + (" and an optional k" if optional_k else "")
        raise UsageError(f"{usage.split()[0]} takes {wanted}, not {len(parts)} ({shortened(' '.join(parts))}); usage: {usage}")
    k = parse_k(parts[-1], usage) if len(parts) > words else 10
    return parts[:words], k


def ranked_json(rows: list[tuple[str, float]], column: str) -> list[dict[str, Any]]:
    return [{"word": word, column: round(score, 6)} for word, score in rows]


# --- the classifier ------------------------------------------------------------------------------

def classify(session: Session, text: str) -> Outcome:
    from rich.text import Text

    from rnnplay.render import explanation_json, shares_text, top_shares, verdict
    from rnnplay.runtime.explain import explain

    explanation = explain(session.classifier, text)
    view: list[Any] = [Text.assemble(verdict(explanation), "  ", shares_text(explanation)),
                       Text.assemble(("  shares: ", "dim"), top_shares(explanation))]
    if explanation.dropped:
        view.append(dropped_note(session, explanation.dropped))
    return Outcome("classify", {"model": session.classifier.name, **explanation_json(explanation)}, view)


def classify_command(session: Session, args: str) -> Outcome:
    """``:classify TEXT``: a plain line's answer, for a text that starts with ':'."""
    return classify(session, need_text(args, ":classify TEXT"))


def kept_part(settings: TextSettings) -> str:
    """``the last 300``: the part of a long text a model reads."""
    return f"the {'first' if settings.truncate == 'start' else 'last'} {settings.max_length:,}"


def dropped_note(session: Session, dropped: int) -> Any:
    from rich.text import Text

    settings = session.classifier.encoder.settings
    name = printable(session.classifier.name)
    return Text(f"  ({dropped:,} words not read: {name} reads {kept_part(settings)})", style="dim")


def prefix(session: Session, args: str) -> Outcome:
    from rich.text import Text

    from rnnplay.render import explanation_json, shares_table, sparkline
    from rnnplay.runtime.explain import explain

    explanation = explain(session.classifier, need_text(args, ":prefix TEXT"))
    trace = explanation.prefix
    view: list[Any] = [Text(f"P(positive) word by word  {sparkline(trace)}  {trace[0]:.3f} → {explanation.probability:.3f} "
                            f"({explanation.label})"), shares_table(explanation)]
    if explanation.dropped:
        view.append(dropped_note(session, explanation.dropped))
    return Outcome("prefix", {"model": session.classifier.name, **explanation_json(explanation)}, view)


def inside(session: Session, args: str) -> Outcome:
    from rich.text import Text

    from rnnplay.commands.inside import corpus_profile
    from rnnplay.inside_report import look_inside
    from rnnplay.inside_view.report import inside_view

    text = need_text(args, ":inside TEXT")
    found, why_not = corpus_profile(session.classifier, True)
    report = look_inside(session.classifier, text, found, stream=True)
    view: list[Any] = inside_view(report)
    if why_not:
        view.append(Text(f"No corpus figures: {why_not}", style="dim"))
    return Outcome("inside", report.to_json(), view)


def tokens(session: Session, args: str) -> Outcome:
    from rich.table import Table
    from rich.text import Text

    from rnnplay.encoding_view import encoding_rows
    from rnnplay.render import tokens_table
    from rnnplay.text import OOV_ID

    classifier = session.classifier
    encoder, name, mask_zero = classifier.encoder, classifier.name, classifier.card.classifier.mask_zero
    settings = encoder.settings
    encoding = encoder.trace(need_text(args, ":tokens TEXT"))
    kept, ids = encoding.kept, encoding.ids
    if not kept:
        raise RnnplayError("the text has no words once standardized (punctuation is stripped)")
    unknown = int((ids == OOV_ID).sum())
    reads = f"{settings.standardize}{', <br /> stripped' if settings.strip_markup else ''}"
    if settings.max_length:
        reads += f", {kept_part(settings)} tokens"
    stages = Table.grid(padding=(0, 1))
    stages.add_column(style="dim", no_wrap=True)
    stages.add_column()
    for label, row in encoding_rows(encoding, settings, mask_zero, STAGE_WIDTH, STAGE_LINES, full=True):
        stages.add_row(label, row)
    view: list[Any] = [Text(f"{len(kept)} tokens, {unknown} out of vocabulary (id {OOV_ID})"),
                       Text(printable(f"{name}: {len(encoder):,} tokens; reads {reads}"), style="dim"), stages,
                       tokens_table(kept, ids)]
    data = {"model": name, "tokens": [{"token": t, "id": int(i), "oov": int(i) == OOV_ID} for t, i in zip(kept, ids)],
            "dropped": len(encoding.dropped), "dropped_words": encoding.dropped,
            "steps": [{"step": step.name, "text": step.after, "changes": [list(change) for change in step.changes]}
                      for step in encoding.steps],
            "max_length": settings.max_length, "mask_zero": mask_zero}
    return Outcome("tokens", data, view)


def model_summary(classifier: Classifier) -> str:
    """``imdb-bilstm: BiLSTM 32, vocab 20,000, held-out accuracy 0.855`` (:model, and after :train)."""
    from rnnplay.render import accuracy, describe_model

    score = accuracy(classifier.card)
    return printable(f"{classifier.name}: {describe_model(classifier.card)}" + (f", held-out accuracy {score}" if score else ""))


def model(session: Session, args: str) -> Outcome:
    from rich.text import Text

    from rnnplay.render import describe_model

    name = one_name(args, ":model [NAME]")
    classifier = session.use_model(name) if name else session.classifier  # a model whose card is checked
    data = {"model": classifier.name, "path": str(classifier.stored.path), "architecture": describe_model(classifier.card),
            "accuracy": classifier.card.held_out_accuracy}
    view = [Text(f"{'now using' if name else 'using'} {model_summary(classifier)}")]
    return Outcome("model", data, view)


def models(session: Session, args: str) -> Outcome:
    from rich.text import Text

    from rnnplay.render import model_row, models_table, unreadable_notes

    no_arguments(args, ":models", " (switch with :model NAME or :vectors NAME)")
    listed = session.listed()
    in_use = [session.classifier.stored.path, session.vectors_path]
    rows = []
    for entry in listed:
        _, kind, corpus, architecture, *_ = model_row(entry)
        rows.append({"name": entry.path.name, "source": entry.source, "kind": kind, "corpus": corpus,
                     "architecture": architecture, "accuracy": entry.card.held_out_accuracy if entry.card else None,
                     "in_use": any(entry.path.resolve() == path.resolve() for path in in_use),
                     "problem": entry.problem or None})
    return Outcome("models", {"models": rows}, [models_table(listed, in_use), *unreadable_notes(listed),
                                                 Text("→ in use; * shipped with rnnplay", style="dim")])


def errors(session: Session, args: str) -> Outcome:
    from rnnplay.limits import MISTAKES_LISTED
    from rnnplay.mistakes import find_mistakes
    from rnnplay.mistakes_view import mistakes_view

    usage = ":errors [N]"
    given = args.split()
    if len(given) > 1:
        raise UsageError(f"usage: {usage}")
    limit = parse_count(given[0], "N", MISTAKES_LISTED, usage) if given else 10
    result = find_mistakes(session.classifier)
    return Outcome("errors", result.to_json(limit), mistakes_view(result, limit))


# --- word vectors --------------------------------------------------------------------------------

def vectors(session: Session, args: str) -> Outcome:
    from rich.text import Text

    from rnnplay.render import vectors_label

    name = one_name(args, ":vectors [NAME]")
    space = session.use_vectors(name) if name else session.vectors
    guesses = "cannot guess (no output layer)" if space.guess_refusal else "can guess a blank"
    data = {"vectors": space.name, "words": len(space), "dimension": space.vector_size, "source_kind": space.source_kind,
            "can_guess": not space.guess_refusal}
    return Outcome("vectors", data, [Text(f"{'now using' if name else 'using'} {printable(vectors_label(space))}; {guesses}")])


def nn(session: Session, args: str) -> Outcome:
    from rnnplay.render import neighbours_view

    (word,), k = split_words(args, ":nn WORD [k]", 1, True)
    space = session.vectors
    rows = space.neighbours(word, k=k)
    return Outcome("nn", {"vectors": space.name, "word": word, "results": ranked_json(rows, "cosine")},
                   neighbours_view(space, word, rows))


def analogy(session: Session, args: str) -> Outcome:
    from rnnplay.render import analogy_view

    (a, b, c), k = split_words(args, ":analogy A B C [k]", 3, True)
    space = session.vectors
    rows = space.analogy(a, b, c, k=k)
    return Outcome("analogy", {"vectors": space.name, "a": a, "b": b, "c": c, "results": ranked_json(rows, "cosine")},
                   analogy_view(space, a, b, c, rows))


def compared(session: Session, args: str, usage: str) -> Any:
    """The two words of ``args`` in the session's word vectors and its classifier's embedding."""
    from rnnplay.runtime.word_compare import compare_words

    (a, b), _ = split_words(args, usage, 2, False)
    return compare_words(a, b, session.vectors, session.classifier)


def sim(session: Session, args: str) -> Outcome:
    from rnnplay.words_view.compare import similarity_view

    comparison = compared(session, args, ":sim A B")
    data = comparison.to_json()
    for space in data["spaces"]:
        for word in space["words"]:
            word.pop("vector")  # the cosines are the answer here; :onehot gives the vectors
    cosine = comparison.spaces[0].dense_cosine
    data.update({"vectors": session.vectors.name, "cosine": None if cosine is None else round(cosine, 6)})
    return Outcome("sim", data, similarity_view(comparison))


ONEHOT_USAGE = ":onehot A B | --cost TEXT"


def onehot(session: Session, args: str) -> Outcome:
    parts = args.split(maxsplit=1)
    if parts and parts[0] == "--cost":
        return lookup_cost(session, need_text(parts[1] if len(parts) > 1 else "", ONEHOT_USAGE))
    if parts and parts[0].startswith("-"):
        raise UsageError(f"unknown option {shortened(parts[0])}; :onehot takes --cost (usage: {ONEHOT_USAGE})")
    from rnnplay.words_view.compare import onehot_view

    comparison = compared(session, args, ONEHOT_USAGE)
    return Outcome("onehot", comparison.to_json(), onehot_view(comparison))


def lookup_cost(session: Session, text: str) -> Outcome:
    from rnnplay.runtime.onehot_cost import text_cost
    from rnnplay.words_view.cost import cost_view

    classifier = session.classifier
    measured = text_cost(classifier.network.embedding, classifier.encoder.encode(text))
    return Outcome("onehot", {"model": classifier.name, **measured.to_json()},
                   cost_view(measured, f"{classifier.name}'s embedding"))


def map_(session: Session, args: str) -> Outcome:
    from rnnplay.runtime.vectors import Vectors
    from rnnplay.runtime.word_map import parse_groups, word_maps
    from rnnplay.words_view.word_map import maps_view

    maps = word_maps([session.vectors, Vectors.from_stored(session.classifier.stored)], parse_groups(args.split()))
    return Outcome("map", {"maps": [m.to_json() for m in maps]}, maps_view(maps, 80))


GUESS_USAGE = ":guess [OPTIONS] TEXT with ___"
EXCLUDE_CONTEXT = "--exclude-context"
DISSECT = "--dissect"


def guess_options(args: str) -> tuple[set[str], str]:
    """The options in front of the text (``--exclude-context``, ``--dissect``): the text itself never starts with ``-``."""
    options: set[str] = set()
    rest = args
    while True:
        parts = rest.split(maxsplit=1)
        if not parts or not parts[0].startswith("-"):
            return options, need_text(rest, GUESS_USAGE)
        if parts[0] not in (EXCLUDE_CONTEXT, DISSECT):
            raise UsageError(f"unknown option {shortened(parts[0])}; :guess takes {EXCLUDE_CONTEXT} and {DISSECT} "
                             f"(usage: {GUESS_USAGE})")
        options.add(parts[0])
        rest = parts[1] if len(parts) > 1 else ""


def guess(session: Session, args: str) -> Outcome:
    from rnnplay.render import guess_view
    from rnnplay.runtime.vectors import guesser

    options, text = guess_options(args)
    exclude = EXCLUDE_CONTEXT in options
    space = guesser(session.vectors)
    if DISSECT in options:
        from rnnplay.runtime.guess_dissect import dissect
        from rnnplay.words_view.dissect import dissect_view

        stages = dissect(space, text, exclude)
        return Outcome("guess", stages.to_json(10), dissect_view(stages, 10))
    rows = space.guess(text, k=10, exclude_context=exclude)
    left, right = space.context(text)
    context = left + ["___"] + right
    data = {"vectors": space.name, "context": context, "context_excluded": exclude, "results": ranked_json(rows, "probability")}
    return Outcome("guess", data, guess_view(space, context, rows, exclude))


# --- the memory lab ------------------------------------------------------------------------------

def cli_options(args: str, usage: str) -> list[str]:
    import shlex

    try:
        return shlex.split(args)
    except ValueError as error:
        raise UsageError(f"cannot read the options: {error} (usage: {usage})") from None


def unit(session: Session, args: str) -> Outcome:
    """``:unit [OPTIONS]``: ``rnnplay unit``'s options, parsed by the CLI's own parser; the view and JSON are the CLI's."""
    from typer import TyperException

    from rnnplay.commands.unit import parse_unit_options
    from rnnplay.repl.cli_commands import help_outcome, usage_problem
    from rnnplay.runtime.one_unit import run
    from rnnplay.unit_view import unit_json, unit_view

    argv = cli_options(args, ":unit [OPTIONS]")
    if "--help" in argv or "-h" in argv:
        return help_outcome("unit")
    try:
        settings, _ = parse_unit_options(argv)
    except TyperException as error:
        raise UsageError(usage_problem(error, ":unit --help")) from None
    result = run(settings)
    return Outcome("unit", unit_json(result), unit_view(result))


def memory(session: Session, args: str) -> Outcome:
    """``:memory [--samples N] [--seed S] [--distances …] [--model NAME]``: the real-text probe on the classifier in use."""
    from typer import TyperException

    from rnnplay.commands.common import command_options
    from rnnplay.commands.memory import checked_samples, parse_distances
    from rnnplay.commands.memory import memory as memory_command
    from rnnplay.memory_probe import probe_held_out
    from rnnplay.memory_view import memory_view
    from rnnplay.repl.cli_commands import help_outcome, usage_problem

    argv = cli_options(args, ":memory [OPTIONS]")
    if "--help" in argv or "-h" in argv:
        return help_outcome("memory")
    try:
        params = command_options(memory_command, "memory", argv)
    except TyperException as error:
        raise UsageError(usage_problem(error, ":memory --help")) from None
    names = params["model"] or []
    if len(names) > 1:
        raise UsageError(":memory runs on one classifier: the one in use, or one --model NAME")
    samples = checked_samples(params["samples"])
    classifier = session._load_classifier(names[0]) if names else session.classifier  # another model, not switched to
    probe = probe_held_out(classifier, samples, parse_distances(params["distances"]), params["seed"])
    return Outcome("memory", probe.to_json(), memory_view(probe))


# --- the REPL itself -----------------------------------------------------------------------------

def help_(session: Session, args: str) -> Outcome:
    from rich.table import Table
    from rich.text import Text

    name = args.strip().lstrip(":").lower()
    if len(name.split()) > 1:
        raise UsageError(f":help takes one command name, not {shortened(args.strip())} (usage: :help [COMMAND])")
    if name:
        command = find(name)
        if command is None:
            raise UsageError(f"no command :{name}{did_you_mean(name)} (:help lists them)")
        aliases = f"  (also {', '.join(':' + a for a in command.aliases)})" if command.aliases else ""
        view = [Text.assemble((command.usage, "bold"), aliases), Text(command.summary), Text(command.details)]
        return Outcome("help", {"topic": command.name, "usage": command.usage, "help": f"{command.summary} {command.details}"}, view)
    table = Table("command", "what it does", box=None, pad_edge=False)
    for command in COMMANDS:
        table.add_row(Text(command.usage, style="bold"), command.summary)
    intro = Text("Type a text to classify it; a line that starts with ':' is a command.")
    outro = Text(":help COMMAND tells more. Tab completes; Ctrl-C clears the line; Ctrl-D quits.", style="dim")
    data = {"commands": [{"name": c.name, "usage": c.usage, "summary": c.summary} for c in COMMANDS]}
    return Outcome("help", data, [intro, table, outro])


def quit_(session: Session, args: str) -> Outcome:
    no_arguments(args, ":quit", " (type :quit alone to leave, or press Ctrl-D)")
    return Outcome("quit", quit=True)


def train(session: Session, args: str) -> Outcome:
    from rnnplay.repl.cli_commands import run_cli_command

    return run_cli_command(session, "train", args)


def cbow(session: Session, args: str) -> Outcome:
    from rnnplay.repl.cli_commands import run_cli_command

    return run_cli_command(session, "cbow", args)


def race(session: Session, args: str) -> Outcome:
    from rnnplay.repl.cli_commands import run_cli_command

    return run_cli_command(session, "race", args)


COMMANDS: list[Command] = [
    Command("help", ":help [COMMAND]", "list the commands, or explain one",
            "Example: :help nn", help_, ("h", "?"), "commands"),
    Command("classify", ":classify TEXT", "classify a text (what a plain line does)",
            "Shows the label, P(positive) and each word coloured by its share: how much P(positive) drops without it "
            "(green pushes towards positive, red towards negative, struck through: not in the vocabulary). Use it for "
            "a text that starts with ':'.", classify_command, (), "model-words"),
    Command("model", ":model [NAME]", "switch the classifier (no NAME: show the current one)",
            "NAME is a model from :models or a path to a model folder. Example: :model imdb-bilstm",
            model, (), "models"),
    Command("models", ":models", "list the saved models (yours and the shipped ones)",
            "→ marks the classifier and vectors in use.", models),
    Command("errors", ":errors [N]", "what the classifier gets wrong: its test split's confusion matrix and mistakes",
            "Rebuilds the test split the card records (corpus and seed), predicts it, and lists the N (default 10) "
            "misclassified reviews the model was surest of. Example: :errors 5", errors),
    Command("vectors", ":vectors [NAME]", "switch the word vectors :nn, :analogy, :sim and :guess use",
            "NAME is a vectors model (CBOW, imported word2vec) or a classifier, whose embedding is then the space. "
            "Example: :vectors imdb-bilstm", vectors, (), "models"),
    Command("nn", ":nn WORD [k]", "the k nearest words by cosine (default 10)",
            "Example: :nn excellent 5", nn, ("neighbours", "neighbors"), "vectors-words"),
    Command("analogy", ":analogy A B C [k]", "A − B + C: words like actress for actor man woman",
            "3CosAdd, as gensim's most_similar(positive=[A, C], negative=[B]). Example: :analogy actor man woman",
            analogy, (), "vectors-words"),
    Command("sim", ":sim A B", "two words' cosine: one-hot, word vectors, classifier",
            "One-hot: 0 for any two different words (each is its own axis). Dense: CBOW puts words used in the same "
            "places together, the classifier words that push its verdict the same way. A word a vocabulary lacks is "
            "said (the classifier reads it as [UNK]). Example: :sim good great", sim, ("similarity",), "vectors-words"),
    Command("onehot", ONEHOT_USAGE, "one-hot vectors beside dense ones; or one-hot's cost",
            "The one-hot vector is drawn as 0…0 1 0…0 with the position of its 1; the dense one as a strip, one character "
            "a number. --cost TEXT times the classifier's embedding lookup on TEXT against one-hot × the same weights "
            "(a Dense layer on one-hot inputs). Example: :onehot good great", onehot, (), "vectors-words"),
    Command("map", ":map [WORDS…]", "a 2-D map (PCA) of words in both spaces",
            "Commas join words into a group (one colour): :map good,great,excellent bad,awful,terrible. No words: "
            "those groups and actor,actress,king,queen. Each map keeps a share of the words' variance, said with it.",
            map_, (), "vectors-words"),
    Command("guess", GUESS_USAGE, "CBOW's guess of the blank from the words around it",
            "Needs CBOW vectors (they keep the output layer). The words around the blank often rank first; "
            "--exclude-context leaves them out. --dissect shows every stage: the context read and skipped, h, the scores "
            "W′·h, the noise prior added back, and gensim's predict_output_word ranking beside. "
            "Example: :guess --exclude-context a complete waste of ___",
            guess, (), "guess"),
    Command("tokens", ":tokens TEXT", "the encoder, step by step: standardizing, truncating, ids, mask",
            "What the current classifier reads: each standardization step and the words it changed, the words "
            "max_length dropped, the ids, their padding in a Keras batch and the mask, then each token and its id. "
            "Example: :tokens Isn't it GREAT?<br />",
            tokens, (), "model-words"),
    Command("prefix", ":prefix TEXT", "P(positive) after each word, and each word's share",
            "What the model thought while reading, word by word. Example: :prefix not bad at all",
            prefix, (), "model-words"),
    Command("inside", ":inside TEXT", "the recurrent layer at work on TEXT: states, gates, gradient, memory, axis, stream",
            "The five views of the TUI's Inside tab in print: each gate and h(t) at the last word with h(t) over the "
            "text, ‖∂logit/∂x(t)‖ per word beside the leave-one-out shares, the forget or update gates against the "
            "model's held-out reviews and its initialisation, the text's path along the sentiment axis, and the "
            "steps and time a prediction after every word takes. The model's held-out profile is computed once "
            "(a few seconds) and cached. Example: :inside the first hour is dull, but the ending is wonderful",
            inside, (), "model-words"),
    Command("unit", ":unit [OPTIONS]", "one recurrent unit over T steps: h(t), ∂h(T)/∂h(0) and what it means",
            "The options of `rnnplay unit` (:unit --help lists them): --w, --u, --b, --steps, --x 1,0,…, --cell tanh|linear|lstm, "
            "--forget F. Shows h over the steps, the product Π w·tanh′ (or Π f for an LSTM's cell) and a reading computed "
            "from them. Example: :unit --cell linear --w 1.1", unit),
    Command("memory", ":memory [OPTIONS]", "how far back the classifier remembers on real text",
            "A decisive sentence from its held-out reviews at the start or the end of neutral filler (other reviews' "
            "sentences it scores near 0.5), at several filler lengths: how often the verdict still follows the sentence, "
            "and its mean probability. Options as `rnnplay memory` (--samples, --seed, --distances; --model NAME for "
            "another classifier than the one in use). Takes seconds. Example: :memory --samples 100", memory),
    Command("train", ":train [OPTIONS]", "train a classifier with the options of `rnnplay train`",
            ":train --help lists the options. Progress shows as in the CLI; Ctrl-C cancels the training, not the REPL; "
            "the REPL then uses the new model. Example: :train --corpus rt --epochs 2 --name rt-small",
            train, (), "train"),
    Command("cbow", ":cbow SUBCOMMAND …", "train, export, eval or import word vectors, or step a tiny CBOW (step), as `rnnplay cbow`",
            ":cbow train --help lists the options; Ctrl-C cancels a training, not the REPL; new vectors are then in "
            "use. Example: :cbow train --corpus rt --epochs 1 --name rt-cbow", cbow, (), "cbow"),
    Command("race", ":race [OPTIONS]", "race rnn, gru, lstm on a memory task, as `rnnplay race`",
            ":race --help lists the options (task, length, cells, epochs, seeds, the knobs). A live table while it "
            "trains; Ctrl-C cancels it, not the REPL, and nothing is saved. :race --history lists saved races. "
            "Example: :race --task adding --length 50 --epochs 3", race, (), "race"),
    Command("quit", ":quit", "leave (Ctrl-D does too)", "", quit_, ("q", "exit")),
]
BY_NAME = {name: command for command in COMMANDS for name in (command.name, *command.aliases)}


def find(name: str) -> Optional[Command]:
    return BY_NAME.get(name.lower())


def did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name.lower(), list(BY_NAME), n=1, cutoff=0.6)
    return f"; did you mean :{close[0]}?" if close else ""
