"""The app as the tabs see it: typed, so a misspelt shared attribute is a type error, not a crash at run time.

Textual types ``Widget.app`` as a plain ``App``; every tab reads rnnplay's shared state (the classifier,
the vectors, the models folder) and calls its loaders through ``rnnplay_app(self)`` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, cast

from textual.widget import Widget

if TYPE_CHECKING:
    from textual.timer import Timer

    from rnnplay.tui.app import RnnplayApp

DEBOUNCE_SECONDS = 0.05  # long enough to skip work between fast keystrokes, short enough to feel instant


def rnnplay_app(widget: Widget) -> RnnplayApp:
    return cast("RnnplayApp", widget.app)


def dark_background(widget: Widget) -> bool | None:
    """Whether the theme's background is dark, so shares and cosines take colours that read on it (None:
    not on screen yet, middle tones)."""
    return widget.app.current_theme.dark if widget.is_mounted else None


def follow_theme(widget: Widget, redraw: Callable[[], object]) -> None:
    """Redraw ``widget`` when the user switches themes (Ctrl+T): its colours were chosen for the old one."""

    def theme_changed(_: str) -> None:
        redraw()

    widget.watch(widget.app, "theme", theme_changed, init=False)


def debounce(widget: Widget, timer: Timer | None, work: Callable[[], object]) -> Timer:
    """Restart ``timer``: ``work`` runs once the keystrokes pause, not after each one (Play and Inside)."""
    if timer is not None:
        timer.stop()
    return widget.set_timer(DEBOUNCE_SECONDS, work)
