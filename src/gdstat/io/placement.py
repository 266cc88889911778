"""The one certainty rule: a number goes into an official cell only when its row and its column are
both determined, and each value records how (``placement``):

``labelled``
    its row by the label beside it, its column by the header above it or by a full row of numbers
    (every column accounted for, empty cells included);
``aligned``
    its row or column by the layout's order: numbers a wrapped label printed above it, a mangled
    label between two recognised rows, a row the page cut off after its first numbers;
``arithmetic``
    a row with fewer numbers than columns, placed because exactly one way of putting its numbers
    into the columns satisfies every equality of the format that touches the row (row totals,
    column sums, the table's balance).

Readers never store an uncertain number: they hand a :class:`Pending` row here. :func:`settle`
tries the arithmetic; what stays undecided becomes an ``ambiguous-row`` note that quotes the
numbers and the cells each could belong to.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product
from math import prod

from gdstat.catalog import Format, load_format
from gdstat.cells import parse
from gdstat.report import Location, Value

LABELLED, ALIGNED, ARITHMETIC = "labelled", "aligned", "arithmetic"
_LISTED = 6  # alignments spelled out in a note; more are counted
_MAX_TRIALS = 20000  # combinations of alignments tried together, at most


@dataclass(frozen=True)
class Pending:
    """A row whose numbers could not be placed from the layout alone."""

    label: str
    cells: tuple[str, ...]  # the row's cell ids in printed column order
    numbers: tuple[str, ...]  # the numbers as printed, in order
    locations: tuple[Location, ...]  # where each number was read
    location: Location  # where the row's label was read
    cut: bool = False  # the page ends inside this row: the cells after its numbers are unknown, not empty

    def alignments(self) -> list[tuple[int, ...]]:
        """Every order-keeping way to put the numbers into the row's columns."""
        return list(combinations(range(len(self.cells)), len(self.numbers)))


@lru_cache(maxsize=None)
def _equations(format_id: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Every equality the format states, as (cells added, cells subtracted) that sum to zero."""
    from gdstat.rules.engine import sums

    fmt = load_format(format_id)
    found = []
    for rule in fmt.rules:
        if rule.kind in ("sum", "row_total"):
            found.extend(((total,), tuple(parts)) for total, parts in sums(fmt, rule))
        elif rule.kind == "balance":
            columns = [c.id for c in fmt.table(rule.get("table")).columns] if rule.get("each_column") else [None]
            for column in columns:
                left, right = ([i if column is None else f"{i}@{column}" for i in rule.get(side)] for side in ("left", "right"))
                found.append((tuple(left), tuple(right)))
    return tuple(found)


def _amount(value: Value | None):
    """A cell's number for the arithmetic: blanks and ``/`` count as 0; None when unknown."""
    if value is None or value.kind == "text":
        return None
    return value.value if value.kind == "number" else 0


def _holds(fmt: Format, values: dict[str, Value], trial: dict[str, object], touched: set[str]) -> tuple[bool, set[str]]:
    """Whether every equality touching ``touched`` holds under ``trial`` (an equality with an
    unknown cell cannot be checked and is passed over), and the cells of those checked."""
    checked: set[str] = set()
    for plus, minus in _equations(fmt.id):
        if touched.isdisjoint(plus) and touched.isdisjoint(minus):
            continue
        amounts = [(sign, trial[c] if c in trial else _amount(values.get(c))) for sign, ids in ((1, plus), (-1, minus))
                   for c in ids]
        if any(amount is None for _, amount in amounts):
            continue
        if sum(sign * amount for sign, amount in amounts) != 0:
            return False, checked
        checked.update(plus, minus)
    return True, checked


def _trial(rows: tuple[Pending, ...], alignments: tuple[tuple[int, ...], ...]) -> dict[str, object]:
    trial: dict[str, object] = {}
    for row, alignment in zip(rows, alignments):
        filled = {row.cells[i]: parse(n)[1] for i, n in zip(alignment, row.numbers)}
        rest = None if row.cut else 0  # cut cells are unknown; dropped empty cells are blank
        trial.update({cell: filled.get(cell, rest) for cell in row.cells})
    return trial


def _groups(fmt: Format, rows: list[Pending]) -> list[tuple[Pending, ...]]:
    """The pending rows joined when an equality touches more than one of them: they are decided together."""
    owner = {cell: i for i, row in enumerate(rows) for cell in row.cells}
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for plus, minus in _equations(fmt.id):
        linked = {root(owner[c]) for c in (*plus, *minus) if c in owner}
        first = min(linked, default=None)
        for other in linked:
            parent[other] = first
    groups: dict[int, list[Pending]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(root(i), []).append(row)
    return [tuple(group) for group in groups.values()]


def settle(fmt: Format, values: dict[str, Value], pending: list[Pending]) -> list:
    """Place the pending rows the arithmetic decides (into ``values``, as ``arithmetic``); return
    ``ambiguous-row`` notes for the rest. Rows an equality links are tried together: a row is
    placed when every combination under which all checkable equalities hold gives it the same
    alignment, and some equality touching it could be checked."""
    notes = []
    if not pending:  # most sheets: every value was placed by its label and header
        return notes
    for group in _groups(fmt, pending):
        # first each row alone (its row total): what fails there fails in every combination
        options = [[a for a in row.alignments() if _holds(fmt, values, _trial((row,), (a,)), set(row.cells))[0]]
                   or row.alignments() for row in group]
        if prod(len(o) for o in options) > _MAX_TRIALS:  # too many to try: each alone, the others unknown
            group_options = [((row,), [(a,) for a in o]) for row, o in zip(group, options)]
        else:
            group_options = [(group, list(product(*options)))]
        for rows, combinations_ in group_options:
            touched = {cell for row in rows for cell in row.cells}
            fits: list[list[tuple[int, ...]]] = [[] for _ in rows]
            checked = [True] * len(rows)
            for combination in combinations_:
                ok, cells = _holds(fmt, values, _trial(rows, combination), touched)
                if not ok:
                    continue
                for k, row in enumerate(rows):
                    if combination[k] not in fits[k]:
                        fits[k].append(combination[k])
                    checked[k] = checked[k] and not cells.isdisjoint(row.cells)
            for k, row in enumerate(rows):
                if len(fits[k]) == 1 and checked[k]:
                    _store(values, row, fits[k][0])
                else:
                    notes.append(_note(fmt, row, fits[k] or row.alignments()))
    return notes


def _store(values: dict[str, Value], row: Pending, alignment: tuple[int, ...]) -> None:
    for i, cell_id in enumerate(row.cells):
        if i in alignment:
            k = alignment.index(i)
            kind, value, text, unit = parse(row.numbers[k])
            values[cell_id] = Value(cell_id, value, kind, text, row.locations[k], unit, ARITHMETIC)
        elif not row.cut:
            values[cell_id] = Value(cell_id, None, "blank", "", row.location, None, ARITHMETIC)


def _name(fmt: Format, cell_id: str, en: bool = False) -> str:
    """A cell's column label (its row's label in a one-column table)."""
    row_id, _, column_id = cell_id.partition("@")
    row = fmt.rows[row_id]
    column = next((c for c in fmt.table(row.table).columns if c.id == column_id), None)
    if column is None:
        return row.label_en if en else row.label
    return column.label_en if en else column.label


def _note(fmt: Format, row: Pending, alignments: list[tuple[int, ...]]):
    from gdstat.io.locate import Note

    def ways(en: bool) -> str:
        return ("; " if en else "；").join(
            (", " if en else "，").join(f"{n}→{_name(fmt, row.cells[i], en)}" for n, i in zip(row.numbers, a))
            for a in alignments[:_LISTED])

    count = f"等 {len(alignments)} 种" if len(alignments) > _LISTED else f"共 {len(alignments)} 种"
    cells = tuple(c for i, c in enumerate(row.cells) if any(i in a for a in alignments)) or row.cells
    return Note(
        "ambiguous-row",
        f"“{row.label}”一行有 {len(row.numbers)} 个数（{'、'.join(row.numbers)}），表格有 {len(row.cells)} 列："
        f"无法确定各数所属的列，未读取；可能的位置（{count}）：{ways(False)}",
        f"the row “{row.label}” has {len(row.numbers)} numbers ({', '.join(row.numbers)}) for {len(row.cells)} columns: "
        f"which number belongs to which column is uncertain, so none was read; possible placements "
        f"({len(alignments)} in all): {ways(True)}",
        row.location, cells,
    )
