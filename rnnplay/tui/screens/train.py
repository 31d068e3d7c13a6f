"""The Train tab (placeholder until its owner lands it)."""

from __future__ import annotations

from textual.containers import Vertical


class TrainTab(Vertical):
    pass
