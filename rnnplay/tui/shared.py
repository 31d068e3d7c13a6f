"""The app as the tabs see it: typed, so a misspelt shared attribute is a type error, not a crash at run time.

Textual types ``Widget.app`` as a plain ``App``; every tab reads rnnplay's shared state (the classifier,
the vectors, the models folder) and calls its loaders through ``rnnplay_app(self)`` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.widget import Widget

if TYPE_CHECKING:
    from rnnplay.tui.app import RnnplayApp


def rnnplay_app(widget: Widget) -> RnnplayApp:
    return cast("RnnplayApp", widget.app)
