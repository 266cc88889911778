"""Find the official tables in a grid of cells, wherever they sit, and read every value.

The catalogue drives everything: rows are recognised by the cores of their official labels (and
aliases), columns by the header labels above them, the format by labels only it prints. Layout
differences seen in real sheets (title rows, a 序号 column, merged headers, offsets, spacer rows,
notes inside labels, full-width punctuation, traditional characters) do not matter because
nothing depends on a fixed position.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, count

from gdstat import limits
from gdstat.catalog import Format, Row, Table, format_ids, load_format
from gdstat.cells import parse
from gdstat.io.grid import ABSENT
from gdstat.io.placement import ALIGNED, LABELLED, Pending, settle
from gdstat.report import Location, Value, column_letter
from gdstat.text import core, squash, to_simplified

UNIT_WORDS = frozenset({"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "——", "----", "—", "-"})
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20|１９|２０)[0-9０-９]{2})\s*年度?.*(?:政府信息公开|政务公开|统计表)")
_AGENCY_FIELD = re.compile(r"(?:填报单位|填报机关|报送单位|单位名称)[:：]\s*(?P<agency>\S+)")
_BLANKS = re.compile(r"[\s\u3000\u00a0]+")
_CONTAIN_MIN = 4  # a label core is looked for inside a longer text only when it is this long


@dataclass(frozen=True)
class Note:
    """Something loading observed: the rule engine turns notes into findings."""

    code: str  # unknown-row, missing-row, missing-table, ambiguous-header, ambiguous-row, table-incomplete, ...
    message: str
    message_en: str
    location: Location | None = None
    cells: tuple[str, ...] = ()
    table: str | None = None  # the table a missing-table note is about


@dataclass
class Located:
    """What locating found in a grid: its format, values, notes and metadata."""

    format: Format
    values: dict[str, Value]
    notes: list[Note] = field(default_factory=list)
    agency: str | None = None
    year: int | None = None
    sheet: str | None = None
    placements: dict = field(default_factory=dict)  # (grid row, column) -> placement, from the reader
    ragged: bool = False  # rows cut by a delimiter: a short row's cells may have moved (see _read_row)
    pending: list = field(default_factory=list)  # rows whose cells are uncertain, for io.placement.settle


# ----------------------------------------------------------------------------- catalogue indexes


@dataclass(frozen=True)
class _Index:
    """A format's labels indexed for finding its rows, columns and tables in a grid."""

    by_core: dict[str, tuple[Row, ...]]  # label core -> rows in official order (grid and list tables)
    order: dict[str, int]  # row id -> official position
    vocab: dict[str, frozenset[str]]  # table id -> header vocabulary (cores)
    columns: dict[str, dict[str, str]]  # table id -> {core: column id}
    long_keys: tuple[tuple[str, tuple[Row, ...]], ...]  # for containment, longest first
    word_tables: dict[str, tuple[str, ...]]  # header word -> the tables whose vocabulary has it
    cells: dict[str, tuple[tuple[str, str], ...]]  # row id -> (column id or "", cell id) for each of its columns
    column_keys: dict[str, frozenset[str]]  # table id -> its column ids ("" for a one-value table)


@lru_cache(maxsize=None)
def _index(format_id: str) -> _Index:
    fmt = load_format(format_id)
    by_core: dict[str, list[Row]] = {}
    order: dict[str, int] = {}
    vocab: dict[str, frozenset[str]] = {}
    columns: dict[str, dict[str, str]] = {}
    cells: dict[str, tuple[tuple[str, str], ...]] = {}
    column_keys: dict[str, frozenset[str]] = {}
    position = 0
    for table in fmt.tables:
        keyed = [(column.id if column else "", column) for column in table.columns or (None,)]
        column_keys[table.id] = frozenset(key for key, _ in keyed)
        words: set[str] = set()
        cols: dict[str, str] = {}
        for column in table.columns:
            for label in (column.label, *column.aliases):
                cols[core(label)] = column.id
                words.add(core(label))
            words.update(core(part) for part in column.path)
        for extra in (table.row_header, table.value_header, table.unit_header, table.note, "序号", "单位"):
            if extra:
                words.add(core(extra))
        vocab[table.id] = frozenset(words)
        columns[table.id] = cols
        for row in table.rows:
            cells[row.id] = tuple((key, table.cell_id(row, column)) for key, column in keyed)
            order[row.id] = position
            position += 1
            if table.layout == "strip":
                continue
            for label in (row.label, *row.aliases):
                key = core(label)
                bucket = by_core.setdefault(key, [])
                if row not in bucket:
                    bucket.append(row)
    frozen = {key: tuple(rows) for key, rows in by_core.items()}
    long_keys = tuple(sorted(((k, v) for k, v in frozen.items() if len(k) >= _CONTAIN_MIN), key=lambda kv: -len(kv[0])))
    word_tables: dict[str, list[str]] = {}
    for table_id, words in vocab.items():
        for word in words:
            word_tables.setdefault(word, []).append(table_id)
    return _Index(frozen, order, vocab, columns, long_keys,
                  {word: tuple(tables) for word, tables in word_tables.items()}, cells, column_keys)


# ----------------------------------------------------------------------------- the grid, normalised


class _Grid:
    """Text cores of a sheet's cells, computed once: for each row, its label cells as (column,
    core) and their cores alone (``texts``, for quick scans)."""

    def __init__(self, rows: list[list], simplified: bool = False):
        self.rows = rows
        self.positions: dict[tuple[str, int], dict[str, int] | None] = {}  # see _column_positions
        self.extra_value_columns: dict[str, list[str]] = {}  # table id -> value headers when there are several
        text_core = _simplified_core if simplified else _text_core
        self.labels: list[list[tuple[int, str]]] = []  # a row's label cells: its scans visit only these
        self.texts: list[list[str]] = []
        for row in rows:
            labels, texts = [], []
            for c in compress(count(), row):  # empty cells ("", None) are most of a sheet: passed over in C
                raw = row[c]
                if raw.__class__ is str:
                    key = text_core(raw)
                    if key:
                        labels.append((c, key))
                        texts.append(key)
            self.labels.append(labels)
            self.texts.append(texts)

    def text(self) -> str:
        return "\n".join(chain.from_iterable(self.texts))


@lru_cache(maxsize=4096)
def _text_core(raw: str) -> str | None:
    """The label core of a text cell, None for blanks and numbers written as text.

    Cached: sheets of one format repeat the same labels, so a batch of reports pays for each once.
    """
    return core(raw) if parse(raw)[0] == "text" else None


@lru_cache(maxsize=4096)
def _simplified_core(raw: str) -> str | None:
    """The same, of the text in simplified characters."""
    return core(to_simplified(raw)) if parse(raw)[0] == "text" else None


@lru_cache(maxsize=None)
def _signatures() -> dict[str, tuple[str, ...]]:
    from gdstat.catalog.model import load_signatures

    return {format_id: tuple(squash(s) for s in labels) for format_id, labels in load_signatures().items()}


def detect(grid: _Grid) -> tuple[str | None, int]:
    """The format whose signature labels appear most often, and how many appear."""
    text = grid.text()
    best, hits = None, 0
    for format_id in format_ids():
        count = sum(1 for sig in _signatures()[format_id] if sig in text)
        if count > hits:
            best, hits = format_id, count
    return best, hits


def _match_cell(index: _Index, key: str) -> tuple[Row, ...]:
    rows = index.by_core.get(key)
    if rows:
        return rows
    if len(key) < _CONTAIN_MIN:
        return ()
    for candidate, rows in index.long_keys:
        if candidate in key and len(key) <= len(candidate) + 40:
            return rows
    return ()


def _header_rows(grid: _Grid, fmt: Format, index: _Index) -> dict[str, list[int]]:
    """Table id -> the grid rows that are header rows of that table: two or more of its header
    words, or, for a one-column table, its column label. One pass over the grid for every table."""
    found: dict[str, list[int]] = {table.id: [] for table in fmt.tables}
    single = {table.id for table in fmt.tables if len(table.columns) == 1}
    for r, texts in enumerate(grid.texts):
        counts: dict[str, int] = {}
        for text in texts:
            for table_id in index.word_tables.get(text, ()):
                counts[table_id] = counts.get(table_id, 0) + 1
        for table_id, n in counts.items():
            if n >= 2 or (table_id in single and any(text in index.columns[table_id] for text in texts)):
                found[table_id].append(r)
    return found


def _column_positions(grid: _Grid, header_rows: list[int], table: Table, index: _Index, row: int) -> dict[str, int] | None:
    """Column id -> grid column, from the header block nearest above ``row`` (``header_rows`` is in
    grid order)."""
    above = bisect_left(header_rows, row)  # how many header rows are above
    if not above:
        return None
    key = (table.id, header_rows[above - 1])  # every row under one header block shares its columns
    if key not in grid.positions:
        grid.positions[key] = _block_positions(grid, header_rows, table, index, key[1])
    return grid.positions[key]


def _block_positions(grid: _Grid, header_rows: list[int], table: Table, index: _Index, last: int) -> dict[str, int] | None:
    block = [last]
    while len(block) < 4 and block[-1] - 1 in header_rows:
        block.append(block[-1] - 1)
    labels = index.columns[table.id]
    positions: dict[str, int] = {}
    for h in sorted(block):
        for c, key in grid.labels[h]:
            column = labels.get(key)
            if column and column not in positions:
                positions[column] = c
    if table.value_header and not table.columns:
        key = core(table.value_header)
        found = [(c, str(grid.rows[h][c]).strip()) for h in sorted(block) for c, text in grid.labels[h]
                 if text.endswith(key)]
        if not found:
            return None
        if len(found) > 1:  # e.g. 区政府统计数 | 区直单位统计数 | 乡镇街道统计数: the first is read
            grid.extra_value_columns[table.id] = [label for _, label in found]
        return {"": found[0][0]}
    return positions or None


_Where = Callable[[int, int], Location]  # grid row and column -> where that cell was read


def _where(path: str, sheet: str | None, lines: list | None) -> _Where:
    """Where a sheet's grid cells were read: sheet cells (A1), or lines of a text input."""
    if lines is None:
        def cell(r: int, c: int) -> Location:
            return Location(path, sheet, _a1(r, c))
        return cell

    def line(r: int, c: int) -> Location:
        at = lines[r]
        if isinstance(at, list):  # one line per cell: text where every cell sits on its own line
            at = at[c] if c < len(at) and at[c] else at[0]
        return Location(path, sheet, None, at)
    return line


@lru_cache(maxsize=16384)  # the official cells sit in the same places in every sheet of a format
def _a1(r: int, c: int) -> str:
    """Grid row and column -> the sheet cell's name: (6, 1) -> B7."""
    return f"{column_letter(c)}{r + 1}"


@lru_cache(maxsize=4096)  # the same headings and labels open every sheet of a format
def _cell_metadata(raw: str) -> tuple[str | None, int | None, str | None]:
    """What one text cell says of the report: the agency a 填报单位 field names, and a title's year
    and the agency before it."""
    text = _BLANKS.sub("", raw)  # agency names keep their own punctuation: no NFKC here
    field_match = _AGENCY_FIELD.search(text)
    field = field_match.group("agency") if field_match else None
    title = _TITLE.match(text)
    if title is None:
        return field, None, None
    return field, int(unicodedata.normalize("NFKC", title.group("year"))), title.group("agency").strip("：: ")


def _metadata(grid: _Grid, path: str) -> tuple[str | None, int | None]:
    agency = year = None
    for row in grid.rows[:12]:
        for raw in row:
            if not raw or not isinstance(raw, str):
                continue
            field, title_year, prefix = _cell_metadata(raw)
            if field and not agency:
                agency = field
            if title_year is not None and year is None:
                year = title_year
                if prefix and not agency:
                    agency = prefix
    if year is None:
        years = set(_YEAR.findall(" ".join(str(c) for row in grid.rows[:12] for c in row if isinstance(c, str))))
        if len(years) == 1:
            year = int(years.pop())
    if year is None:
        years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.rsplit("/", 1)[-1]))
        if len(years) == 1:
            year = int(years.pop())
    return agency, year


# ----------------------------------------------------------------------------- locating


def locate_sheet(rows: list[list], path: str, sheet_name: str | None, format_id: str | None = None,
                 lines: list | None = None, cut_off: bool = False, placements: dict | None = None,
                 pending: list | tuple = (), ragged: bool = False) -> Located | None:
    """Read one sheet; None when it holds no recognisable statistics table. ``cut_off``: the
    input is known to end inside the tables (a text that stops mid-table). A reader that rebuilt
    the grid gives how it placed each cell (``placements``) and the rows it could not place
    (``pending``), which the arithmetic then decides or reports (io.placement); ``ragged``: rows
    were cut by a delimiter, so a short row's cells may have moved."""
    grid = _Grid(rows)
    detected, hits = detect(grid)
    if not hits:
        simplified = _Grid(rows, simplified=True)
        detected, hits = detect(simplified)
        if hits:
            grid = simplified
    if format_id is None:
        if not hits:
            return None
        format_id = detected
    fmt = load_format(format_id)
    index = _index(format_id)
    located = Located(fmt, {}, sheet=sheet_name)
    located.placements, located.ragged = placements or {}, ragged
    located.agency, located.year = _metadata(grid, path)
    where = _where(path, sheet_name, lines)

    header_rows = _header_rows(grid, fmt, index)
    all_header_rows = {r for rows_ in header_rows.values() for r in rows_}

    assigned: dict[str, tuple[int, int]] = {}  # row id -> (grid row, label column)
    pointer = 0
    first = last = None
    for r, labels in enumerate(grid.labels):
        if not labels or r in all_header_rows:
            continue
        choice: tuple[Row, int] | None = None
        header_choice: tuple[Row, int] | None = None
        for c, key in labels:
            candidates = _match_cell(index, key)
            if not candidates:
                continue
            row = _pick(candidates, assigned, index.order, pointer)
            if row is None:
                continue
            if row.is_data:
                choice = (row, c)  # rightmost data label wins: the most specific
            elif choice is None:
                header_choice = (row, c)
        picked = choice or header_choice
        if picked is None:
            continue
        row, c = picked
        if row.id in assigned:
            continue
        assigned[row.id] = (r, c)
        pointer = index.order[row.id] + 1
        if row.is_data:
            first = r if first is None else first
            last = r

    def positions(table: Table, r: int) -> dict[str, int] | None:
        return _column_positions(grid, header_rows[table.id], table, index, r)

    for table in fmt.tables:
        if table.layout == "strip":
            _read_strip(grid, table, index, located, where)
            continue
        if not any(row.id in assigned for row in table.data_rows):
            located.notes.append(Note(
                "missing-table",
                f"未找到表格：{table.section or ''} {table.label}".strip(),
                f"table not found: {table.label_en}",
                table=table.id,
            ))
            continue
        for row in table.data_rows:
            if row.id not in assigned:
                located.notes.append(Note(
                    "missing-row",
                    f"未找到行：{row.label}",
                    f"row not found: {row.label_en} ({row.label})",
                    cells=tuple(cell_id for _, cell_id in index.cells[row.id]),
                ))
                continue
            _read_row(grid, table, index, row, *assigned[row.id], positions(table, assigned[row.id][0]), located, where)
        for row in table.rows:
            if row.id in assigned and not row.is_data:
                r, c = assigned[row.id]
                _group_subtotal(grid, fmt, table, index, row, r, c, positions(table, r), located, where)

    if first is not None:
        _unknown_rows(grid, assigned, all_header_rows, first, last, located, where)
    for table_id, labels in grid.extra_value_columns.items():
        located.notes.append(Note(
            "extra-value-columns",
            f"表中有 {len(labels)} 个统计数列（{'、'.join(labels)}），只读取了第一列“{labels[0]}”",
            f"the table has {len(labels)} value columns ({', '.join(labels)}); only the first, “{labels[0]}”, was read",
            table=table_id,
        ))
    located.notes.extend(settle(fmt, located.values, [*pending, *located.pending]))
    _fold_cut_off(fmt, index, located, assigned, cut_off)
    return located


def _fold_cut_off(fmt: Format, index: _Index, located: Located, assigned: dict, cut_off: bool) -> None:
    """A table that stops part-way with nothing read after it was cut off (a page that ends
    mid-table): one ``table-incomplete`` note naming what is missing replaces its missing rows.
    With ``cut_off`` (the text ends inside the tables) the tables never reached are named too."""
    def read(table: Table) -> bool:
        if table.layout == "strip":
            return any(cell_id in located.values for row in table.rows for _, cell_id in index.cells[row.id])
        return any(row.id in assigned for row in table.data_rows)

    found = [i for i, table in enumerate(fmt.tables) if read(table)]
    if not found:
        return
    table = fmt.tables[found[-1]]
    later = list(fmt.tables[found[-1] + 1:])
    missing: tuple[Row, ...] = ()
    if table.layout != "strip":
        rows = table.data_rows
        last = max(i for i, row in enumerate(rows) if row.id in assigned)
        missing = rows[last + 1:]
    if not missing and not (cut_off and later):
        return
    gone_rows = {row.id for row in missing}
    gone_tables = {t.id for t in later} if cut_off or missing else set()
    cells = tuple(table.cell_id(row, col) for row in missing for col in table.columns or (None,))

    def folded(note: Note) -> bool:
        if note.code == "missing-row" and note.cells and note.cells[0].split("@")[0] in gone_rows:
            return True
        return note.code == "missing-table" and note.table in gone_tables

    located.notes[:] = [n for n in located.notes if not folded(n)]
    names = "、".join(t.label for t in later)
    if missing:
        zh = (f"{table.label}：表格在“{rows[last].label}”之后中断，缺少 {len(missing)} 行（自“{missing[0].label}”起）"
              + (f"，其后的表格也未找到：{names}" if later else ""))
        en = (f"{table.label_en}: the table stops after “{rows[last].label_en}”; {len(missing)} rows are missing "
              f"(from “{missing[0].label_en}”)" + (", and the tables after it were not found" if later else ""))
    else:
        zh = f"报告在表格“{table.label}”之后中断，未找到其后的表格：{names}"
        en = f"the report stops after the table “{table.label_en}”; the tables after it were not found"
    located.notes.append(Note("table-incomplete", zh, en, cells=cells))


def match_label(format_id: str, text: str) -> tuple[Row, ...]:
    """Catalogue rows (outside strip tables) whose label core the text is or contains."""
    key = core(text)
    return _match_cell(_index(format_id), key) if key else ()


def exact_label(format_id: str, text: str) -> tuple[Row, ...]:
    """Catalogue rows (outside strip tables) whose label core the text is, exactly."""
    return _index(format_id).by_core.get(core(text), ())


def label_prefix(format_id: str, text: str) -> tuple[Row, ...]:
    """The rows whose label core starts with the text's core: the first half of a label that a
    PDF or a narrow page broke over two lines. Only a long, unique prefix counts."""
    key = core(text)
    if len(key) < 8:
        return ()
    hits = {rows for candidate, rows in _index(format_id).by_core.items() if candidate.startswith(key) and candidate != key}
    return next(iter(hits)) if len(hits) == 1 else ()


def column_words(format_id: str) -> dict[str, dict[str, str]]:
    """Table id -> {label core: column id} for every table with columns."""
    return _index(format_id).columns


def header_vocabulary(format_id: str) -> dict[str, frozenset[str]]:
    """Table id -> every header word (cores) of that table: column labels, their paths, row headers."""
    return _index(format_id).vocab


def _pick(candidates: tuple[Row, ...], assigned: dict, order: dict[str, int], pointer: int) -> Row | None:
    """The first unassigned candidate at or after the reading position, else any unassigned one."""
    if len(candidates) == 1:  # most labels name one row
        return None if candidates[0].id in assigned else candidates[0]
    free = [row for row in candidates if row.id not in assigned]
    if not free:
        return None
    for row in free:
        if order[row.id] >= pointer:
            return row
    return free[0]


def _store(located: Located, cells: list[tuple[str, object, int, int]], where: _Where, how: str) -> None:
    """Every value read from a grid is stored here, a row of (cell id, raw value, grid row, grid
    column) at a time: each placed as its reader says, else as ``how``."""
    values, placements, digits = located.values, located.placements, limits.get("digits")
    for cell_id, raw, r, c in cells:
        kind, value, text, unit = parse(raw, digits)
        values[cell_id] = Value(cell_id, value, kind, text, where(r, c), unit,
                                placements.get((r, c), how) if placements else how)


def _read_row(grid: _Grid, table: Table, index: _Index, row: Row, r: int, c: int, positions: dict[str, int] | None,
              located: Located, where: _Where) -> None:
    cells = grid.rows[r]
    columns = index.cells[row.id]
    how = LABELLED
    if positions is None or not positions.keys() >= index.column_keys[table.id]:
        how = ALIGNED
        # No usable header: take the cells right of the label, in order, skipping a unit column.
        after = list(range(c + 1, len(cells)))
        if not table.columns:
            while after and isinstance(cells[after[0]], str) and squash(cells[after[0]]) in UNIT_WORDS:
                after.pop(0)
        short = len(after) < len(columns)
        positions = {key: (after[i] if i < len(after) else None) for i, (key, _) in enumerate(columns)}
    else:  # a text cut by a delimiter loses empty cells: a short row's cells may have moved left
        short = located.ragged and any(p >= len(cells) for p in positions.values())
    if short:  # which column each of its cells is in is not certain: the arithmetic decides
        held = [(k, raw) for k, raw in enumerate(cells) if k > c and raw is not ABSENT and parse(raw)[0] != "blank"]
        if held:
            order = sorted(columns, key=lambda column: positions.get(column[0]) or 0)
            located.pending.append(Pending(
                row.label, tuple(cell_id for _, cell_id in order), tuple(str(raw) for _, raw in held),
                tuple(where(r, k) for k, _ in held), where(r, c), cut=True))
        return
    width = len(cells)
    read = []
    for key, cell_id in columns:
        pos = positions[key]
        raw = cells[pos] if pos is not None and pos < width else None
        if raw is not ABSENT:
            read.append((cell_id, raw, r, pos if pos is not None else c + 1))
    _store(located, read, where, how)


def _read_strip(grid: _Grid, table: Table, index: _Index, located: Located, where: _Where) -> None:
    """Table C: a header of up to three rows over one row of values, read in row-major order."""
    data_rows = table.data_rows
    group_keys = [core(row.label) for row in table.rows if row.parent is None]
    labels = index.columns[table.id]
    expected = [col.id for col in table.columns]
    anchor = None
    for r, texts in enumerate(grid.texts):
        if group_keys[0] in texts and all(key in texts for key in group_keys):  # most rows fail the first test
            anchor = r
            break
    if anchor is None:
        located.notes.append(Note("missing-table", f"未找到表格：{table.section} {table.label}",
                                  f"table not found: {table.label_en}", table=table.id))
        return
    headers: list[tuple[int, int, str]] = []  # (column, row, column id)
    last_header = anchor
    for r in range(anchor, min(anchor + 4, len(grid.rows))):
        for c, key in grid.labels[r]:
            if key in labels:
                headers.append((c, r, labels[key]))
                last_header = max(last_header, r)
    headers.sort()
    # a label merged over two header rows may be repeated in both (HTML and Word spans): once per column
    headers = [h for i, h in enumerate(headers) if i == 0 or h[0] != headers[i - 1][0]]
    want = len(expected) * len(data_rows)
    sequence = [h[2] for h in headers]
    if len(headers) != want or sequence != expected * len(data_rows):
        located.notes.append(Note(
            "ambiguous-header",
            f"{table.label}：表头应有 {want} 个数据列，实际识别 {len(headers)} 个，未读取该表",
            f"{table.label_en}: expected {want} value columns under the header, recognised {len(headers)}; table not read",
            where(anchor, 0),
        ))
        return
    data = None
    for r in range(last_header + 1, min(last_header + 4, len(grid.rows))):
        cells = grid.rows[r]
        if any(h[0] < len(cells) and cells[h[0]] is not None for h in headers):
            data = r
            break
    if data is None:
        data = last_header + 1 if last_header + 1 < len(grid.rows) else None
    if data is None:
        return
    cells = grid.rows[data]
    read = []
    for i, (c, _, column_id) in enumerate(headers):
        row = data_rows[i // len(expected)]
        raw = cells[c] if c < len(cells) else None
        if raw is not ABSENT:
            read.append((f"{row.id}@{column_id}", raw, data, c))
    _store(located, read, where, LABELLED)


def _unknown_rows(grid: _Grid, assigned: dict, header_rows: set[int], first: int, last: int,
                  located: Located, where: _Where) -> None:
    used = {r for r, _ in assigned.values()}
    for r in range(first, last + 1):
        if r in used or r in header_rows:
            continue
        if not grid.labels[r]:
            continue
        label_at = grid.labels[r][0][0]
        if not any(parse(raw)[0] == "number" for raw in grid.rows[r][label_at + 1:]):
            continue
        label = str(grid.rows[r][label_at]).strip()
        located.notes.append(Note(
            "unknown-row",
            f"表中有一行不属于官方格式，未读取：“{label}”",
            f"a row that is not in the official format was not read: “{label}”",
            where(r, label_at),
        ))


def _group_subtotal(grid: _Grid, fmt: Format, table: Table, index: _Index, row: Row, r: int, c: int, positions,
                    located: Located, where: _Where) -> None:
    """Numbers on a group row (a 2019-style single （六）其他处理 row in a 2021 table, or a subtotal
    some software adds under （三）不予公开) are read as the subtotal of the group's rows, under the
    group row's id, and noted: never dropped, never put into the rows themselves."""
    numbers = [str(value) for kind, value, _, _ in map(parse, grid.rows[r][c + 1:]) if kind == "number"]
    if not numbers:
        return
    _read_row(grid, table, index, row, r, c, positions, located, where)
    children = {child.id for child in table.data_rows if child.parent == row.id}
    unreported = not any(value.kind == "number" for cell, value in located.values.items()
                         if cell.partition("@")[0] in children)
    if unreported:  # the rows' own missing-row notes are folded into this one
        located.notes[:] = [n for n in located.notes
                            if not (n.code == "missing-row" and n.cells and n.cells[0].partition("@")[0] in children)]
    rest_zh = "其下各项未分别填报" if unreported else "应等于其下各项之和"
    rest_en = "its rows are not reported separately" if unreported else "it should equal the sum of its rows"
    located.notes.append(Note(
        "group-subtotal",
        f"“{row.label}”在{fmt.id}格式中是分组行，表中填有数字（{' '.join(numbers)}），按其下各项的合计读取；{rest_zh}",
        f"“{row.label}” is a group row in the {fmt.id} format but holds numbers ({' '.join(numbers)}), read as "
        f"the subtotal of its rows; {rest_en}",
        where(r, c),
    ))
