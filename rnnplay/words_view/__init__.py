"""Text views of the Words comprehension tools (one-hot against dense, the lookup's cost, the map of words,
the dissected guess), rendered once as Rich text and shown by the CLI, the REPL and the TUI alike."""
