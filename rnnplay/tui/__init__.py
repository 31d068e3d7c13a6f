"""The Textual front end: ``rnnplay tui``. Screens call the runtime and training services; no model logic here."""
