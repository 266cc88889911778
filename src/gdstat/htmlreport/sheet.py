"""One report as the page shows it: the official sheet layout with each value in its cell, the
findings numbered and tied to their cells, and the derived shares grouped for the charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from gdstat.catalog import load_format
from gdstat.render import cell_text
from gdstat.render.views import SEVERITY, show
from gdstat.rules.findings import SEVERITY_RANK


@dataclass
class Cell:
    text: str = ""
    role: str = "label"  # header, label, unit, value, caption, note, blank
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None
    kind: str | None = None  # the value's kind; "missing" when the report has no such cell
    recomputed: str | None = None  # the sum of the parts, where it differs from what was reported
    severity: str | None = None  # the worst finding naming this cell
    notes: list[str] = field(default_factory=list)  # the messages of those findings (the hover text)
    refs: list[int] = field(default_factory=list)  # their numbers in the findings list


@dataclass
class Block:
    """A heading and one table under it: header rows first (repeated on each printed page)."""

    heading: str | None
    head: list[list[Cell]]
    body: list[list[Cell]]
    widths: list[float]


def numbered(findings, lang: str) -> list[dict]:
    """The findings list: number, severity, message, and the cells it names (with their labels)."""
    out = []
    for n, finding in enumerate(findings, 1):
        out.append({
            "n": n, "severity": finding.severity, "severity_text": SEVERITY[finding.severity][0 if lang == "zh" else 1],
            "code": finding.code, "rule": finding.rule, "message": finding.text(lang), "where": finding.where,
            "fingerprint": finding.fingerprint,
            "cells": [{"id": c.id, "label": c.label if lang == "zh" else c.label_en} for c in finding.cells],
        })
    return out


def blocks(summary, lang: str) -> list[Block]:
    """The official sheet of the report's format (writers.layout, the merges of ``write``) as HTML
    tables: one a section, split where the sheet has a blank line."""
    from gdstat.writers.layout import build

    report = summary.report
    fmt = load_format(report.format)
    layout = build(fmt, report.agency, report.year)
    by_cell: dict[str, list[tuple[int, object]]] = {}
    for n, finding in enumerate(summary.findings, 1):
        for cell in finding.cells:
            by_cell.setdefault(cell.id, []).append((n, finding))
    header_rows = {r for rows, _ in layout.table_headers for r in rows}
    starts = {(p.row, p.col): p for p in layout.cells}
    covered = {(r, c) for p in layout.cells for r in range(p.row, p.to_row + 1) for c in range(p.col, p.to_col + 1)}
    widths = [layout.widths.get(c, 6.5) for c in range(1, layout.width + 1)]
    total = sum(widths)
    widths = [round(100 * w / total, 2) for w in widths]
    out: list[Block] = []
    current: Block | None = None
    for r in range(2, layout.row + 1):
        placed_row = [starts[(r, c)] for c in range(1, layout.width + 1) if (r, c) in starts]
        if not any((r, c) in covered for c in range(1, layout.width + 1)):
            current = None  # a blank line between sections
            continue
        if placed_row and placed_row[0].role == "section":
            current = Block(placed_row[0].text, [], [], widths)
            out.append(current)
            continue
        if current is None:
            current = Block(None, [], [], widths)
            out.append(current)
        line = []
        for c in range(1, layout.width + 1):
            placed = starts.get((r, c))
            if placed is None:
                if (r, c) not in covered:
                    line.append(Cell(role="blank"))
                continue
            line.append(_cell(placed, report, summary.totals, by_cell, lang))
        (current.head if r in header_rows and not current.body else current.body).append(line)
    return out


def _cell(placed, report, totals: dict, by_cell: dict, lang: str) -> Cell:
    cell = Cell(placed.text or "", placed.role, placed.to_row - placed.row + 1, placed.to_col - placed.col + 1)
    if placed.role == "label" and placed.indent:
        cell.text = "\u3000" * placed.indent + cell.text
    cid = placed.cell_id
    if cid is None:
        return cell
    value = report.values.get(cid)
    cell.cell_id = cid
    cell.kind = value.kind if value is not None else "missing"
    cell.text = show(value)
    again = totals.get(cid)
    if again is not None and (value is None or value.kind != "number" or value.value != again):
        cell.recomputed = cell_text(again)
    named = by_cell.get(cid, [])
    if named:
        worst = max(named, key=lambda item: SEVERITY_RANK[item[1].severity])[1]
        cell.severity = worst.severity
        cell.notes = [f"{n}. {finding.text(lang)}" for n, finding in named]
        cell.refs = [n for n, _ in named]
    return cell


def chart_groups(derived, report) -> tuple[list, list, list]:
    """The derived shares split for the charts: the outcomes of requests (disjoint shares of one
    denominator, which add up to 100 %) for the stacked bar; the publishing channels; every other
    share and rate (on time, reconsideration and litigation corrected, …)."""
    fmt = load_format(report.format)
    metrics = {m.id: m for m in fmt.metrics}
    opening = metrics.get("rate.open")
    outcome, used = [], set()
    for d in derived:
        metric = metrics[d.id]
        if (opening is not None and d.id.startswith("share.") and metric.denominator == opening.denominator
                and not used & set(metric.numerator)):
            outcome.append(d)
            used |= set(metric.numerator)
    channels = [d for d in derived if d.id.startswith("share.channel.")]
    rest = [d for d in derived if d not in outcome and d not in channels]
    return outcome, channels, rest
