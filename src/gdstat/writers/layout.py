"""The official sheet layout of a format, computed from the catalogue as plain data.

A layout is a list of placed cells (text or a value slot) and merged ranges on one grid. The xlsx
writer only draws it; nothing here knows a format by name. Rules of the drawing:

* ``list`` tables (legacy): a title, the ``统计指标 | 单位 | 统计数`` header, one line per row,
  group rows on their own line with ``——`` in the unit column.
* ``grid`` tables: row labels over as many label columns as the hierarchy is deep; a group row has
  no line of its own but spans its children vertically (三、本年度办理结果 over 20 or 22 rows); column
  headers are as deep as the longest column path, shorter paths span down; the top-left corner holds
  the table's note or row header.
* ``strip`` tables (Table C): the row hierarchy and then the column labels become the header, and
  one line carries every value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gdstat.catalog import Format, Row, Table


@dataclass
class Placed:
    row: int  # 1-based sheet row
    col: int  # 1-based sheet column
    text: str | None = None
    cell_id: str | None = None  # a value slot for this official cell
    role: str = "label"  # title, section, caption, header, label, unit, value, note
    indent: int = 0


@dataclass
class Layout:
    width: int = 0
    cells: list[Placed] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    header_rows: list[int] = field(default_factory=list)  # rows to repeat when printing
    row: int = 1

    def put(self, row: int, col: int, text=None, *, cell_id=None, role="label", indent=0, to_row=None, to_col=None):
        self.cells.append(Placed(row, col, text, cell_id, role, indent))
        to_row, to_col = to_row or row, to_col or col
        if (to_row, to_col) != (row, col):
            self.merges.append((row, col, to_row, to_col))
        self.width = max(self.width, to_col)

    def slots(self) -> dict[str, tuple[int, int]]:
        return {p.cell_id: (p.row, p.col) for p in self.cells if p.cell_id}


def title_text(fmt: Format, agency: str | None, year: int | None) -> str:
    when = f"{year}年度" if year else "    年度"
    kind = "政府信息公开工作情况统计表" if fmt.tables[0].layout == "list" else "政府信息公开工作年度报告统计表"
    return f"{agency or ''}{when}{kind}"


def build(fmt: Format, agency: str | None = None, year: int | None = None) -> Layout:
    layout = Layout()
    width = _width(fmt)
    layout.put(1, 1, title_text(fmt, agency, year), role="title", to_col=width)
    layout.row = 3
    section = None
    for table in fmt.tables:
        if table.section and table.section != section:
            section = table.section
            layout.put(layout.row, 1, section, role="section", to_col=width)
            layout.row += 1
        {"list": _list, "grid": _grid, "strip": _strip}[table.layout](layout, table, width)
        layout.row += 1
    layout.width = width
    return layout


def _width(fmt: Format) -> int:
    widths = []
    for table in fmt.tables:
        if table.layout == "list":
            widths.append(3)
        elif table.layout == "strip":
            widths.append(len(table.columns) * len(table.data_rows))
        else:
            widths.append(_label_depth(table) + len(table.columns))
    return max(widths)


def _depth(table: Table, row: Row) -> int:
    return len(table.row_path(row)) - 1


def _label_depth(table: Table) -> int:
    return max(_depth(table, row) for row in table.rows) + 1


def _list(layout: Layout, table: Table, width: int) -> None:
    r = layout.row
    layout.put(r, 1, table.row_header, role="header")
    layout.put(r, 2, table.unit_header, role="header")
    layout.put(r, 3, table.value_header, role="header")
    layout.header_rows.append(r)
    for row in table.rows:
        r += 1
        layout.put(r, 1, row.label, role="label", indent=_depth(table, row))
        if row.is_data:
            layout.put(r, 2, row.unit, role="unit")
            layout.put(r, 3, cell_id=table.cell_id(row, None), role="value")
        else:
            layout.put(r, 2, "——", role="unit")
            layout.put(r, 3, None, role="unit")
    layout.row = r + 1


def _grid(layout: Layout, table: Table, width: int) -> None:
    r = layout.row
    depth = _label_depth(table)
    n = len(table.columns)
    span = max(1, (width - depth) // n) if n == 1 else 1  # a single value column spans the rest
    if table.caption:
        layout.put(r, 1, table.caption, role="caption", to_col=depth + n * span)
        r += 1
    header_depth = max(len(c.path) or 1 for c in table.columns)
    corner = table.note or table.row_header
    layout.put(r, 1, corner, role="note" if table.note else "header", to_row=r + header_depth - 1, to_col=depth)
    done: set[tuple[int, str]] = set()
    for i, column in enumerate(table.columns):
        path = column.path or (column.label,)
        col = depth + 1 + i * span
        for level, label in enumerate(path):
            if (level, label) in done and level < len(path) - 1:
                continue
            # a path element shared by neighbouring columns spans them
            last = i
            while last + 1 < n and len(table.columns[last + 1].path) > level + 1 and \
                    table.columns[last + 1].path[: level + 1] == path[: level + 1] and level < len(path) - 1:
                last += 1
            done.add((level, label))
            to_row = r + header_depth - 1 if level == len(path) - 1 else r + level
            layout.put(r + level, col, label, role="header", to_row=to_row, to_col=depth + (last + 1) * span)
    layout.header_rows.extend(range(r, r + header_depth))
    r += header_depth
    lines = [row for row in table.rows if row.is_data]
    first_line = {}
    for k, row in enumerate(lines):
        first_line.setdefault(row.id, r + k)
    for k, row in enumerate(lines):
        line = r + k
        level = _depth(table, row)
        layout.put(line, level + 1, row.label, role="label", to_col=depth)
        for i, column in enumerate(table.columns):
            col = depth + 1 + i * span
            layout.put(line, col, cell_id=table.cell_id(row, column), role="value", to_col=col + span - 1)
    # group rows span their descendants' lines in their own label column
    for group in (row for row in table.rows if not row.is_data):
        members = [k for k, row in enumerate(lines) if group.label in table.row_path(row)[:-1]]
        if members:
            layout.put(r + members[0], _depth(table, group) + 1, group.label, role="label",
                       to_row=r + members[-1])
    layout.row = r + len(lines)


def _strip(layout: Layout, table: Table, width: int) -> None:
    r = layout.row
    leaves = table.data_rows
    depth = max(_depth(table, row) for row in leaves) + 1  # levels of row labels in the header
    per = len(table.columns)
    for k, leaf in enumerate(leaves):
        first = 1 + k * per
        path = table.row_path(leaf)
        for level, label in enumerate(path):
            last_leaf = k
            while last_leaf + 1 < len(leaves) and table.row_path(leaves[last_leaf + 1])[: level + 1] == path[: level + 1]:
                last_leaf += 1
            if k > 0 and table.row_path(leaves[k - 1])[: level + 1] == path[: level + 1]:
                continue
            layout.put(r + level, first, label, role="header", to_col=last_leaf * per + per)
        for i, column in enumerate(table.columns):
            top = r + len(path)
            layout.put(top, first + i, column.label, role="header", to_row=r + depth)
            layout.put(r + depth + 1, first + i, cell_id=table.cell_id(leaf, column), role="value")
    layout.header_rows.extend(range(r, r + depth + 1))
    layout.row = r + depth + 2
