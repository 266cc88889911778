"""Draw a Layout as an official-format xlsx sheet with XlsxWriter, and save it atomically.

``write_report`` fills the sheet with a report's values; ``write_template`` leaves it blank for
staff to fill in, with shaded input cells, data validation, totals as formulas and a second sheet
that explains the format's rules. Totals and their parts come from the catalogue's sum and
row_total rules (``rules.sum_relations``), never from code per format.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gdstat.catalog import Format, load_format
from gdstat.errors import UsageError
from gdstat.report import Report, column_letter
from gdstat.writers.layout import Layout, build, text_width

SHEET = "统计表"
NOTES_SHEET = "填表说明"
BODY = "宋体"  # on every Chinese Windows/WPS machine
HEADING = "黑体"
CJK_CHARSET = 134  # GB2312: lets Excel pick the Chinese font even on other locales
# role -> (font, size, bold)
FONTS = {
    "title": (HEADING, 16, True),
    "section": (HEADING, 12, False),
    "caption": (BODY, 10.5, True),
    "header": (BODY, 10.5, True),
    "note": (BODY, 10.5, False),
}
BOXED = {"header", "label", "unit", "value", "note", "caption"}
INPUT_FILL = "FFF2CC"  # pale yellow: the cells staff fill in
NUMBER_RULES = {  # cell number kind -> (XlsxWriter validation type, criteria, minimum, maximum, message)
    "int": ("integer", ">=", 0, None, "请填写不小于 0 的整数；未发生的请填 0，不填表示未填报。"),
    "decimal": ("decimal", ">=", 0, None, "请填写不小于 0 的数（单位：万元，可有小数）。"),
    "signed": ("integer", "between", -999999999, 999999999, "请填写整数，减少用负数表示，如 -8。"),
}


@dataclass(frozen=True)
class Written:
    """What a write produced: the file, the report's header, and what was (not) written."""

    path: str
    format: str
    agency: str | None
    year: int | None
    template: bool
    numbers: int  # cells holding a number
    not_reported: tuple[str, ...]  # cells left empty
    formulas: tuple[str, ...]  # cells holding a formula
    kept_values: tuple[str, ...] = ()  # totals written as values: a part is not reported or the sum differs
    left_empty: tuple[str, ...] = ()  # cells whose text or marker (/, —) was not copied
    source: str | None = None
    unplaced: tuple[str, ...] = ()  # "id=value" of numbers the official sheet has no cell for (group subtotals)

    def to_dict(self, lang: str = "zh") -> dict:
        from gdstat.api import envelope

        return {
            **envelope(),
            "output": {"path": self.path, "kind": "xlsx", "template": self.template},
            "source": {"path": self.source} if self.source else None,
            "report": {"format": self.format, "agency": self.agency, "year": self.year},
            "cells": {"numbers": self.numbers, "not_reported": len(self.not_reported), "formulas": len(self.formulas)},
            "formulas": list(self.formulas),
            "kept_values": list(self.kept_values),
            "left_empty": list(self.left_empty),
            "unplaced": list(self.unplaced),
        }


# ----------------------------------------------------------------------------- formulas


def _address(slot: tuple[int, int]) -> str:
    return f"{column_letter(slot[1] - 1)}{slot[0]}"


def sum_formula(slots: list[tuple[int, int]]) -> str:
    """The sum of these cells, empty while none of them holds a number (a blank total is not 0).

    ``=IF(COUNT(D9:D16)=0,"",SUM(D9:D16))``, with runs of neighbouring cells as ranges.
    """
    runs: list[list[tuple[int, int]]] = []
    for slot in slots:
        if runs:
            last = runs[-1][-1]
            step = (slot[0] - last[0], slot[1] - last[1])
            direction = (runs[-1][-1][0] - runs[-1][0][0], runs[-1][-1][1] - runs[-1][0][1])
            if step in ((1, 0), (0, 1)) and (len(runs[-1]) == 1 or (direction[0] > 0) == (step[0] > 0)):
                runs[-1].append(slot)
                continue
        runs.append([slot])
    parts = [_address(run[0]) if len(run) == 1 else f"{_address(run[0])}:{_address(run[-1])}" for run in runs]
    cells = ",".join(parts)
    return f'=IF(COUNT({cells})=0,"",SUM({cells}))'


def _formulas(fmt: Format, slots: dict, values: dict | None) -> tuple[dict[str, str], list[str]]:
    """Formula text by total cell id, and the totals kept as values.

    In a template every total is a formula. With values, a total becomes a formula only when it and
    all its parts are reported and it equals their sum: a formula never changes a reported figure.
    """
    from gdstat.rules import sum_relations

    formulas, kept = {}, []
    for total, parts in sum_relations(fmt).items():
        if values is not None:
            numbers = [values.get(p) for p in parts]
            if values.get(total) is None:
                continue
            if any(n is None for n in numbers) or sum(numbers) != values[total]:
                kept.append(total)
                continue
        formulas[total] = sum_formula([slots[p] for p in parts])
    return formulas, kept


# ----------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class Drawing:
    """A sheet ready to draw: ``save(target)`` writes it as an xlsx workbook with XlsxWriter to a
    path or a binary file object. Text is always written as text: a label starting with ``=`` never
    becomes a formula, only the totals gdstat computes do (``sum_formula``)."""

    layout: Layout
    values: dict | None = None
    sheet_title: str = SHEET
    formulas: bool = False
    template: bool = False

    def save(self, target) -> None:
        import xlsxwriter

        # in_memory: the parts are zipped from memory, not from a temporary file each
        workbook = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_formulas": False,
                                                "strings_to_numbers": False, "strings_to_urls": False})
        styles = _Styles(workbook)
        fmt = load_format(self.layout.format)
        formula_text: dict[str, str] = {}
        if self.formulas or self.template:
            formula_text, _ = _formulas(fmt, self.layout.slots(), None if self.template else (self.values or {}))
        sheet = workbook.add_worksheet(self.sheet_title)
        inputs = _draw_cells(sheet, styles, fmt, self.layout, self.values or {}, formula_text, self.template)
        for col, width in self.layout.widths.items():
            sheet.set_column(col - 1, col - 1, width)
        for row, height in self.layout.heights.items():
            sheet.set_row(row - 1, height)
        if self.template:
            _validate(sheet, inputs)
        _print_setup(sheet, self.layout)
        if self.template:
            _notes_sheet(workbook.add_worksheet(NOTES_SHEET), styles, fmt, formula_text)
        workbook.close()


def draw(layout: Layout, values: dict | None = None, sheet_title: str = SHEET, *, formulas: bool = False,
         template: bool = False) -> Drawing:
    """The layout as a sheet to save (see Drawing).

    ``values`` maps cell ids to numbers (None stays empty). ``formulas`` writes each total that
    equals its parts as a guarded SUM formula (``sum_formula``); ``template`` leaves values out, writes every total as a
    formula, shades and validates the input cells and adds the 填表说明 sheet.
    """
    return Drawing(layout, values, sheet_title, formulas, template)


class _Styles:
    """XlsxWriter formats, one per distinct look (a workbook keeps every format it is given)."""

    def __init__(self, workbook):
        self.workbook, self.made = workbook, {}

    def get(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.workbook.add_format({"font_charset": CJK_CHARSET, **props})
        return self.made[key]


def _draw_cells(sheet, styles: _Styles, fmt: Format, layout: Layout, values: dict, formula_text: dict[str, str],
                template: bool) -> dict[str, list[str]]:
    """Write every placed cell; the template's input cells by number kind."""
    inputs: dict[str, list[str]] = {}
    for placed in layout.cells:
        name, size, bold = FONTS.get(placed.role, (BODY, 10.5, placed.bold))
        look = {"font_name": name, "font_size": size, "bold": bold, "valign": "vcenter"}
        if placed.role in BOXED:  # every cell of a merged range carries the border, or Excel draws gaps
            look.update(border=1, border_color="#000000")
        r, c = placed.row - 1, placed.col - 1
        value = None
        if placed.role == "value":
            look["align"] = "center"
            cid = placed.cell_id
            if cid in formula_text:
                value = formula_text[cid]
            elif template:
                inputs.setdefault(fmt.cells[cid].number, []).append(f"{column_letter(c)}{placed.row}")
                look.update(bg_color="#" + INPUT_FILL, pattern=1)
            else:
                value = values.get(cid)
        elif placed.role == "section":
            look["align"] = "left"
        elif placed.role in ("title", "header", "caption", "note", "unit"):
            look.update(align="center", text_wrap=True)
        else:
            look.update(align="left", text_wrap=True, indent=placed.indent)
        style = styles.get(**look)
        if (placed.to_row, placed.to_col) != (placed.row, placed.col):
            sheet.merge_range(r, c, placed.to_row - 1, placed.to_col - 1, "", style)
        if placed.role == "value" and cid in formula_text:
            sheet.write_formula(r, c, value, style, "")  # no cached result: Excel computes it on opening
        elif placed.role == "value" and value is not None:
            sheet.write_number(r, c, value, style)  # int or Decimal: stored as a number, never as text
        elif placed.text:
            sheet.write_string(r, c, placed.text, style)
        else:
            sheet.write_blank(r, c, None, style)
    return inputs


def _validate(sheet, inputs: dict[str, list[str]]) -> None:
    for kind, coordinates in inputs.items():
        kind_, operator, low, high, message = NUMBER_RULES[kind]
        rule = {"validate": kind_, "criteria": operator, "ignore_blank": True, "show_error": True,
                "error_title": "数值不符合要求", "error_message": message, "show_input": False,
                "multi_range": " ".join(coordinates)}
        if high is None:
            rule["value"] = low
        else:
            rule.update(minimum=low, maximum=high)
        sheet.data_validation(coordinates[0], rule)


def _print_setup(sheet, layout: Layout) -> None:
    sheet.set_paper(9)  # A4
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_header("", {"margin": 0.3})
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
    sheet.print_area(0, 0, layout.row - 1, layout.width - 1)
    if layout.header_rows:
        sheet.repeat_rows(min(layout.header_rows) - 1, max(layout.header_rows) - 1)
    if layout.page_breaks:
        sheet.set_h_pagebreaks(layout.page_breaks)
    sheet.hide_gridlines(2)


def _notes_sheet(sheet, styles: _Styles, fmt: Format, formula_text: dict[str, str]) -> None:
    """The rules of the format in plain words, for the person filling in the template."""
    decimal = [c.label() for c in fmt.cells.values() if c.number == "decimal"]
    signed = sorted({c.column.label for c in fmt.cells.values() if c.number == "signed" and c.column})
    lines: list[tuple[str, str, str]] = [
        ("title", f"{fmt.name}　填表说明", ""),
        ("text", f"依据：{fmt.authority}；适用年度：{fmt.years}。", ""),
        ("head", "怎样填写", ""),
        ("text", "1. 只在浅黄色单元格中填写数字。没有发生的事项填 0；不填写表示“未填报”，不等于 0。", ""),
        ("text", "2. 白底带公式的单元格是合计，由其分项自动求和。只掌握合计数时，可直接覆盖公式填写合计。", ""),
        ("text", "3. 数字请直接填写，不要带单位或文字；“/”“—”等符号也会被视为未填报。", ""),
    ]
    if decimal:
        lines.append(("text", f"4. 可填小数（单位：万元）：{'；'.join(decimal)}。", ""))
    if signed:
        lines.append(("text", f"{5 if decimal else 4}. 可填负数（减少用负数表示，如 -8）：{'、'.join(signed)}。", ""))
    lines.append(("text", f"表中共有自动求和的合计 {len(formula_text)} 处。", ""))
    lines.append(("head", "核对规则（gdstat validate 逐条检查）", ""))
    lines.append(("rule", "规则", "级别", ))
    level = {"error": "错误", "warning": "警告", "info": "提示"}
    for rule in fmt.rules:
        lines.append(("rule", rule.id, level.get(rule.severity, rule.severity), rule.text))
    for r, (kind, *text) in enumerate(lines):
        if kind == "rule":
            rule_id, severity, *rest = text
            style = styles.get(font_name=BODY, font_size=10.5, bold=rule_id == "规则", valign="top", text_wrap=True)
            for c, value in enumerate((rule_id, severity, rest[0] if rest else "说明")):
                sheet.write_string(r, c, value, style)
            sheet.set_row(r, 15 * max(1, -(-text_width(rest[0] if rest else "") // 84)))
            continue
        font, size = {"title": (HEADING, 14), "head": (HEADING, 11)}.get(kind, (BODY, 10.5))
        sheet.merge_range(r, 0, r, 2, "", styles.get(font_name=font, font_size=size, valign="vcenter", text_wrap=True))
        sheet.write_string(r, 0, text[0], styles.get(font_name=font, font_size=size, valign="vcenter", text_wrap=True))
        sheet.set_row(r, 24 if kind == "title" else 15 * max(1, -(-text_width(text[0]) // 104)))
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 86)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


# ----------------------------------------------------------------------------- saving


def check_output(out: str | Path, force: bool, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse what would lose data: a non-xlsx name, an input as output, an existing file without --force."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: gdstat writes .xlsx workbooks", hint="name the output file with the .xlsx extension")
    for source in inputs:
        if out.exists() and os.path.samefile(out, source):
            raise UsageError(f"{out}: is the input; gdstat never modifies an input",
                             hint="write to another file name")
    from gdstat.outputs import check_target

    return check_target(out, force)


def save(drawing: Drawing, out: str | Path, force: bool = False) -> Path:
    """Write to a temporary file beside ``out`` and rename it into place; never half a file."""
    from gdstat.outputs import atomic

    with atomic(out, force) as temp:
        drawing.save(temp)
    return Path(out)


# ----------------------------------------------------------------------------- library calls


def write_report(report: Report, out: str | Path, force: bool = False, agency: str | None = None,
                 year: int | None = None, formulas: bool = False) -> Written:
    """The official statistics sheet of ``report``'s format, filled with its values.

    Only numbers are written; not-reported cells stay empty, and so do cells that held text or a
    marker such as ``/`` (listed in ``left_empty``). ``agency`` and ``year`` override the report's.
    """
    out = check_output(out, force, (report.source.path,) if report.source and Path(report.source.path).exists() else ())
    fmt = load_format(report.format)
    agency = agency or report.agency
    year = year or report.year
    layout = build(fmt, agency, year)
    values = {cid: v.value for cid, v in report.values.items() if v.value is not None and cid in fmt.cells}
    left_empty = tuple(cid for cid, v in report.values.items() if v.value is None and v.kind in ("text", "not-applicable"))
    workbook = draw(layout, values, formulas=formulas)
    formula_text, kept = _formulas(fmt, layout.slots(), values) if formulas else ({}, [])
    save(workbook, out, force)
    return Written(
        path=str(out), format=fmt.id, agency=agency, year=year, template=False,
        numbers=len(values) - len(formula_text),
        not_reported=tuple(cid for cid in fmt.cells if cid not in values),
        formulas=tuple(formula_text), kept_values=tuple(kept), left_empty=left_empty,
        source=report.source.path if report.source else None,
        unplaced=tuple(f"{cid}={v.value}" for cid, v in report.values.items()
                       if cid not in fmt.cells and v.value is not None),
    )


def write_template(format_id: str, out: str | Path, force: bool = False, agency: str | None = None,
                   year: int | None = None) -> Written:
    """A blank official sheet of one format for staff to fill in (see ``draw``)."""
    out = check_output(out, force)
    fmt = load_format(format_id)
    layout = build(fmt, agency, year)
    workbook = draw(layout, template=True)
    formula_text, _ = _formulas(fmt, layout.slots(), None)
    save(workbook, out, force)
    return Written(
        path=str(out), format=fmt.id, agency=agency, year=year, template=True, numbers=0,
        not_reported=tuple(cid for cid in fmt.cells if cid not in formula_text), formulas=tuple(formula_text),
    )


def write_file(path: str | Path, out: str | Path, *, force: bool = False, agency: str | None = None,
               year: int | None = None, formulas: bool = False, encoding: str | None = None,
               table_format: str | None = None) -> Written:
    """Read any input gdstat reads and write its official sheet (``gdstat write``)."""
    from gdstat.api import load

    check_output(out, force, (path,) if Path(path).exists() else ())
    report = load(path, encoding=encoding, table_format=table_format)
    return write_report(report, out, force, agency=agency, year=year, formulas=formulas)

