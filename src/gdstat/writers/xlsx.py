"""Draw a Layout as an official-format xlsx sheet with openpyxl, and save it atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gdstat.catalog import load_format
from gdstat.errors import UsageError
from gdstat.report import Report
from gdstat.writers.layout import Layout, build

FONT = "宋体"
ROLE_FONT = {"title": (16, True), "section": (12, True), "caption": (11, True), "header": (11, True)}


def draw(layout: Layout, values: dict | None = None, sheet_title: str = "统计表"):
    """An openpyxl Workbook holding the layout; ``values`` maps cell ids to numbers (None stays empty)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    boxed = {"header", "label", "unit", "value", "note", "caption"}
    for merge in layout.merges:
        r1, c1, r2, c2 = merge
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if layout.cells and _role_at(layout, r1, c1) in boxed:
                    sheet.cell(r, c).border = border
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for placed in layout.cells:
        cell = sheet.cell(placed.row, placed.col)
        size, bold = ROLE_FONT.get(placed.role, (11, False))
        cell.font = Font(name=FONT, size=size, bold=bold)
        if placed.role in boxed:
            cell.border = border
        if placed.role == "value":
            value = (values or {}).get(placed.cell_id)
            if value is not None:
                cell.value = value if isinstance(value, int) else float(value)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            continue
        cell.value = placed.text
        if placed.role in ("title",):
            cell.alignment = Alignment(horizontal="center", vertical="center")
        elif placed.role in ("header", "caption", "note", "unit"):
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        else:
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=placed.indent)
    widths = _widths(layout)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[1].height = 30
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if layout.header_rows:
        sheet.print_title_rows = f"{layout.header_rows[0]}:{layout.header_rows[0]}"
    return workbook


def _role_at(layout: Layout, row: int, col: int) -> str | None:
    for placed in layout.cells:
        if placed.row == row and placed.col == col:
            return placed.role
    return None


def _widths(layout: Layout) -> dict[int, float]:
    """Column widths that fit the longest unmerged label (CJK characters count double)."""
    widths = {c: 9.0 for c in range(1, layout.width + 1)}
    merged = {(r1, c1) for r1, c1, r2, c2 in layout.merges if c2 > c1}
    for placed in layout.cells:
        if placed.text and (placed.row, placed.col) not in merged and placed.role in ("label", "header", "unit"):
            length = sum(2 if ord(ch) > 0x2E80 else 1 for ch in placed.text) + 2 * placed.indent + 2
            widths[placed.col] = max(widths[placed.col], min(length * 1.1, 60))
    return widths


def save(workbook, out: str | Path, force: bool = False) -> Path:
    """Write to a temporary file beside ``out`` and rename it into place; never half a file."""
    out = Path(out)
    if out.exists() and not force:
        raise UsageError(f"{out}: already exists", hint="choose another name or pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    try:
        workbook.save(temp)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out


def write_report(report: Report, out: str | Path, force: bool = False, agency: str | None = None,
                 year: int | None = None) -> Path:
    """The official statistics sheet of ``report``'s format, filled with its values."""
    fmt = load_format(report.format)
    layout = build(fmt, agency or report.agency, year or report.year)
    values = {cid: v.value for cid, v in report.values.items()}
    return save(draw(layout, values), out, force)
