"""``gdstat diff``: compare years, across format changes through the crosswalk."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, ForceOpt, FormatOpt,
                        Lang, LangOpt, OutFormat, OutOpt, TableFormatOpt, app, emit, fails, render_output, run)


@app.command()
def diff(
    inputs: Annotated[list[str], typer.Argument(metavar="YEAR|FILE...", help="Two or more years (found in the data folder) or files.")],
    data_dir: Annotated[Optional[str], typer.Option("--dir", help="Folder of the yearly sheets (default: data_dir in gdstat.toml, else the current folder).")] = None,
    threshold: Annotated[str, typer.Option("--threshold", help="Flag rows that moved by more than this percentage and by at least this many units: PCT[%][,UNITS].")] = "50%,10",
    changed: Annotated[bool, typer.Option("--changed", help="Show only rows whose value changed.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Also show rows that are zero or not reported in every year.")] = False,
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of percentages (四舍五入).")] = 1,
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
    """Compare years cell by cell: A, B, change, change in %; more years make a trend table.

    Years are found in the data folder by file name (2017.xlsx, 北仑区2017年度统计表.xlsx,
    2017/统计表.xlsx). Different formats (legacy, 2019, 2021) are compared through the crosswalk,
    each row saying how good its mapping is. Cross-year checks: 上年结转 = last year's 结转下年度
    继续办理 (N-08), 现行有效件数 continuity (N-12, N-13), a table identical to last year's (E4).
    Exit 1 when a cross-year error is found.

    Example: cd examples/demo-district && gdstat diff 2017 2018
    """

    def body() -> int:
        from gdstat import api
        from gdstat.diff import diff as compare_years
        from gdstat.render import diff_views

        known = api.read_baseline(baseline) if baseline else None
        result = compare_years(inputs, data_dir=data_dir, threshold=threshold, precision=precision,
                               changed_only=changed, show_all=show_all, encoding=encoding,
                               table_format=table_format.value if table_format else None, baseline=known)
        text = render_output(fmt, output, color, blocks=lambda: diff_views.diff_blocks(result, lang.value),
                             data=lambda: result.to_dict(lang.value),
                             records=lambda: diff_views.diff_records(result, lang.value))
        emit(text, output, force)
        return 1 if fails(result.findings, fail_on) else 0

    run(debug, body)
