"""Spreadsheets (xlsx, xlsm, xls, ods) through python-calamine: fast, read-only.

calamine holds a sheet as one dense rectangle from its first to its last used cell, allocated when
the sheet is opened: a single cell at XFD1048576 asks for 550 GB and aborts the process. So the
used rectangle of an xlsx or ods is measured from its XML first (a stream, never a tree) and a
sheet beyond the ``area`` or ``cells`` limit is refused before calamine sees it.
"""

from __future__ import annotations

import os
import re
import zipfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

from gdstat import limits
from gdstat.errors import InputError
from gdstat.io.grid import Sheet

# A cell's reference in sheet XML (<c r="B7" ...>, with or without a namespace prefix).
_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def read_sheets(path: Path, kind: str, archive=None) -> list[Sheet]:
    """Every sheet's grid; ``archive``: an xlsx already opened as a zip archive, to look for formulas in."""
    from gdstat.workers import Contained, contained

    if kind == "xlsx":
        _measure_xlsx(archive or path)
    elif kind == "ods":
        _measure_ods(path)
    # Formulas saved without their value (files written by programs) read as empty in calamine.
    formulas = {}
    if kind == "xlsx":
        from gdstat.io.formulas import uncached_formulas

        formulas = uncached_formulas(archive or path)
    # calamine can loop forever or abort the process on a damaged file (an .xls above all): it
    # runs in a child process that is killed past the time limit.
    try:
        return contained(_read_workbook, path, kind, formulas, seconds=limits.get("seconds"))
    except Contained as exc:
        if exc.lost.limit:
            raise limits.TooLarge(exc.lost.limit, exc.lost.reason, str(path)) from None
        raise InputError(f"{path}: the {kind} workbook could not be read ({exc.lost.reason})",
                         hint="open it in Excel or WPS and save it again") from None


def _read_workbook(path: Path, kind: str, formulas: dict) -> list[Sheet]:
    import python_calamine

    try:
        with _rust_quiet():
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            sheets = [_read_sheet(workbook, name, formulas.get(name)) for name in workbook.sheet_names]
        workbook.close()
    except python_calamine.CalamineError as exc:  # each format's own error types derive from it
        raise InputError(
            f"{path}: the {kind} workbook could not be read ({exc})",
            hint="open it in Excel or WPS and save it again",
        ) from None
    return sheets


def _read_sheet(workbook, name: str, formulas: dict | None) -> Sheet:
    sheet = workbook.get_sheet_by_name(name)
    end = sheet.end  # the last used cell, (row, col), or None for an empty sheet
    if end is None:
        return Sheet(name, [])
    limits.check("area", (end[0] + 1) * (end[1] + 1))  # xls is measured here: the grid starts at A1
    rows = sheet.to_python(skip_empty_area=False)
    if formulas:
        from gdstat.io.formulas import fill_formulas

        rows = fill_formulas(rows, formulas)
    return Sheet(name, rows)


@contextmanager
def _rust_quiet():
    """A panic in calamine prints Rust's message and backtrace on the process's stderr before it
    reaches Python as a PanicException (an unreadable file, reported in one line): send it elsewhere."""
    saved = os.dup(2)
    sink = os.open(os.devnull, os.O_WRONLY)  # cheaper than a temporary file, once a workbook
    try:
        os.dup2(sink, 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
    finally:
        os.close(sink)
        os.close(saved)


def _measure_xlsx(source) -> None:
    """Refuse a worksheet whose used rectangle (from A1) or cell count exceeds the limits.
    ``source``: the xlsx's path, or the file already opened as a ``zipfile.ZipFile`` (left open)."""
    with nullcontext(source) if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = cols = cells = 0
            tail = b""
            with archive.open(info) as part:
                while chunk := part.read(1024 * 1024):
                    data = tail + chunk
                    cut = data.rfind(b"<")  # a reference split between chunks is read with the next one
                    data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                    for letters, digits in _REF.findall(data):
                        col = 0
                        for ch in letters:
                            col = col * 26 + ch - 64
                        rows, cols = max(rows, int(digits)), max(cols, col)
                        cells += 1
                    limits.check("cells", cells)
                    limits.check("area", rows * cols)


def _measure_ods(path: Path) -> None:
    """An ods repeats rows and cells by a count (``number-rows-repeated="1048576"``): the cells
    those counts make, and the rectangle up to the last that holds something, against the limits."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        row = width = height = cells = 0
        row_cells = row_end = col = 0
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_ODS_TABLE}table":
                    row = 0
                elif tag == f"{_ODS_TABLE}table-row":
                    row_cells = row_end = col = 0
                continue
            if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                repeat = _count(element.get(f"{_ODS_TABLE}number-columns-repeated"))
                col += repeat
                if len(element) or element.get(f"{_ODS_OFFICE}value-type"):
                    row_cells += repeat
                    row_end = col
                element.clear()
            elif tag == f"{_ODS_TABLE}table-row":
                repeat = _count(element.get(f"{_ODS_TABLE}number-rows-repeated"))
                row += repeat
                if row_cells:
                    cells += row_cells * repeat
                    height, width = max(height, row), max(width, row_end)
                    limits.check("cells", cells)
                    limits.check("area", height * width)
                element.clear()


def _count(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1
