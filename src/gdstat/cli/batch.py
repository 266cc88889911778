"""``gdstat batch``: many reports into one tidy dataset, with every finding beside it."""

from __future__ import annotations

import os
import signal
import sys
import time
from enum import Enum
from typing import Annotated, Optional

import typer

from gdstat.cli.common import DebugOpt, EncodingOpt, FailOn, FailOnOpt, ForceOpt, Lang, LangOpt, TableFormatOpt, app, run


class DatasetKind(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or globs of statistics sheets.")],
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="The dataset: .csv, .jsonl or .parquet ('-' or none = CSV on stdout).")] = None,
    kind: Annotated[Optional[DatasetKind], typer.Option("-f", "--format", help="Dataset kind, instead of the output name's suffix: csv, jsonl, parquet.")] = None,
    findings: Annotated[Optional[str], typer.Option("--findings", help="Also write every finding of every file here (.csv, .jsonl or .parquet).")] = None,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=0, help="Worker processes (0 = one per core).")] = 0,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar and no summary line.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Also name the files passed over (gdstat's own earlier outputs).")] = False,
    lang: LangOpt = Lang.zh,
    force: ForceOpt = False,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    debug: DebugOpt = False,
) -> None:
    """Read many reports into one long table: one row per value, with its source, agency, year,
    format, table, cell id, labels, unit and location.

    Files that cannot be read become input-unreadable findings and the run goes on. Exit code: the
    worst of any file (3 unreadable, 1 findings at or above --fail-on, 0 ok).

    Example: gdstat batch examples/ -o all.csv --findings findings.csv
    """

    def body() -> int:
        from gdstat import batch as lib

        progress = _progress(not quiet and sys.stderr.isatty())
        say = progress.console.print if progress is not None else _stderr

        shown = [0.0]

        def on_file(result) -> None:
            if result.error is not None:
                say(f"gdstat: error: {result.error}", markup=False, highlight=False)
            if progress is not None:
                progress.advance(progress.task_ids[0])
                now = time.monotonic()
                if now - shown[0] > 0.1:  # redraw ten times a second, not once a file
                    shown[0] = now
                    progress.refresh()

        to_stdout = output in (None, "-") or findings == "-"
        if to_stdout:  # a reader that stops early (| head) raises BrokenPipeError, so the workers get stopped
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        try:
            result = lib.run(paths, output, kind.value if kind else None, findings, jobs=jobs or None,
                             fail_on=fail_on.value, lang=lang.value, encoding=encoding,
                             table_format=table_format.value if table_format else None, force=force,
                             on_file=on_file, on_files=(lambda n: progress.update(progress.task_ids[0], total=n))
                             if progress is not None else None)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
            return 141  # as if ended by SIGPIPE, like the other commands in a pipe
        finally:
            if progress is not None:
                progress.stop()
        if verbose:
            for path, what in result.passed:
                _stderr(f"gdstat: passed over {path}: {what}")
        if not quiet:
            _stderr(f"gdstat: {result.line()}")
        return result.exit_code

    run(debug, body)


def _stderr(text: str, **_) -> None:
    sys.stderr.write(text + "\n")


def _progress(show: bool):
    """A Rich bar on stderr, redrawn by the caller: no refresh thread, so workers can be forked."""
    if not show:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                        TimeRemainingColumn(), console=Console(stderr=True), auto_refresh=False, transient=True,
                        redirect_stdout=False, redirect_stderr=False)  # stdout may carry the dataset
    progress.add_task("reading", total=None)
    progress.start()
    return progress
