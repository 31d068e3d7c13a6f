"""The help text: one section per tab, and keys listed from bindings in the words a learner types them."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from rnnplay.tui.app import TABS, RnnplayApp
from rnnplay.tui.help import SECTIONS, help_markdown, key_name, keys_markdown


@pytest.mark.parametrize(("key", "shown"), [("ctrl+r", "Ctrl+R"), ("f7", "F7"), ("escape", "Esc"), ("enter", "Enter"),
                                            ("l", "l"), ("delete", "Delete"), ("ctrl+shift+x", "Ctrl+Shift+X")])
def test_keys_are_named_as_they_are_typed(key: str, shown: str) -> None:
    assert key_name(key) == shown


def test_a_binding_line_has_every_key_its_label_and_its_note() -> None:
    lines = keys_markdown([Binding("d,delete", "delete", "Delete"), Binding("ctrl+b", "something_new", "Compare"),
                           ("x", "refresh", "Refresh")]).splitlines()
    assert lines[0].startswith("- **d** or **Delete** Delete: deletes one of your models")
    assert lines[1] == "- **Ctrl+B** Compare"  # a binding the notes do not know keeps its footer label
    assert lines[2].startswith("- **x** Refresh: ")


def test_every_tab_has_a_section_and_its_help_ends_with_its_keys_and_the_apps() -> None:
    assert set(SECTIONS) == set(TABS)
    for tab in TABS:
        text = help_markdown(tab, [Binding("ctrl+r", "example", "Example")], RnnplayApp.BINDINGS)
        assert text.startswith(SECTIONS[tab])
        on_tab, everywhere = text.split("## Keys on this tab")[1].split("## Keys everywhere")
        assert "**Ctrl+R** Example" in on_tab
        assert "**F7** Help" in everywhere and "**Ctrl+Q** Quit" in everywhere


@pytest.mark.parametrize(("tab", "words"), [
    ("play", ["P(positive)", "share", "logit", "prefix", "bidirectional", "mask", "truncate", "padded", "Compare"]),
    ("inside", ["Steps", "Gradient", "forget", "update", "pre-activation", "h(t−1)", "backward", "Play's text"]),
    ("words", ["cosine", "Word vectors", "Classifier embedding", "Analogy", "Guess the blank", "hide context"]),
    ("train", ["Cell", "Direction", "Units", "Vocab size", "Max length", "Epochs", "validation", "Overfitting"]),
    ("models", ["model.summary()", "card.json", "confusion matrix", "misclassified"]),
    ("lab", ["first token", "adding", "temporal order", "baseline", "seed", "decay per step", "log scale", "forget bias"]),
])
def test_each_section_explains_its_panels(tab: str, words: list[str]) -> None:
    for word in words:
        assert word in SECTIONS[tab]
