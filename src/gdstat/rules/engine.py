"""The rule engine: every rule of a report's format, checked against its values.

A handful of rule kinds (see catalog/SCHEMA.md) cover every rule of the three formats; the rules
themselves are data. The same sum rules also give the recomputed totals that ``summarize`` shows.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from gdstat.catalog import Cell, Format, Rule, load_format
from gdstat.report import Report
from gdstat.rules.findings import Finding, FindingCell, fingerprint
from gdstat.text import core

NOTE_SEVERITY = {
    "unknown-row": "info",
    "missing-row": "warning",
    "missing-table": "warning",
    "ambiguous-header": "warning",
    "group-subtotal": "info",
    "extra-value-columns": "warning",
    "ambiguous-row": "warning",
    "table-incomplete": "warning",
    "narrative-mismatch": "warning",
}


class _Context:
    def __init__(self, report: Report):
        self.report = report
        self.format: Format = load_format(report.format)
        self.key = f"{report.format}|{report.agency or ''}|{report.year or ''}"
        self.findings: list[Finding] = []
        self.subtotals = report.has_subtotals
        # Every rule reads numbers, most cells several times: each is looked up once here, in the
        # same pass as the cells the values rule reports on (text, a negative, a fraction).
        self.numbers: dict[str, int | Decimal] = {}
        self.odd: set[str] = set()
        for cell_id, value in report.values.items():
            if value.kind == "number":
                number = value.value
                if number is not None:
                    self.numbers[cell_id] = number
                    if number.__class__ is not int or number < 0:
                        self.odd.add(cell_id)
            elif value.kind == "text":
                self.odd.add(cell_id)

    # -- values
    def number(self, cell_id: str):
        return self.numbers.get(cell_id)

    def reported(self, cell_id: str) -> bool:
        return cell_id in self.numbers

    # -- labels
    def cell(self, cell_id: str) -> Cell:
        """The official cell, or for a group row's subtotal a cell made from the group row."""
        return self.format.cells.get(cell_id) or group_cell(self.format, cell_id)

    def label(self, cell_id: str, lang: str, with_column: bool = True) -> str:
        """A short name: the label's core (the full label when the core is as short as 总计)."""
        cell = self.cell(cell_id)
        if lang == "en":
            return cell.label("en") if with_column else cell.row.label_en
        row = core(cell.row.label)
        row = row if len(row) > 3 else cell.row.label
        return f"{row}（{cell.column.label}）" if cell.column is not None and with_column else row

    def labels(self, cell_ids, lang: str, with_column: bool = True) -> str:
        return (" + " if lang == "en" else "＋").join(self.label(c, lang, with_column) for c in cell_ids)

    def finding_cell(self, cell_id: str) -> FindingCell:
        value = self.report.values.get(cell_id)
        location = value.location if value is not None else None
        return FindingCell(cell_id, self.label(cell_id, "zh"), self.label(cell_id, "en"), location, self.number(cell_id))

    def add(self, rule: Rule, code: str, severity: str, cells, zh: str, en: str, expected=None, actual=None) -> None:
        cells = list(dict.fromkeys(cells))
        self.findings.append(Finding(
            code=code,
            severity=severity,
            rule=rule.id or None,
            message=zh,
            message_en=en,
            cells=tuple(self.finding_cell(c) for c in cells),
            expected=expected,
            actual=actual,
            fingerprint=fingerprint(code, rule.id or None, cells, self.key),
        ))


@lru_cache(maxsize=None)
def _sides(format_id: str, rule: Rule) -> tuple[tuple[str | None, list[str], list[str]], ...]:
    """(column, left cells, right cells) for each column a ``balance`` or ``le`` rule applies to
    (one None for a rule on named cells), worked out once per format."""
    columns = [None]
    if rule.get("each_column") and rule.get("table"):
        columns = [column.id for column in load_format(format_id).table(rule.get("table")).columns]
    return tuple((column, _cells(rule.get("left", []), column), _cells(rule.get("right"), column)) for column in columns)


def _cells(ids, column: str | None) -> list[str]:
    return [i if column is None else f"{i}@{column}" for i in ids]


def _total(ctx: _Context, ids) -> tuple[Decimal | int, list[str]]:
    """Sum of the reported cells among ``ids``, and the ids that are not reported."""
    numbers = ctx.numbers
    try:  # most sums: every part reported, added up in one call
        return sum(map(numbers.__getitem__, ids)), []
    except KeyError:
        pass
    total, missing = 0, []
    for cell_id in ids:
        number = numbers.get(cell_id)
        if number is None:
            missing.append(cell_id)
        else:
            total += number
    return total, missing


def _blanks(ctx: _Context, cell_ids: list[str], lang: str, with_column: bool = True) -> str:
    """The unreported cells by name, or how many when more than two."""
    if len(cell_ids) > 2:
        return f"{len(cell_ids)} 个单元格" if lang == "zh" else f"{len(cell_ids)} cells"
    return ctx.labels(cell_ids, lang, with_column) + (" " if lang == "zh" else "")


def _fmt(number) -> str:
    return str(number)


# ----------------------------------------------------------------------------- rule kinds


def group_cell(fmt: Format, cell_id: str) -> Cell:
    """A cell on a group row (which the official formats leave empty), for subtotals reports add."""
    row_id, _, column_id = cell_id.partition("@")
    row = fmt.rows[row_id]
    table = fmt.table(row.table)
    column = next((c for c in table.columns if c.id == column_id), None)
    return Cell(cell_id, table, row, column, table.row_path(row))


def subtotal_cells(fmt: Format, report: Report) -> list[tuple[str, Cell]]:
    """(id, cell) of every subtotal the report wrote on a group row, in the report's order."""
    return [(cell_id, group_cell(fmt, cell_id)) for cell_id in report.values if cell_id not in fmt.cells]


def with_subtotals(fmt: Format, report: Report, ids: list[str]) -> list[str]:
    """``ids`` with every complete group of unreported rows replaced by the group's subtotal, where
    the report has one (numbers on a group row: a 2019-style （六）其他处理 in a 2021 table)."""
    groups: dict[str, list[str]] = {}
    for cell_id in ids:
        row_id, _, column = cell_id.partition("@")
        parent = fmt.rows[row_id].parent
        if parent and not fmt.rows[parent].is_data:
            groups.setdefault(f"{parent}@{column}" if column else parent, []).append(cell_id)
    result = list(ids)
    for subtotal, members in groups.items():
        value = report.values.get(subtotal)
        if value is None or value.kind != "number":
            continue
        parent, _, column = subtotal.partition("@")
        children = [f"{r.id}@{column}" if column else r.id for r in fmt.rows.values() if r.parent == parent and r.is_data]
        if sorted(children) != sorted(members) or any(report.number(m) is not None for m in members):
            continue
        at = result.index(members[0])
        result = [c for c in result if c not in members]
        result.insert(at, subtotal)
    return result


def _sum(ctx: _Context, rule: Rule, total_id: str, part_ids: list[str]) -> None:
    if ctx.subtotals:
        part_ids = with_subtotals(ctx.format, ctx.report, part_ids)
    if total_id not in ctx.numbers and ctx.numbers.keys().isdisjoint(part_ids):
        return
    parts, missing = _total(ctx, part_ids)
    total = ctx.number(total_id)
    if total is not None and parts > total:
        # Even with blank parts the reported ones already exceed the total.
        ctx.add(rule, rule.code, rule.severity, [total_id, *part_ids],
                f"{ctx.label(total_id, 'zh')} 为 {_fmt(total)}，但其分项之和为 {_fmt(parts)}",
                f"{ctx.label(total_id, 'en')} is {_fmt(total)}, but its parts add up to {_fmt(parts)}",
                expected=parts, actual=total)
        return
    if total is None or missing:
        blanks = ([total_id] if total is None else []) + missing
        ctx.add(rule, "incomplete-sum", "info", [total_id, *part_ids],
                f"{ctx.label(total_id, 'zh')}：{_blanks(ctx, blanks, 'zh')}未填报，无法核对求和",
                f"{ctx.label(total_id, 'en')}: {_blanks(ctx, blanks, 'en')} not reported, the sum cannot be checked",
                expected=None if missing else parts, actual=total)
        return
    if total != parts:
        ctx.add(rule, rule.code, rule.severity, [total_id, *part_ids],
                f"{ctx.label(total_id, 'zh')} 为 {_fmt(total)}，但其分项之和为 {_fmt(parts)}",
                f"{ctx.label(total_id, 'en')} is {_fmt(total)}, but its parts add up to {_fmt(parts)}",
                expected=parts, actual=total)


def sums(fmt: Format, rule: Rule):
    """(total cell, part cells) for every sum a ``sum`` or ``row_total`` rule states."""
    if rule.kind == "sum":
        each = rule.get("each_column") and rule.get("table")
        for column in [c.id for c in fmt.table(rule.get("table")).columns] if each else [None]:
            yield _cells([rule.get("total")], column)[0], _cells(rule.get("parts"), column)
    elif rule.kind == "row_total":
        table = fmt.table(rule.get("table"))
        total_column = rule.get("total_column")
        others = [c.id for c in table.columns if c.id != total_column]
        for row in table.data_rows:
            yield f"{row.id}@{total_column}", [f"{row.id}@{c}" for c in others]


@lru_cache(maxsize=None)
def _sums(format_id: str, rule: Rule) -> tuple[tuple[str, list[str]], ...]:
    """``sums`` of a catalogue rule, worked out once: every report of the format checks the same."""
    return tuple(sums(load_format(format_id), rule))


def check_sum(ctx: _Context, rule: Rule) -> None:
    for total_id, part_ids in _sums(ctx.format.id, rule):
        _sum(ctx, rule, total_id, part_ids)


def check_balance(ctx: _Context, rule: Rule) -> None:
    for column, left, right in _sides(ctx.format.id, rule):
        if ctx.numbers.keys().isdisjoint(left) and ctx.numbers.keys().isdisjoint(right):
            continue
        lsum, lmiss = _total(ctx, left)
        rsum, rmiss = _total(ctx, right)
        where_zh = f"（{ctx.cell(left[0]).column.label}列）" if column else ""
        where_en = f" ({ctx.cell(left[0]).column.label_en} column)" if column else ""
        if lmiss or rmiss:
            ctx.add(rule, "incomplete-sum", "info", left + right,
                    f"{_blanks(ctx, lmiss + rmiss, 'zh', column is None)}未填报，无法核对{where_zh}：{rule.text}",
                    f"{_blanks(ctx, lmiss + rmiss, 'en', column is None)} not reported, cannot check{where_en}: {rule.text_en}",
                    expected=None, actual=None)
            continue
        if lsum != rsum:
            each = column is None  # in a per-column rule the column is named once, at the end
            ctx.add(rule, rule.code, rule.severity, left + right,
                    f"{ctx.labels(left, 'zh', each)} = {_fmt(lsum)}，而 {ctx.labels(right, 'zh', each)} = {_fmt(rsum)}{where_zh}",
                    f"{ctx.labels(left, 'en', each)} = {_fmt(lsum)}, but {ctx.labels(right, 'en', each)} = {_fmt(rsum)}{where_en}",
                    expected=lsum, actual=rsum)


def check_le(ctx: _Context, rule: Rule) -> None:
    factor = Decimal(str(rule.get("factor", "1")))
    for _, left, right in _sides(ctx.format.id, rule):
        lsum, lmiss = _total(ctx, left)
        rsum, rmiss = _total(ctx, right)
        if lmiss or rmiss:
            continue  # an inequality is only checked on reported values
        limit = rsum * factor
        if lsum > limit:
            lzh = ctx.labels(left, "zh") if left else "0"
            len_ = ctx.labels(left, "en") if left else "0"
            times = f" × {factor}" if factor != 1 else ""
            ctx.add(rule, rule.code, rule.severity, left + right,
                    f"{lzh} = {_fmt(lsum)}，超过 {ctx.labels(right, 'zh')}{times} = {_fmt(limit)}",
                    f"{len_} = {_fmt(lsum)} exceeds {ctx.labels(right, 'en')}{times} = {_fmt(limit)}",
                    expected=f"<= {_fmt(limit)}", actual=lsum)


def check_bounds(ctx: _Context, rule: Rule) -> None:
    total_id, part_ids = rule.get("total"), rule.get("parts")
    total = ctx.number(total_id)
    if total is None:
        return
    for part_id in part_ids:
        part = ctx.number(part_id)
        if part is not None and part > total:
            ctx.add(rule, rule.code, rule.severity, [part_id, total_id],
                    f"{ctx.label(part_id, 'zh')} {_fmt(part)} 超过 {ctx.label(total_id, 'zh')} {_fmt(total)}（各渠道应为去重总数的子集）",
                    f"{ctx.label(part_id, 'en')} {_fmt(part)} exceeds {ctx.label(total_id, 'en')} {_fmt(total)} "
                    "(each channel should be a subset of the deduplicated total)",
                    expected=f"<= {_fmt(total)}", actual=part)
    parts, missing = _total(ctx, part_ids)
    if not missing and total > parts:
        ctx.add(rule, rule.code, rule.severity, [total_id, *part_ids],
                f"{ctx.label(total_id, 'zh')} {_fmt(total)} 超过各渠道之和 {_fmt(parts)}",
                f"{ctx.label(total_id, 'en')} {_fmt(total)} exceeds the sum of the channels {_fmt(parts)}",
                expected=f"<= {_fmt(parts)}", actual=total)


@lru_cache(maxsize=None)
def _table_cells(format_id: str, tables: tuple[str, ...]) -> dict[str, tuple[int, Cell]]:
    """Every official cell in ``tables``: id -> (official position, cell)."""
    fmt = load_format(format_id)
    items = (item for table in fmt.tables if table.id in tables for item in fmt.cells_by_table[table.id].items())
    return {cell_id: (position, cell) for position, (cell_id, cell) in enumerate(items)}


def check_values(ctx: _Context, rule: Rule) -> None:
    values, odd = ctx.report.values, ctx.odd
    if not odd:  # every number whole and not negative: most reports
        return
    cells = _table_cells(ctx.format.id, tuple(rule.get("tables")))
    for cell_id in sorted((cell_id for cell_id in odd if cell_id in cells), key=lambda cell_id: cells[cell_id][0]):
        cell = cells[cell_id][1]
        value = values[cell_id]
        if value.kind == "text":
            ctx.add(rule, "text-in-number-cell", "error", [cell_id],
                    f"{ctx.label(cell_id, 'zh')} 应填数字，实为文字“{value.raw.strip()}”",
                    f"{ctx.label(cell_id, 'en')} should hold a number but holds the text “{value.raw.strip()}”",
                    expected="number", actual=value.raw.strip())
            continue
        number = value.value
        label_zh, label_en = (ctx.label(cell_id, "zh"), ctx.label(cell_id, "en")) if number < 0 or isinstance(
            number, Decimal) else ("", "")
        if number < 0 and cell.number != "signed":
            ctx.add(rule, "negative-count", "error", [cell_id],
                    f"{label_zh} 为负数 {_fmt(number)}", f"{label_en} is negative: {_fmt(number)}",
                    expected=">= 0", actual=number)
        if isinstance(number, Decimal) and number != number.to_integral_value() and cell.number != "decimal":
            ctx.add(rule, "not-integer", "error", [cell_id],
                    f"{label_zh} 应为整数，实为 {_fmt(number)}", f"{label_en} should be a whole number, not {_fmt(number)}",
                    expected="integer", actual=number)


def check_zero_unless(ctx: _Context, rule: Rule) -> None:
    agency = ctx.report.agency
    if not agency or not re.search(rule.get("agency_pattern"), agency):
        return
    for cell_id in rule.get("cells"):
        number = ctx.number(cell_id)
        if number:
            ctx.add(rule, rule.code, rule.severity, [cell_id],
                    f"{agency} 看来没有规章制定权，但 {ctx.label(cell_id, 'zh')} 为 {_fmt(number)}",
                    f"{agency} seems to have no rule-making power, yet {ctx.label(cell_id, 'en')} is {_fmt(number)}",
                    expected="0 or not reported", actual=number)


def check_unit(ctx: _Context, rule: Rule) -> None:
    limit = Decimal(rule.get("limit"))
    for cell_id in rule.get("cells"):
        value = ctx.report.values.get(cell_id)
        if value is None or value.kind != "number":
            continue
        if value.value >= limit or value.unit == "元":
            ctx.add(rule, rule.code, rule.severity, [cell_id],
                    f"{ctx.label(cell_id, 'zh')} 为 {value.raw.strip()}，单位应为万元，可能误按元填报",
                    f"{ctx.label(cell_id, 'en')} is {value.raw.strip()}; the unit is 10,000 yuan, this looks like yuan",
                    expected=f"< {limit} (万元)", actual=value.value)


def _check_subtotals(ctx: _Context) -> None:
    """A group row's subtotal, where its rows are reported too, must equal their sum."""
    rule = Rule("", "sum", "error", "subtotal-mismatch", "", "", {})
    for cell_id, _ in subtotal_cells(ctx.format, ctx.report):
        row_id, _, column = cell_id.partition("@")
        children = [f"{r.id}@{column}" if column else r.id for r in ctx.format.rows.values()
                    if r.parent == row_id and r.is_data]
        if children and all(ctx.reported(c) for c in children) and ctx.reported(cell_id):
            parts, _ = _total(ctx, children)
            if parts != ctx.number(cell_id):
                ctx.add(rule, "subtotal-mismatch", "error", [cell_id, *children],
                        f"{ctx.label(cell_id, 'zh')} 填有合计 {_fmt(ctx.number(cell_id))}，但其下各项之和为 {_fmt(parts)}",
                        f"{ctx.label(cell_id, 'en')} holds the subtotal {_fmt(ctx.number(cell_id))}, but its rows add up to {_fmt(parts)}",
                        expected=parts, actual=ctx.number(cell_id))


CHECKS = {
    "sum": check_sum,
    "row_total": check_sum,
    "balance": check_balance,
    "le": check_le,
    "bounds": check_bounds,
    "values": check_values,
    "zero_unless": check_zero_unless,
    "unit": check_unit,
    "cross_year": None,  # needs two reports: see diff
}


_NAME_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def name_year(path: str) -> int | None:
    """The year a file's name states (``2023.xlsx``, ``北仑区2023年报.xlsx``), when it states one."""
    from pathlib import PurePath

    years = set(_NAME_YEAR.findall(PurePath(path).name))
    return int(years.pop()) if len(years) == 1 else None


def year_mismatch(report: Report) -> Finding | None:
    """A warning when the file's name and the report's title disagree on the year: a copy of last
    year's sheet saved under this year's name, most often."""
    named = name_year(report.source.path)
    if named is None or report.year is None or named == report.year:
        return None
    path = report.source.path
    return Finding(
        code="year-mismatch", severity="warning", rule=None,
        message=f"文件名中的年度（{named}）与标题中的年度（{report.year}）不一致；按标题作 {report.year} 年度",
        message_en=f"the year in the file's name ({named}) differs from the year in its title ({report.year}); "
                   f"taken as {report.year}, the title's",
        location=path, expected=named, actual=report.year,
        fingerprint=fingerprint("year-mismatch", None, [], f"{report.format}|{report.agency or ''}|{report.year}",
                                str(named)))


def check(report: Report) -> list[Finding]:
    """Every finding for one report: its notes from loading, the file name's year against the
    title's, then every rule in catalogue order."""
    ctx = _Context(report)
    mismatch = year_mismatch(report)
    if mismatch is not None:
        ctx.findings.append(mismatch)
    for note in report.notes:
        cells = list(note.cells)
        ctx.findings.append(Finding(
            code=note.code,
            severity=NOTE_SEVERITY.get(note.code, "warning"),
            rule=None,
            message=note.message,
            message_en=note.message_en,
            cells=tuple(ctx.finding_cell(c) for c in cells),
            location=note.location,
            fingerprint=fingerprint(note.code, None, cells, ctx.key, note.message),
        ))
    for rule in ctx.format.rules:
        checker = CHECKS[rule.kind]
        if checker is not None:
            checker(ctx, rule)
    _check_subtotals(ctx)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(ctx.findings, key=lambda f: order[f.severity])


def sum_relations(fmt: Format) -> dict[str, list[str]]:
    """Every total cell of a format and the cells it adds up, from its sum and row_total rules.

    A cell that is the total of two rules (总计 of （七）总计) keeps the first, in catalogue order. The
    same relations give the recomputed totals here and the formulas of written sheets.
    """
    relations: dict[str, list[str]] = {}
    for rule in fmt.rules:
        for total_id, part_ids in sums(fmt, rule):
            relations.setdefault(total_id, part_ids)
    return relations


def recomputed(report: Report) -> dict[str, int | Decimal]:
    """Totals recomputed from their parts, where every part is reported (sum and row_total rules)."""
    ctx = _Context(report)
    result: dict[str, int | Decimal] = {}
    for total_id, part_ids in sum_relations(ctx.format).items():
        parts, missing = _total(ctx, part_ids)
        if not missing:
            result[total_id] = parts
    return result
