"""From a path to a Report: check the path, sniff the kind, read the grid, locate the tables."""

from __future__ import annotations

from pathlib import Path

from gdstat.errors import InputError
from gdstat.io.grid import Sheet
from gdstat.io.sniff import sniff
from gdstat.report import Report, Source


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


def read_grids(path: Path, encoding: str | None = None) -> tuple[str, list[Sheet], str | None]:
    """Return ``(kind, sheets, encoding)`` for any supported input."""
    head = _check(path)
    kind = sniff(path, head)
    if kind in ("xlsx", "xls", "ods"):
        from gdstat.io.spreadsheet import read_sheets

        return kind, read_sheets(path, kind), None
    from gdstat.io.delimited import decode, read_delimited

    text, used = decode(path.read_bytes(), path, encoding)
    sheet = read_delimited(path, text)
    kind = "tsv" if "\t" in text[:8192] and text[:8192].count("\t") > text[:8192].count(",") else "csv"
    return kind, [sheet], used


def read_report(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Report:
    """Read one input into a Report. Raises InputError when no statistics table is there."""
    from gdstat.io.locate import locate_sheet

    path = Path(path)
    kind, sheets, used = read_grids(path, encoding)
    best = None
    for sheet in sheets:
        located = locate_sheet(sheet.rows, str(path), sheet.name, table_format, sheet.lines)
        if located is None:
            continue
        if best is None or len(located.values) > len(best.values):
            best = located
    if best is None or not best.values:
        raise InputError(
            f"{path}: no statistics table found",
            hint="gdstat looks for the official table labels (e.g. 申请答复数, 本年新收政府信息公开申请数量); "
            "check that this is the statistics sheet, or name the format with --table-format",
        )
    return Report(
        source=Source(str(path), kind, best.sheet, used),
        format=best.format.id,
        agency=best.agency,
        year=best.year,
        values=best.values,
        notes=tuple(best.notes),
    )
