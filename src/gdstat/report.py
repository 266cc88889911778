"""The Report: what was read from one input, every value with the place it came from.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

Number = int | Decimal


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# A sheet makes a Value and a Location for each of its hundreds of cells. The __init__ dataclass
# generates for a frozen class sets each field through object.__setattr__ by name; the two below
# set the slots directly, three times faster, with the same fields, defaults and freezing.


@dataclass(frozen=True, slots=True, init=False)
class Location:
    """Where a value was read: a sheet cell (A1) or a line of a text file."""

    path: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def __init__(self, path: str, sheet: str | None = None, cell: str | None = None, line: int | None = None):
        _set_path(self, path)
        _set_sheet(self, sheet)
        _set_cell(self, cell)
        _set_line(self, line)

    def __str__(self) -> str:
        where = self.path
        if self.sheet:
            where += f"!{self.sheet}"
        if self.cell:
            where += f"!{self.cell}"
        if self.line is not None:
            where += f":{self.line}"
        return where

    def to_dict(self) -> dict:
        return {"path": self.path, "sheet": self.sheet, "cell": self.cell, "line": self.line}


_set_path, _set_sheet, _set_cell, _set_line = (Location.__dict__[name].__set__ for name in ("path", "sheet", "cell", "line"))


@dataclass(frozen=True, slots=True, init=False)
class Value:
    """One official cell as read.

    ``kind`` is ``number``, ``blank`` (nothing written: missing), ``not-applicable`` (``/``, ``-``,
    ``—``, ``无``) or ``text`` (words where a number belongs). Only ``number`` has a ``value``; a
    blank is never 0. ``placement`` is None for values gdstat computed rather than read. ``unit`` is a unit written inside the cell (``251000元``), if any.
    """

    id: str
    value: Number | None
    kind: str
    raw: str
    location: Location | None = None
    unit: str | None = None
    placement: str | None = None  # how its cell was determined: labelled, aligned, arithmetic (see io.placement)

    def __init__(self, id: str, value: Number | None, kind: str, raw: str, location: Location | None = None,
                 unit: str | None = None, placement: str | None = None):
        _set_id(self, id)
        _set_value(self, value)
        _set_kind(self, kind)
        _set_raw(self, raw)
        _set_location(self, location)
        _set_unit(self, unit)
        _set_placement(self, placement)

    @property
    def reported(self) -> bool:
        return self.value is not None


_set_id, _set_value, _set_kind, _set_raw, _set_location, _set_unit, _set_placement = (
    Value.__dict__[name].__set__ for name in ("id", "value", "kind", "raw", "location", "unit", "placement"))


@dataclass(frozen=True)
class Source:
    """The input a report was read from: its path, kind, and the sheet or encoding read."""

    path: str
    kind: str  # xlsx, xls, ods, csv, ...
    sheet: str | None = None
    encoding: str | None = None

    def to_dict(self) -> dict:
        return {"path": self.path, "kind": self.kind, "sheet": self.sheet, "encoding": self.encoding}


@dataclass(frozen=True)
class Report:
    """A report read from one input: its format, metadata and values by cell id.

    ``notes`` holds what loading observed but could not place (unknown rows, missing rows, text in
    number cells); the rule engine turns them into findings.
    """

    source: Source
    format: str
    agency: str | None
    year: int | None
    values: dict[str, Value]
    notes: tuple = field(default=())

    @cached_property
    def has_subtotals(self) -> bool:
        """Whether a value sits on a cell its format does not have (a group's subtotal)."""
        from gdstat.catalog import load_format

        return not self.values.keys() <= load_format(self.format).cells.keys()

    def number(self, cell_id: str) -> Number | None:
        value = self.values.get(cell_id)
        return value.value if value is not None else None
