"""The help panel: what the tab in front shows and how to read it, and its keys (F7, or "Help" in Ctrl+P).

The text comes from ``rnnplay.tui.help``; the keys from the tab's and the app's ``BINDINGS``, so the
panel lists the keys the footer shows. F1–F6 turn the page to another tab's help (and bring that tab
to the front beneath, so closing the panel leaves the user where the help was about).

The help is written in a small part of Markdown (``#`` titles, paragraphs, ``-`` lists, ``**bold**``,
``*italic*``, ```code```) and drawn here as one Rich renderable: Textual's Markdown widget makes a widget
per block and took over a second to open this much text on a small machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static, TabbedContent

from rnnplay.tui.help import help_markdown

TITLES = {"play": "Play", "inside": "Inside", "words": "Words", "lab": "Lab", "train": "Train", "models": "Models"}
HINT = "Esc closes · ↑ ↓ PgUp PgDn scroll · F1–F6 another tab's help"
INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`")


def inline(text: str) -> Text:
    """``**bold**``, ``*italic*`` and ```code``` as Rich styles; anything else as it is (never Rich markup)."""
    line, at = Text(), 0
    for match in INLINE.finditer(text):
        line.append(text[at : match.start()])
        bold, italic, code = match.groups()
        if bold is not None:
            line.append(bold, style="bold")
        elif italic is not None:
            line.append(italic, style="italic")
        else:
            line.append(code, style="bold")
        at = match.end()
    line.append(text[at:])
    return line


def blocks(source: str) -> list[tuple[str, str]]:
    """(kind, text) per block: "title", "heading", "item" or "paragraph"; a block's lines joined by spaces."""
    found: list[tuple[str, str]] = []
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            found.append(("blank", ""))
        elif line.startswith("## "):
            found.append(("heading", line[3:].strip()))
        elif line.startswith("# "):
            found.append(("title", line[2:].strip()))
        elif line.startswith("- "):
            found.append(("item", line[2:].strip()))
        elif found and found[-1][0] in ("item", "paragraph"):
            found[-1] = (found[-1][0], f"{found[-1][1]} {stripped}")
        else:
            found.append(("paragraph", stripped))
    return [block for block in found if block[0] != "blank"]


def render(source: str) -> RenderableType:
    """The help as Rich renderables: a blank line between blocks (not under a heading, nor between list
    items), list items with a hanging indent."""
    parts: list[RenderableType] = []
    previous = ""
    for kind, text in blocks(source):
        if parts and previous != "heading" and not (kind == "item" and previous == "item"):
            parts.append(Text())
        if kind == "title":
            parts.append(Text(text, style="bold reverse"))
        elif kind == "heading":
            parts.append(Text(text, style="bold underline"))
        elif kind == "item":
            item = Table.grid(padding=(0, 1))
            item.add_column(no_wrap=True)
            item.add_column(ratio=1)
            item.add_row("•", inline(text))
            parts.append(item)
        else:
            parts.append(inline(text))
        previous = kind
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """A scrollable page of help over the app; Esc (or F7 again, the app's key) closes it."""

    CSS_PATH = Path(__file__).with_name("help_screen.tcss")
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        *(Binding(f"f{number}", f"page('{tab}')", title, show=False) for number, (tab, title) in enumerate(TITLES.items(), 1)),
    ]

    def __init__(self, tab: str) -> None:
        super().__init__()
        self.tab = tab
        self.text = ""  # the help shown, as written (for tests and readers of the screen)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-text")
            yield Static(HINT, id="help-hint", markup=False)

    def on_mount(self) -> None:
        self.show_tab_help(self.tab)
        self.query_one("#help-scroll").focus()

    def show_tab_help(self, tab: str) -> None:
        main = self.app.screen_stack[0]
        widget_class = type(main.query_one(f"#{tab}-tab"))
        bindings = getattr(widget_class, "HELP_BINDINGS", widget_class.BINDINGS)  # a tab of panes lists its panes' keys
        app_bindings = [*type(self.app).BINDINGS, Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette", "Commands")]
        self.tab, self.text = tab, help_markdown(tab, bindings, app_bindings)
        self.query_one("#help-box").border_title = f"Help · {TITLES[tab]}"
        self.query_one("#help-text", Static).update(render(self.text))
        self.query_one("#help-scroll").scroll_home(animate=False)

    def action_page(self, tab: str) -> None:
        """Another tab's help; that tab comes to the front beneath, as F1–F6 do outside the panel."""
        tabs = self.app.screen_stack[0].query_one(TabbedContent)
        if tabs.active != tab:
            tabs.screen.set_focus(None)  # as the app's show_tab does: the focus must not pull the tabs back
            tabs.active = tab
        self.show_tab_help(tab)
