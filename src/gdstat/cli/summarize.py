"""``gdstat summarize``: the tables with recomputed totals, derived shares and findings."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, Findings,
                               FindingsOpt, ForceOpt, FormatOpt, LangOpt, OutFormat, OutOpt, Output, TableFormatOpt,
                               app, complete_path, run, verdict)


@app.command()
def summarize(
    file: Annotated[str, typer.Argument(autocompletion=complete_path, metavar="FILE", help="A statistics sheet (xlsx, xlsm, xls, ods, csv, tsv) or a published report (html, txt, docx, pdf); '-' reads standard input.")],
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares (四舍五入).")] = 1,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    findings: FindingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The report's tables with recomputed totals, derived shares and a findings summary.

    Examples:

    \b
    gdstat summarize examples/beilun-2018.xlsx
    gdstat summarize examples/demo-district/2022.xlsx --lang en -f markdown
    gdstat summarize examples/demo-reports/report-2023.html -o summary.json
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat import api
        from gdstat.render import views

        out = Output(fmt, output, force, color, lang, "summarize")
        found = Findings(findings, force, lang, "summarize")
        known = api.read_baseline(baseline) if baseline else None
        summary = api.summarize(file, precision=precision, encoding=encoding,
                                table_format=table_format.value if table_format else None, baseline=known)
        text = out.render(blocks=lambda: views.summary_blocks(summary, lang), data=lambda: summary.to_dict(lang),
                          records=lambda: views.summary_records(summary, lang))
        report = summary.report
        out.write(text, say("what.report", lang, agency=report.agency or "", year=report.year or ""))
        found.write([(file, report, summary.findings)])
        return verdict(summary.findings, fail_on, lang)

    run(debug, lang, body)
