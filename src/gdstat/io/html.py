"""Saved web pages: every ``<table>`` as a grid (rowspan and colspan expanded), and the page's text.

Markup inside a script's string literals (pages that write their report with JavaScript) is read
as markup. The standard library's ``html.parser`` is enough: it is lenient with the broken markup of real
government pages (unclosed ``<td>``, ``<p>`` inside cells, ``&nbsp;`` everywhere). Layout tables
around the report are kept apart from the statistics tables nested in them: a cell's text never
includes a nested table's. The page's running text (tables as ``a | b | c`` lines) is rebuilt too,
for the title, the narrative check and pages that print the table without ``<table>`` markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from gdstat import limits
from gdstat.io.grid import ABSENT, Sheet

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                     "article", "header", "footer", "blockquote", "pre", "hr", "title", "dd", "dt", "ul", "ol"})
_SKIP = frozenset({"script", "style", "noscript", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
# a page saved before it finished loading may stop inside the script, and inside its string
_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>|\Z)", re.I | re.S)
_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)(?:"|\Z)|\'((?:[^\'\\\n]|\\.)*)(?:\'|\Z)|`((?:[^`\\]|\\.)*)(?:`|\Z)', re.S)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its ``<meta>``; GBK and GB2312 are read as GB18030 (a superset)."""
    match = _CHARSET.search(data[:8192])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "gb18030"):
        return "gb18030"
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    start: int  # order of appearance
    rows: list[list[_Cell]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.stack: list[_Table] = []  # open tables, innermost last
        self.cell: list[_Cell | None] = []  # the open cell of each open table
        self.text: list[str] = []
        self.title: list[str] = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
        if tag in _BLOCKS:
            self.text.append("\n")
        if tag == "table":
            table = _Table(len(self.tables))
            self.tables.append(table)
            self.stack.append(table)
            self.cell.append(None)
        elif tag == "tr" and self.stack:
            self.stack[-1].rows.append([])
            self.stack[-1].lines.append(self.getpos()[0])
            self.cell[-1] = None
        elif tag in ("td", "th") and self.stack:
            table = self.stack[-1]
            if not table.rows:
                table.rows.append([])
                table.lines.append(self.getpos()[0])
            values = dict(attrs)
            cell = _Cell(rowspan=_span(values.get("rowspan")), colspan=_span(values.get("colspan")))
            table.rows[-1].append(cell)
            self.cell[-1] = cell
            if len(table.rows[-1]) > 1:
                self.text.append(" | ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag in _BLOCKS:
            self.text.append("\n")
        if tag == "table" and self.stack:
            self.stack.pop()
            self.cell.pop()
        elif tag in ("td", "th") and self.stack:
            self.cell[-1] = None
        if tag in ("p", "div", "br") and self.stack and self.cell[-1] is not None:
            self.cell[-1].text.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "br":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title.append(data)
            return
        self.text.append(data)
        if self.stack and self.cell[-1] is not None:
            self.cell[-1].text.append(data)


def _span(value) -> int:
    """A rowspan or colspan, whatever quoted it (``\\"3\\"`` in markup copied out of a script)."""
    digits = re.sub(r"\D", "", str(value or ""))[:12]
    span = max(1, int(digits)) if digits else 1
    limits.check("span", span)
    return span


def _unescape(literal: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, literal)


def unscript(text: str) -> str:
    """A page that builds its report in a script (``let content = "<table border=\\"1\\">…"``)
    holds the report's markup in string literals: each script that writes a table is replaced by
    the markup of its literals, unescaped, so that it is read like the rest of the page."""
    def markup(match: re.Match) -> str:
        body = match.group(2)
        if "<t" not in body.lower():
            return match.group(0)
        parts = [_unescape(next(g for g in m.groups() if g is not None)) for m in _LITERAL.finditer(body)]
        return "\n".join(p for p in parts if "<" in p)

    return _SCRIPT.sub(markup, text)


def _cell_text(cell: _Cell) -> str | None:
    text = "".join(cell.text)
    text = "".join(_SPACES.sub(" ", part).strip() for part in text.split("\n"))
    return text or None


def _grid(table: _Table) -> tuple[list[list], list[int]]:
    """Rows of cell texts with rowspan and colspan expanded the way a spreadsheet stores merged
    cells: the text in the top-left position, the other positions it covers empty, so that every
    later cell lands in its true column."""
    grid: list[list] = []
    taken: dict[tuple[int, int], str | None] = {}
    for r, cells in enumerate(table.rows):
        row: list = []
        c = 0
        for cell in cells:
            while (r, c) in taken:
                row.append(taken.pop((r, c)))
                c += 1
            row.append(_cell_text(cell))
            row.extend([None] * (cell.colspan - 1))
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = None
            c += cell.colspan
        while (r, c) in taken:
            row.append(taken.pop((r, c)))
            c += 1
        grid.append(row)
    # a row with fewer cells than the table (a page cut off inside it): the cells it lacks are unknown, not empty
    width = max((len(row) for row in grid), default=0)
    for row in grid:
        if any(cell is not None for cell in row):
            row.extend([ABSENT] * (width - len(row)))
    return grid, list(table.lines)


def parse_page(text: str) -> tuple[list[list], list[int], str]:
    """``(rows, lines, page_text)``: every table's rows, stacked in page order, and the running text."""
    parser = _Parser()
    parser.feed(unscript(text))
    parser.close()
    rows: list[list] = []
    lines: list[int] = []
    # The positions merged cells cover, counted before any is made.
    limits.check("area", sum(c.colspan * c.rowspan for t in parser.tables for row in t.rows for c in row))
    for table in parser.tables:
        grid, where = _grid(table)
        if any(any(cell is not None for cell in row) for row in grid):
            rows.extend(grid)
            lines.extend(where)
            rows.append([])
            lines.append(where[-1] if where else 1)
    title = _SPACES.sub(" ", "".join(parser.title)).strip()
    body = "\n".join(line.strip() for line in _SPACES.sub(" ", "".join(parser.text)).split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return rows, lines, (title + "\n\n" + body if title else body)


def read_html(path: Path, text: str, table_format: str | None = None) -> list[Sheet]:
    """The page's tables as one grid, and the page's text rebuilt as a second candidate."""
    from gdstat.io.textreport import rebuild

    rows, lines, page = parse_page(text)
    sheets = [Sheet(None, rows, lines=lines, kind="html", text=page)]
    rebuilt = rebuild(page, str(path), table_format, "html", "text")  # lines of the page's text, not of the file
    if rebuilt is not None:
        sheets.append(rebuilt)
    return sheets
