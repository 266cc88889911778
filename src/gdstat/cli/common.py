"""What every ``gdstat`` command shares: the app, the options, output choice and error mapping.

Each command: options -> one library call -> a renderer -> an exit code.

Exit codes: 0 ok · 1 findings at or above --fail-on · 2 usage · 3 an input could not be read or
recognised · 4 internal error.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gdstat import __version__
from gdstat.errors import GdstatError

app = typer.Typer(
    name="gdstat",
    help="Statistics for China's government information disclosure annual reports (政府信息公开工作年度报告).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


class OutFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class TableFormat(str, Enum):
    legacy = "legacy"
    f2019 = "2019"
    f2021 = "2021"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


# Options every command shares: one definition, so every command has the same output surface.
FormatOpt = Annotated[OutFormat, typer.Option("-f", "--format", help="Output: auto (table on a terminal, plain in a pipe), table, plain, markdown, csv, tsv, json.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of labels and messages.")]
OutOpt = Annotated[Optional[str], typer.Option("-o", "--output", help="Write the output to this file ('-' = stdout).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
ColorOpt = Annotated[Color, typer.Option("--color", help="Colour: auto, always, never (NO_COLOR and FORCE_COLOR are honoured).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")]
TableFormatOpt = Annotated[Optional[TableFormat], typer.Option("-t", "--table-format", help="Read the input as this official format instead of detecting it.")]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="Text encoding of CSV/TSV input (default: detected).")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding of this severity or worse exists.")]
BaselineOpt = Annotated[Optional[Path], typer.Option("--baseline", help="Pass over findings whose fingerprints are in this file (e.g. an earlier validate -f json).")]



def fails(findings, fail_on: FailOn) -> bool:
    if fail_on is FailOn.never:
        return False
    from gdstat.rules.findings import SEVERITY_RANK

    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on.value] for f in findings)


def emit(text: str, output: str | None, force: bool) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from gdstat.outputs import atomic

    with atomic(output, force) as temp:
        temp.write_text(text, encoding="utf-8", newline="")


def render_output(fmt: OutFormat, output: str | None, color: Color, *, blocks=None, data=None, records=None) -> str:
    from gdstat.render import color_wanted, render, resolve

    to_file = output not in (None, "-")
    chosen = resolve(fmt.value) if not to_file else ("plain" if fmt is OutFormat.auto else fmt.value)
    wants_color = (not to_file) and color_wanted(color.value)
    width = None
    if chosen == "table" and not to_file and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    return render(chosen, blocks=blocks() if callable(blocks) else blocks, data=data() if callable(data) else data,
                  records=records() if callable(records) else records, color=wants_color, width=width)


def run(debug: bool, body) -> None:
    """Run a command body; map failures to one line on stderr and an exit code."""
    debug = debug or bool(os.environ.get("GDSTAT_DEBUG"))
    try:
        code = body()
    except GdstatError as exc:
        if debug:
            raise
        sys.stderr.write(f"gdstat: error: {exc}\n")
        if exc.hint:
            sys.stderr.write(f"gdstat: hint: {exc.hint}\n")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug in gdstat, not in the input
        if debug:
            raise
        sys.stderr.write(f"gdstat: internal error: {type(exc).__name__}: {exc}\n")
        sys.stderr.write("gdstat: hint: run again with --debug for a traceback, and report it\n")
        raise typer.Exit(4) from None
    raise typer.Exit(code or 0)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        sys.stdout.write(f"gdstat {__version__}\n")
        raise typer.Exit(0)
