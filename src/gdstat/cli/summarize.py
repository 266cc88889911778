"""``gdstat summarize``: the tables with recomputed totals, derived shares and findings."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt,
                               ForceOpt, FormatOpt, Lang, LangOpt, OutFormat, OutOpt, TableFormatOpt, app,
                               emit, fails, render_output, run)


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
