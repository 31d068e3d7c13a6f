"""The Words tab (placeholder until its owner lands it)."""

from __future__ import annotations

from textual.containers import Vertical


class WordsTab(Vertical):
    pass
