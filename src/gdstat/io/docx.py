"""Word documents (.docx): the tables of ``word/document.xml`` as grids, and the document's text.

Read with the standard library (zipfile + ElementTree): a .docx is a zip of XML, and only the body's
paragraphs and tables are needed, so no dependency is worth its weight here. Merged cells are
stored the way a spreadsheet stores them: the text in the first position, the positions that
``w:gridSpan`` and ``w:vMerge`` cover left empty, so every later cell lands in its true column.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from gdstat import limits
from gdstat.errors import InputError
from gdstat.io.grid import Sheet
from gdstat.io.sniff import read_part

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(node) -> str:
    parts = []
    for element in node.iter():
        if element.tag == f"{_W}t" and element.text:
            parts.append(element.text)
        elif element.tag == f"{_W}tab":
            parts.append(" ")
        elif element.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_text(cell) -> str:
    """A cell's paragraphs joined without a break: a label wrapped inside its cell stays one label."""
    return "".join(_paragraph_text(p) for p in cell.iter(f"{_W}p")).strip()


def _table(node, area: limits.Budget) -> list[list]:
    rows: list[list] = []
    for tr in node.findall(f"{_W}tr"):
        row: list = []
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    try:
                        span = max(1, int(grid_span.get(f"{_W}val", "1")[:12]))
                    except ValueError:
                        span = 1
                    limits.check("span", span)
                merge = props.find(f"{_W}vMerge")
                if merge is not None:
                    vmerge = merge.get(f"{_W}val", "continue")
            text = None if vmerge == "continue" else (_cell_text(tc) or None)
            area.add(span)  # the positions it covers, counted before they are made
            row.append(text)
            row.extend([None] * (span - 1))
        rows.append(row)
    return rows


def read_docx(path: Path, table_format: str | None = None) -> list[Sheet]:
    """The document's tables stacked in order (cells read as A1 references into that stack), and
    the document's text rebuilt as a second candidate for tables drawn without table markup."""
    from gdstat.io.textreport import rebuild

    try:
        with zipfile.ZipFile(path) as archive:
            xml = read_part(archive, "word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"{path}: the Word document could not be read ({exc})",
                         hint="open it in Word or WPS and save it again as .docx") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InputError(f"{path}: the Word document is damaged ({exc})",
                         hint="open it in Word or WPS and save it again as .docx") from None
    body = root.find(f"{_W}body")
    if body is None:
        body = root
    in_tables = {p for tbl in body.iter(f"{_W}tbl") for p in tbl.iter(f"{_W}p")}
    rows: list[list] = []
    lines: list[str] = []
    area = limits.Budget("area")
    for node in body.iter():
        if node.tag == f"{_W}tbl":
            table = _table(node, area)
            rows.extend(table)
            rows.append([])
            lines.extend(" | ".join(c or "" for c in row) for row in table)
        elif node.tag == f"{_W}p" and node not in in_tables:
            lines.append(_paragraph_text(node))
    text = "\n".join(lines)
    sheets = [Sheet(None, rows, kind="docx", text=text)]
    rebuilt = rebuild(text, str(path), table_format, "docx", "text")
    if rebuilt is not None:
        sheets.append(rebuilt)
    return sheets
