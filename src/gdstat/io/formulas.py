"""Formulas that an xlsx stores without a computed value, evaluated so they are never read as blank.

Excel and WPS save the value of every formula beside it, and python-calamine reads that value. A
file written by a program (openpyxl, gdstat ``write --formulas``, a template filled in by a script)
has formulas but no values, and calamine reads those cells as empty. This module finds such cells in
the sheet XML and evaluates the simple arithmetic the official sheets use: numbers, cell
references, ``SUM`` over cells and ranges, ``+ - * /`` and brackets, and the guarded sum gdstat
writes (``IF(COUNT(X)=0,"",SUM(X))``), in exact Decimal arithmetic. A
blank referenced cell counts 0, as in Excel, but a formula whose referenced cells are all blank
stays blank: nothing was reported. A formula beyond that is left in the cell as its text
(``=VLOOKUP(...)``), so the loader reports text in a number cell rather than a silent blank.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from contextlib import nullcontext
from decimal import Decimal
from pathlib import PurePosixPath
from xml.etree import ElementTree

from gdstat import limits
from gdstat.io.sniff import read_part
from gdstat.io.spreadsheet import FORMULA, is_sheet_part

# Formulas referring to formulas are evaluated recursively: a chain deeper than this is left as text.
MAX_DEPTH = 100
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)|(SUM)\s*\(|(.))", re.I)
# The guarded sum gdstat writes: IF(COUNT(X)=0,"",SUM(X)) is SUM(X), blank when X holds no number.
_GUARDED = re.compile(r'^IF\(COUNT\((?P<cells>[^()]*)\)=0,"",SUM\((?P=cells)\)\)$', re.I)
# A name's prefix, if any (x: in <x:f>).
_PREFIX = rb"(?:[^\s<>/=\"']+:)?"
# A formula element's start, whatever its prefix: every one the XML parser would find.
_ANY_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
# A cell as Excel and WPS save a formula: opened (not closed at once) with the formula as its first
# child, and next to it, under the same prefix, its value holding a letter or a digit (ASCII, no
# entity: never blank). <c r="B7"><f>SUM(B2:B6)</f><v>12</v></c>, <f t="shared" si="0"/> too.
_CACHED = re.compile(
    rb"<" + _PREFIX + rb"c(?:\s[^<>]*[^<>/])?>\s*"
    rb"<(" + _PREFIX + rb")f(?![^<>]*xmlns)(?:\s[^<>]*)?(?:/>|(?<!/)>[^<]*</[^<>]*>)\s*"
    rb"<\1v>(?=[^<&\x80-\xff]*[0-9A-Za-z])[^<&\x80-\xff]*</[^<>]*>")  # a lookahead: linear time
# An XML declaration naming an encoding other than UTF-8 (the patterns above read UTF-8 bytes).
_OTHER_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*[\"'](?!utf-8[\"'])", re.I)
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _position(ref: str) -> tuple[int, int]:
    """``B3`` -> (2, 1): 0-based row and column."""
    letters, digits = _CELL.match(ref.replace("$", "").upper()).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def uncached_formulas(source, members: Iterable[str] | None = None) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): formula text} for formula cells saved without a value.

    ``source``: the xlsx's path, or the file already opened as a ``zipfile.ZipFile`` (left open);
    ``members``: the worksheet parts that hold a formula, when known, each with its bytes or None
    (io.spreadsheet.SheetScan.with_formulas), else every worksheet is looked at.
    """
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with nullcontext(source) if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if members is None:
                members = dict.fromkeys(filter(is_sheet_part, names))
            # The usual case is no formula at all: look for one before parsing the workbook's parts.
            with_formulas = {member: data for member, kept in members.items()
                             if FORMULA.search(data := kept or read_part(archive, member))}
            if all(map(_all_cached, with_formulas.values())):  # a workbook saved by Excel or WPS
                return {}
            for name, member in _sheet_files(archive, names).items():
                data = with_formulas.get(member)
                if data is None:
                    continue
                cells = {}
                for _, element in ElementTree.iterparse(io.BytesIO(data)):
                    if element.tag != f"{_NS}c":
                        continue
                    formula = element.find(f"{_NS}f")
                    value = element.find(f"{_NS}v")
                    if formula is not None and formula.text and (value is None or not (value.text or "").strip()):
                        cells[_position(element.get("r"))] = formula.text
                    element.clear()
                if cells:
                    found[name] = cells
    except (zipfile.BadZipFile, LookupError, ValueError, ElementTree.ParseError, AttributeError, zlib.error, EOFError,
            NotImplementedError):
        return {}  # not an OOXML package we understand: calamine's reading stands
    return found


def _all_cached(data: bytes) -> bool:
    """Does every formula of this sheet XML have its value saved beside it, so that parsing it would
    find none without? Said from the bytes only when they leave no doubt: UTF-8 (no other encoding
    declared, no NUL of UTF-16), no DTD, comment or CDATA section (``<!``), and as many formula
    elements (_ANY_FORMULA) as cells of the usual shape (_CACHED). Each formula element is then the
    first child of its cell, so the only one the cell has, and the cell's first value element is
    the one beside it, which is not blank. (A malformed sheet makes the parse fail and find none too.)"""
    return (b"<!" not in data and b"\x00" not in data and not _OTHER_ENCODING.match(data)
            and len(_ANY_FORMULA.findall(data)) == len(_CACHED.findall(data)))


def _sheet_files(archive, names) -> dict[str, str]:
    workbook = ElementTree.fromstring(read_part(archive, "xl/workbook.xml"))
    rels = ElementTree.fromstring(read_part(archive, "xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    files = {}
    for sheet in workbook.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(_REL), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        if member in names:
            files[sheet.get("name")] = member
    return files


class _Unsupported(Exception):
    pass


def _number(raw) -> Decimal | None:
    from gdstat.cells import parse

    kind, value, _, _ = parse(raw)
    return Decimal(value) if kind == "number" else None


class _Evaluator:
    """Recursive-descent evaluation over a grid; ``seen`` tracks whether any operand was reported."""

    def __init__(self, rows: list[list], formulas: dict[tuple[int, int], str]):
        self.rows, self.formulas = rows, formulas
        self.done: dict[tuple[int, int], Decimal | None] = {}
        self.active: set[tuple[int, int]] = set()
        self.visited = limits.Budget("formula-cells")

    def cell(self, at: tuple[int, int]) -> Decimal | None:
        if at in self.formulas:
            if at not in self.done:
                if at in self.active:
                    raise _Unsupported("circular reference")
                if len(self.active) >= MAX_DEPTH:
                    raise _Unsupported("formulas nested too deep")
                self.active.add(at)
                try:
                    self.done[at] = self.formula(self.formulas[at])
                finally:
                    self.active.discard(at)
            return self.done[at]
        r, c = at
        raw = self.rows[r][c] if r < len(self.rows) and c < len(self.rows[r]) else None
        return _number(raw)

    def formula(self, text: str) -> Decimal | None:
        text = text.lstrip("=").replace(" ", "")
        guarded = _GUARDED.match(text)
        if guarded:
            text = f"SUM({guarded.group('cells')})"
        self.tokens = [m.groups() for m in _TOKEN.finditer(text) if any(m.groups())]
        self.i, self.seen = 0, False
        value = self.expression()
        if self.i != len(self.tokens):
            raise _Unsupported(text)
        return value if self.seen else None

    # grammar: expression = term {(+|-) term}; term = factor {(*|/) factor}; factor = [-] atom
    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None, None, None)

    def take(self, symbol: str) -> bool:
        if self.peek()[3] == symbol:
            self.i += 1
            return True
        return False

    def expression(self) -> Decimal:
        value = self.term()
        while True:
            if self.take("+"):
                value += self.term()
            elif self.take("-"):
                value -= self.term()
            else:
                return value

    def term(self) -> Decimal:
        value = self.factor()
        while True:
            if self.take("*"):
                value *= self.factor()
            elif self.take("/"):
                divisor = self.factor()
                if not divisor:
                    raise _Unsupported("division by zero")
                value /= divisor
            else:
                return value

    def factor(self) -> Decimal:
        if self.take("-"):
            return -self.factor()
        if self.take("+"):
            return self.factor()
        number, ref, function, symbol = self.peek()
        self.i += 1
        if number is not None:
            self.seen = True
            return Decimal(number)
        if ref is not None:
            return self.reference(ref)
        if function is not None:
            total = Decimal(0)
            while True:
                total += self.expression_or_range()
                if self.take(")"):
                    return total
                if not self.take(","):
                    raise _Unsupported("SUM arguments")
        if symbol == "(":
            value = self.expression()
            if not self.take(")"):
                raise _Unsupported("bracket")
            return value
        raise _Unsupported(symbol or "end of formula")

    def expression_or_range(self) -> Decimal:
        ref = self.peek()[1]
        if ref is not None and ":" in ref:
            self.i += 1
            return self.reference(ref)
        return self.expression()

    def reference(self, ref: str) -> Decimal:
        """The sum of a cell or range. Only the cells that exist are visited (a range over the whole
        sheet costs what the sheet holds), and those against the ``formula-cells`` limit."""
        first, _, last = ref.partition(":")
        (r1, c1), (r2, c2) = _position(first), _position(last or first)
        (r1, r2), (c1, c2) = sorted((r1, r2)), sorted((c1, c2))
        total = Decimal(0)
        cells = [(r, c) for r in range(r1, min(r2, len(self.rows) - 1) + 1)
                 for c in range(c1, min(c2, len(self.rows[r]) - 1) + 1)]
        cells += [at for at in self.formulas if r1 <= at[0] <= r2 and c1 <= at[1] <= c2 and (
            at[0] >= len(self.rows) or at[1] >= len(self.rows[at[0]]))]
        self.visited.add(len(cells))
        for at in cells:
            tokens, i, seen = self.tokens, self.i, self.seen  # a nested formula has its own tokens
            value = self.cell(at)
            self.tokens, self.i, self.seen = tokens, i, seen
            if value is not None:
                self.seen = True
                total += value
        return total


def fill_formulas(rows: list[list], formulas: dict[tuple[int, int], str]) -> list[list]:
    """The grid with each uncached formula replaced by its value (int or Decimal), by None when all its
    operands are blank, or by its text (``=...``) when gdstat cannot evaluate it."""
    if not formulas:
        return rows
    evaluator = _Evaluator(rows, formulas)
    results = {}
    for at, text in formulas.items():
        try:
            value = evaluator.cell(at)
        except (_Unsupported, ArithmeticError, IndexError, AttributeError):
            value = f"={text}"
        if isinstance(value, Decimal) and abs(value.adjusted()) > limits.get("digits"):
            value = f"={text}"  # a result no count has: read as text in a number cell
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else value.normalize()
        results[at] = value
    height = max(r for r, _ in results) + 1
    grid = [list(row) for row in rows] + [[] for _ in range(max(0, height - len(rows)))]
    for (r, c), value in results.items():
        row = grid[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value
    return grid
