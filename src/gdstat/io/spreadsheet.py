"""Spreadsheets (xlsx, xlsm, xls, ods) through python-calamine: fast, read-only."""

from __future__ import annotations

from pathlib import Path

from gdstat.errors import InputError
from gdstat.io.grid import Sheet


def read_sheets(path: Path, kind: str, archive=None) -> list[Sheet]:
    """Every sheet's grid; ``archive``: an xlsx already opened as a zip archive, to look for formulas in."""
    import python_calamine

    # Formulas saved without their value (files written by programs) read as empty in calamine.
    formulas = {}
    if kind == "xlsx":
        from gdstat.io.formulas import uncached_formulas

        formulas = uncached_formulas(archive or path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if name in formulas:
                from gdstat.io.formulas import fill_formulas

                rows = fill_formulas(rows, formulas[name])
            sheets.append(Sheet(name, rows))
        workbook.close()
    except Exception as exc:  # calamine raises its own error types per format
        raise InputError(
            f"{path}: the {kind} workbook could not be read ({exc})",
            hint="open it in Excel or WPS and save it again",
        ) from None
    return sheets
