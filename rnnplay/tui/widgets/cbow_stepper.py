"""CBOW step by step, as wevi shows it: a tiny corpus, one training pair at a time, in two presses.

``f`` runs the forward pass of the next pair (context words → their input vectors → their mean h →
scores → softmax → the target's probability and the loss), with the gradients computed but pending;
``u`` applies them and the heatmaps mark (◆) the rows of W_in and the output vectors the update moved.
``n`` is wevi's "Next" (forward, or the update when one is pending); ``1`` / ``2`` / ``3`` run 20, 100,
500 whole steps. Beside them: the loss over the corpus as a sparkline, the input vectors' 2-D PCA map
(it moves as they train) and the nearest neighbours of a chosen word (``c`` picks the next word).

The tiny model (``runtime.tiny_cbow``) uses a full softmax over its few words; the real ``imdb-cbow``
vectors use negative sampling instead, and the view says so.

What it needs from its host: nothing. It is self-contained (no model files, no workers: a step of the
tiny model takes about 0.1 ms and 500 steps 0.1–0.2 s on 2 busy cores, ``benchmarks/tiny_cbow.py``)
and scrolls when the space given to it is small (80 × 24 shows the controls, the forward pass and the heatmaps; the rest scrolls).
Its keys are ``CbowStepper.BINDINGS`` (active while focus is inside it; the lines box keeps letters to
itself); ``tui.help.KEY_NOTES`` has a line for each, so ``help.keys_markdown(CbowStepper.BINDINGS)``
lists them in the host tab's help.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, Static

from rnnplay.cbow_step_view import describe_pairs, forward_view, heatmaps_view, loss_view, map_view, note, word_neighbours_view
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable
from rnnplay.runtime.tiny_cbow import PRESETS, InputMap, TinyCbow, TinyCorpus

OWN = "own"  # the picker's value for the user's own lines
PICKS = [("fruit and juice (wevi)", "fruit"), ("king and queen (wevi)", "king"), ("my own lines", OWN)]
WINDOWS = (None, 1, 2)  # single-word context (wevi's format), then CBOW windows of ±1 and ±2
SIDE_WIDTH = 32  # the loss curve and the neighbours, right of the map


class CbowStepper(VerticalScroll):
    """The tiny CBOW trainer, its forward pass, heatmaps, map, loss and neighbours (module docstring)."""

    DEFAULT_CSS = """
    CbowStepper { height: 1fr; padding: 0 1; }
    CbowStepper #cbow-controls { height: auto; }
    CbowStepper #cbow-preset { width: 28; }
    CbowStepper #cbow-lines { width: 1fr; }
    CbowStepper #cbow-status { height: auto; }
    CbowStepper .cbow-row { height: auto; }
    CbowStepper #cbow-forward { width: 1fr; min-width: 40; }
    CbowStepper #cbow-heatmaps { width: auto; margin-left: 2; }
    CbowStepper #cbow-map { width: 1fr; }
    CbowStepper #cbow-side { width: 32; margin-left: 2; }
    CbowStepper #cbow-problem { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("f", "forward", "Forward"),
        Binding("u", "update", "Update"),
        Binding("n", "next_half", "Next", show=False),
        Binding("1", "run(20)", "×20"),
        Binding("2", "run(100)", "×100"),
        Binding("3", "run(500)", "×500"),
        Binding("w", "cycle_window", "Window"),
        Binding("p", "cycle_preset", "Corpus"),
        Binding("e", "edit_lines", "Lines", show=False),
        Binding("c", "next_word", "Word", show=False),
        Binding("r", "restart", "Restart", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.preset = "fruit"
        self.own_lines: list[str] = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]
        self.window: int | None = None
        self.model = TinyCbow(TinyCorpus.preset(self.preset))
        self.chosen = self.default_word()
        self.just_updated = False  # the last press applied an update (the heatmaps mark what it moved)
        self.map: InputMap | None = None  # the last PCA map shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="cbow-controls"):
            yield Select(PICKS, value="fruit", allow_blank=False, id="cbow-preset", compact=True)
            yield Input(", ".join(self.own_lines), placeholder="your lines, separated by commas (Enter)",
                        id="cbow-lines", compact=True)
        yield Static("", id="cbow-problem", markup=False)
        yield Static("", id="cbow-status")
        with Horizontal(classes="cbow-row"):
            yield Static("", id="cbow-forward")
            yield Static("", id="cbow-heatmaps")
        with Horizontal(classes="cbow-row"):
            yield Static("", id="cbow-map")
            yield Static("", id="cbow-side")

    def on_mount(self) -> None:
        self.show_problem("")
        self.show()

    # --- the model ------------------------------------------------------------------------------------
    def default_word(self) -> str:
        vocabulary = self.model.vocabulary
        return "apple" if "apple" in vocabulary else "king" if "king" in vocabulary else vocabulary[0]

    def start(self) -> None:
        """A new model for the corpus and window chosen, from its initial weights; a problem is shown, not raised."""
        try:
            lines = self.own_lines if self.preset == OWN else PRESETS[self.preset]
            self.model = TinyCbow(TinyCorpus.from_lines(lines), window=self.window)
        except RnnplayError as error:
            self.show_problem(str(error))
            return
        self.show_problem("")
        if self.chosen not in self.model.vocabulary:
            self.chosen = self.default_word()
        self.just_updated = False
        self.map = None
        self.show()

    def show_problem(self, problem: str) -> None:
        box = self.query_one("#cbow-problem", Static)
        box.update(printable(problem))
        box.display = bool(problem)

    # --- the views ------------------------------------------------------------------------------------
    def show(self) -> None:
        model = self.model
        pending = model.pending
        status = Text.assemble((describe_pairs(model), ""), ("\n", ""), note())
        self.query_one("#cbow-status", Static).update(status)
        if pending is not None:
            forward = forward_view(model, pending)
        elif model.last is not None:
            forward = forward_view(model, model.last.forward, applied=model.last)
        else:
            nxt = model.next_pair
            forward = Group(Text.assemble(("no step yet. ", "dim"), ("f", "bold"), (" runs the forward pass of the first pair: ", "dim"),
                                          (" ".join(printable(model.vocabulary[i]) for i in nxt.context), "bold cyan"), (" → ", "dim"),
                                          (printable(model.vocabulary[nxt.target]), "bold yellow")))
        self.query_one("#cbow-forward", Static).update(forward)
        changed = model.last if self.just_updated else None
        self.query_one("#cbow-heatmaps", Static).update(heatmaps_view(model, changed))
        width = max(24, min(60, self.size.width - SIDE_WIDTH - 6)) if self.size.width else 36
        self.map = model.input_map(self.map)  # each axis keeps its side from one step to the next
        self.query_one("#cbow-map", Static).update(map_view(model, width=width, height=10, found=self.map))
        side = Group(loss_view(model, width=SIDE_WIDTH), Text(""), Text("neighbours (c: next word)", style="dim"),
                     word_neighbours_view(model, self.chosen, n=min(4, len(model.vocabulary) - 1)))
        self.query_one("#cbow-side", Static).update(side)

    # --- the keys -------------------------------------------------------------------------------------
    def action_forward(self) -> None:
        self.model.forward()
        self.just_updated = False
        self.show()

    def action_update(self) -> None:
        self.model.update()
        self.just_updated = True
        self.show()

    def action_next_half(self) -> None:
        if self.model.pending is None:
            self.action_forward()
        else:
            self.action_update()

    def action_run(self, steps: int) -> None:
        self.model.run(steps)
        self.just_updated = True
        self.show()

    def action_cycle_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.start()

    def action_cycle_preset(self) -> None:
        values = [value for _, value in PICKS]
        self.use_corpus(values[(values.index(self.preset) + 1) % len(values)])

    def use_corpus(self, preset: str) -> None:
        """Start on this corpus now; the picker follows (its Changed message then finds nothing to do), so
        keys pressed right after act on the new model."""
        self.preset = preset
        self.query_one("#cbow-preset", Select).value = preset
        self.start()

    def action_edit_lines(self) -> None:
        self.query_one("#cbow-lines", Input).focus()

    def action_next_word(self) -> None:
        vocabulary = self.model.vocabulary
        self.chosen = vocabulary[(vocabulary.index(self.chosen) + 1) % len(vocabulary)]
        self.show()

    def action_restart(self) -> None:
        self.start()

    @on(Select.Changed, "#cbow-preset")
    def preset_picked(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self.preset:
            self.preset = event.value
            self.start()

    @on(Input.Submitted, "#cbow-lines")
    def lines_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.own_lines = [line.strip() for line in event.value.split(",") if line.strip()]
        self.use_corpus(OWN)
        self.focus()

    def key_escape(self) -> None:
        if isinstance(self.app.focused, Input):
            self.focus()
