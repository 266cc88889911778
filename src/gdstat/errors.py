"""Failures to run. Their ``str()`` is the one-line message a user sees; ``hint`` says what to do.

Problems *in* a report (a sum that does not add up) are findings, never exceptions.
"""


class GdstatError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 4

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __reduce__(self):  # sent between processes with its hint
        return type(self), (str(self), self.hint)


class UsageError(GdstatError):
    """The command was asked for something it cannot do (exit 2)."""

    exit_code = 2


class InputError(GdstatError):
    """An input could not be read or recognised (exit 3)."""

    exit_code = 3


class OutputError(GdstatError):
    """An output cannot be written where it was asked for (a read-only folder, a file on the path):
    exit 3, like an input that cannot be read."""

    exit_code = 3
