"""Sum the reports of several units (departments, streets, towns) of one format and year into one.

Per cell: the reported numbers are added; a unit that did not report a cell adds nothing, and a
cell no unit reported stays not reported (never 0). Every unit is checked on its own, and so is
the sum, so a finding always names the unit it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gdstat.api import FileCheck, Summary, filter_baseline
from gdstat.catalog import load_format
from gdstat.errors import InputError, UsageError
from gdstat.report import Report, Source, Value
from gdstat.rules import Finding, count

DEFAULT_AGENCY = "汇总"


def sum_reports(reports: list[Report], agency: str | None = None, source: str = "") -> Report:
    """One Report whose every cell is the sum of the units' reported numbers for that cell.

    A unit that reported a group only as a subtotal (a 2019-style （六）其他处理 row in a 2021
    report) makes the sum's group a subtotal too: the other units' rows of that group are added
    into it, and the group's rows are left not reported in the sum, since they cannot be split.
    """
    first = reports[0]
    fmt = load_format(first.format)
    units = [_with_subtotals_only(fmt, r, _subtotal_groups(fmt, reports)) for r in reports]
    values: dict[str, Value] = {}
    cells = list(fmt.cells) + sorted({c for r in units for c in r if c not in fmt.cells})
    for cell_id in cells:
        found = [r[cell_id] for r in units if cell_id in r]
        numbers = [v.value for v in found if v.kind == "number"]
        if numbers:
            total = sum(numbers)
            values[cell_id] = Value(cell_id, total, "number", str(total))
        elif found and all(v.kind == "not-applicable" for v in found):
            values[cell_id] = Value(cell_id, None, "not-applicable", "/")
        elif found:
            values[cell_id] = Value(cell_id, None, "blank", "")
    return Report(Source(source, "aggregate"), first.format, agency or DEFAULT_AGENCY, first.year, values)


def _subtotal_groups(fmt, reports: list[Report]) -> dict[str, list[str]]:
    """Group subtotal cell -> its rows' cells, for every group some unit reported as a subtotal."""
    from gdstat.rules.engine import subtotal_cells

    groups = {}
    for report in reports:
        for cell_id, cell in subtotal_cells(fmt, report):
            column = f"@{cell.column.id}" if cell.column else ""
            groups[cell_id] = [r.id + column for r in fmt.rows.values() if r.parent == cell.row.id and r.is_data]
    return groups


def _with_subtotals_only(fmt, report: Report, groups: dict[str, list[str]]) -> dict[str, Value]:
    """The unit's values with each such group folded into its subtotal (rows summed when the unit
    reported rows rather than a subtotal)."""
    values = dict(report.values)
    for subtotal, children in groups.items():
        rows = [values.pop(c) for c in children if c in values]
        if subtotal in values:
            continue
        numbers = [v.value for v in rows if v.kind == "number"]
        if numbers:
            values[subtotal] = Value(subtotal, sum(numbers), "number", str(sum(numbers)))
    return values


@dataclass(frozen=True)
class Aggregate:
    """The sum (as a Summary of it) and every unit that went into it."""

    summary: Summary
    units: tuple[FileCheck, ...]

    @property
    def report(self) -> Report:
        return self.summary.report

    @property
    def labelled_findings(self) -> list[tuple[str, str, Finding]]:
        """(unit, path, finding) for every unit's findings, then the sum's."""
        out = [(unit_name(u), u.path, f) for u in self.units for f in u.findings]
        out += [(self.report.agency, self.report.source.path, f) for f in self.summary.findings]
        return out

    @property
    def findings(self) -> list[Finding]:
        return [f for _, _, f in self.labelled_findings]

    def to_dict(self, lang: str = "zh") -> dict:
        data = self.summary.to_dict(lang)
        data["units"] = [{"path": u.path, **_header(u.report), "summary": count(u.findings)} for u in self.units]
        data["findings"] = [{"unit": unit, "path": path, **f.to_dict(lang)} for unit, path, f in self.labelled_findings]
        data["summary"] = count(self.findings)
        return data


def unit_name(unit: FileCheck) -> str:
    return unit.report.agency or Path(unit.path).stem


def _header(report: Report) -> dict:
    return {"agency": report.agency, "format": report.format, "year": report.year}


def aggregate(paths, agency: str | None = None, precision: int = 1, encoding: str | None = None,
              table_format: str | None = None, baseline: set[str] | None = None) -> Aggregate:
    """Read, check and sum the units in ``paths`` (files, folders, globs).

    Raises InputError (exit 3) when an input cannot be read, since a sum without it would be
    wrong, and UsageError (exit 2) when the units are not all of one format and year.
    """
    from gdstat.api import load
    from gdstat.inputs import expand
    from gdstat.metrics import derive
    from gdstat.rules import check, recomputed

    files = expand(paths)
    if not files:
        raise InputError("no input files found", hint="name the units' sheets, or a folder holding them")
    units, failed = [], []
    for path in files:
        try:
            report = load(path, encoding=encoding, table_format=table_format)
        except InputError as exc:
            failed.append(exc)
            continue
        kept, passed_over = filter_baseline(check(report), baseline)
        units.append(FileCheck(path, report, tuple(kept), passed_over=passed_over))
    if failed:
        first = failed[0]
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        raise InputError(f"{first}{more}; nothing was summed", hint=first.hint)
    _same_kind(units)
    try:  # the folder the units share names the sum's source
        source = os.path.commonpath([u.path for u in units]) if len(units) > 1 else units[0].path
    except ValueError:  # relative and absolute paths mixed
        source = ""
    total = sum_reports([u.report for u in units], agency, source)
    findings, passed_over = filter_baseline(_duplicates(units, total) + check(total), baseline)
    summary = Summary(total, recomputed(total), tuple(derive(total, precision)), tuple(findings), precision,
                      passed_over + sum(u.passed_over for u in units))
    return Aggregate(summary, tuple(units))


def _duplicates(units: list[FileCheck], total: Report) -> list[Finding]:
    """A unit named by two files is probably counted twice: say so (a warning, the sum is kept)."""
    from gdstat.rules.findings import fingerprint

    by_agency: dict[str, list[str]] = {}
    for unit in units:
        if unit.report.agency:
            by_agency.setdefault(unit.report.agency, []).append(unit.path)
    out = []
    for name, paths in by_agency.items():
        if len(paths) > 1:
            listed = ", ".join(paths)
            out.append(Finding(
                code="duplicate-unit", severity="warning", rule=None,
                message=f"{name} 出现在 {len(paths)} 个文件中（{listed}），可能被重复汇总",
                message_en=f"{name} appears in {len(paths)} files ({listed}) and may be counted twice",
                location=listed,
                fingerprint=fingerprint("duplicate-unit", None, [], f"{total.format}|{total.year}", name)))
    return out


def _same_kind(units: list[FileCheck]) -> None:
    groups: dict[tuple, list[str]] = {}
    for unit in units:
        groups.setdefault((unit.report.format, unit.report.year), []).append(unit.path)
    if len(groups) == 1:
        return
    parts = []
    for (format_id, year), paths in groups.items():
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        parts.append(f"format {format_id} year {year or 'unknown'}: {shown}")
    raise UsageError("the inputs are not all of one format and year: " + "; ".join(parts),
                     hint="sum the sheets of one year at a time; a sheet whose year is unknown needs it in its title")
