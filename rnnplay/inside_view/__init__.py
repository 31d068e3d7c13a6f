"""Rich views of the Inside tab's computations, shared by the CLI, the REPL and the TUI."""
