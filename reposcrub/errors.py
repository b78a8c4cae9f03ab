"""The one user-facing error type. cli.py turns it into exit code 2 and a one-line message."""
from __future__ import annotations


class ReposcrubError(Exception):
    """A problem with the user's input or environment, explained in one line.

    The message says what failed and what to do next; it never holds a secret value.
    """
