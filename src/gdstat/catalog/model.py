"""Model of a format catalogue: tables, rows, columns, cells, rules and metrics.

Loaded once per process from package data; every other module asks the catalogue instead of
knowing a format.

The classes are made without ``from __future__ import annotations`` and each has a docstring: both
spare ``dataclass`` work (resolving string annotations, writing a signature as the docstring) at
every start.
"""

import marshal
import os
import sys
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from gdstat.errors import UsageError

CATALOG = Path(__file__).parent


@dataclass(frozen=True)
class Column:
    """A column of a table; its ``unit`` and ``number`` kind, when set, win over the row's."""

    id: str
    label: str
    label_en: str
    path: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class Row:
    """A row of a table: a ``data`` row holds values, a ``header`` row groups the rows whose ``parent`` it is."""

    id: str
    code: str
    label: str
    label_en: str
    table: str
    unit: str | None = None
    kind: str = "data"
    parent: str | None = None
    number: str = "int"
    aliases: tuple[str, ...] = ()

    @property
    def is_data(self) -> bool:
        return self.kind == "data"


@dataclass(frozen=True)
class Cell:
    """One official cell: a data row in one column (``column`` is None in ``list`` tables)."""

    id: str
    table: "Table"
    row: Row
    column: Column | None
    row_path: tuple[str, ...]

    @property
    def unit(self) -> str | None:
        return (self.column and self.column.unit) or self.row.unit

    @property
    def number(self) -> str:
        return (self.column and self.column.number) or self.row.number

    def label(self, lang: str = "zh") -> str:
        """Short human name: the row label, plus the column label where there are columns."""
        row = self.row.label if lang == "zh" else self.row.label_en
        if self.column is None:
            return row
        column = self.column.label if lang == "zh" else self.column.label_en
        return f"{row}（{column}）" if lang == "zh" else f"{row} ({column})"

    @property
    def column_path(self) -> tuple[str, ...]:
        if self.column is None:
            return ()
        return self.column.path or (self.column.label,)


@dataclass(frozen=True)
class Table:
    """One of a format's tables, laid out as ``grid``, ``strip`` or ``list`` (see SCHEMA.md)."""

    id: str
    label: str
    label_en: str
    layout: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()
    section: str | None = None
    caption: str | None = None
    row_header: str | None = None
    note: str | None = None
    value_header: str | None = None
    unit_header: str | None = None

    @cached_property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.is_data)

    def row_path(self, row: Row) -> tuple[str, ...]:
        by_id = {r.id: r for r in self.rows}
        path = [row.label]
        parent = row.parent
        while parent:
            path.append(by_id[parent].label)
            parent = by_id[parent].parent
        return tuple(reversed(path))

    def cell_id(self, row: Row, column: Column | None) -> str:
        return row.id if column is None else f"{row.id}@{column.id}"


@dataclass(frozen=True)
class Rule:
    """A check of the format: its ``kind`` and the keys of that kind in ``spec`` (see SCHEMA.md)."""

    id: str
    kind: str
    severity: str
    code: str
    text: str
    text_en: str
    spec: dict = field(hash=False, compare=False)

    def get(self, key: str, default=None):
        return self.spec.get(key, default)


@dataclass(frozen=True)
class Metric:
    """A share the format derives (a percentage): its ``numerator`` terms over its ``denominator`` terms."""

    id: str
    label: str
    label_en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


@dataclass(frozen=True)
class Format:
    """One official format: its tables, rules and metrics, and the ``signatures`` that detect it."""

    id: str
    name: str
    name_en: str
    authority: str
    years: str
    signatures: tuple[str, ...]
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]
    metrics: tuple[Metric, ...]
    title: str = "{agency}{year}"

    @cached_property
    def cells(self) -> dict[str, Cell]:
        """Every official cell of the format, in official order, by cell id."""
        cells: dict[str, Cell] = {}
        for table in self.tables:
            for row in table.data_rows:
                path = table.row_path(row)
                for column in table.columns or (None,):
                    cid = table.cell_id(row, column)
                    cells[cid] = Cell(cid, table, row, column, path)
        return cells

    @cached_property
    def cells_by_table(self) -> dict[str, dict[str, Cell]]:
        """Each table's official cells, in official order, by table id and cell id."""
        by_table: dict[str, dict[str, Cell]] = {table.id: {} for table in self.tables}
        for cid, cell in self.cells.items():
            by_table[cell.table.id][cid] = cell
        return by_table

    @cached_property
    def rows(self) -> dict[str, Row]:
        return {row.id: row for table in self.tables for row in table.rows}

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


def _tuple(value) -> tuple:
    return tuple(value or ())


def _parse(data: dict) -> Format:
    tables = []
    for t in data["tables"]:
        columns = tuple(
            Column(
                id=c["id"],
                label=c["label"],
                label_en=c["label_en"],
                path=_tuple(c.get("path")),
                aliases=_tuple(c.get("aliases")),
                unit=c.get("unit"),
                number=c.get("number"),
            )
            for c in t.get("columns", ())
        )
        rows = tuple(
            Row(
                id=r["id"],
                code=r["code"],
                label=r["label"],
                label_en=r["label_en"],
                table=t["id"],
                unit=r.get("unit"),
                kind=r.get("kind", "data"),
                parent=r.get("parent"),
                number=r.get("number", "int"),
                aliases=_tuple(r.get("aliases")),
            )
            for r in t["rows"]
        )
        tables.append(
            Table(
                id=t["id"],
                label=t["label"],
                label_en=t["label_en"],
                layout=t["layout"],
                rows=rows,
                columns=columns,
                section=t.get("section"),
                caption=t.get("caption"),
                row_header=t.get("row_header"),
                note=t.get("note"),
                value_header=t.get("value_header"),
                unit_header=t.get("unit_header"),
            )
        )
    rules = tuple(
        Rule(
            id=r["id"],
            kind=r["kind"],
            severity=r["severity"],
            code=r["code"],
            text=r["text"],
            text_en=r["text_en"],
            spec=r,
        )
        for r in data.get("rules", ())
    )
    metrics = tuple(
        Metric(
            id=m["id"],
            label=m["label"],
            label_en=m["label_en"],
            numerator=_tuple(m["numerator"]),
            denominator=_tuple(m["denominator"]),
        )
        for m in data.get("metrics", ())
    )
    return Format(
        id=data["id"],
        name=data["name"],
        name_en=data["name_en"],
        authority=data["authority"],
        years=data["years"],
        signatures=_tuple(data.get("signatures")),
        tables=tuple(tables),
        rules=rules,
        metrics=metrics,
        title=data.get("title", "{agency}{year}"),
    )


FORMAT_IDS = ("legacy", "2019", "2021")


def format_ids() -> tuple[str, ...]:
    return FORMAT_IDS


@lru_cache(maxsize=None)
def load_signatures() -> dict[str, tuple[str, ...]]:
    """Each format's signature labels, from ``signatures.toml``: detecting a format needs no catalogue."""
    return {format_id: tuple(labels) for format_id, labels in read_toml(CATALOG / "signatures.toml").items()}


@lru_cache(maxsize=None)
def load_format(format_id: str) -> Format:
    """The catalogue of one format (``legacy``, ``2019``, ``2021``)."""
    if format_id not in FORMAT_IDS:
        raise UsageError(
            f"unknown table format {format_id!r}",
            hint=f"choose one of: {', '.join(FORMAT_IDS)}",
        )
    return _parse(read_toml(CATALOG / "formats" / f"{format_id}.toml"))


def read_toml(source: Path) -> dict:
    """A TOML file of the catalogue, parsed.

    tomllib takes milliseconds for a format's file, more than reading a report does. So the parsed
    data is also kept in ``__pycache__`` beside the file, as Python keeps compiled modules, and is
    taken from there only while it was made from the very bytes the file holds now (their length
    and CRC-32, and a CRC-32 of the kept data itself). Like bytecode, it is not written where
    Python is told to write none (``PYTHONDONTWRITEBYTECODE``, ``-B``) or cannot write."""
    raw = source.read_bytes()
    stamp = len(raw).to_bytes(8, "little") + _crc(raw)
    kept = source.parent / "__pycache__" / f"{source.name}.{sys.implementation.cache_tag}.marshal"
    try:
        blob = kept.read_bytes()
        payload = blob[16:]
        if blob[:16] == stamp + _crc(payload):
            return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):  # none kept yet, or unreadable: parsed again
        pass
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    if not sys.dont_write_bytecode:
        _keep(kept, stamp, data)
    return data


def _keep(kept: Path, stamp: bytes, data: dict) -> None:
    """Write the parsed data for the next process, atomically; where that cannot be done (a
    read-only installation), every process parses the file."""
    temp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        payload = marshal.dumps(data)
        kept.parent.mkdir(exist_ok=True)
        temp.write_bytes(stamp + _crc(payload) + payload)
        os.replace(temp, kept)
    except (OSError, ValueError):  # ValueError: data marshal cannot hold (a TOML date)
        with suppress(OSError):
            temp.unlink(missing_ok=True)


def _crc(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "little")
