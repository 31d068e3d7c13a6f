"""The Models tab (placeholder until its owner lands it)."""

from __future__ import annotations

from textual.containers import Vertical


class ModelsTab(Vertical):
    pass
