"""The footer, with the help key first: a tab's own keys come before the app's, so on a tab with many keys
an 80-column footer would cut F7 off the end, and the key that explains the others would be the one
a learner never sees."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

HELP_ACTION = "help"


class HelpFirstFooter(Footer):
    """Textual's footer, its keys in the same order except the help key, moved to the front."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [key for key in keys if getattr(key, "action", None) == HELP_ACTION]  # a FooterKey (not public)
        yield from first + [key for key in keys if key not in first]
