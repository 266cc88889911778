"""``gdstat diff``: compare years, across format changes through the crosswalk."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, Findings,
                               FindingsOpt, ForceOpt, FormatOpt, LangOpt, OutFormat, OutOpt, Output, TableFormatOpt,
                               app, complete_path, line, run, verdict)


@app.command()
def diff(
    inputs: Annotated[list[str], typer.Argument(autocompletion=complete_path, metavar="YEAR|FILE…", help="Two or more years (found in the data folder) or files.")],
    data_dir: Annotated[Optional[str], typer.Option("--dir", metavar="FOLDER", help="Folder of the yearly sheets (default: data_dir in gdstat.toml, else the current folder).")] = None,
    threshold: Annotated[str, typer.Option("--threshold", metavar="PCT[%][,UNITS]", help="Flag rows that moved by more than this percentage and by at least this many units.")] = "50%,10",
    changed: Annotated[bool, typer.Option("--changed", help="Show only rows whose value changed.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Also show rows that are zero or not reported in every year.")] = False,
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of percentages (四舍五入).")] = 1,
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
    """Compare years cell by cell: A, B, change, change in %; more years make a trend table.

    Years are found in the data folder by file name (2017.xlsx, 北仑区2017年度统计表.xlsx,
    2017/统计表.xlsx); among several, the one of the same agency as the other years. Years of
    different agencies are an agency-mismatch error; a file whose name and title disagree on the
    year is compared by its title's year (year-mismatch). Different formats (legacy, 2019, 2021) are
    compared through the crosswalk, each row saying how good its mapping is. Cross-year checks:
    上年结转 = last year's 结转下年度继续办理 (N-08), 现行有效件数 continuity (N-12, N-13), a table
    identical to last year's (E4). Exit 1 when a cross-year error is found.

    Examples:

    \b
    gdstat diff 2017 2018 --dir examples/demo-district
    gdstat diff examples/demo-district/2021.xlsx examples/demo-district/2022.xlsx --changed -o changes.csv
    gdstat diff 2019 2020 2021 2022 2023 --dir examples/demo-district -f markdown
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat import api
        from gdstat.diff import diff as compare_years
        from gdstat.render import diff_views

        out = Output(fmt, output, force, color, lang, "diff")
        found = Findings(findings, force, lang, "diff")
        known = api.read_baseline(baseline) if baseline else None
        result = compare_years(inputs, data_dir=data_dir, threshold=threshold, precision=precision,
                               changed_only=changed, show_all=show_all, encoding=encoding,
                               table_format=table_format.value if table_format else None, baseline=known)
        for finding in result.findings:
            if finding.code == "year-mismatch":  # says which year is used, even when the exit is 0
                line("warning", say("year_from_title", lang, path=finding.location, year=finding.actual,
                                    name_year=finding.expected), lang)
        text = out.render(blocks=lambda: diff_views.diff_blocks(result, lang), data=lambda: result.to_dict(lang),
                          records=lambda: diff_views.diff_records(result, lang))
        out.write(text, say("what.comparison", lang, labels=" / ".join(result.labels),
                            rows=len(result.shown("compared"))))
        newest = result.reports[-1]  # cross-year findings are about the later year
        found.write([(newest.source.path, newest, result.findings)])
        return verdict(result.findings, fail_on, lang)

    run(debug, lang, body)
