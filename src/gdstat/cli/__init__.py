"""The ``gdstat`` command line: one module per command, sharing what ``gdstat.cli.common`` defines.

Importing a command module registers its command on ``app``; the order below is the order of
``gdstat -h``.
"""

from __future__ import annotations

from gdstat.cli.common import app
from gdstat.cli import summarize, validate, formats, write, extract, diff, narrate, batch, aggregate, report  # noqa: E402, F401

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console entry point. ``| head`` ends quietly (SIGPIPE restored); SIGTERM unwinds like Ctrl-C,
    so that temporary outputs are removed and worker processes stopped.

    What start-up imported lives as long as the process, so it is frozen out of garbage collection:
    no collection, nor the one at exit, walks those objects again (about a tenth of a one-file run)."""
    import gc

    gc.freeze()
    try:
        import signal

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, _terminated)
    except (AttributeError, ValueError):  # not on this platform, or not the main thread
        pass
    app(args=argv, prog_name="gdstat")


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)
