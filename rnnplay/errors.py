"""The one exception type the front ends turn into a one-line message and a non-zero exit."""


class RnnplayError(Exception):
    """A failure the user can act on: bad input, a missing or corrupt model, an unknown corpus.

    Front ends print ``str(error)`` on one line and exit with ``exit_code``; anything else that
    escapes is a bug in rnnplay.
    """

    exit_code = 1


class UsageError(RnnplayError):
    """The command line itself is wrong (exit code 2, like Click's usage errors)."""

    exit_code = 2


class Cancelled(RnnplayError):
    """The user stopped a long job; nothing was saved."""

    exit_code = 130
