"""What each kind of page shows, as data for its template, and the call that picks the kind.

* one input file: that report (``api.summarize``) laid out as the official sheet;
* two or more years or files of one agency: the trend (``diff``'s year resolution and comparison);
* anything else (folders, globs, batch datasets, many agencies): the review dashboard
  (``inputs.expand``, ``api.validate``, ``batch.read_dataset``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gdstat import __version__
from gdstat.rules.findings import Finding

KEY_CELLS = [  # (label, the cell of each format that holds it): charted over the years
    ("本年新收政府信息公开申请（件）", ("requests.new@total", "legacy.apply.received")),
    ("行政许可（处理决定数量，件）", ("licensing.permits@decisions",)),
    ("行政处罚（处理决定数量，件）", ("enforcement.penalties@decisions",)),
]
KEY_SHARES = ["rate.open", "rate.on_time", "rate.review_corrected", "rate.litigation_corrected"]


@dataclass(frozen=True)
class Page:
    """A written page: its kind (``report``, ``trend``, ``review``), the HTML, and every finding."""

    kind: str
    html: str
    findings: tuple[Finding, ...]
    inputs: int
    unreadable: tuple = ()  # why each input that could not be read was not (InputError), shown as missing

    def to_dict(self) -> dict:
        from gdstat.api import envelope
        from gdstat.rules import count

        return {**envelope(), "kind": self.kind, "inputs": self.inputs, "bytes": len(self.html.encode("utf-8")),
                "summary": count(self.findings)}


def _env():
    from gdstat.htmlreport.deps import require

    require()
    import jinja2

    from gdstat.render import cell_text

    env = jinja2.Environment(loader=jinja2.PackageLoader("gdstat.htmlreport", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = cell_text
    return env


def _render(template: str, **context) -> str:
    return _env().get_template(template).render(version=__version__, today=date.today().isoformat(), **context)


def build(items, data_dir: str | Path | None = None, precision: int = 1, encoding: str | None = None,
          table_format: str | None = None, threshold: str | None = None) -> Page:
    """The page for these inputs: one file, the years of one agency, or many agencies."""
    from gdstat.batch import is_dataset
    from gdstat.diff import YEAR
    from gdstat.htmlreport.deps import require
    from gdstat.inputs import as_list, expand

    require()
    items = [str(i) for i in as_list(items)]
    options = {"encoding": encoding, "table_format": table_format}
    if len(items) == 1 and os.path.isfile(items[0]) and not is_dataset(items[0]):
        return one(items[0], precision=precision, **options)
    years_or_files = all(os.path.isfile(i) and not is_dataset(i) or (YEAR.match(i) and not os.path.exists(i))
                         for i in items)
    if years_or_files and len(items) >= 2:
        from gdstat.diff import diff

        whole = diff(items, data_dir=data_dir, threshold=threshold, precision=precision, **options)
        years = [r.year for r in whole.reports]
        if any(f.code == "agency-mismatch" for f in whole.findings) or None in years or len(set(years)) < len(years):
            return review([r.source.path for r in whole.reports], precision=precision, **options)
        return trend(whole)
    return review(expand(items), precision=precision, **options)


# ----------------------------------------------------------------------------- one report


def one(path: str, precision: int = 1, encoding: str | None = None, table_format: str | None = None) -> Page:
    from gdstat import api
    from gdstat.catalog import load_format
    from gdstat.htmlreport import charts, sheet
    from gdstat.rules import count

    summary = api.summarize(path, precision=precision, encoding=encoding, table_format=table_format)
    report = summary.report
    fmt = load_format(report.format)
    outcome, channels, rest = sheet.chart_groups(summary.derived, report)
    channels, rest = ([d for d in group if d.value is not None] for group in (channels, rest))
    html = _render(
        "one.html.j2", report=report, fmt=fmt, summary=summary, counts=count(summary.findings),
        blocks=sheet.blocks(summary, "zh"), findings=sheet.numbered(summary.findings, "zh"),
        outcome_chart=charts.stacked_bar([(d.label, d.value) for d in outcome]) if any(d.value for d in outcome) else None,
        channels_chart=charts.bars([(d.label, d.value) for d in channels]) if channels else None,
        shares_chart=charts.bars([(d.label, d.value) for d in rest]) if rest else None,
        mismatches=any(summary.totals.get(cid) is not None and report.number(cid) != summary.totals[cid]
                       for cid in summary.totals),
    )
    return Page("report", html, summary.findings, 1)


# ----------------------------------------------------------------------------- years of one agency


def trend(whole) -> Page:
    """The years of one agency from their comparison (``diff.diff``): a chart per key figure, the
    last two years side by side, the findings of the inputs and across the years."""
    from gdstat.diff import compare
    from gdstat.htmlreport import charts
    from gdstat.htmlreport.sheet import numbered
    from gdstat.render import diff_views
    from gdstat.rules import check, count

    reports = list(whole.reports)
    labels = whole.labels
    marks = [(i, f"{r.format} 格式") for i, (p, r) in enumerate(zip(reports, reports[1:]), 1) if p.format != r.format]
    key_charts = []
    for label, cells in KEY_CELLS:
        row = next((r for r in whole.rows if r.format == whole.basis and len(r.cells) == 1 and r.cells[0] in cells), None)
        if row is not None and any(v is not None for v in row.values):
            key_charts.append(charts.lines(label, labels, row.values, marks, ""))
    derived = {r.id: r for r in whole.rows if r.section == "derived"}
    for metric in KEY_SHARES:
        row = derived.get(metric)
        if row is not None and any(v is not None for v in row.values):
            key_charts.append(charts.lines(row.label, labels, row.values, marks, "%"))
    last = compare(reports[-2:], whole.threshold, whole.precision)
    years = []
    for report, label in zip(reports, labels):
        findings = check(report)
        years.append({"label": label, "report": report, "counts": count(findings)})
    rows = [{"row": row, "a": diff_views.entry_text(row.entries[0], "zh"), "b": diff_views.entry_text(row.entries[1], "zh"),
             "change": diff_views.signed(row.steps[0].change),
             "percent": diff_views.percent_text(row.steps[0], "zh") if row.section != "derived" else "",
             "quality": diff_views.quality(row.quality, "zh")}
            for row in last.shown("compared") + last.shown("derived")]
    html = _render("trend.html.j2", reports=reports, labels=labels, agency=next((r.agency for r in reports if r.agency), None),
                   charts=key_charts, years=years, last=last, rows=rows,
                   findings=numbered(whole.findings, "zh"), counts=count(whole.findings), marks=marks)
    return Page("trend", html, whole.findings, len(reports))


# ----------------------------------------------------------------------------- many agencies


def review(paths, precision: int = 1, encoding: str | None = None, table_format: str | None = None) -> Page:
    """Every input checked (``api.validate``); a dataset ``batch`` wrote stands for the reports in it."""
    from gdstat import api
    from gdstat.batch import is_dataset, read_dataset
    from gdstat.htmlreport import dashboard
    from gdstat.rules import check

    if not paths:
        from gdstat.errors import InputError

        raise InputError("no input files found", hint="name files, folders or globs of statistics sheets or reports "
                         "(xlsx, xls, ods, csv, tsv, txt, html, docx, pdf)")
    datasets = {path for path in paths if is_dataset(path)}
    others = [path for path in paths if path not in datasets]  # read together, by worker processes
    checked = iter(api.validate(others, encoding=encoding, table_format=table_format).files if others else ())
    files = []
    for path in paths:
        if path in datasets:
            files += [api.FileCheck(path, report, tuple(check(report))) for report in read_dataset(path)]
        else:
            files.append(next(checked))
    validation = api.Validation(tuple(files))
    board = dashboard.Dashboard.of(validation, precision)
    html = _render("review.html.j2", board=board, status=dashboard.STATUS, cutoff=dashboard.CUTOFF,
                   min_peers=dashboard.MIN_PEERS)
    return Page("review", html, tuple(validation.findings), len(validation.files),
                tuple(file.error for file in validation.unreadable))
