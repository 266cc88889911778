"""The official sheet layout of a format, computed from the catalogue as plain data.

A layout is a list of placed cells (text or a value slot) on one grid, each with the range it spans,
plus column widths and row heights. The xlsx writer only draws it; nothing here knows a format by
name. Rules of the drawing:

* ``list`` tables (legacy): a title, the ``统计指标 | 单位 | 统计数`` header, one line per row,
  group rows on their own line with ``——`` in the unit column, labels indented by their depth.
* ``grid`` tables: row labels over as many label columns as the hierarchy is deep; a group row has
  no line of its own but spans its children vertically (三、本年度办理结果 over 20 or 22 rows); column
  headers are as deep as the longest column path, shorter paths span down; the top-left corner holds
  the table's note or row header. Consecutive tables under one section heading (the 第二十条 blocks of
  Table A) form one physical table, each block under its caption.
* ``strip`` tables (Table C): the row hierarchy and then the column labels become the header, and
  one line carries every value.

One sheet holds tables of different shapes (Table B: 3 label columns and 7 values; Table C: 15
values), so the grid has as many columns as the widest table needs, and every table's columns span
whole grid columns: Table C takes one grid column a value, Table B's seven values line up with the
last seven of them and its labels take the rest, Table A's value columns take three each. Widths
then follow the text that has to fit in each grid column (see docs/write.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from gdstat.catalog import Format, Row, Table

LINE = 14.0  # points per line of 10.5-point text
PAD = 5.0  # points above and below the text of a row
MIN_HEIGHT = 18.0
MIN_VALUE_WIDTH = 6.5  # Excel width units (one digit of the default font); fits six digits
PAGE = 96.0  # Excel width units across an A4 portrait page within its margins
PAGE_PIXELS = 698  # (210 mm - 2 x 0.5 in) at 96 dpi
PAGE_POINTS = 0.95 * (842 - 2 * 0.6 * 72)  # A4 height within 0.6 in margins, with a little to spare


@dataclass
class Placed:
    row: int  # 1-based sheet row
    col: int  # 1-based sheet column
    text: str | None = None
    cell_id: str | None = None  # a value slot for this official cell
    role: str = "label"  # title, section, caption, header, label, unit, value, note
    indent: int = 0
    bold: bool = False
    to_row: int = 0  # bottom-right of the range the cell spans (set by put)
    to_col: int = 0


@dataclass
class Layout:
    format: str = ""  # the catalogue format id the layout was built from
    width: int = 0
    cells: list[Placed] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    header_rows: list[int] = field(default_factory=list)  # rows to repeat when printing
    table_headers: list[tuple[list[int], int]] = field(default_factory=list)  # header rows, last row
    page_breaks: list[int] = field(default_factory=list)  # a new page starts after these rows
    widths: dict[int, float] = field(default_factory=dict)
    min_widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    row: int = 1

    def put(self, row: int, col: int, text=None, *, cell_id=None, role="label", indent=0, bold=False,
            to_row=None, to_col=None) -> Placed:
        to_row, to_col = to_row or row, to_col or col
        placed = Placed(row, col, text, cell_id, role, indent, bold, to_row, to_col)
        self.cells.append(placed)
        if (to_row, to_col) != (row, col):
            self.merges.append((row, col, to_row, to_col))
        self.width = max(self.width, to_col)
        self.row = max(self.row, to_row)
        return placed

    def slots(self) -> dict[str, tuple[int, int]]:
        """Cell id -> (row, column) of the sheet cell that holds its value."""
        return {p.cell_id: (p.row, p.col) for p in self.cells if p.cell_id}


def title_text(fmt: Format, agency: str | None, year: int | None) -> str:
    """The sheet title; a missing year is a blank to fill in (``______年度``)."""
    return fmt.title.format(agency=agency or "", year=year if year else "______")


def build(fmt: Format, agency: str | None = None, year: int | None = None) -> Layout:
    width = _grid_width(fmt)
    layout = Layout(format=fmt.id, width=width)
    layout.put(1, 1, title_text(fmt, agency, year), role="title", to_col=width)
    r = 3
    previous: Table | None = None
    blocks = [1]  # first row of each section: a page break may go before it
    for table in fmt.tables:
        if previous is not None and table.section != previous.section:
            r += 1  # a blank line between sections
            blocks.append(r)
        if table.section and (previous is None or table.section != previous.section):
            layout.put(r, 1, table.section, role="section", to_col=width)
            r += 1
        start = len(layout.cells)
        r = {"list": _list, "grid": _grid, "strip": _strip}[table.layout](layout, fmt, table, r)
        if table.layout != "list":  # a list table's one label column is wide; the others are narrow
            _narrow(layout.cells[start:])
        layout.table_headers[-1] = (layout.table_headers[-1], r - 1)
        previous = table
    _size(layout, fmt)
    _paginate(layout, blocks)
    return layout


# ----------------------------------------------------------------------------- the grid


def _depth(table: Table, row: Row) -> int:
    return len(table.row_path(row)) - 1


def _label_depth(table: Table) -> int:
    return max(_depth(table, row) for row in table.rows) + 1


def _strip_count(table: Table) -> int:
    return len(table.columns) * len(table.data_rows)


def _grid_width(fmt: Format) -> int:
    """Grid columns: as many as the widest table needs (3 for legacy, 15 for Table C)."""
    needs = []
    for table in fmt.tables:
        if table.layout == "list":
            needs.append(3)
        elif table.layout == "strip":
            needs.append(_strip_count(table))
        else:
            needs.append(_label_depth(table) + len(table.columns))
    return max(needs)


def _slots(fmt: Format, table: Table) -> int:
    """Value columns of the widest sibling table: blocks under one row header share their columns."""
    return max(len(t.columns) for t in fmt.tables
               if t.layout == "grid" and t.row_header == table.row_header and t.note == table.note)


def _spans(start: int, stop: int, count: int, each: int | None = None) -> list[tuple[int, int]]:
    """``count`` ranges of ``each`` grid columns from ``start``; the last one reaches ``stop``."""
    each = each or max(1, (stop - start + 1) // count)
    spans = [(start + i * each, start + (i + 1) * each - 1) for i in range(count)]
    spans[-1] = (spans[-1][0], stop)
    return spans


# ----------------------------------------------------------------------------- table layouts


def _list(layout: Layout, fmt: Format, table: Table, r: int) -> int:
    layout.put(r, 1, table.row_header, role="header")
    layout.put(r, 2, table.unit_header, role="header")
    layout.put(r, 3, table.value_header, role="header", to_col=layout.width)
    layout.table_headers.append([r])
    layout.min_widths.update({2: 8.0, 3: 12.0})  # the unit and 统计数 columns of a one-value table
    for row in table.rows:
        r += 1
        depth = _depth(table, row)
        layout.put(r, 1, row.label, role="label", indent=depth, bold=depth == 0)
        if row.is_data:
            layout.put(r, 2, row.unit, role="unit")
            layout.put(r, 3, cell_id=table.cell_id(row, None), role="value", to_col=layout.width)
        else:
            layout.put(r, 2, "——", role="unit")
            layout.put(r, 3, None, role="unit", to_col=layout.width)
    return r + 1


def _grid(layout: Layout, fmt: Format, table: Table, r: int) -> int:
    width = layout.width
    depth = _label_depth(table)
    slots = _slots(fmt, table)
    each = max(1, width // (slots + depth))
    label_end = width - slots * each
    levels = [(k + 1, k + 1) for k in range(depth - 1)] + [(depth, label_end)]
    n = len(table.columns)
    spans = _spans(label_end + 1, width, n, each)
    if table.caption:
        layout.put(r, 1, table.caption, role="caption", to_col=width)
        r += 1
    paths = [c.path or (c.label,) for c in table.columns]
    header_depth = max(len(p) for p in paths)
    corner = table.note or table.row_header
    layout.put(r, 1, corner, role="note" if table.note else "header", to_row=r + header_depth - 1, to_col=label_end)
    for level in range(header_depth):
        i = 0
        while i < n:
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            j = i
            while (j + 1 < n and len(path) > level + 1 and len(paths[j + 1]) > level + 1
                   and paths[j + 1][: level + 1] == path[: level + 1]):
                j += 1  # a group label shared by neighbouring columns spans them
            bottom = r + header_depth - 1 if len(path) == level + 1 else r + level
            layout.put(r + level, spans[i][0], path[level], role="header", to_row=bottom, to_col=spans[j][1])
            i = j + 1
    layout.table_headers.append(list(range(r, r + header_depth)))
    r += header_depth
    lines = table.data_rows
    for k, row in enumerate(lines):
        level = _depth(table, row)
        layout.put(r + k, levels[level][0], row.label, role="label", to_col=label_end)
        for column, (first, last) in zip(table.columns, spans):
            layout.put(r + k, first, cell_id=table.cell_id(row, column), role="value", to_col=last)
    # group rows span their descendants' lines in their own label column
    for group in (row for row in table.rows if not row.is_data):
        members = [k for k, row in enumerate(lines) if group.label in table.row_path(row)[:-1]]
        if members:
            first, last = levels[_depth(table, group)]
            layout.put(r + members[0], first, group.label, role="label", to_row=r + members[-1], to_col=last)
    return r + len(lines)


def _strip(layout: Layout, fmt: Format, table: Table, r: int) -> int:
    leaves = table.data_rows
    depth = max(_depth(table, row) for row in leaves) + 1  # levels of row labels in the header
    per = len(table.columns)
    spans = _spans(1, layout.width, _strip_count(table))
    for k, leaf in enumerate(leaves):
        path = table.row_path(leaf)
        for level, label in enumerate(path):
            if k > 0 and table.row_path(leaves[k - 1])[: level + 1] == path[: level + 1]:
                continue
            last_leaf = k
            while last_leaf + 1 < len(leaves) and table.row_path(leaves[last_leaf + 1])[: level + 1] == path[: level + 1]:
                last_leaf += 1
            layout.put(r + level, spans[k * per][0], label, role="header", to_col=spans[last_leaf * per + per - 1][1])
        for i, column in enumerate(table.columns):
            first, last = spans[k * per + i]
            layout.put(r + len(path), first, column.label, role="header", to_row=r + depth, to_col=last)
            layout.put(r + depth + 1, first, cell_id=table.cell_id(leaf, column), role="value", to_col=last)
    layout.table_headers.append(list(range(r, r + depth + 1)))
    return r + depth + 2


# ----------------------------------------------------------------------------- sizes


def text_width(text: str) -> int:
    """Width in Excel units (one digit of the default font): CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NARROW = 4  # characters a line in a one-column header or group label
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _chunks(text: str, most: int) -> list[str]:
    count = math.ceil(len(text) / most)
    size = math.ceil(len(text) / count) if count else 1
    return [text[i:i + size] for i in range(0, len(text), size)]


def narrow_text(text: str) -> str:
    """A label for a one-column cell, broken into short lines where a reader expects them.

    ``社会公益组织`` -> ``社会公\n益组织``; ``（三）不予公开`` -> ``（三）\n不予公开``. Explicit breaks wrap
    the same way in Excel, WPS and LibreOffice; the loader ignores them (labels are matched without
    whitespace).
    """
    prefix = _PREFIX.match(text)
    if prefix:
        head, rest = prefix.group(0), text[prefix.end():]
        return "\n".join([head, *_chunks(rest, NARROW)]) if rest else head
    if len(text) <= 3:
        return text
    return "\n".join(_chunks(text, math.ceil(len(text) / 2)))


def _narrow(cells: list[Placed]) -> None:
    for placed in cells:
        if placed.text and placed.col == placed.to_col and (
                placed.role == "header" or (placed.role == "label" and placed.to_row > placed.row)):
            placed.text = narrow_text(placed.text)


def _size(layout: Layout, fmt: Format) -> None:
    """Column widths that fit the labels, then row heights that fit the wrapped text.

    Narrow headers and group labels already carry their line breaks (``narrow_text``); any other
    text gets one line if the page allows: its columns may take what an A4 portrait page leaves
    beside the other columns of the sheet, and longer labels wrap.
    """
    widths = {c: layout.min_widths.get(c, MIN_VALUE_WIDTH) for c in range(1, layout.width + 1)}
    texts = [p for p in layout.cells if p.text and p.role in ("header", "label", "unit", "caption", "note")]
    for placed in sorted(texts, key=lambda p: p.to_col - p.col):
        span = range(placed.col, placed.to_col + 1)
        need = max(text_width(line) for line in placed.text.split("\n")) + 2 * placed.indent + 2
        if "\n" not in placed.text:  # broken lines must fit; other text may wrap
            need = min(need, PAGE - sum(w for c, w in widths.items() if c not in span))
        have = sum(widths[c] for c in span)
        if have < need:
            for c in span:
                widths[c] += (need - have) / len(span)
    layout.widths = {c: round(w, 1) for c, w in widths.items()}
    heights = {p.row: MIN_HEIGHT for p in layout.cells}
    for placed in layout.cells:
        if not placed.text:
            continue
        room = max(sum(layout.widths[c] for c in range(placed.col, placed.to_col + 1)) - 1.5 - 2 * placed.indent, 1.0)
        lines = sum(max(1, math.ceil(text_width(line) / room)) for line in placed.text.split("\n"))
        size = LINE * (1.6 if placed.role == "title" else 1.0)
        need = (lines * size + PAD) / (placed.to_row - placed.row + 1)
        heights[placed.row] = max(heights[placed.row], need)
    layout.heights = {row: round(h, 1) for row, h in heights.items()}


def _paginate(layout: Layout, blocks: list[int]) -> None:
    """Keep each section on one page where it fits, and repeat the header of a table that does not.

    The page is A4 portrait within the margins the writer sets, scaled to fit the sheet's width
    (as the print setup asks the spreadsheet program to do).
    """
    pixels = sum(int(w * 7 + 5) for w in layout.widths.values())
    scale = min(1.0, PAGE_PIXELS / pixels)
    room = PAGE_POINTS / scale
    height = lambda first, last: sum(layout.heights.get(r, 15.0) for r in range(first, last + 1))  # noqa: E731
    ends = [*[b - 1 for b in blocks[1:]], layout.row]
    used = 0.0
    for first, last in zip(blocks, ends):
        need = height(first, last)
        if used and used + need > room:
            layout.page_breaks.append(first - 1)
            used = 0.0
        used += need
    for rows, last in layout.table_headers:
        if height(min(rows), last) > room and not layout.header_rows:
            layout.header_rows = rows
