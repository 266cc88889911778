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
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from gdstat import limits
from gdstat.errors import InputError
from gdstat.io.grid import Sheet
from gdstat.io.sniff import CHUNK

# A cell's reference in sheet XML (<c r="B7" ...>, with or without a namespace prefix). Any
# r="B7" attribute counts, whatever its element: a literal start the regex engine searches for
# quickly (matching the element first tried every tag), and references of any length.
_REF = re.compile(rb'r="([A-Z]+)([0-9]+)"')
# The references beyond Z999 (two letters or more, four digits or more): every other one lies within
# 26 columns and 999 rows, and each takes 6 bytes at least (r="A1"). Most sheets are within the
# limits by those bounds alone, found with far fewer matches than every reference.
_FAR_REF = re.compile(rb'r="(?=[A-Z]{2}|[A-Z][0-9]{4})([A-Z]+)([0-9]+)"')
# Whether there is one, searched for first: without findall's captures and lookahead, each reference
# tried costs less, and a sheet within Z999 has none to collect.
_ANY_FAR_REF = re.compile(rb'r="[A-Z](?:[A-Z]|[0-9]{4})')
_NEAR_ROWS, _NEAR_COLUMNS, _REF_BYTES = 999, 26, 6
# A formula element (<f>, <f t="shared" .../>, <x:f>), not <firstHeader>, <formula1> or <family>.
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# The same in searches that start from a literal, much quicker on a sheet holding none: first the f
# that ends every formula element's name (rare elsewhere in sheet XML: one search for most sheets),
# then with the < or : before it.
_NAME_END_F = re.compile(rb"f[\s>/]")
_PLAIN_FORMULA, _PREFIXED_FORMULA = re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]")
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def read_sheets(path: Path, kind: str, archive: zipfile.ZipFile | None, scan: SheetScan | None) -> list[Sheet]:
    """Every sheet's grid. An xlsx or ods comes as ``archive``, opened as a zip; an xlsx also with
    the ``scan`` its parts were checked with (``sniff(..., watch=scan.watch)``), which measured its
    sheets against the limits: both are required, so that no xlsx reaches calamine unmeasured."""
    from gdstat.workers import Contained, contained

    formulas = {}
    if kind == "xlsx":
        # Formulas saved without their value (files written by programs) read as empty in calamine.
        from gdstat.io.formulas import uncached_formulas

        formulas = uncached_formulas(archive, scan.with_formulas)
    elif kind == "ods":
        _measure_ods(archive)
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
    try:
        os.dup2(_null_device(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
    finally:
        os.close(saved)


@cache
def _null_device() -> int:
    """Where _rust_quiet sends a panic's message (cheaper than a temporary file): opened once a
    process, as a worker reads thousands of workbooks."""
    return os.open(os.devnull, os.O_WRONLY)


class SheetScan:
    """What an xlsx's worksheet parts hold, learnt as check_parts inflates them (its ``watch``):
    each sheet's used rectangle (from A1) and cell count against the ``area`` and ``cells`` limits,
    refused before calamine allocates the grid, and which parts hold a formula (io.formulas)."""

    def __init__(self):
        # the worksheet parts that hold a formula -> their bytes when inflated in one chunk (kept
        # for io.formulas, which reads a larger part again), else None
        self.with_formulas: dict[str, bytes | None] = {}

    def watch(self, info: zipfile.ZipInfo):
        """The function check_parts hands a worksheet part's chunks to; None for other parts."""
        member = info.filename
        if not is_sheet_part(member):
            return None
        rows = cols = cells = 0
        tail = b""
        # A part of one chunk (zipfile inflates no more than the declared size) may be measured by
        # bounds: larger than the sheet, never smaller. A larger part is measured exactly: bounds
        # carried from chunk to chunk could refuse what the exact measure allows.
        bounded = info.file_size <= CHUNK

        def seen(chunk: bytes) -> None:
            nonlocal rows, cols, cells, tail
            data = tail + chunk
            if chunk:  # an element split between chunks is read whole with the next one
                cut = data.rfind(b"<")
                data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if not (bounded and within_bounds(data)):
                refs = _REF.findall(data)
                high, wide = _extent(refs)
                cells, rows, cols = cells + len(refs), max(rows, high), max(cols, wide)
                limits.check("cells", cells)
                limits.check("area", rows * cols)
            if member not in self.with_formulas and has_formula(data):  # a bounded part's one chunk is all of it
                self.with_formulas[member] = chunk if bounded and chunk else None

        def within_bounds(data: bytes) -> bool:
            """Do the bounds (_FAR_REF) keep ``data`` within the limits? If so they are the measure."""
            nonlocal rows, cols, cells
            high, wide = _extent(_FAR_REF.findall(data) if _ANY_FAR_REF.search(data) else [])
            high, wide = max(rows, high, _NEAR_ROWS), max(cols, wide, _NEAR_COLUMNS)
            many = cells + len(data) // _REF_BYTES
            if many > limits.get("cells") or high * wide > limits.get("area"):
                return False
            rows, cols, cells = high, wide, many
            return True

        return seen


def has_formula(data: bytes) -> bool:
    """Does this sheet XML hold a formula element (``FORMULA``)?"""
    return bool(_NAME_END_F.search(data)
                and (_PLAIN_FORMULA.search(data) or _PREFIXED_FORMULA.search(data) and FORMULA.search(data)))


def is_sheet_part(member: str) -> bool:
    """Is this zip member an xlsx's worksheet XML?"""
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def _extent(refs: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """The largest row and column of (letters, digits) references: of the few distinct ones."""
    if not refs:
        return 0, 0
    letters, digits = zip(*refs)
    return max(map(_row, set(digits))), max(map(_column, set(letters)))


# A row number or column letters longer than any sheet's: counted as this (beyond every area), not
# converted (int() refuses thousands of digits; letters would cost time quadratic in their length).
_FAR = 10 ** 18


def _row(digits: bytes) -> int:
    """``b"52"`` -> 52."""
    digits = digits.lstrip(b"0")
    return int(digits or b"0") if len(digits) <= 18 else _FAR


def _column(letters: bytes) -> int:
    """``b"AB"`` -> 28."""
    if len(letters) > 12:
        return _FAR
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _measure_ods(archive: zipfile.ZipFile) -> None:
    """An ods repeats rows and cells by a count (``number-rows-repeated="1048576"``): the cells
    those counts make, and the rectangle up to the last that holds something, against the limits."""
    from xml.etree import ElementTree

    with archive.open("content.xml") as content:
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
