"""Many agencies: coverage by year, key shares with robust outliers, and each agency's findings.

An outlier is a share far from the median of its peers (the agencies whose latest report is of the
same format): the modified z-score 0.6745 · (x − median) / MAD, with MAD the median absolute
deviation, beyond ±3.5 (Iglewicz and Hoaglin). Medians are not pulled by the outliers themselves,
as a mean and a standard deviation would be. Fewer than five peers flag nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from gdstat.catalog import load_format
from gdstat.metrics import derive
from gdstat.rules import count

SHARES = ("rate.open", "share.disclosed", "share.factual", "rate.review_corrected", "rate.litigation_corrected")
CUTOFF = 3.5
MIN_PEERS = 5
STATUS = {"clean": "无问题", "warnings": "有警告", "errors": "有错误", "unreadable": "无法读取", "missing": "缺失"}
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass
class Entry:
    """One input file of an agency."""

    path: str
    year: int | None
    format: str | None
    status: str
    counts: dict
    findings: list[dict]
    shares: dict = field(default_factory=dict)  # metric id -> Derived
    error: str | None = None


@dataclass
class Agency:
    n: int
    name: str
    entries: list[Entry]
    shares: dict = field(default_factory=dict)  # metric id -> value of the latest report
    outliers: dict = field(default_factory=dict)  # metric id -> modified z-score
    counts: dict = field(default_factory=dict)

    @property
    def latest(self) -> Entry:
        return self.entries[-1]


def _worst(statuses) -> str:
    order = ["clean", "warnings", "errors", "unreadable"]
    return max(statuses, key=order.index, default="missing")


def _status(findings) -> str:
    counted = count(findings)
    return "errors" if counted["errors"] else "warnings" if counted["warnings"] else "clean"


def modified_z(values: list[float]) -> list[float | None]:
    """0.6745 (x - median) / MAD for each value; None for all when the MAD is 0 or there are too few."""
    if len(values) < MIN_PEERS:
        return [None] * len(values)
    middle = median(values)
    mad = median(abs(v - middle) for v in values)
    if mad == 0:
        return [None] * len(values)
    return [0.6745 * (v - middle) / mad for v in values]


@dataclass
class Dashboard:
    agencies: list[Agency]
    unreadable: list[Entry]
    years: list[int]
    shares: list[tuple[str, str]]  # (metric id, label) of the table's columns
    counts: dict
    files: int
    chart: str | None = None

    @classmethod
    def of(cls, validation, precision: int = 1) -> "Dashboard":
        from gdstat.htmlreport.sheet import numbered

        groups: dict[str, list[Entry]] = {}
        unreadable = []
        for file in validation.files:
            if file.report is None:
                year = _YEAR.search(Path(file.path).name)
                unreadable.append(Entry(file.path, int(year.group(0)) if year else None, None, "unreadable",
                                        {"errors": 1, "warnings": 0, "info": 0}, [], error=str(file.error)))
                continue
            report = file.report
            name = report.agency or Path(file.path).stem
            entry = Entry(file.path, report.year, report.format, _status(file.findings), count(file.findings),
                          numbered(file.findings, "zh"), {d.id: d for d in derive(report, precision)})
            groups.setdefault(name, []).append(entry)
        agencies = []
        for n, (name, entries) in enumerate(sorted(groups.items()), 1):
            entries.sort(key=lambda e: (e.year or 0, e.path))
            totals = {k: sum(e.counts[k] for e in entries) for k in ("errors", "warnings", "info")}
            agencies.append(Agency(n, name, entries, {m: e.value for m, e in entries[-1].shares.items()}, {}, totals))
        shares = _share_columns(agencies)
        _flag(agencies, [m for m, _ in shares])
        known = [e.year for a in agencies for e in a.entries if e.year] + [e.year for e in unreadable if e.year]
        years = list(range(min(known), max(known) + 1)) if known else []
        board = cls(agencies, unreadable, years, shares, count(validation.findings), len(validation.files))
        board.chart = _chart(board)
        return board

    def cell(self, agency: Agency, year: int) -> str:
        return _worst(e.status for e in agency.entries if e.year == year)


def _share_columns(agencies) -> list[tuple[str, str]]:
    """The dashboard's shares, labelled by the newest format that has them."""
    from gdstat.catalog.crosswalk import format_order

    formats = sorted({a.latest.format for a in agencies}, key=format_order, reverse=True)
    out = []
    for metric in SHARES:
        for fmt in formats:
            found = next((m for m in load_format(fmt).metrics if m.id == metric), None)
            if found is not None:
                out.append((metric, found.label))
                break
    return out


def _flag(agencies: list[Agency], metrics: list[str]) -> None:
    for fmt in {a.latest.format for a in agencies}:
        peers = [a for a in agencies if a.latest.format == fmt]
        for metric in metrics:
            having = [a for a in peers if a.shares.get(metric) is not None]
            for agency, z in zip(having, modified_z([float(a.shares[metric]) for a in having])):
                if z is not None and abs(z) > CUTOFF:
                    agency.outliers[metric] = round(z, 1)


def _chart(board: Dashboard) -> str | None:
    from gdstat.htmlreport import charts

    rows = []
    for metric, label in board.shares:
        points = [(float(a.shares[metric]), metric in a.outliers) for a in board.agencies if a.shares.get(metric) is not None]
        if points:
            rows.append((label, points))
    return charts.dots(rows) if rows else None
