"""``extract``: a published report's statistics tables as data, or as the official xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdstat.report import Location, Report
from gdstat.rules import Finding, check, count

# Output kinds by the output file's suffix.
SUFFIX_KIND = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "markdown", ".txt": "plain"}
RECORD_COLUMNS = ["id", "table", "row", "column", "unit", "value", "kind", "raw", "location"]


@dataclass(frozen=True)
class Extraction:
    report: Report
    findings: tuple[Finding, ...]

    def to_dict(self, lang: str = "zh") -> dict:
        from gdstat.api import envelope, report_header, value_records

        return {
            **envelope(),
            "source": self.report.source.to_dict(),
            "report": report_header(self.report),
            "values": value_records(self.report),
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": count(self.findings),
        }

    def records(self) -> tuple[list[str], list[list]]:
        """One row per official cell, read or not: the tidy form of the tables."""
        from gdstat.api import value_records

        rows = []
        for rec in value_records(self.report):
            where = str(Location(**rec["location"])) if rec["location"] else None
            rows.append([rec["id"], rec["table"], rec["row"], rec["column"], rec["unit"], rec["value"], rec["kind"],
                         rec["raw"], where])
        return RECORD_COLUMNS, rows


def extract(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Extraction:
    """Read a report (any input kind) and check it: its values and what loading and the rules found."""
    from gdstat.api import load

    report = load(path, encoding=encoding, table_format=table_format)
    return Extraction(report, tuple(check(report)))


def write_xlsx(extraction: Extraction, out: str | Path, force: bool = False) -> Path:
    """The official statistics sheet of the report's format, filled with what was read."""
    from gdstat.writers.xlsx import write_report

    return write_report(extraction.report, out, force=force)
