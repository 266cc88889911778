"""The library calls behind the commands. Each returns plain data with ``to_dict()``.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gdstat import __version__
from gdstat.catalog import load_format
from gdstat.errors import InputError
from gdstat.metrics import Derived, derive
from gdstat.report import Report
from gdstat.rules import Finding, check, count, recomputed

SCHEMA_VERSION = "1"
# The one row schema of CSV, TSV and JSONL: a cell per row in summarize, extract and batch, a
# finding per row in --findings files and validate; batch and validate put SOURCE_COLUMNS in front.
SOURCE_COLUMNS = ("path", "agency", "year", "format")
CELL_COLUMNS = ("id", "table", "row", "column", "unit", "value", "kind", "raw", "location")
FINDING_COLUMNS = ("severity", "code", "rule", "location", "message", "expected", "actual", "fingerprint")


def load(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Report:
    """Read one input (xlsx, xlsm, xls, ods, csv, tsv) into a Report."""
    from gdstat.io import read_report

    return read_report(path, encoding=encoding, table_format=table_format)


def envelope() -> dict:
    return {"schema_version": SCHEMA_VERSION, "gdstat_version": __version__}


def report_header(report: Report) -> dict:
    return {"format": report.format, "agency": report.agency, "year": report.year}


def value_records(report: Report, totals: dict | None = None) -> list[dict]:
    """Every official cell of the report's format in official order, read or not; then any
    subtotal the report wrote on a group row (``subtotal`` is true for those)."""
    from gdstat.rules.engine import subtotal_cells

    records = []
    fmt = load_format(report.format)
    cells = list(fmt.cells.items()) + subtotal_cells(fmt, report)
    for cell_id, cell in cells:
        value = report.values.get(cell_id)
        record = {
            "id": cell_id,
            "table": cell.table.id,
            "row": cell.row.label,
            "row_path": list(cell.row_path),
            "column": cell.column.label if cell.column else None,
            "column_path": list(cell.column_path),
            "unit": (value.unit if value is not None and value.unit else None) or cell.unit,
            "value": value.value if value is not None else None,
            "kind": value.kind if value is not None else "missing",
            "raw": value.raw if value is not None else None,
            "location": value.location.to_dict() if value is not None and value.location else None,
            "placement": value.placement if value is not None else None,
        }
        record["subtotal"] = cell_id not in fmt.cells
        if totals is not None:
            record["recomputed"] = totals.get(cell_id)
        records.append(record)
    return records


def cell_rows(report: Report) -> list[list]:
    """``value_records`` as rows of CELL_COLUMNS; the location as text (``path!sheet!cell``)."""
    from gdstat.report import Location

    return [[rec["id"], rec["table"], rec["row"], rec["column"], rec["unit"], rec["value"], rec["kind"], rec["raw"],
             str(Location(**rec["location"])) if rec["location"] else None] for rec in value_records(report)]


def finding_row(finding: Finding, lang: str) -> list:
    """A finding as a row of FINDING_COLUMNS."""
    return [finding.severity, finding.code, finding.rule, finding.where, finding.text(lang), finding.expected,
            finding.actual, finding.fingerprint]


def source_head(path: str, report: Report | None) -> list:
    """The SOURCE_COLUMNS of a row: the file, and the report's agency, year and format when read."""
    if report is None:
        return [path, None, None, None]
    return [path, report.agency, report.year, report.format]


def filter_baseline(findings: list[Finding], baseline: set[str] | None) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many were passed over (always told, never hidden)."""
    if not baseline:
        return list(findings), 0
    kept = [f for f in findings if f.fingerprint not in baseline]
    return kept, len(findings) - len(kept)


@dataclass(frozen=True)
class Summary:
    """One report with its recomputed totals, derived shares and findings."""

    report: Report
    totals: dict[str, int | Decimal]
    derived: tuple[Derived, ...]
    findings: tuple[Finding, ...]
    precision: int = 1
    passed_over: int = 0  # findings in the baseline, not listed

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            **envelope(),
            "source": self.report.source.to_dict(),
            "report": report_header(self.report),
            "values": value_records(self.report, self.totals),
            "derived": [d.to_dict(lang) for d in self.derived],
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": {**count(self.findings), "passed_over": self.passed_over},
        }


def summarize(path: str | Path, precision: int = 1, encoding: str | None = None, table_format: str | None = None,
              baseline: set[str] | None = None) -> Summary:
    """Read a report; its values, recomputed totals, derived shares and findings."""
    report = load(path, encoding=encoding, table_format=table_format)
    findings, passed_over = filter_baseline(check(report), baseline)
    return Summary(report, recomputed(report), tuple(derive(report, precision)), tuple(findings), precision,
                   passed_over)


@dataclass(frozen=True)
class FileCheck:
    """The findings for one input, or why it could not be read."""

    path: str
    report: Report | None
    findings: tuple[Finding, ...]
    error: InputError | None = None
    passed_over: int = 0  # findings in the baseline, not listed

    def to_dict(self, lang: str = "zh") -> dict:
        if self.report is None:
            return {"source": {"path": self.path}, "error": str(self.error), "hint": self.error.hint if self.error else None}
        return {
            "source": self.report.source.to_dict(),
            "report": report_header(self.report),
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": {**count(self.findings), "passed_over": self.passed_over},
        }


@dataclass(frozen=True)
class Validation:
    """The check of every input."""

    files: tuple[FileCheck, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for file in self.files for f in file.findings]

    @property
    def unreadable(self) -> list[FileCheck]:
        return [file for file in self.files if file.error is not None]

    @property
    def passed_over(self) -> int:
        return sum(file.passed_over for file in self.files)

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            **envelope(),
            "files": [file.to_dict(lang) for file in self.files],
            "summary": {**count(self.findings), "unreadable": len(self.unreadable), "passed_over": self.passed_over},
        }


def validate(paths: str | Path | Iterable[str | Path], encoding: str | None = None,
             table_format: str | None = None, baseline: set[str] | None = None,
             jobs: int | None = None) -> Validation:
    """Every finding for every input: one path, or several files, folders and globs (expanded by
    ``gdstat.inputs.expand``). An unreadable input is recorded, not raised, so the others run.

    Several inputs are each read in a worker process (``jobs``, default: every core) that is
    killed past the ``seconds`` limit: a file that crashes or hangs its reader is an unreadable file."""
    from functools import partial

    from gdstat.inputs import expand

    paths = [str(path) for path in expand(paths)]
    work = partial(_check_file, encoding=encoding, table_format=table_format, baseline=baseline)
    if len(paths) <= 1 or paths.count("-"):  # standard input is read once, here
        return Validation(tuple(map(work, paths)))
    from gdstat import limits
    from gdstat.batch import cores
    from gdstat.workers import isolated

    files = []
    for path, result in isolated(work, paths, jobs or cores(), limits.get("seconds")):
        if not isinstance(result, FileCheck):
            if result.internal:
                raise RuntimeError(f"{path}: {result.reason}")
            result = FileCheck(path, None, (), limits.TooLarge(result.limit, result.reason, path) if result.limit
                               else InputError(f"{path}: could not be read ({result.reason})",
                                               hint="open it in the program that made it and save it again"))
        files.append(result)
    return Validation(tuple(files))


def _check_file(path: str, encoding: str | None, table_format: str | None, baseline: set[str] | None) -> FileCheck:
    try:
        report = load(path, encoding=encoding, table_format=table_format)
    except InputError as exc:
        return FileCheck(path, None, (), exc)
    findings, passed_over = filter_baseline(check(report), baseline)
    return FileCheck(path, report, tuple(findings), passed_over=passed_over)


def read_baseline(path: str | Path) -> set[str]:
    """Fingerprints to pass over: a ``validate -f json`` output, a JSON list, or one per line."""
    import json

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: baseline cannot be read ({exc.strerror})", hint="check the --baseline path") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: baseline is not UTF-8 text (byte {exc.start})",
                         hint="name a validate -f json output or a file of fingerprints, one a line") from None
    try:
        data = json.loads(text)
    except ValueError:
        return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("fingerprint"), str):
                found.add(node["fingerprint"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                if isinstance(child, str):
                    found.add(child)
                else:
                    walk(child)

    walk(data)
    return found
