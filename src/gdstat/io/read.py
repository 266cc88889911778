"""From a path to a Report: check the path, sniff the kind, read the grid, locate the tables."""

from __future__ import annotations

from pathlib import Path

from gdstat.errors import InputError
from gdstat.io.grid import Sheet
from gdstat.io.sniff import sniff
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
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise InputError(f"{path}: cannot be opened ({exc.strerror})", hint="check its permissions") from None
    if not head:
        raise InputError(f"{path}: the file is empty", hint="check that the file was saved or downloaded completely")
    return head


def read_grids(path: Path, encoding: str | None = None,
               table_format: str | None = None) -> tuple[str, list[Sheet], str | None]:
    """Return ``(kind, sheets, encoding)`` for any supported input. Documents (text, HTML, Word,
    PDF) give their tables as grids and, rebuilt from their text through the catalogue (of
    ``table_format`` when named), a second candidate grid; the one that yields more values wins."""
    head = _check(path)
    kind = sniff(path, head)
    if kind in ("xlsx", "xls", "ods"):
        from gdstat.io.spreadsheet import read_sheets

        return kind, read_sheets(path, kind), None
    if kind == "docx":
        from gdstat.io.docx import read_docx

        return kind, read_docx(path, table_format), None
    if kind == "pdf":
        from gdstat.io.pdf import read_pdf

        return kind, read_pdf(path, table_format), None
    from gdstat.io.delimited import decode, read_delimited
    from gdstat.io.sniff import looks_delimited, looks_html

    data = path.read_bytes()
    if encoding is None and looks_html(data[:65536].decode("latin-1")):
        from gdstat.io.html import declared_charset

        encoding = declared_charset(data)
    text, used = decode(data, path, encoding)
    if looks_html(text):
        from gdstat.io.html import read_html

        return "html", read_html(path, text, table_format), used
    from gdstat.io.textreport import rebuild

    sheets = []
    delimited = looks_delimited(text)
    if delimited:
        sheet = read_delimited(path, text)
        sheet.kind = delimited
        sheets.append(sheet)
    rebuilt = rebuild(text, str(path), table_format)
    if rebuilt is not None:
        sheets.append(rebuilt)
    return delimited or "text", sheets, used


STDIN = "-"


def read_report(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Report:
    """Read one input into a Report. Raises InputError when no statistics table is there.
    ``-`` reads standard input (any kind: it is kept in a temporary file while it is read)."""
    if str(path) == STDIN:
        return _read_stdin(encoding, table_format)
    return _read(Path(path), str(path), encoding, table_format)


def _read_stdin(encoding: str | None, table_format: str | None) -> Report:
    import sys
    import tempfile

    data = sys.stdin.buffer.read()
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

    if sniff(path, _check(path)) == "text":
        own = read_own(path, name)  # gdstat's own outputs: read back by cell id, or refused
        if own is not None:
            return own
    kind, sheets, used = read_grids(path, encoding, table_format)
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
