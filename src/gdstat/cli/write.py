"""``gdstat write`` and ``gdstat template``: the official statistics sheet as xlsx, filled or blank."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from gdstat.cli.common import (
    Color,
    ColorOpt,
    DebugOpt,
    EncodingOpt,
    ForceOpt,
    FormatOpt,
    Lang,
    LangOpt,
    OutFormat,
    TableFormatOpt,
    app,
    emit,
    render_output,
    run,
)
from gdstat.errors import UsageError
from gdstat.catalog import format_ids

XlsxOpt = Annotated[str, typer.Option("-o", "--output", help="The xlsx file to write (never an input; --force to replace).")]
AgencyOpt = Annotated[Optional[str], typer.Option("--agency", help="Agency name in the title (default: as read).")]
YearOpt = Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help="Report year in the title (default: as read).")]
BlankAgencyOpt = Annotated[Optional[str], typer.Option("--agency", help="Agency name in the title (default: left to fill in).")]
BlankYearOpt = Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help="Report year in the title (default: left to fill in).")]


class TemplateFormat(str, Enum):
    """``template --format`` takes a table format or, as everywhere, an output format."""

    legacy = "legacy"
    f2019 = "2019"
    f2021 = "2021"
    auto = "auto"
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    tsv = "tsv"
    json = "json"




def _blocks(written, lang: str):
    from gdstat.render import Block

    zh = lang == "zh"
    rows = [
        ["文件" if zh else "File", written.path],
        ["格式" if zh else "Format", written.format],
        ["单位" if zh else "Agency", written.agency or ""],
        ["年度" if zh else "Year", str(written.year or "")],
        ["数值" if zh else "Numbers", str(written.numbers)],
        ["公式" if zh else "Formulas", str(len(written.formulas))],
        ["未填报（留空）" if zh else "Not reported (empty)", str(len(written.not_reported))],
    ]
    if written.kept_values:
        rows.append(["合计保留为数值" if zh else "Totals kept as values", ", ".join(written.kept_values)])
    if written.left_empty:
        rows.append(["文字或符号未写入" if zh else "Text or markers left empty", ", ".join(written.left_empty)])
    if written.unplaced:
        rows.append(["官方表中无对应单元格，未写入（分组行上的合计）" if zh else
                     "Not written, no cell in the official sheet (subtotals on group rows)", ", ".join(written.unplaced)])
    title = ("已写出空白模板" if zh else "Template written") if written.template else ("已写出统计表" if zh else "Sheet written")
    return [Block(title, [], rows)]


def _records(written, lang: str):
    data = written.to_dict(lang)
    return ["path", "format", "agency", "year", "numbers", "formulas", "not_reported"], [[
        data["output"]["path"], written.format, written.agency, written.year, written.numbers,
        len(written.formulas), len(written.not_reported),
    ]]


def _report(written, fmt: OutFormat, lang: Lang, color: Color) -> None:
    # The xlsx is the product; what was written goes to stdout in the usual output formats.
    text = render_output(fmt, None, color, blocks=lambda: _blocks(written, lang.value),
                         data=lambda: written.to_dict(lang.value), records=lambda: _records(written, lang.value))
    emit(text, None, False)


@app.command()
def write(
    file: Annotated[str, typer.Argument(help="Statistics sheet: xlsx, xlsm, xls, ods, csv or tsv.")],
    output: XlsxOpt,
    agency: AgencyOpt = None,
    year: YearOpt = None,
    formulas: Annotated[bool, typer.Option("--formulas", help="Write each total that equals its parts as an Excel SUM formula.")] = False,
    force: ForceOpt = False,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the report as the official statistics sheet of its format (xlsx).

    Not-reported cells stay empty; numbers are stored as numbers. The input is never modified.

    Example: gdstat write examples/beilun-2018.xlsx -o beilun.xlsx --formulas
    """

    def body() -> int:
        from gdstat.writers.xlsx import write_file

        written = write_file(file, output, force=force, agency=agency, year=year, formulas=formulas,
                             encoding=encoding, table_format=table_format.value if table_format else None)
        _report(written, fmt, lang, color)
        return 0

    run(debug, body)


@app.command()
def template(
    output: XlsxOpt,
    table_format: Annotated[Optional[str], typer.Option("-t", "--table-format", metavar="[legacy|2019|2021]", help="The official format of the blank sheet.")] = None,
    fmt: Annotated[Optional[list[TemplateFormat]], typer.Option("-f", "--format", help="legacy, 2019 or 2021 names the table format (as -t does); auto, table, plain, markdown, csv, tsv or json the output format of the confirmation. May be given twice: --format 2021 -f json.")] = None,
    agency: BlankAgencyOpt = None,
    year: BlankYearOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
) -> None:
    """Write a blank official sheet to fill in: shaded input cells with data validation, totals as
    formulas, and a second sheet (填表说明) with the format's rules in plain words.

    Example: gdstat template --format 2021 -o 2021-blank.xlsx
    """

    def body() -> int:
        from gdstat.writers.xlsx import write_template

        if table_format is not None and table_format not in format_ids():
            raise UsageError(f"unknown table format {table_format!r}", hint="choose one of: legacy, 2019, 2021")
        given = [f.value for f in fmt or ()]
        tables = {f for f in given if f in format_ids()} | ({table_format} if table_format else set())
        if len(tables) > 1:
            raise UsageError(f"table formats {' and '.join(sorted(tables))} disagree", hint="name the table format once")
        outputs = [f for f in given if f not in format_ids()]
        out_format = OutFormat(outputs[-1]) if outputs else OutFormat.auto
        chosen = tables.pop() if tables else None
        if chosen is None:
            raise UsageError("no table format given", hint="e.g. gdstat template --format 2021 -o blank.xlsx")
        written = write_template(chosen, output, force=force, agency=agency, year=year)
        _report(written, out_format, lang, color)
        return 0

    run(debug, body)
