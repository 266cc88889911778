"""``gdstat aggregate``: the units' reports summed into one, every unit checked on its own."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, Findings,
                               FindingsOpt, ForceOpt, FormatOpt, LangOpt, OutFormat, Output, TableFormatOpt, app,
                               complete_path, confirm, run, verdict)


@app.command()
def aggregate(
    files: Annotated[list[str], typer.Argument(autocompletion=complete_path, metavar="FILE…", help="The units' statistics sheets: files, folders or quoted globs.")],
    agency: Annotated[Optional[str], typer.Option("--agency", metavar="NAME", help="Name of the summing body, printed in the sheet's title (default: 汇总).")] = None,
    formulas: Annotated[bool, typer.Option("--formulas", help="In the .xlsx, write each total that equals its parts as an Excel SUM formula.")] = False,
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares (四舍五入).")] = 1,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: Annotated[Optional[str], typer.Option("-o", "--output", metavar="FILE", autocompletion=complete_path, help="Write to FILE: .xlsx the official sheet of the sum; .json .csv .tsv .md .txt as summarize shows it; '-' = stdout.")] = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    findings: FindingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Sum reports of one format and year (a district's departments and streets) into one.

    Per cell, a unit that did not report adds nothing; a cell no unit reported stays not reported.
    Each unit and the sum are checked, and every finding names its unit. With -o NAME.xlsx the sum
    is written as the official sheet; otherwise it is shown like summarize. Mixed formats or years: exit 2.

    Examples:

    \b
    gdstat aggregate examples/demo-district/units-2023/
    gdstat aggregate examples/demo-district/units-2023/ -o district-2023.xlsx --agency 示范区
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat import api
        from gdstat.aggregate import aggregate as sum_units
        from gdstat.render import views
        from gdstat.rules import count

        out = Output(fmt, output, force, color, lang, "aggregate", sheets=True)
        found = Findings(findings, force, lang, "aggregate")
        known = api.read_baseline(baseline) if baseline else None
        result = sum_units(files, agency=agency, precision=precision, encoding=encoding,
                           table_format=table_format.value if table_format else None, baseline=known)
        report = result.report
        what = say("what.sum", lang, agency=report.agency, year=report.year or "", units=len(result.units),
                   counts=say("counts", lang, **count(result.findings)))
        if out.sheet:
            from gdstat.writers.xlsx import write_report

            write_report(report, out.path, force=force, formulas=formulas)
            confirm(out.path, what, lang)
        else:
            text = out.render(blocks=lambda: aggregate_blocks(result, lang), data=lambda: result.to_dict(lang),
                              records=lambda: views.summary_records(result.summary, lang))
            out.write(text, what)
        found.write([(unit.path, unit.report, unit.findings) for unit in result.units]
                    + [(report.source.path, report, result.summary.findings)])
        return verdict(result.findings, fail_on, lang)

    run(debug, lang, body)


def aggregate_blocks(result, lang: str):
    """The sum as summarize shows a report, then the units and their findings."""
    from gdstat.aggregate import unit_name
    from gdstat.render import Block
    from gdstat.render.views import SEVERITY, summary_blocks, t
    from gdstat.rules import count

    zh = lang == "zh"
    blocks = summary_blocks(result.summary, lang)
    rows = []
    for unit in result.units:
        c = count(unit.findings)
        rows.append([unit_name(unit), unit.path, str(c["errors"]), str(c["warnings"]), str(c["info"])])
    blocks.append(Block("汇总单位" if zh else "Units summed",
                        [t("agency", lang), t("source", lang), "错误" if zh else "errors", "警告" if zh else "warnings",
                         "提示" if zh else "notes"], rows, right={2, 3, 4}))
    shown = [(unit_name(u), f) for u in result.units for f in u.findings if f.severity != "info"]
    if shown:
        blocks.append(Block("各单位检查结果" if zh else "Findings of the units",
                            [t("agency", lang), t("severity", lang), t("code", lang), t("rule", lang), t("message", lang),
                             t("where", lang)],
                            [[name, SEVERITY[f.severity][0 if zh else 1], f.code, f.rule or "", f.text(lang),
                              f.where or ""] for name, f in shown]))
    return blocks
