"""The Train tab's form: what to train (a classifier or CBOW vectors), on which corpus, with which settings.

The fields are the CLI's flags that matter most for learning (cell, direction, layers, units,
vocabulary, length, epochs, the devices that train; for CBOW dimension, window, min count, epochs); the rest come from the
chosen preset or word2vec's defaults. The form only collects text: ``training_request`` turns it
into a config, and says what is wrong in the form's own words. Number fields keep what is typed
(Textual's ``type="integer"`` would drop the ``.`` of ``2.5`` and make it 25): each field checks its
text against the CLI's bound as it changes, is marked invalid, and the form says why under the fields.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static

from rnnplay.card import CELL_NAMES
from rnnplay.config import PRESETS, CbowConfig
from rnnplay.corpora import BUILTIN
from rnnplay.tui.shared import rnnplay_app
from rnnplay.tui.training_request import (
    CBOW_NUMBERS,
    CLASSIFIER_NUMBERS,
    NUMBERS,
    Kind,
    TrainingRequest,
    cbow_fields,
    cbow_request,
    classifier_request,
    default_name,
    field_problem,
    form_note,
    preset_fields,
)

KINDS = [("sentiment classifier", "classifier"), ("word vectors (CBOW)", "vectors")]
CELLS = [(name, cell) for cell, name in CELL_NAMES.items()]
# A drop-down rather than a checkbox: the text shown is the state ("both ways" beside an empty box read wrong).
DIRECTIONS = [("both ways (Bi)", True), ("left to right only", False)]
# tf.distribute strategies the form offers (``--strategy``); multi-worker is left to the CLI: it needs a
# TF_CONFIG and one process per worker, which a form in one process cannot start.
DEVICES = [("auto", "auto"), ("one device", "one"), ("mirrored", "mirrored")]
PREFIXES: dict[Kind, str] = {"classifier": "train", "vectors": "cbow"}  # of the number fields' ids
_CBOW = CbowConfig()
CBOW_NOTE = (f"CBOW: word2vec's defaults (subsampling {_CBOW.sample:g}, {_CBOW.negative} noise words, "
             f"learning rate {_CBOW.alpha:g} → {_CBOW.min_alpha:g})")


def field_id(prefix: str, key: str) -> str:
    return f"{prefix}-{key.replace('_', '-')}"


class FieldCheck(Validator):
    """A number field's own check: the bound ``rnnplay train`` applies, and the message the form shows."""

    def __init__(self, kind: Kind, key: str) -> None:
        super().__init__()
        self.kind, self.key = kind, key

    def validate(self, value: str) -> ValidationResult:
        problem = field_problem(self.kind, self.key, value)
        return self.failure(problem) if problem else self.success()


def number_input(kind: Kind, key: str, placeholder: str = "") -> Input:
    return Input(compact=True, id=field_id(PREFIXES[kind], key), placeholder=placeholder, classes="number-field",
                 validators=[FieldCheck(kind, key)], validate_on=["changed", "submitted"])


class TrainingForm(Vertical):
    """Label–field rows in a grid; the classifier's or CBOW's rows show, depending on what is trained."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def compose(self) -> ComposeResult:
        with Grid(classes="form-grid", id="form-common"):
            yield Label("Train")
            yield Select(KINDS, value="classifier", allow_blank=False, compact=True, id="train-kind")
            yield Label("Corpus")
            yield Input("imdb", placeholder="imdb, rt, or a file path", compact=True, id="train-corpus",
                        suggester=SuggestFromList(list(BUILTIN), case_sensitive=False))
        with Grid(classes="form-grid", id="classifier-fields"):
            yield Label("Preset")
            yield Select([(name, name) for name in PRESETS], value="default", allow_blank=False, compact=True, id="train-preset")
            yield Label("Cell")
            yield Select(CELLS, value="lstm", allow_blank=False, compact=True, id="train-cell")
            yield Label("Direction")
            yield Select(DIRECTIONS, value=True, allow_blank=False, compact=True, id="train-bidirectional")
            for key, label in CLASSIFIER_NUMBERS.items():
                yield Label(label.capitalize())
                yield number_input("classifier", key, "0 = whole texts" if key == "max_length" else "")
            yield Label("Devices")
            yield Select(DEVICES, value="auto", allow_blank=False, compact=True, id="train-strategy")
        with Grid(classes="form-grid", id="cbow-fields"):
            for key, label in CBOW_NUMBERS.items():
                yield Label(label.capitalize())
                yield number_input("vectors", key)
        with Grid(classes="form-grid", id="form-name"):
            yield Label("Save as")
            yield Input(compact=True, id="train-name")
        yield Static("", id="form-problem", markup=False)
        yield Static("", id="preset-note", markup=False)

    def on_mount(self) -> None:
        self.fill_preset("default")
        for key, value in cbow_fields().items():
            self.query_one(f"#{field_id('cbow', key)}", Input).value = value
        self.query_one("#cbow-fields").display = False
        self.query_one("#form-problem").display = False
        self.refresh_default_name()

    # --- what the form holds ---------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return str(self.query_one("#train-kind", Select).value)

    @property
    def corpus(self) -> str:
        return self.query_one("#train-corpus", Input).value.strip()

    @property
    def preset(self) -> str:
        return str(self.query_one("#train-preset", Select).value)

    @property
    def cell(self) -> str:
        return str(self.query_one("#train-cell", Select).value)

    @property
    def bidirectional(self) -> bool:
        return bool(self.query_one("#train-bidirectional", Select).value)

    @property
    def strategy(self) -> str:
        return str(self.query_one("#train-strategy", Select).value)

    def numbers(self, kind: Kind = "classifier") -> dict[str, str]:
        """The number fields' text, as typed, for a classifier's or CBOW's rows."""
        return {key: self.query_one(f"#{field_id(PREFIXES[kind], key)}", Input).value for key in NUMBERS[kind][0]}

    def request(self, models_dir: Path | None) -> TrainingRequest:
        """The run the form describes; an RnnplayError says which field is wrong and how."""
        name = self.query_one("#train-name", Input).value
        if self.kind == "vectors":
            return cbow_request(self.corpus, self.numbers("vectors"), name, models_dir)
        return classifier_request(self.corpus, self.preset, self.numbers(), self.cell, self.bidirectional, name, models_dir,
                                  self.strategy)

    def fill_preset(self, name: str) -> None:
        """Show a preset's values in the fields (the user edits from there)."""
        values = preset_fields(name)
        for key in CLASSIFIER_NUMBERS:
            self.query_one(f"#{field_id('train', key)}", Input).value = str(values[key])
        self.query_one("#train-cell", Select).value = values["cell"]
        self.query_one("#train-bidirectional", Select).value = bool(values["bidirectional"])
        self.refresh_note()

    def refresh_note(self) -> None:
        """The note under the form describes what the form now says (the preset's own note until an edit)."""
        note = CBOW_NOTE if self.kind == "vectors" else form_note(self.preset, self.numbers(), self.cell, self.bidirectional)
        self.query_one("#preset-note", Static).update(note)

    def refresh_problem(self) -> None:
        """The first shown field's problem, under the fields (each wrong field is also marked invalid)."""
        kind: Kind = "vectors" if self.kind == "vectors" else "classifier"
        problems = (field_problem(kind, key, text) for key, text in self.numbers(kind).items())
        problem = next((p for p in problems if p), "")
        shown = self.query_one("#form-problem", Static)
        shown.update(problem)
        shown.display = bool(problem)

    @property
    def problem(self) -> str:
        """The problem shown under the fields ("" when every number is accepted)."""
        return str(self.query_one("#form-problem", Static).content)

    def refresh_default_name(self) -> None:
        """The name a run gets when "Save as" is left empty: free, and shown as the field's placeholder."""
        suffix = "cbow" if self.kind == "vectors" else self.preset
        self.query_one("#train-name", Input).placeholder = default_name(self.corpus, suffix, rnnplay_app(self).models_dir)

    # --- reacting to edits -----------------------------------------------------------------------

    @on(Select.Changed, "#train-kind")
    def _kind_changed(self) -> None:
        vectors = self.kind == "vectors"
        self.query_one("#classifier-fields").display = not vectors
        self.query_one("#cbow-fields").display = vectors
        self.refresh_note()
        self.refresh_problem()
        self.refresh_default_name()

    @on(Select.Changed, "#train-cell, #train-bidirectional")
    def _choice_changed(self) -> None:
        self.refresh_note()

    @on(Input.Changed, ".number-field")
    def _number_changed(self) -> None:
        self.refresh_problem()
        self.refresh_note()

    @on(Select.Changed, "#train-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        if event.value != event.select.value:  # stale
            return
        self.fill_preset(str(event.value))
        self.refresh_default_name()

    @on(Input.Changed, "#train-corpus")
    def _corpus_changed(self) -> None:
        self.refresh_default_name()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on, as Tab does; starting is a deliberate key (ctrl+s) or the Start button."""
        event.stop()
        self.screen.focus_next()
