"""Compare years: every cell side by side, across formats through the crosswalk, and the cross-year checks.

``diff(["2017", "2018"])`` resolves years to files in a data folder, reads them, and returns a
``Comparison`` (frozen, with ``to_dict()``). Rows are keyed by the cells they compare in the newest
format among the reports; an older report reaches them through the crosswalk (legacy → 2019 →
2021), and every row says how good that mapping is. Rows without a counterpart in some report are
kept apart, never dropped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from pathlib import Path

from gdstat.catalog import load_format
from gdstat.catalog.crosswalk import Mapping, format_order, load_crosswalk, worst
from gdstat.errors import UsageError
from gdstat.metrics import derive, round_half_up, sum_terms
from gdstat.report import Report
from gdstat.rules.findings import Finding, FindingCell, count, fingerprint
from gdstat.text import core

# File kinds a year may resolve to: what gdstat reads (a published report's PDF beside the sheet is
# not a candidate until gdstat reads PDFs).
DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv"}
YEAR = re.compile(r"^(19|20)\d{2}$")
SEARCH_DEPTH = 2  # 2017.xlsx, 2017/统计表.xlsx, reports/2017/统计表.xlsx

# formats.md §5 E4: a table whose numbers equal the previous year's. Not a rule of one format, so it
# lives here; it applies to every table of whichever format the two reports share.
IDENTICAL = {"rule": "E4", "code": "identical-to-previous-year", "severity": "error", "min_nonzero": 3}


# ----------------------------------------------------------------------------- finding the inputs


def find_data_dir(start: Path | None = None) -> Path:
    """``data_dir`` of the nearest ``gdstat.toml`` (this folder or a parent), else ``start`` itself."""
    from gdstat.messages import find_config

    start = (start or Path.cwd()).resolve()
    folder, settings = find_config(start)
    if folder is not None and "data_dir" in settings:
        return (folder / str(settings["data_dir"])).resolve()
    return start


def data_files(folder: Path) -> list[Path]:
    """The data files under ``folder``, two levels deep, in a stable order."""
    found = []
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < SEARCH_DEPTH else []
        found += [Path(root) / name for name in sorted(files)
                  if not name.startswith((".", "~$")) and Path(name).suffix.lower() in DATA_SUFFIXES]
    return found


def year_candidates(year: str, folder: Path, files: list[Path] | None = None) -> list[Path]:
    """Data files under ``folder`` (``files``, when listed already) whose path relative to it contains ``year``."""
    pattern = re.compile(rf"(?<!\d){re.escape(year)}(?!\d)")
    return [path for path in (data_files(folder) if files is None else files)
            if pattern.search(str(path.relative_to(folder)))]


def _depth(path: Path, folder: Path) -> int:
    return len(path.relative_to(folder).parts)


def resolve_year(year: str, folder: Path, found: list[Path] | None = None) -> Path:
    """The one data file for ``year``; UsageError (exit 2) listing what was found otherwise.

    Among several, the only one nearest the top wins: a district's ``2023.xlsx`` over the sheets
    of its units in ``units-2023/``.
    """
    found = year_candidates(year, folder) if found is None else found
    if len(found) == 1:
        return found[0]
    depths = [_depth(p, folder) for p in found]
    if depths and depths.count(min(depths)) == 1:
        return found[depths.index(min(depths))]
    if not found:
        raise UsageError(f"{year}: no data file in {folder} has {year} in its name",
                         hint="name the file, or point --dir (or data_dir in gdstat.toml) at the folder of the yearly sheets")
    listed = ", ".join(str(p.relative_to(folder)) for p in found)
    raise UsageError(f"{year}: {len(found)} files in {folder} match: {listed}",
                     hint="name the file you mean instead of the year")


def agency_key(agency: str | None) -> str | None:
    """An agency's name for comparing: full-width and spaces ignored (北仑区 = 北 仑 区)."""
    from gdstat.text import squash

    return squash(agency) if agency else None


def resolve_inputs(items, data_dir: str | Path | None = None, cwd: Path | None = None, read=None) -> list[Path]:
    """Each item is a file, or a year found in the data folder (``--dir``, else gdstat.toml, else cwd).

    A year several files match resolves to the one of the same agency as the other inputs
    (``read(path)`` gives a file's Report, or None when it cannot be read); failing that, to the
    one nearest the top of the folder. Files found are given as the user will see them (relative
    to the current folder when under it), to ``read`` too: each is read once, by one name.
    """
    here = Path.cwd()
    cwd = cwd or here

    def shown(path: Path) -> Path:
        return Path(os.path.relpath(path, here)) if path.is_relative_to(here.resolve()) else path

    folder = files = None
    paths: list[Path | None] = []
    pending = []  # (index, year, candidates) of years several files match
    for item in items:
        if Path(item).is_file() or not YEAR.match(item):
            path = Path(item)  # a missing file is reported by the reader (exit 3)
            paths.append(shown(path) if str(path) != item else path)
            continue
        if folder is None:
            folder = (cwd / data_dir).resolve() if data_dir else find_data_dir(cwd)
            if not folder.is_dir():
                raise UsageError(f"{folder}: data folder not found", hint="check --dir or data_dir in gdstat.toml")
            files = data_files(folder)  # listed once for every year
        found = year_candidates(item, folder, files)
        if len(found) > 1 and read is not None:
            pending.append((len(paths), item, found))
            paths.append(None)
        else:
            paths.append(shown(resolve_year(item, folder, found)))
    if pending:
        def agency(path: Path) -> str | None:
            report = read(shown(path))
            return agency_key(report.agency) if report is not None else None

        known = {agency(p) for p in paths if p is not None and p.is_file()} - {None}
        if not known:  # every year is ambiguous: the one agency all of them have, if there is one
            shared = set.intersection(*({agency(p) for p in found} for _, _, found in pending)) - {None}
            known = shared if len(shared) == 1 else set()
        for index, year, found in pending:
            paths[index] = shown(_of_agency(year, folder, found, known, agency))
    return paths


def _of_agency(year: str, folder: Path, found: list[Path], known: set[str], agency) -> Path:
    """The candidate of an agency in ``known`` (the one nearest the top, when several), else the
    one nearest the top of all. Candidates are read nearest the top first: once one depth holds
    exactly one of the agency, deeper files cannot change the answer and are not read."""
    by_depth: dict[int, list[Path]] = {}
    for path in found:
        by_depth.setdefault(_depth(path, folder), []).append(path)
    for depth in sorted(by_depth):
        same = [p for p in by_depth[depth] if agency(p) in known]
        if len(same) == 1:
            return same[0]
        if same:
            break  # several at one depth: the error lists every one of the agency
    same = [p for p in found if agency(p) in known]
    return same[0] if len(same) == 1 else resolve_year(year, folder, same or found)


# ----------------------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Threshold:
    """A row is flagged when it moved by more than ``percent`` % and by at least ``units``."""

    percent: Decimal = Decimal(50)
    units: Decimal = Decimal(10)

    @classmethod
    def parse(cls, text: str) -> "Threshold":
        """``50``, ``50%``, ``50%,10`` or ``30,5``: percent, then the least change in units."""
        parts = [p.strip() for p in text.replace("，", ",").split(",")]
        try:
            percent = Decimal(parts[0].rstrip("%"))
            units = Decimal(parts[1]) if len(parts) > 1 and parts[1] else cls.units
        except (InvalidOperation, IndexError):
            raise UsageError(f"--threshold {text!r}: not a threshold",
                             hint="write a percentage and optionally the least change, e.g. 50% or 50%,10") from None
        if len(parts) > 2 or percent < 0 or units < 0:
            raise UsageError(f"--threshold {text!r}: not a threshold", hint="e.g. 50% or 50%,10")
        return cls(percent, units)

    def to_dict(self) -> dict:
        return {"percent": self.percent, "units": self.units}


# ----------------------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Entry:
    """One report's side of a row: the value, whether it was reported, and through which mapping."""

    value: int | Decimal | None
    status: str  # reported | not-reported | no-counterpart
    quality: str | None = None
    sources: tuple[str, ...] = ()
    raw: str | None = None  # the marker written in a single cell (``/``), when not a number
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"value": self.value, "status": self.status, "quality": self.quality, "sources": list(self.sources),
                "raw": self.raw}


NO_COUNTERPART = Entry(None, "no-counterpart")


@dataclass(frozen=True)
class Step:
    """The move from one report to the next. ``percent`` is None from 0 (then ``new``) or when not reported."""

    change: int | Decimal | None
    percent: Decimal | None
    new: bool = False
    flagged: bool = False

    def to_dict(self) -> dict:
        return {"change": self.change, "percent": self.percent, "new": self.new, "flagged": self.flagged}


UNKNOWN = Step(None, None)  # from or to a value not reported


def step(a, b, threshold: Threshold, precision: int = 1, points: bool = False) -> Step:
    """From ``a`` to ``b``. A change from 0 is new, never infinite; shares change in points (no percent)."""
    if a is None or b is None:
        return UNKNOWN
    change = b - a
    if points:
        return Step(change, None)
    new = a == 0 and b != 0
    percent = None if a == 0 else round_half_up(Decimal(change) * 100 / abs(Decimal(a)), precision)
    moved = new or (percent is not None and abs(percent) > threshold.percent)
    return Step(change, percent, new, moved and abs(change) >= threshold.units)


@dataclass(frozen=True)
class Row:
    id: str
    section: str  # compared | unmatched | derived
    format: str  # the format whose cells the row is (for derived: the metric's)
    cells: tuple[str, ...]
    table: str | None
    label: str
    label_en: str
    unit: str | None
    quality: str | None
    notes: tuple[str, ...]
    entries: tuple[Entry, ...]
    steps: tuple[Step, ...]

    @property
    def values(self) -> list:
        return [e.value for e in self.entries]

    @property
    def changed(self) -> bool:
        return len({(e.status, e.value) for e in self.entries}) > 1

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.steps)

    @property
    def empty(self) -> bool:
        """Zero or not reported in every report."""
        return all(not e.value for e in self.entries)

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "id": self.id, "section": self.section, "format": self.format, "cells": list(self.cells),
            "table": self.table, "label": self.label if lang == "zh" else self.label_en, "unit": self.unit,
            "quality": self.quality, "notes": list(self.notes),
            "values": self.values, "entries": [e.to_dict() for e in self.entries],
            "changes": [s.to_dict() for s in self.steps], "flagged": self.flagged,
        }


def report_label(report: Report, reports) -> str:
    """The column heading of a report: its year, or its file name when years are unknown or repeat."""
    years = [r.year for r in reports]
    if report.year is not None and years.count(report.year) == 1:
        return str(report.year)
    return Path(report.source.path).name


@dataclass(frozen=True)
class Comparison:
    reports: tuple[Report, ...]
    basis: str
    rows: tuple[Row, ...]
    findings: tuple[Finding, ...]
    threshold: Threshold = field(default_factory=Threshold)
    precision: int = 1
    changed_only: bool = False
    show_all: bool = False
    passed_over: int = 0  # findings in the baseline, not listed

    @property
    def labels(self) -> list[str]:
        return [report_label(r, self.reports) for r in self.reports]

    def shown(self, section: str | None = None) -> list[Row]:
        """Rows after --changed and --all: empty rows (zero or not reported every year) need --all."""
        rows = [r for r in self.rows if section is None or r.section == section]
        if not self.show_all:
            rows = [r for r in rows if not r.empty]
        if self.changed_only:
            rows = [r for r in rows if r.changed]
        return rows

    @property
    def hidden(self) -> int:
        return len(self.rows) - len(self.shown())

    def to_dict(self, lang: str = "zh") -> dict:
        from gdstat.api import envelope, report_header

        return {
            **envelope(),
            "reports": [{"label": label, "source": r.source.to_dict(), "report": report_header(r)}
                        for label, r in zip(self.labels, self.reports)],
            "basis": self.basis,
            "threshold": self.threshold.to_dict(),
            "rows": [r.to_dict(lang) for r in self.shown("compared")],
            "unmatched": [r.to_dict(lang) for r in self.shown("unmatched")],
            "derived": [r.to_dict(lang) for r in self.shown("derived")],
            "hidden": self.hidden,
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": {**count(self.findings), "passed_over": self.passed_over, "rows": len(self.shown("compared")),
                        "unmatched": len(self.shown("unmatched")), "flagged": sum(r.flagged for r in self.shown())},
        }


@dataclass(frozen=True)
class Side:
    """How a report of one format reaches a row: the cells whose sum it is, through a mapping of
    this quality, with the crosswalk's notes."""

    cells: tuple[str, ...]
    quality: str
    notes: tuple[str, ...]

    def entry(self, report: Report) -> Entry:
        value = sum_terms(report, self.cells)
        raw = None
        if value is None and len(self.cells) == 1 and self.cells[0] in report.values:
            raw = report.values[self.cells[0]].raw.strip() or None
        return Entry(value, "reported" if value is not None else "not-reported", self.quality, self.cells, raw,
                     self.notes)


class _Matcher:
    """Finds a row's value in a report of any format, through the crosswalk."""

    def __init__(self, basis: str):
        self.basis = basis
        self.crosswalk = load_crosswalk()
        self._by_key: dict[str, dict[tuple, list[Mapping]]] = {}
        self._parts: dict[tuple[str, str], dict[str, list[tuple[int, Mapping]]]] = {}
        self._sides: dict[tuple[str, tuple], Side | None] = {}

    def chain(self, format_id: str) -> tuple[Mapping, ...]:
        return self.crosswalk.chain(format_id, self.basis)

    def by_key(self, format_id: str) -> dict[tuple, list[Mapping]]:
        """The chain's mappings of one format by the row key they give."""
        if format_id not in self._by_key:
            index: dict[tuple, list[Mapping]] = {}
            for m in self.chain(format_id):
                index.setdefault(m.key, []).append(m)
            self._by_key[format_id] = index
        return self._by_key[format_id]

    def parts(self, format_id: str, target_format: str, cells) -> list[Mapping]:
        """The chain's mappings of one format (not kept separate) that reached some of ``cells`` of
        ``target_format`` and nothing else, in chain order."""
        pair = (format_id, target_format)
        if pair not in self._parts:
            index: dict[str, list[tuple[int, Mapping]]] = {}
            for position, m in enumerate(self.chain(format_id)):
                if m.target_format == target_format and m.target and not m.separate:
                    for c in m.target:
                        index.setdefault(c, []).append((position, m))
            self._parts[pair] = index
        wanted = set(cells)
        found = {position: m for c in cells for position, m in self._parts[pair].get(c, ())
                 if wanted.issuperset(m.target)}
        return [found[position] for position in sorted(found)]

    def side(self, format_id: str, key: tuple) -> Side | None:
        """How a report of ``format_id`` reaches the row ``key``; None when it has no counterpart."""
        memo = (format_id, key)
        if memo not in self._sides:
            self._sides[memo] = self._side(format_id, key)
        return self._sides[memo]

    def _side(self, format_id: str, key: tuple) -> Side | None:
        fmt, cells, tag = key
        if format_id == fmt:
            return Side(cells, "same", ())
        if format_order(format_id) > format_order(fmt):
            return None
        exact = [m for m in self.by_key(format_id).get(key, ()) if m.target_format == fmt and m.target]
        if exact:
            return Side(exact[0].source, exact[0].quality, exact[0].notes)
        if tag is not None:
            return None
        # Several mappings that together cover the row exactly (2019 cells reaching a legacy group's 2021 cells).
        parts = self.parts(format_id, fmt, cells)
        covered = [c for m in parts for c in m.target]
        if not parts or sorted(covered) != sorted(cells):
            return None
        return Side(tuple(c for m in parts for c in m.source), worst(m.quality for m in parts),
                    tuple(n for m in parts for n in m.notes))

    def entry(self, report: Report, key: tuple) -> Entry:
        side = self.side(report.format, key)
        return NO_COUNTERPART if side is None else side.entry(report)

    def dropped_notes(self, format_id: str, key: tuple) -> tuple[str, ...]:
        """Why a row of an older format has no counterpart later (the crosswalk's note)."""
        return tuple(n for m in self.by_key(format_id).get(key, ()) for n in m.notes)


@lru_cache(maxsize=None)
def _matcher(basis: str) -> _Matcher:
    """The matcher towards ``basis``, kept: all it works out comes from the catalogue."""
    return _Matcher(basis)


@lru_cache(maxsize=None)
def _row_names(format_id: str) -> dict[str, str]:
    """Short Chinese row names: the label's core, with the parent's where the core alone repeats (总计, 其他)."""
    fmt = load_format(format_id)
    cores = {row.id: core(row.label) or row.label for row in fmt.rows.values()}
    repeated = {c for c in cores.values() if list(cores.values()).count(c) > 1}
    names = {}
    for rid, name in cores.items():
        parent = fmt.rows[rid].parent
        names[rid] = f"{cores[parent]}·{name}" if parent and (name in repeated or len(name) <= 2) else name
    return names


def _label(format_id: str, cells, lang: str) -> str:
    fmt = load_format(format_id)

    def one(cid: str) -> str:
        cell = fmt.cells[cid]
        if lang != "zh":
            return cell.label("en")
        row = _row_names(format_id)[cell.row.id]
        return f"{row}（{cell.column.label}）" if cell.column is not None else row

    return (" + " if lang == "en" else "＋").join(one(c) for c in cells)


def _keys(formats, matcher: _Matcher) -> list[tuple[tuple, tuple[str, tuple[str, ...]]]]:
    """Every row key in order, with the format and cells that name it (for a multi-cell row, the older format's)."""
    keys: dict[tuple, tuple[str, tuple[str, ...]]] = {}
    for cid in load_format(matcher.basis).cells:
        keys[(matcher.basis, (cid,), None)] = (matcher.basis, (cid,))
    for fmt in sorted(set(formats), key=format_order):
        for mapping in matcher.chain(fmt):
            key = mapping.key
            if key in keys:
                continue
            fmt_key, cells, _ = key
            named = (fmt_key, cells) if len(cells) == 1 and not mapping.separate else (mapping.source_format, mapping.source)
            keys[key] = named
    return list(keys.items())


@lru_cache(maxsize=None)
def _row_plans(basis: str, formats: tuple[str, ...]) -> tuple[tuple[tuple, tuple[Side | None, ...]], ...]:
    """For each row, its fields before the entries (``Row``'s ``id`` to ``notes``) and how each report
    reaches it, by the reports' ``formats`` in order. None of it depends on a value: it is worked
    out once for a sequence of formats."""
    matcher = _matcher(basis)
    distinct = tuple(dict.fromkeys(formats))  # in order: notes are listed as the reports first give them
    new_notes = {fmt: matcher.crosswalk.new_cells(fmt) for fmt in distinct}
    plans = []
    for key, (name_format, name_cells) in _keys(distinct, matcher):
        fmt, cells, tag = key
        reach = {f: matcher.side(f, key) for f in distinct}
        notes = tuple(n for side in reach.values() if side is not None for n in side.notes)
        matched = all(side is not None for side in reach.values())
        if not matched:
            notes += tuple(n for f in distinct for n in matcher.dropped_notes(f, key))
            notes += tuple(new_notes[fmt][c] for c in cells if c in new_notes.get(fmt, {}))
            lacking = sorted((f for f, side in reach.items() if side is None), key=format_order)
            notes += tuple(f"{f} 格式无对应指标" for f in lacking)
        cell = load_format(fmt).cells[cells[0]]
        head = (("+".join(cells) if fmt == basis else f"{fmt}:{'+'.join(cells)}") + (f"~{'+'.join(tag)}" if tag else ""),
                "compared" if matched else "unmatched", fmt, cells, cell.table.id,
                _label(name_format, name_cells, "zh"), _label(name_format, name_cells, "en"), cell.unit,
                worst(side.quality for side in reach.values()) if matched else "none", tuple(dict.fromkeys(notes)))
        plans.append((head, tuple(reach[f] for f in formats)))
    return tuple(plans)


def compare(reports, threshold: Threshold | None = None, precision: int = 1, changed_only: bool = False,
            show_all: bool = False) -> Comparison:
    """Compare reports (oldest first when every year is known), row by row and with the cross-year checks."""
    reports = list(reports)
    if len(reports) < 2:
        raise UsageError("diff needs two or more years or files", hint="e.g. gdstat diff 2017 2018")
    if all(r.year is not None for r in reports):
        reports.sort(key=lambda r: r.year)
    threshold = threshold or Threshold()
    basis = max((r.format for r in reports), key=format_order)
    rows = []
    for head, sides in _row_plans(basis, tuple(r.format for r in reports)):
        entries = tuple(NO_COUNTERPART if side is None else side.entry(r) for r, side in zip(reports, sides))
        rows.append(Row(*head, entries=entries,
                        steps=tuple(step(a.value, b.value, threshold, precision) for a, b in zip(entries, entries[1:]))))
    rows += _derived_rows(reports, basis, threshold, precision)
    findings = []
    for previous, current in zip(reports, reports[1:]):
        findings += cross_year_findings(previous, current)
    return Comparison(tuple(reports), basis, tuple(rows), tuple(findings), threshold, precision, changed_only, show_all)


def _derived_rows(reports, basis: str, threshold: Threshold, precision: int) -> list[Row]:
    """Derived shares, matched by metric id; their changes are in percentage points."""
    derived = [{d.id: d for d in derive(r, precision)} for r in reports]
    order = []
    for fmt in sorted({r.format for r in reports}, key=format_order, reverse=True):
        order += [m for m in load_format(fmt).metrics if m.id not in {o.id for o in order}]
    same_format = len({r.format for r in reports}) == 1
    rows = []
    for metric in order:
        entries = tuple(
            Entry(d[metric.id].value, "reported" if d[metric.id].value is not None else "not-reported",
                  "same" if same_format else "approximate") if metric.id in d else NO_COUNTERPART
            for d in derived)
        matched = all(e.status != "no-counterpart" for e in entries)
        if not matched:
            notes = tuple(f"{f} 格式无此指标" for f in dict.fromkeys(
                r.format for r, e in zip(reports, entries) if e.status == "no-counterpart"))
        else:
            notes = () if same_format else ("不同格式的同名派生指标，分子分母口径不同",)
        rows.append(Row(
            id=metric.id, section="derived", format=basis, cells=(), table=None, label=metric.label,
            label_en=metric.label_en, unit="%", quality=worst(e.quality for e in entries if e.quality) if matched else "none",
            notes=notes, entries=entries,
            steps=tuple(step(a.value, b.value, threshold, precision, points=True) for a, b in zip(entries, entries[1:])),
        ))
    return rows


# ----------------------------------------------------------------------------- cross-year findings


def _year(report: Report) -> str:
    return f"{report.year}年" if report.year is not None else Path(report.source.path).name


def _year_en(report: Report) -> str:
    return str(report.year) if report.year is not None else Path(report.source.path).name


class _CrossYear:
    def __init__(self, previous: Report, current: Report):
        self.previous, self.current = previous, current
        self.matcher = _matcher(current.format) if format_order(previous.format) <= format_order(current.format) else None
        self.key = f"{current.format}|{current.agency or ''}|{previous.year or ''}>{current.year or ''}"
        self.findings: list[Finding] = []

    def before(self, cell_id: str) -> Entry:
        """Last year's value of this year's cell, only through a mapping of quality ``same``."""
        if self.matcher is None:
            return NO_COUNTERPART
        entry = self.matcher.entry(self.previous, (self.current.format, (cell_id,), None))
        return entry if entry.quality == "same" else NO_COUNTERPART

    def cell(self, report: Report, cell_id: str, value) -> FindingCell:
        stored = report.values.get(cell_id)
        where = stored.location if stored is not None else None
        zh, en = _label(report.format, (cell_id,), "zh"), _label(report.format, (cell_id,), "en")
        return FindingCell(cell_id, f"{_year(report)} {zh}", f"{_year_en(report)} {en}", where, value)

    def add(self, rule: str, code: str, severity: str, zh: str, en: str, cells=(), expected=None, actual=None) -> None:
        ids = [f"{c.id}#{i}" for i, c in enumerate(cells)]  # the same cell of two years stays two cells
        self.findings.append(Finding(code, severity, rule, zh, en, tuple(cells), expected, actual,
                                     fingerprint=fingerprint(code, rule, ids, self.key, zh if not cells else "")))


def cross_year_findings(previous: Report, current: Report) -> list[Finding]:
    """The ``cross_year`` rules of the current format (N-08, N-12, N-13) and E4, for two consecutive years."""
    check = _CrossYear(previous, current)
    if previous.year is not None and current.year is not None and current.year != previous.year + 1:
        check.add(None, "not-consecutive", "info",
                  f"{_year(previous)}与{_year(current)}不是相邻年度，不作跨年核对",
                  f"{_year_en(previous)} and {_year_en(current)} are not consecutive years; no cross-year checks")
        return check.findings
    fmt = load_format(current.format)
    for rule in fmt.rules:
        if rule.kind == "cross_year":
            _check_rule(check, rule, fmt)
    _check_identical(check, fmt)
    return check.findings


def _check_rule(check: _CrossYear, rule, fmt) -> None:
    current = check.current
    columns = [c.id for c in fmt.table(rule.get("table")).columns] if rule.get("each_column") else [None]

    def at(cid: str, column):
        return cid if column is None else f"{cid}@{column}"

    left, right = rule.get("left"), rule.get("right")
    plus, minus = rule.get("plus") or [], rule.get("minus") or []
    relation = rule.get("relation", "eq")
    compared = unreported = 0
    missing_before = []
    for column in columns:
        for i, (left_id, right_id) in enumerate(zip(left, right)):
            now_id, before_id = at(left_id, column), at(right_id, column)
            extra = [(at(plus[i], column), 1)] if i < len(plus) else []
            extra += [(at(minus[i], column), -1)] if i < len(minus) else []
            before = check.before(before_id)
            if before.status == "no-counterpart":
                missing_before.append(before_id)
                continue
            now = current.number(now_id)
            terms = [(current.number(cid), sign) for cid, sign in extra]
            if now is None or before.value is None or any(v is None for v, _ in terms):
                unreported += 1
                continue
            compared += 1
            expected = before.value + sum(sign * v for v, sign in terms)
            fails = now != expected if relation == "eq" else now > expected
            if not fails:
                continue
            cells = [check.cell(current, now_id, now), check.cell(check.previous, before_id, before.value)]
            cells += [check.cell(current, cid, current.number(cid)) for cid, _ in extra]
            formula = f"{_label(check.previous.format, (before_id,), 'zh')} {before.value}" + "".join(
                f" {'+' if sign > 0 else '−'} {_label(current.format, (cid,), 'zh')} {v}" for (v, sign), (cid, _) in zip(terms, extra))
            formula_en = f"{_label(check.previous.format, (before_id,), 'en')} {before.value}" + "".join(
                f" {'+' if sign > 0 else '−'} {_label(current.format, (cid,), 'en')} {v}" for (v, sign), (cid, _) in zip(terms, extra))
            op = "应等于" if relation == "eq" else "不应超过"
            op_en = "should equal" if relation == "eq" else "should not exceed"
            check.add(rule.id, rule.code, rule.severity,
                      f"{_year(current)} {_label(current.format, (now_id,), 'zh')} 为 {now}，{op}"
                      f"{_year(check.previous)} {formula} = {expected}",
                      f"{_year_en(current)} {_label(current.format, (now_id,), 'en')} is {now}; it {op_en} "
                      f"{_year_en(check.previous)} {formula_en} = {expected}",
                      cells, expected if relation == "eq" else f"<= {expected}", now)
    if missing_before and not compared:
        check.add(rule.id, "no-previous-counterpart", "info",
                  f"{_year(check.previous)}报表（{check.previous.format} 格式）没有与“{_name(fmt, right[0], 'zh')}”"
                  f"相同口径的数据，无法核对：{rule.text}",
                  f"{_year_en(check.previous)} ({check.previous.format} format) has nothing of the same meaning as "
                  f"“{_name(fmt, right[0], 'en')}”; cannot check: {rule.text_en}")
    elif unreported and not compared:
        check.add(rule.id, "incomplete-sum", "info", f"相关数据未填报，无法核对：{rule.text}",
                  f"values not reported, cannot check: {rule.text_en}")


def _name(fmt, operand: str, lang: str) -> str:
    """A rule operand for people: a cell's label, or a row's (``each_column`` rules name rows)."""
    if operand in fmt.cells:
        return _label(fmt.id, (operand,), lang)
    row = fmt.rows[operand]
    return (core(row.label) or row.label) if lang == "zh" else row.label_en


def _check_identical(check: _CrossYear, fmt) -> None:
    for table in fmt.tables:
        nonzero = 0
        for cid in fmt.cells_by_table[table.id]:
            before = check.before(cid)
            now = check.current.number(cid)
            if before.status == "no-counterpart" or now != before.value:
                break  # not the same table as last year's: the other cells need not be looked up
            nonzero += bool(now)
        else:
            if nonzero >= IDENTICAL["min_nonzero"]:
                title = core(table.section or table.label) if table.section else table.label
                check.add(IDENTICAL["rule"], IDENTICAL["code"], IDENTICAL["severity"],
                          f"{_year(check.current)}“{title}”的全部数字与{_year(check.previous)}完全相同（{nonzero} 个非零数），疑为照抄上年",
                          f"every number of “{table.label_en}” in {_year_en(check.current)} equals "
                          f"{_year_en(check.previous)} ({nonzero} non-zero values): copied from last year?",
                          (), None, None)


# ----------------------------------------------------------------------------- the library call


def diff(items, data_dir: str | Path | None = None, threshold: Threshold | str | None = None, precision: int = 1,
         changed_only: bool = False, show_all: bool = False, encoding: str | None = None,
         table_format: str | None = None, baseline: set[str] | None = None) -> Comparison:
    """Resolve years or files, read every report, and compare them (see ``compare``).

    The same file named twice is a UsageError. Besides the cross-year findings: ``year-mismatch``
    for a file whose name and title disagree on the year (the title's year is used) and
    ``agency-mismatch`` when the reports are of different agencies.
    """
    from dataclasses import replace

    from gdstat.api import filter_baseline, load
    from gdstat.errors import InputError
    from gdstat.inputs import as_list

    items = [str(item) for item in as_list(items)]
    if len(items) < 2:
        raise UsageError("diff needs two or more years or files", hint="e.g. gdstat diff 2017 2018")
    if isinstance(threshold, str):
        threshold = Threshold.parse(threshold)
    read_cache: dict[Path, Report] = {}  # by the path as it will be shown

    def read(path: Path) -> Report:
        if path not in read_cache:
            read_cache[path] = load(path, encoding=encoding, table_format=table_format)
        return read_cache[path]

    def read_quietly(path: Path) -> Report | None:
        try:
            return read(path)
        except InputError:
            return None

    paths = resolve_inputs(items, data_dir, read=read_quietly)
    seen: dict[Path, str] = {}
    for item, path in zip(items, paths):
        key = path.resolve()
        if key in seen and str(path) != "-":
            raise UsageError(f"{path} is named twice; a report is not compared with itself",
                             hint="name two different years")
        seen[key] = item
    reports = [read(path) for path in paths]
    result = compare(reports, threshold, precision, changed_only, show_all)
    findings = _input_findings(result.reports) + list(result.findings)
    kept, passed_over = filter_baseline(findings, baseline)
    return replace(result, findings=tuple(kept), passed_over=passed_over)


def _input_findings(reports) -> list[Finding]:
    """What is wrong with the set of inputs itself: a year named wrongly, agencies that differ."""
    from gdstat.rules.engine import year_mismatch

    findings = [f for f in map(year_mismatch, reports) if f is not None]
    agencies = {agency_key(r.agency): r for r in reports if r.agency}
    if len(agencies) > 1:
        named = [r for r in agencies.values()]
        listed = "；".join(f"{r.source.path}：{r.agency}" for r in named)
        listed_en = "; ".join(f"{r.source.path}: {r.agency}" for r in named)
        findings.append(Finding(
            "agency-mismatch", "error", None,
            f"比较的报表属于不同单位（{listed}），逐项比较没有意义",
            f"the reports compared are of different agencies ({listed_en}); a year-on-year comparison means nothing",
            location=", ".join(r.source.path for r in named),
            expected=named[0].agency, actual=named[1].agency,
            fingerprint=fingerprint("agency-mismatch", None, [], "|".join(sorted(k for k in agencies)))))
    return findings


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values) -> str:
    """One block per value, scaled from min(0, lowest) to the highest; a space where not reported."""
    numbers = [Decimal(v) for v in values if v is not None]
    if not numbers:
        return " " * len(values)
    low, high = min(min(numbers), Decimal(0)), max(numbers)
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARKS[0])
        else:
            out.append(SPARKS[int((Decimal(value) - low) * (len(SPARKS) - 1) / span + Decimal("0.5"))])
    return "".join(out)
