"""Published reports as text: rebuild the statistics table's rows from a copy of a page or document.

Real copies lose the table's structure in many ways: one cell per line (with or without blank lines
between), one row per line with cells separated by `` | `` or tabs, every cell on its own line ending
in ``|``, spacer lines holding only ``|``, labels broken over two lines, rowspan labels repeated or
dropped, empty cells repeated or dropped, ``?`` where a non-breaking space was, traditional
characters with pinyin glosses (``數(shù)量``). Structure is rebuilt from the catalogue instead: the
text is cut into cells, each cell is a row label, a header word, a value or other text, and a row is
a recognised label followed by its values; the number of values per row is known from the table's
columns. A row whose values cannot be placed with certainty is reported (``ambiguous-row``), never
guessed.

The result is a grid in the official column order, handed to ``locate`` like any spreadsheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from gdstat.catalog import Row, Table, load_format
from gdstat.cells import parse
from gdstat.io.grid import ABSENT, Sheet
from gdstat.io.locate import (UNIT_WORDS, Note, _Grid, column_words, detect, exact_label, header_vocabulary,
                              label_prefix, match_label)
from gdstat.io.placement import ALIGNED, LABELLED, Pending
from gdstat.report import Location
from gdstat.text import core, squash, to_simplified

# A pinyin gloss after a word, as some pages print traditional text: 數(shù)量 -> 數量.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]+[0-9]?[)）]")
_RULE_LINE = re.compile(r"^[\s|\-:+=_—－]*$")  # |---|---| and lines holding only |
_PAGE_MARK = re.compile(r"^(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
_CELL_SPLIT = re.compile(r"\t|\|")
_SENTENCE = re.compile(r"[。；;！？]")
_MAX_LABEL = 60  # a cell longer than the longest official label (after its notes) is prose

_TITLE_LINES = 6
_NUMBERED = re.compile(r"^(?:其中[:：]?)?[(（]?[一二三四五六七八九十\d]+[)）、.．]")


def clean(text: str) -> str:
    """Undo what copying did to the characters: pinyin glosses, ``?`` and ``&nbsp;`` for spaces."""
    text = _PINYIN.sub("", text)
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ").replace("?", " ")
    return text


@dataclass
class _Token:
    text: str
    line: int
    empty: bool = False  # an empty cell between separators
    in_row: bool = False  # cut from a line holding a whole printed row ("a | b | c")
    spacer: bool = False  # a line holding only "|": a spacer, or an empty cell of a flattened table


def tokens(text: str) -> list[_Token]:
    """The cells of the text in reading order, each with its 1-based line."""
    found: list[_Token] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.strip("| "):
            found.append(_Token("", number, empty=True, spacer=True))
            continue
        if not line or _RULE_LINE.match(line) or _PAGE_MARK.match(line):
            continue  # rules, spacer bars, page numbers ("- 3 -", "第3页")
        if "|" in line or "\t" in line:
            parts = [p.strip() for p in _CELL_SPLIT.split(line.strip("|"))]
            if line.endswith("|") and not line.startswith("|") and len(parts) > 1 and not parts[-1]:
                parts.pop()  # "cell |": the bar ends the cell, it does not open an empty one
            for cell in parts:
                cut = _split_values(cell, number) if cell else [_Token("", number, empty=True)]
                for token in cut:
                    token.in_row = len(parts) > 1
                found.extend(cut)
            continue
        found.extend(_split_values(line, number))
    return found


def _split_values(cell: str, number: int) -> list[_Token]:
    """A label with its values on one line, separated by spaces (as PDF text prints them)."""
    parts = cell.split()
    if len(parts) < 2:
        return [_Token(cell, number)]
    tail: list[str] = []
    while parts and (parse(parts[-1])[0] in ("number", "not-applicable") or squash(parts[-1]) in UNIT_WORDS):
        tail.insert(0, parts.pop())
    if not tail:
        return [_Token(cell, number)]
    head = [_Token(" ".join(parts), number)] if parts else []
    return head + [_Token(t, number) for t in tail]


# ----------------------------------------------------------------------------- rebuilding rows


@dataclass
class _Entry:
    """One rebuilt row: a label and the cells that followed it."""

    row: Row | None
    label: str
    line: int
    slots: list[_Token] = field(default_factory=list)
    table: Table | None = None
    aligned: bool = False  # its numbers or its row were given by the order of the text, not by its label
    gaps: bool = False  # a spacer line (a bare "|") sat among its cells: an empty cell may be hidden there


class _Builder:
    def __init__(self, format_id: str):
        self.format = load_format(format_id)
        self.format_id = format_id
        self.tables = {t.id: t for t in self.format.tables}
        self.columns = column_words(format_id)
        vocab = header_vocabulary(format_id)
        # header word -> tables it belongs to; strip tables' group labels count as header words
        self.header: dict[str, set[str]] = {}
        for table_id, words in vocab.items():
            for word in words:
                self.header.setdefault(word, set()).add(table_id)
        for table in self.format.tables:
            if table.layout == "strip":
                for row in table.rows:
                    self.header.setdefault(core(row.label), set()).add(table.id)
        self.captions = {core(text) for t in self.format.tables for text in (t.caption, t.section, t.label) if text}
        self.order = {row.id: i for i, row in enumerate(r for t in self.format.tables for r in t.rows)}
        self.table_order = {t.id: i for i, t in enumerate(self.format.tables)}
        self.table_of = {row.id: t for t in self.format.tables for row in t.rows}
        self.entries: list[_Entry] = []
        self.assigned: set[str] = set()
        self.entry_of: dict[str, _Entry] = {}
        self.pointer = 0
        self.current: _Entry | None = None
        self.header_table: str | None = None
        self.header_seen: dict[str, list[tuple[str, int]]] = {}  # table -> [(column id, line)]
        self.header_paths: set[str] = set()  # tables whose header has more than one level
        self.strip: dict[str, _Entry] = {}
        self.table_line = 0  # last line read as part of a table
        self.prose_line = 0  # last line of running prose (a sentence)

    # -- classification

    def _is_header(self, token: _Token, key: str) -> set[str]:
        tables = self.header.get(key)
        if not tables:
            return set()
        if _NUMBERED.match(squash(token.text)):
            return set()  # numbered: "3.其他", "（七）总计" are row labels, not column headers
        return tables

    def _pick(self, candidates: tuple[Row, ...]) -> Row | None:
        # A row whose label was seen without any number after it (a heading or a line of prose
        # that happens to hold the label) is still free for the table's own row.
        free = [row for row in candidates if row.id not in self.assigned
                or (self.entry_of[row.id] is not self.current and not _values(self.entry_of[row.id].slots))]
        for row in free:
            if self.order[row.id] >= self.pointer:
                return row
        return free[0] if free else None

    # -- the stream

    def feed(self, token: _Token) -> None:
        if token.spacer:
            entry = self.current or self._strip_entry(token, start=False)
            if entry is not None:
                entry.gaps = True
            return
        if _SENTENCE.search(token.text):
            self.prose_line = token.line
        else:
            self.table_line = token.line
        if token.empty:
            if self.current is not None and self.current.row is not None and self.current.row.is_data:
                self.current.slots.append(token)
            elif (strip := self._strip_entry(token, start=False)) is not None:
                strip.slots.append(token)  # an empty cell after the strip's first number
            return
        kind = parse(token.text)[0]
        if kind in ("number", "not-applicable"):
            self._value(token)
            return
        if squash(token.text) in UNIT_WORDS:
            return
        key = core(token.text)
        if not key or _SENTENCE.search(token.text) or len(key) > _MAX_LABEL:
            self._text(token)
            return
        tables = self._is_header(token, key)
        if tables:
            self._header(token, key, tables)
            return
        piece = self.current  # a label broken over two cells or lines: its halves are read together
        if piece is not None and not piece.slots and 0 <= token.line - piece.line <= 1:
            joined = exact_label(self.format_id, piece.label + token.text)
            if piece.row is not None and piece.row in joined:
                piece.label += token.text  # the rest of its label
                return
            row = self._pick(joined)
            if row is not None:
                if piece.row is not None:  # its first half alone looked like another label
                    self.assigned.discard(piece.row.id)
                    self.entry_of.pop(piece.row.id, None)
                self.current = None
                self._begin(row, piece.label + token.text, piece.line)
                return
        row = self._pick(match_label(self.format_id, token.text) or label_prefix(self.format_id, token.text))
        if row is None and " " in token.text.strip():
            words = [core(w) for w in token.text.split()]
            found = [(w, self.header[w]) for w in words if w in self.header]
            if found:  # a header line whose words PDF text keeps apart: "自然人 社会 法律 总计"
                for word, tables in found:
                    self._header(_Token(word, token.line), word, tables)
                return
        if row is not None:
            self._begin(row, token.text, token.line)
            return
        self._text(token)

    def _begin(self, row: Row, label: str, line: int) -> None:
        self._close()
        if row.id in self.entry_of:
            self.entry_of[row.id].row = None  # the earlier sighting held no numbers
        self.current = _Entry(row, label, line, table=self.table_of[row.id])
        self.entry_of[row.id] = self.current
        self.assigned.add(row.id)
        self.pointer = self.order[row.id] + 1

    def _strip_entry(self, token: _Token, start: bool) -> _Entry | None:
        """The row of values of the strip table being read (Table C), begun by its first number
        (``start``); None outside one, or once prose followed it."""
        if self.current is not None or not self.header_table or self.tables[self.header_table].layout != "strip":
            return None
        entry = self.strip.get(self.header_table)
        if entry is None and start:
            entry = self.strip[self.header_table] = _Entry(None, "", token.line, table=self.tables[self.header_table])
        elif entry is not None and self.prose_line > entry.line:
            return None  # prose came after the table: a number there is not the table's
        return entry

    def _value(self, token: _Token) -> None:
        entry = self.current or self._strip_entry(token, start=True)
        if entry is None:
            return  # a stray number before any row: a date, a footnote
        if entry.table is not None and entry.table.unit_header and not _values(entry.slots) and squash(token.text) in UNIT_WORDS:
            return  # the unit column of a list table
        entry.slots.append(token)

    def _text(self, token: _Token) -> None:
        entry = self.current
        table = self.tables.get(self.header_table)
        if entry is None and table is not None and table.layout == "strip" and table.id not in self.strip:
            return  # inside a strip table's header: broken header words ("维持 纠正 结果 审结")
        if entry is None:
            self.current = _Entry(None, token.text, token.line)
            return
        filled = _values(entry.slots)
        if not filled and not (entry.row is not None and (_NUMBERED.match(squash(token.text))
                                                          or entry.row in exact_label(self.format_id, entry.label))):
            entry.label += token.text  # the rest of a label broken over lines, or its note: never numbered,
            return  # never after the label is complete (that begins another row)
        # words where a number belongs: only inside a row printed on one line ("a | 暂无 | 3"), where
        # they cannot be the next row's label broken over lines
        inside = token.in_row and token.line == (entry.slots[-1] if entry.slots else entry).line \
            and core(token.text) not in self.captions
        if entry.row is not None and entry.table is not None and len(filled) < _width(entry.table) and inside:
            entry.slots.append(token)
            return
        self._close()
        self.current = _Entry(None, token.text, token.line)

    def _header(self, token: _Token, key: str, tables: set[str]) -> None:
        self._close()
        # Tables come in official order: a header word moves reading to its table, never back.
        position = self.table_order.get(self.header_table, -1)
        ahead = sorted((t for t in tables if self.table_order[t] >= position), key=self.table_order.get)
        if not ahead:
            return
        if self.header_table not in ahead:
            self.header_table = ahead[0]
        table_id = self.header_table
        column = self.columns.get(table_id, {}).get(key)
        if column:
            seen = self.header_seen.setdefault(table_id, [])
            if column not in [c for c, _ in seen]:
                seen.append((column, token.line))
        elif any(key in (core(p) for p in col.path[:-1]) for col in self.tables[table_id].columns):
            self.header_paths.add(table_id)

    def _close(self) -> None:
        if self.current is not None:
            self.entries.append(self.current)
        self.current = None

    def finish(self) -> list[_Entry]:
        self._close()
        return self.entries

    def column_order(self, table: Table) -> list[str]:
        """Columns in the order the header printed them, when that order is certain (a one-level
        header with every column on one line); else the official order."""
        official = [c.id for c in table.columns]
        seen = self.header_seen.get(table.id, [])
        if (table.id not in self.header_paths and sorted(c for c, _ in seen) == sorted(official)
                and len({line for _, line in seen}) == 1):
            return [c for c, _ in seen]
        return official


def _values(slots: list[_Token]) -> list[_Token]:
    return [s for s in slots if not s.empty]


def _width(table: Table) -> int:
    return len(table.columns) or 1


# ----------------------------------------------------------------------------- placing values


def _place(entry: _Entry, cells: tuple[str, ...], last: bool, path: str, notes: list[Note],
           complete: bool = True) -> tuple[list[_Token | None], str] | Pending:
    """The row's cells in printed column order (``cells``) and how they were placed, or, when the
    layout alone does not determine them, the row for the arithmetic to decide (io.placement).
    ``last``: the text ends inside this row; ``complete``: no row before it lost cells (so a cut
    row's numbers are the first of its cells)."""
    width = len(cells)
    values = _values(entry.slots)
    how = ALIGNED if entry.aligned else LABELLED
    if len(values) == width:
        return list(values), how
    slots = list(entry.slots)
    while len(slots) > width and slots[-1].empty:
        slots.pop()  # empty cells a copy adds at the end of a row ("| ||")
    if len(slots) == width:
        return [None if s.empty else s for s in slots], how  # every cell accounted for, empty ones included
    if not values and not last:
        return [None] * width, how  # nothing printed before the next row: every cell is empty
    if last and len(values) > width:
        return list(values[:width]), ALIGNED  # numbers after the table's last row: page numbers, dates
    label = entry.row.label if entry.row else entry.label
    if last and values:
        # The text ends inside this row; the cells after its numbers were cut off.
        raw = "、".join(v.text for v in values)
        in_order = complete and not entry.gaps and not any(s.empty for s in entry.slots)  # nothing dropped
        notes.append(Note(
            "table-incomplete",
            f"表格在“{label}”一行中断：只有 {len(values)} 个数（{raw}），缺少 {width - len(values)} 个",
            f"the table stops inside the row “{label}”: {len(values)} numbers ({raw}), {width - len(values)} missing",
            Location(path, line=entry.line), cells[len(values):] if in_order else cells,
        ))
        if in_order:
            return list(values) + [ABSENT] * (width - len(values)), ALIGNED
    return Pending(label, cells, tuple(v.text for v in values), tuple(Location(path, line=v.line) for v in values),
                   Location(path, line=entry.line), cut=last)


def _lend_values(entries: list[_Entry]) -> None:
    """PDF text prints the numbers of a row whose label wraps on the line above the label. A data
    row that has no numbers takes them from just above it: from an unlabelled run of exactly one
    row's numbers, or from the row before when that one holds exactly two rows' worth."""
    for i, entry in enumerate(entries):
        if entry.row is None or not entry.row.is_data or _values(entry.slots):
            continue
        width = _width(entry.table)
        j = i - 1
        while j >= 0 and not _values(entries[j].slots) and (entries[j].row is None or not entries[j].row.is_data):
            j -= 1
        if j < 0:
            continue
        before = entries[j]
        held = _values(before.slots)
        if not all(parse(t.text)[0] == "number" for t in held):
            continue
        if (before.row is None or not before.row.is_data) and len(held) == width:
            entry.slots, before.slots = held, []
            entry.aligned = True
        elif before.row is not None and before.row.is_data and before.table is entry.table and len(held) == 2 * width:
            entry.slots, before.slots = held[width:], held[:width]
            entry.aligned = True


def _fill_gaps(builder: _Builder, entries: list[_Entry]) -> None:
    """A row whose label was mangled (a typo, words replaced on a mirror site) is placed when it sits
    between two recognised rows of one table with exactly one official row missing between them."""
    known = [i for i, e in enumerate(entries) if e.row is not None]
    for a, b in zip(known, known[1:]):
        between = [e for e in entries[a + 1:b] if e.row is None and _values(e.slots)]
        first, second = entries[a], entries[b]
        if len(between) != 1 or first.table is not second.table or first.table is None:
            continue
        rows = first.table.data_rows
        ids = [r.id for r in rows]
        if first.row.id not in ids or second.row.id not in ids:
            continue
        gap = [r for r in rows[ids.index(first.row.id) + 1:ids.index(second.row.id)] if r.id not in builder.assigned]
        if len(gap) == 1:
            entry = between[0]
            entry.row, entry.table, entry.label = gap[0], first.table, gap[0].label
            entry.aligned = True
            builder.assigned.add(gap[0].id)


def rebuild(text: str, path: str, format_id: str | None = None, kind: str = "text",
            name: str | None = None) -> Sheet | None:
    """Rebuild the statistics tables of a report's text as a grid; None when none is there.
    ``kind`` and ``name`` label the sheet: a document's text is sheet ``text`` of its kind."""
    cells = tokens(clean(text))
    if not cells:
        return None
    probe = _Grid([[t.text] for t in cells])
    detected, hits = detect(probe)
    if not hits:
        simplified = [_Token(to_simplified(t.text), t.line, t.empty) for t in cells]
        detected, hits = detect(_Grid([[t.text] for t in simplified]))
        if hits:
            cells = simplified
    format_id = format_id or detected
    if format_id is None:
        return None
    builder = _Builder(format_id)
    for token in cells:
        builder.feed(token)
    entries = builder.finish()
    _lend_values(entries)
    _fill_gaps(builder, entries)

    notes: list[Note] = []
    pending: list[Pending] = []
    placements: dict[tuple[int, int], str] = {}
    rows: list[list] = []
    lines: list[list[int]] = []
    data = [e for e in entries if e.row is not None and e.row.is_data]
    last_entry = data[-1] if data else None
    # the text ends inside the tables (no prose after them): its last row may be cut off
    ends_in_table = builder.table_line > builder.prose_line
    tail = ends_in_table and not any(_values(s.slots) for s in builder.strip.values())
    for entry in entries:
        if entry.row is None:
            if _values(entry.slots):  # an unknown row: locate reports it
                rows.append([entry.label, *(s.text for s in _values(entry.slots))])
                lines.append([entry.line, *(s.line for s in _values(entry.slots))])
            continue
        table = entry.table
        if not entry.row.is_data:
            held = _values(entry.slots)  # numbers on a group row: locate reports them
            rows.append([entry.row.label, *(s.text for s in held)])
            lines.append([entry.line, *(s.line for s in held)])
            continue
        official = [c.id for c in table.columns] or [None]
        order = builder.column_order(table) if table.columns else official
        cells = tuple(f"{entry.row.id}@{c}" if c else entry.row.id for c in order)
        placed = _place(entry, cells, tail and entry is last_entry, path, notes, not pending)
        if isinstance(placed, Pending):
            pending.append(placed)
            placed, how = [ABSENT] * len(cells), None
        else:
            placed, how = placed
        # the official label (printed ones may be broken or mangled); a list table's unit column
        out: list = [entry.row.label] if table.columns else [entry.row.label, entry.row.unit or "——"]
        where = [entry.line] * (len(out) + len(official))
        out.extend([ABSENT] * len(official))
        for column, token in zip(order, placed):
            at = len(out) - len(official) + official.index(column)
            out[at] = token.text if isinstance(token, _Token) else token
            if isinstance(token, _Token):
                where[at] = token.line
            if token is not ABSENT:
                placements[(len(rows), at)] = how
        rows.append(out)
        lines.append(where)
    for table_id, entry in builder.strip.items():
        rows.extend(_strip_rows(builder, builder.tables[table_id], entry, path, notes, lines, pending, placements,
                                len(rows)))
    sheet = Sheet(name, rows, lines=lines, kind=kind, text=text, notes=notes, format=format_id,
                  placements=placements, pending=pending)
    sheet.cut_off = ends_in_table and any(e.row is not None for e in entries)
    return sheet


def _strip_rows(builder: _Builder, table: Table, entry: _Entry, path: str, notes: list[Note], lines: list,
                pending: list[Pending], placements: dict, at: int) -> list[list]:
    """Table C: the group labels, the column labels in official order, then the values (grid row
    ``at`` + 2)."""
    groups = [row.label for row in table.rows if row.parent is None]
    data_rows = table.data_rows
    labels = [col.label for _ in data_rows for col in table.columns]
    cells = tuple(f"{row.id}@{col.id}" for row in data_rows for col in table.columns)
    last = builder.table_line > builder.prose_line and not any(
        e.row is not None and e.row.is_data and builder.order[e.row.id] > builder.order[data_rows[-1].id]
        for e in builder.entries)
    placed = _place(_Entry(None, table.label, entry.line, entry.slots, table), cells, last, path, notes, not pending)
    if isinstance(placed, Pending):
        pending.append(placed)
        values = [ABSENT] * len(cells)
        where = [entry.line] * len(cells)
    else:
        tokens, how = placed
        values = [t.text if isinstance(t, _Token) else t for t in tokens]
        where = [t.line if isinstance(t, _Token) else entry.line for t in tokens]
        placements.update({(at + 2, c): how for c, value in enumerate(values) if value is not ABSENT})
    lines.extend([[entry.line], [entry.line] * len(cells), where])
    return [groups, labels, values]


# ----------------------------------------------------------------------------- metadata

_TITLE_AGENCY_FIRST = re.compile(
    r"(?P<agency>[\u3400-\u9fff（）()·]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)")
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>[\u3400-\u9fff（）()·]{2,40}?)\s*(?:政府信息公开|政务公开)")


_GENERIC = frozenset({"人民政府", "政府", "办公室", "人民政府办公室", "本机关", "我局", "我委", "我办"})


def title_metadata(text: str) -> tuple[str | None, int | None]:
    """Agency and year from a report's title (its first lines), e.g. 宁波市北仑区（开发区）/ 2018年度…."""
    head = [unicodedata.normalize("NFKC", line).strip() for line in text.splitlines() if line.strip()]
    head = [line for line in head[:_TITLE_LINES] if len(line) <= 80]
    joined = "".join(re.sub(r"\s+", "", line) for line in head)
    for pattern in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST):
        match = pattern.search(joined)
        if match:
            agency = match.group("agency").strip("：:") or None
            if agency in _GENERIC:
                agency = None  # "…人民政府2021年…" after a spam name: the name itself is gone
            agency = _restore_width(agency, text) if agency else None
            return agency, int(match.group("year"))
    years = set(re.findall(r"((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开)", re.sub(r"\s+", "", text)))
    return None, (int(years.pop()) if len(years) == 1 else None)


def _restore_width(agency: str, text: str) -> str:
    """The agency as printed (full-width brackets kept), found back in the original text."""
    pattern = "".join(r"[（(]" if ch in "（(" else r"[）)]" if ch in "）)" else re.escape(ch) for ch in agency)
    match = re.search(pattern, re.sub(r"\s+", "", text))
    return match.group(0) if match else agency
