"""Commands shared by the ``rnnplay`` CLI and the REPL, which runs the training ones in-process.

``rnnplay.cli`` assembles the app from these modules; the REPL imports ``training.app`` (train,
import and the cbow group) without the rest of the CLI, so neither imports the other. Each module
imports its heavy dependencies inside the commands, keeping ``rnnplay --help`` instant.
"""
