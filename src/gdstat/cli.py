"""The ``gdstat`` command: options -> one library call -> a renderer -> an exit code.

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
formats_app = typer.Typer(help="The official table formats gdstat knows.", invoke_without_command=True,
                          rich_markup_mode=None)
app.add_typer(formats_app, name="formats")


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


@app.command()
def summarize(
    file: Annotated[str, typer.Argument(help="A statistics sheet (xlsx, xlsm, xls, ods, csv, tsv) or a published report (html, txt, docx, pdf).")],
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares (四舍五入).")] = 1,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The report's tables with recomputed totals, derived shares and a findings summary.

    Example: gdstat summarize examples/beilun-2018.xlsx
    """

    def body() -> int:
        from gdstat import api
        from gdstat.render import views

        known = api.read_baseline(baseline) if baseline else None
        summary = api.summarize(file, precision=precision, encoding=encoding,
                                table_format=table_format.value if table_format else None, baseline=known)
        text = render_output(fmt, output, color, blocks=lambda: views.summary_blocks(summary, lang.value),
                       data=lambda: summary.to_dict(lang.value), records=lambda: views.summary_records(summary, lang.value))
        emit(text, output, force)
        return 1 if fails(summary.findings, fail_on) else 0

    run(debug, body)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="One or more statistics sheets or published reports.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check every rule of the format; print the findings, each naming its cells.

    Exit 1 when an error (or, with --fail-on warning, a warning) is found; 3 when an input cannot be read.

    Example: gdstat validate examples/demo-district/*.xlsx -f json
    """

    def body() -> int:
        from gdstat import api
        from gdstat.render import views

        known = api.read_baseline(baseline) if baseline else None
        result = api.validate(files, encoding=encoding, table_format=table_format.value if table_format else None,
                              baseline=known)
        text = render_output(fmt, output, color, blocks=lambda: views.validation_blocks(result, lang.value),
                       data=lambda: result.to_dict(lang.value), records=lambda: views.validation_records(result, lang.value))
        emit(text, output, force)
        for file in result.unreadable:
            sys.stderr.write(f"gdstat: error: {file.error}\n")
            if file.error.hint:
                sys.stderr.write(f"gdstat: hint: {file.error.hint}\n")
        if result.unreadable:
            return 3
        return 1 if fails(result.findings, fail_on) else 0

    run(debug, body)


@formats_app.callback()
def formats_list(
    ctx: typer.Context,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the official formats; `gdstat formats show 2021` prints one's rows and rules."""
    if ctx.invoked_subcommand is not None:
        return

    def body() -> int:
        from gdstat.api import envelope
        from gdstat.catalog import format_ids, load_format
        from gdstat.render import views

        formats = [load_format(i) for i in format_ids()]
        text = render_output(fmt, output, color, blocks=lambda: views.formats_blocks(formats, lang.value),
                       data=lambda: {**envelope(), "formats": [views.format_dict(f) for f in formats]},
                       records=lambda: views.formats_records(formats, lang.value))
        emit(text, output, force)
        return 0

    run(False, body)


@formats_app.command("show")
def formats_show(
    format_id: Annotated[TableFormat, typer.Argument(metavar="FORMAT", help="legacy, 2019 or 2021.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Every table, row, unit, cell id and rule of one format."""

    def body() -> int:
        from gdstat.api import envelope
        from gdstat.catalog import load_format
        from gdstat.render import views

        fmt_ = load_format(format_id.value)
        text = render_output(fmt, output, color, blocks=lambda: views.format_blocks(fmt_, lang.value),
                       data=lambda: {**envelope(), **views.format_dict(fmt_)},
                       records=lambda: views.format_records(fmt_, lang.value))
        emit(text, output, force)
        return 0

    run(False, body)


def _load_commands() -> None:
    """Commands beyond the core live in gdstat.commands, one module each; importing one registers it."""
    import importlib
    import pkgutil

    from gdstat import commands

    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        if not module.startswith("_"):
            importlib.import_module(f"gdstat.commands.{module}")


_load_commands()


def main(argv: list[str] | None = None) -> None:
    """Console entry point. ``| head`` ends quietly (SIGPIPE restored)."""
    try:
        import signal

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    except (AttributeError, ValueError):  # not on this platform, or not the main thread
        pass
    app(args=argv, prog_name="gdstat")
