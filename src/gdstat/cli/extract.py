"""``gdstat extract REPORT -o OUT``: a published report's tables as the official xlsx or as tidy data."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, Findings, FindingsOpt,
                               ForceOpt, FormatOpt, LangOpt, OutFormat, Output, TableFormatOpt, app,
                               complete_path, confirm, line, run, verdict)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(autocompletion=complete_path, metavar="FILE", help="A published report: text, HTML, docx or PDF (or any statistics sheet).")],
    output: Annotated[str | None, typer.Option("-o", "--output", metavar="FILE", autocompletion=complete_path, help="Write to FILE: .xlsx the official sheet; .csv .tsv .json .md .txt one row per official cell; '-' = stdout.")] = None,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    findings: FindingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Read the statistics tables out of a published report and write them as the official xlsx
    (-o OUT.xlsx) or as one row per official cell (csv, tsv, json; by -f or the output's suffix).
    What loading noticed (rows it could not place, a table cut off, prose that disagrees with the
    table) is told on stderr.

    Examples:

    \b
    gdstat extract examples/demo-reports/report-2023.html -o report-2023.xlsx
    gdstat extract examples/demo-reports/report-2023.pdf -f csv
    gdstat extract examples/demo-reports/report-2022.docx -o cells.json
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat.extract import extract as run_extract, write_xlsx

        out = Output(fmt, output, force, color, lang, "extract", sheets=True)
        found = Findings(findings, force, lang, "extract")
        result = run_extract(file, encoding=encoding, table_format=table_format.value if table_format else None)
        report = result.report
        if out.sheet:
            write_xlsx(result, out.path, force)
            confirm(out.path, say("what.sheet", lang, agency=report.agency or "", year=report.year or "",
                                  format=report.format), lang)
        else:
            records = result.records()
            text = out.render(blocks=lambda: _blocks(result, lang), data=lambda: result.to_dict(lang),
                              records=records)
            out.write(text, say("what.values", lang, n=len(records[1]), agency=report.agency or "",
                                year=report.year or ""))
        found.write([(file, report, result.findings)])
        for finding in result.findings:
            if finding.rule is None and finding.severity != "info":  # what loading noticed
                where = f" ({finding.where})" if finding.where else ""
                line(finding.severity, f"{finding.text(lang)}{where}", lang)
        return verdict(result.findings, fail_on, lang)

    run(debug, lang, body)


def _blocks(result, lang: str):
    from gdstat.catalog import load_format
    from gdstat.render import Block
    from gdstat.render.views import t, table_blocks

    report = result.report
    head = Block(None, [], [])
    head.rows = [[t("agency", lang), report.agency or "—"], [t("year", lang), str(report.year or "—")],
                 [t("format", lang), report.format], [t("source", lang), f"{report.source.path} ({report.source.kind})"]]
    return [head, *table_blocks(load_format(report.format), report.values, {}, lang)]
