"""``gdstat batch``: many reports into one tidy dataset, with every finding beside it."""

from __future__ import annotations

import os
import signal
import sys
import time
from enum import Enum
from typing import Annotated, Optional

import typer

from gdstat.cli.common import (DebugOpt, EncodingOpt, FailOn, FailOnOpt, FindingsOpt, ForceOpt, LangOpt,
                               TableFormatOpt, app, complete_path, line, run)
from gdstat.errors import UsageError


class DatasetKind(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(autocompletion=complete_path, metavar="PATH…", help="Files, folders (read recursively) or quoted globs of reports.")],
    output: Annotated[Optional[str], typer.Option("-o", "--output", metavar="FILE", autocompletion=complete_path, help="The dataset: .csv, .jsonl or .parquet ('-' or none = CSV on stdout).")] = None,
    kind: Annotated[Optional[DatasetKind], typer.Option("-f", "--format", case_sensitive=False, help="Dataset kind, instead of the output name's suffix: csv, jsonl, parquet.")] = None,
    findings: FindingsOpt = None,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=0, help="Worker processes (0 = one per core).")] = 0,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar and no summary line.")] = False,
    dask: Annotated[Optional[str], typer.Option("--dask", metavar="ADDRESS", help="Run on the Dask cluster at this scheduler address (tcp://host:8786); -o names a folder that becomes a Parquet dataset, one part per group of files.")] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Also name the files passed over (gdstat's own earlier outputs).")] = False,
    lang: LangOpt = None,
    force: ForceOpt = False,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    debug: DebugOpt = False,
) -> None:
    """Read many reports into one long table: one row per value, with its source, agency, year,
    format, table, cell id, labels, unit and location.

    Files that cannot be read become input-unreadable findings and the run goes on; when none can
    be read, nothing is written. Exit code: the worst of any file (3 unreadable, 1 findings at or
    above --fail-on, 0 ok).

    Examples:

    \b
    gdstat batch examples/ -o all.csv --findings findings.csv
    gdstat batch 'examples/demo-district/*.xlsx' -f jsonl
    """

    def body(lang: str) -> int:
        from gdstat.messages import localise, localise_hinted, say

        from gdstat import batch as lib
        from gdstat import render

        progress = _progress(not quiet and sys.stderr.isatty(), lang)
        say_line = progress.console.print if progress is not None else _stderr

        shown = [0.0]

        def on_file(result) -> None:
            if result.error is not None:
                say_line(f"gdstat: {say('error', lang)}: {localise_hinted(result.error, lang)}", markup=False,
                         highlight=False)
            if progress is not None:
                progress.advance(progress.task_ids[0])
                now = time.monotonic()
                if now - shown[0] > 0.1:  # redraw ten times a second, not once a file
                    shown[0] = now
                    progress.refresh()

        to_stdout = output in (None, "-") or findings == "-"
        if to_stdout:  # a reader that stops early (| head) raises BrokenPipeError, so the workers get stopped
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        common = dict(fail_on=fail_on.value, lang=lang, encoding=encoding, force=force, on_file=on_file,
                      escape_formulas=render.escape_formulas,
                      table_format=table_format.value if table_format else None,
                      on_files=(lambda n: progress.update(progress.task_ids[0], total=n)) if progress is not None else None)
        try:
            if dask is not None:
                from gdstat import distributed

                if output in (None, "-") or (kind is not None and kind != DatasetKind.parquet):
                    raise UsageError("--dask writes a Parquet dataset folder", hint="name it with -o, e.g. -o dataset/")
                result = distributed.run(paths, output, dask, findings, **common)
            else:
                result = lib.run(paths, output, kind.value if kind else None, findings, jobs=jobs or None, **common)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
            return 141  # as if ended by SIGPIPE, like the other commands in a pipe
        finally:
            if progress is not None:
                progress.stop()
        if verbose:
            for path, what in result.passed:
                line(None, say("batch.passed", lang, path=path, what=localise(what, lang)), lang)
        counts = say("counts", lang, **result.counts)
        if not quiet:  # the line names the files written and what they hold
            to = say("batch.to", lang, path=result.findings_output) if result.findings_output else ""
            output_name = result.output if result.output != "stdout" else say("stdout", lang)
            line(None, say("batch.line", lang, files=result.files, unreadable=result.unreadable, values=result.values,
                           output=output_name, counts=counts, to=to, seconds=f"{result.seconds:.1f}",
                           rate=f"{result.rate:.0f}"), lang)
        elif result.exit_code:
            line(None, counts, lang)
        return result.exit_code

    run(debug, lang, body)


def _stderr(text: str, **_) -> None:
    sys.stderr.write(text + "\n")


def _progress(show: bool, lang: str):
    """A Rich bar on stderr, redrawn by the caller: no refresh thread, so workers can be forked."""
    if not show:
        return None
    from rich.console import Console

    from gdstat.messages import say
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn(say("reading", lang)), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                        TimeRemainingColumn(), console=Console(stderr=True), auto_refresh=False, transient=True,
                        redirect_stdout=False, redirect_stderr=False)  # stdout may carry the dataset
    progress.add_task("reading", total=None)
    progress.start()
    return progress
