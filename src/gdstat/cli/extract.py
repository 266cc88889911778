"""``gdstat extract REPORT -o OUT``: a published report's tables as the official xlsx or as tidy data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, ForceOpt, FormatOpt, Lang, LangOpt,
                        OutFormat, OutOpt, TableFormatOpt, app, emit, fails, render_output, run)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="A published report: text, HTML, docx or PDF (or any statistics sheet).")],
    output: OutOpt = None,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    debug: DebugOpt = False,
) -> None:
    """Read the statistics tables out of a published report and write them as the official xlsx
    (-o OUT.xlsx) or as one row per official cell (csv, tsv, json; by -f or the output's suffix).
    What loading noticed (rows it could not place, a table cut off, prose that disagrees with the
    table) is told on stderr.

    Example: gdstat extract report.html -o report.xlsx
    """

    def body() -> int:
        from gdstat.errors import UsageError
        from gdstat.extraction import SUFFIX_KIND, extract as run_extract, write_xlsx

        kind = None
        if output not in (None, "-"):
            kind = SUFFIX_KIND.get(Path(output).suffix.lower())
            if fmt is OutFormat.auto and kind is None:
                raise UsageError(f"{output}: cannot tell the output kind from its suffix",
                                 hint="name it .xlsx, .csv, .tsv or .json, or choose one with -f")
        if fmt is not OutFormat.auto:
            if kind == "xlsx":
                raise UsageError(f"{output}: an .xlsx output is the official sheet; -f does not apply",
                                 hint="leave out -f, or name the output .csv, .tsv or .json")
            kind = fmt.value
        result = run_extract(file, encoding=encoding, table_format=table_format.value if table_format else None)
        if kind == "xlsx":
            write_xlsx(result, output, force)
        else:
            chosen = OutFormat(kind) if kind else OutFormat.auto
            records = result.records()
            text = render_output(chosen, output, color,
                                 blocks=lambda: _blocks(result, lang.value), data=lambda: result.to_dict(lang.value),
                                 records=lambda: records)
            emit(text, output, force)
        for finding in result.findings:
            if finding.rule is None and finding.severity != "info":  # what loading noticed
                where = f" ({finding.where})" if finding.where else ""
                sys.stderr.write(f"gdstat: {finding.severity}: {finding.text(lang.value)}{where}\n")
        return 1 if fails(result.findings, fail_on) else 0

    run(debug, body)


def _blocks(result, lang: str):
    from gdstat.catalog import load_format
    from gdstat.render import Block
    from gdstat.render.views import t, table_blocks

    report = result.report
    head = Block(None, [], [])
    head.rows = [[t("agency", lang), report.agency or "—"], [t("year", lang), str(report.year or "—")],
                 [t("format", lang), report.format], [t("source", lang), f"{report.source.path} ({report.source.kind})"]]
    return [head, *table_blocks(load_format(report.format), report.values, {}, lang)]
