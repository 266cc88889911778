"""From a path to a Report: check the path, sniff the kind, read the grid, locate the tables."""

from __future__ import annotations

from pathlib import Path

from gdstat import limits
from gdstat.errors import InputError
from gdstat.io.grid import Sheet
from gdstat.io.sniff import HEAD, OLE_MAGIC, ZIP_MAGIC, open_zip, sniff
from gdstat.report import Report, Source

# What a folder scan picks up (a file named on the command line is always tried: its kind comes
# from its content). A reader for a new kind of input adds its suffixes here.
SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".html", ".htm", ".docx", ".pdf"})


def _check(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file", hint="check the path and the current folder")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file", hint="name a file inside it")
    try:
        limits.check("input-bytes", path.stat().st_size, str(path))
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError as exc:
        raise InputError(f"{path}: cannot be opened ({exc.strerror})", hint="check its permissions") from None
    if not head:
        raise InputError(f"{path}: the file is empty", hint="check that the file was saved or downloaded completely")
    from gdstat.outputs import protect

    protect(path)
    return head


def read_grids(path: Path, encoding: str | None = None, table_format: str | None = None,
               head: bytes | None = None) -> tuple[str, list[Sheet], str | None]:
    """Return ``(kind, sheets, encoding)`` for any supported input. Documents (text, HTML, Word,
    PDF) give their tables as grids and, rebuilt from their text through the catalogue (of
    ``table_format`` when named), a second candidate grid; the one that yields more values wins.
    A text input's ``sheets`` are made one at a time, as they are iterated (once). ``head``: the
    file's first HEAD bytes as ``_check`` read them, when it was checked already (all of a shorter file).

    Whatever a reader raises on a malformed file (a parser's error, a Rust panic in calamine, a
    limit) is an InputError naming the file: a broken input is never an internal error."""
    try:
        kind, sheets, used = _read_grids(path, encoding, table_format, head)
    except BaseException as exc:
        _fail(path, exc)
    if isinstance(sheets, list):
        return kind, list(_checked(path, sheets)), used
    return kind, _checked(path, sheets), used


def _checked(path: Path, sheets):
    """Each sheet within the limits of cells and area; a failure while one is made, as above."""
    try:
        for sheet in sheets:
            area = len(sheet.rows) * max(map(len, sheet.rows), default=0)
            limits.check("area", area)
            if area > limits.get("cells"):  # else the cells, fewer than the area, are within the limit
                limits.check("cells", sum(1 for row in sheet.rows for cell in row if cell is not None and cell != ""))
            yield sheet
    except BaseException as exc:
        _fail(path, exc)


def _fail(path: Path, exc: BaseException):
    """Raise for ``exc`` met while reading ``path``: an error naming the file for a limit or for a
    reader's failure on malformed bytes; ``exc`` itself otherwise (a bug in gdstat stays one)."""
    if isinstance(exc, limits.TooLarge):
        raise exc.at(str(path)) from None
    if isinstance(exc, InputError) or not reader_failure(exc):
        raise exc
    raise InputError(f"{path}: the file could not be read ({type(exc).__name__}: {_first_line(exc)})",
                     hint="open it in the program that made it and save it again, or fetch it once more") from exc


def reader_failure(exc: BaseException) -> bool:
    """Is ``exc`` what a parser raises on malformed bytes (as opposed to a bug in gdstat)?
    python-calamine's PanicException derives from BaseException, so it is named here."""
    import csv
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    return type(exc).__name__ == "PanicException" or isinstance(exc, (
        ValueError, LookupError, ArithmeticError, zlib.error, zipfile.BadZipFile, ParseError, csv.Error,
        EOFError, OSError, RecursionError, MemoryError, NotImplementedError))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no detail"


def _read_grids(path: Path, encoding: str | None, table_format: str | None,
                head: bytes | None) -> tuple[str, list[Sheet], str | None]:
    head = head or _check(path)
    archive = scan = None
    if head.startswith(ZIP_MAGIC):  # opened and inflated once: its kind, its limits, an xlsx's measures
        from gdstat.io.spreadsheet import SheetScan

        archive, scan = open_zip(path, head), SheetScan()
    try:
        kind = sniff(path, head, archive, scan and scan.watch)
        if kind in ("xlsx", "xls", "ods"):
            from gdstat.io.spreadsheet import read_sheets

            return kind, read_sheets(path, kind, archive, scan), None
    finally:
        if archive is not None:
            archive.close()
    if kind == "docx":
        from gdstat.io.docx import read_docx

        return kind, read_docx(path, table_format), None
    if kind == "pdf":
        from gdstat.io.pdf import read_pdf

        return kind, read_pdf(path, table_format), None
    from gdstat.io.delimited import decode
    from gdstat.io.sniff import looks_delimited, looks_html

    data = path.read_bytes()
    if encoding is None and looks_html(data[:65536].decode("latin-1")):
        from gdstat.io.html import declared_charset

        encoding = declared_charset(data)
    text, used = decode(data, path, encoding)
    if looks_html(text):
        from gdstat.io.html import read_html

        return "html", read_html(path, text, table_format), used
    delimited = looks_delimited(text)
    return delimited or "text", _text_sheets(path, text, delimited, table_format), used


def _text_sheets(path: Path, text: str, delimited: str | None, table_format: str | None):
    """The grids of a text input: as delimited cells (an exported sheet), then rebuilt from its
    lines. Made one at a time: the second is not needed when the first was read in full."""
    from gdstat.io.delimited import read_delimited
    from gdstat.io.textreport import rebuild

    if delimited:
        sheet = read_delimited(path, text)
        sheet.kind = delimited
        yield sheet
    rebuilt = rebuild(text, str(path), table_format)
    if rebuilt is not None:
        yield rebuilt


STDIN = "-"


def read_report(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Report:
    """Read one input into a Report. Raises InputError when no statistics table is there.
    ``-`` reads standard input (any kind: it is kept in a temporary file while it is read)."""
    try:
        if str(path) == STDIN:
            return _read_stdin(encoding, table_format)
        return _read(Path(path), str(path), encoding, table_format)
    except limits.TooLarge as exc:  # a limit met while placing values names the input too
        raise exc.at("standard input" if str(path) == STDIN else str(path)) from None


def _read_stdin(encoding: str | None, table_format: str | None) -> Report:
    import sys
    import tempfile

    most = limits.get("input-bytes")
    data = sys.stdin.buffer.read(most + 1)
    limits.check("input-bytes", len(data), "standard input")
    with tempfile.TemporaryDirectory(prefix="gdstat-") as folder:
        temp = Path(folder) / "stdin"
        temp.write_bytes(data)
        try:
            report = _read(temp, STDIN, encoding, table_format)
        except InputError as exc:
            message = str(exc).replace(str(temp), "standard input")
            if message.startswith(f"{STDIN}: "):
                message = "standard input: " + message[len(STDIN) + 2:]
            raise InputError(message, exc.hint) from None
    # Readers of documents note places by the file they read: name it as the user did.
    from dataclasses import replace

    def named(location):
        return replace(location, path=STDIN) if location is not None and location.path == str(temp) else location

    return replace(report, notes=tuple(replace(n, location=named(n.location)) for n in report.notes))


def _read(path: Path, name: str, encoding: str | None, table_format: str | None) -> Report:
    """Read ``path``; ``name`` is how locations and messages call it."""
    from gdstat.io.locate import locate_sheet
    from gdstat.io.own import read_own

    head = _check(path)
    # gdstat's own outputs (text): read back by cell id, or refused; a workbook is never one
    if not head.startswith((ZIP_MAGIC, OLE_MAGIC)) and sniff(path, head) == "text":
        own = read_own(path, name)
        if own is not None:
            return own
    kind, sheets, used = read_grids(path, encoding, table_format, head)
    best = best_sheet = None
    readings = []
    for sheet in sheets:
        located = locate_sheet(sheet.rows, name, sheet.name, table_format or sheet.format, sheet.lines,
                               sheet.cut_off, sheet.placements, sheet.pending, sheet.ragged)
        readings.append((sheet, located))
        if located is None:
            continue
        if best is None or len(located.values) > len(best.values):
            best, best_sheet = located, sheet
        if kind in ("csv", "tsv") and all(cid in best.values for cid in best.format.cells):
            break  # every cell read from the delimited cells: rebuilding the text could add nothing
    if best is None or not best.values:
        raise InputError(
            f"{name}: no statistics table found",
            hint="gdstat looks for the official table labels (e.g. 申请答复数, 本年新收政府信息公开申请数量); "
            "check that this is the report or its statistics sheet, or name the format with --table-format",
        )
    if kind in ("xlsx", "xls", "ods") and len(sheets) > 1:
        best = _tables_from_other_sheets(best, [r for r in readings if r[0] is not best_sheet], name)
    notes = [*best_sheet.notes, *best.notes]
    agency, year = best.agency, best.year
    if best_sheet.text:
        from gdstat.io.narrative import check_narrative
        from gdstat.io.textreport import title_metadata

        text_agency, text_year = title_metadata(best_sheet.text)
        agency, year = text_agency or agency, text_year or year
        where = None if best_sheet.kind == "text" else "text"  # lines of a page's text, not of the file
        notes.extend(check_narrative(best_sheet.text, best.format, best.values, name, where))
    return Report(
        source=Source(name, best_sheet.kind or kind, best.sheet, used),
        format=best.format.id,
        agency=agency,
        year=year,
        values=best.values,
        notes=tuple(notes),
    )


def _tables_from_other_sheets(best, others, name: str):
    """A workbook may put each official table on its own sheet (表一, 表二, 表三): a table the best
    sheet lacks is taken from the sheet that holds most of it, read as the best sheet's format.
    ``others`` are (sheet, first reading) pairs; a sheet is read again only when that reading was
    of another format or found nothing (Table C alone carries no format's signature)."""
    from gdstat.io.locate import Located, locate_sheet

    fmt = best.format

    def table_of(cell_id: str) -> str:
        return fmt.rows[cell_id.partition("@")[0]].table

    have = {table_of(cell_id) for cell_id in best.values}
    readings = [r for r in (located if located is not None and located.format is fmt
                            else locate_sheet(s.rows, name, s.name, fmt.id, s.lines, s.cut_off, s.placements, s.pending,
                                              s.ragged)
                            for s, located in others) if r]
    values, notes, names = dict(best.values), list(best.notes), [best.sheet]
    for table in fmt.tables:
        if table.id in have:
            continue
        counts = [(sum(1 for c in r.values if table_of(c) == table.id), r) for r in readings]
        count, source = max(counts, key=lambda pair: pair[0], default=(0, None))
        if not count:
            continue
        values.update({c: v for c, v in source.values.items() if table_of(c) == table.id})
        notes = [n for n in notes if getattr(n, "table", None) != table.id
                 and not (n.code == "missing-row" and n.cells and table_of(n.cells[0]) == table.id)]
        if source.sheet not in names:
            names.append(source.sheet)
    if len(names) == 1:
        return best
    return Located(fmt, values, notes, best.agency or next((r.agency for r in readings if r.agency), None),
                   best.year or next((r.year for r in readings if r.year), None), "、".join(n or "" for n in names))
