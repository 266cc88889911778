"""A sheet as a grid of raw cell values, whatever file it came from.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from dataclasses import dataclass, field


class _Absent:
    """A grid cell whose value is not known (a row whose numbers could not be placed with
    certainty, or the cells after a cut-off): nothing is stored for it, not even a blank."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


@dataclass
class Sheet:
    """A sheet's rows of raw cell values, with what its reader knows about them."""

    name: str | None
    rows: list[list]
    # For text inputs: the 1-based source line of each grid row, or of each cell of a row
    # (a list per row) when cells come from different lines (None for spreadsheets).
    lines: list | None = None
    # What the reader made of the input (text, html, docx, pdf ...) when it differs per sheet.
    kind: str | None = None
    # The document's running text, for metadata and the narrative check (documents only).
    text: str | None = None
    # The format a reader already recognised (text rebuilt through the catalogue), if any.
    format: str | None = None
    # The input ends inside the tables (a page cut off mid-table): tables never reached are named.
    cut_off: bool = False
    # Notes the reader made while rebuilding the grid (ambiguous rows, cut-off tables).
    notes: list = field(default_factory=list)
    # How a reader that rebuilt the grid placed each value cell: (row, column) -> placement.
    placements: dict = field(default_factory=dict)
    # Rows cut by a delimiter (CSV, TSV): a short row may have lost empty cells before its numbers.
    ragged: bool = False
    # Rows whose numbers the reader could not place (io.placement.Pending): the arithmetic decides.
    pending: list = field(default_factory=list)
