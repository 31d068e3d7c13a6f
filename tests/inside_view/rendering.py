"""Render a Rich renderable to plain lines, as a terminal of a given width shows it."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text


def lines(renderable: object, width: int = 80) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.export_text(styles=False).rstrip("\n").split("\n")


def fits(renderable: object, width: int = 80) -> list[str]:
    """The lines, after checking that none is wider than ``width``. (Rich wraps a longer line, so the tests that
    promise one line also compare a line whole.)"""
    shown = lines(renderable, width)
    assert all(Text(line).cell_len <= width for line in shown), "\n".join(shown)
    return shown
