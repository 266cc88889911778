"""``gdstat report``: one self-contained HTML file with tables, findings and charts."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, ForceOpt, FormatOpt, Lang,
                               LangOpt, OutFormat, TableFormatOpt, app, emit, fails, render_output, run)


def _blocks(page, output: str, lang: str):
    from gdstat.render import Block

    zh = lang == "zh"
    data = page.to_dict()
    kinds = {"report": ("单份报表", "one report"), "trend": ("历年趋势", "trend over the years"),
             "review": ("多单位审阅", "review of many agencies")}
    counts = data["summary"]
    return [Block("已写出 HTML 报告" if zh else "HTML report written", [], [
        ["文件" if zh else "File", output],
        ["类型" if zh else "Kind", kinds[page.kind][0 if zh else 1]],
        ["输入" if zh else "Inputs", str(page.inputs)],
        ["大小" if zh else "Size", f"{data['bytes'] / 1024:.0f} KB"],
        ["检查结果" if zh else "Findings", f"{counts['errors']} / {counts['warnings']} / {counts['info']}"],
    ])]


@app.command()
def report(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", help="One report; two or more years or files of one agency; or files, folders and globs of many agencies.")],
    output: Annotated[str, typer.Option("-o", "--output", help="The HTML file to write (--force to replace).")],
    data_dir: Annotated[Optional[str], typer.Option("--dir", help="Folder of the yearly sheets, when years are given (as for diff).")] = None,
    threshold: Annotated[str, typer.Option("--threshold", help="Flag rows of the year-on-year table that moved by more than this: PCT[%][,UNITS] (as for diff).")] = "50%,10",
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares (四舍五入).")] = 1,
    force: ForceOpt = False,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.never,
    debug: DebugOpt = False,
) -> None:
    """Write one HTML file that opens offline and prints on A4: tables, findings and charts.

    One input: the report laid out as the official sheet, cells with findings highlighted, its
    shares as bar charts. Years or files of one agency: a line chart per key figure, the diff of
    the last two years, the cross-year findings. Folders, globs or many agencies: a review
    dashboard (coverage by year, a sortable table with outliers, a section per agency).
    Needs the report extra: pip install 'gdstat[report]'.

    Example: gdstat report examples/beilun-2018.xlsx -o beilun.html
    """

    def body() -> int:
        from gdstat.htmlreport import build
        from gdstat.outputs import check_target

        check_target(output, force)  # before the work, not after it
        page = build(inputs, data_dir=data_dir, precision=precision, encoding=encoding,
                     table_format=table_format.value if table_format else None, threshold=threshold)
        emit(page.html, output, force)
        text = render_output(fmt, None, color, blocks=lambda: _blocks(page, output, lang.value),
                             data=page.to_dict, records=lambda: (["path", "kind", "inputs", "bytes"],
                                                                 [[output, page.kind, page.inputs, page.to_dict()["bytes"]]]))
        emit(text, None, False)  # the HTML is the product; what was written goes to stdout
        return 1 if fails(page.findings, fail_on) else 0

    run(debug, body)
