"""``gdstat write`` and ``gdstat template``: the official statistics sheet as xlsx, filled or blank."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, ForceOpt, FormatOpt, LangOpt, OutFormat,
                               Output, TableFormat, TableFormatOpt, app, complete_path, confirm, run)
from gdstat.errors import UsageError

XlsxOpt = Annotated[str, typer.Option("-o", "--output", metavar="FILE.xlsx", autocompletion=complete_path, help="The xlsx file to write (never an input; --force to replace).")]
AgencyOpt = Annotated[Optional[str], typer.Option("--agency", metavar="NAME", help="Agency name in the title (default: as read).")]
YearOpt = Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help="Report year in the title (default: as read).")]
BlankAgencyOpt = Annotated[Optional[str], typer.Option("--agency", metavar="NAME", help="Agency name in the title (default: left to fill in).")]
BlankYearOpt = Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help="Report year in the title (default: left to fill in).")]


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


def _report(written, fmt: OutFormat, lang: str, color: Color) -> None:
    """The xlsx is the product: one line on stderr names it; what was written goes to stdout in the
    usual output formats."""
    from gdstat.messages import say

    out = Output(fmt, None, False, color, lang, "write")
    out.write(out.render(blocks=lambda: _blocks(written, lang), data=lambda: written.to_dict(lang),
                         records=lambda: _records(written, lang)), "")
    if written.template:
        what = say("what.template", lang, format=written.format)
    else:
        what = say("what.sheet", lang, agency=written.agency or "", year=written.year or "", format=written.format)
    confirm(written.path, what, lang)


@app.command()
def write(
    file: Annotated[str, typer.Argument(autocompletion=complete_path, metavar="FILE", help="A statistics sheet or published report gdstat reads.")],
    output: XlsxOpt,
    agency: AgencyOpt = None,
    year: YearOpt = None,
    formulas: Annotated[bool, typer.Option("--formulas", help="Write each total that equals its parts as an Excel SUM formula.")] = False,
    force: ForceOpt = False,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the report as the official statistics sheet of its format (xlsx).

    Not-reported cells stay empty; numbers are stored as numbers. The input is never modified.
    What was written is shown on stdout (-f for its format).

    Examples:

    \b
    gdstat write examples/beilun-2018.xlsx -o beilun.xlsx --formulas
    gdstat write examples/demo-reports/report-2023.html -o 2023-sheet.xlsx -f json
    """

    def body(lang: str) -> int:
        from gdstat.writers.xlsx import write_file

        written = write_file(file, output, force=force, agency=agency, year=year, formulas=formulas,
                             encoding=encoding, table_format=table_format.value if table_format else None)
        _report(written, fmt, lang, color)
        return 0

    run(debug, lang, body)


def _output_format(value: str | None, lang: str) -> OutFormat:
    """``template -f``: an output format; a table format there gets a usage error naming -t."""
    from gdstat.catalog import format_ids
    from gdstat.messages import say

    if value is None:
        return OutFormat.auto
    if value.lower() in format_ids():
        raise UsageError(say("usage.template_format", lang), hint=say("usage.template_format_hint", lang, value=value))
    if value.lower() not in OutFormat.__members__:
        raise UsageError(say("usage.bad_choice", lang, param="-f/--format", value=value),
                         hint=say("usage.choices", lang, choices=", ".join(OutFormat.__members__)))
    return OutFormat(value.lower())


@app.command()
def template(
    output: XlsxOpt,
    table_format: Annotated[Optional[TableFormat], typer.Option("-t", "--table-format", case_sensitive=False, help="The official format of the blank sheet: legacy, 2019 or 2021.")] = None,
    fmt: Annotated[Optional[str], typer.Option("-f", "--format", metavar="[auto|table|plain|markdown|csv|tsv|json]", help="Output format of what was written (on stdout).")] = None,
    agency: BlankAgencyOpt = None,
    year: BlankYearOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
) -> None:
    """Write a blank official sheet to fill in: shaded input cells with data validation, totals as
    formulas, and a second sheet (填表说明) with the format's rules in plain words.

    Examples:

    \b
    gdstat template -t 2021 -o 2021-blank.xlsx
    gdstat template -t legacy -o legacy-blank.xlsx --agency 示范市示范区人民政府 --year 2018
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat.writers.xlsx import write_template

        out_format = _output_format(fmt, lang)
        if table_format is None:
            raise UsageError(say("e.no_table_format", lang), hint=say("h.no_table_format", lang))
        written = write_template(table_format.value, output, force=force, agency=agency, year=year)
        _report(written, out_format, lang, color)
        return 0

    run(debug, lang, body)
