"""The Words tab: one word, its neighbours in two embedding spaces side by side; analogies; guess the blank.

Four panes (a ``TabbedContent``): "Queries" (what follows), "One-hot vs dense" (``OnehotPane``: two words'
cosines under one-hot and dense vectors, and the cost of one-hot inputs), "Map" (``WordMapPane``: chosen
words on the PCA plane of both spaces) and "CBOW step by step" (``CbowStepper``: a tiny CBOW model trained
one pair at a time, wevi's way). Ctrl+B opens the guess box's guess, dissected (``DissectScreen``).

Left: the word vectors (``app.vectors``, CBOW by default), where words that occur in the same places
sit together: "good" beside "bad" (cosine +0.70 in the shipped imdb-cbow). Right: the current
classifier's embedding (``app.classifier``), shaped by what helps the verdict from wherever it started:
trained from random vectors "good" is away from "bad" (−0.52); the shipped imdb-bilstm started from CBOW
vectors and kept them close (+0.70). Since the two lists hold different words, a strip under them gives
the same few words' cosine in both spaces, where a flip shows. Every answer comes from
``runtime.vectors``; this module only asks and lays out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TabbedContent, TabPane, Tabs

from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.tui.shared import rnnplay_app
from rnnplay.tui.widgets.analogy_box import AnalogyBox
from rnnplay.tui.widgets.blank_guess import BlankGuess
from rnnplay.tui.widgets.cbow_stepper import CbowStepper
from rnnplay.tui.widgets.cross_space import CrossSpace
from rnnplay.tui.widgets.neighbour_list import NeighbourList
from rnnplay.tui.widgets.onehot_pane import OnehotPane
from rnnplay.tui.widgets.word_map_pane import WordMapPane

NO_VECTORS = ""  # the picker's value while no vectors are loaded (no model folder has an empty name)
NONE_LABEL = "(none)"
NEIGHBOURS = 50  # more than any terminal shows; each list cuts to its height
VECTORS_NOTE = "near: used in the same contexts"
EMBEDDING_NOTE = "near: push the verdict the same way"
PANES = {"words-queries": "Queries", "words-onehot": "One-hot vs dense", "words-map": "Map", "words-cbow": "CBOW step by step"}
PANE_FOCUS = {"words-queries": "#word", "words-onehot": "#onehot-a", "words-map": "#map-words", "words-cbow": "#cbow-stepper"}


def saved_vectors(models_dir: Path | None) -> dict[str, Path]:
    """Saved word-vector models by name, the user's first (as ``store.resolve`` finds them)."""
    from rnnplay.store import list_models

    found: dict[str, Path] = {}
    for entry in list_models(models_dir):
        if entry.card is not None and entry.card.kind == "vectors":
            found.setdefault(entry.path.name, entry.path)
    return found


def space_size(vectors: Any) -> str:
    return f"{len(vectors):,} words × {vectors.vector_size}"


class WordsTab(Vertical):
    """Panes: Queries (query bar on top, the two spaces' neighbours side by side and their cosines compared, the
    analogy and blank boxes below), One-hot vs dense, Map, CBOW step by step."""

    BINDINGS = [
        Binding("ctrl+n", "focus_part('#word')", "Word"),
        Binding("ctrl+o", "pick_vectors", "Vectors"),
        Binding("ctrl+y", "focus_part('#analogy-a')", "Analogy"),
        Binding("ctrl+g", "focus_part('#blank-text')", "Guess"),
        Binding("ctrl+b", "dissect", "Dissect"),
        Binding("ctrl+s", "focus_part('#onehot-a')", "One-hot"),
        Binding("ctrl+l", "focus_part('#map-words')", "Map"),
        Binding("ctrl+r", "focus_part('#cbow-stepper')", "CBOW steps"),
    ]
    HELP_BINDINGS = [*BINDINGS, *CbowStepper.BINDINGS]  # the help lists the stepper's own keys too

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.vectors: Any = None  # app.vectors, the left column's space
        self.embedding: Any = None  # the classifier's embedding as Vectors, the right column's space
        self.embedding_problem = ""  # why the classifier's embedding cannot be queried, if it cannot
        self.choices: dict[str, Path] = {}
        self.word = ""  # the last word queried, asked again when a space changes

    def compose(self) -> ComposeResult:
        with TabbedContent(id="words-panes", initial="words-queries"):
            with TabPane(PANES["words-queries"], id="words-queries"):
                with Vertical(id="queries"):
                    with Horizontal(id="word-bar"):
                        yield Label("Word", classes="field-label")
                        yield Input(placeholder="a word, then Enter (e.g. good)", id="word", compact=True)
                        yield Label("Word vectors", classes="field-label")
                        # No blank entry: "(none)" is listed only while no vectors are loaded, so the picker always
                        # shows what is in use (a blank entry could be chosen while imdb-cbow stayed in use).
                        yield Select([(NONE_LABEL, NO_VECTORS)], id="vectors-choice", compact=True, allow_blank=False)
                    with Horizontal(id="spaces"):
                        yield NeighbourList("Word vectors", VECTORS_NOTE, id="vectors-neighbours")
                        yield NeighbourList("Classifier embedding", EMBEDDING_NOTE, id="embedding-neighbours")
                    yield CrossSpace(id="cross-space")
                    with Horizontal(id="word-boxes"):
                        yield AnalogyBox(id="analogy")
                        yield BlankGuess(id="guess")
            with TabPane(PANES["words-onehot"], id="words-onehot"):
                yield OnehotPane(id="onehot")
            with TabPane(PANES["words-map"], id="words-map"):
                yield WordMapPane(id="word-map")
            with TabPane(PANES["words-cbow"], id="words-cbow"):
                yield CbowStepper(id="cbow-stepper")

    def on_mount(self) -> None:
        # The pane names are not a stop on Tab's way: Ctrl+N, Ctrl+S and Ctrl+L bring each pane up with its box
        # focused, and a click on a name focuses the pane's first box.
        self.query_one("#words-panes Tabs", Tabs).can_focus = False
        self.watch(self.app, "catalog", self._catalog_changed)
        self.watch(self.app, "vectors", self._vectors_changed)
        self.watch(self.app, "classifier", self._classifier_changed)

    def focus_default(self) -> None:
        """Arriving on the tab (the app calls this on F3 or a click) puts the cursor in the pane's first box
        (the word box on Queries)."""
        self.focus_pane(self.query_one("#words-panes", TabbedContent).active)

    def focus_pane(self, pane: str) -> None:
        """The pane's first box; a pane added later (the lead's CBOW step by step) gets its first focusable widget."""
        if pane in PANE_FOCUS:
            self.query_one(PANE_FOCUS[pane]).focus()
            return
        widget = next((w for w in self.query_one(f"#{pane}", TabPane).query("*") if w.focusable), None)
        if widget is not None:
            widget.focus()

    def action_focus_part(self, selector: str) -> None:
        """Bring the pane holding ``selector`` to the front, then focus it."""
        widget = self.query_one(selector)
        pane = next(ancestor for ancestor in widget.ancestors if isinstance(ancestor, TabPane))
        self.query_one("#words-panes", TabbedContent).active = pane.id or ""
        widget.focus()

    def show_pane(self, pane: str) -> None:
        """Bring a pane to the front ("words-queries", "words-onehot", "words-map") with its first box focused."""
        self.action_focus_part(PANE_FOCUS[pane])

    @on(TabbedContent.TabActivated, "#words-panes")
    def _pane_shown(self, event: TabbedContent.TabActivated) -> None:
        """A pane shown by a click on its name (or ←/→ on the names) takes the focus into its first box; the
        app's handler is for its own tabs, so the message stops here."""
        event.stop()
        focused = self.app.focused
        if focused is None or (event.pane not in focused.ancestors and not isinstance(focused, Tabs)):
            self.focus_pane(event.pane.id or "")

    def action_dissect(self) -> None:
        """The guess box's guess, dissected, over the tab: every stage and gensim's ranking beside."""
        from rnnplay.runtime.guess_dissect import dissect
        from rnnplay.runtime.vectors import guesser
        from rnnplay.tui.shared import dark_background
        from rnnplay.tui.widgets.dissect_screen import DissectScreen
        from rnnplay.words_view.dissect import dissect_view

        box = self.query_one(BlankGuess)
        cannot = box.cannot_guess()
        if cannot or not box.text:
            self.notify(cannot or "type a sentence with a blank (___) in the guess box first (Ctrl+G)", severity="warning")
            return
        try:
            stages = dissect(guesser(box.space), box.text, box.hide_context)
        except RnnplayError as error:
            self.notify(str(error), severity="warning")
            return
        self.app.push_screen(DissectScreen(dissect_view(stages, 10, dark_background(self)),
                                           f"Guess, dissected · {printable(box.space.name)}"))

    def action_pick_vectors(self) -> None:
        """Open the list of saved vectors, as Ctrl+O opens the list of models on Play."""
        select = self.query_one("#vectors-choice", Select)
        select.focus()
        select.action_show_overlay()

    # --- the spaces ------------------------------------------------------------------------------

    def _vectors_changed(self, vectors: Any) -> None:
        self.vectors = vectors
        column = self.query_one("#vectors-neighbours", NeighbourList)
        if vectors is None:
            column.show_space("Word vectors", "", VECTORS_NOTE)
        elif vectors.source_kind == "classifier":  # e.g. --vectors imdb-bilstm: two classifiers side by side
            column.show_space(f"Classifier embedding · {vectors.name}", space_size(vectors), EMBEDDING_NOTE)
        else:
            column.show_space(f"Word vectors · {vectors.name}", space_size(vectors), VECTORS_NOTE)
        self.query_one(AnalogyBox).set_space(vectors)
        self.query_one(BlankGuess).set_space(vectors)
        self._sync_choice()
        self.ask(self.word)

    def _classifier_changed(self, classifier: Any) -> None:
        from rnnplay.runtime.vectors import Vectors

        self.embedding, self.embedding_problem = None, ""
        column = self.query_one("#embedding-neighbours", NeighbourList)
        if classifier is None:
            column.show_space("Classifier embedding", "")
        else:
            column.show_space(f"Classifier embedding · {classifier.name}", "")
            try:
                self.embedding = Vectors.from_stored(classifier.stored)
                column.show_space(f"Classifier embedding · {classifier.name}", space_size(self.embedding))
            except RnnplayError as error:
                self.embedding_problem = str(error)
        self.ask(self.word)

    def _catalog_changed(self, _: int) -> None:
        self.choices = saved_vectors(rnnplay_app(self).models_dir)
        self._sync_choice()

    def _sync_choice(self) -> None:
        """List the saved vectors and show the current ones selected (also when loaded from elsewhere);
        "(none)" heads the list only while no vectors are loaded."""
        select = self.query_one("#vectors-choice", Select)
        current = self.vectors.name if self.vectors is not None else NO_VECTORS
        names = list(self.choices)
        if current not in self.choices:
            names.insert(0, current)  # e.g. a classifier's embedding or a folder given by path, or none
        # Text: a name is never read as markup
        select.set_options([(Text(printable(name)) if name != NO_VECTORS else Text(NONE_LABEL), name) for name in names])
        select.value = current

    @on(Select.Changed, "#vectors-choice")
    def _vectors_chosen(self, event: Select.Changed) -> None:
        if event.value != event.select.value:  # a stale message from refilling the list
            return
        current = self.vectors.name if self.vectors is not None else None
        if event.value == NO_VECTORS or event.value == current or event.value not in self.choices:
            return
        if not rnnplay_app(self).use_vectors(self.choices[str(event.value)]):
            self._sync_choice()  # the app has said why; show the vectors still in use

    # --- neighbours ------------------------------------------------------------------------------

    @on(Input.Submitted, "#word")
    def _word_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.ask(event.value.strip(), empty_ok=False)

    @on(NeighbourList.Picked)
    def _suggestion_picked(self, event: NeighbourList.Picked) -> None:
        word_box = self.query_one("#word", Input)
        word_box.value = event.word
        word_box.focus()
        self.ask(event.word)

    def ask(self, word: str, empty_ok: bool = True) -> None:
        """Fill both columns for ``word`` (each space answers or says why it cannot, on its own) and compare."""
        if not word and empty_ok:
            return
        self.word = word
        show(self.query_one("#vectors-neighbours", NeighbourList), self.vectors, word,
             "no word vectors are loaded: pick some with the list above")
        show(self.query_one("#embedding-neighbours", NeighbourList), self.embedding, word,
             self.embedding_problem or "no classifier is loaded yet: pick one on the Play tab")
        compare(self.query_one(CrossSpace), [self.vectors, self.embedding], word)


def show(column: NeighbourList, space: Any, word: str, missing: str) -> None:
    """One column's answer: the neighbours, or the reason there are none (with spellings to try)."""
    from rnnplay.runtime.vectors import UnknownWord

    if space is None:
        column.show_problem(missing)
        return
    try:
        column.show_answers(space.neighbours(word, NEIGHBOURS))
    except UnknownWord as error:
        # The buttons under the message offer the spellings, so the message need not list them too.
        column.show_problem(str(error).split("; did you mean")[0] + ("; did you mean:" if error.suggestions else ""),
                            error.suggestions)
    except RnnplayError as error:
        column.show_problem(str(error))


def compare(strip: CrossSpace, spaces: Sequence[Any], word: str) -> None:
    """The same words' cosine with ``word`` in both spaces, or one dim line: the columns say the details."""
    from rnnplay.runtime.vectors import UnknownWord, cosines_across

    if any(space is None for space in spaces):
        strip.show_message("cosine in both spaces: needs word vectors and a classifier's embedding")
        return
    try:
        strip.show(word, cosines_across(word, spaces), space_labels(spaces))
    except UnknownWord:
        strip.show_message(f"cosine in both spaces: none, “{word}” is not in both vocabularies")
    except RnnplayError:
        strip.show_message("")  # an empty query, two words, a zero vector: each column already says which


def space_labels(spaces: Sequence[Any]) -> list[str]:
    """What kind each space is ("word vectors", "classifier"); their names if the kinds do not tell them apart."""
    kinds = [space.kind for space in spaces]
    return kinds if len(set(kinds)) == len(kinds) else [space.name for space in spaces]
